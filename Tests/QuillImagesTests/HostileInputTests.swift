import Testing
@testable import QuillImages

/// Cut, corrupted and lying files: the reader (and the stripper) must answer with a header or an error, never crash,
/// hang, recurse without bound or allocate what a file merely claims.
@Suite struct HostileInputTests {
    @Test(arguments: Fixture.all)
    func everyPrefixOfAFixtureReadsOrThrows(_ name: String) {
        let bytes = Fixture.bytes(name)
        let full = try? ImageHeader.read(bytes)
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            guard let header = try? ImageHeader.read(prefix) else { continue }
            // Every format states its size before anything that could be cut off, so a prefix that reads at all
            // must agree on it; a JPEG reads only once its first scan starts, by which point it knows everything.
            #expect(header.storedWidth == full?.storedWidth, "\(name) cut at \(length)")
            #expect(header.storedHeight == full?.storedHeight, "\(name) cut at \(length)")
            if header.format == .jpeg { #expect(header == full, "\(name) cut at \(length)") }
            _ = MetadataStripper.stripped(prefix)
        }
    }

    @Test(arguments: Fixture.all)
    func randomByteFlipsNeverCrashAndStrippingStillRemovesMetadata(_ name: String) {
        let original = Fixture.bytes(name)
        let seed = name.utf8.reduce(UInt64(5381)) { $0 &* 33 &+ UInt64($1) }  // per file, the same every run
        var generator = SeededGenerator(state: seed)
        for round in 0..<200 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? ImageHeader.read(bytes)
            guard let stripped = MetadataStripper.stripped(bytes) else { continue }
            let header = try? ImageHeader.read(stripped)
            #expect(header != nil, "\(name) round \(round): stripped output does not read")
            #expect(header?.hasGPS == false, "\(name) round \(round)")
            #expect(header?.hasMetadata == false, "\(name) round \(round)")
        }
    }

    @Test func aTinyPNGClaimingFiftyThousandSquaredReadsAsIs() throws {
        let png = Build.pngSignature + Build.ihdr(width: 50_000, height: 50_000)
            + Build.pngChunk("IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])
            + Build.pngChunk("IEND", [])
        #expect(png.count < 100)
        let header = try ImageHeader.read(png)
        #expect(header.storedWidth == 50_000 && header.storedHeight == 50_000)  // the caller enforces a pixel limit
    }

    @Test func aPNGChunkLongerThanTheFileIsTruncated() {
        let png = Build.pngSignature + Build.ihdr(width: 4, height: 4) + Build.u32be(1_000_000) + Build.ascii("IDAT")
        #expect(throws: ImageHeaderError.truncated(.png)) { try ImageHeader.read(png) }
        let notFirst = Build.pngSignature + Build.pngChunk("IDAT", []) + Build.ihdr(width: 4, height: 4)
        #expect(throws: ImageHeaderError.corrupt(.png, "the first chunk is IDAT, not IHDR")) {
            try ImageHeader.read(notFirst)
        }
    }

    @Test func aJPEGSegmentLengthPastTheEndIsTruncated() {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xF0] + Build.ascii("Exif\0\0II*\0")
        #expect(throws: ImageHeaderError.truncated(.jpeg)) { try ImageHeader.read(jpeg) }
        let tooShort: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xD9]
        #expect(throws: ImageHeaderError.corrupt(.jpeg, "marker 0xFFE0 at offset 2 has length 1")) {
            try ImageHeader.read(tooShort)
        }
        let noFrame: [UInt8] = [0xFF, 0xD8] + Build.segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0, 0xFF, 0xD9]
        #expect(throws: ImageHeaderError.corrupt(.jpeg, "a scan before any frame header")) {
            try ImageHeader.read(noFrame)
        }
    }

    @Test func fillBytesAndGarbageBetweenJPEGSegmentsAreSkipped() throws {
        let plain = Build.jpegSkeleton(width: 7, height: 5)  // SOI, SOF0 at 2..<15, SOS at 15
        // Two 0xFF fill bytes before SOF, and two stray bytes (libjpeg warns and skips them) before SOS.
        let padded = [0xFF, 0xD8, 0xFF, 0xFF] + plain[2..<15] + [0x00, 0x42] + plain[15...]
        #expect(try ImageHeader.read(padded).storedWidth == 7)
        #expect(try ImageHeader.read(padded).storedHeight == 5)
    }

    @Test func readingAJPEGStopsAtItsFirstScan() throws {
        // 10 MB after the scan starts, made of start-of-image markers: any walk past SOS would call it corrupt.
        var scan = [UInt8](repeating: 0xD8, count: 10_000_000)
        for i in stride(from: 0, to: scan.count, by: 2) { scan[i] = 0xFF }
        let jpeg = Build.jpegSkeleton(width: 640, height: 480, scan: scan)
        #expect(jpeg.count > 10_000_000)
        let header = try ImageHeader.read(jpeg)
        #expect(header.width == 640 && header.height == 480)
    }

    @Test func deeplyNestedAVIFBoxesAreAnErrorNotAStackOverflow() {
        let depth = 200_000
        var nested: [UInt8] = []
        nested.reserveCapacity(depth * 8)
        for level in 0..<depth {  // each box holds the next: iprp, ipco, meta, iprp, … (the path the reader takes)
            nested += Build.u32be(8 * (depth - level)) + Build.ascii(["iprp", "ipco", "meta"][level % 3])
        }
        let avif = Build.ftyp("avif") + Build.u32be(12 + nested.count) + Build.ascii("meta") + [0, 0, 0, 0] + nested
        #expect(throws: ImageHeaderError.corrupt(.avif, "no image size (ispe) property")) { try ImageHeader.read(avif) }
    }

    @Test func anAVIFBoxOverrunningItsParentIsCorruptAndOneOverrunningTheFileTruncated() {
        let overParent = Build.ftyp("avif") + Build.fullBox("meta", Build.u32be(500) + Build.ascii("iprp"))
        #expect(throws: ImageHeaderError.corrupt(.avif, "a box overruns its parent")) {
            try ImageHeader.read(overParent)
        }
        let overFile = Build.ftyp("avif") + Build.u32be(500) + Build.ascii("meta") + [0, 0, 0, 0]
        #expect(throws: ImageHeaderError.truncated(.avif)) { try ImageHeader.read(overFile) }
        let huge64 = Build.ftyp("avif") + Build.u32be(1) + Build.ascii("meta")
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0]  // a 64-bit size no Int holds
        #expect(throws: ImageHeaderError.truncated(.avif)) { try ImageHeader.read(huge64) }
    }

    @Test(arguments: [true, false])
    func anEXIFWhoseOffsetsLoopBackOnThemselvesTerminates(bigEndian: Bool) throws {
        // IFD0's next-IFD offset and its GPS pointer both point at IFD0 itself (offset 8).
        let tiff = Build.tiff(
            bigEndian: bigEndian,
            [.init(tag: 0x0112, type: 3, count: 1, value: 6), .init(tag: 0x8825, type: 4, count: 1, value: 8)],
            next: 8)
        let header = try ImageHeader.read(Build.jpeg(exif: tiff, into: Build.jpegSkeleton(width: 40, height: 30)))
        #expect(header.orientation == 6 && header.width == 30)
        #expect(header.hasGPS)  // the pointer leads to an IFD with entries, even if it is IFD0
        #expect(header.hasMetadata)
    }

    @Test func anEXIFIFDClaimingMoreEntriesThanItHoldsIsReadAsFarAsItGoes() throws {
        var tiff = Build.tiff(bigEndian: true, [.init(tag: 0x0112, type: 3, count: 1, value: 8)])
        tiff[8] = 0xFF  // entry count 0xFF01
        tiff[9] = 0x01
        let header = try ImageHeader.read(Build.jpeg(exif: tiff, into: Build.jpegSkeleton(width: 40, height: 30)))
        #expect(header.orientation == 8)
        #expect(header.hasMetadata)  // not the complete orientation-only block a strip writes
        let gpsNowhere = Build.tiff(bigEndian: false, [.init(tag: 0x8825, type: 4, count: 1, value: 0x7FFF_FFF0)])
        let other = try ImageHeader.read(Build.jpeg(exif: gpsNowhere, into: Build.jpegSkeleton(width: 40, height: 30)))
        #expect(!other.hasGPS)
    }

    @Test func invalidEXIFOrientationsReadAsOne() throws {
        for value in [0, 9, 0xFFFF] {
            let tiff = Build.tiff(bigEndian: false, [.init(tag: 0x0112, type: 3, count: 1, value: value)])
            let header = try ImageHeader.read(Build.jpeg(exif: tiff, into: Build.jpegSkeleton(width: 40, height: 30)))
            #expect(header.orientation == 1 && header.width == 40, "orientation \(value)")
        }
        let notTIFF = try ImageHeader.read(
            [0xFF, 0xD8] + Build.segment(0xE1, Build.ascii("Exif\0\0XX*\0"))
                + Build.jpegSkeleton(width: 4, height: 3).dropFirst(2))
        #expect(notTIFF.orientation == 1 && notTIFF.hasMetadata)
    }

    @Test func gifSubBlocksRunningPastTheEndAreTruncated() {
        let gif = Array(Fixture.bytes("static.gif").dropLast(40))
        #expect(throws: ImageHeaderError.truncated(.gif)) { try ImageHeader.read(gif) }
        var wrongIntroducer = Fixture.bytes("static.gif")
        wrongIntroducer[wrongIntroducer.count - 1] = 0x99  // the trailer
        #expect(throws: ImageHeaderError.self) { try ImageHeader.read(wrongIntroducer) }
    }

    @Test func aWebPChunkLargerThanItsRIFFIsCorruptAndACutRIFFTruncated() {
        let lossy = Fixture.bytes("lossy.webp")
        var lying = lossy
        lying[16] = 0xFF  // the VP8 chunk's size, low byte
        #expect(throws: ImageHeaderError.self) { try ImageHeader.read(lying) }
        #expect(throws: ImageHeaderError.truncated(.webp)) { try ImageHeader.read(Array(lossy.dropLast(1))) }
    }
}
