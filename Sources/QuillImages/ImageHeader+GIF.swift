/// GIF: header, logical screen descriptor, global colour table, then blocks (extensions and images, each ending in a
/// chain of length-prefixed sub-blocks) up to the trailer. The walk hops sub-block to sub-block (at most 256 bytes
/// each) and never decodes LZW data; it covers the whole file because comments may follow any frame.
enum GIF {
    struct Block {
        enum Kind: Equatable {
            case image
            case comment
            /// An application extension holding XMP ("XMP DataXMP").
            case xmp
            case otherExtension
        }

        var kind: Kind
        /// From the introducer (0x21 or 0x2C) to just past the block terminator.
        var range: Range<Int>
    }

    /// What the walk learns besides the blocks.
    struct Screen {
        var width: Int
        var height: Int
        /// Size of the first image (used when the logical screen says 0 × 0, as some encoders write).
        var firstImageSize: (width: Int, height: Int)?
    }

    /// Calls `body` with each block up to the trailer and returns the screen. Nothing is collected, so memory stays
    /// constant however many frames a file has.
    static func walk(_ bytes: [UInt8], _ body: (Block) -> Void) throws(ImageHeaderError) -> Screen {
        guard bytes.count >= 13, let width = bytes.u16le(at: 6), let height = bytes.u16le(at: 8),
            let flags = bytes.u8(at: 10)
        else { throw .truncated(.gif) }
        var i = 13 + colourTableSize(flags)
        guard i <= bytes.count else { throw .truncated(.gif) }
        var screen = Screen(width: width, height: height)
        while i < bytes.count, bytes[i] != 0x3B {  // 0x3B: trailer
            let start = i
            let kind: Block.Kind
            switch bytes[i] {
            case 0x21:
                guard let label = bytes.u8(at: i + 1) else { throw .truncated(.gif) }
                if label == 0xFE {
                    kind = .comment
                } else if label == 0xFF, bytes.u8(at: i + 2) == 11, bytes.matches("XMP DataXMP", at: i + 3) {
                    kind = .xmp
                } else {
                    kind = .otherExtension
                }
                i = try skipSubBlocks(bytes, from: i + 2)
            case 0x2C:
                guard let imageWidth = bytes.u16le(at: i + 5), let imageHeight = bytes.u16le(at: i + 7),
                    let imageFlags = bytes.u8(at: i + 9)
                else { throw .truncated(.gif) }
                if screen.firstImageSize == nil { screen.firstImageSize = (imageWidth, imageHeight) }
                i += 10 + colourTableSize(imageFlags) + 1  // descriptor, local colour table, LZW minimum code size
                kind = .image
                i = try skipSubBlocks(bytes, from: i)
            case let byte:
                throw .corrupt(.gif, "unexpected block introducer 0x\(String(byte, radix: 16)) at offset \(i)")
            }
            body(Block(kind: kind, range: start..<i))
        }
        // Without a trailer, every block is still whole: browsers show such files, so accept them.
        return screen
    }

    /// Bytes in a colour table announced by a packed-fields byte.
    private static func colourTableSize(_ flags: Int) -> Int {
        flags & 0x80 != 0 ? 3 << ((flags & 7) + 1) : 0
    }

    /// The offset just past the zero-length sub-block that ends the chain starting at `i`.
    private static func skipSubBlocks(_ bytes: [UInt8], from start: Int) throws(ImageHeaderError) -> Int {
        var i = start
        while true {
            guard let length = bytes.u8(at: i) else { throw .truncated(.gif) }
            i += 1
            if length == 0 { return i }
            guard bytes.contains(i, length: length) else { throw .truncated(.gif) }
            i += length
        }
    }

    static func readHeader(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        var images = 0
        var hasMetadata = false
        let screen = try walk(bytes) { block in
            switch block.kind {
            case .image: images = min(images + 1, 2)  // two is all "animated" needs
            case .comment, .xmp: hasMetadata = true
            case .otherExtension: break
            }
        }
        var (width, height) = (screen.width, screen.height)
        if width == 0 || height == 0, let first = screen.firstImageSize {
            (width, height) = first  // browsers size such a GIF by its first frame
        }
        guard width > 0, height > 0 else { throw .corrupt(.gif, "image size \(width) × \(height)") }
        return ImageHeader(
            format: .gif, storedWidth: width, storedHeight: height, hasMetadata: hasMetadata, isAnimated: images > 1)
    }
}
