import Foundation

/// A compiled theme: each entry template as steps over numbered fields.
public final class CompiledTheme: Sendable {
    private let entries: [String: Block]
    private let reads: [String: Set<String>]

    init(_ entries: [String: Block], reads: [String: Set<String>]) { (self.entries, self.reads) = (entries, reads) }

    public func has(_ entry: String) -> Bool { entries[entry] != nil }

    /// Whether `entry` (with the partials and parents it includes) may read the field `field` of the view named
    /// `view` (`post`, `summary`): known when it was compiled, since every name is resolved then.
    public func reads(_ entry: String, _ view: String, _ field: String) -> Bool {
        guard let reads = reads[entry] else { return false }
        return reads.contains(view + "." + field) || reads.contains("*." + field)
    }

    /// How many sections of `entry` keep their items' renderings (for tests).
    func cachedSections(_ entry: String) -> Int {
        func count(_ block: Block) -> Int {
            block.ops.reduce(0) { total, op in
                switch op {
                case .section(_, _, let body, let cached): return total + (cached ? 1 : 0) + count(body)
                case .unit(let inner, _): return total + count(inner)
                default: return total
                }
            }
        }
        return entries[entry].map(count) ?? 0
    }

    /// The page `entry` renders for `root`, as UTF-8; list items are kept in `cache` (one per build).
    public func render(_ entry: String, _ root: TemplateValue, cache: RenderCache? = nil) -> [UInt8] {
        guard let block = entries[entry] else { return [] }
        var renderer = Renderer(root, cache: cache)
        renderer.run(block, indentation: [])
        return renderer.out
    }
}

/// List items rendered once in a build (see `Op.section`'s `cached`), by the section and the item's key.
public final class RenderCache: @unchecked Sendable {
    private struct Key: Hashable {
        let section: ObjectIdentifier
        let indentation: [UInt8]
        let item: String
    }

    private let lock = NSLock()
    private var items: [Key: [UInt8]] = [:]

    public init() {}

    fileprivate func bytes(_ section: Block, _ indentation: [UInt8], _ item: String) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return items[Key(section: ObjectIdentifier(section), indentation: indentation, item: item)]
    }

    fileprivate func keep(_ bytes: [UInt8], _ section: Block, _ indentation: [UInt8], _ item: String) {
        lock.lock()
        items[Key(section: ObjectIdentifier(section), indentation: indentation, item: item)] = bytes
        lock.unlock()
    }
}

/// One rendering: the output and the stack of contexts.
struct Renderer {
    var out: [UInt8] = []
    /// The contexts, outermost first; a flag's section pushes a transparent one (swift-mustache pushes none).
    private var frames: [(value: TemplateValue, transparent: Bool)]
    private let cache: RenderCache?

    init(_ root: TemplateValue, cache: RenderCache?) {
        frames = [(root, false)]
        self.cache = cache
        out.reserveCapacity(16 * 1024)
    }

    /// Renders `block` as swift-mustache renders a template: with an indentation, each part that starts a line
    /// of this block's own output and is not empty is indented.
    mutating func run(_ block: Block, indentation: [UInt8]) {
        if indentation.isEmpty {
            for op in block.ops { perform(op, indentation) }
            return
        }
        let start = out.count
        for op in block.ops {
            let before = out.count
            perform(op, indentation)
            if out.count > before, before > start, out[before - 1] == 0x0A,
               !(before - 2 >= start && out[before - 2] == 0x0D) {
                out.insert(contentsOf: indentation, at: before)
            }
        }
    }

    private mutating func perform(_ op: Op, _ indentation: [UInt8]) {
        switch op {
        case .text(let bytes):
            out.append(contentsOf: bytes)
        case .value(let lookup, let escaped):
            write(value(lookup), escaped: escaped)
        case .section(let lookup, let inverted, let body, let cached):
            section(value(lookup), inverted: inverted, body, indentation, cache: cached ? cache : nil)
        case .unit(let block, let more):
            if let more, !more.isEmpty {
                run(block, indentation: indentation + more)
            } else {
                run(block, indentation: indentation)
            }
        }
    }

