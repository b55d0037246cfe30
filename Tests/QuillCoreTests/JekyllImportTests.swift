import Foundation
import Testing
@testable import QuillCore

/// `quill import jekyll`: fixture Jekyll sites imported and built; every URL they had is a page of the new site.
@Suite struct JekyllImportTests {
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
            Liquid converted: 1 highlight, 1 raw, 1 site URL, 1 post_url, 1 link, 1 include
            URLs: permalink "/:categories/:year/:month/:day/:title:output_ext"; 1 with their own permalink, 0 redirected from their old URL
            dates written as ISO 8601 (as Jekyll read them):
              content/posts/2010/2010-02-01-second.md: 2010-02-01 23:30:00 -0800 → 2010-02-01T23:30:00-08:00
            not imported:
              index.html: the home page; Quill makes its own
              _includes/ (1 file): Jekyll's own folder; what posts and pages include of it is inlined
              _layouts/ (1 file): Jekyll's own folder; Quill's templates are Mustache themes
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

            ```ruby {linenos=true}
            puts "hi"
            ```

            See [next](/2010/02/01/second.html), [about](/about.html) and <b>note</b>.

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
            dates written as ISO 8601 (as Jekyll read them):
              content/posts/2009-07-14-the-first-post.html: 2009-07-14 09:12:44.000000000 +02:00 → 2009-07-14T09:12:44+02:00
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
            Liquid converted: 0 highlight, 0 raw, 0 site URL, 0 post_url, 0 link, 1 include
            URLs: permalink "/blog/:year/:i_month/:title.html"; 0 with their own permalink, 0 redirected from their old URL
            not imported:
              _includes/ (1 file): Jekyll's own folder; what posts and pages include of it is inlined
            """)
        let out = try site.render()
        let home = try #require(out["index.html"])
        #expect(home.contains("<p>Teaser text.</p>\n"))
        #expect(!home.contains("The rest"))
        #expect(home.contains("<p>Short.</p>\n"))
        // The include, an element that cannot stand in a paragraph, splits the paragraph it was written in.
        #expect(out["node/12.html"]?.contains("<p>The rest, with</p>\n<aside></aside>\n<p>.</p>") == true)
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
