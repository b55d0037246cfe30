import Foundation
import Testing
@testable import QuillCore

/// Front matter in YAML (`---`) and TOML (`+++`), file names, bundles, tags, authors and pages.
@Suite struct FrontMatterTests {
    /// A site-local `post` template that prints every field a post's front matter can set, on one line.
    static let dumpTemplate = "{{#post}}title={{title}}|date={{date.iso}}|slug={{slug}}|url={{url}}"
        + "|author={{author.name}}|tags={{#tags}}{{name}},{{/tags}}|draft={{#isDraft}}yes{{/isDraft}}"
        + "{{^isDraft}}no{{/isDraft}}|summary={{{summary}}}|description={{description}}"
        + "|mood={{params.mood}}|rating={{params.rating}}|home={{params.links.home}}{{/post}}"

    static let yamlPost = """
        ---
        title: "Mourning Sun"
        date: 2010-01-30 19:51:52
        tags: [Hudson, Python]
        author: R. Tyler
        draft: false
        slug: sun
        summary: "A *short* summary."
        description: "About the sun."
        mood: melancholy
        rating: 4
        links:
          home: "https://example.org/home"
        ---

        First paragraph of the body.

        Second paragraph.

        """

    static let tomlPost = """
        +++
        title = "Mourning Sun"
        date = 2010-01-30T19:51:52
        tags = ["Hudson", "Python"]
        author = "R. Tyler"
        draft = false
        slug = "sun"
        summary = "A *short* summary."
        description = "About the sun."
        mood = "melancholy"
        rating = 4

        [links]
        home = "https://example.org/home"
        +++

        First paragraph of the body.

        Second paragraph.

        """

    static let expectedDump = "title=Mourning Sun|date=2010-01-30T19:51:52Z|slug=sun|url=/2010/01/30/sun/"
        + "|author=R. Tyler|tags=Hudson,Python,|draft=no|summary=<p>A <em>short</em> summary.</p>"
        + "|description=About the sun.|mood=melancholy|rating=4|home=https://example.org/home"

    /// The post page's text with newlines removed, so the one-line dump can be compared whole.
    static func flat(_ text: String?) -> String? {
        text.map { $0.replacingOccurrences(of: "\n", with: "") }
    }

    @Test func yamlFrontMatterSetsEveryField() throws {
        let site = try TestSite([
            "content/posts/mourning-sun.md": Self.yamlPost, "templates/post.mustache": Self.dumpTemplate,
        ])
        let out = try site.render()
        #expect(Self.flat(out["2010/01/30/sun/index.html"]) == Self.expectedDump)
    }

    @Test func tomlFrontMatterSetsEveryField() throws {
        let site = try TestSite([
            "content/posts/mourning-sun.md": Self.tomlPost, "templates/post.mustache": Self.dumpTemplate,
        ])
        let out = try site.render()
        #expect(Self.flat(out["2010/01/30/sun/index.html"]) == Self.expectedDump)
    }

    @Test func yamlAndTomlFrontMatterBuildIdenticalSites() throws {
        let yaml = try TestSite(["content/posts/mourning-sun.md": Self.yamlPost]).render()
        let toml = try TestSite(["content/posts/mourning-sun.md": Self.tomlPost]).render()
        #expect(yaml.keys.sorted() == toml.keys.sorted())
        for (path, text) in yaml {
            #expect(toml[path] == text, "\(path) differs between the YAML and the TOML post")
        }
        #expect(yaml["2010/01/30/sun/index.html"] != nil)
        #expect(yaml["tags/hudson/index.html"] != nil)
        #expect(yaml["authors/r-tyler/index.html"] != nil)
    }

    @Test(arguments: [
        "---\ntitle: Draft\ndate: 2024-01-02\ndraft: true\n---\nBody\n",
        "+++\ntitle = \"Draft\"\ndate = 2024-01-02\ndraft = true\n+++\nBody\n",
    ])
    func draftFlagIsReadFromEitherSyntax(_ text: String) throws {
        let site = try TestSite(["content/posts/draft.md": text])
        #expect(try site.render()["2024/01/02/draft/index.html"] == nil)
        #expect(try site.render { $0.includeDrafts = true }["2024/01/02/draft/index.html"] != nil)
    }

