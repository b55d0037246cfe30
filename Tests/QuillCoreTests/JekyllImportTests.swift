import Foundation
import Testing
@testable import QuillCore

/// `quill import jekyll`: fixture Jekyll sites imported and built; every URL they had is a page of the new site.
@Suite struct JekyllImportTests {
    /// Imports `fixture` into a fresh test site (its `site.toml` the import's).
    func imported(_ fixture: JekyllFixture, permalink: String? = nil, categoriesAsTags: Bool = false) throws
        -> (TestSite, ImportReport) {
        let source = JekyllSource(files: fixture.files.mapValues { Data($0.utf8) },
                                  modified: fixture.files.mapValues { _ in Date(timeIntervalSince1970: 1_262_304_000) })
        let result = JekyllImporter(newPermalink: permalink, categoriesAsTags: categoriesAsTags).convert(source)
        let site = try TestSite(result.files.mapValues { String(decoding: $0, as: UTF8.self) })
        return (site, result.report)
    }

    @Test(arguments: JekyllFixture.all.map(\.name))
    func everyURLOfTheJekyllSiteIsAPageOfTheImportedSite(_ name: String) throws {
        let fixture = try #require(JekyllFixture.all.first { $0.name == name })
        let (site, _) = try imported(fixture)
        let out = try site.render()
        for file in fixture.jekyllOutputs { #expect(out[file] != nil, "\(name): no \(file)") }
    }

    @Test func aNewPermalinkPatternRedirectsEveryOldURL() throws {
        let (site, report) = try imported(.handWritten, permalink: "/:year/:slug/")
        let out = try site.render()
        #expect(report.redirects == 5)  // the four posts Jekyll moves and the draft
        #expect(out["2010/hello-world/index.html"]?.contains("First paragraph") == true)
        #expect(out["news/tech/2010/01/05/hello-world.html"]?.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=https://old.example.org/2010/hello-world/\">") == true)
        #expect(out["blog/life/2011/03/04/Mixed_Case.html"]?.contains("url=https://old.example.org/2011/mixed-case/\"") == true)
        #expect(out["big ideas/c++/2010/03/01/ideas.html"]?.contains("url=https://old.example.org/2010/ideas/\"") == true)
        #expect(out["custom/own-page/index.html"]?.contains("Hi") == true)  // its own permalink is kept
        #expect(out["2010/hello-world/index.html"]?.contains("href=\"/2010/second/\"") == true)  // post_url follows
    }

    @Test func theHandWrittenBlogsReportIsExact() throws {
        let (site, report) = try imported(.handWritten)
        #expect(report.description == """
            imported 5 posts, 1 drafts, 1 pages, 1 static files
            Liquid converted: 1 highlight, 1 raw, 1 site URL, 1 post_url, 1 link
            URLs: permalink "/:categories/:year/:month/:day/:title:output_ext"; 1 with their own permalink, 0 redirected from their old URL
            not imported:
              index.html: the home page; Quill makes its own
              _includes/ (1 file): Jekyll's own folder; Quill's templates are Mustache themes
              _layouts/ (1 file): Jekyll's own folder; Quill's templates are Mustache themes
            left for you:
              content/posts/2010-01-05-hello-world.md:15: {% include note.html %}
            """)
        let text = try String(contentsOf: site.root.appendingPathComponent("content/posts/2010-01-05-hello-world.md"), encoding: .utf8)
        #expect(text == """
            ---
            layout: post
            title: Hello World
            categories: ["news", "tech"]
            tags: ["intro", "misc"]
            ---
            First paragraph https://old.example.org/about.html.

            <!--more-->

            ```ruby
            puts "hi"
            ```

            See [next](/2010/02/01/second.html), [about](/about.html) and {% include note.html %}.

            """)
        let toml = try String(contentsOf: site.root.appendingPathComponent("site.toml"), encoding: .utf8)
        #expect(toml == """
            title = "Old Blog"
            description = "An old blog"
            base_url = "https://old.example.org/"
            author = "Ann"
            time_zone = "America/Los_Angeles"
            permalink = "/:categories/:year/:month/:day/:title:output_ext"

            """)
        let out = try site.render { $0.includeDrafts = true }
        #expect(out["2009/12/31/idea.html"] != nil)  // the draft, dated by its file (2010-01-01 UTC, in Los Angeles)
        #expect(out["2010/02/01/second.html"]?.contains("Body {{ not liquid }}.") == true)
        #expect(out["index.html"]?.contains("href=\"/big%20ideas/c++/2010/03/01/ideas.html\"") == true)
    }

    @Test func theWordPressBlogKeepsItsHTMLAndOddFrontMatter() throws {
        let (site, report) = try imported(.wordPress)
        #expect(report.description == """
            imported 2 posts, 0 drafts, 1 pages, 1 static files
            Liquid converted: 0 highlight, 0 raw, 1 site URL, 0 post_url, 0 link
            URLs: permalink "/:year/:month/:title/"; 0 with their own permalink, 0 redirected from their old URL
            HTML updated: 1 <center> → <div style="text-align: center">
            """)
        let out = try site.render()
        let page = try #require(out["2009/07/the-first-post/index.html"])
        #expect(page.contains("<p>Welcome to <a href=\"/blog/about/\">my blog</a>.</p>\n\n"
            + "<div style=\"text-align: center\"><img src=\"/wp-content/uploads/2009/07/beach.jpg\" alt=\"Beach\" width=\"300\" /></div>"))
        #expect(out["index.html"]?.contains("<p>Welcome to <a href=\"/blog/about/\">my blog</a>.</p>") == true)
        #expect(out["index.html"]?.contains("<center>") == false)
        #expect(out["2009/08/unpublished/index.html"] == nil)  // published: false → draft
        #expect(out["tags/uncategorized/index.html"] == nil)  // categories are not tags
        let toml = try String(contentsOf: site.root.appendingPathComponent("site.toml"), encoding: .utf8)
        #expect(toml == """
            title = "Words & Press"
            base_url = "https://wp.example.org/blog/"
            posts_per_page = 4
            permalink = "/:year/:month/:title/"

            """)
    }

    @Test func categoriesAsTagsGiveAWordPressBlogTagPages() throws {
        let (site, report) = try imported(.wordPress, categoriesAsTags: true)
        #expect(report.categoriesAsTags == 1)
        #expect(report.description.contains("\nCategories added to the tags of 1 posts\n"))
        let text = try String(contentsOf: site.root.appendingPathComponent("content/posts/2009-07-14-the-first-post.html"),
                              encoding: .utf8)
        #expect(text.hasPrefix("""
            ---
            layout: post
            title: The first post
            date: 2009-07-14 09:12:44.000000000 +02:00
            type: post
            published: true
            status: publish
            categories:
            - Uncategorized
            - Travel Notes
            meta:
            """))
        #expect(text.contains("\nwordpress_id: 7\ntags: [\"Uncategorized\", \"Travel Notes\"]\n---\n"))
        let out = try site.render()
        #expect(out["tags/uncategorized/index.html"]?.contains("The first post") == true)
        #expect(out["tags/travel-notes/index.html"]?.contains("The first post") == true)
        #expect(out["2009/07/the-first-post/index.html"] != nil)  // the URL stays
    }

    @Test func categoriesJoinTheTagsOnceEachAndOnlyWhenAskedFor() throws {
        let post = "---\ntitle: A\ntags: travel misc\ncategories: [Travel, News, \"!!!\"]\n---\nA\n"
        let files = ["_config.yml": "title: T\n", "news/_posts/2010-01-01-a.md": post]
        let source = JekyllSource(files: files.mapValues { Data($0.utf8) })
        let asked = JekyllImporter(categoriesAsTags: true).convert(source)
        #expect(String(decoding: try #require(asked.files["content/posts/news/2010-01-01-a.md"]), as: UTF8.self) == """
            ---
            title: A
            categories: ["news", "Travel", "News", "!!!"]
            tags: ["travel", "misc", "news"]
            ---
            A

            """)
        let plain = JekyllImporter().convert(source)
        #expect(String(decoding: try #require(plain.files["content/posts/news/2010-01-01-a.md"]), as: UTF8.self) == """
            ---
            title: A
            categories: ["news", "Travel", "News", "!!!"]
            tags: ["travel", "misc"]
            ---
            A

            """)
        #expect(plain.report.categoriesAsTags == 0)
    }

    @Test func obsoleteCenterBecomesADivAndImagesWithoutAltAreListedAtTheirLine() throws {
        let post = """
            ---
            title: Old
            ---
            <CENTER class="wide"><img src="/a.jpg"></center>
            <p>Text</p>
            <img alt="B" src="/b.jpg"><img src="/c.jpg" />

            """
        let result = JekyllImporter().convert(JekyllSource(files: ["_posts/2009-07-14-old.html": Data(post.utf8)]))
        #expect(String(decoding: try #require(result.files["content/posts/2009-07-14-old.html"]), as: UTF8.self) == """
            ---
            title: Old
            ---
            <div style="text-align: center" class="wide"><img src="/a.jpg"></div>
            <p>Text</p>
            <img alt="B" src="/b.jpg"><img src="/c.jpg" />

            """)
        #expect(result.report.centers == 1)
        #expect(result.report.leftForAuthor == [
            "site.toml:1: no _config.yml; set title and base_url",
            "content/posts/2009-07-14-old.html:4: <img> without alt; add alt=\"what it shows\" (alt=\"\" if it is decoration)",
            "content/posts/2009-07-14-old.html:6: <img> without alt; add alt=\"what it shows\" (alt=\"\" if it is decoration)",
        ])
    }

    @Test func centerInAMarkdownPostIsLeftAsWritten() throws {
        let post = "---\ntitle: Md\n---\n```html\n<center>x</center>\n```\n"
        let result = JekyllImporter().convert(JekyllSource(files: ["_posts/2009-07-14-md.md": Data(post.utf8)]))
        #expect(String(decoding: try #require(result.files["content/posts/2009-07-14-md.md"]), as: UTF8.self) == post)
        #expect(result.report.centers == 0)
    }

    @Test func theDrupalBlogKeepsNodeURLsAndBreakSummaries() throws {
        let (site, report) = try imported(.drupal)
        #expect(report.description == """
            imported 3 posts, 0 drafts, 0 pages, 0 static files
            Liquid converted: 0 highlight, 0 raw, 0 site URL, 0 post_url, 0 link
            URLs: permalink "/blog/:year/:i_month/:title.html"; 0 with their own permalink, 0 redirected from their old URL
            not imported:
              _includes/ (1 file): Jekyll's own folder; Quill's templates are Mustache themes
            left for you:
              content/posts/2008-03-09-a-node.md:10: {% include sidebar.html %}
            """)
        let out = try site.render()
        let home = try #require(out["index.html"])
        #expect(home.contains("<p>Teaser text.</p>\n"))
        #expect(!home.contains("The rest"))
        #expect(home.contains("<p>Short.</p>\n"))
    }

    @Test func jekyllPaginateHomePagesKeepTheirOldURLsAsRedirects() throws {
        let (site, report) = try imported(.paginated)
        #expect(report.description == """
            imported 5 posts, 0 drafts, 0 pages, 0 static files
            Liquid converted: 0 highlight, 0 raw, 0 site URL, 0 post_url, 0 link
            URLs: permalink "/:categories/:year/:month/:day/:title/"; 0 with their own permalink, 0 redirected from their old URL
            Pages 2, 3 … of the home page: redirected from "/page:num/" ([pagination] aliases)
            not imported:
              index.html: the home page; Quill makes its own
            """)
        let toml = try String(contentsOf: site.root.appendingPathComponent("site.toml"), encoding: .utf8)
        #expect(toml == """
            title = "Paged"
            base_url = "https://paged.example.org/"
            posts_per_page = 2
            permalink = "/:categories/:year/:month/:day/:title/"

            [pagination]
            aliases = "/page:num/"

            """)
        let out = try site.render()
        #expect(out["page2/index.html"]?.contains("url=https://paged.example.org/page/2/\"") == true)
        #expect(out["page3/index.html"]?.contains("url=https://paged.example.org/page/3/\"") == true)
        #expect(out["page4/index.html"] == nil)
        #expect(out["page/3/index.html"]?.contains("href=\"/2015/01/01/one/\"") == true)
    }

    @Test func oldPageURLsFollowJekyllPaginatesPathAndNeedItsIndexTemplate() {
        let index = "---\n---\n{{ paginator.posts }}\n"
        func path(_ config: [String: Any], _ files: [String: String]) -> String? {
            JekyllRules.paginatePath(config) { files[$0].map { JekyllImporter.hasFrontMatter(Data($0.utf8)) } ?? false }
        }
        #expect(path(["paginate": 5], ["index.html": index]) == "/page:num/")
        #expect(path(["paginate": 5, "paginate_path": "blog/page:num"], ["blog/index.html": index]) == "/blog/page:num")
        #expect(path(["paginate": 5, "paginate_path": "/blog/p/:num/"], ["index.html": index]) == "/blog/p/:num/")
        #expect(path(["paginate": 5, "paginate_path": "/blog/page:num/"], ["other/index.html": index]) == nil)
        #expect(path(["paginate": 5], ["index.md": index]) == nil)  // the template must be index.html
        #expect(path(["paginate": 5], ["index.html": "<p>no front matter</p>\n"]) == nil)
        #expect(path(["paginate_path": "/page:num/"], ["index.html": index]) == nil)
        #expect(path(["paginate": 5, "paginate_path": "/page/"], ["index.html": index]) == nil)
    }

    @Test func configDefaultsAreWrittenIntoTheFrontMatterTheyCoverAndFrontMatterWins() throws {
        let (site, report) = try imported(.withDefaults)
        #expect(report.description == """
            imported 3 posts, 0 drafts, 2 pages, 0 static files
            Liquid converted: 0 highlight, 0 raw, 0 site URL, 0 post_url, 0 link
            URLs: permalink "/:categories/:year/:title/"; 0 with their own permalink, 0 redirected from their old URL
            Front matter defaults (_config.yml): written into 5 posts and pages
            """)
        func text(_ path: String) throws -> String {
            try String(contentsOf: site.root.appendingPathComponent(path), encoding: .utf8)
        }
        // The typed set beats the untyped one of the same path (layout), tables merge (meta), the longer path wins
        // (category, permalink), and a glob covers the file it names (tags).
        #expect(try text("content/posts/travel/2014-02-01-rome.md") == """
            ---
            title: Rome
            author: Ann
            category: travel
            layout: post
            meta:
              kind: blog
              source: jekyll
            permalink: /trips/:title/
            tags:
            - italy
            - 'no'
            ---
            Rome.

            """)
        #expect(try text("content/posts/travel/2014-03-01-own.md") == """
            ---
            title: Own
            layout: wide
            category: mine
            permalink: /own/:title/
            author: Ann
            meta:
              kind: blog
              source: jekyll
            ---
            Own.

            """)
        #expect(try text("content/docs/guide.md") == """
            ---
            title: Guide
            author: Docs Team
            layout: default
            meta:
              kind: blog
            ---
            Read me.

            """)
        let out = try site.render()
        #expect(out["trips/rome/index.html"]?.contains("href=\"/tags/no/\"") == true)
        #expect(out["notes/2014/plain/index.html"]?.contains("Ann") == true)
    }

    @Test func defaultsFollowJekyllsScopeRules() {
        let defaults = JekyllDefaults([
            "defaults": [
                ["scope": ["path": "blog"], "values": ["a": "blog", "b": "blog"]],
                ["scope": ["path": "blog", "type": "post"], "values": ["a": "blog posts"]],
                ["scope": ["path": "/blog/x"], "values": ["b": "never"]],  // Jekyll matches the path as written
                ["scope": ["type": "pages"], "values": ["c": "pages"]],
                ["scope": ["type": "drafts"], "values": ["d": "drafts"]],  // Jekyll 4's drafts are posts
                ["values": ["e": "all"]],  // no scope: everything, weakest (Jekyll fails on it unless first)
                ["scope": ["path": "blog/_posts/*.md"], "values": ["f": "glob"]],
                ["scope": ["path": "b"], "values": ["a": "shorter"]],
                "not a set",
            ] as [Any],
        ], files: ["blog/_posts/2010-01-01-a.md", "blog/x/index.md", "_drafts/b.md"])
        func values(_ path: String, _ type: String) -> [String: String] {
            defaults.values(for: path, type: type).compactMapValues { $0 as? String }
        }
        #expect(values("blog/_posts/2010-01-01-a.md", "posts") == ["a": "blog posts", "b": "blog", "e": "all", "f": "glob"])
        #expect(values("blog/x/index.md", "pages") == ["a": "blog", "b": "blog", "c": "pages", "e": "all"])
        #expect(values("_drafts/b.md", "posts") == ["e": "all"])
        #expect(values("bx.md", "pages") == ["a": "shorter", "c": "pages", "e": "all"])
    }

    @Test func importingRefusesAFolderThatIsNotEmptyUnlessForced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quill-import-\(UUID().uuidString)")
        try ImportWriter.write(["site.toml": Data("a".utf8)], to: folder, force: false)
        #expect(throws: JekyllSiteReader.Failure.self) {
            try ImportWriter.write(["site.toml": Data("b".utf8)], to: folder, force: false)
        }
        try ImportWriter.write(["site.toml": Data("c".utf8)], to: folder, force: true)
        #expect(try String(contentsOf: folder.appendingPathComponent("site.toml"), encoding: .utf8) == "c")
    }

    @Test func readingASiteLeavesItUntouchedAndSkipsItsBuiltSite() throws {
        let site = try TestSite(JekyllFixture.handWritten.files.merging(["_site/index.html": "built"]) { a, _ in a })
        let before = site.files(under: ".")
        let source = try JekyllSiteReader.read(site.root)
        #expect(site.files(under: ".") == before)
        #expect(source.files["_site/index.html"] == nil)
        #expect(Set(source.files.keys) == Set(JekyllFixture.handWritten.files.keys).union(["site.toml"]))
    }
}
