import Foundation

/// The fields Ruby's `Date._parse` finds in a date string (the ones `Time.parse` uses), read by the same rules:
/// the text is cleaned, then each pattern in Ruby's order is tried and the text it matched blanked out, so that a
/// part read once is not read again. Jekyll hands every front matter date to `Time.parse`, so this is what decides
/// which dates a Jekyll blog has; `RubyTime` turns the fields into a moment. Only the fall-back of `DateParser`:
/// the ISO forms are read by its strict path first.
struct RubyDateFields: Equatable {
    var year: Int?, yday: Int?, mon: Int?, mday: Int?
    var hour: Int?, min: Int?, sec: Int?
    /// The digits of the fraction of a second, as written (`"5"` for `.5`); "" when a separator had no digits.
    var fraction: String?
    /// The zone as written after the time (`PST`, `-0800`, `Europe`…); `Time.parse` reads only some (`RubyTime`).
    var zone: String?

    /// Ruby's `Date._parse` refuses longer strings.
    static let lengthLimit = 128

    /// The fields of `text`, or nil when Ruby refuses it outright (too long).
    static func parse(_ text: String) -> RubyDateFields? {
        guard text.utf8.count <= lengthLimit else { return nil }
        var reader = Reader(text: Self.cleaned(text))
        return reader.read()
    }

    /// Runs of characters that are not letters, digits or `-+',./:@[]` become one space, as Ruby's first step.
    static func cleaned(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var inRun = false
        for scalar in text.unicodeScalars {
            let kept = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || "-+',./:@[]".unicodeScalars.contains(scalar)
            if kept {
                out.append(scalar)
                inRun = false
            } else if !inRun {
                out.append(" ")
                inRun = true
            }
        }
        return String(out)
    }
}

/// One reading: the text shrinks as patterns match; the fields grow.
private struct Reader {
    var text: String
    var fields = RubyDateFields()
    var bc = false
    /// Whether a two-digit year gets its century (69–99 → 19xx, 0–68 → 20xx): false once a year was written with a
    /// sign or more than two digits.
    var completesYear = true

    init(text: String) { self.text = text }

    mutating func read() -> RubyDateFields {
        if has(.alpha) { _ = apply(Pattern.day) { _, _ in } }
        if has(.digit) { _ = apply(Pattern.time) { r, m in r.readTime(m) } }
        // The date patterns in Ruby's order; the first that matches ends the search.
        let steps: [(inout Reader) -> Bool] = [
            { r in r.has([.alpha, .digit]) && (r.apply(Pattern.eu) { r, m in r.readEU(m) } || r.apply(Pattern.us) { r, m in r.readUS(m) }) },
            { r in r.has([.digit, .dash]) && r.apply(Pattern.iso) { r, m in r.s3e(m[1], m[2], m[3]) } },
            { r in r.has([.digit, .dot]) && r.apply(Pattern.jis) { r, m in r.readJIS(m) } },
            { r in
                r.has([.alpha, .digit, .dash]) && (r.apply(Pattern.vms11) { r, m in r.s3e(m[3], Reader.month(m[2]), m[1]) }
                    || r.apply(Pattern.vms12) { r, m in r.s3e(m[3], Reader.month(m[1]), m[2]) })
            },
            { r in r.has([.digit, .slash]) && r.apply(Pattern.slash) { r, m in r.s3e(m[1], m[2], m[3]) } },
            { r in r.has([.digit, .dot]) && r.apply(Pattern.dot) { r, m in r.s3e(m[1], m[2], m[3]) } },
            { r in r.has(.digit) && r.readISO2() },
            { r in r.has(.digit) && r.apply(Pattern.quotedYear) { r, m in r.fields.year = Reader.number(m[1]) } },
            { r in r.has(.alpha) && r.apply(Pattern.month) { r, m in r.fields.mon = Reader.monthNumber(m[1]) } },
            { r in r.has(.digit) && r.apply(Pattern.ordinalDay) { r, m in r.fields.mday = Reader.number(m[1]) } },
            { r in r.has(.digit) && r.apply(Pattern.digits) { r, m in r.readDigits(m) } },
        ]
        for step in steps where step(&self) { break }
        if has(.alpha) { _ = apply(Pattern.bc) { r, _ in r.bc = true } }
        if has(.digit) { _ = apply(Pattern.fragment) { r, m in r.readFragment(m) } }
        if bc, let year = fields.year { fields.year = 1 - year }
        if completesYear, let year = fields.year, (0...99).contains(year) {
            fields.year = year + (year >= 69 ? 1900 : 2000)
        }
        return fields
    }

