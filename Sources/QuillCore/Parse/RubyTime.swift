import Foundation

/// The moment Ruby's `Time.parse` makes of `RubyDateFields`, by its rules: only the zones `Time` knows count (the
/// US ones, UTC/GMT/Z, military letters, `±hh[:mm[:ss]]`, and the site zone's own abbreviations); any other zone
/// word is ignored and the time is in the site's zone, as Jekyll publishes it. Days past a month's end roll over
/// (`2010-02-30` is March 2), `24:00` is the next day, as Ruby's `Time.utc` does.
///
/// Where Ruby fills a missing year (and month, and day) from today, the date is refused instead: a build must not
/// depend on the day it runs.
enum RubyTime {
    /// What `DateParser.read` reports when a date cannot be read.
    enum Problem: Error, Equatable {
        /// Ruby refuses it (no date in it, a field out of range, too long).
        case unreadable
        /// Ruby takes these parts from today (`year`, then `month`, then `day`).
        case missing([String])
        /// Ruby reads it, but as a year Quill does not publish (before 1 or after 9999).
        case yearOutOfRange(Int)
        /// A day or time past its end (`2010-02-30`, `24:00`), which Ruby rolls over into the moment given (ISO 8601).
        case rollsOver(String)
    }

    /// `fields` as a moment, with the offset written (nil: in `siteZone`). A day or time past its end is rolled
    /// over as Ruby does when `rollsOver`, else refused (`.rollsOver`, naming the moment Ruby makes of it).
    static func make(_ fields: RubyDateFields, siteZone: TimeZone, rollsOver: Bool) -> Result<DateParser.Reading, Problem> {
        let ruby = make(fields, siteZone: siteZone)
        guard !rollsOver, case .success(let reading) = ruby, let year = fields.year, !isReal(fields, year: year) else {
            return ruby
        }
        return .failure(.rollsOver(DateParser.normalized(reading, timeZone: siteZone)))
    }

    /// Whether the fields name a day and time that exist (second 60 allowed, as in ISO 8601).
    private static func isReal(_ f: RubyDateFields, year: Int) -> Bool {
        let dayFits: Bool
        if let yday = f.yday {
            dayFits = (1...(isLeap(year) ? 366 : 365)).contains(yday)
        } else {
            let mon = f.mon ?? 1, day = f.mday ?? 1
            dayFits = (1...12).contains(mon) && (1...(monthDays(year, mon) ?? 0)).contains(day)
        }
        return dayFits && (0...23).contains(f.hour ?? 0) && (0...59).contains(f.min ?? 0) && (0...60).contains(f.sec ?? 0)
    }

    private static func make(_ fields: RubyDateFields, siteZone: TimeZone) -> Result<DateParser.Reading, Problem> {
        let f = fields
        guard f.year != nil || f.yday != nil || f.mon != nil || f.mday != nil || f.hour != nil || f.min != nil
            || f.sec != nil || f.fraction != nil else { return .failure(.unreadable) }
        guard let year = f.year else {
            // Refused with any year (`2010` reads as month 20, day 10): unreadable, not just incomplete. The year
            // tried is a common one, as most are (Ruby would try the current year).
            var probe = f
            probe.year = 2001
            guard case .success = make(probe, siteZone: siteZone) else { return .failure(.unreadable) }
            var missing = ["year"]
            if f.yday == nil, f.mon == nil {
                missing.append("month")
                if f.mday == nil { missing.append("day") }
            }
            return .failure(.missing(missing))
        }
        // Ruby reads years of any length; a year this far out is refused before any arithmetic on it could
        // overflow (its seconds since 1970 would not fit in 64 bits: found by fuzzing).
        guard abs(year) <= 100_000_000 else { return .failure(.yearOutOfRange(year)) }
        let offset = f.zone.flatMap { zoneOffset($0, year: year, siteZone: siteZone) }
        if let yday = f.yday {
            guard (1...366).contains(yday) else { return .failure(.unreadable) }
            // Ruby's way: a first guess of month and day, then moved by the days the guess was off.
            var (mon, day) = ((yday - 1) / 31 + 1, (yday - 1) % 31 + 1)
            guard let first = wallClock(year, mon, day, f, offset: offset) else { return .failure(.unreadable) }
            let diff = yday - dayOfYear(first)
            if diff != 0 {
                day += diff
                if day > 28, let days = monthDays(year, mon), day > days {
                    mon += 1
                    guard mon <= 12 else { return .failure(.unreadable) }
                    day -= days
                }
            }
            return moment(year, mon, day, f, offset: offset, siteZone: siteZone)
        }
        return moment(year, f.mon ?? 1, f.mday ?? 1, f, offset: offset, siteZone: siteZone)
    }

