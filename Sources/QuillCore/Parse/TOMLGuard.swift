import QuillMarkdown

/// What the TOML parser under TOMLKit (toml++ 3) cannot be trusted with, found before it sees the text and
/// reported as an error at its line and column:
/// - a NUL: toml++ reads its input as a C string, so it would stop there without a word and drop every field
///   after it (a `draft = true` below a stray NUL published the draft);
/// - a table header whose name starts with a character no key may start with (`[:x]`, `[[[x]]]`, `[` alone on
///   its line), a date whose time does not start with two digits (`2024-01-02T:`, `2024-01-02 1`), a `}` in an
///   array (`[1, }`), and a value of ten characters followed by a space and one digit (`2024-01-0a 2`): toml++
///   asserts on these instead of reporting them, and the assertion aborts the whole process, in release builds too;
/// - U+0085, U+2028 and U+2029 outside strings and comments, which toml++ takes for white space but not where an
///   array expects a value, where it asserts too.
/// The white space toml++ knows beyond ASCII (U+00A0, U+3000, a byte order mark…) is white space here as well.
/// Strings, comments and the brackets of values are skipped as the parser skips them, so that a `[` inside a
/// string or an array is no table header. Found by the fuzz target (`scripts/fuzz`).
enum TOMLGuard {
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var message: String
        var hint: String
    }

    /// The first problem in `text`, whose first line is line `firstLine` of its file.
    static func problem(in text: String, firstLine: Int) -> Problem? {
        var scanner = Scanner(bytes: Array(text.utf8), line: firstLine)
        return scanner.firstProblem()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var line: Int
        var i = 0
        var lineStart = 0
        /// Brackets and braces of values still open, innermost last; `H` for a bracket of a table header.
        var open: [UInt8] = []
        /// Nothing but blanks so far on this line.
        var atLineStart = true
        /// Where toml++ reads a value next (after `=`, or after `[` or `,` in an array), not a key: a token that
        /// looks like a date is parsed as one only here (`2024-01-02T = 1` is a key, `x = 2024-01-02t=…` a value).
        var expectsValue = false

        init(bytes: [UInt8], line: Int) {
            (self.bytes, self.line) = (bytes, line)
        }

        mutating func firstProblem() -> Problem? {
            while i < bytes.count {
                let b = bytes[i]
                if b == 0 {
                    return problem(at: i, "a NUL character (U+0000)",
                                   hint: "remove the NUL (a zero byte, often left by a broken copy or a binary file)")
                }
                if b == 0x0A {
                    (line, lineStart, atLineStart) = (line + 1, i + 1, true)
                    i += 1
                    continue
                }
                if atLineStart && (b == 0x20 || b == 0x09) {
                    i += 1
                    continue
                }
                // White space beyond ASCII is white space to toml++ too: a header after a byte order mark is a
                // header (`\u{FEFF}[=x]` made it abort), and a value after `=\u{3000}` is a value.
                if b >= 0x80, let length = nonASCIIBlankLength(at: i) {
                    i += length
                    continue
                }
                let opensHeader = b == UInt8(ascii: "[")
                    && ((atLineStart && open.isEmpty) || (open == [Self.header] && bytes[i - 1] == b))
                if opensHeader && open.isEmpty, let problem = tableHeaderProblem() { return problem }
                if expectsValue, let problem = dateTimeProblem() ?? spacedDigitProblem() { return problem }
                if let problem = lineSeparatorProblem() { return problem }
                atLineStart = false
                i += 1
                switch b {
                case UInt8(ascii: "#"):
                    while i < bytes.count && bytes[i] != 0x0A && bytes[i] != 0 { i += 1 }
                case 0x20, 0x09: break
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    let triple = bytes[i...].starts(with: [b, b])
                    if triple { i += 2 }
                    skipString(closedBy: triple ? [b, b, b] : [b], escapes: b == UInt8(ascii: "\""))
                    expectsValue = false
                case UInt8(ascii: "["):
                    open.append(opensHeader ? Self.header : b)
                    expectsValue = !opensHeader
                case UInt8(ascii: "{"):
                    open.append(b)
                    expectsValue = false
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    let closes = b == UInt8(ascii: "]") ? [UInt8(ascii: "["), Self.header] : [UInt8(ascii: "{")]
                    if let last = open.last, !closes.contains(last) {
                        return problem(at: i - 1, "`\(Character(Unicode.Scalar(b)))` inside the "
                                           + (last == UInt8(ascii: "{") ? "table opened with `{`" : "array opened with `[`"),
                                       hint: "close an array with `]` and an inline table with `}`")
                    }
                    _ = open.popLast()
                    expectsValue = false
                case UInt8(ascii: "="): expectsValue = true
                case UInt8(ascii: ","): expectsValue = open.last == UInt8(ascii: "[")
                default: expectsValue = false
                }
            }
            return nil
        }

        /// At a `[` that opens a table header: its name must start like a key.
        func tableHeaderProblem() -> Problem? {
            var name = i + 1
            if name < bytes.count && bytes[name] == UInt8(ascii: "[") { name += 1 }
            while name < bytes.count {
                if bytes[name] == 0x20 || bytes[name] == 0x09 {
                    name += 1
                } else if let length = nonASCIIBlankLength(at: name) {
                    name += length
                } else {
                    break
                }
            }
            guard name < bytes.count, !Self.canStartKey(bytes[name]) else { return nil }
            return problem(at: name, "a table name cannot start with `\(shown(at: name))`",
                           hint: "a table name starts with a letter, a digit, `_` or `-`, or is quoted: [\"my:table\"]")
        }

        /// At the start of a value `YYYY-MM-DD` followed by `T` or by a space and a digit: a time must follow,
        /// starting `HH:`.
        func dateTimeProblem() -> Problem? {
            guard i + 10 < bytes.count else { return nil }
            let digits = [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { bytes[i + $0].isASCIIDigit }
            guard digits, bytes[i + 4] == UInt8(ascii: "-"), bytes[i + 7] == UInt8(ascii: "-") else { return nil }
            let separator = bytes[i + 10]
            let time = i + 11
            switch separator {
            case UInt8(ascii: "T"), UInt8(ascii: "t"): break
            case 0x20 where time < bytes.count && bytes[time].isASCIIDigit: break
            default: return nil
            }
            if time + 2 < bytes.count, bytes[time].isASCIIDigit, bytes[time + 1].isASCIIDigit,
               bytes[time + 2] == UInt8(ascii: ":") {
                return nil
            }
            return problem(at: time, "a date's time must start with the hour and a colon (HH:MM:SS)",
                           hint: "write 2024-05-01T09:30:00, 2024-05-01 09:30:00, or the date alone")
        }

        /// At the start of a value of ten characters (underscores aside) whose fifth and eighth are `-`, followed by
        /// a space, one digit and the end of the value (`2024-01-0a 2`, `2024-01-02 2]`): toml++ takes the space
        /// and the digit for the start of a time, reads on from the end of the value and asserts. Such a line is an
        /// error in any case (a value followed by ` 2`), so it is reported here as one.
        func spacedDigitProblem() -> Problem? {
            guard bytes[i].isASCIIDigit else { return nil }
            var end = i
            var characters = 0
            while end < bytes.count && !Self.endsValue(bytes[end]) && characters <= 10 {
                let b = bytes[end]
                if b != UInt8(ascii: "_") && b & 0xC0 != 0x80 {  // a character: not `_`, not inside one
                    if (characters == 4 || characters == 7) && b != UInt8(ascii: "-") { return nil }
                    characters += 1
                }
                end += 1
            }
            guard characters == 10, end + 1 < bytes.count, bytes[end] == 0x20, bytes[end + 1].isASCIIDigit,
                  end + 2 == bytes.count || Self.endsValue(bytes[end + 2]) || bytes[end + 2] >= 0x80
            else { return nil }
            let shown = String(decoding: bytes[i..<(end + 2)], as: UTF8.self)
            return problem(at: i, "`\(shown)` is neither a date nor a date and time",
                           hint: "write 2024-05-01T09:30:00, 2024-05-01 09:30:00, or the date alone")
        }

        /// At U+0085, U+2028 or U+2029 (next line, line and paragraph separators) outside strings and comments: no
        /// TOML allows them there, and toml++ asserts on one where an array expects a value (`[1,\u{2028}1]`).
        func lineSeparatorProblem() -> Problem? {
            let b = bytes[i]
            guard b == 0xC2 || b == 0xE2, i + 1 < bytes.count else { return nil }
            let name: String
            if b == 0xC2 && bytes[i + 1] == 0x85 {
                name = "a next-line character (U+0085)"
            } else if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                name = bytes[i + 2] == 0xA8 ? "a line separator (U+2028)" : "a paragraph separator (U+2029)"
            } else {
                return nil
            }
            return problem(at: i, "\(name) outside a string",
                           hint: "end the line with a plain line break, or remove the character (often pasted from a web page)")
        }

        /// The length in bytes of the character at `i` if it is one toml++ counts as horizontal white space beyond
        /// ASCII: U+00A0, U+1680, U+180E, U+2000–U+200B, U+202F, U+205F, U+2060, U+3000, U+FEFF.
        func nonASCIIBlankLength(at i: Int) -> Int? {
            let at = { (n: Int) -> UInt8 in i + n < bytes.count ? bytes[i + n] : 0 }
            switch (at(0), at(1), at(2)) {
            case (0xC2, 0xA0, _): return 2
            case (0xE1, 0x9A, 0x80), (0xE1, 0xA0, 0x8E), (0xE2, 0x80, 0x80...0x8B), (0xE2, 0x80, 0xAF),
                 (0xE2, 0x81, 0x9F), (0xE2, 0x81, 0xA0), (0xE3, 0x80, 0x80), (0xEF, 0xBB, 0xBF): return 3
            default: return nil
            }
        }

        /// From just after an opening quote to just after the closing one (a one-line string ends with its line).
        /// A multi-line string's closing quotes may be followed by one or two more, which belong to the string
        /// (`"""a""""` is `a"`): they are skipped with it, or the scanner would take them for a new string and
        /// skip the rest of the line unread, as it did over `["""a"""", 2024-01-02T_1:00]` (CI's fuzz run).
        mutating func skipString(closedBy end: [UInt8], escapes: Bool) {
            while i < bytes.count && bytes[i] != 0 {
                if escapes && bytes[i] == UInt8(ascii: "\\") {
                    i += 1
                    if i < bytes.count && bytes[i] == 0x0A { (line, lineStart) = (line + 1, i + 1) }
                    i += 1
                    continue
                }
                if bytes[i] == 0x0A {
                    if end.count == 1 { return }
                    (line, lineStart) = (line + 1, i + 1)
                }
                if bytes[i...].starts(with: end) {
                    i += end.count
                    if end.count == 3 {
                        var extra = 0
                        while extra < 2 && i < bytes.count && bytes[i] == end[0] { (i, extra) = (i + 1, extra + 1) }
                    }
                    return
                }
                i += 1
            }
        }

        func problem(at offset: Int, _ message: String, hint: String) -> Problem {
            Problem(line: line, column: String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1,
                    message: message, hint: hint)
        }

        /// The character at `offset`, control characters escaped (`\n`, `\u{07}`).
        func shown(at offset: Int) -> String {
            guard let first = String(decoding: bytes[offset...].prefix(4), as: UTF8.self).unicodeScalars.first else {
                return ""
            }
            return first.properties.generalCategory == .control ? first.escaped(asASCII: true) : String(first)
        }

        /// What `open` holds for a bracket of a table header.
        static let header = UInt8(ascii: "H")

        static func isKeyCharacter(_ b: UInt8) -> Bool {
            b.isASCIIDigit || b.isASCIILetter || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "-")
        }

        /// Ends a value for toml++: ASCII white space, `]`, `}`, `,` or `#` (white space beyond ASCII too, which
        /// callers that need it treat as any byte from 0x80 up).
        static func endsValue(_ b: UInt8) -> Bool {
            b == 0x20 || (0x09...0x0D).contains(b) || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")
                || b == UInt8(ascii: ",") || b == UInt8(ascii: "#")
        }

        static func canStartKey(_ b: UInt8) -> Bool {
            isKeyCharacter(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "]")
        }
    }
}
