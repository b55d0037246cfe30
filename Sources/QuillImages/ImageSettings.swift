/// `[images]` in site.toml: what Quill does to the pictures of posts and pages.
///
/// ```toml
/// [images]
/// widths = [480, 800, 1200, 1600]   # the resized copies, never wider than the original
/// strip_metadata = true             # published originals lose EXIF (GPS), XMP, IPTC and comments
/// ```
public struct ImageSettings: Sendable, Hashable {
    /// Local `<img>` elements get `width`, `height`, `loading` and `decoding`; false leaves them as written.
    public var enabled = true
    /// Raster images wider than `contentWidth` get resized copies (and `srcset`); false publishes originals only.
    public var variants = true
    /// The copies' widths in pixels.
    public var widths = [480, 800, 1200, 1600]
    /// The widest an image is shown by the theme, in CSS pixels: narrower images are left alone.
    public var contentWidth = 680
    /// The `sizes` attribute of images with copies: how wide the theme shows them at each viewport width.
    public var sizes = "(max-width: 720px) calc(100vw - 40px), 680px"
    /// JPEG and WebP quality of the copies, 1–100.
    public var quality = 82
    /// Published originals lose their metadata (EXIF with GPS, XMP, IPTC, comments); their pixels are untouched.
    public var stripMetadata = false
    /// Images with more pixels than this are refused before decoding (a "decompression bomb" is a small file that
    /// claims 50,000 × 50,000 pixels): published as they are, with no copies, and reported.
    public var maxPixels = 100_000_000

    public init() {}
}
