import Foundation
import Testing
@testable import QuillCore

/// URLs that never break: `published-urls.txt` records where every post and page was published; one that moves
/// keeps a redirect at each old URL and its first URL as its feed id, one that is gone is reported once.
@Suite struct URLStabilityTests {
    static func site() throws -> TestSite {
        try TestSite([
            "content/posts/2024-01-02-first.md": post("First", date: "2024-01-02 10:00", body: "One."),
            "content/posts/2024-01-03-second.md": post("Second", date: "2024-01-03 10:00", body: "Two."),
            "content/about.md": "---\ntitle: About\n---\nMe.\n",
        ])
    }

    static func text(_ site: TestSite, _ path: String) -> String {
        String(decoding: site.files()[path] ?? Data(), as: UTF8.self)
    }

    static func record(_ site: TestSite) -> String {
        (try? String(contentsOf: site.root.appendingPathComponent(URLRecord.file), encoding: .utf8)) ?? ""
    }

    /// The redirect page at `old` points at `new` (absolute, on the test site's base URL).
    static func expectRedirect(_ site: TestSite, from old: String, to new: String,
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let html = text(site, old + "index.html")
        #expect(html.contains("<link rel=\"canonical\" href=\"https://blog.example.org\(new)\">")
                    && html.contains("url=https://blog.example.org\(new)\""), "\(old): \(html)",
                sourceLocation: sourceLocation)
    }

    @Test func aFirstBuildRecordsEveryPostAndPageAndSaysSo() throws {
        let site = try Self.site()
        let report = try site.build()
        #expect(report.notices.contains { $0.hasPrefix("note: published-urls.txt now records the URLs of the site's 3 ") })
        let lines = Self.record(site).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == [
            "/2024/01/02/first/\tcontent/posts/2024-01-02-first.md\t2024-01-02T10:00:00Z\tFirst",
            "/2024/01/03/second/\tcontent/posts/2024-01-03-second.md\t2024-01-03T10:00:00Z\tSecond",
            "/about/\tcontent/about.md\t-\tAbout",
        ])
        // The next build reads the record it wrote: nothing to do, and nothing said.
        let again = try site.build()
        #expect(again.checked == 0 && again.written.isEmpty && again.notices.isEmpty, "\(again.summary)")
    }

    @Test func aNewSlugLeavesARedirectAndKeepsTheFeedIDs() throws {
        let site = try Self.site()
        try site.build()
        try site.write("content/posts/2024-01-02-first.md", post("First", date: "2024-01-02 10:00", extra: "slug: premier\n",
                                                                 body: "One."))
        let report = try site.build()
        #expect(report.notices.contains("moved: /2024/01/02/first/ → /2024/01/02/premier/"), "\(report.notices)")
        Self.expectRedirect(site, from: "2024/01/02/first/", to: "/2024/01/02/premier/")
        #expect(site.files()["2024/01/02/premier/index.html"] != nil)
        let old = "https://blog.example.org/2024/01/02/first/", new = "https://blog.example.org/2024/01/02/premier/"
        let atom = Self.text(site, "atom.xml"), rss = Self.text(site, "feed.xml"), json = Self.text(site, "feed.json")
        #expect(atom.contains("<link href=\"\(new)\" rel=\"alternate\" type=\"text/html\"/>\n<id>\(old)</id>"))
        #expect(rss.contains("<link>\(new)</link>\n<guid isPermaLink=\"true\">\(old)</guid>"))
        #expect(json.contains("\"id\": \"\(old)\",\n      \"url\": \"\(new)\""))
        let sitemap = Self.text(site, "sitemap.xml")
        #expect(sitemap.contains(new) && !sitemap.contains(old), "the sitemap lists current URLs only")
        #expect(Self.record(site).contains("/2024/01/02/premier/\tcontent/posts/2024-01-02-first.md\t2024-01-02T10:00:00Z\tFirst\n"
                                               + "\twas\t/2024/01/02/first/\n\tfeed-id\t/2024/01/02/first/\n"))
        // Moved on again, then back: every old URL redirects, and the id stays the first URL.
        try site.write("content/posts/2024-01-02-first.md", post("First", date: "2024-01-05 10:00", extra: "slug: premier\n",
                                                                 body: "One."))
        let dated = try site.build()
        #expect(dated.notices.contains("moved: /2024/01/02/premier/ → /2024/01/05/premier/"))
        Self.expectRedirect(site, from: "2024/01/02/first/", to: "/2024/01/05/premier/")
        Self.expectRedirect(site, from: "2024/01/02/premier/", to: "/2024/01/05/premier/")
        #expect(Self.text(site, "atom.xml").contains("<id>\(old)</id>"))
        try site.write("content/posts/2024-01-02-first.md", post("First", date: "2024-01-02 10:00", body: "One."))
        try site.build()
        #expect(site.files()["2024/01/02/first/index.html"].map { !String(decoding: $0, as: UTF8.self).contains("refresh") } == true)
        Self.expectRedirect(site, from: "2024/01/05/premier/", to: "/2024/01/02/first/")
        #expect(Self.text(site, "atom.xml").contains("<link href=\"\(old)\" rel=\"alternate\" type=\"text/html\"/>\n<id>\(old)</id>"))
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
    }

    @Test func aNewPermalinkPatternMovesEveryPostAndEachOldURLRedirects() throws {
        let site = try Self.site()
        try site.build()
        try site.write("site.toml", TestSite.basicConfig + "\npermalink = \"/posts/:slug/\"\n")
        let report = try site.build()
        #expect(report.notices.filter { $0.hasPrefix("moved: ") }.sorted() == [
            "moved: /2024/01/02/first/ → /posts/first/", "moved: /2024/01/03/second/ → /posts/second/",
        ])
        Self.expectRedirect(site, from: "2024/01/02/first/", to: "/posts/first/")
        Self.expectRedirect(site, from: "2024/01/03/second/", to: "/posts/second/")
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
    }

    @Test func aRenamedFileIsTheSamePostByItsTitleAndDateOrByItsID() throws {
        let site = try TestSite([
            "content/posts/2024-01-02-first.md": post("First", date: "2024-01-02 10:00"),
            "content/posts/2024-01-03-second.md": post("Second", date: "2024-01-03 10:00", extra: "id: post-2\n"),
        ])
        try site.build()
        // Renamed, same title and date.
        try site.remove("content/posts/2024-01-02-first.md")
        try site.write("content/posts/2024-01-02-the-first.md", post("First", date: "2024-01-02 10:00"))
        // Renamed and retitled: found by its id.
        try site.remove("content/posts/2024-01-03-second.md")
        try site.write("content/posts/2024-01-03-deuxieme.md", post("Deuxième", date: "2024-01-03 10:00", extra: "id: post-2\n"))
        let report = try site.build()
        #expect(report.notices.sorted() == [
            "moved: /2024/01/02/first/ → /2024/01/02/the-first/",
            "moved: /2024/01/03/second/ → /2024/01/03/deuxieme/",
            "renamed: content/posts/2024-01-02-first.md → content/posts/2024-01-02-the-first.md (the same post: the same title and date)",
            "renamed: content/posts/2024-01-03-second.md → content/posts/2024-01-03-deuxieme.md (the same post: the same id)",
        ])
        Self.expectRedirect(site, from: "2024/01/02/first/", to: "/2024/01/02/the-first/")
        Self.expectRedirect(site, from: "2024/01/03/second/", to: "/2024/01/03/deuxieme/")
        #expect(Self.text(site, "feed.json").contains("\"id\": \"https://blog.example.org/2024/01/03/second/\""))
        #expect(!Self.record(site).contains("2024-01-02-first.md"), "the record follows the file")
    }

    @Test func aRemovedPostIsReportedGoneOnceAndIsAnErrorWhenStrict() throws {
        let site = try Self.site()
        try site.build()
        try site.remove("content/posts/2024-01-03-second.md")
        let recordBefore = Self.record(site)
        let strict = site.errors { $0.strictURLs = true } ?? ""
        #expect(strict.hasPrefix("content/posts/2024-01-03-second.md: error: was published at /2024/01/03/second/ and is no "
                    + "longer (deleted, a draft again, or dated in the future)\n  hint: restore it; or send its readers "
                    + "on with `aliases: [/2024/01/03/second/]` in the post that replaces it; or, if this is meant, build "
                    + "once without --strict-urls to record it\n"), "\(strict)")
        #expect(throws: BuildFailure.self) { try site.build { $0.strictURLs = true } }
        #expect(site.files()["2024/01/03/second/index.html"] != nil, "a failed build leaves the last good site")
        #expect(Self.record(site) == recordBefore)
        let report = try site.build()
        #expect(report.notices == ["gone: /2024/01/03/second/ (content/posts/2024-01-03-second.md)"])
        #expect(site.files()["2024/01/03/second/index.html"] == nil, "no redirect for a post that is gone")
        #expect(Self.record(site).contains("/2024/01/03/second/\tcontent/posts/2024-01-03-second.md\t2024-01-03T10:00:00Z\tSecond\n\tgone\n"))
        try site.write("content/posts/2024-01-09-new.md", post("New", date: "2024-01-09 10:00"))
        #expect(try site.build { $0.strictURLs = true }.notices.isEmpty, "said once; the record knows it now")
        // Back again: published where it was.
        try site.write("content/posts/2024-01-03-second.md", post("Second", date: "2024-01-03 10:00", body: "Two."))
        try site.build { $0.strictURLs = true }
        #expect(!Self.record(site).contains("\tgone"))
    }

    @Test func aMoveWhoseOldURLIsTakenCannotRedirectAndIsAnErrorWhenStrict() throws {
        let site = try Self.site()
        try site.build()
        try site.write("content/posts/2024-01-02-first.md", post("First", date: "2024-01-02 10:00", extra: "slug: premier\n"))
        try site.write("content/posts/2024-01-02-other.md", post("Other", date: "2024-01-02 10:00", extra: "slug: first\n"))
        let strict = site.errors { $0.strictURLs = true } ?? ""
        #expect(strict.hasPrefix("content/posts/2024-01-02-first.md: error: moved from /2024/01/02/first/ to "
                                  + "/2024/01/02/premier/, and /2024/01/02/first/ cannot redirect: "
                                  + "content/posts/2024-01-02-other.md is there now"), "\(strict)")
        let report = try site.build()
        #expect(report.notices.contains("moved: /2024/01/02/first/ → /2024/01/02/premier/ (no redirect: "
                                        + "content/posts/2024-01-02-other.md is at /2024/01/02/first/ now)"))
        #expect(Self.text(site, "2024/01/02/first/index.html").contains("<title>Other"))
    }

    @Test func aCleanBuildOfAFreshCopyKeepsTheRedirectsAndFeedIDs() throws {
        let site = try Self.site()
        try site.build()
        try site.write("content/about.md", "---\ntitle: About\nslug: who\n---\nMe.\n")
        try site.write("content/posts/2024-01-02-first.md", post("First", date: "2024-01-02 10:00", extra: "slug: premier\n", body: "One."))
        try site.build()
        let built = site.files()
        // A fresh clone: the sources and the record, no state, no output folder.
        let clone = try TestSite([:])
        for path in ["site.toml", URLRecord.file, "content/about.md", "content/posts/2024-01-02-first.md",
                     "content/posts/2024-01-03-second.md"] {
            try clone.write(path, try Data(contentsOf: site.root.appendingPathComponent(path)))
        }
        let report = try clone.build()
        #expect(report.notices.isEmpty, "\(report.notices)")
        #expect(clone.files() == built)
        Self.expectRedirect(clone, from: "about/", to: "/who/")
        Self.expectRedirect(clone, from: "2024/01/02/first/", to: "/2024/01/02/premier/")
    }

    @Test func previewsAndDraftBuildsLeaveTheRecordAlone() throws {
        let site = try Self.site()
        try site.write("content/posts/2024-01-04-draft.md", post("Draft", date: "2024-01-04 10:00", extra: "draft: true\n"))
        try site.build { $0.recordsURLs = false }
        #expect(Self.record(site).isEmpty)
        try site.build()
        let record = Self.record(site)
        #expect(!record.contains("draft"))
        try site.build { $0.includeDrafts = true }
        #expect(Self.record(site) == record)
    }

    @Test func aBrokenRecordLineIsAnErrorAtItsLine() throws {
        let site = try Self.site()
        try site.build()
        let record = Self.record(site)
        try site.write(URLRecord.file, record + "<<<<<<< HEAD\n/x/\tcontent/posts/x.md\n")
        let errors = site.errors() ?? ""
        let first = record.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(errors.contains("published-urls.txt:\(first):1: error: a merge conflict is left in the URL record\n"
                                + "  hint: keep the lines of both sides and remove the conflict markers"), "\(errors)")
        #expect(errors.contains("published-urls.txt:\(first + 1):1: error: not a line of the URL record: /x/"))
    }

    @Test func theRecordReadsBackWhatItWrites() {
        var entry = URLRecord.Entry(url: URLPath("/a/"), source: "content/posts/a.md", date: "2024-01-02T10:00:00Z",
                                    title: "Tabs\tand\nlines")
        entry.was = [URLPath("/old/"), URLPath("/older/")]
        entry.feedID = URLPath("/old/")
        entry.id = "a-1"
        entry.gone = true
        let record = URLRecord([entry, URLRecord.Entry(url: URLPath("/about/"), source: "content/about.md", date: "-", title: "About")])
        let (read, problems) = URLRecord.parse(record.text)
        #expect(problems.isEmpty)
        #expect(read == record)
        #expect(read.entries[0].title == "Tabs and lines")
    }
}
