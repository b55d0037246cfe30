/// Mustache text → a tree of tags, each with its place in the file. The whitespace rules (which lines are
/// standalone and vanish, how a partial's indentation is kept) are swift-mustache's, step for step, so that a
/// theme renders byte for byte as it did under that engine (which the tests check); what Quill does not support
/// (lambdas' transforms, delimiter changes, pragmas, dynamic partials) is refused with an error at its place.
struct TemplateNode {
    enum Kind {
        case text([UInt8])
        case variable(String, escaped: Bool)
        case section(String, inverted: Bool, body: [TemplateNode])
        /// `indentation` is nil when the tag is not alone on its line.
        case partial(String, indentation: [UInt8]?)
        case parent(String, indentation: [UInt8], blocks: [(name: String, body: [TemplateNode], at: Int)])
        case block(String, indentation: [UInt8], body: [TemplateNode])
    }

    var kind: Kind
    /// Byte offset of the tag's name in the file (of the text's start for text).
    var at: Int
    /// Byte offset of the tag's `{{`.
    var tag: Int

    init(kind: Kind, at: Int, tag: Int? = nil) {
        (self.kind, self.at, self.tag) = (kind, at, tag ?? at)
    }
}

/// A template's text and where it came from.
public struct TemplateSource: Sendable, Equatable {
    public var name: String
    public var path: String
    public var text: String

    public init(name: String, path: String, text: String) {
        (self.name, self.path, self.text) = (name, path, text)
    }
}

struct TemplateSyntaxError: Error {
    var at: Int
    var message: String
    var hint: String?
}

struct TemplateParser {
    private let bytes: [UInt8]
    private var i = 0

    private struct State {
        var section: (name: String, at: Int, tag: Int)?
        var newLine = true
        var inParent = false
        var parentTopLevel = false
        var parentIndent: ArraySlice<UInt8>?

        func opening(_ name: String, at: Int, tag: Int, newLine: Bool) -> State {
            var s = self
            s.section = (name, at, tag)
            s.parentTopLevel = false
            if !newLine { s.newLine = false }
            return s
        }

        func parentCall(_ name: String, at: Int, tag: Int) -> State {
            var s = self
            s.section = (name, at, tag)
            s.newLine = true
            s.inParent = true
            s.parentTopLevel = true
            return s
        }
    }

