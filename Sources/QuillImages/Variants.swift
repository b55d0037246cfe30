import CVips
import Foundation

/// The encodings a resized copy is written in.
public enum VariantFormat: String, Sendable, CaseIterable, Comparable {
    case jpeg, png, webp

    public var fileExtension: String {
        switch self {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .webp: return "webp"
        }
    }

    public var mediaType: String { "image/" + rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Which resized copies an image gets: a pure function of its header and the settings, so that the output list
/// (which files exist) and the pages (which `srcset` they offer) always agree.
public struct VariantPlan: Sendable, Equatable {
    /// The widths of the copies, ascending, each smaller than the image.
    public var widths: [Int]
    /// JPEG copies of a JPEG, for browsers without WebP; nil when the copies are WebP only: for a WebP or AVIF
    /// original (a browser that shows it shows WebP) and for a PNG (PNG copies of a photo outweigh the original
    /// several times over; a browser without WebP gets the original).
    public var fallback: VariantFormat?
    /// The original is WebP or AVIF: a browser that shows it shows the WebP copies too, so they go in the
    /// `<img>`'s own `srcset`; otherwise they go in a `<picture>`'s WebP `<source>`.
    public var originalShowsWebP: Bool

    public var formats: [VariantFormat] { (fallback.map { [$0] } ?? []) + [.webp] }
    public var isEmpty: Bool { widths.isEmpty }

    public static let none = VariantPlan(widths: [], fallback: nil)

    /// - Parameters:
    ///   - widths: the configured widths.
    ///   - contentWidth: images no wider than this are shown at their size and get no copies.
    public init(for header: ImageHeader, widths: [Int], contentWidth: Int) {
        let fallback: VariantFormat?
        switch header.format {
        case .jpeg: fallback = .jpeg
        case .png, .webp, .avif: fallback = nil
        case .gif, .svg:
            self = .none
            return
        }
        guard !header.isAnimated, header.width > contentWidth else {
            self = .none
            return
        }
        self.widths = Array(Set(widths.filter { $0 > 0 && $0 < header.width })).sorted()
        self.fallback = self.widths.isEmpty ? nil : fallback
        originalShowsWebP = header.format == .webp || header.format == .avif
    }

    public init(widths: [Int], fallback: VariantFormat?, originalShowsWebP: Bool = false) {
        self.widths = widths
        self.fallback = fallback
        self.originalShowsWebP = originalShowsWebP
    }
}

/// An image library call that failed, with libvips' own words.
public struct ImageLibraryError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Resized copies through libvips: every copy of an image is cut from one decoded "base" (the image at the
/// largest width asked for), so a PNG is decoded once rather than once per copy, and a copy's bytes never depend on
/// which copies were made before it or on which thread.
public final class VariantMaker: @unchecked Sendable {
    public static let shared = VariantMaker()

    /// Decoded bases kept for the copies still to come: the copies of one image are rendered one after the other,
    /// so a few suffice (each is at most `largest width × height × 4` bytes).
    private let capacity = 4
    private let lock = NSLock()
    private var bases: [String: Base] = [:]
    private var order: [String] = []

    public init() {}

    /// The copy of the image `bytes` at `width` in `format`; `identity` names these bytes (a path and a hash of the
    /// content), `baseWidth` is the plan's largest width. The same arguments always give the same bytes.
    public func variant(of bytes: Data, identity: String, baseWidth: Int, width: Int, format: VariantFormat,
                        quality: Int) throws(ImageLibraryError) -> Data {
        let base = try self.base(bytes, identity: identity + "@\(baseWidth)", width: baseWidth)
        if width >= baseWidth { return try base.image.encoded(format, quality: quality) }
        return try base.image.resized(to: width).encoded(format, quality: quality)
    }

    private final class Base: @unchecked Sendable {
        let ready = NSLock()
        var image: VipsImageRef!
        var failure: ImageLibraryError?
    }

    private func base(_ bytes: Data, identity: String, width: Int) throws(ImageLibraryError) -> Base {
        lock.lock()
        if let base = bases[identity] {
            lock.unlock()
            base.ready.lock()  // held by the thread decoding it
            base.ready.unlock()
            if let failure = base.failure { throw failure }
            return base
        }
        let base = Base()
        base.ready.lock()
        bases[identity] = base
        order.append(identity)
        if order.count > capacity { bases[order.removeFirst()] = nil }
        lock.unlock()
        defer { base.ready.unlock() }
        do {
            base.image = try VipsImageRef.decode(bytes, width: width)
        } catch {
            base.failure = error
            lock.withLock {
                bases[identity] = nil
                order.removeAll { $0 == identity }
            }
            throw error
        }
        return base
    }
}

/// libvips, loaded by the first image that needs it (see CVips' shim.h: most builds never do).
enum Vips {
    /// The library's functions (written once, then only read), or why it could not be loaded.
    nonisolated(unsafe) static let api: Result<UnsafeMutablePointer<QuillVipsAPI>, ImageLibraryError> = {
        let api = UnsafeMutablePointer<QuillVipsAPI>.allocate(capacity: 1)  // kept for the process's life
        api.initialize(to: QuillVipsAPI())
        var why: UnsafePointer<CChar>?
        guard quill_vips_start(api, &why) == 0 else {
            let reason = why.map { String(cString: $0) } ?? "unknown reason"
            return .failure(ImageLibraryError(description: "cannot load libvips (\(reason)); install it with "
                + "`apt-get install libvips-dev`, or set [images] variants = false"))
        }
        return .success(api)
    }()
}

/// One libvips image, released with its last reference.
final class VipsImageRef: @unchecked Sendable {
    let pointer: OpaquePointer
    let api: UnsafeMutablePointer<QuillVipsAPI>

    private init(_ pointer: OpaquePointer, _ api: UnsafeMutablePointer<QuillVipsAPI>) {
        (self.pointer, self.api) = (pointer, api)
    }

    deinit { quill_vips_unref(api, pointer) }

    var width: Int { Int(quill_vips_width(api, pointer)) }
    var height: Int { Int(quill_vips_height(api, pointer)) }

    static func decode(_ bytes: Data, width: Int) throws(ImageLibraryError) -> VipsImageRef {
        let api = try Vips.api.get()
        var out: OpaquePointer?
        let status = bytes.withUnsafeBytes { raw in quill_vips_base(api, raw.baseAddress, raw.count, Int32(width), &out) }
        guard status == 0, let out else { throw ImageLibraryError(description: lastError(api)) }
        return VipsImageRef(out, api)
    }

    func resized(to width: Int) throws(ImageLibraryError) -> VipsImageRef {
        var out: OpaquePointer?
        guard quill_vips_resize(api, pointer, Int32(width), &out) == 0, let out else {
            throw ImageLibraryError(description: Self.lastError(api))
        }
        return VipsImageRef(out, api)
    }

    func encoded(_ format: VariantFormat, quality: Int) throws(ImageLibraryError) -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status: Int32
        switch format {
        case .jpeg: status = quill_vips_jpeg(api, pointer, Int32(quality), &buffer, &length)
        case .webp: status = quill_vips_webp(api, pointer, Int32(quality), &buffer, &length)
        case .png: status = quill_vips_png(api, pointer, &buffer, &length)
        }
        guard status == 0, let buffer else { throw ImageLibraryError(description: Self.lastError(api)) }
        defer { quill_vips_free(api, buffer) }
        guard format == .webp else { return Data(bytes: buffer, count: length) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: buffer, count: length))
        return Data(MetadataStripper.stripped(bytes) ?? bytes)
    }

    /// libvips' error text since the last call (it keeps one buffer per process), cleared.
    static func lastError(_ api: UnsafeMutablePointer<QuillVipsAPI>) -> String {
        guard let text = quill_vips_error(api) else { return "unknown libvips error" }
        defer { quill_vips_free(api, text) }
        let message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? "unknown libvips error" : message.replacingOccurrences(of: "\n", with: "; ")
    }
}
