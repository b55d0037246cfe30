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
                + "(on /2024/01/01/hello/ and 7 more pages)\n  hint: did you mean #main?",
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

    @Test func aRebuildsPagesAreCheckedAloneAgainstTheOutputFolder() throws {
        let site = try Self.site()
        let check = SiteCheck(options: site.options())
        let full = try check.run()
        // On `quill serve`'s start: every page, from the output folder, the same findings as `quill check`.
        let everything = check.checkPages(check.publishedPages(), origins: check.origins())
        #expect(everything.map(\.description) == full.problems.map {
            $0.description.replacingOccurrences(of: ": error: ", with: ": warning: ")
        })

        // One post edited: only the pages that build wrote are checked, and another page is read for its ids.
        let hello = "content/posts/2024-01-01-hello.md"
        try site.write(hello, "---\ntitle: Hello\ndate: 2024-01-01\n---\n\n## Real heading\n\n"
                           + "[fine](/2024/02/01/links/#main), [typo](/2024/02/01/links/#mian), [gone](/nowhere/).\n")
        let rebuild = try site.build()
        #expect(rebuild.written.contains(OutputPath("2024/01/01/hello/index.html")))
        #expect(!rebuild.written.contains(OutputPath("2024/02/01/links/index.html")))
        let (outputs, origins) = check.outputs()
        #expect(outputs.contains("2024/01/01/hello/index.html") && outputs.contains("feed.xml"))
        let warnings = check.checkPages(rebuild.written.map(\.value), origins: origins, changed: [hello], outputs: outputs)
        #expect(warnings.map(\.description) == [
            "content/posts/2024-01-01-hello.md:8:41: warning: link to /2024/02/01/links/#mian: no element with id "
                + "\"mian\" on /2024/02/01/links/\n  hint: did you mean #main?",
            "content/posts/2024-01-01-hello.md:8:74: warning: link to /nowhere/: no such page",
        ], "the links post's broken links are on the home page, in its summary: left to the check of the links post")

        // A page the origins do not know yet (a new post, as `quill serve` sees it): the changed file is searched.
        let unknown = check.checkPages(["2024/01/01/hello/index.html"], changed: [hello])
        #expect(unknown.map(\.location.description) == ["content/posts/2024-01-01-hello.md:8:41",
                                                         "content/posts/2024-01-01-hello.md:8:74"])
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
        let site = ScannedSite(files: ["a/index.html", "feed.xml"], pages: [:])
        #expect(LinkCheck.file(for: "/a", in: site) == "a/index.html", "a folder without its slash")
        #expect(LinkCheck.file(for: "/feed.xml", in: site) == "feed.xml")
    }
}
