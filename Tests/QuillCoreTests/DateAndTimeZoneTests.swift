import Foundation
import Testing
@testable import QuillCore

/// Front matter dates are read in the site's `time_zone` (never the process's), and shown there everywhere:
/// pages, permalinks, feeds and the sitemap.
@Suite struct DateAndTimeZoneTests {
    static func config(zone: String?, permalink: String? = nil) -> String {
        var text = "title = \"Zoned\"\nbase_url = \"https://blog.example.org/\"\nauthor = \"Ann\"\n"
        if let zone { text += "time_zone = \"\(zone)\"\n" }
        if let permalink { text += "permalink = \"\(permalink)\"\n" }
        return text
    }

    /// A site in `zone` with one post `a.md` dated `date` (as written in YAML front matter).
    static func site(zone: String? = "America/Los_Angeles", date: String, permalink: String? = nil,
                     extra: String = "") throws -> TestSite {
        try TestSite([
            "site.toml": config(zone: zone, permalink: permalink),
            "content/posts/a.md": "---\ntitle: A\ndate: \(date)\n\(extra)---\nBody text.\n",
        ])
    }

    /// The one post's output path (there is exactly one post page in these sites).
    static func postPath(_ out: [String: String]) -> String? {
        out.keys.filter { $0.hasSuffix("/a/index.html") }.first
    }

