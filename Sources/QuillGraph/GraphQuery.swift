/// A typed name of a node: its key, and the type of the value it has. Reading a query needs no cast:
/// `try context.read(PostMeta(path))` is a `Parsed<Post.Meta>`.
public protocol GraphQuery: Sendable {
    associatedtype Value: GraphValue
    var key: NodeKey { get }
}

extension ComputeContext {
    /// The value of the node `query` names, recorded as read.
    @inlinable public func read<Q: GraphQuery>(_ query: Q) throws -> Q.Value { try read(query.key, as: Q.Value.self) }

    /// Records a read of the node `query` names without needing its value (its fingerprint is what matters).
    @discardableResult
    @inlinable public func touch<Q: GraphQuery>(_ query: Q) throws -> Fingerprint { try touch(query.key) }

    /// The value of the node `query` names, without recording the read: for a large value whose parts reach the
    /// reader through other nodes it does record (each page records the templates it uses, not the whole set of
    /// compiled templates, which would rebuild every page for any template's edit).
    @inlinable public func readUnrecorded<Q: GraphQuery>(_ query: Q) throws -> Q.Value { try graph.value(query) }
}

extension BuildGraph {
    /// The value of the node `query` names, computed when it is not up to date.
    @inlinable public func value<Q: GraphQuery>(_ query: Q) throws -> Q.Value {
        guard let value = try value(query.key) as? Q.Value else { throw GraphTypeMismatch(key: query.key) }
        return value
    }

    /// The value of the node with id `id`, which `query` names.
    @inlinable public func value<Q: GraphQuery>(of id: Int32, as query: Q.Type) throws -> Q.Value {
        guard let value = try value(of: id) as? Q.Value else { throw GraphTypeMismatch(key: key(ofID: id)) }
        return value
    }

    @inlinable public func id<Q: GraphQuery>(for query: Q) -> Int32 { id(for: query.key) }

    @discardableResult
    @inlinable public func ensure<Q: GraphQuery>(_ query: Q) throws -> Fingerprint { try ensure(query.key) }

    /// Brings every node the queries name up to date, in parallel (see `ensureAll(_:groupSize:)`).
    @discardableResult
    @inlinable public func ensureAll<Q: GraphQuery>(_ queries: [Q], groupSize: Int = 1) throws -> [Int32] {
        try ensureAll(queries.map(\.key), groupSize: groupSize)
    }

    @inlinable public func fingerprint<Q: GraphQuery>(of query: Q) -> Fingerprint? { fingerprint(of: query.key) }
}
