import Foundation
import Testing
@testable import QuillCore

/// Drafts and posts dated after `options.now` are left out of the whole site unless asked for, and the build
/// report says so.
@Suite struct DraftsAndScheduledPostsTests {
    /// `TestSite.options()`'s "now": 2030-01-01T00:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_893_456_000)

    /// One published post, one draft and one scheduled post, all sharing the tag "shared", each skipped one
    /// with a tag of its own.
    static func mixedSite(zone: String = "UTC") throws -> TestSite {
        try TestSite([
            "site.toml": TestSite.basicConfig.replacingOccurrences(of: "\"UTC\"", with: "\"\(zone)\""),
            "content/posts/live.md": post("Live Post", date: "2024-01-02 10:00", tags: ["shared"]),
            "content/posts/wip.md": post("Secret Draft Title", date: "2024-01-03 10:00",
                                         tags: ["shared", "draft-only-tag"], extra: "draft: true\n"),
            "content/posts/later.md": post("Future Post Title", date: "2031-06-01T16:30:00Z",
                                           tags: ["shared", "future-only-tag"]),
        ])
    }

    static func report(_ site: TestSite, _ configure: (inout BuildOptions) -> Void = { _ in }) throws -> BuildReport {
        var options = site.options()
        configure(&options)
        return try SiteBuilder(options: options).render().1
    }

    // MARK: Drafts

    @Test func draftIsLeftOutByDefault() throws {
        let out = try Self.mixedSite().render()
        #expect(out["2024/01/03/wip/index.html"] == nil)
        #expect(out["2024/01/02/live/index.html"] != nil)
    }

    @Test func draftIsIncludedWhenDraftsAreAskedFor() throws {
        let out = try Self.mixedSite().render { $0.includeDrafts = true }
        let page = try #require(out["2024/01/03/wip/index.html"])
        #expect(page.contains("Secret Draft Title"))
        #expect(page.contains("<span class=\"badge\">Draft</span>"))
        #expect(try #require(out["index.html"]).contains("Secret Draft Title"))
        #expect(try #require(out["tags/shared/index.html"]).contains("Secret Draft Title"))
        #expect(out["tags/draft-only-tag/index.html"] != nil)
        #expect(try #require(out["feed.xml"]).contains("Secret Draft Title"))
        // Including drafts does not also include scheduled posts.
        #expect(out["2031/06/01/later/index.html"] == nil)
    }

    @Test func draftFalseIsPublished() throws {
        let site = try TestSite(["content/posts/a.md": post("A", extra: "draft: false\n")])
        #expect(try site.render()["2024/01/02/a/index.html"] != nil)
        #expect(try Self.report(site).skipped.isEmpty)
    }

