import Foundation
import QuillImages
import QuillMarkdown

/// A post's or page's body made to work wherever it appears, and its images given their size and copies:
/// - on its own page, each local `<img>` gets `width`/`height` from the file, lazy loading (but the first) and, when
///   the image has resized copies, `srcset`/`sizes` (in a `<picture>` with a WebP `<source>`);
/// - in its summary (home, tag and author lists), relative URLs are made root-relative, since the list is not at
///   the post's URL, and images are treated as on the page;
/// - in feeds, images are absolute and get their size only.
///
/// The body reads the header of each image it shows (`Node.Image`), never its bytes, and `[images]` only when it
/// shows an image.
struct BodyImages {
    let c: SiteContext
    /// The post's or page's source file and text (for the line of a missing image).
    let source: String
    let text: String
    let url: URLPath
    let config: SiteConfig

    /// The folder of the page's URL (`/2010/01/30/trip/`), against which relative URLs resolve.
    var folder: String {
        url.value.hasSuffix("/") ? url.value : String(url.value[...(url.value.lastIndex(of: "/") ?? url.value.startIndex)])
    }

    /// The bundle folder when the source is a bundle's index (`content/posts/trip`), else nil.
    var bundleFolder: String? {
        guard let slash = source.lastIndex(of: "/"),
              SourceList.indexNames.contains(String(source[source.index(after: slash)...])) else { return nil }
        return String(source[..<slash])
    }

    /// Rewrites `body` in place; returns the cover: front matter `image` (`cover`, its alt text `image_alt`), else
    /// the first local image of the body.
    func apply(to body: inout RenderedMarkdown, cover: String? = nil, coverAlt: String? = nil) throws -> CoverImage? {
        body.summaryHTML = rootRelative(body.summaryHTML)
        let renderings = [body.html, body.summaryHTML, body.absoluteHTML, body.absoluteSummaryHTML]
        let tags = renderings.map(ImageHTML.tags(in:))
        let coverPath = cover.flatMap { resolve($0) }?.path
        if let cover, !cover.isEmpty, coverPath == nil {  // another site's image
            return CoverImage(url: cover, width: 0, height: 0, alt: coverAlt ?? "", variantWidths: [],
                              fallbackExtension: "")
        }
        guard coverPath != nil || tags.contains(where: { !$0.isEmpty }) else { return nil }
        var shown: [String: ImageFacts] = [:]  // site path → facts
        var warned = Set<String>()
        let written = (cover.map { [$0] } ?? []) + tags.joined().map { $0.source ?? "" }
        for source in written {
            guard let (path, _) = resolve(source), shown[path] == nil else { continue }
            let (facts, candidate) = try lookUp(path)
            shown[path] = facts
            if facts.status == .missing, warned.insert(path).inserted, try !elsewhere(path) {
                try warnMissing(source, path: path, candidate: candidate)
            }
        }
        guard shown.values.contains(where: { $0.header != nil }) else { return nil }
        let settings = try c.config([.images]).images
        func coverImage(_ path: String, alt: String) -> CoverImage? {
            guard let facts = shown[path], let header = facts.header else { return nil }
            let plan = facts.plan(settings)
            return CoverImage(url: path, width: header.width, height: header.height, alt: alt,
                              variantWidths: plan.widths, fallbackExtension: plan.fallback?.fileExtension ?? "")
        }
        var image: CoverImage?
        if let coverPath {
            image = coverImage(coverPath, alt: coverAlt ?? "")
        } else if let first = tags[0].first(where: { resolve($0.source ?? "").map { shown[$0.path]?.header != nil } ?? false }),
                  let path = resolve(first.source ?? "")?.path {
            image = coverImage(path, alt: ImageHTML.decodeEntities(first.value("alt") ?? ""))
        }
        guard settings.enabled else { return image }
        func rewrite(_ html: String, _ tags: [ImageHTML.Tag], _ mode: ImageHTML.Mode) -> String {
            ImageHTML.rewrite(html, tags) { i, tag in
                guard let (path, suffix) = resolve(tag.source ?? ""), let facts = shown[path],
                      let header = facts.header else { return nil }
                let url: String
                switch mode {
                case .page: url = String((tag.source ?? "").prefix { $0 != "?" && $0 != "#" })
                case .list: url = config.relativeURL(for: URLPath(path))
                case .feed: url = config.absoluteURL(for: URLPath(path))
                }
                let image = ImageHTML.Shown(header: header, plan: facts.plan(settings), url: url, suffix: suffix)
                return ImageHTML.picture(tag, image, index: i, mode: mode, sizes: settings.sizes)
            }
        }
        body.html = rewrite(body.html, tags[0], .page)
        body.summaryHTML = rewrite(body.summaryHTML, tags[1], .list)
        body.absoluteHTML = rewrite(body.absoluteHTML, tags[2], .feed)
        body.absoluteSummaryHTML = rewrite(body.absoluteSummaryHTML, tags[3], .feed)
        return image
    }