    @Test func aKeyOneSlipFromAFieldIsAWarningAtItsLineWithTheField() throws {
        let site = try TestSite([
            "content/posts/2024-01-02-a.md": "---\ntitle: A\ntag: [swift]\nautor: Ann\ndat: 2024-01-02\nmood: happy\n---\nBody\n",
        ])
        let report = try site.build()
        let lines = report.warnings.map(\.description)
        for (line, key, field) in [(3, "tag", "tags"), (4, "autor", "author"), (5, "dat", "date")] {
            #expect(lines.contains { $0.hasPrefix("content/posts/2024-01-02-a.md:\(line):1: warning: `\(key)` is not a field")
                && $0.contains("did you mean \(field)?") }, "\(lines)")
        }
        #expect(!lines.contains { $0.contains("`mood`") })  // far from every field: a param, said nothing of
    }

    @Test func aMissingTitleWithTitelSaysSo() throws {
        let site = try TestSite(["content/posts/2024-01-02-a.md": "---\ndate: 2024-01-02\ntitel: A\n---\nBody\n"])
        let errors = try #require(site.errors())
        #expect(errors.contains("content/posts/2024-01-02-a.md:3:1: error: missing title: `titel` is not `title`"))
        #expect(errors.contains("did you mean title?"))
    }

    @Test func unknownYamlKeyReachesSiteTemplateAsParam() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", extra: "mood: happy\n"),
            "templates/post.mustache": "{{#post}}{{title}}|{{params.mood}}{{/post}}",
        ])
        let out = try site.render()
        #expect(out["2024/01/02/a/index.html"] == "A|happy")
    }

    @Test func unknownTomlKeyReachesSiteTemplateAsParam() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-02\nmood = \"grumpy\"\n+++\nBody\n",
            "templates/post.mustache": "{{#post}}{{title}}|{{params.mood}}{{/post}}",
        ])
        #expect(try site.render()["2024/01/02/a/index.html"] == "A|grumpy")
    }

    @Test func knownKeysAreNotCopiedIntoParams() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", tags: ["x"], extra: "slug: a\nauthor: Bob\n"),
            "templates/post.mustache": "{{#post}}[{{params.title}}{{params.slug}}{{params.author}}{{params.tags}}]{{/post}}",
        ])
        #expect(try site.render()["2024/01/02/a/index.html"] == "[]")
    }

    @Test func authorDefaultsToSiteAuthor() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "content/posts/b.md": post("B", extra: "author: Bob Writer\n"),
            "templates/post.mustache": "{{#post}}{{author.name}}{{/post}}",
        ])
        let out = try site.render()
        #expect(out["2024/01/02/a/index.html"] == "Ann Author")
        #expect(out["2024/01/02/b/index.html"] == "Bob Writer")
        #expect(out["authors/ann-author/index.html"] != nil)
        #expect(out["authors/bob-writer/index.html"] != nil)
    }

    @Test func authorDefaultComesFromSiteTomlNotAConstant() throws {
        let site = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://x.example/\"\nauthor = \"Zed Zebra\"\n",
            "content/posts/a.md": post("A"),
        ])
        let out = try site.render()
        #expect(out["authors/zed-zebra/index.html"] != nil)
        #expect(try #require(out["feed.xml"]).contains("<dc:creator>Zed Zebra</dc:creator>"))
    }

    @Test func jekyllFileNameSuppliesDateAndSlug() throws {
        let site = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://x.example/\"\ntime_zone = \"America/Los_Angeles\"\n",
            "content/posts/2010-01-30-mourning-sun.md": "---\ntitle: Something Else Entirely\n---\nBody\n",
            "templates/post.mustache": "{{#post}}{{slug}} {{date.iso}}{{/post}}",
        ])
        let out = try site.render()
        // Midnight in the site's zone.
        #expect(out["2010/01/30/mourning-sun/index.html"] == "mourning-sun 2010-01-30T00:00:00-08:00")
    }

    @Test func frontMatterSlugWinsOverFileName() throws {
        let site = try TestSite([
            "content/posts/2010-01-30-mourning-sun.md": "---\ntitle: Sun\nslug: bright-star\n---\nBody\n",
        ])
        let out = try site.render()
        #expect(out["2010/01/30/bright-star/index.html"] != nil)
        #expect(out.keys.allSatisfy { !$0.contains("mourning-sun") })
    }

    @Test func frontMatterDateWinsOverFileName() throws {
        let site = try TestSite([
            "content/posts/2010-01-30-mourning-sun.md": "---\ntitle: Sun\ndate: 2011-05-06 07:08\n---\nBody\n",
        ])
        let out = try site.render()
        #expect(out["2011/05/06/mourning-sun/index.html"] != nil)
        #expect(out["2010/01/30/mourning-sun/index.html"] == nil)
    }

    @Test func bundleIndexTakesItsFolderNameAsSlug() throws {
        let site = try TestSite([
            "content/posts/my-trip/index.md": post("Not The Folder Name"),
        ])
        let out = try site.render()
        #expect(out["2024/01/02/my-trip/index.html"] != nil)
        #expect(out.keys.filter { !$0.hasPrefix("search/index/") }.allSatisfy {
            !$0.contains("/index/") && !$0.contains("not-the-folder-name")
        })
    }

    @Test func tagsMayBeASingleStringInYaml() throws {
        let site = try TestSite([
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\ntags: swift\n---\nBody\n",
            "templates/post.mustache": "{{#post}}{{#tags}}[{{name}}]{{/tags}}{{/post}}",
        ])
        let out = try site.render()
        #expect(out["2024/01/02/a/index.html"] == "[swift]")
        #expect(out["tags/swift/index.html"] != nil)
    }

    @Test func tagsMayBeASingleStringInToml() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-02\ntags = \"Server Side\"\n+++\nBody\n",
            "templates/post.mustache": "{{#post}}{{#tags}}[{{name}}]{{/tags}}{{/post}}",
        ])
        let out = try site.render()
        #expect(out["2024/01/02/a/index.html"] == "[Server Side]")
        #expect(out["tags/server-side/index.html"] != nil)
    }

    @Test func duplicateTagsInOnePostCollapse() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", tags: ["Swift", "swift", "Swift", " Swift ", "SWIFT"]),
            "templates/post.mustache": "{{#post}}{{#tags}}[{{name}}]{{/tags}}{{/post}}",
            "templates/tags.mustache": "{{#tags}}{{slug}}={{count}};{{/tags}}",
            "templates/tag.mustache": "{{tag.count}}:{{#posts}}{{title}};{{/posts}}",
        ])
        let out = try site.render()
        #expect(out["2024/01/02/a/index.html"] == "[Swift]")
        #expect(out["tags/index.html"] == "swift=1;")
        #expect(out["tags/swift/index.html"] == "1:A;")
        let rss = try #require(out["feed.xml"])
        #expect(rss.components(separatedBy: "<category>").count - 1 == 1)
    }

    @Test func pageRendersAtItsOwnFolder() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "content/about.md": "---\ntitle: About Me\n---\nI write things.\n",
        ])
        let out = try site.render()
        let about = try #require(out["about/index.html"])
        #expect(about.contains("<h1 class=\"post-title\">About Me</h1>"))
        #expect(about.contains("<p>I write things.</p>"))
        #expect(out["about.html"] == nil)
        // Pages are in the menu, not among the posts.
        #expect(try #require(out["index.html"]).contains("<a href=\"/about/\">About Me</a>"))
        #expect(!(try #require(out["feed.xml"])).contains("About Me"))
    }

    @Test func pageMayUseTomlFrontMatter() throws {
        let site = try TestSite([
            "content/colophon.md": "+++\ntitle = \"Colophon\"\n+++\nSet in type.\n",
        ])
        let out = try site.render()
        #expect(try #require(out["colophon/index.html"]).contains("<h1 class=\"post-title\">Colophon</h1>"))
    }

    @Test func summaryFrontMatterReplacesTheFirstParagraph() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", extra: "summary: \"Just the *gist*.\"\n",
                                       body: "Opening paragraph.\n\nMore words."),
            "templates/index.mustache": "{{#posts}}{{{summary}}}|{{#hasMore}}more{{/hasMore}}{{/posts}}",
        ])
        let index = try #require(try site.render()["index.html"])
        #expect(index.contains("<p>Just the <em>gist</em>.</p>"))
        #expect(!index.contains("Opening paragraph"))
        #expect(index.hasSuffix("|more"))
    }

    @Test func descriptionFrontMatterBecomesThePageDescription() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", extra: "description: \"A page about A.\"\n", body: "Unrelated body."),
        ])
        let page = try #require(try site.render()["2024/01/02/a/index.html"])
        #expect(page.contains("<meta name=\"description\" content=\"A page about A.\">"))
    }

    @Test func descriptionDefaultsToTheSummaryText() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", body: "The *first* paragraph.\n\nThe second."),
        ])
        let page = try #require(try site.render()["2024/01/02/a/index.html"])
        #expect(page.contains("<meta name=\"description\" content=\"The first paragraph.\">"))
    }

    @Test func yamlScalarsAreTypedAsYAML11TypesThem() throws {
        let text = """
            ---
            a: true
            b: Off
            c: 42
            d: -1.5
            e: "true"
            f: '7'
            g: 10 things
            h: Yesterday
            i: ~
            j: .inf
            k: Python
            ---
            Body.
            """
        let front = try FrontMatter.parse(text, file: "content/posts/x.md")
        // As written, for text: every plain scalar is its text (null is "").
        #expect(front.fields["a"] == .string("true") && front.fields["b"] == .string("Off"))
        #expect(front.fields["c"] == .string("42") && front.fields["j"] == .string(".inf"))
        #expect(front.fields["i"] == .string(""))
        // Typed, for flags, numbers and params.
        let fields = front.typed
        #expect(fields["a"] == .bool(true))
        #expect(fields["b"] == .bool(false))
        #expect(fields["c"] == .int(42))
        #expect(fields["d"] == .double(-1.5))
        #expect(fields["e"] == .string("true"), "quoted: a string")
        #expect(fields["f"] == .string("7"))
        #expect(fields["g"] == .string("10 things"))
        #expect(fields["h"] == .string("Yesterday"))
        #expect(fields["i"] == .string(""))
        #expect(fields["j"] == .double(.infinity))
        #expect(fields["k"] == .string("Python"))
    }

    @Test func windowsAndOldMacLineEndingsReadAsUnixOnes() throws {
        let unix = "---\ntitle: Line ends\ndate: 2024-01-01\ntags: [a]\n---\nFirst paragraph.\n\nSecond.\n"
        var rendered = [String]()
        for ending in ["\n", "\r\n", "\r"] {
            let site = try TestSite(["site.toml": TestSite.basicConfig,
                                     "content/posts/p.md": unix.replacingOccurrences(of: "\n", with: ending)])
            let files = try site.render()
            let page = try #require(files["2024/01/01/p/index.html"], "\(ending.debugDescription): \(files.keys.sorted())")
            rendered.append(page)
        }
        #expect(rendered.allSatisfy { $0 == rendered[0] })
        #expect(rendered[0].contains("<p>Second.</p>"))
        // Line numbers stay those of the file.
        let broken = "---\r\ntitle: X\r\ndate: never\r\n---\r\nBody\r\n"
        let site = try TestSite(["site.toml": TestSite.basicConfig, "content/posts/b.md": broken])
        #expect(site.errors()?.hasPrefix("content/posts/b.md:3:") == true, "\(site.errors() ?? "")")
    }
}

