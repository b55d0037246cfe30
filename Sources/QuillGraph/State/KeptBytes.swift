import Foundation

/// A kept value's encoded bytes, shared rather than copied: a slice of this build's encoding, or of the state file
/// as it was read or mapped (see `StateStore.map`). Decoding a state used to copy every kept value out of the file
/// into one array: tens of megabytes moved and their fresh pages faulted in, on the way of every build.
public struct KeptBytes: Sendable, ExpressibleByArrayLiteral {
    private enum Storage {
        case array(ArraySlice<UInt8>)
        case file(Data, Range<Int>)
    }

    private let storage: Storage

    public init(_ bytes: ArraySlice<UInt8>) { storage = .array(bytes) }

    /// Bytes `range` (offsets from its first byte) of a state file's `data`, which stays alive (and mapped) as long
    /// as a value read from it does.
    public init(file data: Data, _ range: Range<Int>) { storage = .file(data, range) }

    public init(arrayLiteral elements: UInt8...) { storage = .array(elements[...]) }

    public var count: Int {
        switch storage {
        case .array(let bytes): bytes.count
        case .file(_, let range): range.count
        }
    }

    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .array(let bytes): try bytes.withUnsafeBytes(body)
        case .file(let data, let range): try data.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
    }
}
