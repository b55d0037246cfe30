/// The name of a node of the build graph: a kind (`file`, `post.meta`, `output.post`) and an id within it
/// (a path, a tag slug, a page number).
///
/// A graph holds a hundred thousand of these in dictionaries, so each key carries a hash of its bytes, computed
/// once: hashing and comparing keys then costs one integer instead of two strings.
public struct NodeKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let kind: String
    public let id: String
    /// A 64-bit hash of kind and id.
    let digest: UInt64

    public init(_ kind: String, _ id: String = "") {
        self.kind = kind
        self.id = id
        var h = Self.digest(id, Self.digest(kind, 0xCBF2_9CE4_8422_2325))
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD  // murmur3's finaliser: every bit depends on every byte
        h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        digest = h ^ (h >> 33)
    }

    /// FNV-1a over the UTF-8 bytes, then a final mix.
    private static func digest(_ text: String, _ seed: UInt64) -> UInt64 {
        var h = seed
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        h = (h ^ 0xFF) &* 0x100_0000_01B3  // separates ("ab", "c") from ("a", "bc")
        return h
    }

    public static func == (a: Self, b: Self) -> Bool { a.digest == b.digest && a.kind == b.kind && a.id == b.id }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

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
