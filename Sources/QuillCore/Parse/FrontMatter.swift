import Foundation
import TOMLKit
import Yams

/// The metadata block at the top of a content file — YAML between `---` lines or TOML between `+++` lines — and
/// the Markdown body after it.
struct FrontMatter: Sendable {
    enum Syntax: Sendable { case yaml, toml }

    var syntax: Syntax
    /// Top-level keys as written: `title: no` is the text "no", `tags: 1.10` the tag "1.10". Dates stay strings;
    /// `DateParser` reads them in the site's time zone.
    var fields: [String: MetadataValue]
    /// The same keys typed as YAML 1.1 types them (`draft: yes` is true, `weight: 3` a number): for flags,
    /// numbers, and what templates get as `params`. TOML's values are typed as written.
    var typed: [String: MetadataValue] = [:]
    /// The file line of each top-level key, for errors about its value.
    var keyLines: [String: Int]
    var body: Substring
    /// The file line the body starts on.
    var bodyLine: Int

    /// Where `key`'s value is written, or the opening fence when the key is absent.
    func location(of key: String, in file: String) -> SourceLocation {
        SourceLocation(file: file, line: keyLines[key] ?? 1, column: 1)
    }

    /// Splits `text` and parses its front matter; errors carry the file's own line and column.
    static func parse(_ text: String, file: String, simpleYAML: Bool = true) throws(Diagnostic) -> FrontMatter {
        let fence: Substring
        let syntax: Syntax
        if text.hasPrefix("---") {
            (fence, syntax) = ("---", .yaml)
        } else if text.hasPrefix("+++") {
            (fence, syntax) = ("+++", .toml)
        } else {
            throw Diagnostic(
                SourceLocation(file: file, line: 1, column: 1), "missing front matter",
                hint: "start the file with a `---` line, then `title: My title`, then another `---` line "
                    + "(or TOML between `+++` lines)")
        }
        // Lines of the file, with their offsets, until the closing fence.
        var lineNumber = 1
        var index = text.startIndex
        var metadataStart: String.Index?
        var closing: (start: String.Index, end: String.Index, line: Int)?
        while index < text.endIndex {
            let lineEnd = text[index...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[index..<lineEnd].trimmingSpaces()
            if lineNumber == 1 {
                guard line == String(fence) else {
                    throw Diagnostic(
                        SourceLocation(file: file, line: 1, column: 4),
                        "unexpected text after the opening `\(fence)`",
                        hint: "the first line must be `\(fence)` alone")
                }
                metadataStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            } else if line == String(fence) || (syntax == .yaml && line == "...") {
                closing = (index, lineEnd, lineNumber)
                break
            }
            index = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            lineNumber += 1
        }
        guard let metadataStart, let closing else {
            throw Diagnostic(
                SourceLocation(file: file, line: 1, column: 1), "front matter opened with `\(fence)` is never closed",
                hint: "add a line `\(fence)` after the last front matter field")
        }
        let metadata = String(text[metadataStart..<closing.start])
        let bodyStart = closing.end < text.endIndex ? text.index(after: closing.end) : text.endIndex
        var result = FrontMatter(
            syntax: syntax, fields: [:], keyLines: [:], body: text[bodyStart...], bodyLine: closing.line + 1)
        switch syntax {
        case .yaml: try result.readYAML(metadata, file: file, simple: simpleYAML)
        case .toml: try result.readTOML(metadata, file: file)
        }
        return result
    }

    /// `simple`: try `SimpleYAML` first (tests turn it off to compare).
    private mutating func readYAML(_ yaml: String, file: String, simple: Bool) throws(Diagnostic) {
        if simple, let entries = SimpleYAML.parse(yaml) {
            func metadata(_ value: SimpleYAML.Value, typed: Bool) -> MetadataValue {
                switch value {
                case .plain(let text): return typed ? Self.plainValue(text) : Self.asWritten(text)
                case .quoted(let text): return .string(text)
                case .list(let items): return .array(items.map { metadata($0, typed: typed) })
                }
            }
            for entry in entries {
                fields[entry.key] = metadata(entry.value, typed: false)
                self.typed[entry.key] = metadata(entry.value, typed: true)
                keyLines[entry.key] = entry.line + 2  // the YAML starts on the file's second line
            }
            return
        }
        let node: Yams.Node?
        do {
            // Scalars are typed below, only those that can be typed at all: the default resolver tries seven
            // regular expressions on every plain scalar, titles and tags included.
            node = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, file: file, yaml: yaml)
        } catch {
            throw Diagnostic(SourceLocation(file: file, line: 2, column: 1), "invalid YAML front matter: \(error)")
        }
        guard let node else { return }  // empty front matter
        guard let mapping = node.mapping else {
            throw Diagnostic(
                SourceLocation(file: file, line: 2, column: 1), "front matter must be a mapping of `key: value` lines",
                hint: "write fields as `title: My post`")
        }
        var budget = Self.valueLimit
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            let line = (key.mark?.line ?? 1) + 1
            typed[name] = try Self.metadata(from: value, budget: &budget, file: file, line: line, typed: true)
            var again = Self.valueLimit  // the same values: the limit was checked just above
            fields[name] = try Self.metadata(from: value, budget: &again, file: file, line: line, typed: false)
            keyLines[name] = line
        }
    }

    /// How many values front matter may hold once YAML aliases are expanded: a few hundred bytes of aliases of
    /// aliases would otherwise expand to billions (a "billion laughs").
    static let valueLimit = 100_000

    private static func metadata(from node: Yams.Node, budget: inout Int, file: String, line: Int, typed: Bool)
        throws(Diagnostic) -> MetadataValue
    {
        budget -= 1
        guard budget >= 0 else {
            throw Diagnostic(
                SourceLocation(file: file, line: line, column: 1),
                "front matter holds over \(valueLimit) values once its YAML aliases are expanded",
                hint: "write the values out, or use fewer aliases of aliases")
        }
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }  // quoted
            return typed ? plainValue(scalar.string) : asWritten(scalar.string)
        case .sequence(let sequence):
            var values = [MetadataValue]()
            for item in sequence {
                values.append(try metadata(from: item, budget: &budget, file: file, line: line, typed: typed))
            }
            return .array(values)
        case .mapping(let mapping):
            var table = [String: MetadataValue]()
            for (key, value) in mapping {
                if let k = key.string {
                    table[k] = try metadata(from: value, budget: &budget, file: file, line: line, typed: typed)
                }
            }
            return .table(table)
        case .alias:
            return .string("")
        }
    }

    /// A plain scalar as written: its text, or "" for YAML's null (`~`, `null`, nothing).
    static func asWritten(_ text: String) -> MetadataValue {
        ["", "~", "null", "Null", "NULL"].contains(text) ? .string("") : .string(text)
    }

    /// A plain scalar as YAML 1.1 types it: a bool, an int, a float, null (read as ""), or the text (timestamps
    /// included: dates are read by `DateParser`).
    static func plainValue(_ text: String) -> MetadataValue {
        guard mightBeTyped(text), !isTimestampOrText(text) else { return .string(text) }
        let typed = Yams.Node(text)  // an implicit tag: the default resolver types it
        switch Resolver.default.resolveTag(of: typed) {
        case .bool: return typed.bool.map(MetadataValue.bool) ?? .string(text)
        case .int:
            guard !Self.sexagesimalIntOverflows(text) else { return .string(text) }
            return typed.int.map(MetadataValue.int) ?? .string(text)
        case .float: return typed.float.map(MetadataValue.double) ?? .string(text)
        case .null: return .string("")
        default: return .string(text)
        }
    }

    /// Whether Yams would overflow reading `text` as a YAML 1.1 base-60 integer (`1333333333666666660:0`, or a
    /// dozen `:0` parts): its arithmetic traps on overflow, which ended the whole process (a fuzz run). Follows
    /// Yams's reading step by step: underscores dropped, a sign, octal/hex/binary prefixes read otherwise, each
    /// part a decimal `Int`, the parts summed from the right with a base that grows 60 times per part. Such text
    /// is kept as written, as a plain integer too big for `Int` is.
    static func sexagesimalIntOverflows(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: ":")) else { return false }
        let withSign = text.replacingOccurrences(of: "_", with: "")
        let unsigned = withSign.hasPrefix("-") || withSign.hasPrefix("+") ? withSign.dropFirst() : withSign[...]
        guard withSign != "0", !unsigned.hasPrefix("0") else { return false }  // 0x…, 0b…, 0o…, 0…: not base 60
        let parts = unsigned.split(separator: ":", omittingEmptySubsequences: false).map { Int($0, radix: 10) }
        guard !parts.contains(nil) else { return false }  // Yams gives up before any arithmetic
        var (base, value) = (1, 0)
        for part in parts.reversed() {
            let (product, productOverflow) = part!.multipliedReportingOverflow(by: base)
            let (sum, sumOverflow) = value.addingReportingOverflow(product)
            let (next, baseOverflow) = base.multipliedReportingOverflow(by: 60)
            if productOverflow || sumOverflow || baseOverflow { return true }
            (base, value) = (next, sum)
        }
        return false
    }

    /// Whether `text` has a `-` after its first character that does not follow an exponent's `e`: no YAML 1.1
    /// bool, null, int, float, merge or value has one, so it is a timestamp or text (`2024-05-01 09:30`), and the
    /// resolver's regular expressions need not be tried (every post's date would go through them).
    static func isTimestampOrText(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for (i, b) in text.utf8.enumerated() {
            if b == UInt8(ascii: "-"), i > 0, previous != UInt8(ascii: "e"), previous != UInt8(ascii: "E") { return true }
            previous = b
        }
        return false
    }

    /// Whether a plain scalar could be a YAML 1.1 bool, null, number, timestamp, merge or value: those start with
    /// a digit, a sign, a dot, `~`, `<` or `=`, or are one of the short words (`yes`, `Off`, `null`, `TRUE`…).
    static func mightBeTyped(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: "="):
            return true
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return text.utf8.count <= 5
        default:
            return false
        }
    }

    private static func diagnostic(for error: YamlError, file: String, yaml: String) -> Diagnostic {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let lineCount = lines.count - 1
        var position: (line: Int, column: Int)?  // in the YAML, 1-based
        var problem = "\(error)"
        switch error {
        case .scanner(let context, let p, let m, _), .parser(let context, let p, let m, _),
             .composer(let context, let p, let m, _):
            (problem, position) = (p, (m.line, m.column))
            if let context {
                problem += " (\(context.text) that starts at line \(context.mark.line + 1))"
                // An unclosed bracket or quote is noticed later; point at where it starts.
                position = (context.mark.line, context.mark.column)
            }
        case .duplicatedKeysInMapping(let duplicates, let context):
            problem = "duplicate key \(duplicates.joined(separator: ", "))"
            position = (context.mark.line, context.mark.column)
            // Point at the second time the key is written, when it is a top-level `key:` line.
            if let key = duplicates.first {
                let written = lines.indices.filter { lines[$0].hasPrefix(key + ":") }
                if written.count >= 2 { position = (written[1] + 1, 1) }
            }
        case .reader(let p, let offset, let value, let yaml):
            // A control character such as NUL; Yams counts the offset in characters.
            problem = "\(p) (" + (value >= 0 ? String(format: "U+%04X", value) : "?") + ")"
            if let offset {
                let before = yaml.prefix(offset)
                let lineStart = before.lastIndex(of: "\n").map(before.index(after:)) ?? before.startIndex
                position = (before.count { $0 == "\n" } + 1, before[lineStart...].count + 1)
            }
        default:
            break
        }
        // The YAML starts on the file's second line.
        let location = SourceLocation(
            file: file, line: min(position?.line ?? 1, max(lineCount, 1)) + 1, column: position?.column ?? 1)
        return Diagnostic(
            location, "invalid YAML front matter: \(problem)",
            hint: "check the quoting and indentation; a value containing `: ` or starting with `[`, `{`, `*` or `#` "
                + "needs quotes")
    }

    private mutating func readTOML(_ toml: String, file: String) throws(Diagnostic) {
        if let problem = TOMLGuard.problem(in: toml, firstLine: 2) {
            throw Diagnostic(SourceLocation(file: file, line: problem.line, column: problem.column),
                             "invalid TOML front matter: \(problem.message)", hint: problem.hint)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw Diagnostic(
                SourceLocation(file: file, line: error.source.begin.line + 1, column: error.source.begin.column),
                "invalid TOML front matter: \(error.description)",
                hint: "TOML fields are `key = value`, strings in double quotes")
        } catch {
            throw Diagnostic(SourceLocation(file: file, line: 2, column: 1), "invalid TOML front matter: \(error)")
        }
        fields = table.keys.reduce(into: [:]) { $0[$1] = table[$1].map(Self.metadata(from:)) }
        typed = fields
        keyLines = Self.tomlKeyLines(toml)
    }

    static func metadata(from value: TOMLValueConvertible) -> MetadataValue {
        switch value.type {
        case .bool: return .bool(value.bool ?? false)
        case .int: return .int(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .string: return .string(value.string ?? "")
        case .array: return .array((value.array ?? []).map { metadata(from: $0) })
        case .table:
            guard let table = value.table else { return .table([:]) }
            return .table(table.keys.reduce(into: [:]) { $0[$1] = table[$1].map { metadata(from: $0) } })
        case .date:
            guard let d = value.date else { return .string("") }
            return .string(DateParser.format(year: d.year, month: d.month, day: d.day))
        case .time:
            return .string(value.debugDescription)
        case .dateTime:
            guard let dt = value.dateTime else { return .string("") }
            var text = DateParser.format(year: dt.date.year, month: dt.date.month, day: dt.date.day)
            text += "T" + [dt.time.hour, dt.time.minute, dt.time.second].map { $0 < 10 ? "0\($0)" : "\($0)" }
                .joined(separator: ":")
            if let offset = dt.offset?.offset {
                let sign = offset < 0 ? "-" : "+"
                let h = abs(offset) / 60, m = abs(offset) % 60
                text += sign + (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
            }
            return .string(text)
        }
    }

    /// Lines of `key = value` pairs (`table.key` inside `[table]`), counted from the line before `toml`'s first
    /// (the `+++` fence; pass `firstLine: 1` for a whole file).
    static func tomlKeyLines(_ toml: String, firstLine: Int = 2) -> [String: Int] {
        var lines = [String: Int]()
        var table = ""
        for (offset, line) in toml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingSpaces()
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
                table = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingSpaces()
                lines[table] = offset + firstLine
                continue
            }
            guard !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            var key = trimmed[..<eq].trimmingSpaces()
            if key.count >= 2, key.first == "\"", key.last == "\"" { key = String(key.dropFirst().dropLast()) }
            if !table.isEmpty { key = table + "." + key }
            if lines[key] == nil { lines[key] = offset + firstLine }
        }
        return lines
    }
}
