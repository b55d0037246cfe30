import Foundation

/// Appends values to a byte buffer: the form in which node values are hashed and stored between builds.
public struct BinaryWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] { storage }
    @usableFromInline var storage: [UInt8] = []

    @inlinable public init() {}

    @inlinable public mutating func write(_ value: UInt64) {  // LEB128
        var v = value
        while v >= 0x80 {
            storage.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        storage.append(UInt8(v))
    }

    @inlinable public mutating func write(_ value: Int) { write(UInt64(bitPattern: Int64(value))) }
    @inlinable public mutating func write(_ value: Bool) { storage.append(value ? 1 : 0) }

    @inlinable public mutating func write(_ value: Double) { writeFixed(value.bitPattern) }

    @inlinable public mutating func writeFixed(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    @inlinable public mutating func write(_ value: String) {
        write(UInt64(value.utf8.count))
        storage.append(contentsOf: value.utf8)
    }

    /// Reserves room for `count` more bytes.
    @inlinable public mutating func reserve(_ count: Int) { storage.reserveCapacity(storage.count + count) }

    @inlinable public mutating func write(_ data: Data) {
        write(UInt64(data.count))
        storage.append(contentsOf: data)
    }

    @inlinable public mutating func write(_ fingerprint: Fingerprint) {
        writeFixed(fingerprint.high)
        writeFixed(fingerprint.low)
    }

    @inlinable public mutating func write(raw: UnsafeRawBufferPointer) { storage.append(contentsOf: raw) }
    @inlinable public mutating func write(raw: [UInt8]) { storage.append(contentsOf: raw) }

    @inlinable public mutating func write<T: GraphValue>(_ value: T) { value.encode(to: &self) }
}

/// Reads what `BinaryWriter` wrote. Throws on truncated or malformed input, so a corrupt state is detected.
public struct BinaryReader {
    public struct Malformed: Error {
        @inlinable public init() {}
    }

    @usableFromInline let base: UnsafeRawBufferPointer
    /// Where the next read starts.
    public var offset: Int { position }
    @usableFromInline var position: Int

    /// Bytes left to read.
    @inlinable public var remaining: Int { base.count - position }

    @inlinable public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = buffer
        position = offset
    }

    @inlinable public var isAtEnd: Bool { position >= base.count }

    @inlinable public mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < base.count, shift < 64 else { throw Malformed() }
            let byte = base[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    @inlinable public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readVarint())) }

    @inlinable public mutating func readBool() throws -> Bool {
        guard position < base.count else { throw Malformed() }
        defer { position += 1 }
        return base[position] != 0
    }

    @inlinable public mutating func readFixed() throws -> UInt64 {
        guard position + 8 <= base.count else { throw Malformed() }
        defer { position += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    @inlinable public mutating func readDouble() throws -> Double { Double(bitPattern: try readFixed()) }

    @inlinable public mutating func readRaw(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, position + count <= base.count else { throw Malformed() }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: base[position..<(position + count)])
    }

    @inlinable public mutating func readString() throws -> String {
        let count = Int(try readVarint())
        let raw = try readRaw(count)
        return String(decoding: raw, as: UTF8.self)
    }

    @inlinable public mutating func readData() throws -> Data { Data(try readRaw(Int(try readVarint()))) }

    @inlinable public mutating func readFingerprint() throws -> Fingerprint {
        Fingerprint(high: try readFixed(), low: try readFixed())
    }

    @inlinable public mutating func read<T: GraphValue>(_ type: T.Type = T.self) throws -> T { try T(from: &self) }
}

/// A value a graph node computes: it can be written out (to be fingerprinted and, for small values, stored
/// between builds) and read back.
public protocol GraphValue: Sendable {
    func encode(to writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws
    /// The value's fingerprint when its bytes are not kept: by default that of `encoded`; large values may hash
    /// their parts directly rather than copy them into one buffer first.
    var fingerprint: Fingerprint { get }
}

extension GraphValue {
    public var fingerprint: Fingerprint { Fingerprint.of(encoded) }
}

extension GraphValue {
    /// The value's bytes.
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension String: GraphValue {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws { self = try reader.readString() }
}

extension Int: GraphValue {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws { self = try reader.readInt() }
}

extension Bool: GraphValue {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws { self = try reader.readBool() }
}

extension Double: GraphValue {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws { self = try reader.readDouble() }
}

extension Data: GraphValue {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws { self = try reader.readData() }
}

extension Array: GraphValue where Element: GraphValue {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(UInt64(count))
        for element in self { element.encode(to: &writer) }
    }

    public init(from reader: inout BinaryReader) throws {
        let count = Int(try reader.readVarint())
        guard count <= reader.base.count else { throw BinaryReader.Malformed() }
        self = []
        reserveCapacity(count)
        for _ in 0..<count { append(try Element(from: &reader)) }
    }
}

extension Optional: GraphValue where Wrapped: GraphValue {
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .none: writer.write(false)
        case .some(let value):
            writer.write(true)
            value.encode(to: &writer)
        }
    }

    public init(from reader: inout BinaryReader) throws {
        self = try reader.readBool() ? try Wrapped(from: &reader) : nil
    }
}
