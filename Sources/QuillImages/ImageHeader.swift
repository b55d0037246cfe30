/// The image formats Quill reads headers of.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    case png, jpeg, gif, webp, avif, svg

    /// The name used in messages ("truncated WebP file").
    var displayName: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .gif: "GIF"
        case .webp: "WebP"
        case .avif: "AVIF"
        case .svg: "SVG"
        }
    }
}

/// What Quill needs to know about an image without decoding its pixels: its size (to write `width`/`height`
/// attributes and to refuse decoding huge images), its orientation, and whether it leaks metadata.
///
/// Reading is cheap: each format is walked by its segment, chunk or box lengths, never byte by byte through pixel
/// data (JPEG stops at the first scan). Every offset and length from the file is bounds-checked, nothing is allocated
/// in proportion to a size the file claims, and nothing recurses, so hostile input yields an error, not a crash.
public struct ImageHeader: Sendable, Equatable {
    public var format: ImageFormat
    /// Size as a browser displays it: after EXIF orientation (5–8 swap width and height). For SVG, from the root
    /// element's width/height (px or unitless; other units ignored) or else its viewBox, rounded to Int.
    public var width: Int
    public var height: Int
    /// Size as stored (what a decoder must allocate): used for the pixel limit.
    public var storedWidth: Int
    public var storedHeight: Int
    /// EXIF orientation 1–8; 1 when absent or invalid.
    public var orientation: Int
    /// EXIF carries a GPS IFD (tag 0x8825) pointing at an IFD with at least one entry.
    public var hasGPS: Bool
    /// Carries any metadata a strip would remove (EXIF, XMP, IPTC, comments, PNG text chunks).
    /// An EXIF block holding nothing but the orientation (what `MetadataStripper` puts back) does not count. For AVIF,
    /// which is not stripped, an Exif or MIME (XMP) item counts.
    public var hasMetadata: Bool
    /// More than one frame: animated GIF, APNG (acTL chunk), animated WebP (ANIM / animation flag).
    public var isAnimated: Bool

    /// Reads the header of an image of any supported format (chosen by `sniff`).
    public static func read(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        guard let format = sniff(bytes) else { throw .unknownFormat }
        switch format {
        case .png: return try PNG.readHeader(bytes)
        case .jpeg: return try JPEG.readHeader(bytes)
        case .gif: return try GIF.readHeader(bytes)
        case .webp: return try WebP.readHeader(bytes)
        case .avif: return try AVIF.readHeader(bytes)
        case .svg: return try SVGSize.readHeader(bytes)
        }
    }

    /// The format from the first bytes alone (magic numbers; SVG: optional BOM/whitespace/XML declaration/comments/
    /// doctype then `<svg`), nil when unknown.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.starts(with: PNG.signature) { return .png }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.matches("GIF87a", at: 0) || bytes.matches("GIF89a", at: 0) { return .gif }
        if bytes.matches("RIFF", at: 0), bytes.matches("WEBP", at: 8) { return .webp }
        if AVIF.hasAVIFBrand(bytes) { return .avif }
        if SVGSize.rootElementStart(bytes) != nil { return .svg }
        return nil
    }

    /// A header whose displayed size follows from the stored size: swapped when the orientation (5–8) or, for AVIF,
    /// a quarter-turn rotation turns the picture on its side. (Declared in the type, so Swift synthesizes no
    /// memberwise initializer: an extension may declare a public one with every field.)
    init(
        format: ImageFormat, storedWidth: Int, storedHeight: Int, orientation: Int = 1, quarterTurned: Bool = false,
        hasGPS: Bool = false, hasMetadata: Bool = false, isAnimated: Bool = false
    ) {
        let swapped = quarterTurned || (5...8).contains(orientation)
        self.format = format
        self.width = swapped ? storedHeight : storedWidth
        self.height = swapped ? storedWidth : storedHeight
        self.storedWidth = storedWidth
        self.storedHeight = storedHeight
        self.orientation = (1...8).contains(orientation) ? orientation : 1
        self.hasGPS = hasGPS
        self.hasMetadata = hasMetadata
        self.isAnimated = isAnimated
    }
}

/// Why an image's header could not be read, worded for a person fixing their blog's images.
public enum ImageHeaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a PNG, JPEG, GIF, WebP, AVIF or SVG image.
    case unknownFormat
    /// The file ends before the header (or a length it declares) does.
    case truncated(ImageFormat)
    /// The file contradicts its format; the string says how.
    case corrupt(ImageFormat, String)
    /// An SVG with neither width/height nor viewBox: its size depends on where it is placed.
    case unsized

    public var description: String {
        switch self {
        case .unknownFormat: "not a PNG, JPEG, GIF, WebP, AVIF or SVG image"
        case .truncated(let format): "truncated \(format.displayName) file"
        case .corrupt(let format, let what): "corrupt \(format.displayName): \(what)"
        case .unsized: "SVG has no width, height or viewBox"
        }
    }
}
