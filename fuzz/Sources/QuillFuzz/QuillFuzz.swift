import Foundation
@testable import QuillCore
import QuillHighlight
import QuillImages
import QuillTemplates

/// One fuzz input: its first byte chooses what the rest is read as, the way a build reads it from disk.
/// - 0: a post file: UTF-8 check, line endings, front matter (YAML or TOML), dates, tags, Markdown body;
/// - 1: a standalone page, likewise;
/// - 2: `site.toml`;
/// - 3: a Markdown body alone (front matter aside);
/// - 0xD0 … 0xDF: a template (the `post` template of the default theme, its other templates beside it), compiled
///   against the page views: it compiles, or every problem is reported with a line and column (else a trap); what
///   compiles renders a post page without trapping;
/// - 0xE0 … 0xEF: an image file (binary): its header is read, and its metadata stripped; a stripped image must read
///   back with the same size and orientation and without GPS coordinates (a mismatch traps);
/// - 0xF0 and up: code for the highlighter, in the language `highlightedLanguages[byte - 0xF0]`; the text of its HTML
///   must be exactly the code (a mismatch traps, so it is a finding).
/// Any crash, trap or hang is a finding; errors reported as diagnostics are the expected outcome for bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    if bytes[0] >= 0xE0 && bytes[0] < 0xF0 {
        fuzzImage([UInt8](bytes[1...]))
        return 0
    }
    if bytes[0] >= 0xD0 && bytes[0] < 0xE0 {
        fuzzTemplate(String(decoding: bytes[1...], as: UTF8.self))
        return 0
    }
    let mode = bytes[0] >= 0xF0 ? 4 : bytes[0] % 4  // existing seeds keep their meaning
    let data = Data(bytes[1...])
    let text: String
    switch SiteLoader.decodeUTF8(data, path: "content/posts/fuzz.md") {
    case .success(let decoded): text = SiteLoader.unixLineEndings(decoded)
    case .failure: return 0
    }
    switch mode {
    case 0: _ = parser.parsePost(SourceFile(path: "content/posts/2024-01-02-fuzz.md", text: text))
    case 1: _ = parser.parsePage(SourceFile(path: "content/fuzz.md", text: text))
    case 2: _ = ConfigParser.parse(text)
    case 3: _ = parser.markdown.render(text, pageURL: "https://example.org/fuzz/")
    default:
        let language = highlightedLanguages[Int(bytes[0] - 0xF0) % highlightedLanguages.count]
        if case .highlighted(let html, _) = Highlighter.highlight(text, as: language), visibleText(html) != text {
            fatalError("highlighting \(language) changed the text: \(text.debugDescription) → \(html.debugDescription)")
        }
    }
    return 0
}

func fuzzTemplate(_ text: String) {
    var sources = EmbeddedTheme.files.compactMap { path, text -> TemplateSource? in
        guard path.hasPrefix("templates/"), path.hasSuffix(".mustache"), path != "templates/post.mustache" else { return nil }
        return TemplateSource(name: String(path.dropFirst(10).dropLast(9)), path: path, text: text)
    }
    sources.append(TemplateSource(name: "post", path: "templates/post.mustache", text: text))
    let (theme, diagnostics) = TemplateCompiler.compile(sources, entries: ["post"], root: Views.root.type)
    for d in diagnostics where d.line < 1 || d.column < 1 || d.message.isEmpty {
        fatalError("a template problem without a place: \(d)")
    }
    guard let theme else {
        if !diagnostics.contains(where: { !$0.isWarning }) { fatalError("refused without an error: \(diagnostics)") }
        return
    }
    _ = theme.render("post", fuzzPage)
}

/// A post's page as templates see it (the site's settings absent: they come from a build).
nonisolated(unsafe) let fuzzPage: TemplateValue = {
    let post = ContentParser(config: SiteConfig(title: "Fuzz")).parsePost(SourceFile(
        path: "content/posts/2024-01-02-fuzz.md",
        text: "---\ntitle: A <b>\ntags: [x, y]\nimage_alt: \"a\"\n---\nSome *text*.\n\n## One\n\n## Two\n\n<!--more-->\nMore.\n"))
    guard case .success(let parsed) = post else { fatalError("the fuzz page's post does not parse") }
    let view = Views.PostView(parsed, SiteConfig(title: "Fuzz"))
    return Views.root.record([
        "page": Views.page.record(["kind": .string("post"), "title": .string("A <b>"), "isPost": .bool(true)]),
        "post": .object(view), "posts": .list([.object(view), .object(view)]),
        "feeds": .list([Views.feedLink("application/rss+xml", "RSS", "/feed.xml")]),
        "newer": Views.neighbour.record(["title": .string("N"), "url": .string("/n/")]),
    ])
}()

func fuzzImage(_ image: [UInt8]) {
    guard let header = try? ImageHeader.read(image), let stripped = MetadataStripper.stripped(image) else { return }
    guard let again = try? ImageHeader.read(stripped), again.width == header.width, again.height == header.height,
          again.orientation == header.orientation, !again.hasGPS else {
        fatalError("stripping changed the image: \(header) → \(String(describing: try? ImageHeader.read(stripped)))")
    }
}

/// SwiftPM links an executable target's `main` to `<target>_main`, so libFuzzer's own `main` is not linked in:
/// this is that `main`, handing the command line to libFuzzer's driver.
@_cdecl("QuillFuzz_main")
public func quillFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(UnsafeRawPointer(data), size)
    }
}

/// libFuzzer's entry point when the program has a `main` of its own (compiler-rt's FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// A site's settings as a fresh `quill new site` has them, in a zone with daylight saving time.
let parser: ContentParser = {
    var config = SiteConfig(title: "Fuzz")
    config.baseURL = "https://example.org/"
    config.timeZone = TimeZone(identifier: "Europe/Berlin")!
    return ContentParser(config: config)
}()

/// The languages mode 4 highlights in (sixteen: 0xF0 … 0xFF).
let highlightedLanguages = ["python", "rust", "bash", "javascript", "yaml", "html", "c++", "sql", "ruby", "swift",
                            "json", "go", "markdown", "diff", "perl", "php"]

/// Highlighted HTML's text: tags removed, the four entities it writes decoded.
func visibleText(_ html: String) -> String {
    var out = [UInt8]()
    var bytes = html.utf8[...]
    while let byte = bytes.first {
        if byte == UInt8(ascii: "<") {
            bytes = bytes.drop { $0 != UInt8(ascii: ">") }.dropFirst()
            continue
        }
        if byte == UInt8(ascii: "&"),
           let (entity, character) = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\"")]
               .first(where: { bytes.starts(with: $0.0.utf8) }) {
            out.append(contentsOf: character.utf8)
            bytes = bytes.dropFirst(entity.utf8.count)
            continue
        }
        out.append(byte)
        bytes = bytes.dropFirst()
    }
    return String(decoding: out, as: UTF8.self)
}
