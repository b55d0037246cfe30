import CCmarkGFM
import Foundation

/// A Liquid tag (`{% … %}`) or output (`{{ … }}`) written in a Markdown document's text, where the page shows it as
/// written: Quill does not run Liquid. Found outside code spans, code blocks and HTML comments, where Liquid is
/// legitimately shown (or hidden) as it is.
public struct LeftLiquid: Sendable, Equatable {
    /// The document's line (from 1) and the column of its first `{` (from 1, in characters).
    public var line: Int
    public var column: Int
    /// The tag as written, cut at 80 characters.
    public var text: String
}

extension Tree {
    /// The Liquid left in the text of `source` (the document this tree was parsed from): only the lines of its
    /// paragraphs, headings, tables and HTML blocks are read, so code blocks never are.
    func leftLiquid(in source: String) -> [LeftLiquid] {
        guard Self.mayHaveLiquid(source) else { return [] }
        var ranges: [(first: Int, last: Int, isHTML: Bool)] = []
        walk(document) { node, entering in
            guard entering else { return }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_HTML_BLOCK
                || Self.isTable(node) else { return }
            let first = Int(cmark_node_get_start_line(node)), last = Int(cmark_node_get_end_line(node))
            // A table's cells are inside its lines already; a paragraph inside an item inside a table cannot be.
            if let previous = ranges.last, previous.first <= first, last <= previous.last { return }
            ranges.append((first, max(first, last), type == CMARK_NODE_HTML_BLOCK))
        }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var found: [LeftLiquid] = []
        for range in ranges where range.first >= 1 && range.first <= lines.count {
            let block = lines[(range.first - 1)..<min(range.last, lines.count)].joined(separator: "\n")
            found += Self.liquid(in: block, firstLine: range.first, codeSpans: !range.isHTML)
        }
        return found
    }

    private static func isTable(_ node: OpaquePointer) -> Bool {
        guard let name = cmark_node_get_type_string(node) else { return false }
        return String(cString: name) == "table"
    }

    /// Whether `source` has `{{` or `{%` at all: most documents have neither, and are not walked.
    static func mayHaveLiquid(_ source: String) -> Bool {
        var source = source
        // `memchr` to each `{`: looked for in every post of every build, so it goes at the speed of the C library.
        return source.withUTF8 { bytes -> Bool in
            guard bytes.count > 1, let base = bytes.baseAddress else { return false }
            let last = base + bytes.count - 1  // a `{` here has nothing after it
            var from = base
            while from < last, let hit = memchr(from, Int32(UInt8(ascii: "{")), last - from) {
                let brace = hit.assumingMemoryBound(to: UInt8.self)
                if brace[1] == UInt8(ascii: "{") || brace[1] == UInt8(ascii: "%") { return true }
                from = UnsafePointer(brace + 1)
            }
            return false
        }
    }

    /// The Liquid in one block's text, past code spans (when `codeSpans`: not in HTML blocks, where backticks are
    /// text) and HTML comments.
    static func liquid(in block: String, firstLine: Int, codeSpans: Bool) -> [LeftLiquid] {
        let chars = Array(block)
        var found: [LeftLiquid] = []
        var line = firstLine, lineStart = 0
        var i = 0
        func advance(to end: Int) {
            while i < end {
                if chars[i] == "\n" { (line, lineStart) = (line + 1, i + 1) }
                i += 1
            }
        }
        func find(_ pattern: [Character], from start: Int) -> Int? {
            guard pattern.count <= chars.count else { return nil }
            var k = start
            while k + pattern.count <= chars.count {
                if chars[k] == pattern[0], Array(chars[k..<(k + pattern.count)]) == pattern { return k }
                k += 1
            }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            if codeSpans, c == "`" {
                var run = 0
                while i + run < chars.count, chars[i + run] == "`" { run += 1 }
                // A span closes at the next run of the same length; an unmatched run is text.
                var k = i + run
                var close: Int?
                while k < chars.count {
                    if chars[k] == "`" {
                        var other = 0
                        while k + other < chars.count, chars[k + other] == "`" { other += 1 }
                        if other == run { close = k + other; break }
                        k += other
                    } else {
                        k += 1
                    }
                }
                advance(to: close ?? i + run)
                continue
            }
            if c == "<", i + 3 < chars.count, chars[i + 1] == "!", chars[i + 2] == "-", chars[i + 3] == "-" {
                advance(to: (find(Array("-->"), from: i + 4).map { $0 + 3 }) ?? chars.count)
                continue
            }
            if c == "{", i + 1 < chars.count, chars[i + 1] == "{" || chars[i + 1] == "%" {
                let closing: [Character] = chars[i + 1] == "{" ? ["}", "}"] : ["%", "}"]
                if let end = find(closing, from: i + 2) {
                    let text = String(chars[i..<(end + 2)])
                    found.append(LeftLiquid(line: line, column: i - lineStart + 1,
                                            text: text.count > 80 ? String(text.prefix(79)) + "…" : text))
                    advance(to: end + 2)
                    continue
                }
            }
            advance(to: i + 1)
        }
        return found
    }
}
