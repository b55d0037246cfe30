import Foundation
import Synchronization
import Testing
@testable import QuillCore

/// A preview's build writes the pages its browsers show, and every changed file a page may load, before the other
/// pages and the feeds (`BuildOptions.firstPages`); the site it leaves is the same, and a build that fails after
/// writing them first puts them back.
@Suite struct FirstPagesTests {
    /// What a preview's build does differently: in place, trusting its own folder.
    static func preview(_ options: inout BuildOptions) {
        options.publishesAtomically = false
        options.checksOutputs = false
    }

    /// The fixture of `IncrementalBuildTests`, with a stylesheet, built once as a preview.
    static func builtSite() throws -> TestSite {
        let site = try IncrementalBuildTests.fixture()
        try site.write("static/css/site.css", "body { margin: 0 }\n")
        try site.build(preview)
        return site
    }

    /// Post 8, the newest (on the home page), under a new title, and the stylesheet changed.
    static func edit(_ site: TestSite) throws {
        try site.write("content/posts/p8.md", post(
            "Post 8, retitled", date: "2024-01-08 10:00", tags: ["common"],
            body: "Summary of 8.\n\n<!--more-->\n\nThe rest of post 8 says something."))
        try site.write("static/css/site.css", "body { margin: 1px }\n")
    }

    /// What the `written` callback saw: the paths it was given, and the text on disk of each of `paths` then.
    final class Seen: Sendable {
        let calls = Mutex<[(paths: [String], onDisk: [String: String])]>([])
    }

    static func firstPages(_ site: TestSite, urls: Set<String>, looking paths: [String], into seen: Seen)
        -> FirstPages {
        FirstPages(urls: urls) { written in
            var onDisk = [String: String]()
            for path in paths {
                onDisk[path] = (try? String(contentsOf: site.root.appendingPathComponent("public/" + path),
                                            encoding: .utf8)) ?? ""
            }
            seen.calls.withLock { $0.append((written.map(\.value), onDisk)) }
        }
    }

    @Test func theShownPageAndWhatPagesLoadAreWrittenBeforeTheOtherPagesAndTheFeeds() throws {
        let site = try Self.builtSite()
        try Self.edit(site)
        let seen = Seen()
        let post = "2024/01/08/p8/index.html"
        let report = try site.build {
            Self.preview(&$0)
            $0.firstPages = Self.firstPages(site, urls: ["/"], looking: ["index.html", post, "feed.xml"], into: seen)
        }
        let calls = seen.calls.withLock { $0 }
        try #require(calls.count == 1)
        let first = calls[0].paths
        #expect(first.filter { $0.hasSuffix(".html") } == ["index.html"], "no other page goes first")
        #expect(first.contains("css/site.css"), "what a page loads goes first")
        #expect(!first.contains { $0.hasSuffix(".xml") || $0 == "feed.json" }, "feeds wait")
        #expect(calls[0].onDisk["index.html"]!.contains("Post 8, retitled"))
        #expect(!calls[0].onDisk[post]!.contains("Post 8, retitled"), "the post's own page is written later")
        #expect(!calls[0].onDisk["feed.xml"]!.contains("Post 8, retitled"))
        // The report counts them as written; the site is a clean build's.
        let written = Set(report.written.map(\.value))
        #expect(written.isSuperset(of: first))
        #expect(written.isSuperset(of: [post, "feed.xml"]))
        try IncrementalBuildTests.expectEqualToClean(site, "after a build that wrote the home page first")
    }

    @Test func nothingIsWrittenFirstUnlessAShownPageIsAnOutputOfTheSite() throws {
        let site = try Self.builtSite()
        try Self.edit(site)
        let seen = Seen()
        try site.build {
            Self.preview(&$0)
            $0.firstPages = Self.firstPages(site, urls: ["/no/such/page/"], looking: [], into: seen)
        }
        #expect(seen.calls.withLock { $0.isEmpty })
        try IncrementalBuildTests.expectEqualToClean(site, "after a build with no shown page of the site")
    }

    @Test func aBuildThatFailsAfterWritingFirstPutsThoseFilesBack() throws {
        let site = try Self.builtSite()
        let before = site.files(under: "public", mark: true)
        try Self.edit(site)
        try site.write("content/posts/p9.md", post("Post 9", date: "2024-01-09 10:00", tags: ["new"]))
        let seen = Seen()
        #expect(throws: BuildFailure.self) {
            try site.build {
                Self.preview(&$0)
                $0.firstPages = Self.firstPages(site, urls: ["/"], looking: [], into: seen)
                $0.failsAfterWrites = 0  // the first file written after the first pages fails
            }
        }
        #expect(seen.calls.withLock { $0.first?.paths.contains("index.html") } == true)
        #expect(site.files(under: "public", mark: true) == before, "the last good site, as it was")
        try site.build(Self.preview)
        try IncrementalBuildTests.expectEqualToClean(site, "after a failed build that wrote first, then a good one")
    }
}
