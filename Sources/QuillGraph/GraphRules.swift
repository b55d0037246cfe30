/// The rules of a particular build: how each derived node computes its value from what it reads. The graph knows
/// nothing of sites; the rules know nothing of fingerprints, states or what to recompute.
public protocol GraphRules: Sendable {
    /// Computes a derived node; every read goes through `context`, which records it.
    func compute(_ key: NodeKey, _ context: ComputeContext) throws -> any GraphValue
    /// True for node kinds whose values are small and needed often: they are kept in the state. Others keep only
    /// their fingerprint and are computed again when their value is needed.
    func keepsValue(_ key: NodeKey) -> Bool
    /// True for the nodes a build demands at the end (its outputs): changes propagate up to them, and the build
    /// decides which it still wants.
    func isRoot(_ key: NodeKey) -> Bool
    /// Reads back a value that `keepsValue` stored.
    func decode(_ key: NodeKey, _ reader: inout BinaryReader) throws -> any GraphValue
}

/// The inputs of a build as they are now: source files, folder listings, options.
public protocol GraphInputs: Sendable {
    func isInput(_ key: NodeKey) -> Bool
    /// The input's fingerprint now (`Fingerprint.absent` when it does not exist).
    func fingerprint(of key: NodeKey) throws -> Fingerprint
    /// The input's value now.
    func value(of key: NodeKey) throws -> any GraphValue
    /// Whether the graph keeps the input's value once read, for the next reader; when false, each reader asks
    /// `value(of:)` again (a source file, read once by the node that parses it, is not held for the whole build).
    func keepsValueInMemory(_ key: NodeKey) -> Bool
}

extension GraphInputs {
    public func keepsValueInMemory(_ key: NodeKey) -> Bool { true }
}

/// A node's computation that needs a value of the wrong type: a bug in the rules.
public struct GraphTypeMismatch: Error, CustomStringConvertible {
    public var key: NodeKey
    @inlinable public init(key: NodeKey) { self.key = key }
    public var description: String { "internal error: node \(key) has a value of an unexpected type" }
}

/// What a node computation reads; the graph records each read with the fingerprint it had.
public final class ComputeContext {
    public let graph: BuildGraph
    private(set) var deps: [GraphState.Dep] = []
    private var seen = Set<Int32>()

    init(graph: BuildGraph) {
        self.graph = graph
    }

    /// The value of `key`, recorded as read.
    @inlinable public func read<T: GraphValue>(_ key: NodeKey, as type: T.Type = T.self) throws -> T {
        if let (id, fingerprint, value) = graph.computed(key) {
            record(id, fingerprint)
            guard let value = value as? T else { throw GraphTypeMismatch(key: key) }
            return value
        }
        let id = graph.id(for: key)
        let fingerprint = try graph.ensure(id)
        record(id, fingerprint)
        guard let value = try graph.value(of: id) as? T else { throw GraphTypeMismatch(key: key) }
        return value
    }

    /// Records a read of `key` without needing its value (its fingerprint is what matters).
    @discardableResult
    public func touch(_ key: NodeKey) throws -> Fingerprint {
        let id = graph.id(for: key)
        let fingerprint = try graph.ensure(id)
        record(id, fingerprint)
        return fingerprint
    }

    @usableFromInline func record(_ id: Int32, _ fingerprint: Fingerprint) {
        if seen.insert(id).inserted { deps.append(.init(key: id, fingerprint: fingerprint)) }
    }
}
