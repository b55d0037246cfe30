import Foundation
import Testing
@testable import QuillCore

/// `quill check`: broken internal links and fragments, each reported once where it was written.
@Suite struct LinkCheckTests {
    static func site(_ extra: [String: String] = [:]) throws -> TestSite {
        try TestSite([
            "site.toml": "title = \"B\"\nbase_url = \"https://b.example.org/\"\n",
            "content/posts/2024-01-01-hello.md": "---\ntitle: Hello\ndate: 2024-01-01\n---\n\n## Real heading\n\nText.\n",
            "content/posts/2024-02-01-links.md": """
                ---
                title: Links
                date: 2024-02-01
                ---

                See [the other post](../hello/) and [anchor](#nope).

                And [good](/2024/01/01/hello/#real-heading), [bad anchor](/2024/01/01/hello/#real-headin) and [typo](/2024/01/01/helo/).

                """,
        ].merging(extra) { $1 })
    }

    @Test func brokenLinksAreReportedOnceWhereTheAuthorWroteThem() throws {
        let site = try Self.site()
        let report = try SiteCheck(options: site.options()).run()
        #expect(report.problems.map(\.description) == [
            "content/posts/2024-02-01-links.md:6:22: error: link to ../hello/: no such page or file (it resolves to "
                + "/2024/02/01/hello/)\n"
                + "  hint: did you mean /2024/01/01/hello/?",
            "content/posts/2024-02-01-links.md:6:46: error: link to #nope: no element with id \"nope\" on this page",
            "content/posts/2024-02-01-links.md:8:59: error: link to /2024/01/01/hello/#real-headin: no element with id "
                + "\"real-headin\" on /2024/01/01/hello/\n  hint: did you mean #real-heading?",
            "content/posts/2024-02-01-links.md:8:102: error: link to /2024/01/01/helo/: no such page\n"
                + "  hint: did you mean /2024/01/01/hello/?",
        ], "the summaries on the home page repeat two of them; they are not reported again")
        #expect(report.summary.hasSuffix(": 4 broken"))
    }

    @Test func aTemplatesBrokenLinkIsReportedOnceAtTheTemplatesLine() throws {
        let base = try #require(EmbeddedTheme.files["templates/base.mustache"])
        let site = try Self.site(["templates/base.mustache": base.replacingOccurrences(of: "href=\"#main\"", with: "href=\"#mian\"")])
        let report = try SiteCheck(options: site.options()).run()
        let template = report.problems.filter { $0.location.file == "templates/base.mustache" }
        #expect(template.map(\.description) == [
            "templates/base.mustache:5:28: error: link to #mian: no element with id \"mian\" on this page "
                + "(on /2024/01/01/hello/ and 6 more pages)\n  hint: did you mean #main?",
        ])
    }

    @Test func aSiteWithoutBrokenLinksChecksClean() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", body: "[b](/2024/01/02/b/#part) [feed](/feed.xml) [top](#main) "
                + "[away](https://example.com/x) [mail](mailto:a@b.c)"),
            "content/posts/b.md": post("B", body: "## Part\n\n![pic](/images/p.svg)"),
            "static/images/p.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"/>",
        ])
        let report = try SiteCheck(options: site.options()).run()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.links > 20 && report.pages > 3)
    }

    @Test func filesPutInTheOutputFolderByHandAreLinkTargetsToo() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", body: "[key](/keybase.txt) [proof](/.well-known/proof.txt) [no](/nothing.txt)"),
        ])
        try site.build()
        try site.write("public/keybase.txt", "key")
        try site.write("public/.well-known/proof.txt", "proof")
        let report = try SiteCheck(options: site.options()).run()
        #expect(report.problems.map(\.message) == ["link to /nothing.txt: no such page"])
    }

    @Test func pagesOfferTheirIdsAndAskForEveryURL() {
        let page = LinkCheck.scan("""
            <h2 id="a&amp;b">x</h2><a name="old"></a><a href="/x/?q=1#f">x</a><!-- <a href="/hidden/"> -->
            <img src="i.png" srcset="i-480w.webp 480w, i-800w.webp 800w"><link rel="stylesheet" href="/s.css">
            """)
        #expect(page.ids == ["a&b", "old"])
        #expect(page.links == ["/x/?q=1#f", "i.png", "i-480w.webp", "i-800w.webp", "/s.css"])
    }

    @Test func urlsResolveAgainstThePageAndTheSitesRoot() {
        #expect(LinkCheck.resolve("../b/#x", folder: "/2024/01/a/", rootPath: "/")! == ("/2024/01/b/", "x"))
        #expect(LinkCheck.resolve("/blog/c%20d/", folder: "/", rootPath: "/blog/")! == ("/c d/", nil))
        #expect(LinkCheck.resolve("/elsewhere/", folder: "/", rootPath: "/blog/") == nil, "beside the site")
        #expect(LinkCheck.resolve("https://example.com/", folder: "/", rootPath: "/") == nil)
        #expect(LinkCheck.resolve("#top", folder: "/a/", rootPath: "/")! == ("", "top"))
        #expect(LinkCheck.file(for: "/a", in: ["a/index.html"]) == "a/index.html", "a folder without its slash")
        #expect(LinkCheck.file(for: "/feed.xml", in: ["feed.xml"]) == "feed.xml")
    }
}
