import Testing
@testable import QuillImages

/// Stripping removes metadata and nothing else: the result reads as the same image, upright, without GPS or
/// metadata, and its pixel data is byte for byte what it was.
@Suite struct MetadataStripperTests {
    static let withMetadata = [
        "metadata.png", "gps-big-endian.jpg", "gps-little-endian.jpg", "comment.gif", "vips-exif.webp", "metadata.webp",
    ]
    static let withoutMetadata = [
        "plain.png", "animated.png", "plain.jpg", "progressive.jpg", "orientation6.jpg", "static.gif", "animated.gif",
        "lossy.webp", "lossless.webp", "animated.webp",
    ]

    @Test(arguments: withMetadata)
    func strippedImagesReadTheSameWithoutMetadataOrGPS(_ name: String) throws {
        let original = Fixture.bytes(name)
        let before = try ImageHeader.read(original)
        let stripped = try #require(MetadataStripper.stripped(original))
        let after = try ImageHeader.read(stripped)
        #expect(after.format == before.format)
        #expect(after.width == before.width && after.height == before.height)
        #expect(after.storedWidth == before.storedWidth && after.storedHeight == before.storedHeight)
        #expect(after.orientation == before.orientation)
        #expect(after.isAnimated == before.isAnimated)
        #expect(!after.hasGPS && !after.hasMetadata)
        #expect(stripped.count < original.count)
        #expect(MetadataStripper.stripped(stripped) == stripped)  // nothing left to strip
    }

    @Test(arguments: withoutMetadata)
    func anImageWithoutMetadataComesBackByteIdentical(_ name: String) {
        let original = Fixture.bytes(name)
        #expect(MetadataStripper.stripped(original) == original)
    }

    @Test func everyStrippableFixtureIsCovered() {
        let svgAndAVIF = Fixture.all.filter { $0.hasSuffix(".svg") || $0.hasSuffix(".avif") }
        #expect(Set(Self.withMetadata + Self.withoutMetadata + svgAndAVIF) == Set(Fixture.all))
    }

    @Test func svgAVIFAndUnreadableInputAreNotStripped() {
        #expect(MetadataStripper.stripped(Fixture.bytes("sized.svg")) == nil)
        #expect(MetadataStripper.stripped(Fixture.bytes("plain.avif")) == nil)
        #expect(MetadataStripper.stripped(Array("not an image".utf8)) == nil)
        #expect(MetadataStripper.stripped(Array(Fixture.bytes("gps-big-endian.jpg").prefix(300))) == nil)
    }

    @Test(arguments: ["gps-big-endian.jpg", "gps-little-endian.jpg"])
    func aStrippedJPEGKeepsEverythingFromItsFirstScanOn(_ name: String) throws {
        let original = Fixture.bytes(name)
        let stripped = try #require(MetadataStripper.stripped(original))
        let before = try #require(Inspect.jpegScanStart(original))
        let after = try #require(Inspect.jpegScanStart(stripped))
        #expect(stripped[after...] == original[before...])
    }

    @Test func aStrippedJPEGKeepsJFIFAndAdobeAndPutsTheOrientationRightAfterJFIF() throws {
        let original = Fixture.bytes("gps-big-endian.jpg")
        #expect(Inspect.jpegMarkers(original).prefix(6) == [0xE0, 0xE1, 0xE1, 0xED, 0xFE, 0xEE])
        let stripped = try #require(MetadataStripper.stripped(original))
        #expect(Inspect.jpegMarkers(stripped).prefix(3) == [0xE0, 0xE1, 0xEE])
        // The APP1 is the minimal one: "Exif\0\0" and a 26-byte big-endian TIFF holding orientation 8.
        let app1 = Array(stripped[20..<56])
        let expected: [UInt8] = [0xFF, 0xE1, 0, 34] + Array("Exif\0\0MM".utf8) + [0, 42, 0, 0, 0, 8, 0, 1]
            + [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0] + [0, 0, 0, 0]
        #expect(app1 == expected)
    }

