/// What Quill needs from an EXIF block (a TIFF structure), shared by JPEG (APP1), PNG (eXIf) and WebP (EXIF chunk).
///
/// Only IFD0 and the GPS IFD it points at are read; no IFD chain is followed, so offsets that loop back on themselves
/// cannot make the reader loop. A block that is not valid TIFF still counts as metadata (a strip removes it) but gives
/// orientation 1, as browsers ignore it too.
struct EXIF: Equatable {
    static let orientationTag = 0x0112
    static let gpsIFDTag = 0x8825

    /// 1–8; 1 when absent or out of range.
    var orientation = 1
    /// IFD0 points (tag 0x8825) at a GPS IFD with at least one entry.
    var hasGPS = false
    /// IFD0 holds nothing but an orientation tag and links no next IFD: the block `minimalTIFF` writes, which
    /// `ImageHeader.hasMetadata` does not count, so a stripped image that keeps its orientation reads as stripped.
    var isOrientationOnly = false

    /// Parses the TIFF structure in `range` of `bytes`; a leading "Exif\0\0" (JPEG's APP1 prefix, which some WebP and
    /// PNG writers also put in) is skipped.
    init(_ bytes: [UInt8], in range: Range<Int>) {
        var start = range.lowerBound
        if range.count >= 6, bytes.matches("Exif\0\0", at: start) { start += 6 }
        let tiff = TIFFReader(bytes: bytes, base: start, end: range.upperBound)
        guard let tiff, let ifd0 = tiff.u32(4), let entryCount = tiff.u16(ifd0) else { return }
        var onlyOrientation = true
        var complete = true
        for index in 0..<entryCount {
            let entry = ifd0 + 2 + 12 * index
            guard let tag = tiff.u16(entry), let type = tiff.u16(entry + 2), let count = tiff.u32(entry + 4),
                tiff.u32(entry + 8) != nil
            else {
                complete = false  // the IFD claims more entries than the block holds
                break
            }
            if tag != EXIF.orientationTag { onlyOrientation = false }
            switch tag {
            case EXIF.orientationTag where count >= 1:
                // SHORT (3) is the standard type; some writers use LONG (4).
                let value = type == 3 ? tiff.u16(entry + 8) : type == 4 ? tiff.u32(entry + 8) : nil
                if let value, (1...8).contains(value) { orientation = value }
            case EXIF.gpsIFDTag where count == 1 && (type == 4 || type == 13):
                if let gpsIFD = tiff.u32(entry + 8), let gpsEntries = tiff.u16(gpsIFD), gpsEntries > 0 {
                    hasGPS = true
                }
            default:
                break
            }
        }
        let nextIFD = tiff.u32(ifd0 + 2 + 12 * entryCount)
        isOrientationOnly = complete && onlyOrientation && nextIFD == 0
    }

    /// A big-endian TIFF block whose IFD0 holds only the orientation tag (26 bytes):
    /// `MM 00 2A 00000008 | 0001 | 0112 0003 00000001 000N 0000 | 00000000`.
    static func minimalTIFF(orientation: Int) -> [UInt8] {
        let value = UInt8(clamping: orientation)
        return [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]  // byte order, magic 42, IFD0 at offset 8
            + [0, 1]  // one entry
            + [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0]  // orientation, SHORT, count 1, value
            + [0, 0, 0, 0]  // no next IFD
    }
}

/// Reads integers of a TIFF block in its own byte order, at offsets relative to the block's start, never past its end.
private struct TIFFReader {
    let bytes: [UInt8]
    let base: Int
    let end: Int
    let littleEndian: Bool

    init?(bytes: [UInt8], base: Int, end: Int) {
        guard base >= 0, end <= bytes.count, end - base >= 8 else { return nil }
        if bytes.matches("II", at: base) {
            littleEndian = true
        } else if bytes.matches("MM", at: base) {
            littleEndian = false
        } else {
            return nil
        }
        self.bytes = bytes
        self.base = base
        self.end = end
        guard u16(2) == 42 else { return nil }
    }

    func u16(_ offset: Int) -> Int? {
        guard offset >= 0, offset <= end - base - 2 else { return nil }
        return littleEndian ? bytes.u16le(at: base + offset) : bytes.u16be(at: base + offset)
    }

    func u32(_ offset: Int) -> Int? {
        guard offset >= 0, offset <= end - base - 4 else { return nil }
        return littleEndian ? bytes.u32le(at: base + offset) : bytes.u32be(at: base + offset)
    }
}
