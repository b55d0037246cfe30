import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a site's `site.toml` outside a build (`quill new post`), and the text of source files. During a build,
/// files are read through `SiteInputs` so that the graph records each read.
public struct SiteLoader: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Reads `site.toml` alone.
    /// The site that `folder` is in: the nearest folder up from it (itself included) that holds a site.toml, the
    /// way git finds a repository from any folder inside it. Nil when there is none up to the root.
    public static func findSite(from folder: URL) -> URL? {
        var current = folder.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(ConfigParser.file).path) {
                return current
            }
            let parent = current.deletingLastPathComponent().standardizedFileURL
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    public func loadConfig() throws(BuildFailure) -> SiteConfig {
        let (config, _, diagnostics) = try readConfig()
        if let config { return config }
        throw BuildFailure(diagnostics)
    }

    private func readConfig() throws(BuildFailure) -> (SiteConfig?, text: String, [Diagnostic]) {
        let configURL = root.appendingPathComponent(ConfigParser.file)
        guard let configData = FileManager.default.contents(atPath: configURL.path) else {
            throw BuildFailure([Diagnostic(
                SourceLocation(file: root.path + "/site.toml"), "no site.toml here",
                hint: "run quill in a site folder, pass --source DIR, or create a site with `quill new site DIR`")])
        }
        let configText: String
        switch Self.decodeUTF8(configData, path: ConfigParser.file) {
        case .success(let text): configText = text
        case .failure(let d): throw BuildFailure([d])
        }
        let (config, diagnostics) = ConfigParser.parse(configText)
        return (config, configText, diagnostics)
    }

    /// What reading a source file gave.
    enum FileRead: Sendable {
        case bytes(Data)
        /// Gone since the site was walked.
        case missing
        /// There, but not readable: the system's reason (`Permission denied`).
        case unreadable(String)
    }

    /// Reads the regular file at `path`. Something else found there instead (a FIFO put in the file's place since
    /// the walk) is unreadable, not waited on: the file is opened without blocking and checked before any read.
    static func read(_ path: String) -> FileRead {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else { return .unreadable(String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .unreadable("not a regular file") }
        var data = Data(count: Int(st.st_size) + 1)  // one byte more, to notice a file that grew since its stat
        var filled = 0
        while true {
            if filled == data.count { data.count *= 2 }
            let n = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(String(cString: strerror(errno)))
            }
            filled += n
        }
        data.count = filled
        return .bytes(data)
    }

    static func templateName(_ path: String, under folder: String) -> String {
        var name = String(path.dropFirst(folder.count + 1))
        if name.hasSuffix(".mustache") { name = String(name.dropLast(".mustache".count)) }
        return name
    }

    /// The text of `data`, a leading byte-order mark dropped; or an error at the first byte that is not UTF-8.
    /// `text` with Windows (CRLF) and old Mac (CR) line endings made `\n`: line numbers stay the same.
    static func unixLineEndings(_ text: String) -> String {
        var text = text
        let hasCR = text.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, 0x0D, $0.count) != nil }
        guard hasCR else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == 0x0A && afterCR {  // the LF of a CRLF: its CR already became one
                afterCR = false
                continue
            }
            afterCR = byte == 0x0D
            out.append(afterCR ? 0x0A : byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeUTF8(_ data: Data, path: String) -> Result<String, Diagnostic> {
        if let text = String(validating: data, as: UTF8.self) {
            return .success(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        }
        var line = 1, column = 1
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1 && encoded.first == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                break loop
            case .emptyInput:
                break loop
            }
        }
        let byte = offset < data.count ? String(format: "0x%02X", data[data.startIndex + offset]) : "?"
        return .failure(Diagnostic(
            SourceLocation(file: path, line: line, column: column),
            "file is not valid UTF-8 (byte \(byte) at offset \(offset))",
            hint: "save the file as UTF-8 in your editor, or convert it with `iconv -f latin1 -t utf-8`"))
    }
}