    init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) throws(TemplateSyntaxError) -> [TemplateNode] {
        var parser = TemplateParser(text)
        return try parser.parse(State())
    }

    // MARK: Bytes

    private var atEnd: Bool { i >= bytes.count }

    /// The length of the line break at `j` (`\n`, `\r\n`), or 0.
    private func lineBreak(at j: Int) -> Int {
        guard j < bytes.count else { return 0 }
        if bytes[j] == 0x0A { return 1 }
        if bytes[j] == 0x0D, j + 1 < bytes.count, bytes[j + 1] == 0x0A { return 2 }
        return 0
    }

    /// What Swift counts as a newline character at `j` (for standalone lines): also a lone `\r`, VT, FF, NEL,
    /// LS and PS.
    private func anyNewline(at j: Int) -> Int {
        let n = lineBreak(at: j)
        if n > 0 { return n }
        guard j < bytes.count else { return 0 }
        switch bytes[j] {
        case 0x0D, 0x0B, 0x0C: return 1
        case 0xC2 where j + 1 < bytes.count && bytes[j + 1] == 0x85: return 2
        case 0xE2 where j + 2 < bytes.count && bytes[j + 1] == 0x80 && (bytes[j + 2] == 0xA8 || bytes[j + 2] == 0xA9):
            return 3
        default: return 0
        }
    }

    private mutating func readSpacesAndTabs() -> ArraySlice<UInt8> {
        let start = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return bytes[start..<i]
    }

    private static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    private mutating func skipWhitespace() {
        while i < bytes.count, Self.isWhitespace(bytes[i]) { i += 1 }
    }

    /// Text up to a line break (left unread) or `{{` (read); `tag` is true when it stopped at `{{`.
    private mutating func readText() -> (text: ArraySlice<UInt8>, tag: Bool) {
        let start = i
        while i < bytes.count {
            if lineBreak(at: i) > 0 { return (bytes[start..<i], false) }
            if bytes[i] == 0x7B, i + 1 < bytes.count, bytes[i + 1] == 0x7B {
                let text = bytes[start..<i]
                i += 2
                return (text, true)
            }
            i += 1
        }
        return (bytes[start..<i], false)
    }

    /// Whether the tag just read stands alone on its line (then its line, with the line break, is consumed).
    private mutating func standalone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        var j = i
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
        let n = anyNewline(at: j)
        guard n > 0 else { return false }
        i = j + n
        return true
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"),
             UInt8(ascii: "?"), UInt8(ascii: "*"):
            return true
        default: return false
        }
    }

    /// A tag's name and the `}}` after it; `partial` names may also hold `/`. Returns the name and its offset.
    private mutating func readName(partial: Bool = false, tag: Int) throws(TemplateSyntaxError) -> (String, Int) {
        skipWhitespace()
        let start = i
        while i < bytes.count, Self.isNameByte(bytes[i]) || (partial && bytes[i] == UInt8(ascii: "/"))
            || (!partial && (bytes[i] == UInt8(ascii: "(") || bytes[i] == UInt8(ascii: ")"))) {
            i += 1
        }
        let name = String(decoding: bytes[start..<i], as: UTF8.self)
        skipWhitespace()
        guard i + 1 < bytes.count, bytes[i] == 0x7D, bytes[i + 1] == 0x7D else {
            if i < bytes.count, bytes[i] != 0x7D {
                throw TemplateSyntaxError(at: i, message: "unexpected `\(Self.character(bytes, at: i))` in a tag",
                                          hint: "names are letters, digits and `.-_?`; close the tag with }}")
            }
            throw TemplateSyntaxError(at: tag, message: "a tag is not closed with }}",
                                      hint: "add }} after the name")
        }
        i += 2
        if name.contains("(") {
            throw TemplateSyntaxError(at: start, message: "transforms like `\(name)` are not supported",
                                      hint: "give the view the value itself; Quill's views have no functions")
        }
        if name.isEmpty {
            throw TemplateSyntaxError(at: tag, message: "a tag with no name",
                                      hint: "write the name between the braces, or {{.}} for the current item")
        }
        return (name, start)
    }

    /// The name of a partial (`{{> name}}`) or parent (`{{< name}}`), the `>` or `<` at `i`.
    private mutating func readIncluded(_ what: String, tag: Int) throws(TemplateSyntaxError) -> (String, Int) {
        let sigil = Self.character(bytes, at: i)
        i += 1
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "*") {
            throw TemplateSyntaxError(at: i, message: "dynamic \(what)s (`{{\(sigil)*name}}`) are not supported",
                                      hint: "name the \(what) template itself")
        }
        return try readName(partial: true, tag: tag)
    }

    static func character(_ bytes: [UInt8], at j: Int) -> String {
        var end = j + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[j..<end], as: UTF8.self)
    }

    // MARK: Parsing

    private mutating func parse(_ state: State) throws(TemplateSyntaxError) -> [TemplateNode] {
        var nodes = [TemplateNode]()
        var state = state
        var whitespace = ArraySlice<UInt8>()
        func text(_ parts: ArraySlice<UInt8>..., at: Int) {
            var bytes = [UInt8]()
            for part in parts { bytes += part }
            nodes.append(TemplateNode(kind: .text(bytes), at: at))
        }
        while !atEnd {
            let lineStart = i
            if state.newLine {
                let spaces = readSpacesAndTabs()
                if state.inParent, !state.parentTopLevel {
                    if let indent = state.parentIndent {
                        whitespace = spaces.dropFirst(indent.count)
                    } else {
                        state.parentIndent = spaces
                    }
                } else {
                    whitespace = spaces
                }
            }
            let textStart = i
            let (read, atTag) = readText()
            if !atTag, !atEnd {
                let n = lineBreak(at: i)
                text(whitespace, read, bytes[i..<(i + n)], at: lineStart)
                i += n
                state.newLine = true
                continue
            }
            if !read.isEmpty {
                text(whitespace, read, at: textStart)
                whitespace = []
                state.newLine = false
            }
            if !atTag { break }
            let tag = i - 2
            guard !atEnd, lineBreak(at: i) == 0 else {
                throw TemplateSyntaxError(at: tag, message: "a tag is not closed with }}", hint: "add a name and }}")
            }
            var setNewLine = false
            switch bytes[i] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[i] == UInt8(ascii: "^")
                i += 1
                let (name, at) = try readName(tag: tag)
                if standalone(state) {
                    setNewLine = true
                } else if !whitespace.isEmpty {
                    text(whitespace, at: tag)
                    whitespace = []
                }
                let body = try parse(state.opening(name, at: at, tag: tag, newLine: setNewLine))
                nodes.append(TemplateNode(kind: .section(name, inverted: inverted, body: body), at: at))

            case UInt8(ascii: "/"):
                i += 1
                let (name, at) = try readName(partial: true, tag: tag)
                guard let open = state.section else {
                    throw TemplateSyntaxError(at: at, message: "`{{/\(name)}}` closes a section that was never opened",
                                              hint: "remove it, or open the section with {{#\(name)}} before it")
                }
                guard name == open.name else {
                    throw TemplateSyntaxError(
                        at: at, message: "`{{/\(name)}}` closes `\(open.name)`, the section open here (opened at "
                            + "\(position(of: open.tag))), with the wrong name",
                        hint: "close `\(open.name)` with {{/\(open.name)}} first")
                }
                if standalone(state) {
                    setNewLine = true
                } else if !whitespace.isEmpty {
                    text(whitespace, at: tag)
                    whitespace = []
                }
                return nodes

            case UInt8(ascii: "!"):
                i += 1
                var j = i
                while j + 1 < bytes.count, !(bytes[j] == 0x7D && bytes[j + 1] == 0x7D) { j += 1 }
                guard j + 1 < bytes.count else {
                    throw TemplateSyntaxError(at: tag, message: "a comment is not closed with }}", hint: "add }}")
                }
                i = j + 2
                setNewLine = standalone(state)

            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                let triple = bytes[i] == UInt8(ascii: "{")
                if !whitespace.isEmpty {
                    text(whitespace, at: tag)
                    whitespace = []
                }
                i += 1
                let (name, at) = try readName(tag: tag)
                if triple {
                    guard i < bytes.count, bytes[i] == 0x7D else {
                        throw TemplateSyntaxError(at: tag, message: "`{{{\(name)` is closed with }} instead of }}}",
                                                  hint: "close it with }}}")
                    }
                    i += 1
                }
                nodes.append(TemplateNode(kind: .variable(name, escaped: false), at: at))

            case UInt8(ascii: ">"):
                let (name, at) = try readIncluded("partial", tag: tag)
                if !whitespace.isEmpty { text(whitespace, at: tag) }
                let indentation: [UInt8]? = standalone(state) ? Array(whitespace) : nil
                if indentation != nil { setNewLine = true }
                nodes.append(TemplateNode(kind: .partial(name, indentation: indentation), at: at, tag: tag))
                whitespace = []

            case UInt8(ascii: "<"):
                let (name, at) = try readIncluded("parent", tag: tag)
                if !whitespace.isEmpty { text(whitespace, at: tag) }
                if standalone(state) { setNewLine = true }
                let body = try parse(state.parentCall(name, at: at, tag: tag))
                var blocks = [(name: String, body: [TemplateNode], at: Int)]()
                for node in body {
                    switch node.kind {
                    case .block(let block, _, let content): blocks.append((block, content, node.at))
                    case .text: break
                    default:
                        throw TemplateSyntaxError(
                            at: node.at, message: "only blocks (`{{$name}}…{{/name}}`) can stand inside `{{<\(name)}}`",
                            hint: "move this into one of the blocks")
                    }
                }
                nodes.append(TemplateNode(kind: .parent(name, indentation: Array(whitespace), blocks: blocks), at: at, tag: tag))
                whitespace = []

            case UInt8(ascii: "$"):
                i += 1
                let (name, at) = try readName(tag: tag)
                if state.parentTopLevel {
                    if standalone(state) { setNewLine = true }
                    let body = try parse(state.opening(name, at: at, tag: tag, newLine: setNewLine))
                    nodes.append(TemplateNode(kind: .block(name, indentation: [], body: body), at: at, tag: tag))
                } else {
                    if !whitespace.isEmpty { text(whitespace, at: tag) }
                    if standalone(state) { setNewLine = true }
                    let body = try parse(state.opening(name, at: at, tag: tag, newLine: setNewLine))
                    nodes.append(TemplateNode(kind: .block(name, indentation: Array(whitespace), body: body), at: at, tag: tag))
                    whitespace = []
                }

            case UInt8(ascii: "="):
                throw TemplateSyntaxError(at: tag, message: "delimiter changes (`{{=<% %>=}}`) are not supported",
                                          hint: "keep {{ and }}")

            case UInt8(ascii: "%"):
                throw TemplateSyntaxError(at: tag, message: "pragmas (`{{% … }}`) are not supported",
                                          hint: "remove the tag")

            default:
                if !whitespace.isEmpty {
                    text(whitespace, at: tag)
                    whitespace = []
                }
                let (name, at) = try readName(tag: tag)
                nodes.append(TemplateNode(kind: .variable(name, escaped: true), at: at))
            }
            state.newLine = setNewLine
        }
        if let open = state.section {
            throw TemplateSyntaxError(at: open.tag, message: "`\(open.name)` is opened here and never closed",
                                      hint: "close it with {{/\(open.name)}}")
        }
        return nodes
    }

    /// `line:column` of a byte offset (columns count characters).
    func position(of offset: Int) -> String {
        let (line, column) = Self.lineAndColumn(bytes, offset)
        return "\(line):\(column)"
    }

    static func lineAndColumn(_ bytes: [UInt8], _ offset: Int) -> (Int, Int) {
        var line = 1, column = 1
        for j in 0..<min(offset, bytes.count) {
            if bytes[j] == 0x0A {
                line += 1
                column = 1
            } else if bytes[j] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

extension TemplateSource {
    /// The partials and parents `text` names (`{{> name}}`, `{{< name}}`), each once, in the order they first
    /// appear: the templates a change of which can change what `text` renders. Read by the parser itself, so that
    /// it finds what the compiler will include (a tab after `>`, a tag inside a section or a block) and nothing in
    /// comments. A template that does not parse names none: its build fails, and its text is read again once fixed.
    public static func references(in text: String) -> [String] {
        guard let nodes = try? TemplateParser.parse(text) else { return [] }
        var names = [String]()
        var seen = Set<String>()
        func walk(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node.kind {
                case .text, .variable: break
                case .section(_, _, let body), .block(_, _, let body): walk(body)
                case .partial(let name, _):
                    if seen.insert(name).inserted { names.append(name) }
                case .parent(let name, _, let blocks):
                    if seen.insert(name).inserted { names.append(name) }
                    for block in blocks { walk(block.body) }
                }
            }
        }
        walk(nodes)
        return names
    }
}
