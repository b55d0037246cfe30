import Foundation

/// Reads front matter dates as Jekyll does (it hands them to Ruby's `Time.parse`). The ISO forms
/// (`2010-01-30`, `2010-01-30 19:51`, `2010-01-30T19:51:52.5Z`, `2010-01-30T19:51:52-08:00`) are read by a strict
/// one-pass reader; anything else falls back to Ruby's rules (`RubyDateFields`, `RubyTime`): RFC 2822
/// (`Sat, 30 Jan 2010 19:51:52 -0800`), zone names, month names, 12-hour times, extra words. A date without a zone
/// is in the site's time zone. One that Ruby would complete from today (no year) is refused, naming what it lacks.
enum DateParser {
    /// A date read: the moment, and the offset it was written with (nil: none, so it is in the site's zone).
    struct Reading: Equatable {
        var date: Date
        var offset: Int?
    }

    /// The date `text` stands for, or why it cannot be read. A day or time past its end (`2010-02-30`, `24:00`) is
    /// an error unless `rollsOver`, when it becomes the moment Ruby makes of it (March 2; the next day's 00:00), as
    /// the Jekyll importer reads it to keep the dates and URLs Jekyll published.
    static func read(_ text: String, timeZone: TimeZone, rollsOver: Bool = false) -> Result<Reading, RubyTime.Problem> {
        if let strict = strict(text, timeZone: timeZone) { return .success(strict) }
        guard let fields = RubyDateFields.parse(text) else { return .failure(.unreadable) }
        return RubyTime.make(fields, siteZone: timeZone, rollsOver: rollsOver)
    }

    /// The date `text` stands for, or nil (see `read` for why).
    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        try? read(text, timeZone: timeZone).get().date
    }

    /// What a date that cannot be read lacks or breaks, for an error message: `has no year`, ….
    static func explanation(_ problem: RubyTime.Problem) -> String {
        switch problem {
        case .unreadable: return "is not a date Quill (or Jekyll) can read"
        case .missing(let parts):
            let list = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " or " + parts.last!
            return "has no \(list) (Jekyll would take the \(parts.count == 1 ? "current one" : "current ones"), "
                + "so each build could date it differently)"
        case .yearOutOfRange(let year): return "is in the year \(year); Quill publishes years 1 to 9999"
        case .rollsOver(let moment):
            return "names a day or time that does not exist (Jekyll would roll it over to \(moment))"
        }
    }

    /// The hint for a date that cannot be read: the forms Quill reads.
    static let hint = "write it as 2024-05-01, 2024-05-01 09:30, 2024-05-01T09:30:00+02:00 or as Jekyll does "
        + "(Wed, 01 May 2024 09:30:00 +0200, May 1 2024 9:30am PDT); a date without a zone is in the site's time_zone"

    /// ISO 8601 with the offset it was written with (else the site zone's): `2010-01-30T19:51:52-08:00`, with the
    /// fraction of a second when it has one.
    static func normalized(_ reading: Reading, timeZone: TimeZone) -> String {
        let zone = reading.offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        let parts = DateParts(reading.date, in: zone)
        var text = "\(parts.isoDay)T\(parts.hour):\(parts.minute):\(parts.second)"
        let fraction = reading.date.timeIntervalSince1970 - reading.date.timeIntervalSince1970.rounded(.down)
        if fraction > 0.0005 {
            var digits = String(String(format: "%.3f", fraction).dropFirst(2))
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        let offset = zone.secondsFromGMT(for: reading.date)
        let minutes = abs(offset) / 60
        return text + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Whether `text` is already ISO 8601 with an offset or `Z` (`2010-01-30T19:51:52-08:00`), the form the Jekyll
    /// importer writes.
    static func isNormalized(_ text: String) -> Bool {
        text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/) != nil
    }

    /// The ISO forms, in one pass over the bytes; nil for anything else.
    private static func strict(_ text: String, timeZone: TimeZone) -> Reading? {
        let s = Array(text.trimmingSpaces().utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= s.count else { return nil }
            var value = 0
            for k in i..<(i + digits) {
                guard s[k] >= 0x30, s[k] <= 0x39 else { return nil }
                value = value * 10 + Int(s[k] - 0x30)
            }
            i += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < s.count, s[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2) else {
            return nil
        }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var zone: TimeZone = timeZone
        var offset: Int?
        if i < s.count {
            guard s[i] == 0x54 || s[i] == 0x74 || s[i] == 0x20 else { return nil }  // T, t or space
            i += 1
            guard let h = number(2), expect(0x3A), let m = number(2) else { return nil }
            (hour, minute) = (h, m)
            if expect(0x3A) {
                guard let sec = number(2) else { return nil }
                second = sec
                if expect(0x2E) {
                    let start = i
                    while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
                    guard i > start else { return nil }
                    fraction = Double("0." + String(decoding: s[start..<i], as: UTF8.self)) ?? 0
                }
            }
            while i < s.count, s[i] == 0x20 { i += 1 }
            if i < s.count {
                if s[i] == 0x5A || s[i] == 0x7A {  // Z
                    i += 1
                    zone = TimeZone(secondsFromGMT: 0)!
                    offset = 0
                } else if s[i] == 0x2B || s[i] == 0x2D {  // + or -
                    let sign = s[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(0x3A)
                    let om = number(2) ?? 0
                    guard let tz = TimeZone(secondsFromGMT: sign * (oh * 3600 + om * 60)) else { return nil }
                    zone = tz
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == s.count, year >= 1, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day  // rejects 2010-02-30
        else { return nil }
        return Reading(date: date.addingTimeInterval(fraction), offset: offset)
    }

    static func format(year: Int, month: Int, day: Int) -> String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count < 2 ? "0" : "") + m + "-"
            + (d.count < 2 ? "0" : "") + d
    }
}
