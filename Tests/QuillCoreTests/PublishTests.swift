import Foundation
import Testing
@testable import QuillCore

/// A build is published in one step: the output folder is the last good site until the new one takes its place.
@Suite struct PublishTests {
    static func inode(_ url: URL) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? NSNumber)?.uint64Value
    }

    static func retitled(_ site: TestSite, _ title: String) throws {
        try site.write("site.toml", TestSite.basicConfig.replacingOccurrences(of: "Test Blog", with: title))
    }

    @Test func anIncrementalBuildThatFailsWhileWritingLeavesTheLastGoodSiteUntouched() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try Self.retitled(site, "Renamed Blog")  // every page changes
        try site.build()
        let before = site.files()
        try Self.retitled(site, "Third Name")
        #expect(throws: BuildFailure.self) { try site.build { $0.failsAfterWrites = 5 } }
        #expect(site.files() == before, "the output folder changed although the build failed")
        // The next build is complete, whatever the failed one left in the spare folder.
        let report = try site.build()
        #expect(report.written.count > 5)
        #expect(site.files()["index.html"].map { String(decoding: $0, as: UTF8.self).contains("Third Name") } == true)
        try IncrementalBuildTests.expectEqualToClean(site, "after a failed incremental build")
    }

    @Test func aChangeThatFailedToPublishAndWasUndoneNeverAppears() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Warm-up."))
        try site.build()
        let original = post("Post 3", date: "2024-01-01 10:00", tags: ["x"])
        try site.write("content/posts/p3.md", post("Post 3", date: "2024-01-01 10:00", tags: ["x"], body: "Regretted."))
        #expect(throws: BuildFailure.self) { try site.build { $0.failsAfterWrites = 2 } }
        try site.write("content/posts/p3.md", original)
        try site.write("content/posts/p4.md", post("Post 4", date: "2024-01-01 10:00", tags: ["x"], body: "Other."))
        try site.build()
        let all = site.files().values.map { String(decoding: $0, as: UTF8.self) }
        #expect(!all.contains { $0.contains("Regretted.") }, "a file the failed build wrote into the spare was published")
        try IncrementalBuildTests.expectEqualToClean(site, "after a failed build whose change was undone")
    }

    @Test func aTemporaryFileLeftByAKilledBuildIsNeverPublished() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Warm-up."))
        try site.build()
        // A build killed while writing these two pages into the spare folder (one of them new) left them half done.
        try site.write(".public.quill/2024/01/01/p3/index.html.quill-tmp", "<p>half")
        try site.write(".public.quill/2024/01/01/p21/index.html.quill-tmp", "<p>half")
        try site.write("content/posts/p3.md", post("Post 3", date: "2024-01-01 10:00", tags: ["x"], body: "Edited."))
        try site.write("content/posts/p21.md", post("Post 21", date: "2024-01-01 10:00", tags: ["x"]))
        try site.build()
        #expect(site.files().keys.filter { $0.contains(".quill-tmp") }.isEmpty)
        try IncrementalBuildTests.expectEqualToClean(site, "after a killed build's temporary files")
    }

    @Test func theSpareFolderHoldsTheLastSiteWithUnchangedFilesShared() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("content/posts/p3.md", post("Post 3", date: "2024-01-01 10:00", tags: ["x"], body: "Edited."))
        try site.build()
        let live = site.root.appendingPathComponent("public"), spare = site.root.appendingPathComponent(".public.quill")
        let page = "2024/01/01/p3/index.html"
        let edited = try String(contentsOf: live.appendingPathComponent(page), encoding: .utf8)
        let previous = try String(contentsOf: spare.appendingPathComponent(page), encoding: .utf8)
        #expect(edited.contains("Edited.") && !previous.contains("Edited."))
        // Pages the edit did not touch are one file in both folders, not copies.
        let untouched = "2024/01/01/p7/index.html"
        #expect(Self.inode(live.appendingPathComponent(untouched)) != nil)
        #expect(Self.inode(live.appendingPathComponent(untouched)) == Self.inode(spare.appendingPathComponent(untouched)))
        #expect(Self.inode(live.appendingPathComponent(page)) != Self.inode(spare.appendingPathComponent(page)))
    }

    @Test func filesPutAtTheTopOfTheOutputFolderByHandStay() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("public/CNAME", "blog.example.org\n")
        try site.write("public/.git/HEAD", "ref: refs/heads/main\n")
        for n in 1...3 {
            try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Edit \(n)."))
            try site.build()
            #expect(site.files()["CNAME"] == Data("blog.example.org\n".utf8), "build \(n)")
            #expect(site.files()[".git/HEAD"] == Data("ref: refs/heads/main\n".utf8), "build \(n)")
        }
        #expect(site.files(under: ".public.quill")["CNAME"] == nil)
    }

    @Test func aRemovedPostStaysRemovedInTheBuildsAfter() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-01 10:00", tags: ["x"], body: "Edited."))
        try site.build()
        try site.remove("content/posts/p5.md")
        try site.build()
        for n in 1...2 {  // the spare folder still had the post: it must not come back on a swap
            try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-01 10:00", tags: ["x"], body: "Again \(n)."))
            try site.build()
            #expect(site.files()["2024/01/01/p5/index.html"] == nil, "build \(n)")
            try IncrementalBuildTests.expectEqualToClean(site, "build \(n) after removing a post")
        }
    }

    @Test func aSpareFolderWithoutItsRecordIsMadeAgain() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-01 10:00", tags: ["x"], body: "Edited."))
        try site.build()
        // The record is lost and the spare folder holds something no build made.
        try site.remove(".quill/publish")
        try site.write(".public.quill/junk.html", "junk")
        try site.write(".public.quill/2024/01/01/p1/index.html", "damaged")
        try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-01 10:00", tags: ["x"], body: "Twice."))
        try site.build()
        #expect(site.files()["junk.html"] == nil)
        try IncrementalBuildTests.expectEqualToClean(site, "after the publish record was lost")
    }
}
