import Foundation

/// Reads front matter dates: `2010-01-30`, `2010-01-30 19:51`, `2010-01-30 19:51:52`, `2010-01-30T19:51:52.5Z`,
/// `2010-01-30T19:51:52-08:00`. A date without a zone is in the site's time zone.
enum DateParser {
    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
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
                } else if s[i] == 0x2B || s[i] == 0x2D {  // + or -
                    let sign = s[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(0x3A)
                    let om = number(2) ?? 0
                    guard let tz = TimeZone(secondsFromGMT: sign * (oh * 3600 + om * 60)) else { return nil }
                    zone = tz
                } else {
                    return nil
                }
            }
        }
        guard i == s.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day  // rejects 2010-02-30
        else { return nil }
        return date.addingTimeInterval(fraction)
    }

    static func format(year: Int, month: Int, day: Int) -> String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count < 2 ? "0" : "") + m + "-"
            + (d.count < 2 ? "0" : "") + d
    }
}
