import Foundation
import QuillImages

/// The fixture files (made by Fixtures/make-fixtures.py), by name.
enum Fixture {
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures folder is missing from the test bundle")
        }
        return url
    }()

    static func bytes(_ name: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
            fatalError("fixture \(name) is missing")
        }
        return [UInt8](data)
    }

    /// Every image fixture (not the generator script).
    static let all: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix("make-fixtures") }.sorted()
    }()
}

/// A deterministic generator (SplitMix64), so a failing fuzz case fails the same way every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builders for hand-made test input, written independently of the library's own walkers.
enum Build {
    static func u16be(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func u32be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF)] + u16be(v) }
    static func u16le(_ v: Int) -> [UInt8] { u16be(v).reversed() }
    static func u32le(_ v: Int) -> [UInt8] { u32be(v).reversed() }
    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// One IFD entry: tag, type, count and the four value bytes (an inline value or an offset).
    struct Entry {
        var tag: Int, type: Int, count: Int, value: Int
    }

    /// A TIFF block: header, IFD0 at offset 8 with `entries`, its next-IFD offset, then `tail` (more IFDs, data).
    /// SHORT values (type 3, count 1) are stored left-justified, as TIFF requires.
    static func tiff(bigEndian: Bool, _ entries: [Entry], next: Int = 0, tail: [UInt8] = []) -> [UInt8] {
        let u16 = bigEndian ? u16be : u16le
        let u32 = bigEndian ? u32be : u32le
        var out = ascii(bigEndian ? "MM" : "II") + u16(42) + u32(8) + u16(entries.count)
        for e in entries {
            out += u16(e.tag) + u16(e.type) + u32(e.count)
            out += e.type == 3 && e.count == 1 ? u16(e.value) + [0, 0] : u32(e.value)
        }
        return out + u32(next) + tail
    }

    /// A GPS IFD with one entry (GPSLatitudeRef "N"), to put at `tail` of `tiff`.
    static func gpsIFD(bigEndian: Bool) -> [UInt8] {
        let u16 = bigEndian ? u16be : u16le
        let u32 = bigEndian ? u32be : u32le
        return u16(1) + u16(1) + u16(2) + u32(2) + ascii("N\0\0\0") + u32(0)
    }

    /// A JPEG marker segment with its length.
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + u16be(payload.count + 2) + payload
    }

    /// A JPEG whose first segment is an APP1 with `tiff` as EXIF, then the rest of `base` (a JPEG) after its SOI.
    static func jpeg(exif tiff: [UInt8], into base: [UInt8]) -> [UInt8] {
        [0xFF, 0xD8] + segment(0xE1, ascii("Exif\0\0") + tiff) + base.dropFirst(2)
    }

    /// A minimal JPEG skeleton: SOI, SOF0 (width × height, one component), SOS, then `scan` bytes and EOI.
    static func jpegSkeleton(width: Int, height: Int, scan: [UInt8] = [0x12, 0x34]) -> [UInt8] {
        [0xFF, 0xD8] + segment(0xC0, [8] + u16be(height) + u16be(width) + [1, 1, 0x11, 0])
            + segment(0xDA, [1, 1, 0, 0, 63, 0]) + scan + [0xFF, 0xD9]
    }

    /// A PNG chunk with its CRC.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = ascii(type) + data
        return u32be(data.count) + body + u32be(Int(crc32(body)))
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// An 8-bit RGB PNG's IHDR chunk.
    static func ihdr(width: Int, height: Int) -> [UInt8] {
        pngChunk("IHDR", u32be(width) + u32be(height) + [8, 2, 0, 0, 0])
    }

    /// An ISOBMFF box (32-bit size).
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        u32be(payload.count + 8) + ascii(type) + payload
    }

    /// A full box: version and flags, then `payload`.
    static func fullBox(_ type: String, version: UInt8 = 0, flags: Int = 0, _ payload: [UInt8]) -> [UInt8] {
        box(type, [version, UInt8(flags >> 16 & 0xFF), UInt8(flags >> 8 & 0xFF), UInt8(flags & 0xFF)] + payload)
    }

    static func ftyp(_ major: String, compatible: [String] = ["mif1", "miaf"]) -> [UInt8] {
        box("ftyp", ascii(major) + [0, 0, 0, 0] + compatible.flatMap(ascii))
    }

    static func ispe(_ width: Int, _ height: Int) -> [UInt8] { fullBox("ispe", u32be(width) + u32be(height)) }

    /// CRC-32 as PNG computes it, bit by bit (no table: independent of the library's).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Simple walkers over well-formed files, for checking the stripper's output from outside the library.
enum Inspect {
    /// Offset of a JPEG's first SOS marker, walking segment lengths (no fill bytes in test files).
    static func jpegScanStart(_ b: [UInt8]) -> Int? {
        var i = 2
        while i + 4 <= b.count, b[i] == 0xFF {
            if b[i + 1] == 0xDA { return i }
            i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
        }
        return nil
    }

    /// The markers of a JPEG's segments before its first scan.
    static func jpegMarkers(_ b: [UInt8]) -> [UInt8] {
        var markers: [UInt8] = []
        var i = 2
        while i + 4 <= b.count, b[i] == 0xFF, b[i + 1] != 0xDA {
            markers.append(b[i + 1])
            i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
        }
        return markers
    }

    /// A PNG's chunks as (type, data, stored CRC).
    static func pngChunks(_ b: [UInt8]) -> [(type: String, data: [UInt8], crc: UInt32)] {
        var out: [(String, [UInt8], UInt32)] = []
        var i = 8
        while i + 12 <= b.count {
            let n = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard i + 12 + n <= b.count else { break }
            let crcAt = i + 8 + n
            let crc = b[crcAt..<crcAt + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            out.append((String(decoding: b[i + 4..<i + 8], as: UTF8.self), Array(b[i + 8..<crcAt]), crc))
            i += 12 + n
        }
        return out
    }

    /// A WebP's chunks as (id, payload), and its RIFF size field.
    static func webpChunks(_ b: [UInt8]) -> (chunks: [(id: String, payload: [UInt8])], riffSize: Int) {
        let size = Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24
        var out: [(String, [UInt8])] = []
        var i = 12
        while i + 8 <= b.count {
            let n = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
            out.append((String(decoding: b[i..<i + 4], as: UTF8.self), Array(b[i + 8..<min(b.count, i + 8 + n)])))
            i += 8 + n + (n & 1)
        }
        return (out, size)
    }
}
