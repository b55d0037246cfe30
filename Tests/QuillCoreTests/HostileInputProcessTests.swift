import Foundation
import Testing
@testable import QuillCore

/// What people really put in files, given to the built `quill build` in a child process with a time limit: each
/// run must end by itself (no signal, no hang) with the expected exit status, and a broken file must be named on
/// stderr with its line and column, followed by a hint.
@Suite struct HostileInputProcessTests {
    /// One broken post and the diagnostic it must produce.
    struct BrokenPost: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        /// The start of the diagnostic's line: `content/posts/a.md:LINE:COL: error: …`.
        var prefix: String

        init(_ name: String, _ text: String, _ prefix: String) {
            self.init(name, Array(text.utf8), prefix)
        }

        init(_ name: String, _ bytes: [UInt8], _ prefix: String) {
            (self.name, self.bytes, self.prefix) = (name, bytes, "content/posts/a.md:" + prefix)
        }

        var testDescription: String { name }
    }

    static let brokenPosts: [BrokenPost] = [
        BrokenPost("YAML indented with a tab", "---\ntitle: A\ntags:\n\t- x\ndate: 2024-01-02\n---\nBody\n",
                   "4:1: error: invalid YAML front matter: found character that cannot start any token"),
        BrokenPost("YAML key indented under another", "---\ntitle: A\n  date: 2024-01-02\n---\nBody\n",
                   "3:7: error: invalid YAML front matter: mapping values are not allowed"),
        BrokenPost("YAML quote never closed", "---\ntitle: 'A\ndate: 2024-01-02\n---\nBody\n",
                   "2:8: error: invalid YAML front matter: found unexpected end of stream"),
        BrokenPost("YAML key twice", "---\ntitle: A\ndate: 2024-01-02\ntitle: B\n---\nBody\n",
                   "4:1: error: invalid YAML front matter: duplicate key title"),
        BrokenPost("TOML key twice", "+++\ntitle = \"A\"\ndate = 2024-01-02\ntitle = \"B\"\n+++\nBody\n",
                   "4:9: error: invalid TOML front matter: "),
        BrokenPost("front matter never closed", "---\ntitle: A\ndate: 2024-01-02\n\nBody\n",
                   "1:1: error: front matter opened with `---` is never closed"),
        BrokenPost("tags as a table", "---\ntitle: A\ndate: 2024-01-02\ntags: {a: 1}\n---\nBody\n",
                   "4:1: error: `tags` must be a list of names, not hold a table"),
        BrokenPost("date as a list", "---\ntitle: A\ndate: [1, 2]\n---\nBody\n",
                   "3:1: error: `date` must be one date, not a list"),
        BrokenPost("title as a list", "---\ntitle: [a, b]\ndate: 2024-01-02\n---\nBody\n",
                   "2:1: error: `title` must be text, not a list"),
        BrokenPost("author as a list", "---\ntitle: A\ndate: 2024-01-02\nauthor: [a]\n---\nBody\n",
                   "4:1: error: `author` must be a name, not a list"),
        BrokenPost("author as a table without a name", "---\ntitle: A\ndate: 2024-01-02\nauthor: {email: a@b.c}\n---\nB\n",
                   "4:1: error: `author` must be a name, not a table"),
        BrokenPost("year 99999", "---\ntitle: A\ndate: 99999-01-02\n---\nBody\n",
                   "3:1: error: cannot read `date` \"99999-01-02\" as a date"),
        BrokenPost("month 13", "---\ntitle: A\ndate: 2024-13-02\n---\nBody\n",
                   "3:1: error: cannot read `date` \"2024-13-02\" as a date"),
        BrokenPost("offset of 99 hours", "---\ntitle: A\ndate: 2024-01-02T10:00:00+99:00\n---\nBody\n",
                   "3:1: error: cannot read `date` \"2024-01-02T10:00:00+99:00\" as a date"),
        BrokenPost("invalid UTF-8", Array("---\ntitle: Caf".utf8) + [0xFF] + Array("\ndate: 2024-01-02\n---\n".utf8),
                   "2:11: error: file is not valid UTF-8 (byte 0xFF at offset 14)"),
        BrokenPost("NUL in YAML", "---\ntitle: A\ndate: 2024-01-02\nmood: ab\0c\n---\nBody\n",
                   "4:9: error: invalid YAML front matter: control characters are not allowed (U+0000)"),
        // The TOML parser stops at a NUL: without the check, `draft = true` after it was dropped in silence.
        BrokenPost("NUL in TOML", "+++\ntitle = \"A\"\ndate = 2024-01-02\n# x\0y\ndraft = true\n+++\nBody\n",
                   "4:4: error: invalid TOML front matter: a NUL character (U+0000)"),
        // toml++ aborted the process on this (found by the fuzz target).
        BrokenPost("TOML table name starting with a colon", "+++\ntitle = \"A\"\ndate = 2024-01-02\n[:x]\n+++\nBody\n",
                   "4:2: error: invalid TOML front matter: a table name cannot start with `:`"),
    ]

    @Test func harnessReportsASignalAndAHangAsSuch() throws {
        let crash = try QuillProcess.run([], prefix: ["sh", "-c", "kill -SEGV $$"])
        #expect(crash.ending == .signalled(SIGSEGV))
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("quill-fifo-\(UUID().uuidString)")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(at: fifo) }
        // Reading a FIFO that no one writes never ends.
        let hang = try QuillProcess.run([], prefix: ["sh", "-c", "read line < '\(fifo.path)'"], timeout: .seconds(1))
        #expect(hang.ending == .timedOut)
    }

    @Test(arguments: brokenPosts)
    func brokenPostEndsTheBuildWithItsLineAndColumn(_ broken: BrokenPost) throws {
        let site = try TestSite(["content/posts/good.md": post("Good")])
        try site.write("content/posts/a.md", Data(broken.bytes))
        let run = try QuillProcess.build(site.root)
        #expect(run.ending == .exited(1), "\(run)")
        BadInputTests.expectDiagnostic(run.stderr, broken.prefix)
        #expect(run.stderr.hasSuffix("error: build failed with 1 error; the output folder was not touched\n"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public").path))
    }

    /// Builds `site` with the real binary, expecting success; returns the output folder's files.
    static func buildSucceeds(_ site: TestSite, timeout: Duration = .seconds(20),
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String: Data] {
        let run = try QuillProcess.build(site.root, timeout: timeout, sourceLocation: sourceLocation)
        #expect(run.ending == .exited(0), "\(run)", sourceLocation: sourceLocation)
        #expect(run.stderr == "", sourceLocation: sourceLocation)
        return site.files()
    }

    static func text(_ data: Data?) -> String { data.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    @Test func dateWithoutZoneIsInTheSiteZone() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig.replacingOccurrences(of: "\"UTC\"", with: "\"Asia/Tokyo\""),
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02 10:00\n---\nBody\n",
        ])
        let files = try Self.buildSucceeds(site)
        #expect(Self.text(files["2024/01/02/a/index.html"]).contains("<time datetime=\"2024-01-02T10:00:00+09:00\">"))
        #expect(Self.text(files["feed.xml"]).contains("<pubDate>Tue, 02 Jan 2024 10:00:00 +0900</pubDate>"))
    }

    @Test func numberAsTagsIsOneTagNamedAsWritten() throws {
        let site = try TestSite(["content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\ntags: 5\n---\nBody\n"])
        let files = try Self.buildSucceeds(site)
        #expect(Self.text(files["tags/5/index.html"]).contains("<a href=\"/2024/01/02/a/\">A</a>"))
    }

    @Test func nulInTheBodyBecomesTheReplacementCharacter() throws {
        let site = try TestSite(["content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nBo\0dy\n"])
        let page = Self.text(try Self.buildSucceeds(site)["2024/01/02/a/index.html"])
        #expect(page.contains("<p>Bo\u{FFFD}dy</p>"))
        #expect(!page.contains("\0"))
    }

    @Test func tenMegabytePostIsBuilt() throws {
        let paragraph = "Lorem ipsum *dolor* sit amet, [link](https://example.org/) consectetur.\n\n"
        let body = String(repeating: paragraph, count: 10_000_000 / paragraph.utf8.count) + "The very end.\n"
        let site = try TestSite(["content/posts/a.md": "---\ntitle: Big\ndate: 2024-01-02\n---\n" + body])
        let page = Self.text(try Self.buildSucceeds(site, timeout: .seconds(90))["2024/01/02/a/index.html"])
        #expect(page.contains("<p>The very end.</p>"))
        #expect(page.components(separatedBy: "<em>dolor</em>").count - 1 == 10_000_000 / paragraph.utf8.count)
    }

    @Test func hundredMegabytePostIsRefusedAtOnceByName() throws {
        let paragraph = "Lorem ipsum *dolor* sit amet, [link](https://example.org/) consectetur.\n\n"
        let body = String(repeating: paragraph, count: 100_000_000 / paragraph.utf8.count + 1)
        let site = try TestSite(["content/posts/good.md": post("Good")])
        try site.write("content/posts/huge.md", "---\ntitle: Huge\ndate: 2024-01-02\n---\n" + body)
        let start = ContinuousClock.now
        let run = try QuillProcess.build(site.root)
        #expect(ContinuousClock.now - start < .seconds(10), "the size was noticed only after parsing")
        #expect(run.ending == .exited(1), "\(run)")
        BadInputTests.expectDiagnostic(
            run.stderr, "content/posts/huge.md: error: the file is 100 MB; posts and pages may be at most 20 MB")
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public").path))
    }

    /// cmark's known slow or deep inputs, each 50,000 markers long.
    static let pathologicalBodies: [String] = [
        String(repeating: ">", count: 50_000) + " deep quote\n",
        String(repeating: "[", count: 50_000) + "x" + String(repeating: "]", count: 50_000) + "\n",
        String(repeating: "*a ", count: 50_000) + "\n" + String(repeating: "*", count: 50_000) + "\n",
        String(repeating: "`", count: 50_000) + "x" + String(repeating: "`", count: 49_999) + "\n"
            + String(repeating: "a` ", count: 30_000) + "\n",
        String(repeating: "_a **", count: 30_000) + "\n",
        (0..<3_000).map { String(repeating: "  ", count: $0) + "- item\n" }.joined(),
    ]

    @Test(arguments: pathologicalBodies.indices)
    func pathologicalMarkdownIsBuiltInSeconds(_ index: Int) throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: P\ndate: 2024-01-02\n---\n" + Self.pathologicalBodies[index] + "\nEnd.\n",
        ])
        let page = Self.text(try Self.buildSucceeds(site)["2024/01/02/a/index.html"])
        #expect(page.contains("End."))
    }

    @Test func fifoNamedLikeAPostIsNeverOpened() throws {
        let site = try TestSite(["content/posts/good.md": post("Good")])
        // Opening a FIFO for reading blocks until a writer comes: none will, so a read would hang the build.
        #expect(mkfifo(site.root.appendingPathComponent("content/posts/x.md").path, 0o644) == 0)
        let files = try Self.buildSucceeds(site)
        #expect(files["2024/01/02/good/index.html"] != nil)
        #expect(files.keys.filter { $0.hasSuffix("/index.html") && $0.hasPrefix("2024/") }.count == 1)
    }

    @Test func folderNamedLikeAPostIsAFolder() throws {
        let site = try TestSite(["content/posts/good.md": post("Good")])
        try FileManager.default.createDirectory(at: site.root.appendingPathComponent("content/posts/x.md"),
                                                withIntermediateDirectories: true)
        let files = try Self.buildSucceeds(site)
        #expect(files["2024/01/02/good/index.html"] != nil)
        #expect(files.keys.filter { $0.hasSuffix("/index.html") && $0.hasPrefix("2024/") }.count == 1)
    }

    @Test func symlinkLoopsEndTheWalk() throws {
        let site = try TestSite(["content/posts/good.md": post("Good")])
        let posts = site.root.appendingPathComponent("content/posts").path
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: posts + "/loop1.md", withDestinationPath: "loop2.md")
        try fm.createSymbolicLink(atPath: posts + "/loop2.md", withDestinationPath: "loop1.md")
        try fm.createSymbolicLink(atPath: posts + "/up", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: posts + "/self", withDestinationPath: ".")
        let run = try QuillProcess.build(site.root)
        #expect(run.ending == .exited(0), "\(run)")
        #expect(site.files()["2024/01/02/good/index.html"] != nil)
        let warnings = run.stdout.split(separator: "\n").filter { $0.contains(": warning: ") }.sorted()
        #expect(warnings == [
            "content/posts/loop1.md: warning: symlink skipped: it leads round in a circle of symlinks (→ loop2.md)",
            "content/posts/loop2.md: warning: symlink skipped: it leads round in a circle of symlinks (→ loop1.md)",
            "content/posts/self: warning: symlink skipped: it leads back to a folder already read (→ .)",
            "content/posts/up: warning: symlink skipped: it leads back to a folder already read (→ ..)",
        ], "\(run)")
    }

    // MARK: Escaping, in every format the real binary writes

    static let title = #"Tom & Jerry <b>"x"</b> it's 🎉"#
    static let tag = #"C&C <tag> "q" 'a' 🦀"#
    static let escapedTitle = "Tom &amp; Jerry &lt;b&gt;&quot;x&quot;&lt;/b&gt; it&#39;s 🎉"
    static let escapedTag = "C&amp;C &lt;tag&gt; &quot;q&quot; &#39;a&#39; 🦀"

    @Test func titlesAndTagsAreEscapedExactlyOnceInEveryOutput() throws {
        let site = try TestSite([
            "content/posts/a.md": post(EscapingAndFeedTests.yamlQuoted(Self.title), tags: [EscapingAndFeedTests.yamlQuoted(Self.tag)]),
        ])
        let files = try Self.buildSucceeds(site).mapValues { String(decoding: $0, as: UTF8.self) }
        let page = try #require(files["2024/01/02/a/index.html"], "\(files.keys.sorted())")
        #expect(page.contains("<h1 class=\"post-title\">\(Self.escapedTitle)</h1>"))
        #expect(page.contains("<title>\(Self.escapedTitle) — Test Blog</title>"))
        #expect(page.contains("</span>\(Self.escapedTag)</a>"))
        for (path, text) in files where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            for doubled in ["&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;quot;", "&amp;#39;"] {
                #expect(!text.contains(doubled), "\(path) escapes twice: \(doubled)")
            }
            #expect(!text.contains("<b>") && !text.contains("<tag>"), "\(path) has raw markup from the title or tag")
        }
        for feed in ["feed.xml", "tags/c-and-c-tag-q-a/feed.xml"] {
            let item = try EscapingAndFeedTests.xml(files[feed]).child("channel")?.child("item")
            #expect(item?.child("title")?.text == Self.title, "\(feed)")
            #expect(item?.all("category").map(\.text) == [Self.tag], "\(feed)")
        }
        for feed in ["atom.xml", "tags/c-and-c-tag-q-a/atom.xml"] {
            let entry = try EscapingAndFeedTests.xml(files[feed]).child("entry")
            #expect(entry?.child("title")?.text == Self.title, "\(feed)")
            #expect(entry?.child("category")?.attributes["label"] == Self.tag, "\(feed)")
        }
        let item = try #require((try EscapingAndFeedTests.json(files["feed.json"])["items"] as? [[String: Any]])?.first)
        #expect(item["title"] as? String == Self.title)
        #expect(item["tags"] as? [String] == [Self.tag])
        let sitemap = try EscapingAndFeedTests.xml(files["sitemap.xml"])
        #expect(sitemap.all("url").compactMap { $0.child("loc")?.text }.sorted() == [
            "https://blog.example.org/", "https://blog.example.org/2024/01/02/a/",
            "https://blog.example.org/archive/", "https://blog.example.org/authors/ann-author/",
            "https://blog.example.org/tags/", "https://blog.example.org/tags/c-and-c-tag-q-a/",
        ])
    }

    /// Images that are not what they say: the build ends by itself, publishes each file as it is without copies,
    /// names each one, and never decodes the one that claims 50,000 × 50,000 pixels. Its output is not a terminal,
    /// so no progress line is drawn.
    @Test func hostileImagesAreNamedAndPublishedAsTheyAre() throws {
        var body = ""
        let site = try TestSite([:])
        let images: [(String, Data)] = [
            ("bomb.png", TestImages.claimingPNG(width: 50_000, height: 50_000)),
            ("cut.png", TestImages.png(width: 900, height: 30).prefix(200)),
            ("text.jpg", Data("not a picture at all".utf8)),
            ("header-only.jpg", Data([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x7F, 0xFF, 0x7F, 0xFF, 0x03])),
            ("zero.gif", Data("GIF89a".utf8) + Data([0, 0, 0, 0, 0, 0, 0])),
            ("loop.svg", Data("<svg xmlns='http://www.w3.org/2000/svg' width='1e999' height='-5'>".utf8)),
            ("ok.png", TestImages.png(width: 900, height: 30)),
        ]
        for (name, data) in images {
            try site.write("content/posts/p/" + name, data)
            body += "![\(name)](\(name))\n\n"
        }
        try site.write("content/posts/p/index.md", post("Pictures", body: body))
        let run = try QuillProcess.build(site.root, timeout: .seconds(60))
        #expect(run.ending == .exited(0), "\(run)")
        let said = run.stdout + run.stderr
        #expect(said.contains("content/posts/p/bomb.png: warning: 50000 × 50000 pixels is more than [images] max_pixels"))
        for name in ["cut.png", "text.jpg", "header-only.jpg", "zero.gif"] {
            #expect(said.contains("content/posts/p/\(name): warning: not a readable image"), "\(name): \(said)")
        }
        #expect(!said.contains("\u{1B}["), "no progress line when the output is not a terminal")
        let files = site.files()
        for (name, data) in images { #expect(files["2024/01/02/p/" + name] == data, "\(name) published as it is") }
        #expect(files.keys.filter { $0.contains("-480w.") }.sorted() == ["2024/01/02/p/ok-480w.webp"])
    }
}
