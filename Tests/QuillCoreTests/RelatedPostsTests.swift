import Foundation
import Testing
@testable import QuillCore

/// `post.related`: other posts ranked by the tags they share, rarer tags weighing more, then by closeness in date.
@Suite struct RelatedPostsTests {
    static func site() throws -> TestSite {
        try TestSite([
            "content/posts/p1.md": post("P1", date: "2024-01-10 10:00", tags: ["rare", "common"]),
            "content/posts/p2.md": post("P2", date: "2024-01-01 10:00", tags: ["rare"]),
            "content/posts/p3.md": post("P3", date: "2024-01-09 10:00", tags: ["common"]),
            "content/posts/p4.md": post("P4", date: "2024-01-02 10:00", tags: ["rare", "common"]),
            "content/posts/p5.md": post("P5", date: "2024-01-11 10:00", tags: ["common"]),
            "content/posts/p6.md": post("P6", date: "2024-01-12 10:00"),
        ])
    }

    /// The titles in the related list of a built post page, in order.
    static func related(_ site: TestSite, _ slug: String, day: String) -> [String] {
        let html = String(decoding: site.files()["2024/01/\(day)/\(slug)/index.html"] ?? Data(), as: UTF8.self)
        guard let start = html.range(of: "<aside class=\"related\""), let end = html.range(of: "</aside>", range: start.upperBound..<html.endIndex)
        else { return [] }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "\">").dropFirst().compactMap {
            $0.components(separatedBy: "</a>").first.flatMap { $0.contains("<") ? nil : $0 }
        }
    }

    @Test func sharedRareTagsCountMostThenCloserDatesThenTheNewer() throws {
        let site = try Self.site()
        try site.build()
        // p4 shares both tags; p2 the rare one (3 posts); p5 and p3 the common one (4 posts), one post away each.
        #expect(Self.related(site, "p1", day: "10") == ["P4", "P2", "P5", "P3"])
        #expect(Self.related(site, "p6", day: "12") == [], "a post without tags has none")
        #expect(!Self.related(site, "p4", day: "02").contains("P4"), "never the post itself")
        let html = String(decoding: site.files()["2024/01/10/p1/index.html"] ?? Data(), as: UTF8.self)
        #expect(html.contains("<li><a href=\"/2024/01/02/p4/\">P4</a> <time datetime=\"2024-01-02T10:00:00Z\">"))
        #expect(!String(decoding: site.files()["2024/01/12/p6/index.html"] ?? Data(), as: UTF8.self).contains("class=\"related\""))
    }

    @Test func relatedCountSetsHowManyAndZeroTurnsThemOff() throws {
        let site = try Self.site()
        try site.write("site.toml", TestSite.basicConfig + "\n[related]\ncount = 2\n")
        try site.build()
        #expect(Self.related(site, "p1", day: "10") == ["P4", "P2"])
        try site.write("site.toml", TestSite.basicConfig + "\n[related]\ncount = 0\n")
        try site.build()
        #expect(Self.related(site, "p1", day: "10") == [])
        try site.write("site.toml", TestSite.basicConfig + "\n[related]\ncount = 99\n")
        #expect(site.errors()?.contains("error: `related.count` must be 0 to 50") == true, "\(site.errors() ?? "none")")
    }

    @Test func theSearchIsBoundedAndDeterministic() {
        var index = SiteIndex()
        index.posts = (0..<2000).map { "content/posts/\($0).md" }
        index.tags = [SiteIndex.Group(name: "all", slug: "all", posts: index.posts),
                      SiteIndex.Group(name: "few", slug: "few", posts: ["content/posts/1000.md", "content/posts/10.md"])]
        let table = RelatedPosts.Table(index)
        // A tag on 2,000 posts offers only the 400 closest in date; the rare shared tag wins from afar.
        #expect(RelatedPosts.find(for: "content/posts/1000.md", in: table, count: 3)
                    == ["content/posts/10.md", "content/posts/999.md", "content/posts/1001.md"])
        #expect(RelatedPosts.find(for: "content/posts/0.md", in: table, count: 2) == ["content/posts/1.md", "content/posts/2.md"])
    }

    @Test func changingOnePostsTagsRendersOnlyThePagesWhoseListsChange() throws {
        let site = try Self.site()
        try site.build()
        try site.write("content/posts/p2.md", post("P2", date: "2024-01-01 10:00", tags: ["other"]))
        let report = try site.build()
        let pages = Set(report.written.map(\.value).filter { $0.hasPrefix("2024/") })
        // p1 and p4 lose p2; p2's own list is now empty; p3 and p5 never listed it.
        #expect(pages.isSuperset(of: ["2024/01/10/p1/index.html", "2024/01/02/p4/index.html", "2024/01/01/p2/index.html"]))
        #expect(!pages.contains("2024/01/09/p3/index.html") && !pages.contains("2024/01/11/p5/index.html"), "\(pages)")
        #expect(Self.related(site, "p1", day: "10") == ["P4", "P5", "P3"])
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
    }
}
