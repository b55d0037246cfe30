import QuillMarkdown

/// Reads the front matter nearly every post has — `key: value` lines, plain or quoted scalars, lists in brackets or
/// as `- item` lines — on its bytes, without a YAML parser's event stream, which was the larger part of parsing a
/// post (bench/README.md). Anything beyond that subset (block scalars, anchors, nested mappings, comments after values,
/// escapes, tabs, duplicate keys…) returns nil, and the caller hands the text to Yams. Plain scalars are typed by
/// the same code as Yams' (`FrontMatter.plainValue`), so both paths give the same fields; a test compares them on
/// generated front matter.
enum SimpleYAML {
    enum Value: Equatable {
        /// A plain scalar, typed later (`no`, `1.10` and dates are read as YAML 1.1 reads them).
        case plain(String)
        case quoted(String)
        case list([Value])
    }

    struct Entry {
        var key: String
        /// 0-based line of the key within the YAML text.
        var line: Int
        var value: Value
    }

    private typealias Bytes = ArraySlice<UInt8>

    static func parse(_ yaml: String) -> [Entry]? {
        let bytes = Array(yaml.utf8)
        var lines = [Bytes]()
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        lines.append(bytes[start...])
        var entries = [Entry]()
        var seen = Set<String>()
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if isBlankOrComment(line) {
                i += 1
                continue
            }
            if line.contains(9) || line.starts(with: "---".utf8) || line.starts(with: "...".utf8) { return nil }
            guard let colon = keyEnd(line) else { return nil }
            let key = String(decoding: line[..<colon], as: UTF8.self)
            guard seen.insert(key).inserted else { return nil }
            let rest = line[(colon + 1)...]
            guard rest.isEmpty || rest.first == 32 else { return nil }
            let text = trimmed(rest)
            if !text.isEmpty {
                guard let value = inlineValue(text) else { return nil }
                entries.append(Entry(key: key, line: i, value: value))
                i += 1
                continue
            }
            // `key:` alone: `- item` lines follow, or it is null.
            var items = [Value]()
            var j = i + 1
            var indent: Int?
            while j < lines.count {
                let item = lines[j]
                if isBlankOrComment(item) {
                    j += 1
                    continue
                }
                if item.contains(9) { return nil }
                let spaces = item.prefix { $0 == 32 }.count
                let body = item.dropFirst(spaces)
                guard body.first == UInt8(ascii: "-"), body.count == 1 || body.dropFirst().first == 32 else {
                    if spaces > 0 { return nil }  // a continuation line, or a nested mapping
                    break
                }
                if indent == nil { indent = spaces }
                guard spaces == indent else { return nil }
                let value = trimmed(body.dropFirst())
                if value.isEmpty {
                    items.append(.plain(""))
                } else {
                    guard let scalar = scalar(value, flow: false) else { return nil }
                    items.append(scalar)
                }
                j += 1
            }
            entries.append(Entry(key: key, line: i, value: indent == nil ? .plain("") : .list(items)))
            i = j
        }
        return entries
    }

    private static func isBlankOrComment(_ line: Bytes) -> Bool {
        let body = line.drop { $0 == 32 }
        return body.isEmpty || body.first == UInt8(ascii: "#")
    }

    /// The index of the `:` ending a plain ASCII key at the start of `line`.
    private static func keyEnd(_ line: Bytes) -> Int? {
        guard let first = line.first, first.isASCIILetter || first == UInt8(ascii: "_") else { return nil }
        for i in line.indices {
            let b = line[i]
            if b == UInt8(ascii: ":") { return i }
            guard b.isASCIILetter || b.isASCIIDigit || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") else { return nil }
        }
        return nil
    }

    private static func trimmed(_ text: Bytes) -> Bytes {
        var text = text.drop { $0 == 32 }
        while text.last == 32 { text = text.dropLast() }
        return text
    }

    private static func contains(_ text: Bytes, _ a: UInt8, _ b: UInt8) -> Bool {
        var previous: UInt8 = 0
        for byte in text {
            if previous == a && byte == b { return true }
            previous = byte
        }
        return false
    }

    /// A value on the key's line: a flow list or a scalar.
    private static func inlineValue(_ text: Bytes) -> Value? {
        guard text.first == UInt8(ascii: "[") else { return scalar(text, flow: false) }
        guard text.last == UInt8(ascii: "]") else { return nil }
        let inner = trimmed(text.dropFirst().dropLast())
        if inner.isEmpty { return .list([]) }
        var items = [Value]()
        for part in inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let item = trimmed(part)
            guard !item.isEmpty, let value = scalar(item, flow: true) else { return nil }
            items.append(value)
        }
        return .list(items)
    }

    /// A quoted scalar without escapes, or a plain one that cannot be anything but a scalar.
    private static func scalar(_ text: Bytes, flow: Bool) -> Value? {
        guard let first = text.first, allPrintable(text) else { return nil }
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            guard text.count >= 2, text.last == first else { return nil }
            let inner = text.dropFirst().dropLast()
            for b in inner where b == first || b == UInt8(ascii: "\\") || (flow && b == UInt8(ascii: ",")) { return nil }
            return .quoted(String(decoding: inner, as: UTF8.self))
        }
        // Indicators that start something else, or are reserved.
        if "?:&*!|>%@`\"'#[]{},".utf8.contains(first) { return nil }
        if first == UInt8(ascii: "-"), text.count == 1 || text.dropFirst().first == 32 { return nil }
        // A comment, a mapping, a flow collection, a quote or a backslash inside: leave it to Yams.
        if contains(text, 32, UInt8(ascii: "#")) || contains(text, UInt8(ascii: ":"), 32)
            || text.last == UInt8(ascii: ":") { return nil }
        for b in text {
            switch b {
            case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""),
                 UInt8(ascii: "\\"):
                return nil
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                if flow { return nil }
            default: continue
            }
        }
        return .plain(String(decoding: text, as: UTF8.self))
    }

    /// Whether every character is one YAML allows in a scalar on one line (no control characters, no Unicode line
    /// or paragraph separators, no byte order mark or noncharacters), judged on the UTF-8 bytes.
    private static func allPrintable(_ text: Bytes) -> Bool {
        var i = text.startIndex
        while i < text.endIndex {
            let b = text[i]
            if b < 0x20 || b == 0x7F { return false }
            if b == 0xC2, i + 1 < text.endIndex, text[i + 1] >= 0x80, text[i + 1] <= 0x9F { return false }  // C1
            if b == 0xE2, i + 2 < text.endIndex, text[i + 1] == 0x80, text[i + 2] == 0xA8 || text[i + 2] == 0xA9 {
                return false  // U+2028, U+2029
            }
            if b == 0xEF, i + 2 < text.endIndex,
               (text[i + 1] == 0xBB && text[i + 2] == 0xBF) || (text[i + 1] == 0xBF && text[i + 2] >= 0xBE) {
                return false  // U+FEFF, U+FFFE, U+FFFF
            }
            i += 1
        }
        return true
    }
}
