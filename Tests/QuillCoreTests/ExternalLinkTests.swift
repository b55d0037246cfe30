import Foundation
import Testing
@testable import QuillCore

/// `quill check --external`: off-site links asked of a server on 127.0.0.1, reported where they were written, and
/// the answers kept for a day. No other network.
@Suite struct ExternalLinkTests {
    /// The time of the first check (2030-01-01 UTC); later checks add hours to it.
    static let now = Date(timeIntervalSince1970: 1_893_456_000)
    static let hour: TimeInterval = 60 * 60

    /// A server with a page, a page that moved to it, a missing page and a page that never answers.
    static func server() throws -> LocalHTTPServer {
        try LocalHTTPServer(["/ok": .status(200), "/moved": .status(301, location: "/ok"), "/missing": .status(404),
                             "/hang": .never])
    }

    /// A post linking to the four pages of `server` (lines 7 to 10 of the post).
    static func site(_ server: LocalHTTPServer) throws -> TestSite {
        try TestSite([
            "content/posts/a.md": post("A", body: """
                A [page](\(server.url("/ok"))) that works,
                one that [moved](\(server.url("/moved"))),
                one [gone](\(server.url("/missing#part"))),
                and one [asleep](\(server.url("/hang"))).
                """),
        ])
    }

    /// The check of `site` at `now` plus `hours`, with a one-second timeout.
    static func check(_ site: TestSite, after hours: Double = 0) async throws -> SiteCheck.Report {
        let options = site.options(now: now.addingTimeInterval(hours * hour))
        var checker = ExternalLinks(options: options)
        checker.timeout = 1
        return try await SiteCheck(options: options).run(external: checker)
    }

    @Test func brokenExternalLinksAreReportedWhereTheyAreWritten() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let report = try await Self.check(try Self.site(server))
        #expect(report.problems.map(\.description) == [
            "content/posts/a.md:9:12: error: link to \(server.url("/missing#part")): 404 Not Found",
            "content/posts/a.md:10:18: error: link to \(server.url("/hang")): timed out after 1 s",
        ], "the home page's summary repeats them; they are reported once")
        #expect(report.warnings.map(\.description) == [
            "content/posts/a.md:8:18: warning: link to \(server.url("/moved")): moved permanently to \(server.url("/ok"))"
                + "\n  hint: link to the new address",
        ])
        #expect(report.external?.urls == 4 && report.external?.cached == 0)
        #expect(report.summary.hasSuffix("and 4 external URLs: 2 broken, 1 moved"), "\(report.summary)")
        #expect(server.requests.sorted() == ["GET /missing", "HEAD /hang", "HEAD /missing", "HEAD /moved", "HEAD /ok",
                                             "HEAD /ok"],
                "each URL asked once, a GET only after an error, and the redirect followed")
    }

    @Test func answersAreKeptForADayThenAskedAgain() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let site = try Self.site(server)
        let first = try await Self.check(site)
        let asked = server.requests.count
        let cache = site.root.appendingPathComponent(".quill/external-links.json")
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: cache)) as? [String: Any])
        #expect(Set(kept.keys) == Set(["/ok", "/moved", "/missing", "/hang"].map(server.url)))

        let sameDay = try await Self.check(site, after: 23)
        #expect(server.requests.count == asked, "a check within a day asks no server")
        #expect(sameDay.external?.urls == 4 && sameDay.external?.cached == 4)
        #expect(sameDay.problems.map(\.message) == first.problems.map(\.message), "broken links stay reported")
        #expect(sameDay.problems.map(\.hint) == Array(repeating: "answered 23 h ago; answers are kept a day in "
                                                      + ".quill/external-links.json: delete it to ask again", count: 2))
        #expect(sameDay.warnings.map(\.message) == first.warnings.map(\.message))

        let nextDay = try await Self.check(site, after: 25)
        #expect(server.requests.count == 2 * asked, "after a day every URL is asked again")
        #expect(nextDay.external?.cached == 0)
        #expect(nextDay.problems.map(\.description) == first.problems.map(\.description))
    }

    @Test func withoutExternalNoServerIsAsked() throws {
        let server = try Self.server()
        defer { server.stop() }
        let site = try Self.site(server)
        let report = try SiteCheck(options: site.options()).run()
        #expect(report.problems.isEmpty && report.warnings.isEmpty && report.external == nil)
        #expect(report.summary.hasSuffix(" pages: all good"))
        #expect(server.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".quill/external-links.json").path))
    }

    @Test func aHostIsAskedTwoThingsAtATime() async throws {
        let server = try LocalHTTPServer(["/a": .never, "/b": .never, "/c": .never])
        defer { server.stop() }
        var checker = ExternalLinks(cache: nil, now: Self.now)
        checker.timeout = 1
        let clock = ContinuousClock(), start = clock.now
        let outcome = await checker.check(Set(["/a", "/b", "/c"].map(server.url)))
        #expect(clock.now - start >= .seconds(2), "two, then the third")
        #expect(outcome.answers.values.map(\.problem) == Array(repeating: "timed out after 1 s", count: 3))
        #expect(server.requests.count == 3)
        #expect(server.mostAtOnce == 2)
    }

    @Test func aRedirectChainThatEndsInAnErrorNamesItsSteps() async throws {
        let server = try LocalHTTPServer(["/old": .status(302, location: "/older"), "/older": .status(301, location: "/gone"),
                                          "/loop": .status(301, location: "/loop")])
        defer { server.stop() }
        var checker = ExternalLinks(cache: nil, now: Self.now)
        checker.maximumRedirects = 3
        let outcome = await checker.check([server.url("/old"), server.url("/loop")])
        #expect(outcome.answers[server.url("/old")]?.problem
                    == "404 Not Found after redirects to \(server.url("/older")) → \(server.url("/gone"))")
        #expect(outcome.answers[server.url("/old")]?.status == 404)
        #expect(outcome.answers[server.url("/loop")]?.problem
                    == "more than 3 redirects: " + Array(repeating: server.url("/loop"), count: 3).joined(separator: " → "))
    }

    @Test func onlyHTTPLinksAreExternalAndTheirFragmentsAreDropped() {
        #expect(ExternalLinks.target(of: "https://example.com/a#b") == "https://example.com/a")
        #expect(ExternalLinks.target(of: " HTTP://Example.com/ ") == "HTTP://Example.com/")
        #expect(ExternalLinks.target(of: "mailto:a@b.c") == nil)
        #expect(ExternalLinks.target(of: "//example.com/a") == nil)
        #expect(ExternalLinks.target(of: "/2024/01/01/a/") == nil)
        #expect(ExternalLinks.target(of: "ftp://example.com/f") == nil)
    }
}
