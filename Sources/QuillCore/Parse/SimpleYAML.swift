import Yams

/// Reads the front matter nearly every post has — `key: value` lines, plain or quoted scalars, lists in brackets or
/// as `- item` lines — without building a YAML parser's event stream: at 10,000 posts Yams' compose took a fifth
/// of parsing. Anything beyond that subset (block scalars, anchors, nested mappings, comments after values, escapes,
/// tabs, duplicate keys…) returns nil, and the caller hands the text to Yams. What it returns are Yams nodes, typed
/// afterwards by the same code as Yams' own, so both paths give the same fields; a test compares them on
/// generated front matter.
enum SimpleYAML {
    struct Entry {
        var key: String
        /// 0-based line of the key within the YAML text.
        var line: Int
        var value: Node
    }

    static func parse(_ yaml: String) -> [Entry]? {
        var entries = [Entry]()
        var seen = Set<String>()
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if isBlankOrComment(line) {
                i += 1
                continue
            }
            if line.utf8.contains(9) || line.hasPrefix("---") || line.hasPrefix("...") { return nil }
            guard let colon = keyEnd(line) else { return nil }
            let key = String(line[..<colon])
            guard seen.insert(key).inserted else { return nil }
            let rest = line[line.index(after: colon)...]
            guard rest.isEmpty || rest.first == " " else { return nil }
            let text = trimmed(rest)
            if !text.isEmpty {
                guard let value = inlineValue(text) else { return nil }
                entries.append(Entry(key: key, line: i, value: value))
                i += 1
                continue
            }
            // `key:` alone: `- item` lines follow, or it is null.
            var items = [Node]()
            var j = i + 1
            var indent: Int?
            while j < lines.count {
                let item = lines[j]
                if isBlankOrComment(item) {
                    j += 1
                    continue
                }
                if item.utf8.contains(9) { return nil }
                let spaces = item.prefix { $0 == " " }.count
                let body = item.dropFirst(spaces)
                guard body.hasPrefix("-"), body.count == 1 || body.dropFirst().first == " " else {
                    if spaces > 0 { return nil }  // a continuation line, or a nested mapping
                    break
                }
                if indent == nil { indent = spaces }
                guard spaces == indent else { return nil }
                let value = trimmed(body.dropFirst())
                if value.isEmpty {
                    items.append(Node.scalar(.init("", .implicit, .plain)))
                } else {
                    guard let scalar = scalar(value, flow: false) else { return nil }
                    items.append(scalar)
                }
                j += 1
            }
            entries.append(Entry(key: key, line: i, value: items.isEmpty && indent == nil
                ? Node.scalar(.init("", .implicit, .plain)) : Node.sequence(.init(items))))
            i = j
        }
        return entries
    }

    private static func isBlankOrComment(_ line: Substring) -> Bool {
        let body = line.drop { $0 == " " }
        return body.isEmpty || body.first == "#"
    }

    /// The index of the `:` ending a plain ASCII key at the start of `line`.
    private static func keyEnd(_ line: Substring) -> String.Index? {
        var index = line.startIndex
        guard index < line.endIndex, line[index].isASCII, line[index].isLetter || line[index] == "_" else { return nil }
        while index < line.endIndex {
            let c = line[index]
            if c == ":" { return index }
            guard c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" else { return nil }
            index = line.index(after: index)
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text.drop { $0 == " " }
        while text.last == " " { text = text.dropLast() }
        return text
    }

    /// A value on the key's line: a flow list or a scalar.
    private static func inlineValue(_ text: Substring) -> Node? {
        guard text.first == "[" else { return scalar(text, flow: false) }
        guard text.last == "]" else { return nil }
        let inner = trimmed(text.dropFirst().dropLast())
        if inner.isEmpty { return Node.sequence(.init([])) }
        var items = [Node]()
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let item = trimmed(part)
            guard !item.isEmpty, let node = scalar(item, flow: true) else { return nil }
            items.append(node)
        }
        return Node.sequence(.init(items))
    }

    /// A quoted scalar without escapes, or a plain one that cannot be anything but text.
    private static func scalar(_ text: Substring, flow: Bool) -> Node? {
        guard let first = text.first, allPrintable(text) else { return nil }
        if first == "\"" || first == "'" {
            guard text.count >= 2, text.last == first else { return nil }
            let inner = text.dropFirst().dropLast()
            guard !inner.contains(first), !inner.contains("\\"), !(flow && inner.contains(",")) else { return nil }
            return Node.scalar(.init(String(inner), .implicit, first == "\"" ? .doubleQuoted : .singleQuoted))
        }
        // Indicators that start something else, or are reserved.
        if "?:&*!|>%@`\"'#[]{},".contains(first) { return nil }
        if first == "-", text.count == 1 || text.dropFirst().first == " " { return nil }
        // A comment, a mapping, a flow collection, a quote or a backslash inside: leave it to Yams.
        if text.contains(" #") || text.contains(": ") || text.last == ":" { return nil }
        for c in text.unicodeScalars where "[]{}\"\\".unicodeScalars.contains(c) || (flow && (c == "," || c == ":")) {
            return nil
        }
        return Node.scalar(.init(String(text), .implicit, .plain))
    }

    /// Whether every character is one YAML allows in a scalar on one line (no control characters, no Unicode line
    /// or paragraph separators, no byte order mark).
    private static func allPrintable(_ text: Substring) -> Bool {
        for c in text.unicodeScalars {
            switch c.value {
            case 0x20...0x7E: continue
            case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return false
            default: continue
            }
        }
        return true
    }
}
