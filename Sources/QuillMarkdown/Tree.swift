import CCmarkGFM
import Foundation

/// A parsed cmark-gfm document and the walks Quill makes over it. Owns nothing: the renderer frees the nodes.
struct Tree {
    let document: OpaquePointer
    let extensions: UnsafeMutablePointer<cmark_llist>?

    struct Scan {
        var headings: [OpaquePointer] = []
        var links: [OpaquePointer] = []
        var codeBlocks: [OpaquePointer] = []
        var wordCount = 0
    }

    /// One pass over every node: counts words, drops dangerous URLs, collects headings and links.
    func scan() -> Scan {
        var scan = Scan()
        var inWord = false  // across the text nodes of one block: `un*believ*able` is one word
        walk(document) { node, entering in
            let type = cmark_node_get_type(node)
            if Self.endsWord(type) { inWord = false }  // words do not run across blocks and line breaks
            guard entering else { return }
            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                scan.wordCount += Self.countWords(cmark_node_get_literal(node), inWord: &inWord)
            case CMARK_NODE_CODE_BLOCK:
                inWord = false
                scan.wordCount += Self.countWords(cmark_node_get_literal(node), inWord: &inWord)
                inWord = false
                scan.codeBlocks.append(node)
            case CMARK_NODE_HEADING:
                scan.headings.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if URLSafety.isDangerous(url, isImage: cmark_node_get_type(node) == CMARK_NODE_IMAGE) {
                    cmark_node_set_url(node, "")
                } else if URLSafety.isRelative(url) {
                    scan.links.append(node)
                }
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                if let literal = cmark_node_get_literal(node).map({ String(cString: $0) }),
                   let cleaned = URLSafety.neutralizeScriptURLs(inRawHTML: literal) {
                    cmark_node_set_literal(node, cleaned)
                }
            default:
                break
            }
        }
        return scan
    }

    struct Summary {
        var blocks: [OpaquePointer]
        /// A block that is a `<!--more-->` alone, which the page leaves out.
        var marker: OpaquePointer?
        /// HTML that follows `blocks`: the part of an HTML block before a marker inside it, or the paragraph taken
        /// from an HTML block; balanced (every element it opens closed).
        var tail = ""
        /// Whether a marker (alone or inside an HTML block) ended the summary.
        var hasBreak = false
        var hasMore: Bool
        /// Whether the summary has raw HTML of the author's, which may leave elements open.
        var hasRawHTML = false
    }

    /// The top-level blocks before a `<!--more-->` (or Drupal's `<!--break-->`), also where that comment stands
    /// inside an HTML block; or else the first paragraph, where an HTML block's first `<p>…</p>` counts as one (and
    /// with no paragraph at all, the first HTML block that has text).
    func summary() -> Summary {
        var summary = rawSummary()
        summary.tail = HTMLBody.tagFiltered(summary.tail)  // cmark-gfm's tagfilter never sees it
        return summary
    }

    private func rawSummary() -> Summary {
        var blocks = [OpaquePointer]()
        var node = cmark_node_first_child(document)
        while let current = node {
            if cmark_node_get_type(current) == CMARK_NODE_HTML_BLOCK {
                if Self.isMoreMarker(current) {
                    return Summary(blocks: blocks, marker: current, hasBreak: true, hasMore: hasContent(after: current),
                                   hasRawHTML: blocks.contains(where: Self.isHTMLBlock))
                }
                let literal = Self.literal(of: current)
                if let cut = HTMLBody.markerRange(in: literal) {
                    let before = HTMLBody.balanced(String(literal[..<cut.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines))
                    let after = literal[cut.upperBound...]
                    return Summary(blocks: blocks, tail: before.isEmpty ? "" : before + "\n", hasBreak: true,
                                   hasMore: !after.allSatisfy(\.isWhitespace) || hasContent(after: current),
                                   hasRawHTML: blocks.contains(where: Self.isHTMLBlock))
                }
            }
            blocks.append(current)
            node = cmark_node_next(current)
        }
        var firstWithText: String?
        for block in blocks {
            if cmark_node_get_type(block) == CMARK_NODE_PARAGRAPH {
                return Summary(blocks: [block], hasMore: blocks.count > 1)
            }
            guard Self.isHTMLBlock(block) else { continue }
            let literal = Self.literal(of: block)
            if let paragraph = HTMLBody.firstParagraph(in: literal) {
                return Summary(blocks: [], tail: paragraph + "\n",
                               hasMore: blocks.count > 1 || HTMLBody.hasText(literal, besides: paragraph))
            }
            if firstWithText == nil, HTMLBody.hasText(literal, besides: "") { firstWithText = literal }
        }
        if let html = firstWithText {
            return Summary(blocks: [], tail: HTMLBody.balanced(html.trimmingCharacters(in: .whitespacesAndNewlines)) + "\n",
                           hasMore: blocks.count > 1)
        }
        return Summary(blocks: [], marker: nil, hasMore: !blocks.isEmpty)
    }

    static func isHTMLBlock(_ node: OpaquePointer) -> Bool { cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK }

    static func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private func hasContent(after node: OpaquePointer) -> Bool {
        var next = cmark_node_next(node)
        while let current = next {
            if cmark_node_get_type(current) != CMARK_NODE_FOOTNOTE_DEFINITION { return true }
            next = cmark_node_next(current)
        }
        return false
    }

    static func isMoreMarker(_ node: OpaquePointer) -> Bool {
        guard let literal = cmark_node_get_literal(node) else { return false }
        let compact = String(cString: literal).lowercased().filter { !$0.isWhitespace }
        return compact == "<!--more-->" || compact == "<!--break-->"
    }

    /// Gives each heading a unique id and marks it for `finishHeadings` (the heading node itself stays, so links
    /// inside it are still resolved for feeds).
    func anchorHeadings(_ nodes: [OpaquePointer]) -> [Heading] {
        var used: Set<String> = ["main", "top"]  // ids the layout uses
        var headings = [Heading]()
        for node in nodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = Self.collapseWhitespace(Self.plainText(of: node))
            let slug = Slug.make(text)
            let base = slug.isEmpty ? "section" : slug
            var id = base
            var n = 1
            while used.contains(id) {
                id = "\(base)-\(n)"
                n += 1
            }
            used.insert(id)
            headings.append(Heading(level: level, id: id, text: text))
            // A marker that `finishHeadings` turns into the id and anchor link once the HTML is rendered.
            guard let anchor = cmark_node_new(CMARK_NODE_HTML_INLINE) else { continue }
            cmark_node_set_literal(anchor, Self.headingMarker(headings.count - 1))
            if let first = cmark_node_first_child(node) {
                cmark_node_insert_before(first, anchor)
            } else {
                cmark_node_append_child(node, anchor)
            }
        }
        return headings
    }

    static func headingMarker(_ index: Int) -> String { "\u{1}quill-heading-\(index)\u{1}" }

    /// Puts each heading's id on its tag, with an anchor link, where `anchorHeadings` left a marker: one pass over
    /// the bytes (Foundation's string replacement was a quarter of a cold build).
    static func finishHeadings(_ html: String, _ headings: [Heading]) -> String {
        guard !headings.isEmpty else { return html }
        let prefix = Array("quill-heading-".utf8)
        var out = [UInt8]()
        out.reserveCapacity(html.utf8.count + headings.count * 100)
        var html = html
        html.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                if bytes[i] != 0x01 {  // copy the run up to the next possible marker in one go
                    let base = bytes.baseAddress!
                    var end = bytes.count
                    if i + 1 < bytes.count, let found = memchr(base + i + 1, 0x01, bytes.count - i - 1) {
                        end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                    i = end
                    continue
                }
                guard i + prefix.count + 2 < bytes.count,
                      bytes[(i + 1)..<(i + 1 + prefix.count)].elementsEqual(prefix) else {
                    out.append(bytes[i])
                    i += 1
                    continue
                }
                var j = i + 1 + prefix.count
                var index = 0
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                    index = index * 10 + Int(bytes[j] - 0x30)
                    j += 1
                }
                guard j < bytes.count, bytes[j] == 0x01, index < headings.count else {
                    out.append(bytes[i])
                    i += 1
                    continue
                }
                let id = headings[index].id
                if out.last == UInt8(ascii: ">") { out.removeLast() }  // reopen "<hN>" for the id
                out.append(contentsOf: " id=\"\(id)\"><a class=\"anchor\" href=\"#\(id)\" aria-hidden=\"true\" tabindex=\"-1\">#</a>".utf8)
                i = j + 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Makes every relative link and image URL absolute; returns the URLs replaced (nil when none was).
    func resolveLinks(_ nodes: [OpaquePointer], against base: URL) -> [(OpaquePointer, String)]? {
        var originals = [(OpaquePointer, String)]()
        for node in nodes {
            guard let url = cmark_node_get_url(node).map({ String(cString: $0) }),
                  let absolute = URL(string: url, relativeTo: base)?.absoluteString, absolute != url
            else { continue }
            cmark_node_set_url(node, absolute)
            originals.append((node, url))
        }
        return originals.isEmpty ? nil : originals
    }

    func restoreLinks(_ originals: [(OpaquePointer, String)]) {
        for (node, url) in originals { cmark_node_set_url(node, url) }
    }

    func html(of node: OpaquePointer) -> String {
        guard let cString = cmark_render_html(node, MarkdownRenderer.options, extensions) else { return "" }
        defer { free(cString) }
        return String(cString: cString)
    }

    func walk(_ root: OpaquePointer, _ visit: (OpaquePointer, Bool) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            visit(node, event == CMARK_EVENT_ENTER)
        }
    }

    static func endsWord(_ type: cmark_node_type) -> Bool {
        let raw: UInt32 = type.rawValue
        let mask = UInt32(CMARK_NODE_TYPE_MASK)
        let block = UInt32(CMARK_NODE_TYPE_BLOCK)
        if raw & mask == block { return true }
        return type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK
    }

    static func plainText(of root: OpaquePointer) -> String {
        var text = ""
        Tree(document: root, extensions: nil).walk(root) { node, entering in
            guard entering else { return }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if let literal = cmark_node_get_literal(node) { text += String(cString: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                text += " "
            default:
                break
            }
        }
        return text
    }

    static func collapseWhitespace(_ text: String) -> String {
        var text = text
        let ascii = text.withUTF8 { bytes -> String? in  // the common case, on bytes
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return ascii ?? text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func countWords(_ literal: UnsafePointer<CChar>?, inWord: inout Bool) -> Int {
        guard let literal else { return 0 }
        return countWords(UnsafeRawPointer(literal), strlen(literal), inWord: &inWord)
    }

    /// The words (runs of bytes other than space, tab, CR and LF) that start in the `n` bytes at `p`, eight bytes
    /// at a time: a word starts at a byte that is not a space after one that is (or after the text before, when
    /// that did not end in a word).
    static func countWords(_ p: UnsafeRawPointer, _ n: Int, inWord: inout Bool) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, high = ~low
        @inline(__always) func zeros(_ v: UInt64) -> UInt64 { ~(((v & low) &+ low) | v) & high }  // exact, per byte
        var count = 0
        var i = 0
        var before: UInt64 = inWord ? 0 : 0x80  // the top bit: the byte before was a space
        while i + 8 <= n {
            let x = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let space = zeros(x ^ (0x20 &* ones)) | zeros(x ^ (0x0A &* ones)) | zeros(x ^ (0x09 &* ones))
                | zeros(x ^ (0x0D &* ones))
            let starts = ~space & high & (space << 8 | before)
            count += starts.nonzeroBitCount
            before = space >> 56
            i += 8
        }
        var word = before == 0
        while i < n {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            let space = c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D
            if !space && !word { count += 1 }
            word = !space
            i += 1
        }
        inWord = word
        return count
    }
}
