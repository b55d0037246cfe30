import Foundation
import Testing
@testable import QuillCore

/// Every problem is reported as `path:line:col: error: message` followed by a `hint:` line; one build reports
/// every broken file; a failed build leaves the output folder alone.
@Suite struct BadInputTests {
    /// Checks that `errors` has a line beginning with `prefix` (exact path, line, column and `error: `), that the
    /// line mentions each of `words`, and that the next line is a hint.
    static func expectDiagnostic(_ errors: String?, _ prefix: String, mentioning words: [String] = [],
                                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let errors else {
            Issue.record("the build succeeded; expected \(prefix)…", sourceLocation: sourceLocation)
            return
        }
        let lines = errors.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) else {
            Issue.record("no line begins with \"\(prefix)\" in:\n\(errors)", sourceLocation: sourceLocation)
            return
        }
        for word in words {
            #expect(lines[index].contains(word), "\"\(word)\" not in: \(lines[index])", sourceLocation: sourceLocation)
        }
        let next = index + 1 < lines.count ? lines[index + 1] : ""
        #expect(next.trimmingCharacters(in: .whitespaces).hasPrefix("hint: "),
                "no hint after: \(lines[index])\n(next line: \"\(next)\")", sourceLocation: sourceLocation)
    }

    /// The number of `error:` diagnostics in a failure's text (the closing summary line is not one).
    static func errorCount(_ errors: String?) -> Int {
        (errors ?? "").split(separator: "\n").filter { $0.contains(": error: ") }.count
    }

    // MARK: Front matter

    @Test func malformedYamlIsReportedOnTheLineOfTheBadValue() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: [unclosed\ndate: 2024-01-02\n---\nBody\n",
        ])
        // The flow sequence opened by `[` at line 2, column 8 is the mistake, not the next line.
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:2:8: error: ", mentioning: ["YAML"])
    }

    @Test func unterminatedYamlStringIsReportedWhereItOpens() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\nmood: \"unterminated\n---\nBody\n",
        ])
        // The quote that is never closed: line 4, column 7.
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:4:7: error: ", mentioning: ["YAML"])
    }

    @Test func yamlValueWithAColonIsReportedAtTheColon() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\nfoo: bar: baz\n---\nBody\n",
        ])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:4:9: error: ", mentioning: ["YAML"])
    }

    @Test func malformedTomlIsReportedAtTheFileLineAndColumn() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\ndate = 2024-01-02\n+++\nBody\n",
        ])
        // The string opened on line 2 runs into the end of that line (column 11).
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:2:11: error: ", mentioning: ["TOML"])
    }

    @Test func malformedTomlLaterInTheBlockCountsTheFenceLine() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-02\nrating = = 3\n+++\nBody\n",
        ])
        // The second `=` on line 4 (the fence is line 1).
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:4:10: error: ", mentioning: ["TOML"])
    }

    @Test func unclosedFrontMatterIsReportedAtTheOpeningFence() throws {
        let site = try TestSite(["content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\n\nBody\n"])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:1:1: error: ", mentioning: ["never closed"])
    }

    @Test func unclosedTomlFrontMatterIsReportedAtTheOpeningFence() throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n---\nBody\n"])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:1:1: error: ", mentioning: ["+++"])
    }

    @Test func fileWithoutFrontMatterIsAnError() throws {
        let site = try TestSite(["content/posts/a.md": "# Just Markdown\n\nNo front matter here.\n"])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:1:1: error: ", mentioning: ["front matter"])
    }

    @Test func emptyFilesAreReportedNotSkipped() throws {
        let site = try TestSite(["content/posts/a.md": "", "content/empty-page.md": "", "content/posts/b.md": post("B")])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "content/posts/a.md:1:1: error: missing front matter")
        Self.expectDiagnostic(errors, "content/empty-page.md:1:1: error: missing front matter")
        #expect(Self.errorCount(errors) == 2)
    }

    @Test func missingTitleIsReportedOnLineOne() throws {
        let site = try TestSite(["content/posts/a.md": "---\ndate: 2024-01-02\ntags: [x]\n---\nBody\n"])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:1:1: error: ", mentioning: ["title"])
    }

    @Test func missingTitleOfAPageIsReportedToo() throws {
        let site = try TestSite(["content/about.md": "---\nweight: 1\n---\nAbout\n"])
        Self.expectDiagnostic(site.errors(), "content/about.md:1:1: error: ", mentioning: ["title"])
    }

    @Test func unparseableDateIsReportedOnTheDateLine() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: A\ntags: [x]\ndate: next tuesday\n---\nBody\n",
        ])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:4:1: error: ", mentioning: ["date", "next tuesday"])
    }

    @Test func unparseableTomlDateIsReportedOnTheDateLine() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\"\n\ndate = \"soon\"\n+++\nBody\n",
        ])
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:4:1: error: ", mentioning: ["date", "soon"])
    }

    // MARK: Templates

    @Test func unknownPartialIsReportedInTheTemplate() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "templates/post.mustache": "{{#post}}{{title}}{{/post}}\n  {{> nope}}\n",
        ])
        Self.expectDiagnostic(site.errors(), "templates/post.mustache:2:3: error: ", mentioning: ["nope"])
    }

    @Test func aMisspeltFieldInATemplateOverrideStopsTheBuildAtItsLineWithTheRightName() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "templates/post.mustache": "{{<base}}\n{{$main}}\n<h1>{{post.titel}}</h1>\n{{/main}}\n{{/base}}\n",
        ])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "templates/post.mustache:3:12: error: post has no field `titel`")
        #expect(errors?.contains("hint: did you mean `title`?") == true)
        #expect(Self.errorCount(errors) == 1)
    }

    @Test func escapingContentInATemplateIsAWarningAndTheSiteStillBuilds() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "templates/post.mustache": "{{<base}}\n{{$main}}\n{{#post}}{{content}}{{/post}}\n{{/main}}\n{{/base}}\n",
        ])
        let report = try site.build()
        let warning = try #require(report.warnings.first { $0.location.file == "templates/post.mustache" })
        #expect(warning.description.contains("templates/post.mustache:3:12: warning:"))
        #expect(warning.description.contains("use {{{content}}}"))
    }

    @Test func unknownParentTemplateIsReportedInTheTemplate() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "templates/page.mustache": "{{<frame}}\n{{$main}}x{{/main}}\n{{/frame}}\n",
        ])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "templates/page.mustache:1:1: error: ", mentioning: ["frame"])
        #expect(Self.errorCount(errors) == 1)
    }

    @Test func templateSyntaxErrorIsReportedAtItsLineAndColumn() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            // Section `posts` is closed as `pots`: the wrong name starts at line 3, column 16.
            "templates/tag.mustache": "line one\n{{#posts}}\n  {{title}} {{/pots}}\n",
        ])
        Self.expectDiagnostic(site.errors(), "templates/tag.mustache:3:16: error: ", mentioning: ["template"])
    }

    // MARK: Output clashes

    static let twins: [String: String] = [
        "content/posts/first.md": post("One", extra: "slug: same\n"),
        "content/posts/second.md": post("Two", extra: "slug: same\n"),
    ]

    @Test func duplicateOutputPathNamesBothFiles() throws {
        let errors = try #require(try TestSite(Self.twins).errors())
        let line = try #require(errors.split(separator: "\n").first { $0.contains(": error: ") })
        #expect(line.contains("content/posts/first.md"))
        #expect(line.contains("content/posts/second.md"))
        #expect(line.contains("/2024/01/02/same/"))
        #expect(Self.errorCount(errors) == 1)
    }

    @Test func duplicateOutputPathIsReportedWithLineAndColumn() throws {
        let errors = try TestSite(Self.twins).errors()
        // The same format as every other diagnostic: `path:line:col: error: `, then a hint.
        let first = errors?.split(separator: "\n").first.map(String.init) ?? ""
        let hasLocation = first.range(of: #"^content/posts/(first|second)\.md:\d+:\d+: error: "#,
                                      options: .regularExpression) != nil
        #expect(hasLocation, "got: \(first)")
        Self.expectDiagnostic(errors, "content/posts/", mentioning: ["error: ", "first.md", "second.md"])
    }

    @Test func postAndPageClashingOnOneURLAreReported() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig.replacingOccurrences(of: "time_zone", with: "permalink = \"/:slug/\"\ntime_zone"),
            "content/posts/about.md": post("About post"),
            "content/about.md": "---\ntitle: About page\n---\nHi\n",
        ])
        let errors = try #require(site.errors())
        #expect(errors.contains("content/about.md"))
        #expect(errors.contains("content/posts/about.md"))
    }

    // MARK: Encoding

    @Test func nonUTF8FileIsReportedAtTheBadByte() throws {
        let site = try TestSite(["content/posts/ok.md": post("OK")])
        var bytes: [UInt8] = [0x2D, 0x2D, 0x2D, 0x0A]  // ---\n
        bytes += Array("title: Caf".utf8) + [0xFF] + Array("\ndate: 2024-01-02\n---\nBody\n".utf8)
        try site.write("content/posts/latin.md", Data(bytes))
        Self.expectDiagnostic(site.errors(), "content/posts/latin.md:2:11: error: ", mentioning: ["UTF-8", "0xFF"])
    }

    @Test func nonUTF8ByteInTheBodyIsReportedOnItsLine() throws {
        let site = try TestSite([:])
        let bytes = Array("---\ntitle: A\ndate: 2024-01-02\n---\n\nfine line\nab".utf8) + [0xE9] + Array(" tu\n".utf8)
        try site.write("content/posts/a.md", Data(bytes))
        Self.expectDiagnostic(site.errors(), "content/posts/a.md:7:3: error: ", mentioning: ["UTF-8"])
    }

    // MARK: site.toml

    static func config(_ badLine: String) -> String {
        "# settings\ntitle = \"T\"\nbase_url = \"https://blog.example.org/\"\n\(badLine)\nauthor = \"Ann\"\n"
    }

    @Test func postsPerPageOfZeroIsReportedAtItsLine() throws {
        let site = try TestSite(["site.toml": Self.config("posts_per_page = 0"), "content/posts/a.md": post("A")])
        Self.expectDiagnostic(site.errors(), "site.toml:4:1: error: ", mentioning: ["posts_per_page"])
    }

    @Test func unknownPermalinkTokenIsReportedAtItsLine() throws {
        let site = try TestSite([
            "site.toml": Self.config("permalink = \"/:year/:nope/:slug/\""), "content/posts/a.md": post("A"),
        ])
        Self.expectDiagnostic(site.errors(), "site.toml:4:1: error: ", mentioning: [":nope"])
    }

    @Test func unknownTimeZoneIsReportedAtItsLine() throws {
        let site = try TestSite([
            "site.toml": Self.config("time_zone = \"Mars/Olympus_Mons\""), "content/posts/a.md": post("A"),
        ])
        Self.expectDiagnostic(site.errors(), "site.toml:4:1: error: ", mentioning: ["Mars/Olympus_Mons"])
    }

    @Test func everyBadSettingIsReportedInOneFailure() throws {
        let site = try TestSite([
            "site.toml": "title = \"T\"\ntime_zone = \"Nowhere/Land\"\npermalink = \"/:slog/\"\n",
            "content/posts/a.md": post("A"),
        ])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "site.toml:2:1: error: ", mentioning: ["Nowhere/Land"])
        Self.expectDiagnostic(errors, "site.toml:3:1: error: ", mentioning: ["slog"])
    }

    @Test func siteTomlBrokenAfterAGoodBuildIsReportedAtItsLine() throws {
        // The incremental build looks at the posts' settings before the builder looks at site.toml's errors.
        let site = try TestSite(["content/posts/a.md": post("A")])
        try site.build()
        try site.write("site.toml", "title = \"T\"\nbogus = [\n")
        var errors: String?
        do { try site.build() } catch { errors = error.description }
        Self.expectDiagnostic(errors, "site.toml:2:11: error: invalid TOML")
        #expect(errors?.contains("internal error") == false)
    }

    // MARK: Many problems at once

    @Test func everyBrokenFileIsReportedInOneFailure() throws {
        let site = try TestSite([
            "content/posts/good.md": post("Good"),
            "content/posts/no-title.md": "---\ndate: 2024-01-02\n---\nBody\n",
            "content/posts/bad-date.md": "---\ntitle: Bad date\ndate: 2024-02-31\n---\nBody\n",
            "content/posts/unclosed.md": "---\ntitle: Unclosed\n",
            "content/posts/no-front.md": "Plain text\n",
            "content/about.md": "+++\ntitle = \"About\nweight = 1\n+++\nBody\n",
            "templates/post.mustache": "{{#post}}{{title}}{{/post}}\n{{> missing/partial}}\n",
        ])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "content/posts/no-title.md:1:1: error: ")
        Self.expectDiagnostic(errors, "content/posts/bad-date.md:3:1: error: ")
        Self.expectDiagnostic(errors, "content/posts/unclosed.md:1:1: error: ")
        Self.expectDiagnostic(errors, "content/posts/no-front.md:1:1: error: ")
        Self.expectDiagnostic(errors, "content/about.md:2:")
        Self.expectDiagnostic(errors, "templates/post.mustache:2:1: error: ")
        #expect(Self.errorCount(errors) == 6)
        #expect(errors?.contains("build failed with 6 errors") == true)
        #expect(errors?.contains("good.md") == false)
    }

    @Test func nonUTF8FileDoesNotHideOtherFilesErrors() throws {
        let site = try TestSite(["content/posts/no-title.md": "---\ndate: 2024-01-02\n---\nBody\n"])
        try site.write("content/posts/latin.md", Data(Array("---\ntitle: Caf".utf8) + [0xE9] + Array("\n---\n".utf8)))
        let errors = site.errors()
        Self.expectDiagnostic(errors, "content/posts/latin.md:2:11: error: ", mentioning: ["UTF-8"])
        Self.expectDiagnostic(errors, "content/posts/no-title.md:1:1: error: ", mentioning: ["title"])
    }

    @Test func errorsOfOneFileAreAllReported() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: \"\"\ndate: someday\ndraft: maybe\n---\nBody\n",
        ])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "content/posts/a.md:2:1: error: ", mentioning: ["title"])
        Self.expectDiagnostic(errors, "content/posts/a.md:3:1: error: ", mentioning: ["date"])
        Self.expectDiagnostic(errors, "content/posts/a.md:4:1: error: ", mentioning: ["draft"])
    }

    // MARK: The output folder after a failure

    @Test func failedBuildLeavesEarlierOutputUntouched() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", tags: ["x"]),
            "content/posts/b.md": post("B", date: "2024-01-03 10:00"),
        ])
        try site.build()
        let before = site.files()
        #expect(before["2024/01/02/a/index.html"] != nil)
        #expect(before.count > 10)

        try site.write("content/posts/b.md", "---\ntitle: [broken\n---\nBody\n")
        try site.write("content/posts/c.md", post("C, new"))
        #expect(throws: BuildFailure.self) { try site.build() }
        #expect(site.files() == before)
    }

    @Test func outputClashLeavesEarlierOutputUntouched() throws {
        // This failure is found only after rendering, late in the build.
        let site = try TestSite(["content/posts/a.md": post("A")])
        try site.build()
        let before = site.files()
        try site.write("content/posts/b.md", post("B", date: "2024-01-02 11:00", extra: "slug: a\n"))
        #expect(throws: BuildFailure.self) { try site.build() }
        #expect(site.files() == before)
    }

    @Test func templateErrorLeavesEarlierOutputUntouched() throws {
        let site = try TestSite(["content/posts/a.md": post("A")])
        try site.build()
        let before = site.files()
        try site.write("templates/index.mustache", "{{#posts}}oops\n")
        #expect(throws: BuildFailure.self) { try site.build() }
        #expect(site.files() == before)
    }

    @Test func aStaticFileWhereTheSiteNeedsAFolderIsNamed() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig,
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["x"]),
            "static/tags": "not a folder",
        ])
        Self.expectDiagnostic(site.errors(), "static/tags: error: writes the file tags, where ", mentioning: ["tags/"])
    }

    @Test func slugsTagsAndPermalinksNeverLeadOutOfTheOutputFolder() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\nslug: ../../evil\ntags: [\"/etc\", \"a/../../b\"]\n---\nA\n",
            "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-03\npermalink: /../../../escaped/:slug/\n---\nB\n",
            "content/about.md": "---\ntitle: P\npermalink: /../../page-escaped.html\n---\nP\n",
        ])
        let errors = site.errors()
        Self.expectDiagnostic(errors, "content/posts/b.md:4:1: error: permalink \"/../../../escaped/:slug/\" climbs out")
        Self.expectDiagnostic(errors, "content/about.md:3:1: error: permalink \"/../../page-escaped.html\" climbs out")
        #expect(Self.errorCount(errors) == 2)
        // The slug and the tags are made of their letters: every output stays inside the folder.
        try site.remove("content/posts/b.md")
        try site.remove("content/about.md")
        try site.build()
        let files = site.files()
        #expect(files["2024/01/02/evil/index.html"] != nil)
        #expect(files["tags/etc/index.html"] != nil && files["tags/a-b/index.html"] != nil)
        let outside = (try FileManager.default.contentsOfDirectory(atPath: site.root.path)).sorted()
        #expect(outside == [".public.quill", ".quill", "content", "public", "published-urls.txt", "site.toml"].sorted()
            || outside == [".quill", "content", "public", "published-urls.txt", "site.toml"], "\(outside)")
    }

    @Test func aSitePermalinkThatClimbsIsReportedAtItsLine() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\npermalink = \"/../:slug/\"\n",
            "content/posts/a.md": post("A"),
        ])
        Self.expectDiagnostic(site.errors(), "site.toml:6:1: error: `permalink` climbs out of the site")
    }

    @Test func aSlugTooLongForAFileNameIsNamed() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig,
            "content/posts/long.md": "---\ntitle: Long\ndate: 2024-01-02\nslug: \(String(repeating: "a", count: 300))\n---\nBody.\n",
        ])
        Self.expectDiagnostic(site.errors(), "content/posts/long.md:1:1: error: makes the file or folder name ",
                              mentioning: ["300 bytes", "255"])
    }

    @Test func yamlAliasesThatExpandToBillionsAreRefusedAtTheirLine() throws {
        var yaml = "---\ntitle: Bomb\ndate: 2024-01-01\na: &a [\(Array(repeating: "\"lol\"", count: 9).joined(separator: ","))]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            yaml += "\(name): &\(name) [\(Array(repeating: "*\(previous)", count: 9).joined(separator: ","))]\n"
        }
        let site = try TestSite(["site.toml": TestSite.basicConfig, "content/posts/bomb.md": yaml + "---\nBody.\n"])
        Self.expectDiagnostic(site.errors(), "content/posts/bomb.md:9:1: error: front matter holds over 100000 values")
    }

    @Test func symlinksAreFollowedOnlyInsideTheSiteAndNeverInCircles() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("quill-outside-\(UUID().uuidString).md")
        try post("Secret", date: "2024-01-05 10:00").write(to: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }
        let site = try TestSite([
            "site.toml": TestSite.basicConfig,
            "content/posts/a.md": post("Real", date: "2024-01-01 10:00"),
            "notes/inside.md": post("Inside", date: "2024-01-02 10:00"),
        ])
        let fm = FileManager.default
        let posts = site.root.appendingPathComponent("content/posts").path
        try fm.createSymbolicLink(atPath: posts + "/outside.md", withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: posts + "/inside.md", withDestinationPath: "../../notes/inside.md")
        try fm.createSymbolicLink(atPath: posts + "/circle", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: posts + "/dangling.md", withDestinationPath: "nowhere.md")
        let pages = try site.render()
        #expect(pages["2024/01/01/a/index.html"] != nil)
        #expect(pages["2024/01/02/inside/index.html"] != nil, "a symlink to a file of the site is followed")
        #expect(!pages.values.contains { $0.contains("Secret") }, "a symlink out of the site is not")
    }
}
