import CCmarkGFM
import Foundation

/// A parsed cmark-gfm document and the walks Quill makes over it. Owns nothing: the renderer frees the nodes.
struct Tree {
    let document: OpaquePointer
    let extensions: UnsafeMutablePointer<cmark_llist>?

    struct Scan {
        var headings: [OpaquePointer] = []
        var links: [OpaquePointer] = []
        var wordCount = 0
    }

    /// One pass over every node: counts words, drops dangerous URLs, collects headings and links.
    func scan() -> Scan {
        var scan = Scan()
        walk(document) { node, entering in
            guard entering else { return }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                scan.wordCount += Self.countWords(cmark_node_get_literal(node))
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
        var marker: OpaquePointer?
        var hasMore: Bool
    }

    /// The top-level blocks before a `<!--more-->` block, or else the first paragraph.
    func summary() -> Summary {
        var blocks = [OpaquePointer]()
        var node = cmark_node_first_child(document)
        while let current = node {
            if cmark_node_get_type(current) == CMARK_NODE_HTML_BLOCK, Self.isMoreMarker(current) {
                return Summary(blocks: blocks, marker: current, hasMore: hasContent(after: current))
            }
            blocks.append(current)
            node = cmark_node_next(current)
        }
        guard let paragraph = blocks.first(where: { cmark_node_get_type($0) == CMARK_NODE_PARAGRAPH }) else {
            return Summary(blocks: [], marker: nil, hasMore: !blocks.isEmpty)
        }
        return Summary(blocks: [paragraph], marker: nil, hasMore: blocks.count > 1)
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
        return compact == "<!--more-->"
    }

    /// Replaces each heading with raw HTML carrying a unique id and an anchor link.
    func anchorHeadings(_ nodes: [OpaquePointer]) -> [Heading] {
        var used: Set<String> = ["main", "top"]  // ids the layout uses
        var headings = [Heading]()
        for node in nodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = Self.collapseWhitespace(Self.plainText(of: node))
            let base = Slug.make(text).isEmpty ? "section" : Slug.make(text)
            var id = base
            var n = 1
            while used.contains(id) {
                id = "\(base)-\(n)"
                n += 1
            }
            used.insert(id)
            headings.append(Heading(level: level, id: id, text: text))

            let rendered = html(of: node)  // "<hN>inner</hN>\n"
            let inner = rendered.dropFirst(4).dropLast(6)
            let replacement = "<h\(level) id=\"\(id)\"><a class=\"anchor\" href=\"#\(id)\" aria-hidden=\"true\" "
                + "tabindex=\"-1\">#</a>\(inner)</h\(level)>"
            guard let block = cmark_node_new(CMARK_NODE_HTML_BLOCK) else { continue }
            cmark_node_set_literal(block, replacement)
            if cmark_node_replace(node, block) == 1 {
                cmark_node_free(node)
            } else {
                cmark_node_free(block)
            }
        }
        return headings
    }

    /// Makes every relative link and image URL absolute; false when there was nothing to change.
    func resolveLinks(_ nodes: [OpaquePointer], against base: URL) -> Bool {
        var changed = false
        for node in nodes {
            guard let url = cmark_node_get_url(node).map({ String(cString: $0) }),
                  let absolute = URL(string: url, relativeTo: base)?.absoluteString, absolute != url
            else { continue }
            cmark_node_set_url(node, absolute)
            changed = true
        }
        return changed
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
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func countWords(_ literal: UnsafePointer<CChar>?) -> Int {
        guard var p = literal else { return 0 }
        var count = 0
        var inWord = false
        while p.pointee != 0 {
            let c = UInt8(bitPattern: p.pointee)
            let space = c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D
            if !space && !inWord { count += 1 }
            inWord = !space
            p += 1
        }
        return count
    }
}