    // MARK: Zones

    static let zoneHours: [String: Int] = [
        "UTC": 0, "Z": 0, "UT": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
        "PST": -8, "PDT": -7,
        "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8, "I": 9, "K": 10, "L": 11, "M": 12,
        "N": -1, "O": -2, "P": -3, "Q": -4, "R": -5, "S": -6, "T": -7, "U": -8, "V": -9, "W": -10, "X": -11, "Y": -12,
    ]

    /// Ruby's `Time.zone_offset`: seconds east of UTC, or nil for a zone it does not know.
    static func zoneOffset(_ zone: String, year: Int, siteZone: TimeZone) -> Int? {
        let z = zone.uppercased()
        let b = Array(z.utf8)
        func digit(_ i: Int) -> Int? { i < b.count && (0x30...0x39).contains(b[i]) ? Int(b[i] - 0x30) : nil }
        if b.count >= 3, b[0] == 0x2B || b[0] == 0x2D, let h1 = digit(1), let h2 = digit(2) {
            let sign = b[0] == 0x2D ? -1 : 1
            let hours = h1 * 10 + h2
            if b.count == 3 { return sign * hours * 3600 }
            let colon = b[3] == 0x3A
            let m = colon ? 4 : 3
            if let m1 = digit(m), let m2 = digit(m + 1) {
                let minutes = m1 * 10 + m2
                if b.count == m + 2 { return sign * (hours * 60 + minutes) * 60 }
                // Seconds after the same separator: `+05:30:15` or `+053015`.
                let s = m + 2 + (colon ? 1 : 0)
                if b.count == s + 2, !colon || b[m + 2] == 0x3A, let s1 = digit(s), let s2 = digit(s + 1) {
                    return sign * ((hours * 60 + minutes) * 60 + s1 * 10 + s2)
                }
            }
            return nil
        }
        if let hours = zoneHours[z] { return hours * 3600 }
        // The abbreviations of the zone the site is in (Jekyll runs with TZ set to it), winter's then summer's.
        for month in [1, 7] {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = siteZone
            if let date = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
               siteZone.abbreviation(for: date)?.uppercased() == z {
                return siteZone.secondsFromGMT(for: date)
            }
        }
        return nil
    }

    // MARK: Moments

    struct Civil {
        var year, mon, day, hour, min, sec: Int
    }