/// An author written as a table, as WordPress exports write it, is read by its name.
@Suite struct AuthorTableTests {
    @Test func authorTableWithANameIsThatAuthor() throws {
        let out = try TestSite([
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\nauthor: {name: Wendy Press, email: w@p.org}\n---\nB\n",
        ]).render()
        #expect(out["authors/wendy-press/index.html"]?.contains("Wendy Press") == true)
        #expect(out["2024/01/02/a/index.html"]?.contains("<meta name=\"author\" content=\"Wendy Press\">") == true)
    }
}

/// YAML 1.1 reads `no` as false and `1.10` as 1.1; a title, a tag or an author is text, read as written.
@Suite struct YAMLAsWrittenTests {
    @Test func textFieldsAreReadAsWrittenAndFlagsAsYAMLTypesThem() throws {
        let out = try TestSite([
            "content/posts/a.md": "---\ntitle: no\ndate: 2024-01-02\ntags: [1.10, yes, Off, 010]\nauthor: on\n"
                + "draft: yes\nmood: no\n---\nBody\n",
            "templates/post.mustache": "{{#post}}{{title}}|{{#tags}}{{name}},{{/tags}}|{{author.name}}|"
                + "{{params.mood}}|{{isDraft}}{{/post}}",
        ]).render { $0.includeDrafts = true }
        #expect(out["2024/01/02/a/index.html"] == "no|1.10,yes,Off,010,|on|false|true")
        #expect(out["tags/1-10/index.html"] != nil)
    }
}
