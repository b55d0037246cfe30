import Foundation
import Testing
@testable import QuillImages

/// Resized copies through libvips: the width asked for, upright, without metadata, and the same bytes every time.
@Suite struct VariantTests {
    static func variant(_ name: String, width: Int, base: Int, _ format: VariantFormat,
                        maker: VariantMaker = VariantMaker()) throws -> ImageHeader {
        let bytes = Data(Fixture.bytes(name))
        let out = try maker.variant(of: bytes, identity: name, baseWidth: base, width: width, format: format, quality: 80)
        return try ImageHeader.read([UInt8](out))
    }

    @Test func copiesHaveTheWidthAskedForInTheFormatAskedFor() throws {
        for (name, format) in [("plain.jpg", VariantFormat.jpeg), ("plain.png", .png), ("lossy.webp", .webp),
                               ("plain.jpg", .webp), ("plain.avif", .webp)] {
            for width in [10, 20, 30] {
                let header = try Self.variant(name, width: width, base: 30, format)
                #expect(header.width == width, "\(name) → \(width)w \(format)")
                // The aspect ratio is kept to the pixel (copies are cut from a base, whose height is rounded too).
                #expect(abs(Double(header.height) - 30.0 * Double(width) / 40) <= 1, "\(name) → \(width)w \(format)")
                #expect(header.format.rawValue == format.rawValue)
            }
        }
    }

    @Test func copiesAreUprightAndCarryNoMetadata() throws {
        // Stored 40 × 30 with EXIF orientation 6: shown 30 × 40, so a 15-pixel-wide copy is 20 high.
        for format in [VariantFormat.jpeg, .webp] {
            let header = try Self.variant("orientation6.jpg", width: 15, base: 30, format)
            #expect((header.width, header.height, header.orientation) == (15, 20, 1))
            #expect(!header.hasMetadata && !header.hasGPS)
            let gps = try Self.variant("gps-big-endian.jpg", width: 20, base: 20, format)
            #expect(!gps.hasMetadata && !gps.hasGPS, "\(format)")
        }
    }

    @Test func aCopyIsTheSameWhicheverCopiesWereMadeBeforeIt() throws {
        let bytes = Data(Fixture.bytes("plain.png"))
        let alone = try VariantMaker().variant(of: bytes, identity: "p", baseWidth: 30, width: 10, format: .webp, quality: 80)
        let maker = VariantMaker()
        for width in [30, 20] { _ = try maker.variant(of: bytes, identity: "p", baseWidth: 30, width: width, format: .png, quality: 80) }
        let after = try maker.variant(of: bytes, identity: "p", baseWidth: 30, width: 10, format: .webp, quality: 80)
        #expect(alone == after)
        let threads = 8
        let results = Mutexed([Data]())
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let data = try? maker.variant(of: bytes, identity: "q", baseWidth: 30, width: 10, format: .webp, quality: 80)
            results.append(data ?? Data())
        }
        #expect(results.value.allSatisfy { $0 == alone })
    }

    @Test func damagedPixelsAreAnErrorNotACrash() throws {
        var bytes = Fixture.bytes("plain.png")
        bytes = Array(bytes.prefix(60))
        #expect(throws: ImageLibraryError.self) {
            _ = try VariantMaker().variant(of: Data(bytes), identity: "x", baseWidth: 20, width: 10, format: .png,
                                           quality: 80)
        }
        #expect(throws: ImageLibraryError.self) {
            _ = try VariantMaker().variant(of: Data("not an image".utf8), identity: "y", baseWidth: 20, width: 10,
                                           format: .jpeg, quality: 80)
        }
    }

    @Test func thePlanOffersOnlyWidthsBelowTheImageAndNoneForNarrowOrAnimatedImages() throws {
        let photo = ImageHeader(format: .jpeg, width: 1000, height: 500, storedWidth: 1000, storedHeight: 500,
                                orientation: 1, hasGPS: false, hasMetadata: false, isAnimated: false)
        let plan = VariantPlan(for: photo, widths: [1600, 480, 800, 1200, 480], contentWidth: 680)
        #expect(plan == VariantPlan(widths: [480, 800], fallback: .jpeg))
        #expect(plan.formats == [.jpeg, .webp])
        var narrow = photo
        narrow.width = 600
        #expect(VariantPlan(for: narrow, widths: [480], contentWidth: 680).isEmpty)
        var animated = photo
        animated.format = .gif
        #expect(VariantPlan(for: animated, widths: [480], contentWidth: 680).isEmpty)
        var webp = photo
        webp.format = .webp
        #expect(VariantPlan(for: webp, widths: [480], contentWidth: 680).formats == [.webp])
    }
}

final class Mutexed<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func append<E>(_ element: E) where T == [E] { lock.withLock { stored.append(element) } }
}
