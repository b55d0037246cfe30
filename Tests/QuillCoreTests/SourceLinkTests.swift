import Foundation
import Testing
@testable import QuillCore

/// Links by source file (`other.md`, `../about.md`, `@/posts/other.md#part`) become the URL of that post or page;
/// a link to no such source is an error at its line; relative images that miss are reported with where they led.
@Suite struct SourceLinkTests {
    static func site() throws -> TestSite {
        try TestSite([
            "site.toml": TestSite.basicConfig.replacingOccurrences(of: "https://blog.example.org/", with: "https://x.org/blog/"),
            "content/posts/2024-01-01-a.md": post("A", date: "2024-01-01 10:00", body: """
                See [B](2024-01-02-b.md), [its part](2024-01-02-b.md#part), [about](../about.md) and [B again](@/posts/2024-01-02-b.md).
                """),
            "content/posts/2024-01-02-b.md": post("B", date: "2024-01-02 10:00", extra: "slug: bee\n",
                                                  body: "## Part\n\nBack to [A](2024-01-01-a.md)."),
            "content/about.md": "---\ntitle: About\n---\nBy [A](posts/2024-01-01-a.md).\n",
        ])
    }

    static func links(_ site: TestSite, _ page: String) -> [String] {
        let html = String(decoding: site.files()[page] ?? Data(), as: UTF8.self)
        return LinkCheck.scan(html).links.filter { $0.hasPrefix("/blog/20") || $0.hasPrefix("/blog/about") }
    }

    @Test func aLinkToASourceBecomesItsPagesURLAndFollowsItWhenItMoves() throws {
        let site = try Self.site()
        try site.build()
        #expect(Self.links(site, "2024/01/01/a/index.html").joined(separator: " ").contains(
            "/blog/2024/01/02/bee/ /blog/2024/01/02/bee/#part /blog/about/ /blog/2024/01/02/bee/"))
        #expect(Self.links(site, "2024/01/02/bee/index.html").last == "/blog/2024/01/01/a/", "posts may link to each other")
        #expect(Self.links(site, "about/index.html").last == "/blog/2024/01/01/a/")
        #expect(try SiteCheck(options: site.options()).run().problems.isEmpty)
        // B moves: A follows it, and no more is rendered than that needs.
        try site.write("content/posts/2024-01-02-b.md", post("B", date: "2024-01-02 10:00", extra: "slug: bea\n",
                                                             body: "## Part\n\nBack to [A](2024-01-01-a.md)."))
        try site.build()
        #expect(Self.links(site, "2024/01/01/a/index.html").joined(separator: " ").contains(
            "/blog/2024/01/02/bea/ /blog/2024/01/02/bea/#part /blog/about/ /blog/2024/01/02/bea/"))
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
        let feed = String(decoding: site.files()["feed.xml"] ?? Data(), as: UTF8.self)
        #expect(feed.contains("href=&quot;https://x.org/blog/2024/01/02/bea/#part&quot;"), "feeds get it absolute")
    }

    @Test func aLinkToNoSuchSourceIsAnErrorAtItsLineNamingTheClosest() throws {
        let site = try Self.site()
        try site.write("content/posts/2024-01-03-c.md", post("C", date: "2024-01-03 10:00",
                                                             body: "Fine [B](2024-01-02-b.md).\n\nTypo [B](2024-01-02-bb.md) and [x](@/posts/2024-01-01-aa.md#top)."))
        let errors = site.errors() ?? ""
        #expect(errors.hasPrefix("""
            content/posts/2024-01-03-c.md:9:10: error: link to 2024-01-02-bb.md: there is no post or page content/posts/2024-01-02-bb.md
              hint: did you mean 2024-01-02-b.md?
            content/posts/2024-01-03-c.md:9:36: error: link to @/posts/2024-01-01-aa.md#top: there is no post or page content/posts/2024-01-01-aa.md
              hint: did you mean @/posts/2024-01-01-a.md?
            """), "\(errors)")
    }

    @Test func linksThatNameNoSourceAreLeftAsWritten() {
        #expect(SourceLinks.target(of: "/about.md", from: "content/posts/a.md") == nil)
        #expect(SourceLinks.target(of: "https://github.com/x/README.md", from: "content/posts/a.md") == nil)
        #expect(SourceLinks.target(of: "notes.txt", from: "content/posts/a.md") == nil)
        #expect(SourceLinks.target(of: "../about.md#me", from: "content/posts/a.md").map { "\($0.source)\($0.fragment)" }
                    == "content/about.md#me")
        #expect(SourceLinks.target(of: "../b/index.md", from: "content/posts/a/index.md")?.source == "content/posts/b/index.md")
        #expect(SourceLinks.target(of: "@/posts/b.md", from: "content/about.md")?.source == "content/posts/b.md")
    }

    @Test func aRelativeImageOutsideABundleSaysWhereItLedAndWhereTheFileIs() throws {
        let site = try TestSite([
            "content/posts/2024-01-04-d.md": post("D", date: "2024-01-04 10:00", body: "![sun](images/sun.svg)"),
            "static/images/sun.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"/>",
        ])
        let report = try site.build()
        #expect(report.warnings.map(\.description) == [
            "content/posts/2024-01-04-d.md:7:8: warning: image images/sun.svg resolves to /2024/01/04/d/images/sun.svg, "
                + "where nothing is published; static/images/sun.svg is published at /images/sun.svg\n  hint: write "
                + "/images/sun.svg (from the site's root), or make the post a bundle (a folder with index.md and its images)",
        ])
        let check = try SiteCheck(options: site.options()).run()
        #expect(check.problems.map(\.description) == [
            "content/posts/2024-01-04-d.md:7:8: error: link to images/sun.svg: no such page or file (it resolves to "
                + "/2024/01/04/d/images/sun.svg)\n  hint: did you mean /images/sun.svg?",
        ])
    }
}