    // MARK: Matching

    struct Classes: OptionSet {
        let rawValue: Int
        static let alpha = Classes(rawValue: 1), digit = Classes(rawValue: 2), dash = Classes(rawValue: 4)
        static let dot = Classes(rawValue: 8), slash = Classes(rawValue: 16)
    }

    /// Whether the text (as it is now) has a character of each class; Ruby asks before each pattern.
    func has(_ wanted: Classes) -> Bool {
        var found: Classes = []
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): found.insert(.alpha)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): found.insert(.digit)
            case UInt8(ascii: "-"): found.insert(.dash)
            case UInt8(ascii: "."): found.insert(.dot)
            case UInt8(ascii: "/"): found.insert(.slash)
            default: break
            }
        }
        return found.isSuperset(of: wanted)
    }

    func matches(_ pattern: NSRegularExpression) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    /// The groups of a match: `m[1]` is group 1's text, nil when it took no part.
    struct Groups {
        let strings: [String?]
        subscript(_ i: Int) -> String? { i < strings.count ? strings[i] : nil }
    }

    /// Finds `pattern`'s first match, blanks it out of the text (one space) and hands its groups to `read`.
    mutating func apply(_ pattern: NSRegularExpression, _ read: (inout Reader, Groups) -> Void) -> Bool {
        let ns = text as NSString
        guard let m = pattern.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return false }
        let groups = Groups(strings: (0..<m.numberOfRanges).map { i in
            m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i))
        })
        text = ns.replacingCharacters(in: m.range, with: " ")
        read(&self, groups)
        return true
    }

    // MARK: What each pattern reads

    mutating func readTime(_ m: Groups) {
        if let zone = m[2] { fields.zone = zone }
        guard let time = m[1], let t = Pattern.timeParts.firstMatch(
            in: time, range: NSRange(location: 0, length: (time as NSString).length)) else { return }
        let ns = time as NSString
        func group(_ i: Int) -> String? { t.range(at: i).location == NSNotFound ? nil : ns.substring(with: t.range(at: i)) }
        var hour = Self.number(group(1))
        if let meridian = group(5), let h = hour {
            hour = h % 12 + (meridian.lowercased() == "p" ? 12 : 0)
        }
        fields.hour = hour
        if let min = group(2) { fields.min = Self.number(min) }
        if let sec = group(3) { fields.sec = Self.number(sec) }
        if let fraction = group(4) { fields.fraction = fraction }
    }

    mutating func readEU(_ m: Groups) {
        s3e(m[4], Self.month(m[2]), m[1], bc: m[3].map { $0.lowercased().hasPrefix("b") } ?? false)
    }

    mutating func readUS(_ m: Groups) {
        s3e(m[4], Self.month(m[1]), m[2], bc: m[3].map { $0.lowercased().hasPrefix("b") } ?? false)
    }

    mutating func readJIS(_ m: Groups) {
        let era: [Character: Int] = ["m": 1867, "t": 1911, "s": 1925, "h": 1988, "r": 2018]
        fields.year = (Self.number(m[2]) ?? 0) + (m[1].flatMap { $0.lowercased().first }.flatMap { era[$0] } ?? 0)
        fields.mon = Self.number(m[3])
        fields.mday = Self.number(m[4])
    }

    /// ISO 8601's week dates, ordinal dates and truncated forms, which Ruby tries one after another.
    mutating func readISO2() -> Bool {
        if apply(Pattern.weekDate, { _, _ in }) || apply(Pattern.weekDay, { _, _ in }) { return true }
        if apply(Pattern.monthDay, { r, m in
            if let mon = m[1] { r.fields.mon = Self.number(mon) }
            r.fields.mday = Self.number(m[2])
        }) { return true }
        if apply(Pattern.monthOnly, { r, m in
            r.fields.mon = Self.number(m[1])
            if let day = m[2] { r.fields.mday = Self.number(day) }
        }) { return true }
        if !matches(Pattern.yearAndDayOfYearGuard),
           apply(Pattern.yearAndDayOfYear, { r, m in
               r.fields.year = Self.number(m[1])
               r.fields.yday = Self.number(m[2])
           }) { return true }
        if !matches(Pattern.dayOfYearGuard),
           apply(Pattern.dayOfYear, { r, m in r.fields.yday = Self.number(m[1]) }) { return true }
        return false
    }

    /// A run of 2 to 14 digits (`20100130`, `20100130T195152`, `195152`…): its length says what it holds.
    mutating func readDigits(_ m: Groups) {
        let digits = Array((m[2] ?? "").utf8).map { Int($0) - 48 }
        let negative = m[1] == "-"
        func n(_ from: Int, _ width: Int) -> Int { digits[from..<(from + width)].reduce(0) { $0 * 10 + $1 } }
        let isTime = m[3] == nil && m[4] != nil  // digits followed by a fraction: a time
        let l = digits.count
        switch l {
        case 2:
            if isTime { fields.sec = n(0, 2) } else { fields.mday = n(0, 2) }
        case 4:
            if isTime { (fields.sec, fields.min) = (n(2, 2), n(0, 2)) } else { (fields.mon, fields.mday) = (n(0, 2), n(2, 2)) }
        case 6:
            if isTime {
                (fields.sec, fields.min, fields.hour) = (n(4, 2), n(2, 2), n(0, 2))
            } else {
                (fields.year, fields.mon, fields.mday) = (negative ? -n(0, 2) : n(0, 2), n(2, 2), n(4, 2))
            }
        case 8, 10, 12, 14:
            if isTime {
                (fields.sec, fields.min, fields.hour, fields.mday) = (n(l - 2, 2), n(l - 4, 2), n(l - 6, 2), n(l - 8, 2))
                if l >= 10 { fields.mon = n(l - 10, 2) }
                if l == 12 { fields.year = negative ? -n(0, 2) : n(0, 2) }
                if l == 14 {
                    fields.year = negative ? -n(0, 4) : n(0, 4)
                    completesYear = false
                }
            } else {
                (fields.year, fields.mon, fields.mday) = (negative ? -n(0, 4) : n(0, 4), n(4, 2), n(6, 2))
                if l >= 10 { fields.hour = n(8, 2) }
                if l >= 12 { fields.min = n(10, 2) }
                if l >= 14 { fields.sec = n(12, 2) }
                completesYear = false
            }
        case 3:
            if isTime { (fields.sec, fields.min) = (n(1, 2), n(0, 1)) } else { fields.yday = n(0, 3) }
        case 5:
            if isTime {
                (fields.sec, fields.min, fields.hour) = (n(3, 2), n(1, 2), n(0, 1))
            } else {
                (fields.year, fields.yday) = (negative ? -n(0, 2) : n(0, 2), n(2, 3))
            }
        case 7:
            if isTime {
                (fields.sec, fields.min, fields.hour, fields.mday) = (n(5, 2), n(3, 2), n(1, 2), n(0, 1))
            } else {
                (fields.year, fields.yday) = (negative ? -n(0, 4) : n(0, 4), n(4, 3))
            }
        default:
            break
        }
        if let time = m[3] {
            let t = Array(time.utf8).map { Int($0) - 48 }
            func tn(_ from: Int) -> Int { t[from] * 10 + t[from + 1] }
            if [2, 4, 6].contains(t.count) {
                if m[4] != nil {
                    fields.sec = tn(t.count - 2)
                    if t.count >= 4 { fields.min = tn(t.count - 4) }
                    if t.count >= 6 { fields.hour = tn(t.count - 6) }
                } else {
                    fields.hour = tn(0)
                    if t.count >= 4 { fields.min = tn(2) }
                    if t.count >= 6 { fields.sec = tn(4) }
                }
            }
        }
        if let fraction = m[4] { fields.fraction = fraction }
        if let zone = m[5] {
            fields.zone = zone
            if zone.hasPrefix("[") {
                // `[-5:EST]` names the zone after the colon; `[-5]` is its own name.
                let inside = zone.dropFirst().dropLast()
                fields.zone = inside.firstIndex(of: ":").map { String(inside[inside.index(after: $0)...]) } ?? String(inside)
            }
        }
    }

    /// A lone number of one or two digits left over: the day when only a time was found, the hour when only a day.
    mutating func readFragment(_ m: Groups) {
        guard let n = Self.number(m[1]) else { return }
        if fields.hour != nil, fields.mday == nil, (1...31).contains(n) { fields.mday = n }
        if fields.mday != nil, fields.hour == nil, (0...24).contains(n) { fields.hour = n }
    }

    /// Ruby's `s3e`: three parts of a date in the order a pattern found them, sorted into year, month and day by
    /// their width, quotes (`'10` is a year) and what else is there.
    mutating func s3e(_ y0: String?, _ m0: String?, _ d0: String?, bc: Bool = false) {
        var (y, m, d) = (y0, m0, d0)
        if y != nil, m != nil, d == nil { (y, m, d) = (d, y, m) }
        if y == nil {
            if let s = d, s.utf8.count > 2 { (y, d) = (s, nil) }
            if let s = d, s.hasPrefix("'") { (y, d) = (s, nil) }
        }
        if let s = y, let (start, end) = Self.signedDigits(s), end < s.utf8.count {
            // A year with text after its digits (`10th`) is a day: the day written before it is the year.
            (y, d) = (d, Self.slice(s, start, end))
        }
        if let s = m, s.hasPrefix("'") || s.utf8.count > 2 { (y, m, d) = (m, d, y) }
        if let s = d, s.hasPrefix("'") || s.utf8.count > 2 { (y, d) = (d, y) }
        if let s = y, let (start, end) = Self.signedDigits(s) {
            let written = Self.slice(s, start, end)
            let signed = written.hasPrefix("-") || written.hasPrefix("+")
            if signed || end - start - (signed ? 1 : 0) > 2 { completesYear = false }
            fields.year = Self.number(written) ?? 0
        }
        if bc { self.bc = true }
        if let s = m, let digits = Self.firstDigits(s) { fields.mon = Self.number(digits) }
        if let s = d, let digits = Self.firstDigits(s) { fields.mday = Self.number(digits) }
    }

    // MARK: Numbers

    /// The UTF-8 offsets of the first sign-or-digit run (`-10` in `'-10x`): a sign, then digits.
    static func signedDigits(_ s: String) -> (Int, Int)? {
        let bytes = Array(s.utf8)
        guard let start = bytes.firstIndex(where: { $0 == 0x2D || $0 == 0x2B || (0x30...0x39).contains($0) }) else {
            return nil
        }
        var end = start + (bytes[start] == 0x2D || bytes[start] == 0x2B ? 1 : 0)
        while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
        return (start, end)
    }

    static func slice(_ s: String, _ start: Int, _ end: Int) -> String {
        String(decoding: Array(s.utf8)[start..<end], as: UTF8.self)
    }

    static func firstDigits(_ s: String) -> String? {
        let bytes = Array(s.utf8)
        guard let start = bytes.firstIndex(where: { (0x30...0x39).contains($0) }) else { return nil }
        var end = start
        while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
        return slice(s, start, end)
    }

    /// A signed decimal number as Ruby reads it; digits beyond any date's reach saturate rather than overflow.
    static func number(_ s: String?) -> Int? {
        guard let s else { return nil }
        var value = 0
        var negative = false
        var sawDigit = false
        for (i, b) in s.utf8.enumerated() {
            if i == 0, b == 0x2D || b == 0x2B { negative = b == 0x2D; continue }
            guard (0x30...0x39).contains(b) else { break }
            sawDigit = true
            value = min(value * 10 + Int(b - 0x30), 1_000_000_000_000)
        }
        return sawDigit ? (negative ? -value : value) : 0
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func monthNumber(_ name: String?) -> Int? {
        guard let name else { return nil }
        return months.firstIndex(of: String(name.lowercased().prefix(3))).map { $0 + 1 }
    }

    /// A month name as the digits `s3e` reads.
    static func month(_ name: String?) -> String? { monthNumber(name).map(String.init) }
}

