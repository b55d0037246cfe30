import QuillTemplates
import Foundation

/// A value from front matter or `site.toml`, as written, for the keys Quill passes through to templates.
public indirect enum MetadataValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([MetadataValue])
    case table([String: MetadataValue])

    /// The string form of a scalar; nil for arrays and tables.
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .array, .table: return nil
        }
    }

    /// What kind of value this is, for errors: "a list", "a table", "text"…
    public var kind: String {
        switch self {
        case .string: return "text"
        case .int, .double: return "a number"
        case .bool: return "true or false"
        case .array: return "a list"
        case .table: return "a table"
        }
    }

    /// What templates see: strings, numbers, bools, lists and tables, named freely (`params`).
    var templateValue: TemplateValue {
        switch self {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .array(let items): return .list(items.map(\.templateValue))
        case .table(let table): return .table(table.mapValues(\.templateValue))
        }
    }
}
