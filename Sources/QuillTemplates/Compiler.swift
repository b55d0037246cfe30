/// Mustache templates compiled against the views they render: every name is resolved to field numbers when the
/// theme is compiled, so rendering looks nothing up by name (but in free-form `params`), and a name no view in
/// scope has is an error at its `file:line:col`, with the nearest field names as a hint.

/// A problem in a template, where it is.
public struct TemplateDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String
    public var hint: String?
    public var isWarning: Bool
    /// The template's line, for showing under the message.
    public var lineText: String

    public var description: String {
        "\(path):\(line):\(column): \(isWarning ? "warning" : "error"): \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}

/// What a compiled template does, step by step.
enum Op: Sendable {
    case text([UInt8])
    case value(Lookup, escaped: Bool)
    /// `cached`: each item's rendering depends on the item alone (the body names nothing outside it), so an
    /// item with a `renderKey` is rendered once per build and its bytes reused.
    case section(Lookup, inverted: Bool, body: Block, cached: Bool)
    /// A partial, a parent or a block: rendered on its own (as swift-mustache renders a template), indented by
    /// `indentation` more when it has one.
    case unit(Block, indentation: [UInt8]?)
}

final class Block: Sendable {
    let ops: [Op]
    init(_ ops: [Op]) { self.ops = ops }
}

/// How a name is found as a page renders.
enum Lookup: Sendable {
    /// `{{.}}`: the innermost value (a flag's section pushes none).
    case current
    /// `{{.a.b}}`: names in the innermost value only.
    case inCurrent([String])
    /// The places the name may be, innermost first: the first where its first part is present is used.
    case candidates([Candidate])
}

struct Candidate: Sendable {
    /// The context's depth, from the outermost (0).
    var frame: Int
    var steps: [Step]
}

enum Step: Sendable {
    case field(Int)
    case key(String)
    /// A part the value's view does not have (an error was reported unless another place has the name).
    case never
}

/// What the compiler knows of a context as it compiles a section's body.
private enum Frame {
    case object(ViewType)
    /// A value with no fields (text, a number, a list).
    case value(FieldKind)
    /// Anything: names are looked up as the page renders.
    case free
    /// A flag's section, which swift-mustache does not push (Quill pushes it marked, so depths stay fixed).
    case transparent
}

public struct TemplateCompiler {
    private struct Parsed {
        var source: TemplateSource
        var bytes: [UInt8]
        var nodes: [TemplateNode]?
    }

    private struct Override {
        var body: [TemplateNode]
        var template: String
    }

    private var templates: [String: Parsed] = [:]
    private var diagnostics: [TemplateDiagnostic] = []
    private var seen = Set<String>()
    private var frames: [Frame] = []
    private var chain: [String] = []
    /// The blocks whose overrides are being compiled, outermost first.
    private var overriding: [String] = []
    /// The outermost context the names compiled since it was reset read (for `Op.section`'s `cached`).
    private var outermost = Int.max
    /// The fields the entry being compiled may read, as `view.field` (`post.summary`; `*.field` for a name
    /// looked up as the page renders, `{{.content}}`).
    private var reads = Set<String>()

    /// Compiles `entries` (each a template rendered with a value of `root`) from `sources`. Every template is
    /// parsed; the entries, and what they include, are resolved against the views. Errors and warnings come
    /// together; the theme is nil when there is an error.
    public static func compile(_ sources: [TemplateSource], entries: [String], root: ViewType)
        -> (theme: CompiledTheme?, diagnostics: [TemplateDiagnostic])
    {
        var compiler = TemplateCompiler()
        for source in sources.sorted(by: { $0.name < $1.name }) {
            var parsed = Parsed(source: source, bytes: Array(source.text.utf8), nodes: nil)
            do {
                parsed.nodes = try TemplateParser.parse(source.text)
            } catch {
                compiler.report(in: parsed, at: error.at, error.message, hint: error.hint)
            }
            compiler.templates[source.name] = parsed
        }
        var compiled = [String: Block]()
        var reads = [String: Set<String>]()
        for entry in entries {
            guard let template = compiler.templates[entry], let nodes = template.nodes else { continue }
            compiler.frames = [.object(root)]
            compiler.chain = [entry]
            compiler.reads = []
            compiled[entry] = Block(compiler.compile(nodes, in: entry, env: [:], indented: false))
            reads[entry] = compiler.reads
        }
        let diagnostics = compiler.diagnostics
        let failed = diagnostics.contains { !$0.isWarning }
        return (failed ? nil : CompiledTheme(compiled, reads: reads), diagnostics)
    }

    // MARK: Diagnostics

    private mutating func report(in template: Parsed, at offset: Int, _ message: String, hint: String? = nil,
                                 warning: Bool = false) {
        let (line, column) = TemplateParser.lineAndColumn(template.bytes, offset)
        var start = min(offset, template.bytes.count), end = start
        while start > 0, template.bytes[start - 1] != 0x0A { start -= 1 }
        while end < template.bytes.count, template.bytes[end] != 0x0A { end += 1 }
        let diagnostic = TemplateDiagnostic(
            path: template.source.path, line: line, column: column, message: message, hint: hint, isWarning: warning,
            lineText: String(decoding: template.bytes[start..<end], as: UTF8.self))
        if seen.insert(diagnostic.description).inserted { diagnostics.append(diagnostic) }
    }

    private mutating func report(_ name: String, at offset: Int, _ message: String, hint: String? = nil,
                                 warning: Bool = false) {
        guard let template = templates[name] else { return }
        report(in: template, at: offset, message, hint: hint, warning: warning)
    }

    // MARK: Compiling

    private mutating func compile(_ nodes: [TemplateNode], in name: String, env: [String: Override],
                                  indented: Bool) -> [Op] {
        var ops = [Op]()
        func appendText(_ bytes: [UInt8]) {
            // Texts are joined where nothing is indented: an indented unit indents after each part that ends a line.
            if !indented, case .text(let last)? = ops.last {
                ops[ops.count - 1] = .text(last + bytes)
            } else {
                ops.append(.text(bytes))
            }
        }
        for node in nodes {
            switch node.kind {
            case .text(let bytes):
                appendText(bytes)

            case .variable(let variable, let escaped):
                guard let (lookup, kind) = resolve(variable, at: node.at, in: name) else { continue }
                switch kind?.present {
                case .list?:
                    report(name, at: node.at, "`\(variable)` is a list: a tag cannot show it whole",
                           hint: "show its items with {{#\(variable)}}…{{/\(variable)}}")
                case .object(let type)?:
                    let example = type.fields.first { if case .string = $0.kind { return true } else { return false } }
                    report(name, at: node.at, "`\(variable)` is a \(type.name), not text",
                           hint: example.map { "show one of its fields, e.g. {{\(variable).\($0.name)}}" }
                               ?? "show one of its fields: \(type.fields.map(\.name).joined(separator: ", "))")
                case .html? where escaped:
                    report(name, at: node.at, "`\(variable)` is HTML: {{\(variable)}} escapes it, so its tags show as text",
                           hint: "use {{{\(variable)}}}", warning: true)
                    ops.append(.value(lookup, escaped: escaped))
                default:
                    ops.append(.value(lookup, escaped: escaped))
                }

            case .section(let section, let inverted, let body):
                guard let (lookup, kind) = resolve(section, at: node.at, in: name) else { continue }
                frames.append(Self.frame(inside: kind, inverted: inverted))
                let saved = outermost
                outermost = Int.max
                let inner = compile(body, in: name, env: env, indented: indented)
                let cached = !inverted && outermost >= frames.count - 1 && kind?.present.isList == true
                outermost = min(saved, outermost)
                frames.removeLast()
                ops.append(.section(lookup, inverted: inverted, body: Block(inner), cached: cached))

            case .partial(let partial, let indentation):
                guard let nodes = include(partial, at: node.tag, from: name, what: "partial") else { continue }
                chain.append(partial)
                let inner = compile(nodes, in: partial, env: env,
                                    indented: indented || !(indentation ?? []).isEmpty)
                chain.removeLast()
                ops.append(.unit(Block(inner), indentation: indentation))

            case .parent(let parent, let indentation, let blocks):
                guard let nodes = include(parent, at: node.tag, from: name, what: "parent") else { continue }
                // The outermost override of a block counts; of two in one call, the last (as in swift-mustache).
                var inner = env
                for block in blocks where env[block.name] == nil {
                    inner[block.name] = Override(body: block.body, template: name)
                }
                chain.append(parent)
                let ops2 = compile(nodes, in: parent, env: inner, indented: indented || !indentation.isEmpty)
                chain.removeLast()
                ops.append(.unit(Block(ops2), indentation: indentation))

            case .block(let block, let indentation, let body):
                let deeper = indented || !indentation.isEmpty
                let inner: [Op]
                if let override = env[block] {
                    // An override that uses its own block would stand for itself without end (swift-mustache
                    // overflows its stack): refused.
                    guard !overriding.contains(block) else {
                        report(name, at: node.tag, "block `\(block)` is used inside its own override",
                               hint: "remove {{$\(block)}} from the {{$\(block)}}…{{/\(block)}} that overrides it")
                        continue
                    }
                    overriding.append(block)
                    inner = compile(override.body, in: override.template, env: env, indented: deeper)
                    overriding.removeLast()
                } else {
                    inner = compile(body, in: name, env: env, indented: deeper)
                }
                ops.append(.unit(Block(inner), indentation: indentation))
            }
        }
        return ops
    }

    /// The nodes of the partial or parent `name`, or nil (reported) when there is none or it includes itself.
    private mutating func include(_ target: String, at offset: Int, from name: String, what: String) -> [TemplateNode]? {
        guard let template = templates[target] else {
            let known = templates.keys.sorted()
            let near = Suggestions.nearest(target, in: known)
            report(name, at: offset, "there is no template `\(target)` for this \(what)",
                   hint: near.map { "did you mean `\($0)`?" }
                       ?? "templates are named by their path under templates/ without .mustache; known: "
                       + known.joined(separator: ", "))
            return nil
        }
        if chain.contains(target) {
            report(name, at: offset, "`\(target)` includes itself (\((chain + [target]).joined(separator: " → ")))",
                   hint: "a template cannot be its own partial or parent, directly or through others")
            return nil
        }
        return template.nodes  // nil: its syntax error is reported already
    }

    private static func frame(inside kind: FieldKind?, inverted: Bool) -> Frame {
        guard let kind = kind?.present else { return .free }
        if inverted {
            switch kind {
            case .list: return .value(kind)
            case .free: return .free
            default: return .transparent
            }
        }
        switch kind {
        case .list(let item):
            switch item.present {
            case .object(let type): return .object(type)
            case .free: return .free
            default: return .value(item.present)
            }
        case .bool: return .transparent
        case .object(let type): return .object(type)
        case .free: return .free
        default: return .value(kind)
        }
    }

    // MARK: Names

    /// How `name` is found here, and what it holds (nil: it depends on the page); nil (reported) when no view in
    /// scope has it.
    private mutating func resolve(_ name: String, at offset: Int, in template: String) -> (Lookup, FieldKind?)? {
        guard let (lookup, kind) = find(name, at: offset, in: template) else { return nil }
        switch lookup {
        case .candidates(let candidates):
            for candidate in candidates { outermost = min(outermost, candidate.frame) }
        case .current, .inCurrent:
            // The innermost context that is not a flag's: a section's item is never a flag's.
            outermost = min(outermost, frames.count - 1)
        }
        return (lookup, kind)
    }

    private mutating func find(_ name: String, at offset: Int, in template: String) -> (Lookup, FieldKind?)? {
        if name == "." {
            for frame in frames.reversed() {
                switch frame {
                case .transparent: continue
                case .object(let type): return (.current, .object(type))
                case .value(let kind): return (.current, kind)
                case .free: return (.current, nil)
                }
            }
            return (.current, nil)
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if name.hasPrefix(".") {
            let rest = Array(parts.dropFirst())
            guard !rest.contains(where: \.isEmpty) else {
                report(template, at: offset, "`\(name)` has an empty part", hint: "write names as a.b.c")
                return nil
            }
            for part in rest { reads.insert("*." + part) }  // looked up by name as the page renders: any view's
            return (.inCurrent(rest), nil)
        }
        guard !parts.contains(where: \.isEmpty) else {
            report(template, at: offset, "`\(name)` has an empty part", hint: "write names as a.b.c")
            return nil
        }
        var candidates = [Candidate]()
        var kinds = [FieldKind?]()
        var failures = [(offset: Int, message: String, hint: String?)]()
        search: for depth in frames.indices.reversed() {
            switch frames[depth] {
            case .object(let type):
                guard let n = type.field(named: parts[0]) else { continue }
                reads.insert(type.name + "." + parts[0])
                let kind = type.fields[n].kind
                var candidate = Candidate(frame: depth, steps: [.field(n)])
                switch follow(parts, from: kind, name: name, at: offset) {
                case .success(let (steps, result)):
                    candidate.steps += steps
                    kinds.append(result)
                case .failure(let failure):
                    candidate.steps.append(.never)
                    failures.append(failure)
                }
                candidates.append(candidate)
                if !kind.isOptional { break search }
            case .free:
                candidates.append(Candidate(frame: depth, steps: parts.map { .key($0) }))
                kinds.append(nil)
            case .value, .transparent:
                continue
            }
        }
        if candidates.isEmpty {
            let scope = frames.reversed().compactMap { frame -> ViewType? in
                if case .object(let type) = frame { return type } else { return nil }
            }
            let fields = scope.flatMap { $0.fields.map(\.name) }
            let near = Suggestions.nearest(parts[0], in: fields)
            let inner = scope.first.map { "\($0.name) has no field `\(parts[0])`" } ?? "no view here has a field `\(parts[0])`"
            let around = scope.count > 1 ? " (nor " + scope.dropFirst().map(\.name).joined(separator: ", ") + " around it)" : ""
            report(template, at: offset, inner + around,
                   hint: near.map { "did you mean `\($0)`?" }
                       ?? "fields here: " + Array(Set(fields)).sorted().joined(separator: ", "))
            return nil
        }
        if kinds.isEmpty, let failure = failures.first {
            report(template, at: failure.offset, failure.message, hint: failure.hint)
            return nil
        }
        var kind = kinds.first ?? nil
        for other in kinds.dropFirst() where !Self.same(kind, other) { kind = nil }
        return (.candidates(candidates), kind)
    }

    private enum Followed {
        case success(([Step], FieldKind?))
        case failure((offset: Int, message: String, hint: String?))
    }

    /// The steps from `parts[0]` (of kind `kind`) through the rest of `parts`.
    private mutating func follow(_ parts: [String], from kind: FieldKind, name: String, at offset: Int) -> Followed {
        var steps = [Step]()
        var kind: FieldKind? = kind
        var position = offset + parts[0].utf8.count + 1
        for (i, part) in parts.enumerated().dropFirst() {
            let prefix = parts[..<i].joined(separator: ".")
            switch kind?.present {
            case .object(let type)?:
                guard let n = type.field(named: part) else {
                    let near = Suggestions.nearest(part, in: type.fields.map(\.name))
                    return .failure((position, "\(type.name) has no field `\(part)`" + (prefix == type.name ? "" : " (in `\(prefix)`)"),
                                     near.map { "did you mean `\($0)`?" }
                                         ?? "its fields: " + type.fields.map(\.name).joined(separator: ", ")))
                }
                steps.append(.field(n))
                reads.insert(type.name + "." + part)
                kind = type.fields[n].kind
            case .free?, nil:
                steps.append(.key(part))
                kind = nil
            case let other?:
                return .failure((position, "`\(prefix)` is \(Self.article(other)), it has no field `\(part)`",
                                 other.present.isList ? "use {{#\(prefix)}}…{{/\(prefix)}} and name `\(part)` inside" : nil))
            }
            position += part.utf8.count + 1
        }
        return .success((steps, kind))
    }

    private static func article(_ kind: FieldKind) -> String {
        let text = kind.present.description
        return (text.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + text
    }

    private static func same(_ a: FieldKind?, _ b: FieldKind?) -> Bool {
        switch (a?.present, b?.present) {
        case (nil, nil): return true
        case (.string?, .string?), (.html?, .html?), (.int?, .int?), (.double?, .double?), (.bool?, .bool?),
             (.free?, .free?):
            return true
        case (.object(let x)?, .object(let y)?): return x === y
        case (.list(let x)?, .list(let y)?): return same(x, y)
        default: return false
        }
    }
}

extension FieldKind {
    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}

/// Near names, for "did you mean".
public enum Suggestions {
    static func nearest(_ name: String, in candidates: [String]) -> String? {
        let limit = max(1, min(3, name.count / 3 + 1))
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for candidate in Set(candidates).sorted() {
            let d = editDistance(target, Array(candidate.lowercased()))
            if d <= limit, best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance, with a swap of two neighbouring elements counted as one edit (`titel` → `title` is
    /// one).
    public static func editDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
