/// Bounds-checked reads from untrusted bytes. Each returns nil instead of trapping when any byte it needs lies outside
/// the array, so the format readers turn a short or lying file into an error rather than a crash. Offsets are plain
/// `Int`s (never negative in practice); every check is written as `i <= count - n`, which cannot overflow.
extension Array where Element == UInt8 {
    @inline(__always)
    func u8(at i: Int) -> Int? {
        i >= 0 && i < count ? Int(self[i]) : nil
    }

    func u16be(at i: Int) -> Int? {
        guard i >= 0, i <= count - 2 else { return nil }
        return Int(self[i]) << 8 | Int(self[i + 1])
    }

    func u16le(at i: Int) -> Int? {
        guard i >= 0, i <= count - 2 else { return nil }
        return Int(self[i]) | Int(self[i + 1]) << 8
    }

    func u24le(at i: Int) -> Int? {
        guard i >= 0, i <= count - 3 else { return nil }
        return Int(self[i]) | Int(self[i + 1]) << 8 | Int(self[i + 2]) << 16
    }

    func u32be(at i: Int) -> Int? {
        guard i >= 0, i <= count - 4 else { return nil }
        return Int(self[i]) << 24 | Int(self[i + 1]) << 16 | Int(self[i + 2]) << 8 | Int(self[i + 3])
    }

    func u32le(at i: Int) -> Int? {
        guard i >= 0, i <= count - 4 else { return nil }
        return Int(self[i]) | Int(self[i + 1]) << 8 | Int(self[i + 2]) << 16 | Int(self[i + 3]) << 24
    }

    func u64be(at i: Int) -> UInt64? {
        guard let high = u32be(at: i), let low = u32be(at: i + 4) else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    /// Whether `ascii` (compared byte for byte) starts at `i`.
    func matches(_ ascii: String, at i: Int) -> Bool {
        guard i >= 0 else { return false }
        var j = i
        for byte in ascii.utf8 {
            guard j < count, self[j] == byte else { return false }
            j += 1
        }
        return true
    }

    /// Whether `length` bytes from `start` lie inside the array.
    func contains(_ start: Int, length: Int) -> Bool {
        start >= 0 && length >= 0 && start <= count && length <= count - start
    }
}

/// A four-character code (PNG chunk type, RIFF chunk id, ISOBMFF box type), compared as one integer and written as a
/// string literal in code, so `chunk.type == "IHDR"` reads like the specification.
struct FourCC: Equatable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    let value: UInt32

    init(stringLiteral literal: StaticString) {
        var value: UInt32 = 0
        literal.withUTF8Buffer { buffer in
            precondition(buffer.count == 4, "a four-character code has four characters")
            for byte in buffer { value = value << 8 | UInt32(byte) }
        }
        self.value = value
    }

    /// The code stored big-endian at `i` (the byte order of PNG, RIFF ids and ISOBMFF), nil past the end.
    init?(_ bytes: [UInt8], at i: Int) {
        guard let value = bytes.u32be(at: i) else { return nil }
        self.value = UInt32(value)
    }

    /// The four bytes, for writing the code back out.
    var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Printable form for error messages: non-printable bytes become `?`.
    var description: String {
        String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
