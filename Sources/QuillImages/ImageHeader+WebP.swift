/// WebP: a RIFF container ("RIFF", size, "WEBP") of chunks, each an id, a little-endian size and data padded to an
/// even length. The first chunk says the kind: VP8 (lossy), VP8L (lossless) or VP8X (extended: canvas size and flags,
/// followed by the image, animation frames, ICC, EXIF and XMP chunks). All chunks are walked by size, because EXIF
/// and XMP come after the image data.
enum WebP {
    /// VP8X flag bits (first byte of its payload).
    static let animationFlag: UInt8 = 0x02
    static let xmpFlag: UInt8 = 0x04
    static let exifFlag: UInt8 = 0x08

    struct Chunk {
        var id: FourCC
        /// Offset of the chunk id.
        var start: Int
        var payload: Range<Int>
        /// Just past the payload and its padding byte.
        var end: Int
    }

    /// Calls `body` with each chunk inside the RIFF size (bytes after it are not part of the image). Nothing is
    /// collected, so memory stays constant however many chunks (animation frames) a file has.
    static func forEachChunk(_ bytes: [UInt8], _ body: (Chunk) -> Void) throws(ImageHeaderError) {
        guard let riffSize = bytes.u32le(at: 4), bytes.count >= 12 else { throw .truncated(.webp) }
        guard riffSize >= 4 else { throw .corrupt(.webp, "RIFF size \(riffSize)") }
        guard bytes.contains(8, length: riffSize) else { throw .truncated(.webp) }
        let riffEnd = 8 + riffSize
        var i = 12
        while i < riffEnd {
            guard riffEnd - i >= 8, let id = FourCC(bytes, at: i), let size = bytes.u32le(at: i + 4) else {
                throw .corrupt(.webp, "a chunk header crosses the end of the RIFF data at offset \(i)")
            }
            guard size <= riffEnd - (i + 8) else {
                throw .corrupt(.webp, "chunk \(id) claims \(size) bytes, past the end of the RIFF data")
            }
            let payload = i + 8..<i + 8 + size
            let end = min(payload.upperBound + (size & 1), riffEnd)  // tolerate a missing last padding byte
            body(Chunk(id: id, start: i, payload: payload, end: end))
            i = end
        }
    }

    static func readHeader(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        var first: Chunk?
        var exif: EXIF?
        var hasMetadata = false
        var hasANIM = false
        try forEachChunk(bytes) { chunk in
            guard first != nil else {
                first = chunk
                return
            }
            switch chunk.id {
            case "ANIM":
                hasANIM = true
            case "EXIF" where exif == nil:
                let parsed = EXIF(bytes, in: chunk.payload)
                exif = parsed
                if !parsed.isOrientationOnly { hasMetadata = true }
            case "EXIF", "XMP ":
                hasMetadata = true
            default:
                break
            }
        }
        guard let first else { throw .corrupt(.webp, "no image chunk") }
        let (width, height, flags) = try canvas(of: first, in: bytes)
        return ImageHeader(
            format: .webp, storedWidth: width, storedHeight: height, orientation: exif?.orientation ?? 1,
            hasGPS: exif?.hasGPS ?? false, hasMetadata: hasMetadata, isAnimated: hasANIM || flags & animationFlag != 0)
    }

    /// The canvas size from the first chunk, and the VP8X flags (0 for the simple formats).
    private static func canvas(of chunk: Chunk, in bytes: [UInt8]) throws(ImageHeaderError) -> (Int, Int, UInt8) {
        let p = chunk.payload.lowerBound
        switch chunk.id {
        case "VP8 ":
            // Frame tag (3 bytes, bit 0 clear on a key frame), start code 9D 01 2A, then 14-bit width and height
            // (the top two bits of each are a scale the decoder ignores for size).
            guard chunk.payload.count >= 10, let tag = bytes.u8(at: p), let width = bytes.u16le(at: p + 6),
                let height = bytes.u16le(at: p + 8)
            else { throw .corrupt(.webp, "VP8 chunk is \(chunk.payload.count) bytes") }
            guard tag & 1 == 0 else { throw .corrupt(.webp, "VP8 data does not start with a key frame") }
            guard bytes[p + 3] == 0x9D, bytes[p + 4] == 0x01, bytes[p + 5] == 0x2A else {
                throw .corrupt(.webp, "VP8 start code missing")
            }
            let size = (width & 0x3FFF, height & 0x3FFF)
            guard size.0 > 0, size.1 > 0 else { throw .corrupt(.webp, "VP8 frame size \(size.0) × \(size.1)") }
            return (size.0, size.1, 0)
        case "VP8L":
            // Signature 0x2F, then 14 bits width − 1, 14 bits height − 1, 1 bit alpha, 3 bits version (0).
            guard chunk.payload.count >= 5, bytes[p] == 0x2F, let bits = bytes.u32le(at: p + 1) else {
                throw .corrupt(.webp, "VP8L chunk lacks its signature")
            }
            guard bits >> 29 == 0 else { throw .corrupt(.webp, "VP8L version \(bits >> 29)") }
            return ((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1, 0)
        case "VP8X":
            // Flags (1 byte), reserved (3), canvas width − 1 (24 bits), canvas height − 1 (24 bits).
            guard chunk.payload.count >= 10, let width = bytes.u24le(at: p + 4), let height = bytes.u24le(at: p + 7)
            else { throw .corrupt(.webp, "VP8X chunk is \(chunk.payload.count) bytes") }
            return (width + 1, height + 1, bytes[p])
        default:
            throw .corrupt(.webp, "the first chunk is \(chunk.id), not VP8, VP8L or VP8X")
        }
    }
}