    @Test func draftPageIsLeftOutUnlessDraftsAreAskedFor() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "content/secret.md": "---\ntitle: Secret Page\ndraft: true\n---\nShh\n",
        ])
        let out = try site.render()
        #expect(out["secret/index.html"] == nil)
        #expect(out.values.allSatisfy { !$0.contains("Secret Page") })
        #expect(try site.render { $0.includeDrafts = true }["secret/index.html"] != nil)
    }

    // MARK: Scheduled posts

    @Test func postDatedAfterNowIsLeftOutByDefault() throws {
        let out = try Self.mixedSite().render()
        #expect(out["2031/06/01/later/index.html"] == nil)
    }

    @Test func postDatedAfterNowIsIncludedWhenFutureIsAskedFor() throws {
        let out = try Self.mixedSite().render { $0.includeFuture = true }
        #expect(try #require(out["2031/06/01/later/index.html"]).contains("Future Post Title"))
        #expect(try #require(out["index.html"]).contains("Future Post Title"))
        #expect(out["tags/future-only-tag/index.html"] != nil)
        // Including scheduled posts does not also include drafts.
        #expect(out["2024/01/03/wip/index.html"] == nil)
    }

    @Test func postDatedExactlyNowIsPublished() throws {
        let site = try TestSite(["content/posts/a.md": post("A", date: "2030-01-01T00:00:00Z")])
        #expect(try site.render()["2030/01/01/a/index.html"] != nil)
    }

    @Test func postOneSecondAfterNowIsScheduled() throws {
        let site = try TestSite(["content/posts/a.md": post("A", date: "2030-01-01T00:00:01Z")])
        #expect(try site.render()["2030/01/01/a/index.html"] == nil)
        #expect(try Self.report(site).skipped.map(\.source) == ["content/posts/a.md"])
    }

    @Test func scheduleComparesInstantsNotWallClockTimes() throws {
        // Midnight on 2030-01-01 in Los Angeles is 08:00Z, after "now" (00:00Z); in UTC it is exactly now.
        let post = post("A", date: "2030-01-01 00:00")
        let inLA = try TestSite([
            "site.toml": TestSite.basicConfig.replacingOccurrences(of: "\"UTC\"", with: "\"America/Los_Angeles\""),
            "content/posts/a.md": post,
        ])
        let inUTC = try TestSite(["content/posts/a.md": post])
        #expect(try inLA.render()["2030/01/01/a/index.html"] == nil)
        #expect(try inUTC.render()["2030/01/01/a/index.html"] != nil)
    }

    @Test func nowComesFromTheBuildOptions() throws {
        let site = try TestSite(["content/posts/a.md": post("A", date: "2024-01-02 10:00")])
        let before = Date(timeIntervalSince1970: 1_704_189_599)  // 2024-01-02T09:59:59Z
        let after = Date(timeIntervalSince1970: 1_704_189_600)  // 2024-01-02T10:00:00Z
        func render(at now: Date) throws -> [String: String] {
            let (outputs, _) = try SiteBuilder(options: site.options(now: now)).render()
            return outputs.reduce(into: [:]) { $0[$1.path.value] = String(decoding: $1.bytes, as: UTF8.self) }
        }
        #expect(try render(at: before)["2024/01/02/a/index.html"] == nil)
        #expect(try render(at: after)["2024/01/02/a/index.html"] != nil)
    }

    @Test func futureDraftNeedsBothFlags() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", date: "2031-01-01 00:00", extra: "draft: true\n"),
        ])
        let path = "2031/01/01/a/index.html"
        #expect(try site.render { $0.includeDrafts = true }[path] == nil)
        #expect(try site.render { $0.includeFuture = true }[path] == nil)
        #expect(try site.render { $0.includeDrafts = true; $0.includeFuture = true }[path] != nil)
    }

    // MARK: The report

    @Test func reportListsSkippedDraftsAndScheduledPosts() throws {
        let report = try Self.report(Self.mixedSite())
        #expect(report.skipped.count == 2)
        let draft = try #require(report.skipped.first { $0.source == "content/posts/wip.md" })
        #expect(draft.goesLive == nil)
        let scheduled = try #require(report.skipped.first { $0.source == "content/posts/later.md" })
        #expect(scheduled.goesLive?.date == Date(timeIntervalSince1970: 1_938_097_800))  // 2031-06-01T16:30:00Z
        #expect(report.posts == 1)
        #expect(report.tags == 1)
    }

    @Test func reportListsNothingWhenEverythingIsIncluded() throws {
        let report = try Self.report(Self.mixedSite()) { $0.includeDrafts = true; $0.includeFuture = true }
        #expect(report.skipped.isEmpty)
        #expect(report.posts == 3)
    }

    @Test func buildReportOfAWrittenSiteListsSkippedPosts() throws {
        let report = try Self.mixedSite().build()
        #expect(Set(report.skipped.map(\.source)) == ["content/posts/wip.md", "content/posts/later.md"])
    }

    @Test func summaryTellsWhenAScheduledPostGoesLiveInTheSiteZone() throws {
        let summary = try Self.report(Self.mixedSite(zone: "America/Los_Angeles")).summary
        let line = try #require(summary.split(separator: "\n").first { $0.contains("content/posts/later.md") })
        // 16:30Z on 2031-06-01 is 09:30 in Los Angeles (PDT).
        #expect(line.contains("2031-06-01 09:30"))
        #expect(line.contains("America/Los_Angeles"))
        #expect(line.contains("--future"))
        #expect(!line.contains("--drafts"))
    }

    @Test func summaryTellsHowToIncludeDrafts() throws {
        let summary = try Self.report(Self.mixedSite()).summary
        let line = try #require(summary.split(separator: "\n").first { $0.contains("content/posts/wip.md") })
        #expect(line.contains("--drafts"))
        #expect(!line.contains("--future"))
    }

    @Test func summaryMentionsNoSkippedPostsWhenThereAreNone() throws {
        let site = try TestSite(["content/posts/a.md": post("A")])
        let summary = try Self.report(site).summary
        #expect(!summary.contains("--drafts"))
        #expect(!summary.contains("--future"))
    }

    // MARK: Nowhere to be seen

    @Test func skippedPostsAppearInNoPageListOrFeed() throws {
        let out = try Self.mixedSite().render()
        for (path, text) in out {
            for secret in ["Secret Draft Title", "Future Post Title", "/wip/", "/later/", "draft-only-tag",
                           "future-only-tag"]
            {
                #expect(!text.contains(secret), "\(path) mentions \(secret)")
            }
        }
        #expect(out.keys.allSatisfy { !$0.contains("draft-only-tag") && !$0.contains("future-only-tag") })
        #expect(out.keys.allSatisfy { !$0.hasPrefix("2031/") && !$0.hasPrefix("2024/01/03/") })
    }

    @Test func skippedPostsDoNotCountInTagsArchiveOrAuthors() throws {
        let site = try Self.mixedSite()
        try site.write("templates/tags.mustache", "{{#tags}}{{slug}}={{count}};{{/tags}}")
        try site.write("templates/tag.mustache", "{{tag.count}}:{{#posts}}{{title}};{{/posts}}")
        try site.write("templates/archive.mustache", "{{#years}}{{year}}={{count}};{{/years}}")
        try site.write("templates/author.mustache", "{{author.count}}:{{#posts}}{{title}};{{/posts}}")
        try site.write("templates/post.mustache", "{{#newer}}newer={{title}}{{/newer}}|{{#older}}older={{title}}{{/older}}")
        let out = try site.render()
        #expect(out["tags/index.html"] == "shared=1;")
        #expect(out["tags/shared/index.html"] == "1:Live Post;")
        #expect(out["archive/index.html"] == "2024=1;")
        #expect(out["authors/ann-author/index.html"] == "1:Live Post;")
        #expect(out["2024/01/02/live/index.html"] == "|")
    }

    @Test func skippedPostsAreInNoFeedOrSitemap() throws {
        let out = try Self.mixedSite().render()
        let rss = try #require(out["feed.xml"])
        #expect(rss.components(separatedBy: "<item>").count - 1 == 1)
        let atom = try #require(out["atom.xml"])
        #expect(atom.components(separatedBy: "<entry>").count - 1 == 1)
        let json = try #require(out["feed.json"])
        #expect(json.components(separatedBy: "\"date_published\"").count - 1 == 1)
        let tagRSS = try #require(out["tags/shared/feed.xml"])
        #expect(tagRSS.components(separatedBy: "<item>").count - 1 == 1)
        let tagAtom = try #require(out["tags/shared/atom.xml"])
        #expect(tagAtom.components(separatedBy: "<entry>").count - 1 == 1)
        let sitemap = try #require(out["sitemap.xml"])
        #expect(sitemap.contains("https://blog.example.org/2024/01/02/live/"))
        #expect(!sitemap.contains("wip") && !sitemap.contains("later") && !sitemap.contains("2031"))
    }

    @Test func siteCopyrightYearIgnoresScheduledPosts() throws {
        let out = try Self.mixedSite().render()
        #expect(try #require(out["index.html"]).contains("© 2024 Ann Author"))
    }
}
