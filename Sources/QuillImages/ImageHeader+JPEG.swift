/// JPEG: SOI, then marker segments, up to the first scan (SOS); everything from SOS on is entropy-coded data and is
/// never looked at, so reading a 10 MB photo touches only its first few kilobytes.
enum JPEG {
    static let app0: UInt8 = 0xE0
    static let app1: UInt8 = 0xE1
    static let app13: UInt8 = 0xED
    static let comment: UInt8 = 0xFE
    static let startOfScan: UInt8 = 0xDA
    static let xmpSignature = "http://ns.adobe.com/xap/1.0/\0"

    /// One marker segment before the first scan.
    struct Segment {
        var marker: UInt8
        /// Offset of the 0xFF that introduces the marker (the last one, when fill bytes precede it).
        var start: Int
        /// What follows the two length bytes (empty for standalone markers).
        var payload: Range<Int>
        /// Just past the segment.
        var end: Int { payload.upperBound }
    }

    /// What the walk learns besides the segments: the frame size and where the first scan starts.
    struct Frame {
        var width: Int
        var height: Int
        /// Offset of the 0xFF of the first SOS marker: the scan and everything after it.
        var scanStart: Int
    }

    /// Start-of-frame markers (SOF0–SOF15) carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but
    /// are not frames.
    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    /// Calls `body` with each marker segment (standalone markers such as RSTn included) from SOI up to the first SOS
    /// that follows a frame header, and returns the frame. Nothing is collected, so memory stays constant.
    static func walk(_ bytes: [UInt8], _ body: (Segment) -> Void) throws(ImageHeaderError) -> Frame {
        var frame: (width: Int, height: Int)?
        var i = 2  // past SOI
        while true {
            // Bytes other than 0xFF between segments are garbage that libjpeg skips with a warning; so do we.
            while i < bytes.count, bytes[i] != 0xFF { i += 1 }
            // Any number of 0xFF fill bytes may precede a marker.
            while i < bytes.count, bytes[i] == 0xFF { i += 1 }
            guard let marker = bytes.u8(at: i).map(UInt8.init) else { throw .truncated(.jpeg) }
            let start = i - 1
            i += 1
            switch marker {
            case 0x00:
                continue  // a stuffed zero outside a scan: garbage, as above
            case 0x01, 0xD0...0xD7:
                body(Segment(marker: marker, start: start, payload: i..<i))  // standalone: no length
                continue
            case 0xD8:
                throw .corrupt(.jpeg, "a second start-of-image marker at offset \(start)")
            case 0xD9:
                throw .corrupt(.jpeg, "the image ends before its first scan")
            default:
                break
            }
            guard let length = bytes.u16be(at: i) else { throw .truncated(.jpeg) }
            guard length >= 2 else {
                throw .corrupt(.jpeg, "marker \(hex(marker)) at offset \(start) has length \(length)")
            }
            guard bytes.contains(i, length: length) else { throw .truncated(.jpeg) }
            let segment = Segment(marker: marker, start: start, payload: i + 2..<i + length)
            if marker == startOfScan {
                guard let frame else { throw .corrupt(.jpeg, "a scan before any frame header") }
                return Frame(width: frame.width, height: frame.height, scanStart: start)
            }
            if isStartOfFrame(marker), frame == nil {
                let p = segment.payload.lowerBound
                guard segment.payload.count >= 6, let height = bytes.u16be(at: p + 1),
                    let width = bytes.u16be(at: p + 3)
                else { throw .corrupt(.jpeg, "frame header \(hex(marker)) is \(segment.payload.count) bytes") }
                // Height 0 defers it to a DNL marker after the first scan, which no browser supports either.
                guard width > 0, height > 0 else { throw .corrupt(.jpeg, "frame size \(width) × \(height)") }
                frame = (width, height)
            }
            body(segment)
            i = segment.end
        }
    }

    /// An APP1 segment holding EXIF (as opposed to XMP or anything else in APP1).
    static func isEXIF(_ segment: Segment, in bytes: [UInt8]) -> Bool {
        segment.marker == app1 && bytes.matches("Exif\0\0", at: segment.payload.lowerBound)
            && segment.payload.count >= 6
    }

    /// Segments a metadata strip removes: APP1 (EXIF, XMP and the rest), APP13 (IPTC), COM.
    static func isMetadata(_ marker: UInt8) -> Bool {
        marker == app1 || marker == app13 || marker == comment
    }

    static func readHeader(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        var orientation: Int?
        var hasGPS = false
        var hasMetadata = false
        let frame = try walk(bytes) { segment in
            guard isMetadata(segment.marker) else { return }
            guard isEXIF(segment, in: bytes) else {
                hasMetadata = true  // XMP, IPTC, a comment or another APP1
                return
            }
            let exif = EXIF(bytes, in: segment.payload)
            hasGPS = hasGPS || exif.hasGPS
            if orientation == nil {
                orientation = exif.orientation  // the first EXIF block is the one decoders use
                hasMetadata = hasMetadata || !exif.isOrientationOnly
            } else {
                hasMetadata = true  // a second EXIF block is never the minimal one a strip leaves
            }
        }
        return ImageHeader(
            format: .jpeg, storedWidth: frame.width, storedHeight: frame.height, orientation: orientation ?? 1,
            hasGPS: hasGPS, hasMetadata: hasMetadata)
    }

    /// "0xFFE1"-style marker name for messages.
    static func hex(_ marker: UInt8) -> String {
        "0xFF" + String(marker, radix: 16, uppercase: true)
    }
}
