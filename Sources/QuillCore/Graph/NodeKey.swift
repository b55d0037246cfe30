/// The name of a node of the build graph: a kind (`file`, `post.meta`, `output.post`) and an id within it
/// (a path, a tag slug, a page number).
public struct NodeKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let kind: String
    public let id: String

    public init(_ kind: String, _ id: String = "") {
        self.kind = kind
        self.id = id
    }

    public var description: String { id.isEmpty ? kind : "\(kind) \(id)" }

    public static func < (a: Self, b: Self) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}

extension NodeKey: GraphValue {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(kind)
        writer.write(id)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(try reader.readString(), try reader.readString())
    }
}
