/// Removes metadata (camera EXIF with GPS positions, XMP, IPTC, comments, text chunks) from images without touching
/// their pixels: segments, chunks and blocks are dropped by the same walkers `ImageHeader.read` uses, and everything
/// else is copied byte for byte.
///
/// Orientation survives: a JPEG, PNG or WebP whose EXIF orientation is not 1 gets back a minimal EXIF block holding
/// only that tag (`EXIF.minimalTIFF`, big-endian, 26 bytes), so it still displays upright. `ImageHeader` does not count
/// such a block as metadata, so `read(stripped(x)).hasMetadata` is false for every stripped image.
public enum MetadataStripper {
    /// The same image with its metadata removed and its pixels untouched (no re-encoding): JPEG loses APP1 (EXIF,
    /// XMP), APP13 (IPTC), COM; keeps APP0 (JFIF), APP2 (ICC profile), APP14 (Adobe) and everything else; when its
    /// orientation was not 1, a minimal EXIF APP1 carrying only the orientation tag is put back right after SOI/APP0,
    /// so it still displays upright. PNG loses tEXt, zTXt, iTXt, tIME and eXIf (an eXIf with orientation != 1 is
    /// replaced by a minimal one holding only the orientation, with a correct CRC). WebP loses EXIF and XMP chunks,
    /// with the VP8X flags and the RIFF size fixed. GIF loses comment extensions. SVG and AVIF: nil (not stripped).
    /// nil also when the input does not parse.
    ///
    /// Also: WebP keeps a minimal EXIF chunk when its orientation is not 1 (like JPEG and PNG); GIF also loses XMP
    /// application extensions. An image without metadata comes back as the very same bytes. Metadata after a JPEG's
    /// first scan (rare) is kept: the walk stops at SOS, and everything from there on is copied unchanged.
    public static func stripped(_ bytes: [UInt8]) -> [UInt8]? {
        guard let header = try? ImageHeader.read(bytes) else { return nil }
        guard header.format != .svg, header.format != .avif else { return nil }
        guard header.hasMetadata else { return bytes }
        do {
            switch header.format {
            case .jpeg: return try strippedJPEG(bytes, orientation: header.orientation)
            case .png: return try strippedPNG(bytes, orientation: header.orientation)
            case .webp: return try strippedWebP(bytes, orientation: header.orientation)
            case .gif: return try strippedGIF(bytes)
            case .svg, .avif: return nil
            }
        } catch {
            return nil
        }
    }

    /// SOI, the kept segments (a minimal EXIF APP1 after any leading APP0s), then the first scan onwards unchanged.
    private static func strippedJPEG(_ bytes: [UInt8], orientation: Int) throws(ImageHeaderError) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        out.reserveCapacity(bytes.count)
        var orientationWritten = orientation == 1
        let frame = try JPEG.walk(bytes) { segment in
            if !orientationWritten, segment.marker != JPEG.app0 {
                out += minimalEXIFSegment(orientation: orientation)
                orientationWritten = true
            }
            if !JPEG.isMetadata(segment.marker) { out += bytes[segment.start..<segment.end] }
        }
        if !orientationWritten { out += minimalEXIFSegment(orientation: orientation) }
        out += bytes[frame.scanStart...]
        return out
    }

    /// APP1 with "Exif\0\0" and the minimal TIFF block: FF E1, length 34, 6 + 26 bytes.
    static func minimalEXIFSegment(orientation: Int) -> [UInt8] {
        let payload = Array("Exif\0\0".utf8) + EXIF.minimalTIFF(orientation: orientation)
        let length = payload.count + 2
        return [0xFF, JPEG.app1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// The signature and every chunk but the metadata ones; the first eXIf becomes a minimal one when the image is
    /// not upright. Bytes after IEND are kept as they were.
    private static func strippedPNG(_ bytes: [UInt8], orientation: Int) throws(ImageHeaderError) -> [UInt8] {
        var out = PNG.signature
        out.reserveCapacity(bytes.count)
        var orientationWritten = orientation == 1
        let end = try PNG.forEachChunk(bytes) { chunk in
            if chunk.type == "eXIf", !orientationWritten {
                out += PNG.encodeChunk("eXIf", EXIF.minimalTIFF(orientation: orientation))
                orientationWritten = true
            }
            if !PNG.metadataChunks.contains(chunk.type) { out += bytes[chunk.start..<chunk.end] }
        }
        out += bytes[end...]
        return out
    }

    /// Every chunk but EXIF and XMP (the first EXIF becomes a minimal one when the image is not upright), the VP8X
    /// flags matching what is left, and a new RIFF size. Bytes after the RIFF data are dropped.
    private static func strippedWebP(_ bytes: [UInt8], orientation: Int) throws(ImageHeaderError) -> [UInt8] {
        let keepsEXIF = orientation != 1
        var body: [UInt8] = Array("WEBP".utf8)
        body.reserveCapacity(bytes.count)
        var orientationWritten = !keepsEXIF
        try WebP.forEachChunk(bytes) { chunk in
            switch chunk.id {
            case "EXIF":
                if !orientationWritten {
                    body += riffChunk("EXIF", EXIF.minimalTIFF(orientation: orientation))
                    orientationWritten = true
                }
            case "XMP ":
                break
            case "VP8X":
                var vp8x = Array(bytes[chunk.payload])
                if !vp8x.isEmpty { vp8x[0] &= ~(WebP.xmpFlag | (keepsEXIF ? 0 : WebP.exifFlag)) }
                body += riffChunk("VP8X", vp8x)
            default:
                body += riffChunk(chunk.id, Array(bytes[chunk.payload]))
            }
        }
        guard let size = UInt32(exactly: body.count) else { throw .corrupt(.webp, "stripped file exceeds 4 GB") }
        return Array("RIFF".utf8) + littleEndian(size) + body
    }

    /// A RIFF chunk: id, little-endian size, payload, a padding byte when the size is odd.
    private static func riffChunk(_ id: FourCC, _ payload: [UInt8]) -> [UInt8] {
        var out = id.bytes + littleEndian(UInt32(truncatingIfNeeded: payload.count))  // payloads come from RIFF chunks
        out += payload
        if payload.count % 2 == 1 { out.append(0) }
        return out
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    /// Header, colour table and every block but comments and XMP, then the trailer (and whatever follows it).
    private static func strippedGIF(_ bytes: [UInt8]) throws(ImageHeaderError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copiedUpTo = 0  // blocks are contiguous: copy runs of kept bytes, skipping metadata blocks
        _ = try GIF.walk(bytes) { block in
            guard block.kind == .comment || block.kind == .xmp else { return }
            out += bytes[copiedUpTo..<block.range.lowerBound]
            copiedUpTo = block.range.upperBound
        }
        out += bytes[copiedUpTo...]  // the remaining blocks, the trailer and whatever follows it
        return out
    }
}
