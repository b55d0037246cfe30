/// ISO base media file format boxes: a 32-bit size and a type; size 1 means a 64-bit size follows, size 0 means "to
/// the end of the enclosing box". Only listing the boxes directly inside a range is offered: callers descend along
/// a fixed path (top level → meta → iprp → ipco), so no input can drive the reader deeper than that path, however
/// deeply its boxes nest. Nothing recurses.
enum ISOBMFF {
    struct Box {
        var type: FourCC
        var start: Int
        /// What follows the header (size, type, 64-bit size, uuid).
        var payload: Range<Int>
    }

    /// The box that starts at `i` inside `range`. A box running past `range` is `.truncated` at the top level (the
    /// file was cut) and `.corrupt` inside another box (the two sizes disagree).
    static func box(at i: Int, in range: Range<Int>, of bytes: [UInt8], topLevel: Bool) throws(ImageHeaderError)
        -> Box
    {
        let overrun: ImageHeaderError = topLevel ? .truncated(.avif) : .corrupt(.avif, "a box overruns its parent")
        guard range.upperBound - i >= 8, let size32 = bytes.u32be(at: i), let type = FourCC(bytes, at: i + 4) else {
            throw overrun
        }
        var headerSize = 8
        let size: Int
        switch size32 {
        case 0:
            size = range.upperBound - i
        case 1:
            guard range.upperBound - i >= 16, let size64 = bytes.u64be(at: i + 8) else { throw overrun }
            guard let exact = Int(exactly: size64) else { throw overrun }
            headerSize = 16
            size = exact
        default:
            size = size32
        }
        if type == "uuid" { headerSize += 16 }
        guard size >= headerSize else { throw .corrupt(.avif, "box \(type) has size \(size)") }
        guard size <= range.upperBound - i else { throw overrun }
        return Box(type: type, start: i, payload: i + headerSize..<i + size)
    }

    /// The boxes directly inside `range` (a box's payload, past any full-box header), at most `limit` of them: the
    /// boxes read here hold a handful of children in real files, so a cap keeps hostile ones from costing memory.
    static func children(in range: Range<Int>, of bytes: [UInt8], limit: Int = 4096) throws(ImageHeaderError) -> [Box] {
        var boxes: [Box] = []
        var i = range.lowerBound
        while i < range.upperBound, boxes.count < limit {
            let child = try box(at: i, in: range, of: bytes, topLevel: false)
            boxes.append(child)
            i = child.payload.upperBound
        }
        return boxes
    }
}

/// AVIF: an ISOBMFF file whose `ftyp` names the avif (still) or avis (sequence) brand. The size is the `ispe`
/// (image spatial extent) property of the primary item, found through `pitm` and `ipma`; when that chain is missing,
/// the largest `ispe` in `ipco`. An `irot` of a quarter or three-quarter turn swaps the displayed size. AVIF has no
/// EXIF orientation that browsers apply (the decoder applies irot itself), so `orientation` stays 1.
enum AVIF {
    /// Whether `bytes` starts with an ftyp box naming avif or avis as major or compatible brand.
    static func hasAVIFBrand(_ bytes: [UInt8]) -> Bool {
        guard bytes.matches("ftyp", at: 4), let size = bytes.u32be(at: 0) else { return false }
        return !brands(bytes, ftypEnd: min(size, bytes.count)).isDisjoint(with: ["avif", "avis"])
    }

    /// Major brand and compatible brands of the ftyp box at the start of `bytes`.
    private static func brands(_ bytes: [UInt8], ftypEnd: Int) -> Set<FourCC> {
        var brands: Set<FourCC> = []
        if ftypEnd >= 12, let major = FourCC(bytes, at: 8) { brands.insert(major) }
        var i = 16  // past size, type, major brand, minor version
        while i + 4 <= ftypEnd, let brand = FourCC(bytes, at: i) {
            brands.insert(brand)
            i += 4
        }
        return brands
    }

    static func readHeader(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        let file = 0..<bytes.count
        let ftyp = try ISOBMFF.box(at: 0, in: file, of: bytes, topLevel: true)
        let isAnimated = brands(bytes, ftypEnd: ftyp.payload.upperBound).contains("avis")
        var i = ftyp.payload.upperBound
        while i < bytes.count {
            let box = try ISOBMFF.box(at: i, in: file, of: bytes, topLevel: true)
            if box.type == "meta" {
                return try readMeta(box, in: bytes, isAnimated: isAnimated)
            }
            i = box.payload.upperBound
        }
        throw .corrupt(.avif, "no meta box")
    }