    private static func moment(_ year: Int, _ mon: Int, _ day: Int, _ f: RubyDateFields, offset: Int?,
                               siteZone: TimeZone) -> Result<DateParser.Reading, Problem> {
        guard let wall = wallClock(year, mon, day, f, offset: offset) else { return .failure(.unreadable) }
        guard (1...9999).contains(wall.year) else { return .failure(.yearOutOfRange(wall.year)) }
        let fraction = Double("0." + (f.fraction ?? "")) ?? 0
        if let offset {
            let seconds = days(wall.year, wall.mon, wall.day) * 86400 + wall.hour * 3600 + wall.min * 60 + wall.sec - offset
            return .success(.init(date: Date(timeIntervalSince1970: Double(seconds) + fraction), offset: offset))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = siteZone
        let components = DateComponents(year: wall.year, month: wall.mon, day: wall.day, hour: wall.hour,
                                        minute: wall.min, second: wall.sec)
        guard let date = calendar.date(from: components) else { return .failure(.unreadable) }
        return .success(.init(date: date.addingTimeInterval(fraction), offset: nil))
    }

    /// The date and time on the clock of the result's zone (`offset`, else the site's), every field in range, or
    /// nil where Ruby raises an error.
    private static func wallClock(_ year: Int, _ mon: Int, _ day: Int, _ f: RubyDateFields, offset: Int?) -> Civil? {
        var c = Civil(year: year, mon: mon, day: day, hour: f.hour ?? 0, min: f.min ?? 0, sec: f.sec ?? 0)
        if let offset {
            guard abs(offset) < 86400 else { return nil }
            // `Time.parse` moves the fields to UTC by hand (its `apply_offset`), then makes a UTC time of them.
            guard let utc = applyOffset(c, offset), let valid = validated(utc) else { return nil }
            let seconds = days(valid.year, valid.mon, valid.day) * 86400 + valid.hour * 3600 + valid.min * 60 + valid.sec
                + offset
            return civil(fromSeconds: seconds)
        }
        guard let valid = validated(c) else { return nil }
        c = civil(fromSeconds: days(valid.year, valid.mon, valid.day) * 86400 + valid.hour * 3600 + valid.min * 60 + valid.sec)
        return c
    }

    /// Ruby's `Time.utc`/`Time.local` checks: each field in its bit width, a day past the end of February or of a
    /// 30-day month rolled into the next month, then each field in its range (`24:00:00` and second 60 allowed).
    private static func validated(_ c: Civil) -> Civil? {
        var c = c
        guard (0...15).contains(c.mon), (0...31).contains(c.day), (0...31).contains(c.hour), (0...63).contains(c.min),
              (0...63).contains(c.sec) else { return nil }
        if c.mon == 2 {
            let days = isLeap(c.year) ? 29 : 28
            if c.day > days { (c.day, c.mon) = (c.day - days, 3) }
        } else if [4, 6, 9, 11].contains(c.mon), c.day == 31 {
            (c.mon, c.day) = (c.mon + 1, 1)
        }
        guard (1...12).contains(c.mon), (1...31).contains(c.day), (0...24).contains(c.hour),
              (0...(c.hour == 24 ? 0 : 59)).contains(c.min), (0...(c.hour == 24 ? 0 : 60)).contains(c.sec) else { return nil }
        return c
    }

    /// Ruby's `apply_offset`, quirks kept: it carries seconds, minutes and hours, then moves the day by at most one
    /// and fixes the month only at its ends.
    private static func applyOffset(_ c: Civil, _ offset: Int) -> Civil? {
        var c = c
        guard offset != 0 else { return c }
        func divmod(_ a: Int, _ b: Int) -> (Int, Int) {  // Ruby's: the quotient rounded down, the rest ≥ 0
            let q = a >= 0 ? a / b : -((-a + b - 1) / b)
            return (q, a - q * b)
        }
        var off = abs(offset)
        let sign = offset < 0 ? 1 : -1  // west of UTC: add; east: subtract
        var o: Int
        (off, o) = divmod(off, 60)
        if o != 0 { c.sec += sign * o; (o, c.sec) = divmod(c.sec, 60); off += sign * o }
        (off, o) = divmod(off, 60)
        if o != 0 { c.min += sign * o; (o, c.min) = divmod(c.min, 60); off += sign * o }
        (off, o) = divmod(off, 24)
        if o != 0 { c.hour += sign * o; (o, c.hour) = divmod(c.hour, 24); off += sign * o }
        guard off != 0 else { return c }
        if sign > 0 {
            c.day += off
            if let days = monthDays(c.year, c.mon), days < c.day {
                c.mon += 1
                if c.mon > 12 { (c.mon, c.year) = (1, c.year + 1) }
                c.day = 1
            }
        } else {
            c.day -= off
            if c.day < 1 {
                c.mon -= 1
                if c.mon < 1 { (c.year, c.mon) = (c.year - 1, 12) }
                guard let days = monthDays(c.year, c.mon) else { return nil }
                c.day = days
            }
        }
        return c
    }

    /// Days of month `mon`, looked up as Ruby indexes its table (`mon - 1`; 0 wraps to December); nil outside it.
    private static func monthDays(_ year: Int, _ mon: Int) -> Int? {
        let table = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let i = mon - 1
        guard (-12..<12).contains(i) else { return nil }
        return table[(i + 12) % 12]
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    private static func dayOfYear(_ c: Civil) -> Int { days(c.year, c.mon, c.day) - days(c.year, 1, 1) + 1 }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromSeconds seconds: Int) -> Civil {
        let z0 = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - z0 * 86400
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return Civil(year: yoe + era * 400 + (m <= 2 ? 1 : 0), mon: m, day: d, hour: rest / 3600, min: rest % 3600 / 60,
                     sec: rest % 60)
    }
}
