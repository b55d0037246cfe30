import Foundation
import Testing
@testable import QuillCore

/// A post or page in a folder of its own (`trip/index.md`) publishes the files beside it, beside its page.
@Suite struct BundleTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])

    static func site() throws -> TestSite {
        let site = try TestSite([
            "content/posts/trip/index.md": post("Trip", body: "![cat](cat.png) and ![map](img/map.svg)"),
            "content/posts/trip/img/map.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
            "content/about/index.md": "---\ntitle: About\n---\n\n![me](me.svg)\n",
            "content/about/me.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "content/posts/flat.md": post("Flat", date: "2024-01-03 10:00"),
            "content/loose.svg": "<svg/>",
        ])
        try site.write("content/posts/trip/cat.png", png)
        return site
    }

    @Test func filesBesideABundlesIndexArePublishedBesideItsPage() throws {
        let site = try Self.site()
        try site.build()
        let files = site.files()
        #expect(files["2024/01/02/trip/cat.png"] == Self.png)
        #expect(files["2024/01/02/trip/img/map.svg"] != nil)
        #expect(files["about/me.svg"] != nil)
        #expect(files.keys.filter { $0.hasSuffix("loose.svg") }.isEmpty, "a file that is in no bundle is not published")
        let page = String(decoding: try #require(files["2024/01/02/trip/index.html"]), as: UTF8.self)
        #expect(page.contains(#"src="cat.png""#))
        let sitemap = String(decoding: try #require(files["sitemap.xml"]), as: UTF8.self)
        #expect(!sitemap.contains("cat.png"))
    }

    @Test func bundleFilesFollowTheirPostAndGoWithIt() throws {
        let site = try Self.site()
        try site.build()
        try site.write("content/posts/trip/index.md", post("Trip", date: "2024-02-05 10:00", body: "![cat](cat.png)"))
        try site.build()
        #expect(site.files()["2024/02/05/trip/cat.png"] == Self.png)
        #expect(site.files()["2024/01/02/trip/cat.png"] == nil)
        try IncrementalBuildTests.expectEqualToClean(site, "after the post moved")
        try site.write("content/posts/trip/cat.png", Data([1, 2, 3]))
        let report = try site.build()
        #expect(report.written.map(\.value) == ["2024/02/05/trip/cat.png"])
        try site.remove("content/posts/trip/index.md")
        try site.build()
        #expect(site.files().keys.filter { $0.contains("trip") }.isEmpty)
        try IncrementalBuildTests.expectEqualToClean(site, "after the bundle's index was removed")
    }

    @Test func aDraftBundlePublishesNothing() throws {
        let site = try TestSite(["content/posts/d/index.md": post("D", extra: "draft: true\n"),
                                 "content/posts/d/x.svg": "<svg/>"])
        try site.build()
        #expect(site.files().keys.filter { $0.contains("x.svg") }.isEmpty)
    }
}