    /// Reads the size and rotation of the primary item from a `meta` box (a full box: 4 bytes of version and flags).
    private static func readMeta(_ meta: ISOBMFF.Box, in bytes: [UInt8], isAnimated: Bool) throws(ImageHeaderError)
        -> ImageHeader
    {
        guard meta.payload.count >= 4 else { throw .corrupt(.avif, "meta box is \(meta.payload.count) bytes") }
        var primaryItem: Int?
        var properties: [ISOBMFF.Box] = []
        var associationBoxes: [ISOBMFF.Box] = []
        var hasMetadata = false
        for box in try ISOBMFF.children(in: meta.payload.lowerBound + 4..<meta.payload.upperBound, of: bytes) {
            switch box.type {
            case "pitm" where box.payload.count >= 6:
                // Full box; item id is 16 bits in version 0, 32 bits after.
                let version = bytes.u8(at: box.payload.lowerBound)
                let at = box.payload.lowerBound + 4
                primaryItem = version == 0 ? bytes.u16be(at: at) : box.payload.count >= 8 ? bytes.u32be(at: at) : nil
            case "iprp":
                for child in try ISOBMFF.children(in: box.payload, of: bytes) {
                    if child.type == "ipco" {
                        // ipma indices have at most 15 bits, so no property past 32767 can be referred to.
                        properties = try ISOBMFF.children(in: child.payload, of: bytes, limit: 0x7FFF)
                    } else if child.type == "ipma" {
                        associationBoxes.append(child)
                    }
                }
            case "iinf":
                hasMetadata = try hasMetadataItems(box, in: bytes)
            default:
                break
            }
        }
        // The primary item's own properties (indices are 1-based into ipco), else every ispe in ipco.
        let primary = primaryItem.map { item in
            associationBoxes.flatMap { propertyIndices(of: item, in: $0, bytes: bytes) }.compactMap { index in
                properties.indices.contains(index - 1) ? properties[index - 1] : nil
            }
        }
        func extents(_ boxes: [ISOBMFF.Box]) -> [(Int, Int)] {
            boxes.filter { $0.type == "ispe" }.compactMap { extent(of: $0, in: bytes) }
        }
        let primaryExtents = extents(primary ?? [])
        let largest = (primaryExtents.isEmpty ? extents(properties) : primaryExtents).max {
            Double($0.0) * Double($0.1) < Double($1.0) * Double($1.1)
        }
        guard let size = largest else { throw .corrupt(.avif, "no image size (ispe) property") }
        let irot = primary?.first { $0.type == "irot" && !$0.payload.isEmpty }
        let rotation = irot.flatMap { bytes.u8(at: $0.payload.lowerBound) } ?? 0  // angle: low 2 bits
        return ImageHeader(
            format: .avif, storedWidth: size.0, storedHeight: size.1, quarterTurned: rotation & 1 == 1,
            hasMetadata: hasMetadata, isAnimated: isAnimated)
    }

    /// Width and height of an `ispe` (full box, then two 32-bit values), nil when short or zero.
    private static func extent(of ispe: ISOBMFF.Box, in bytes: [UInt8]) -> (Int, Int)? {
        guard ispe.payload.count >= 12, let width = bytes.u32be(at: ispe.payload.lowerBound + 4),
            let height = bytes.u32be(at: ispe.payload.lowerBound + 8), width > 0, height > 0
        else { return nil }
        return (width, height)
    }

    /// The property indices an `ipma` box gives `item`. Entries are read while they fit, so a claimed entry count
    /// costs nothing beyond the bytes actually there, and only the one item's indices are kept.
    private static func propertyIndices(of wanted: Int, in ipma: ISOBMFF.Box, bytes: [UInt8]) -> [Int] {
        let p = ipma.payload.lowerBound
        let end = ipma.payload.upperBound
        // Full box: version, 24-bit flags (bit 0: 15-bit property indices), then the entry count.
        guard end - p >= 8, let version = bytes.u8(at: p), let flags = bytes.u8(at: p + 3),
            let entryCount = bytes.u32be(at: p + 4)
        else { return [] }
        let wideIDs = version >= 1
        let wideIndices = flags & 1 == 1
        var indices: [Int] = []
        var i = p + 8
        var entry = 0
        while entry < entryCount, i < end {
            let item = wideIDs ? bytes.u32be(at: i) : bytes.u16be(at: i)
            i += wideIDs ? 4 : 2
            guard let item, i < end, let count = bytes.u8(at: i) else { return indices }
            i += 1
            for _ in 0..<count {
                guard i < end, let value = wideIndices ? bytes.u16be(at: i) : bytes.u8(at: i) else { return indices }
                if item == wanted { indices.append(wideIndices ? value & 0x7FFF : value & 0x7F) }  // top bit: essential
                i += wideIndices ? 2 : 1
            }
            entry += 1
        }
        return indices
    }

    /// Whether `iinf` lists an Exif item or a MIME item (XMP), which the stripper leaves in AVIF files.
    private static func hasMetadataItems(_ iinf: ISOBMFF.Box, in bytes: [UInt8]) throws(ImageHeaderError) -> Bool {
        let p = iinf.payload.lowerBound
        guard !iinf.payload.isEmpty, let version = bytes.u8(at: p) else { return false }
        let entriesStart = p + 4 + (version == 0 ? 2 : 4)
        guard entriesStart <= iinf.payload.upperBound else { return false }
        let entries = try ISOBMFF.children(in: entriesStart..<iinf.payload.upperBound, of: bytes, limit: 0xFFFF)
        for infe in entries where infe.type == "infe" {
            // Version 2: item id (16 bits), protection index (16), item type; version 3: item id is 32 bits.
            guard !infe.payload.isEmpty, let infeVersion = bytes.u8(at: infe.payload.lowerBound), infeVersion >= 2
            else { continue }
            let typeAt = infe.payload.lowerBound + 4 + (infeVersion == 2 ? 2 : 4) + 2
            guard typeAt + 4 <= infe.payload.upperBound, let type = FourCC(bytes, at: typeAt) else { continue }
            if type == "Exif" || type == "mime" { return true }
        }
        return false
    }
}
