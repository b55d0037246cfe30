import Foundation
import Testing
@testable import QuillCore

/// Dates read as Jekyll reads them (Ruby's `Time.parse`): checked against Ruby's own answers for thousands of
/// strings (`Tests/Fixtures/ruby-dates.tsv`, written by `scripts/ruby-dates.py`), and, where Ruby is installed,
/// against a fresh sample.
@Suite struct RubyDateTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let utc = TimeZone(identifier: "UTC")!

    /// Quill's answer in the fixture's form: the moment in its offset (the site's, UTC, when it has none), or
    /// `missing` / `error`.
    static func answer(_ input: String, rollsOver: Bool = true) -> String {
        switch DateParser.read(input, timeZone: utc, rollsOver: rollsOver) {
        case .success(let reading):
            let offset = reading.offset ?? 0
            let whole = reading.date.timeIntervalSince1970.rounded(.down)
            let micros = Int(((reading.date.timeIntervalSince1970 - whole) * 1_000_000).rounded())
            let c = RubyTime.civil(fromSeconds: Int(whole) + offset)
            var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.mon, c.day, c.hour, c.min, c.sec)
            if micros != 0 { text += String(format: ".%03d", micros / 1000) }
            let minutes = abs(offset) / 60
            return text + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
        case .failure(.missing): return "missing"
        case .failure(.yearOutOfRange): return "year out of range"
        case .failure: return "error"
        }
    }

    /// What Quill must answer where Ruby answered `ruby`: the same, but a year Quill does not publish is refused.
    static func expected(_ ruby: String) -> String {
        guard ruby != "missing", ruby != "error" else { return ruby }
        let year = ruby.hasPrefix("-") ? 0 : Int(ruby.prefix { $0 != "-" }) ?? 0
        return (1...9999).contains(year) ? ruby : "year out of range"
    }

    static func lines(of file: URL) throws -> [(input: String, ruby: String)] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    /// Every line where Quill differs from Ruby, as `input: Quill's → Ruby's`.
    static func differences(in file: URL) throws -> (checked: Int, differences: [String]) {
        let cases = try lines(of: file)
        var differences = [String]()
        for (input, ruby) in cases {
            let quill = answer(input)
            if quill != expected(ruby) { differences.append("\"\(input)\": Quill \(quill), Ruby \(ruby)") }
        }
        return (cases.count, differences)
    }

    @Test func everyDateOfTheRubyFixtureIsReadAsRubyReadsIt() throws {
        let (checked, differences) = try Self.differences(in: Self.repository.appendingPathComponent("Tests/Fixtures/ruby-dates.tsv"))
        #expect(checked > 3000)
        #expect(differences.isEmpty, "\(differences.count) of \(checked) differ:\n\(differences.prefix(40).joined(separator: "\n"))")
    }

    @Test func aFreshSampleFromLiveRubyIsReadAlike() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ruby")
            || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
                .contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/ruby") })
        else { return }  // no Ruby here: the fixture test above still runs
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ruby-dates-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repository.appendingPathComponent("scripts/ruby-dates.py").path,
                             "--seed", "1234", "--count", "400", "--output", output.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let (checked, differences) = try Self.differences(in: output)
        #expect(checked > 400)
        #expect(differences.isEmpty, "\(differences.count) of \(checked) differ:\n\(differences.prefix(40).joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("Sat, 30 Jan 2010 19:51:52 -0800", "2010-01-30T19:51:52-08:00"),
        ("2010-01-30 19:51:52 PST", "2010-01-30T19:51:52-08:00"),
        ("2010-01-30 07:51:52.25 pm EDT", "2010-01-30T19:51:52.250-04:00"),
        ("January 30th, 2010 at 7:51pm GMT", "2010-01-30T19:51:00+00:00"),
        ("30 Jan 2010 19:51 -08", "2010-01-30T19:51:00-08:00"),
        ("Posted on Saturday, Jan. 30, 2010", "2010-01-30T00:00:00+00:00"),
        ("2010-1-3", "2010-01-03T00:00:00+00:00"),
    ])
    func jekyllsDateFormsAreRead(_ input: String, _ iso: String) {
        #expect(Self.answer(input, rollsOver: false) == iso)
    }

    @Test func aDateWithAZoneTimeDoesNotKnowIsInTheSiteZoneAsJekyllPublishesIt() {
        // Ruby's `Date._parse` knows JST, but `Time.parse` does not: Jekyll reads the time as the site's.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let reading = try? DateParser.read("2010-01-30 19:51 JST", timeZone: berlin).get()
        #expect(reading?.offset == nil)
        #expect(reading.map { DateParser.normalized($0, timeZone: berlin) } == "2010-01-30T19:51:00+01:00")
    }

    @Test func aDateWithoutAYearSaysWhatItLacks() {
        #expect(DateParser.read("Jan 30 19:51", timeZone: Self.utc) == .failure(.missing(["year"])))
        #expect(DateParser.read("19:51", timeZone: Self.utc) == .failure(.missing(["year", "month", "day"])))
        #expect(DateParser.read("the 30th", timeZone: Self.utc) == .failure(.missing(["year", "month"])))
        #expect(DateParser.explanation(.missing(["year", "month", "day"])).hasPrefix("has no year, month or day"))
    }

    /// Found by fuzzing: a year of 85 digits (Ruby reads it) overflowed the arithmetic that turns a date into
    /// seconds. It is a year Quill does not publish, said as such; past 128 characters Ruby refuses the text whole.
    @Test func aYearOfManyDigitsIsAnErrorNotACrash() {
        let year = "2013" + String(repeating: "3", count: 80) + "0"
        for text in [year + "-01-20 14:19:19", "Jan 5 " + year, year + "-12-31 23:59 -0800",
                     "99999999999999999999-01-01", "-99999999999999-01-01"] {
            guard case .failure(.yearOutOfRange) = DateParser.read(text, timeZone: Self.utc) else {
                Issue.record("\(text.prefix(30))…: \(DateParser.read(text, timeZone: Self.utc))")
                continue
            }
        }
        let longer = "2013" + String(repeating: "3", count: 130) + "0-01-20"
        #expect(DateParser.read(longer, timeZone: Self.utc) == .failure(.unreadable))
    }

    @Test func aDayPastItsMonthsEndIsAnErrorThatNamesWhatJekyllMadeOfIt() {
        #expect(DateParser.read("2010-02-30", timeZone: Self.utc) == .failure(.rollsOver("2010-03-02T00:00:00+00:00")))
        #expect(Self.answer("2010-02-30", rollsOver: true) == "2010-03-02T00:00:00+00:00")
        #expect(DateParser.read("2010-01-30 24:00", timeZone: Self.utc) == .failure(.rollsOver("2010-01-31T00:00:00+00:00")))
    }

    @Test func theBuildReportsAnUnreadableDateWithWhatItLacksAndTheFormsQuillReads() throws {
        let site = try TestSite(["content/posts/a.md": "---\ntitle: A\ndate: Jan 30 7pm\n---\nBody\n"])
        let errors = try #require(site.errors())
        #expect(errors.contains("""
            content/posts/a.md:3:1: error: cannot read `date` "Jan 30 7pm" as a date: it has no year (Jekyll would \
            take the current one, so each build could date it differently)
              hint: write it as 2024-05-01, 2024-05-01 09:30, 2024-05-01T09:30:00+02:00 or as Jekyll does
            """))
    }

    @Test func theBuildReadsAnRFC2822DateInItsOwnZone() throws {
        let site = try TestSite(["content/posts/a.md": "---\ntitle: A\ndate: Sat, 30 Jan 2010 19:51:52 -0800\n---\nBody\n"])
        let out = try site.render()
        #expect(out["2010/01/31/a/index.html"]?.contains("datetime=\"2010-01-31T03:51:52") == true)
    }

    @Test func isNormalizedAcceptsOnlyISO8601WithAnOffset() {
        #expect(DateParser.isNormalized("2010-01-30T19:51:52-08:00"))
        #expect(DateParser.isNormalized("2010-01-30T19:51:52.5Z"))
        #expect(!DateParser.isNormalized("2010-01-30 19:51:52 -0800"))
        #expect(!DateParser.isNormalized("2010-01-30"))
    }

    @Test func theImporterWritesEachDateAsJekyllReadItInISO8601AndListsTheRewrites() throws {
        let files = [
            "_config.yml": "title: T\ntimezone: America/Los_Angeles\n",
            "_posts/2010-01-30-a.md": "---\ntitle: A\ndate: Sat, 30 Jan 2010 19:51:52 -0800\n---\nA\n",
            "_posts/2010-03-02-b.md": "---\ndate: 2010-02-30 10:00\ntitle: B\n---\nB\n",
            "_posts/2010-01-31-c.md": "---\ntitle: C\ndate: 2010-01-31T10:00:00-08:00\n---\nC\n",
            "_posts/2010-02-01-d.md": "---\ntitle: D\ndate: Jan 5\n---\nD\n",
        ]
        let result = JekyllImporter().convert(JekyllSource(files: files.mapValues { Data($0.utf8) }))
        func text(_ path: String) throws -> String { String(decoding: try #require(result.files[path]), as: UTF8.self) }
        #expect(try text("content/posts/2010-01-30-a.md") == "---\ntitle: A\ndate: 2010-01-30T19:51:52-08:00\n---\nA\n")
        #expect(try text("content/posts/2010-03-02-b.md") == "---\ndate: 2010-03-02T10:00:00-08:00\ntitle: B\n---\nB\n")
        #expect(try text("content/posts/2010-01-31-c.md") == files["_posts/2010-01-31-c.md"])
        #expect(result.report.dateRewrites == [
            "content/posts/2010-01-30-a.md: Sat, 30 Jan 2010 19:51:52 -0800 → 2010-01-30T19:51:52-08:00",
            "content/posts/2010-03-02-b.md: 2010-02-30 10:00 → 2010-03-02T10:00:00-08:00",
        ])
        #expect(result.report.description.contains("""
            dates written as ISO 8601 (as Jekyll read them):
              content/posts/2010-01-30-a.md: Sat, 30 Jan 2010 19:51:52 -0800 → 2010-01-30T19:51:52-08:00
            """))
        #expect(result.report.leftForAuthor == [
            "content/posts/2010-02-01-d.md:3: Quill cannot read `date` \"Jan 5\": it has no year (Jekyll would take the "
                + "current one, so each build could date it differently); write it as 2010-01-05T10:00:00-08:00",
        ])
        let readable = result.files.filter { !$0.key.hasSuffix("-d.md") }  // "Jan 5" stays an error for the author
        let site = try TestSite(readable.mapValues { String(decoding: $0, as: UTF8.self) })
        #expect(try site.render().keys.contains { $0.hasPrefix("2010/03/02/b") })
    }
    /// Checked with Jekyll 4 itself: in a Los Angeles site, `date: 2010-01-30 03:00:00` (unquoted: a YAML time,
    /// UTC without a zone) was published at /2010/01/29/early/; quoted, it is text, read in the site's zone.
    @Test func anUnquotedYAMLTimeWithoutAZoneIsUTCAsJekyllPublishedIt() throws {
        let files = [
            "_config.yml": "title: T\ntimezone: America/Los_Angeles\n",
            "_posts/2010-01-30-early.md": "---\ntitle: Early\ndate: 2010-01-30 03:00:00 # no zone\n---\nA\n",
            "_posts/2010-01-30-quoted.md": "---\ntitle: Quoted\ndate: \"2010-01-30 03:00:00\"\n---\nB\n",
            "_posts/2010-01-30-dayonly.md": "---\ntitle: Day only\ndate: 2010-01-30\n---\nC\n",
        ]
        let result = JekyllImporter().convert(JekyllSource(files: files.mapValues { Data($0.utf8) }))
        func text(_ path: String) throws -> String { String(decoding: try #require(result.files[path]), as: UTF8.self) }
        #expect(try text("content/posts/2010-01-30-early.md").contains("date: 2010-01-29T19:00:00-08:00\n"))
        #expect(try text("content/posts/2010-01-30-quoted.md").contains("date: 2010-01-30T03:00:00-08:00\n"))
        #expect(try text("content/posts/2010-01-30-dayonly.md").contains("date: 2010-01-30T00:00:00-08:00\n"))
        #expect(result.report.dateRewrites.contains(
            "content/posts/2010-01-30-early.md: 2010-01-30 03:00:00 → 2010-01-29T19:00:00-08:00 "
                + "(YAML reads a time without a zone as UTC, and so did Jekyll)"))
        let site = try TestSite(result.files.mapValues { String(decoding: $0, as: UTF8.self) })
        let pages = try site.render().keys
        for url in ["2010/01/29/early", "2010/01/30/quoted", "2010/01/30/dayonly"] {  // …/early.html, as Jekyll's default
            #expect(pages.contains { $0.hasPrefix(url) }, "Jekyll published \(url)")
        }
        #expect(!pages.contains { $0.hasPrefix("2010/01/30/early") })
    }
}