/// Ruby's patterns (ICU syntax; the text they see has only letters, digits, spaces and `-+',./:@[]`).
private enum Pattern {
    static let days = "sun|mon|tue|wed|thu|fri|sat"
    static let months = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    static let era = #"c(?:e|\.e\.)|b(?:ce|\.c\.e\.)|a(?:d|\.d\.)|b(?:c|\.c\.)"#

    static func make(_ pattern: String, caseless: Bool = true) -> NSRegularExpression {
        // The patterns are constants of this file: a failure is a mistake here, found by any test that reads a date.
        // Ruby's `\d` is ASCII; ICU's is any decimal digit.
        let ascii = pattern.replacingOccurrences(of: #"\d"#, with: "[0-9]").replacingOccurrences(of: #"\D"#, with: "[^0-9]")
        return try! NSRegularExpression(pattern: ascii, options: caseless ? [.caseInsensitive] : [])
    }

    static let day = make(#"\b("# + days + #")[^\-/\d\s]*"#)
    static let time = make(
        #"((?:\d+\s*:\s*\d+(?:\s*:\s*\d+(?:[,.]\d*)?)?|\d+\s*h(?:\s*\d+m?(?:\s*\d+s?)?)?)(?:\s*[ap](?:m\b|\.m\.))?"#
        + #"|\d+\s*[ap](?:m\b|\.m\.))"#
        + #"(?:\s*((?:gmt|utc?)?[-+]\d+(?:[,.:]\d+(?::\d+)?)?"#
        + #"|(?-i:[\p{Alphabetic}.\s]+)(?:standard|daylight)\stime\b"#
        + #"|(?-i:\p{Alphabetic}+)(?:\sdst)?\b))?"#)
    static let timeParts = make(#"\A(\d+)h?(?:\s*:?\s*(\d+)m?(?:\s*:?\s*(\d+)(?:[,.](\d+))?s?)?)?(?:\s*([ap])(?:m\b|\.m\.))?"#)
    static let eu = make(#"('?\d+)[^\-\d\s]*\s*("# + months + #")[^\-\d\s']*(?:\s*("# + era
        + #")?\s*('?-?\d+(?:(?:st|nd|rd|th)\b)?))?"#)
    static let us = make(#"\b("# + months + #")[^\-\d\s']*\s*('?\d+)[^\-\d\s']*(?:\s*,?\s*("# + era
        + #")?\s*('?-?\d+))?"#)
    static let iso = make(#"('?[-+]?\d+)-(\d+)-('?-?\d+)"#, caseless: false)
    static let weekDate = make(#"\b(\d{2}|\d{4})?-?w(\d{2})(?:-?(\d))?\b"#)
    static let weekDay = make(#"-w-(\d)\b"#)
    static let monthDay = make(#"--(\d{2})?-(\d{2})\b"#, caseless: false)
    static let monthOnly = make(#"--(\d{2})(\d{2})?\b"#, caseless: false)
    static let yearAndDayOfYearGuard = make(#"[,.](\d{2}|\d{4})-\d{3}\b"#, caseless: false)
    static let yearAndDayOfYear = make(#"\b(\d{2}|\d{4})-(\d{3})\b"#, caseless: false)
    static let dayOfYearGuard = make(#"\d-\d{3}\b"#, caseless: false)
    static let dayOfYear = make(#"\b-(\d{3})\b"#, caseless: false)
    static let jis = make(#"\b([mtshr])(\d+)\.(\d+)\.(\d+)"#)
    static let vms11 = make(#"('?-?\d+)-("# + months + #")[^\-/.]*-('?-?\d+)"#)
    static let vms12 = make(#"\b("# + months + #")[^\-/.]*-('?-?\d+)(?:-('?-?\d+))?"#)
    static let slash = make(#"('?-?\d+)/\s*('?\d+)(?:\D\s*('?-?\d+))?"#)
    static let dot = make(#"('?-?\d+)\.\s*('?\d+)\.\s*('?-?\d+)"#)
    static let quotedYear = make(#"'(\d+)\b"#, caseless: false)
    static let month = make(#"\b("# + months + #")\S*"#)
    static let ordinalDay = make(#"(\d+)(st|nd|rd|th)\b"#)
    static let digits = make(#"([-+]?)(\d{2,14})(?:\s*t?\s*(\d{2,6})?(?:[,.](\d*))?)?(?:\s*(z\b|[-+]\d{1,4}\b|\[[-+]?\d[^\]]*\]))?"#)
    static let bc = make(#"\b(bc\b|bce\b|b\.c\.|b\.c\.e\.)"#)
    static let fragment = make(#"\A\s*(\d{1,2})\s*\z"#)
}