    /// Checks the post's date on its page, in all three feeds and in the sitemap.
    static func expectDate(_ out: [String: String], iso: String, rfc822: String, display: String,
                           at path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let page = out[path] ?? ""
        #expect(page.contains("<time datetime=\"\(iso)\">\(display)</time>"),
                "post page lacks <time datetime=\"\(iso)\">", sourceLocation: sourceLocation)
        #expect((out["atom.xml"] ?? "").contains("<published>\(iso)</published>"), sourceLocation: sourceLocation)
        #expect((out["feed.xml"] ?? "").contains("<pubDate>\(rfc822)</pubDate>"), sourceLocation: sourceLocation)
        #expect((out["feed.json"] ?? "").contains("\"date_published\": \"\(iso)\""), sourceLocation: sourceLocation)
        #expect((out["sitemap.xml"] ?? "").contains("<lastmod>\(iso)</lastmod>"), sourceLocation: sourceLocation)
    }

    @Test func dateOnlyIsMidnightInTheSiteZone() throws {
        let out = try Self.site(date: "2010-01-30").render()
        Self.expectDate(out, iso: "2010-01-30T00:00:00-08:00", rfc822: "Sat, 30 Jan 2010 00:00:00 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test(arguments: ["2010-01-30 19:51:52", "2010-01-30T19:51:52"])
    func dateTimeWithoutZoneIsInTheSiteZone(_ date: String) throws {
        let out = try Self.site(date: date).render()
        Self.expectDate(out, iso: "2010-01-30T19:51:52-08:00", rfc822: "Sat, 30 Jan 2010 19:51:52 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func summerDateTimeUsesTheDaylightSavingOffset() throws {
        let out = try Self.site(date: "2010-07-04 12:00").render()
        Self.expectDate(out, iso: "2010-07-04T12:00:00-07:00", rfc822: "Sun, 04 Jul 2010 12:00:00 -0700",
                        display: "July 4, 2010", at: "2010/07/04/a/index.html")
    }

    @Test func explicitOffsetKeepsTheInstantAndShowsItInTheSiteZone() throws {
        // 19:51:52 at +02:00 is 17:51:52Z, which is 09:51:52 in Los Angeles.
        let out = try Self.site(date: "2010-01-30T19:51:52+02:00").render()
        Self.expectDate(out, iso: "2010-01-30T09:51:52-08:00", rfc822: "Sat, 30 Jan 2010 09:51:52 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func explicitOffsetOrdersPostsByInstant() throws {
        // 19:00+02:00 (09:00 in LA) is earlier than 12:00 in LA, although it reads later.
        let site = try TestSite([
            "site.toml": Self.config(zone: "America/Los_Angeles"),
            "content/posts/offset.md": post("Offset", date: "2010-01-30T19:00:00+02:00"),
            "content/posts/local.md": post("Local", date: "2010-01-30 12:00"),
            "templates/index.mustache": "{{#posts}}{{title}};{{/posts}}",
        ])
        #expect(try site.render()["index.html"] == "Local;Offset;")
    }

    @Test func zuluTimeIsShownInTheSiteZone() throws {
        let out = try Self.site(date: "2010-01-31T02:00:00Z").render()
        Self.expectDate(out, iso: "2010-01-30T18:00:00-08:00", rfc822: "Sat, 30 Jan 2010 18:00:00 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func permalinkUsesTheSiteZoneCalendarDate() throws {
        let out = try Self.site(date: "2010-01-31T02:00:00Z").render()
        #expect(out["2010/01/30/a/index.html"] != nil)
        #expect(out["2010/01/31/a/index.html"] == nil)
    }

    @Test func permalinkMovesForwardInZonesAheadOfUTC() throws {
        // Noon UTC is 01:00 the next day in Auckland (+13:00 in January).
        let out = try Self.site(zone: "Pacific/Auckland", date: "2010-01-30T12:00:00Z").render()
        Self.expectDate(out, iso: "2010-01-31T01:00:00+13:00", rfc822: "Sun, 31 Jan 2010 01:00:00 +1300",
                        display: "January 31, 2010", at: "2010/01/31/a/index.html")
    }

    @Test func permalinkTimeTokensUseTheSiteZone() throws {
        let out = try Self.site(date: "2010-01-31T02:03:04Z", permalink: "/:year/:month/:day/:hour/:minute/:second/:slug/")
            .render()
        #expect(out["2010/01/30/18/03/04/a/index.html"] != nil)
    }

    @Test func yearOfTheArchiveIsTheSiteZoneYear() throws {
        // 05:00 UTC on New Year's Day is still 2009 in Los Angeles.
        let site = try TestSite([
            "site.toml": Self.config(zone: "America/Los_Angeles"),
            "content/posts/a.md": post("A", date: "2010-01-01T05:00:00Z"),
            "templates/archive.mustache": "{{#years}}{{year}}:{{count}};{{/years}}",
        ])
        let out = try site.render()
        #expect(out["archive/index.html"] == "2009:1;")
        #expect(out["2009/12/31/a/index.html"] != nil)
    }

    @Test func offsetsWithMinutesAreWrittenInFull() throws {
        // Chatham Islands: +13:45 in (southern) summer.
        let out = try Self.site(zone: "Pacific/Chatham", date: "2010-01-30 19:51:52").render()
        Self.expectDate(out, iso: "2010-01-30T19:51:52+13:45", rfc822: "Sat, 30 Jan 2010 19:51:52 +1345",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func siteWithoutTimeZoneUsesUTCNotTheProcessZone() throws {
        let out = try Self.site(zone: nil, date: "2010-01-30 23:30").render()
        Self.expectDate(out, iso: "2010-01-30T23:30:00Z", rfc822: "Sat, 30 Jan 2010 23:30:00 +0000",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func dateOnlyIsMidnightInAZoneAheadOfUTC() throws {
        // Run the suite with TZ set to some other zone too: a date-only post stays at midnight of the site's zone.
        let first = try Self.site(zone: "Asia/Kolkata", date: "2010-01-30").render()
        Self.expectDate(first, iso: "2010-01-30T00:00:00+05:30", rfc822: "Sat, 30 Jan 2010 00:00:00 +0530",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func tomlOffsetDateTimeKeepsTheInstant() throws {
        let site = try TestSite([
            "site.toml": Self.config(zone: "America/Los_Angeles"),
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2010-01-30T19:51:52+02:00\n+++\nBody text.\n",
        ])
        Self.expectDate(try site.render(), iso: "2010-01-30T09:51:52-08:00", rfc822: "Sat, 30 Jan 2010 09:51:52 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func tomlZuluDateTimeKeepsTheInstant() throws {
        let site = try TestSite([
            "site.toml": Self.config(zone: "America/Los_Angeles"),
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2010-01-31T02:00:00Z\n+++\nBody text.\n",
        ])
        Self.expectDate(try site.render(), iso: "2010-01-30T18:00:00-08:00", rfc822: "Sat, 30 Jan 2010 18:00:00 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func tomlLocalDateTimeIsInTheSiteZone() throws {
        let site = try TestSite([
            "site.toml": Self.config(zone: "America/Los_Angeles"),
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2010-01-30T19:51:52\n+++\nBody text.\n",
        ])
        Self.expectDate(try site.render(), iso: "2010-01-30T19:51:52-08:00", rfc822: "Sat, 30 Jan 2010 19:51:52 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func tomlLocalDateIsMidnightInTheSiteZone() throws {
        let site = try TestSite([
            "site.toml": Self.config(zone: "America/Los_Angeles"),
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2010-01-30\n+++\nBody text.\n",
        ])
        Self.expectDate(try site.render(), iso: "2010-01-30T00:00:00-08:00", rfc822: "Sat, 30 Jan 2010 00:00:00 -0800",
                        display: "January 30, 2010", at: "2010/01/30/a/index.html")
    }

    @Test func updatedDateIsShownInTheSiteZone() throws {
        let out = try Self.site(date: "2010-01-30 10:00", extra: "updated: 2010-02-01T00:00:00Z\n").render()
        let page = try #require(out["2010/01/30/a/index.html"])
        #expect(page.contains("Updated <time datetime=\"2010-01-31T16:00:00-08:00\">January 31, 2010</time>"))
        #expect(try #require(out["atom.xml"]).contains("<updated>2010-01-31T16:00:00-08:00</updated>"))
        #expect(try #require(out["feed.json"]).contains("\"date_modified\": \"2010-01-31T16:00:00-08:00\""))
        #expect(try #require(out["sitemap.xml"]).contains("<lastmod>2010-01-31T16:00:00-08:00</lastmod>"))
    }

    @Test func leapDayIsAValidDate() throws {
        let out = try Self.site(date: "2012-02-29").render()
        #expect(out["2012/02/29/a/index.html"] != nil)
    }

    // `2010-1-30` was refused here until Quill read dates as Jekyll does: it is 2010-01-30 (RubyDateTests).
    @Test(arguments: ["2010-02-30", "2010-13-01", "yesterday", "2010-02-29", "2010-01-30 24:00", "2010-1-32"])
    func invalidDateIsAnErrorAtTheDateLine(_ date: String) throws {
        let errors = try Self.site(date: date).errors()
        #expect(errors?.hasPrefix("content/posts/a.md:3:1: error: ") == true, "\(errors ?? "no error")")
        #expect(errors?.contains("date") == true)
    }

    @Test func invalidUpdatedDateIsAnError() throws {
        let errors = try Self.site(date: "2010-01-30", extra: "updated: 2010-02-30\n").errors()
        #expect(errors?.hasPrefix("content/posts/a.md:4:1: error: ") == true, "\(errors ?? "no error")")
    }
}
