/// A 128-bit content hash: equal fingerprints mean equal content (for content that is not adversarial).
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The fingerprint of an input that does not exist.
    public static let absent = Fingerprint(high: 0, low: 0)

    public static func of(_ bytes: UnsafeRawBufferPointer) -> Fingerprint {
        var hasher = StableHasher()
        hasher.combine(bytes)
        return hasher.finalize()
    }

    public static func of(_ bytes: [UInt8]) -> Fingerprint { bytes.withUnsafeBytes { of($0) } }

    public var description: String {
        let h = String(high, radix: 16), l = String(low, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h + String(repeating: "0", count: 16 - l.count) + l
    }
}

/// A hasher whose result is the same in every process and on every run (unlike `Hasher`), for fingerprints
/// that are stored between builds. Two independent 64-bit lanes over 8-byte words, each finished by a
/// murmur3-style avalanche.
public struct StableHasher: Sendable {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    public init() {}

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        a = (a ^ word) &* 0x1000_0000_01B3 &+ 0x27D4_EB2F_1656_67C5
        a = (a << 29) | (a >> 35)
        b = (b &+ word) &* 0x9E37_79B9_7F4A_7C15
        b ^= b >> 31
    }

    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        mix(tail ^ (UInt64(n & 7) << 56))
        length &+= UInt64(n)
    }

    /// The same as `combine` of the parts joined into one buffer, without joining them (a big site's state is
    /// written in parts, and joining them costs as much as encoding them).
    public mutating func combine<Parts: Sequence>(joined parts: Parts) where Parts.Element == [UInt8] {
        var pending: UInt64 = 0  // the bytes of a word begun in an earlier part, the first one lowest
        var pendingCount = 0
        var n = 0
        for part in parts {
            part.withUnsafeBytes { bytes in
                var i = 0
                if pendingCount > 0 {
                    while pendingCount < 8 && i < bytes.count {
                        pending |= UInt64(bytes[i]) << UInt64(8 * pendingCount)
                        (pendingCount, i) = (pendingCount + 1, i + 1)
                    }
                    guard pendingCount == 8 else { return }
                    mix(pending)
                    (pending, pendingCount) = (0, 0)
                }
                while i + 8 <= bytes.count {
                    mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    i += 8
                }
                while i < bytes.count {
                    pending |= UInt64(bytes[i]) << UInt64(8 * pendingCount)
                    (pendingCount, i) = (pendingCount + 1, i + 1)
                }
            }
            n += part.count
        }
        mix(pending ^ (UInt64(n & 7) << 56))
        length &+= UInt64(n)
    }

    public mutating func combine(_ value: UInt64) { mix(value) }

    public mutating func combine(_ fingerprint: Fingerprint) {
        mix(fingerprint.high)
        mix(fingerprint.low)
    }

    public mutating func combine(_ string: String) {
        var s = string
        s.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    private static func avalanche(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k = k &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    public func finalize() -> Fingerprint {
        let x = Self.avalanche(a ^ length), y = Self.avalanche(b &+ length &+ (a >> 7))
        let fp = Fingerprint(high: x, low: y ^ (x >> 3))
        return fp == .absent ? Fingerprint(high: 0, low: 1) : fp
    }
}
