import Foundation
import Testing
@testable import QuillCore

/// What an imported blog needs of Quill itself: Jekyll's permalink tokens, redirects from old URLs, other excerpt
/// separators, HTML posts and old feed URLs.
@Suite struct ImportedBlogFeatureTests {
    @Test func jekyllPermalinkTokensGiveJekyllsURLs() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\npermalink = \"/:categories/:short_year/:i_month/:i_day/:y_day/:title:output_ext\"\n",
            "content/posts/2010-03-05-Hello_World.md": "---\ntitle: Hi\ndate: 2010-03-05 10:00\ncategories: [News, Tech, news]\n---\nHi\n",
            "content/posts/2012-01-09-plain.md": "---\ntitle: Plain\n---\nPlain\n",
        ])
        let out = try site.render()
        #expect(out["news/tech/10/3/5/064/Hello_World.html"] != nil)
        #expect(out["12/1/9/009/plain.html"] != nil)
    }

    @Test func categoriesWithSpacesKeepThemInTheFileAndArePercentEncodedInLinks() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\npermalink = \"/:categories/:title/\"\n",
            "content/posts/2010-03-05-a.md": "---\ntitle: A\ncategories: [Big Ideas, C++, \"50%\"]\n---\nA\n",
        ])
        let out = try site.render()
        #expect(out["big ideas/c++/50%/a/index.html"]?.contains(
            "<link rel=\"canonical\" href=\"https://blog.example.org/big%20ideas/c++/50%25/a/\">") == true)
        #expect(out["index.html"]?.contains("href=\"/big%20ideas/c++/50%25/a/\"") == true)
        #expect(out["sitemap.xml"]?.contains("<loc>https://blog.example.org/big%20ideas/c++/50%25/a/</loc>") == true)
        #expect(out["feed.xml"]?.contains("<link>https://blog.example.org/big%20ideas/c++/50%25/a/</link>") == true)
    }

    @Test func jekyllDayWeekAndNameTokensGiveJekyllsURLs() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\npermalink = \"/:w_year-w:week/:w_day/:short_day-:long_day/"
                + ":short_month-:long_month/:slugified_categories/:name/:title/\"\n",
            "content/posts/2010-01-03-a.md": "---\ntitle: A\ncategories: [Site News, Big Ideas]\n---\nA\n",
            "content/posts/2012-07-04-b.md": "---\ntitle: B\n---\nB\n",
        ])
        let out = try site.render()
        #expect(out["2009-w53/7/Sun-Sunday/Jan-January/site-news/big-ideas/2010-01-03-a/a/index.html"] != nil)
        #expect(out["2012-w27/3/Wed-Wednesday/Jul-July/2012-07-04-b/b/index.html"] != nil)
    }

    @Test func aPatternWithoutSlashOrExtensionWritesAnHTMLFile() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\npermalink = \"/blog/:title\"\n",
            "content/posts/2010-03-05-a.md": post("A"),
            "content/about.md": "---\ntitle: About\npermalink: /about\n---\nMe\n",
            "content/contact.md": "---\ntitle: Contact\npermalink: /where/contact.html\n---\nHere\n",
        ])
        let out = try site.render()
        #expect(out["blog/a.html"] != nil)
        #expect(out["about.html"] != nil)
        #expect(out["where/contact.html"] != nil)
        #expect(out["index.html"]?.contains("href=\"/blog/a.html\"") == true)
    }

    @Test func aPostsOwnPermalinkWinsOverTheSitesAndMayUseTokens() throws {
        let site = try TestSite([
            "content/posts/2010-03-05-a.md": post("A", extra: "permalink: /custom/:year/a-page/\n"),
            "content/posts/2010-03-06-b.md": post("B", extra: "permalink: /fixed.html\n"),
        ])
        let out = try site.render()
        #expect(out["custom/2024/a-page/index.html"] != nil)
        #expect(out["fixed.html"] != nil)
    }

    @Test func aSitePermalinkMayNameThePostByTitleButMustNameIt() throws {
        let site = try TestSite(["site.toml": TestSite.basicConfig + "\npermalink = \"/:year/:month/\"\n"])
        #expect(site.errors() == """
            site.toml:6:1: error: `permalink` must contain `:slug` or `:title`
              hint: \(Permalink.tokenHint)
            error: build failed with 1 error; the output folder was not touched
            """)
    }

    @Test func aliasesGetRedirectPagesToTheNewURLOutsideTheSitemap() throws {
        let site = try TestSite([
            "content/posts/2010-03-05-a.md": post("A", extra: "aliases: [/old/a/, /2010/03/05/a.html, /older]\n"),
            "content/about.md": "---\ntitle: About\naliases: [/about.html]\n---\nMe\n",
        ])
        let out = try site.render()
        let expected = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>https://blog.example.org/2024/01/02/a/</title>
            <link rel="canonical" href="https://blog.example.org/2024/01/02/a/">
            <meta name="robots" content="noindex">
            <meta http-equiv="refresh" content="0; url=https://blog.example.org/2024/01/02/a/">
            </head>
            <body>
            <p>This page has moved to <a href="https://blog.example.org/2024/01/02/a/">https://blog.example.org/2024/01/02/a/</a>.</p>
            </body>
            </html>

            """
        #expect(out["old/a/index.html"] == expected)
        #expect(out["2010/03/05/a.html"] == expected)
        #expect(out["older/index.html"] == expected)
        #expect(out["about.html"]?.contains("url=https://blog.example.org/about/\"") == true)
        #expect(out["sitemap.xml"]?.contains("old/a") == false)
    }

    @Test func anAliasOnAnotherOutputIsAnErrorNamingBoth() throws {
        let site = try TestSite([
            "content/posts/2010-03-05-a.md": post("A", date: "2010-03-05"),
            "content/posts/2010-03-06-b.md": post("B", date: "2010-03-06", extra: "aliases: [/2010/03/05/a/]\n"),
        ])
        #expect(site.errors() == """
            content/posts/2010-03-06-b.md:1:1: error: writes /2010/03/05/a/, which content/posts/2010-03-05-a.md writes too
              hint: give one of them a different `slug` (or date), or rename the file
            error: build failed with 1 error; the output folder was not touched
            """)
    }

    @Test func anAliasThatIsNotASitePathIsAnErrorAtItsLine() throws {
        let site = try TestSite(["content/posts/2010-03-05-a.md": post("A", extra: "aliases: [https://x.org/a/]\n")])
        #expect(site.errors() == """
            content/posts/2010-03-05-a.md:5:1: error: alias "https://x.org/a/" is not a path of this site
              hint: write old URLs as paths from the site's root: `aliases: [/2010/01/old-name/]`
            error: build failed with 1 error; the output folder was not touched
            """)
    }

    @Test func drupalBreakAndConfiguredSeparatorsEndTheSummary() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\nexcerpt_separator = \"<!-- cut -->\"\n",
            "content/posts/a.md": post("A", date: "2010-01-01", body: "One.\n\nTwo.\n\n<!--break-->\n\nThree."),
            "content/posts/b.md": post("B", date: "2010-01-02", body: "Uno.\n\nDos. <!-- cut --> Tres."),
            "content/posts/c.md": post("C", date: "2010-01-03", extra: "excerpt_separator: \"~~\"\n",
                                      body: "Un.\n\nDeux ~~ trois."),
        ])
        let out = try site.render()
        let feed = try #require(out["feed.json"])
        #expect(feed.contains(#""summary": "One. Two.""#))
        #expect(feed.contains(#""summary": "Uno. Dos.""#))
        #expect(feed.contains(#""summary": "Un. Deux""#))
        #expect(out["index.html"]?.contains("<p>Un.</p>\n<p>Deux</p>\n") == true)
    }

    @Test func aSeparatorIsKeptAsWrittenInTheFullPost() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\nexcerpt_separator = \"<!-- cut -->\"\n",
            "content/posts/b.md": post("B", date: "2010-01-02", body: "Uno.\n\nDos. <!-- cut --> Tres."),
            "content/posts/c.md": post("C", date: "2010-01-03", extra: "excerpt_separator: \"~~\"\n",
                                      body: "Un.\n\nDeux ~~ trois."),
        ])
        let out = try site.render()
        #expect(out["2010/01/02/b/index.html"]?.contains("<p>Uno.</p>\n<p>Dos. <!-- cut --> Tres.</p>\n") == true)
        #expect(out["2010/01/03/c/index.html"]?.contains("<p>Un.</p>\n<p>Deux ~~ trois.</p>\n") == true)
    }

    @Test func htmlPostsAreKeptAsWrittenWithTheirSummary() throws {
        let body = """
            <p>Intro with <img src="/wp-content/a.jpg"> and <b>bold</b> &amp; more.</p>
            <!--more-->
            <center>The *rest*</center>
            <script>alert(1)</script>
            """
        let site = try TestSite([
            "content/posts/2010-03-05-wp.html": "---\ntitle: WP\nwordpress_id: 42\nstatus: publish\n---\n" + body + "\n",
            "content/posts/2010-03-06-plain.html": "---\ntitle: Plain\n---\n<div>First <i>part\n\nstill</i></div>\n\nSecond.\n",
        ])
        let out = try site.render()
        let page = try #require(out["2010/03/05/wp/index.html"])
        #expect(page.contains("<center>The *rest*</center>\n&lt;script>alert(1)&lt;/script>"))
        #expect(page.contains("<meta name=\"description\" content=\"Intro with and bold &amp; more.\">"))
        let home = try #require(out["index.html"])
        #expect(home.contains("<p>Intro with <img src=\"/wp-content/a.jpg\"> and <b>bold</b> &amp; more.</p>\n"))
        #expect(home.contains("<div>First <i>part</i></div>\n"))
        #expect(try #require(out["feed.xml"]).contains("&lt;img src=&quot;https://blog.example.org/wp-content/a.jpg&quot;&gt;"))
    }

    @Test func feedAliasesCopyTheFeedsToOldFeedURLs() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\n[feeds.aliases]\n\"/rss.xml\" = \"rss\"\n\"/feed/atom.xml\" = \"atom\"\n",
            "content/posts/a.md": post("A"),
        ])
        let out = try site.render()
        #expect(out["rss.xml"] == out["feed.xml"])
        #expect(out["feed/atom.xml"] == out["atom.xml"])
    }

    /// Seven posts, three a page, with jekyll-paginate's old page URLs.
    static func pagedSite(posts: Int = 7) throws -> TestSite {
        var files = ["site.toml": TestSite.basicConfig + "\n[pagination]\naliases = \"/page:num\"\n"]
        for n in 1...posts { files["content/posts/p\(n).md"] = post("P\(n)", date: "2010-01-0\(n)") }
        return try TestSite(files)
    }

    @Test func paginationAliasesRedirectTheOldURLOfEachLaterHomePage() throws {
        let out = try Self.pagedSite().render()
        #expect(out["page2/index.html"] == """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>https://blog.example.org/page/2/</title>
            <link rel="canonical" href="https://blog.example.org/page/2/">
            <meta name="robots" content="noindex">
            <meta http-equiv="refresh" content="0; url=https://blog.example.org/page/2/">
            </head>
            <body>
            <p>This page has moved to <a href="https://blog.example.org/page/2/">https://blog.example.org/page/2/</a>.</p>
            </body>
            </html>

            """)
        #expect(out["page3/index.html"]?.contains("url=https://blog.example.org/page/3/\"") == true)
        #expect(out.keys.filter { $0.hasPrefix("page") }.sorted() == [
            "page/2/index.html", "page/3/index.html", "page2/index.html", "page3/index.html",
        ])
        #expect(out["sitemap.xml"]?.contains("/page2/") == false)
    }

    @Test func aPostThatStartsANewHomePageAddsItsOldURLIncrementally() throws {
        let site = try Self.pagedSite(posts: 6)
        try site.build()
        #expect(Set(IncrementalBuildTests.published(site).keys).isDisjoint(with: ["page3/index.html"]))
        try site.write("content/posts/p7.md", post("P7", date: "2010-01-07"))
        let report = try site.build()
        #expect(report.written.map(\.value).contains("page3/index.html"))
        try IncrementalBuildTests.expectEqualToClean(site, "after a post that makes page 3")
    }

    @Test func aPaginationAliasWithoutNumIsAnErrorAtItsLine() throws {
        let site = try TestSite(["site.toml": TestSite.basicConfig + "\n[pagination]\naliases = \"/page/\"\n"])
        #expect(site.errors() == """
            site.toml:7:1: error: pagination alias "/page/" is not a path with `:num`
              hint: write `aliases = "/page:num/"`: the old URL of page 2, 3 … from the site's root
            error: build failed with 1 error; the output folder was not touched
            """)
    }

    @Test func aFeedAliasThatIsNotAFileIsAnError() throws {
        let site = try TestSite(["site.toml": TestSite.basicConfig + "\n[feeds.aliases]\n\"/feed/\" = \"rss\"\n"])
        #expect(site.errors() == """
            site.toml:6:1: error: feed alias "/feed/" = "rss" is not a file path and a format
              hint: write `"/rss.xml" = "rss"`: a path from the site's root to a file, and rss, atom or json
            error: build failed with 1 error; the output folder was not touched
            """)
    }
}
