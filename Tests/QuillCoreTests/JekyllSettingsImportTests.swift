import Foundation
import Testing
@testable import QuillCore

/// What `quill import jekyll` makes of a site's settings and options: jekyll-paginate's pages, `defaults:`,
/// `--categories-as-tags`, and permalink tokens Quill has no equal of.
@Suite struct JekyllSettingsImportTests {
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
            date: 2009-07-14T09:12:44+02:00
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

    @Test func postsKeepTheirURLThroughTheirOwnPermalinkWhereThePatternHasATokenQuillLacks() throws {
        let (site, report) = try imported(.jekyllOnlyTokens)
        #expect(report.permalink == Permalink.default.pattern)  // Quill cannot read /:collection/:year/:title/
        #expect(report.ownPermalinks == 4)
        func text(_ path: String) throws -> String {
            try String(contentsOf: site.root.appendingPathComponent(path), encoding: .utf8)
        }
        #expect(try text("content/posts/2011-01-01-one.md") == "---\ntitle: One\npermalink: \"/posts/2011/one/\"\n---\nOne.\n")
        #expect(try text("content/posts/sub/2011-02-02-Two_Parts.md")
            == "---\ntitle: Two\npermalink: \"/posts/2011/Two_Parts/\"\n---\nTwo.\n")
        #expect(try text("content/posts/blog/2011-03-03-three.md")
            == "---\ntitle: Three\ncategories: [\"blog\"]\npermalink: \"/old/blog/2011-03-03-three/\"\n---\nThree.\n")
        #expect(try text("content/posts/sub/2011-04-04-four.md")
            == "---\ntitle: Four\npermalink: \"/old/sub/2011-04-04-four.html\"\n---\nFour.\n")
        let out = try site.render()
        #expect(Set(out.keys).isSuperset(of: JekyllFixture.jekyllOnlyTokens.jekyllOutputs))
        #expect(out["index.html"]?.contains("href=\"/old/sub/2011-04-04-four.html\"") == true)
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
}