    /// With `cache`, an item that has a `renderKey` is rendered once and its bytes reused.
    private mutating func section(_ value: TemplateValue, inverted: Bool, _ body: Block, _ indentation: [UInt8],
                                  cache: RenderCache?) {
        switch value {
        case .list(let items):
            if inverted {
                guard items.isEmpty else { return }
                inside(value, transparent: false, body, indentation)
            } else {
                for item in items {  // a flag item too
                    guard let cache, case .object(let object) = item, let key = object.renderKey else {
                        inside(item, transparent: false, body, indentation)
                        continue
                    }
                    if let bytes = cache.bytes(body, indentation, key) {
                        out.append(contentsOf: bytes)
                    } else {
                        let start = out.count
                        inside(item, transparent: false, body, indentation)
                        cache.keep(Array(out[start...]), body, indentation, key)
                    }
                }
            }
        case .bool(let flag):
            if flag != inverted { inside(value, transparent: true, body, indentation) }
        case .null:
            if inverted { inside(value, transparent: true, body, indentation) }
        default:
            if !inverted { inside(value, transparent: false, body, indentation) }
        }
    }

    private mutating func inside(_ value: TemplateValue, transparent: Bool, _ body: Block, _ indentation: [UInt8]) {
        frames.append((value, transparent))
        run(body, indentation: indentation)
        frames.removeLast()
    }

    private func value(_ lookup: Lookup) -> TemplateValue {
        switch lookup {
        case .candidates(let candidates):
            for candidate in candidates {
                var value = Self.step(frames[candidate.frame].value, candidate.steps[0])
                if value.isNull { continue }
                for step in candidate.steps.dropFirst() {
                    value = Self.step(value, step)
                    if value.isNull { return .null }
                }
                return value
            }
            return .null
        case .current:
            return frames.last { !$0.transparent }?.value ?? .null
        case .inCurrent(let names):
            var value = frames.last { !$0.transparent }?.value ?? .null
            for name in names {
                value = value.child(named: name)
                if value.isNull { return .null }
            }
            return value
        }
    }

    @inline(__always) private static func step(_ value: TemplateValue, _ step: Step) -> TemplateValue {
        switch step {
        case .field(let n):
            if case .object(let object) = value { return object.field(n) }
            return .null
        case .key(let name):
            return value.child(named: name)
        case .never:
            return .null
        }
    }

    private mutating func write(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .null: return
        case .string(let text): append(text, escaped: escaped)
        case .int(let n): append(String(n), escaped: false)
        case .double(let d): append(String(describing: d), escaped: false)
        case .bool(let flag): append(flag ? "true" : "false", escaped: false)
        case .list, .table, .object: append(value.swiftValue.map { String(describing: $0) } ?? "", escaped: escaped)
        }
    }

    private mutating func append(_ text: String, escaped: Bool) {
        var text = text
        text.withUTF8 { bytes in
            guard escaped else {
                out.append(contentsOf: bytes)
                return
            }
            var run = 0
            for (i, byte) in bytes.enumerated() {
                let replacement: StaticString
                switch byte {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                run = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
    }
}

extension TemplateValue {
    /// As a Swift value (how a list or table shows when a tag names it whole, as swift-mustache shows it).
    public var swiftValue: Any? {
        switch self {
        case .null: return nil
        case .bool(let b): return b
        case .int(let n): return n
        case .double(let d): return d
        case .string(let s): return s
        case .list(let items): return items.map { $0.swiftValue as Any }
        case .table(let table): return table.compactMapValues(\.swiftValue)
        case .object(let object):
            var fields = [String: Any]()
            for (n, field) in object.viewType.fields.enumerated() {
                if let value = object.field(n).swiftValue { fields[field.name] = value }
            }
            return fields
        }
    }
}