    // MARK: Resolving

    /// The site path (from the site's root, decoded, `/2010/01/30/trip/cat.png`) an image or link URL names, and
    /// its query and fragment as written; nil for another site's URL, a `data:` URL or a fragment alone.
    func resolve(_ written: String) -> (path: String, suffix: String)? {
        var url = ImageHTML.decodeEntities(written).trimmingCharacters(in: .whitespaces)
        if url.hasPrefix(config.baseURL) {
            url = config.rootPath + url.dropFirst(config.baseURL.count)  // a feed's absolute URL of this site
        }
        guard let (path, suffix) = URLPath.resolving(url, inFolder: folder, rootPath: config.rootPath), !path.isEmpty
        else { return nil }
        return (path, String(suffix))
    }

    /// The image at a site path: a file of the post's own bundle, else a static file; with the file looked for.
    private func lookUp(_ path: String) throws -> (ImageFacts, String) {
        if let bundleFolder, path.hasPrefix(folder), path.count > folder.count {
            let candidate = bundleFolder + "/" + path.dropFirst(folder.count)
            let facts = try c.read(Node.Image(candidate))
            if facts.status != .missing { return (facts, candidate) }
            let staticSource = try c.read(Node.StaticSource(String(path.dropFirst())))
            if staticSource.isEmpty { return (facts, candidate) }
            return (try c.read(Node.Image(staticSource)), staticSource)
        }
        let staticSource = try c.read(Node.StaticSource(String(path.dropFirst())))
        guard !staticSource.isEmpty else { return (ImageFacts(.missing), "static" + path) }
        return (try c.read(Node.Image(staticSource)), staticSource)
    }

    /// Whether a file of that name is in some other post's bundle: then the URL may well point there (a post
    /// cannot know other posts' URLs while it is being read), and no warning is given.
    private func elsewhere(_ path: String) throws -> Bool {
        let name = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
        return try c.read(Node.BundleFileNames()).contains(name)
    }

    private func warnMissing(_ written: String, path: String, candidate: String) throws {
        let at = SiteCheck.position(of: written, in: text)
        let location = SourceLocation(file: source, line: at?.line ?? 1, column: at?.column ?? 1)
        // A relative URL that resolves under the post's URL, for a file of static/ (`images/sun.png` for
        // static/images/sun.png): say where it is published.
        let relative = ImageHTML.decodeEntities(written).trimmingCharacters(in: .whitespaces)
        let end = relative.firstIndex { $0 == "?" || $0 == "#" } ?? relative.endIndex
        let decoded = URLPath("/" + (relative[..<end].removingPercentEncoding ?? String(relative[..<end]))).value
        if !relative.hasPrefix("/"), !URLPath.hasScheme(relative),
           let file = try c.read(Node.SourceFiles()).statics[String(decoded.dropFirst())] {
            let published = config.relativeURL(for: URLPath(decoded))
            c.rules.warnings.add([Diagnostic(
                location, "image \(written) resolves to \(config.relativeURL(for: URLPath(path))), where nothing is "
                    + "published; \(file) is published at \(published)",
                hint: "write \(published) (from the site's root), or make the post a bundle (a folder with index.md "
                    + "and its images)", severity: .warning)])
            return
        }
        c.rules.warnings.add([Diagnostic(
            location, "image \(written) not found (looked for \(candidate))",
            hint: bundleFolder == nil
                ? "put the file in static\(path), or make the post a bundle (a folder with index.md and its images)"
                : "put the file beside \(source), or fix the name", severity: .warning)])
    }