    @Test func aJPEGWithoutJFIFGetsItsOrientationRightAfterSOI() throws {
        let original = Fixture.bytes("gps-little-endian.jpg")
        let stripped = try #require(MetadataStripper.stripped(original))
        #expect(Array(stripped[0..<4]) == [0xFF, 0xD8, 0xFF, 0xE1])
        #expect(Inspect.jpegMarkers(stripped).filter { $0 == 0xE1 }.count == 1)
    }

    @Test func anUprightJPEGLosesItsEXIFEntirely() throws {
        let gps = Build.tiff(
            bigEndian: false,
            [.init(tag: 0x0112, type: 3, count: 1, value: 1), .init(tag: 0x8825, type: 4, count: 1, value: 38)],
            tail: Build.gpsIFD(bigEndian: false))
        let plain = Fixture.bytes("plain.jpg")
        let tagged = Build.jpeg(exif: gps, into: plain)
        #expect(try ImageHeader.read(tagged).hasGPS)
        #expect(MetadataStripper.stripped(tagged) == plain)
    }

    @Test func aStrippedPNGKeepsItsImageDataAndAMinimalEXIFWithAGoodCRC() throws {
        let original = Fixture.bytes("metadata.png")
        let stripped = try #require(MetadataStripper.stripped(original))
        let before = Inspect.pngChunks(original)
        let after = Inspect.pngChunks(stripped)
        #expect(before.map(\.type) == ["IHDR", "tEXt", "tIME", "eXIf", "iTXt", "pHYs", "IDAT", "zTXt", "IEND"])
        try #require(after.map(\.type) == ["IHDR", "eXIf", "pHYs", "IDAT", "IEND"])
        #expect(after.filter { $0.type == "IDAT" }.map(\.data) == before.filter { $0.type == "IDAT" }.map(\.data))
        for chunk in after {
            #expect(chunk.crc == Build.crc32(Array(chunk.type.utf8) + chunk.data), "CRC of \(chunk.type)")
        }
        #expect(after[1].data == EXIF.minimalTIFF(orientation: 6))
    }

    @Test func aStrippedWebPFixesItsFlagsAndRIFFSize() throws {
        let original = Fixture.bytes("metadata.webp")
        let stripped = try #require(MetadataStripper.stripped(original))
        let (before, _) = Inspect.webpChunks(original)
        let (after, riffSize) = Inspect.webpChunks(stripped)
        try #require(before.map(\.id) == ["VP8X", "VP8 ", "EXIF", "XMP "])
        try #require(after.map(\.id) == ["VP8X", "VP8 ", "EXIF"])
        #expect(riffSize == stripped.count - 8)
        #expect(after[1].payload == before[1].payload)
        #expect(after[0].payload[0] == 0x08)  // EXIF kept (orientation 6), XMP flag cleared
        #expect(after[2].payload == EXIF.minimalTIFF(orientation: 6))

        let vips = try #require(MetadataStripper.stripped(Fixture.bytes("vips-exif.webp")))
        let (upright, uprightSize) = Inspect.webpChunks(vips)
        try #require(upright.map(\.id) == ["VP8X", "VP8 "])
        #expect(upright[0].payload[0] == 0)  // no EXIF flag left
        #expect(uprightSize == vips.count - 8)
    }

    @Test func aStrippedGIFIsTheGIFWithoutItsComment() {
        // comment.gif is static.gif with a comment extension spliced in.
        #expect(MetadataStripper.stripped(Fixture.bytes("comment.gif")) == Fixture.bytes("static.gif"))
    }

    @Test func gifXMPApplicationExtensionsAreStrippedToo() throws {
        let gif = Fixture.bytes("static.gif")
        let headerEnd = 13 + 3 * 64  // the fixture's global colour table has 64 entries
        #expect(gif[10] & 0x87 == 0x85)
        // XMP's "magic trailer" makes the packet walkable as sub-blocks: 0x01, 0xFF … 0x00, then the terminator.
        let xmp: [UInt8] = [0x21, 0xFF, 11] + Array("XMP DataXMP".utf8) + Array("<x:xmpmeta/>".utf8) + [1]
            + (0...255).reversed().map { UInt8($0) } + [0]
        let tagged = Array(gif[..<headerEnd]) + xmp + Array(gif[headerEnd...])
        #expect(try ImageHeader.read(tagged).hasMetadata)
        #expect(MetadataStripper.stripped(tagged) == gif)
    }
}
