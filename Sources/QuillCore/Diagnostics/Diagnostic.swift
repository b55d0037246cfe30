import QuillTemplates

/// A place in a source file: the site-relative path, and a 1-based line and column where one is known.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, leaving out what is unknown.
    public var description: String {
        guard let line else { return file }
        return "\(file):\(line):\(column ?? 1)"
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.file, a.line ?? 0, a.column ?? 0) < (b.file, b.line ?? 0, b.column ?? 0)
    }
}

/// One problem with a site's sources, reported as `path:line:col: error: message` with a hint on how to fix it.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String
    public var hint: String?

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil, severity: Severity = .error) {
        self.location = location
        self.message = message
        self.hint = hint
        self.severity = severity
    }

    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// A build that did not happen: every error found, in file order. Nothing was written.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var description: String {
        let count = diagnostics.count
        return diagnostics.map(\.description).joined(separator: "\n")
            + "\nerror: build failed with \(count) error\(count == 1 ? "" : "s"); the output folder was not touched"
    }
}

/// Collects diagnostics from the stages of a build so that one run reports every problem.
struct DiagnosticBag: Sendable {
    private(set) var items: [Diagnostic] = []

    var hasErrors: Bool { items.contains { $0.severity == .error } }
    var errors: [Diagnostic] { items.filter { $0.severity == .error } }

    mutating func add(_ diagnostic: Diagnostic) { items.append(diagnostic) }
    mutating func add(contentsOf diagnostics: [Diagnostic]) { items.append(contentsOf: diagnostics) }

    /// Throws every error collected so far.
    func throwIfErrors() throws(BuildFailure) {
        if hasErrors { throw BuildFailure(errors) }
    }
}

/// The closest of some known names to a misspelt one, for a hint ("did you mean `default`?").
public enum Suggestion {
    /// The candidate nearest to `name` by edit distance (case ignored), when it is near enough to be a typo:
    /// at most a third of the name's length, and at least one edit allowed.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased())
        let limit = max(1, target.count / 3), length = name.count
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            // The distance is at least the difference in length: most candidates are ruled out without counting.
            guard abs(candidate.count - length) <= limit else { continue }
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance, with a swap of two neighbouring characters counted as one edit (the compiler of
    /// templates counts the same way).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int { Suggestions.editDistance(a, b) }
}
