import Testing
@testable import QuillImages

/// Corners of each format that the fixtures do not reach, on hand-built input.
@Suite struct FormatDetailTests {
    // MARK: SVG

    /// Width and height an SVG reads as.
    private func svg(_ text: String) throws -> [Int] {
        let header = try ImageHeader.read(Array(text.utf8))
        #expect(header.format == .svg && header.storedWidth == header.width && header.orientation == 1)
        return [header.width, header.height]
    }

    @Test func svgSizeComesFromWidthAndHeightThenTheViewBox() throws {
        #expect(try svg(#"<svg width="12.5" height='7.4px'/>"#) == [13, 7])
        #expect(try svg(#"<svg viewBox="0 0 1e2 5E1"></svg>"#) == [100, 50])
        #expect(try svg(#"<svg height="30" viewBox="0,0,400,100">"#) == [120, 30])  // width from 4:1
        #expect(try svg(#"<svg width=" 64 " height="10mm" viewBox="0 0 32 16">"#) == [64, 32])  // mm ignored
        #expect(throws: ImageHeaderError.unsized) {
            try ImageHeader.read(Array(#"<svg width="inf" height="nan" viewBox="0 0 0x10 9">"#.utf8))
        }
    }

    @Test func svgValuesThatAreNotPlainNumbersAreIgnored() {
        #expect(SVGSize.length("inf") == nil)
        #expect(SVGSize.length("0x1p4") == nil)
        #expect(SVGSize.length("-5") == nil)
        #expect(SVGSize.length("50%") == nil)
        #expect(SVGSize.length("2em") == nil)
        #expect(SVGSize.length(" 3.5px ") == 3.5)
        #expect(SVGSize.viewBoxSize("0 0 10") == nil)
        #expect(SVGSize.viewBoxSize("0 0 -10 10") == nil)
        #expect(SVGSize.viewBoxSize(" 0, 0 ,10\t20 ").map { [$0.0, $0.1] } == [10, 20])
    }

    @Test func svgAttributesOfOtherElementsAndPrefixedNamesDoNotCount() throws {
        let svgText = #"<svg xmlns:xlink="x" data-width="9" viewBox="0 0 8 4"><rect width="99" height="99"/></svg>"#
        #expect(try svg(svgText) == [8, 4])
        #expect(throws: ImageHeaderError.unsized) { try ImageHeader.read(Array(#"<svg width="10"/>"#.utf8)) }
    }

    @Test func svgSizesTooLargeToMeanAnythingAreCorruptNotACrash() {
        #expect(throws: ImageHeaderError.corrupt(.svg, "size 1e+300 is out of range")) {
            try ImageHeader.read(Array(#"<svg width="1e300" height="1">"#.utf8))
        }
        #expect(throws: ImageHeaderError.corrupt(.svg, "size 1e+18 is out of range")) {
            try ImageHeader.read(Array(#"<svg width="1e9" viewBox="0 0 1 1e9">"#.utf8))  // derived height
        }
    }

    @Test func anSVGStartTagCutShortIsTruncatedAndOneLongerThan64KBCorrupt() {
        #expect(throws: ImageHeaderError.truncated(.svg)) {
            try ImageHeader.read(Array(#"<svg width="10" height="1"#.utf8))
        }
        let long = "<svg " + String(repeating: "a=\"b\" ", count: 12_000) + "width=\"1\" height=\"1\">"
        #expect(throws: ImageHeaderError.corrupt(.svg, "the <svg> start tag does not end within the first 64 KB")) {
            try ImageHeader.read(Array(long.utf8))
        }
        let lateRoot = "<!--" + String(repeating: " ", count: 70_000) + "--><svg width=\"1\" height=\"1\">"
        #expect(ImageHeader.sniff(Array(lateRoot.utf8)) == nil)  // only the first 64 KB are looked at
        #expect(throws: ImageHeaderError.corrupt(.svg, "the value of attribute width is not quoted")) {
            try ImageHeader.read(Array("<svg width=10>".utf8))
        }
    }

    // MARK: AVIF

    /// An AVIF skeleton: ftyp, then meta with pitm (if given), iinf (if given), and iprp holding `properties` and an
    /// ipma mapping item ids to 1-based property indices.
    private func avif(
        brand: String = "avif", primary: Int? = 1, properties: [[UInt8]], associations: [(item: Int, indices: [Int])],
        items: [String] = []
    ) -> [UInt8] {
        var ipma = Build.u32be(associations.count)
        for (item, indices) in associations {
            ipma += Build.u16be(item) + [UInt8(indices.count)] + indices.map { UInt8($0) }
        }
        let infes = items.enumerated().map { index, type in
            Build.fullBox("infe", version: 2, Build.u16be(index + 1) + [0, 0] + Build.ascii(type) + [0])
        }
        var meta = Build.fullBox("hdlr", [0, 0, 0, 0] + Build.ascii("pict") + Array(repeating: 0, count: 13))
        if let primary { meta += Build.fullBox("pitm", Build.u16be(primary)) }
        if !items.isEmpty { meta += Build.fullBox("iinf", Build.u16be(items.count) + infes.flatMap { $0 }) }
        meta += Build.box("iprp", Build.box("ipco", properties.flatMap { $0 }) + Build.fullBox("ipma", ipma))
        return Build.ftyp(brand, compatible: ["mif1", "miaf", brand]) + Build.fullBox("meta", meta)
            + Build.box("mdat", [1, 2, 3])
    }

    @Test func avifTakesThePrimaryItemsExtentNotTheLargest() throws {
        // Item 2 (say, a gain map) is larger than the primary item 1.
        let file = avif(properties: [Build.ispe(800, 600), Build.ispe(400, 300)], associations: [(1, [2]), (2, [1])])
        let header = try ImageHeader.read(file)
        #expect(header.width == 400 && header.height == 300)
        let noPrimary = avif(primary: nil, properties: [Build.ispe(800, 600), Build.ispe(400, 300)], associations: [])
        #expect(try ImageHeader.read(noPrimary).width == 800)  // no pitm: the largest
    }

    @Test func avifQuarterTurnsSwapTheDisplayedSize() throws {
        for (angle, swapped) in [(0, false), (1, true), (2, false), (3, true)] {
            let file = avif(
                properties: [Build.ispe(400, 300), Build.box("irot", [UInt8(angle)])], associations: [(1, [1, 2])])
            let header = try ImageHeader.read(file)
            #expect(header.storedWidth == 400 && header.width == (swapped ? 300 : 400), "angle \(angle)")
            #expect(header.orientation == 1)  // the decoder applies irot itself
        }
    }

    @Test func avifSequencesAreAnimatedAndExifItemsAreMetadata() throws {
        let sequence = avif(brand: "avis", properties: [Build.ispe(64, 64)], associations: [(1, [1])])
        #expect(try ImageHeader.read(sequence).isAnimated)
        let withExif = avif(properties: [Build.ispe(64, 64)], associations: [(1, [1])], items: ["av01", "Exif"])
        #expect(try ImageHeader.read(withExif).hasMetadata)
        let plain = avif(properties: [Build.ispe(64, 64)], associations: [(1, [1])], items: ["av01"])
        #expect(try !ImageHeader.read(plain).hasMetadata)
    }

    @Test func avifBoxesMayUse64BitSizesOrRunToTheEnd() throws {
        let file = avif(properties: [Build.ispe(33, 22)], associations: [(1, [1])])
        let ftypSize = 28
        // meta rewritten with size 1 and a 64-bit size, mdat with size 0 ("to the end").
        let metaSize = Int(file[ftypSize]) << 24 | Int(file[ftypSize + 1]) << 16 | Int(file[ftypSize + 2]) << 8
            | Int(file[ftypSize + 3])
        let meta = Array(file[ftypSize + 8..<ftypSize + metaSize])
        let large = Array(file[..<ftypSize]) + Build.u32be(1) + Build.ascii("meta") + Build.u32be(0)
            + Build.u32be(meta.count + 16) + meta + Build.u32be(0) + Build.ascii("mdat") + [9, 9, 9]
        #expect(try ImageHeader.read(large).width == 33)
        let metaToEnd = Array(file[..<ftypSize]) + Build.u32be(0) + Build.ascii("meta") + meta
        #expect(try ImageHeader.read(metaToEnd).height == 22)
    }

    // MARK: PNG, WebP, JPEG

    @Test func anAPNGWithOneFrameIsNotAnimated() throws {
        let png = Build.pngSignature + Build.ihdr(width: 2, height: 2)
            + Build.pngChunk("acTL", Build.u32be(1) + Build.u32be(0))
            + Build.pngChunk("IDAT", [0x78, 0x9C, 3, 0, 0, 0, 0, 1]) + Build.pngChunk("IEND", [])
        #expect(try !ImageHeader.read(png).isAnimated)
    }

    @Test func pngTextAfterTheImageDataIsStillMetadata() throws {
        let png = Build.pngSignature + Build.ihdr(width: 2, height: 2)
            + Build.pngChunk("IDAT", [0x78, 0x9C, 3, 0, 0, 0, 0, 1])
            + Build.pngChunk("tEXt", Build.ascii("Author\0me")) + Build.pngChunk("IEND", [])
        #expect(try ImageHeader.read(png).hasMetadata)
    }

    @Test func webpAnimationFlagAloneMeansAnimated() throws {
        var lossy = Fixture.bytes("animated.webp")
        // Rename the ANIM chunk: the VP8X flag still says animated.
        let anim = try #require(lossy.indices.first { lossy[$0...].starts(with: Array("ANIM".utf8)) })
        lossy.replaceSubrange(anim..<anim + 4, with: Array("XXXX".utf8))
        #expect(try ImageHeader.read(lossy).isAnimated)
    }

    @Test func aJPEGEXIFWithOnlyAnOrientationIsNotMetadataButAnythingMoreIs() throws {
        let base = Build.jpegSkeleton(width: 40, height: 30)
        let orientationOnly = Build.tiff(bigEndian: false, [.init(tag: 0x0112, type: 3, count: 1, value: 5)])
        let onlyHeader = try ImageHeader.read(Build.jpeg(exif: orientationOnly, into: base))
        #expect(!onlyHeader.hasMetadata && onlyHeader.orientation == 5 && onlyHeader.width == 30)
        let withThumbnail = Build.tiff(bigEndian: false, [.init(tag: 0x0112, type: 3, count: 1, value: 5)], next: 26)
        #expect(try ImageHeader.read(Build.jpeg(exif: withThumbnail, into: base)).hasMetadata)
        let withMake = Build.tiff(
            bigEndian: true,
            [
                .init(tag: 0x010F, type: 2, count: 4, value: 0x4142_4300),  // Make: "ABC"
                .init(tag: 0x0112, type: 3, count: 1, value: 7),
            ])
        let makeHeader = try ImageHeader.read(Build.jpeg(exif: withMake, into: base))
        #expect(makeHeader.hasMetadata && makeHeader.orientation == 7)
        let long = Build.tiff(bigEndian: true, [.init(tag: 0x0112, type: 4, count: 1, value: 6)])  // LONG, not SHORT
        #expect(try ImageHeader.read(Build.jpeg(exif: long, into: base)).orientation == 6)
    }

    @Test func gpsIFDPointingAtAnEmptyIFDIsNoGPS() throws {
        // IFD0 (2 entries) ends at 8 + 2 + 24 + 4 = 38; the GPS IFD there has zero entries.
        let tiff = Build.tiff(
            bigEndian: true,
            [.init(tag: 0x0112, type: 3, count: 1, value: 1), .init(tag: 0x8825, type: 4, count: 1, value: 38)],
            tail: [0, 0, 0, 0, 0, 0])
        let header = try ImageHeader.read(Build.jpeg(exif: tiff, into: Build.jpegSkeleton(width: 4, height: 4)))
        #expect(!header.hasGPS && header.hasMetadata)
    }
}
