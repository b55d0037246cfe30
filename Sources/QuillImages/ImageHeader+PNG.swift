/// PNG: a signature, then length-prefixed chunks; IHDR first. Chunks are walked by their lengths up to IEND (text
/// chunks may follow the image data), never into IDAT. CRCs are not checked: decoders do that, and the header only
/// needs the chunk layout.
enum PNG {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Chunks a metadata strip removes.
    static let metadataChunks: Set<FourCC> = ["tEXt", "zTXt", "iTXt", "tIME", "eXIf"]

    struct Chunk {
        var type: FourCC
        /// Offset of the chunk's length field.
        var start: Int
        var data: Range<Int>
        /// Just past the CRC.
        var end: Int { data.upperBound + 4 }
    }

    /// Calls `body` with each chunk after the signature, up to and including IEND (or to the end of the file when
    /// IEND is missing but the last chunk is whole); returns the offset just past the last chunk (bytes after IEND
    /// are not chunks). Nothing is collected, so memory stays constant however many chunks a file has.
    @discardableResult
    static func forEachChunk(_ bytes: [UInt8], _ body: (Chunk) -> Void) throws(ImageHeaderError) -> Int {
        var i = signature.count
        while i < bytes.count {
            guard let length = bytes.u32be(at: i), let type = FourCC(bytes, at: i + 4) else { throw .truncated(.png) }
            guard length <= 0x7FFF_FFFF else { throw .corrupt(.png, "chunk \(type) claims \(length) bytes") }
            let dataStart = i + 8
            guard bytes.contains(dataStart, length: length + 4) else { throw .truncated(.png) }
            body(Chunk(type: type, start: i, data: dataStart..<dataStart + length))
            i = dataStart + length + 4
            if type == "IEND" { break }
        }
        return i
    }

    static func readHeader(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        // IHDR: the first chunk, 13 bytes: width, height, bit depth, colour type, compression, filter, interlace.
        guard let length = bytes.u32be(at: 8), let type = FourCC(bytes, at: 12) else { throw .truncated(.png) }
        guard type == "IHDR" else { throw .corrupt(.png, "the first chunk is \(type), not IHDR") }
        guard length == 13 else { throw .corrupt(.png, "IHDR is \(length) bytes, not 13") }
        guard let width = bytes.u32be(at: 16), let height = bytes.u32be(at: 20), let depth = bytes.u8(at: 24),
            let colour = bytes.u8(at: 25)
        else { throw .truncated(.png) }
        guard (1...0x7FFF_FFFF).contains(width), (1...0x7FFF_FFFF).contains(height) else {
            throw .corrupt(.png, "image size \(width) × \(height)")
        }
        guard validDepths[colour]?.contains(depth) == true else {
            throw .corrupt(.png, "bit depth \(depth) with colour type \(colour)")
        }
        var exif: EXIF?
        var hasMetadata = false
        var isAnimated = false
        var seenImageData = false
        try forEachChunk(bytes) { chunk in
            switch chunk.type {
            case "IDAT": seenImageData = true
            case "acTL" where !seenImageData && chunk.data.count >= 8:
                // An APNG declares its frame count; one frame is a still image.
                if let frames = bytes.u32be(at: chunk.data.lowerBound), frames > 1 { isAnimated = true }
            case "eXIf" where exif == nil:
                let parsed = EXIF(bytes, in: chunk.data)
                exif = parsed
                if !parsed.isOrientationOnly { hasMetadata = true }
            case let type where metadataChunks.contains(type):
                hasMetadata = true
            default:
                break
            }
        }
        return ImageHeader(
            format: .png, storedWidth: width, storedHeight: height, orientation: exif?.orientation ?? 1,
            hasGPS: exif?.hasGPS ?? false, hasMetadata: hasMetadata, isAnimated: isAnimated)
    }

    /// Allowed bit depths by colour type (PNG specification, table 11.1).
    private static let validDepths: [Int: Set<Int>] = [
        0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16],
    ]

    /// A whole chunk (length, type, data, CRC) ready to write.
    static func encodeChunk(_ type: FourCC, _ data: [UInt8]) -> [UInt8] {
        let length = UInt32(data.count)
        var out: [UInt8] = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF)]
        out += [UInt8(length & 0xFF)] + type.bytes
        out += data
        let crc = CRC32.checksum(type.bytes + data)
        out += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        return out
    }
}

/// The CRC-32 PNG puts after each chunk (ISO 3309, polynomial 0xEDB88320, reflected).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
