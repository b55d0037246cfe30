/// What a template can name: each kind of view declares its fields, so that every name in a template is resolved
/// when the theme is compiled (and a misspelt one is an error at its line) rather than looked up as a page renders.

/// A kind of view (`post`, `date`, `site` …) and its fields, in a fixed order: a compiled template reads field `n`
/// of a value of this kind by its number.
public final class ViewType: Sendable, CustomStringConvertible {
    public let name: String
    public let summary: String
    public let fields: [ViewField]
    private let numbers: [String: Int]

    public init(_ name: String, summary: String = "", _ fields: [ViewField]) {
        self.name = name
        self.summary = summary
        self.fields = fields
        var numbers = [String: Int]()
        for (n, field) in fields.enumerated() {
            precondition(numbers[field.name] == nil, "view \(name) declares field \(field.name) twice")
            numbers[field.name] = n
        }
        self.numbers = numbers
    }

    /// The number of the field `name`, if the view has one.
    public func field(named name: String) -> Int? { numbers[name] }

    public var description: String { name }
}

/// One field of a view: its name, what it holds, and what it is for (docs/templates.md is made from these).
public struct ViewField: Sendable {
    public let name: String
    public let kind: FieldKind
    public let doc: String

    public init(_ name: String, _ kind: FieldKind, _ doc: String) {
        (self.name, self.kind, self.doc) = (name, kind, doc)
    }
}

/// What a field holds.
public indirect enum FieldKind: Sendable, CustomStringConvertible {
    case string
    /// Text that is already HTML: `{{{name}}}` shows it, `{{name}}` would escape it (a warning).
    case html
    case int
    case double
    case bool
    case object(ViewType)
    case list(FieldKind)
    /// Absent on some values: a section over it shows nothing then, and a name looked up in it goes on outward.
    case optional(FieldKind)
    /// Anything, named freely (`params`): looked up by name as the page renders.
    case free

    /// The kind without `optional`.
    public var present: FieldKind {
        if case .optional(let kind) = self { return kind.present }
        return self
    }

    public var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .string: return "text"
        case .html: return "HTML"
        case .int: return "number"
        case .double: return "number"
        case .bool: return "flag"
        case .object(let type): return type.name
        case .list(let item): return "list of \(item)"
        case .optional(let kind): return "\(kind), or nothing"
        case .free: return "anything"
        }
    }
}

/// A value a template renders.
public enum TemplateValue {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case object(any TemplateObject)
    /// A free-form table (`params`), looked up by name.
    case table([String: TemplateValue])

    /// `value`, or `null` for nil.
    public static func string(_ value: String?) -> TemplateValue { value.map { .string($0) } ?? .null }

    /// The field `name`, looked up as the page renders (free-form values, and any value under one).
    func child(named name: String) -> TemplateValue {
        switch self {
        case .table(let table): return table[name] ?? .null
        case .object(let object): return object.viewType.field(named: name).map { object.field($0) } ?? .null
        default: return .null
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A value of a view type: its fields by number (`viewType.fields[n]`), made when a template asks for one.
public protocol TemplateObject {
    var viewType: ViewType { get }
    func field(_ number: Int) -> TemplateValue
    /// Names this value for the build: two values with the same key render the same wherever a list shows them
    /// (a post's list item), so the rendering of an item of a section that names nothing outside it is kept and
    /// reused. Nil: rendered each time.
    var renderKey: String? { get }
}

extension TemplateObject {
    public var renderKey: String? { nil }
}
