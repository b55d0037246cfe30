import Testing
@testable import QuillImages

/// Headers of real files (vips-encoded, metadata spliced in by Fixtures/make-fixtures.py): each is 40 × 30 as stored.
@Suite struct FixtureHeaderTests {
    /// What each fixture must read as: format, displayed and stored size, orientation, GPS, metadata, animation.
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var format: ImageFormat
        var size: (Int, Int) = (40, 30)
        var stored: (Int, Int)? = nil
        var orientation = 1
        var gps = false
        var metadata = false
        var animated = false
        var testDescription: String { file }

        var header: ImageHeader {
            let stored = stored ?? size
            var header = ImageHeader(
                format: format, storedWidth: stored.0, storedHeight: stored.1, orientation: orientation, hasGPS: gps,
                hasMetadata: metadata, isAnimated: animated)
            (header.width, header.height) = size  // stated outright, not derived from the orientation
            return header
        }
    }

    static let expectations: [Expected] = [
        Expected(file: "plain.png", format: .png),
        Expected(file: "metadata.png", format: .png, size: (30, 40), stored: (40, 30), orientation: 6, gps: true,
                 metadata: true),
        Expected(file: "animated.png", format: .png, animated: true),
        Expected(file: "plain.jpg", format: .jpeg),
        Expected(file: "progressive.jpg", format: .jpeg),
        // Its EXIF holds only the orientation: not metadata (it is what a strip leaves).
        Expected(file: "orientation6.jpg", format: .jpeg, size: (30, 40), stored: (40, 30), orientation: 6),
        Expected(file: "gps-big-endian.jpg", format: .jpeg, size: (30, 40), stored: (40, 30), orientation: 8,
                 gps: true, metadata: true),
        Expected(file: "gps-little-endian.jpg", format: .jpeg, orientation: 3, gps: true, metadata: true),
        Expected(file: "static.gif", format: .gif),
        Expected(file: "animated.gif", format: .gif, animated: true),
        Expected(file: "comment.gif", format: .gif, metadata: true),
        Expected(file: "lossy.webp", format: .webp),
        Expected(file: "lossless.webp", format: .webp),
        Expected(file: "vips-exif.webp", format: .webp, metadata: true),
        Expected(file: "metadata.webp", format: .webp, size: (30, 40), stored: (40, 30), orientation: 6, gps: true,
                 metadata: true),
        Expected(file: "animated.webp", format: .webp, animated: true),
        Expected(file: "plain.avif", format: .avif),
        Expected(file: "sized.svg", format: .svg, size: (120, 80)),
        Expected(file: "viewbox.svg", format: .svg, size: (100, 51)),  // 100.4 × 50.6, rounded
        Expected(file: "percent.svg", format: .svg, size: (300, 150)),  // 100% and 10em ignored: the viewBox
        Expected(file: "one-attribute.svg", format: .svg, size: (200, 50)),  // height from the viewBox's 4:1
    ]

    @Test(arguments: expectations)
    func eachFixtureReadsAsExpected(_ expected: Expected) throws {
        let bytes = Fixture.bytes(expected.file)
        #expect(ImageHeader.sniff(bytes) == expected.format)
        #expect(try ImageHeader.read(bytes) == expected.header)
    }

    @Test func everyFixtureHasAnExpectation() {
        let covered = Set(Self.expectations.map(\.file) + ["unsized.svg"])
        #expect(Set(Fixture.all) == covered)
    }

    @Test func anSVGWithNoSizeAtAllIsUnsized() {
        #expect(throws: ImageHeaderError.unsized) { try ImageHeader.read(Fixture.bytes("unsized.svg")) }
        #expect(ImageHeader.sniff(Fixture.bytes("unsized.svg")) == .svg)
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(ImageHeaderError.unknownFormat.description == "not a PNG, JPEG, GIF, WebP, AVIF or SVG image")
        #expect(ImageHeaderError.truncated(.webp).description == "truncated WebP file")
        #expect(ImageHeaderError.corrupt(.jpeg, "no frame").description == "corrupt JPEG: no frame")
        #expect(ImageHeaderError.unsized.description == "SVG has no width, height or viewBox")
        #expect(throws: ImageHeaderError.unknownFormat) { try ImageHeader.read(Array("hello, world".utf8)) }
        #expect(throws: ImageHeaderError.unknownFormat) { try ImageHeader.read([]) }
    }

    @Test func sniffingLooksOnlyAtMagicNumbers() {
        #expect(ImageHeader.sniff([0xFF, 0xD8, 0xFF]) == .jpeg)
        #expect(ImageHeader.sniff([0xFF, 0xD8]) == nil)
        #expect(ImageHeader.sniff(Array("GIF87a".utf8)) == .gif)
        #expect(ImageHeader.sniff(Array("RIFF\0\0\0\0WEBP".utf8)) == .webp)
        #expect(ImageHeader.sniff(Array("RIFF\0\0\0\0WAVE".utf8)) == nil)
        #expect(ImageHeader.sniff(Build.ftyp("mif1", compatible: ["avif"])) == .avif)  // compatible brand
        #expect(ImageHeader.sniff(Build.ftyp("heic", compatible: ["mif1", "heic"])) == nil)  // HEIC is not AVIF
        #expect(ImageHeader.sniff(Array("  \n<svg>".utf8)) == .svg)
        #expect(ImageHeader.sniff(Array("<svgfoo>".utf8)) == nil)
        #expect(ImageHeader.sniff(Array("<html><svg>".utf8)) == nil)
        #expect(ImageHeader.sniff(Array("<!-- <svg> -->".utf8)) == nil)  // only inside a comment
    }
}
