import Foundation

/// A moment as shown on the site: the instant plus its calendar fields in the site's time zone.
public struct DateParts: Sendable, Hashable, Comparable {
    public let date: Date
    public let timeZone: TimeZone
    public let year: String, month: String, day: String, hour: String, minute: String, second: String
    let monthNumber: Int
    let weekday: Int
    let offsetSeconds: Int

    init(date: Date, timeZone: TimeZone, year: String, month: String, day: String, hour: String, minute: String,
         second: String, monthNumber: Int, weekday: Int, offsetSeconds: Int) {
        (self.date, self.timeZone, self.year, self.month, self.day) = (date, timeZone, year, month, day)
        (self.hour, self.minute, self.second) = (hour, minute, second)
        (self.monthNumber, self.weekday, self.offsetSeconds) = (monthNumber, weekday, offsetSeconds)
    }

    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        func pad(_ n: Int?, _ width: Int = 2) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        self.date = date
        self.timeZone = timeZone
        year = pad(c.year, 4)
        month = pad(c.month)
        day = pad(c.day)
        hour = pad(c.hour)
        minute = pad(c.minute)
        second = pad(c.second)
        monthNumber = c.month ?? 1
        weekday = c.weekday ?? 1
        offsetSeconds = timeZone.secondsFromGMT(for: date)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    public var monthName: String { Self.monthNames[monthNumber - 1] }

    /// `January 30, 2010`
    public var display: String { "\(monthName) \(Int(day)!), \(year)" }

    /// RFC 3339 with the zone's offset: `2010-01-30T19:51:52-08:00`.
    public var rfc3339: String {
        "\(year)-\(month)-\(day)T\(hour):\(minute):\(second)\(offset(separator: ":", zulu: true))"
    }

    /// RFC 822 as RSS wants it: `Sat, 30 Jan 2010 19:51:52 -0800`.
    public var rfc822: String {
        let mon = String(monthName.prefix(3))
        return "\(Self.dayNames[weekday - 1]), \(day) \(mon) \(year) \(hour):\(minute):\(second) \(offset(separator: "", zulu: false))"
    }

    /// `2010-01-30`
    public var isoDay: String { "\(year)-\(month)-\(day)" }

    private func offset(separator: String, zulu: Bool) -> String {
        if offsetSeconds == 0 && zulu { return "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let total = abs(offsetSeconds) / 60
        let h = total / 60, m = total % 60
        return sign + (h < 10 ? "0" : "") + String(h) + separator + (m < 10 ? "0" : "") + String(m)
    }

    public static func < (a: Self, b: Self) -> Bool { a.date < b.date }
    public static func == (a: Self, b: Self) -> Bool { a.date == b.date && a.timeZone == b.timeZone }
    public func hash(into hasher: inout Hasher) { hasher.combine(date) }
}
