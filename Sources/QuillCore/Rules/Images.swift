import Foundation
import QuillGraph
import QuillImages

// Pictures: each image file read once for its header (size, format, orientation, GPS), so that pages showing it
// get its size and its resized copies, and the output list knows which copies to make. A page depends on the
// headers of the images it shows, not on their bytes: an image edited in place at the same size changes its own
// outputs and nothing else.

/// An image file as its header describes it, or why it cannot be shown as one.
struct ImageFacts: GraphValue, Equatable {
    enum Status: Equatable {
        /// Readable; its copies follow `VariantPlan`.
        case image(ImageHeader)
        /// More pixels than `[images] max_pixels`: published as it is, never decoded.
        case tooLarge(ImageHeader)
        /// Not a PNG, JPEG, GIF, WebP, AVIF or SVG image, or a damaged one: published as it is.
        case unreadable(String)
        /// No such file (or an empty one).
        case missing
    }

    var status: Status

    /// The header when the image can be shown with its size.
    var header: ImageHeader? {
        switch status {
        case .image(let h), .tooLarge(let h): return h
        case .unreadable, .missing: return nil
        }
    }

    /// The copies to make of it under `settings`.
    func plan(_ settings: ImageSettings) -> VariantPlan {
        guard settings.enabled, settings.variants, case .image(let header) = status else { return .none }
        return VariantPlan(for: header, widths: settings.widths, contentWidth: settings.contentWidth)
    }

    init(_ status: Status) { self.status = status }

    func encode(to w: inout BinaryWriter) {
        switch status {
        case .image(let h), .tooLarge(let h):
            if case .image = status { w.write(0) } else { w.write(1) }
            w.write(h.format.rawValue)
            for n in [h.width, h.height, h.storedWidth, h.storedHeight, h.orientation] { w.write(n) }
            for flag in [h.hasGPS, h.hasMetadata, h.isAnimated] { w.write(flag) }
        case .unreadable(let reason):
            w.write(2)
            w.write(reason)
        case .missing:
            w.write(3)
        }
    }

    init(from r: inout BinaryReader) throws {
        let tag = try r.readInt()
        switch tag {
        case 0, 1:
            guard let format = ImageFormat(rawValue: try r.readString()) else { throw BinaryReader.Malformed() }
            let numbers = try (0..<5).map { _ in try r.readInt() }
            let flags = try (0..<3).map { _ in try r.readBool() }
            let header = ImageHeader(format: format, width: numbers[0], height: numbers[1],
                                     storedWidth: numbers[2], storedHeight: numbers[3], orientation: numbers[4],
                                     hasGPS: flags[0], hasMetadata: flags[1], isAnimated: flags[2])
            status = tag == 0 ? .image(header) : .tooLarge(header)
        case 2: status = .unreadable(try r.readString())
        case 3: status = .missing
        default: throw BinaryReader.Malformed()
        }
    }
}

extension Node {
    /// An image file's header, and the warnings it deserves (damaged, too large, GPS coordinates), given once per
    /// change of the file.
    struct Image: NamedNode {
        typealias Value = ImageFacts
        static let kind = "image"
        var id: String

        init(_ file: String) { id = file }

        func compute(_ c: SiteContext) throws -> ImageFacts {
            defer { c.rules.progress?.tick() }
            let data = try c.read(Input.File(id))
            let settings = try c.config([.images]).images
            guard !data.isEmpty else { return ImageFacts(.missing) }
            let header: ImageHeader
            do {
                header = try ImageHeader.read([UInt8](data))
            } catch .unsized {  // an SVG that scales to its box: shown without a size, as written
                return ImageFacts(.unreadable(ImageHeaderError.unsized.description))
            } catch {
                c.rules.warnings.add([Diagnostic(
                    SourceLocation(file: id), "not a readable image (\(error)); it is published as it is, without a size "
                        + "or resized copies", hint: "open it in an image editor and save it again", severity: .warning)])
                return ImageFacts(.unreadable(error.description))
            }
            var warnings = [Diagnostic]()
            if header.hasGPS && !settings.stripMetadata {
                warnings.append(Diagnostic(
                    SourceLocation(file: id), "\(id) carries GPS coordinates (a phone photo?)",
                    hint: "set [images] strip_metadata = true to remove them from the published file", severity: .warning))
            }
            let pixels = header.storedWidth.multipliedReportingOverflow(by: header.storedHeight)
            if pixels.overflow || pixels.partialValue > settings.maxPixels {
                warnings.append(Diagnostic(
                    SourceLocation(file: id),
                    "\(header.storedWidth) × \(header.storedHeight) pixels is more than [images] max_pixels "
                        + "(\(settings.maxPixels)); it is published as it is, without resized copies",
                    hint: "resize it before publishing, or raise max_pixels if the image is genuine", severity: .warning))
                c.rules.warnings.add(warnings)
                return ImageFacts(.tooLarge(header))
            }
            c.rules.warnings.add(warnings)
            return ImageFacts(.image(header))
        }
    }
}

/// Image files by name: what `Outputs` publishes copies of, and what a page's `<img>` may show.
enum ImageFiles {
    static let extensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg"]

    static func isImage(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), path[dot...].count <= 5 else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// Where a static file is published: its path under its `static/` folder (the site's, a theme's or the
    /// built-in theme's).
    static func staticOutputPath(_ source: String) -> String? {
        let parts = source.split(separator: "/", omittingEmptySubsequences: false)
        guard let i = parts.firstIndex(of: "static"), i + 1 < parts.count else { return nil }
        return parts[(i + 1)...].joined(separator: "/")
    }
}