    // MARK: Summaries

    private static let urlAttribute = try! NSRegularExpression(
        pattern: #"(<[A-Za-z][^>]*?\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*')"#, options: [])

    /// `html` with relative `href` and `src` URLs (`cat.png`, `../other/`, `#notes`) resolved against the page and
    /// written from the site's root, so that they work on a list page at another URL.
    func rootRelative(_ html: String) -> String {
        guard Self.mayHaveRelativeURLs(html) else { return html }
        let ns = html as NSString
        var out = ""
        var last = 0
        for m in Self.urlAttribute.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let quoted = ns.substring(with: m.range(at: 2))
            let value = String(quoted.dropFirst().dropLast())
            let decoded = ImageHTML.decodeEntities(value)
            guard !decoded.isEmpty, !decoded.hasPrefix("/"), !decoded.hasPrefix("//"), !URLPath.hasScheme(decoded)
            else { continue }
            let resolved: String
            if decoded.hasPrefix("#") || decoded.hasPrefix("?") {
                resolved = config.relativeURL(for: url) + decoded
            } else {
                guard let (path, suffix) = resolve(value) else { continue }
                resolved = config.relativeURL(for: URLPath(path)) + suffix
            }
            out += ns.substring(with: NSRange(location: last, length: m.range(at: 2).location - last))
                + "\"" + ImageHTML.escapeAttribute(resolved) + "\""
            last = m.range(at: 2).location + m.range(at: 2).length
        }
        return last == 0 ? html : out + ns.substring(from: last)
    }
}

extension BodyImages {
    /// Whether `html` has an `href="…"` or `src="…"` that is neither from the root (`/`) nor absolute (`https:`):
    /// a scan of its bytes, since most summaries have no such URL.
    static func mayHaveRelativeURLs(_ html: String) -> Bool {
        var html = html
        return html.withUTF8 { b in
            var i = 0
            while i + 6 < b.count {
                defer { i += 1 }
                guard b[i] == UInt8(ascii: "="), b[i + 1] == UInt8(ascii: "\"") || b[i + 1] == UInt8(ascii: "'")
                else { continue }
                let name = i >= 4 && b[i - 4] == UInt8(ascii: "h") && b[i - 3] == UInt8(ascii: "r")
                    && b[i - 2] == UInt8(ascii: "e") && b[i - 1] == UInt8(ascii: "f")
                    || i >= 3 && b[i - 3] == UInt8(ascii: "s") && b[i - 2] == UInt8(ascii: "r")
                    && b[i - 1] == UInt8(ascii: "c")
                guard name else { continue }
                let first = b[i + 2]
                if first == UInt8(ascii: "/") { continue }
                // `http:`, `https:`, `mailto:`: a scheme is letters up to a colon.
                var j = i + 2
                while j < b.count, (b[j] | 0x20) >= UInt8(ascii: "a"), (b[j] | 0x20) <= UInt8(ascii: "z") { j += 1 }
                if j > i + 2, j < b.count, b[j] == UInt8(ascii: ":") { continue }
                return true
            }
            return false
        }
    }
}

extension Node {
    /// The file names found in bundles (`cat.png`), so that a post showing an image it cannot place tells a
    /// missing file from one in another post's bundle.
    struct BundleFileNames: SingleNode {
        typealias Value = [String]
        static let kind = "bundlenames"

        func compute(_ c: SiteContext) throws -> [String] {
            Set(try c.read(SourceFiles()).bundles.keys.map { String($0[$0.index(after: $0.lastIndex(of: "/")!)...]) })
                .sorted()
        }
    }
}
