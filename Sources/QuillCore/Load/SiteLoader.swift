import Foundation

/// Reads a site folder: `site.toml`, `content/`, `templates/`, `static/` and the theme. The only code that reads
/// the disk for a build.
public struct SiteLoader: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Reads `site.toml` alone.
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

    /// Loads every source. Throws when there is no usable `site.toml`; returns the problems of other files
    /// (unreadable or not UTF-8, a missing theme) with the warnings, so that a build reports them with the rest.
    public func load() throws(BuildFailure) -> (SiteSources, problems: [Diagnostic]) {
        var bag = DiagnosticBag()
        let (parsedConfig, configText, configDiagnostics) = try readConfig()
        bag.add(contentsOf: configDiagnostics)
        try bag.throwIfErrors()
        guard let config = parsedConfig else { throw BuildFailure(configDiagnostics) }

        let content = readTextFiles(under: "content", extensions: ["md", "markdown"], into: &bag)
        let posts = content.filter { $0.path.hasPrefix("content/posts/") }
        let pages = content.filter { !$0.path.hasPrefix("content/posts/") }

        var templates = [String: SourceFile]()
        var staticFiles = [OutputPath: StaticFile]()
        let themeDir = "themes/\(config.theme)"
        if isDirectory(themeDir) {
            for file in readTextFiles(under: themeDir + "/templates", extensions: ["mustache"], into: &bag) {
                templates[Self.templateName(file.path, under: themeDir + "/templates")] = file
            }
            for (path, file) in readStaticFiles(under: themeDir + "/static") { staticFiles[path] = file }
        } else if config.theme == EmbeddedTheme.name {
            for (path, text) in EmbeddedTheme.files {
                let origin = "(built-in theme)/\(path)"
                if path.hasPrefix("templates/") {
                    templates[Self.templateName(path, under: "templates")] = SourceFile(path: origin, text: text)
                } else if path.hasPrefix("static/") {
                    staticFiles[OutputPath(String(path.dropFirst("static/".count)))] =
                        StaticFile(source: origin, bytes: Data(text.utf8))
                }
            }
        } else {
            let line = FrontMatter.tomlKeyLines(configText, firstLine: 1)["theme"]
            bag.add(Diagnostic(
                SourceLocation(file: ConfigParser.file, line: line, column: 1), "theme \"\(config.theme)\" not found",
                hint: "create \(themeDir)/templates/, or set `theme = \"default\"` for the built-in theme"))
        }
        for file in readTextFiles(under: "templates", extensions: ["mustache"], into: &bag) {
            templates[Self.templateName(file.path, under: "templates")] = file
        }
        for (path, file) in readStaticFiles(under: "static") { staticFiles[path] = file }
        let sources = SiteSources(
            config: config, posts: posts, pages: pages, templates: templates, staticFiles: staticFiles)
        return (sources, bag.items)
    }

    static func templateName(_ path: String, under folder: String) -> String {
        var name = String(path.dropFirst(folder.count + 1))
        if name.hasSuffix(".mustache") { name = String(name.dropLast(".mustache".count)) }
        return name
    }

    private func isDirectory(_ relative: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isDir)
            && isDir.boolValue
    }

    /// Site-relative paths of the regular files under `folder`, sorted, hidden files left out.
    private func files(under folder: String) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard isDirectory(folder),
              let walker = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var paths = [String]()
        let prefix = base.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(prefix) else { continue }
            paths.append(folder + "/" + full.dropFirst(prefix.count))
        }
        return paths.sorted()
    }

    private func readTextFiles(under folder: String, extensions: Set<String>, into bag: inout DiagnosticBag)
        -> [SourceFile]
    {
        files(under: folder).compactMap { path in
            guard let ext = path.split(separator: ".").last, extensions.contains(ext.lowercased()) else { return nil }
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                bag.add(Diagnostic(SourceLocation(file: path), "cannot read this file", hint: "check its permissions"))
                return nil
            }
            switch Self.decodeUTF8(data, path: path) {
            case .success(let text): return SourceFile(path: path, text: text)
            case .failure(let diagnostic):
                bag.add(diagnostic)
                return nil
            }
        }
    }

    private func readStaticFiles(under folder: String) -> [(OutputPath, StaticFile)] {
        files(under: folder).compactMap { path in
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                return nil
            }
            return (OutputPath(String(path.dropFirst(folder.count + 1))), StaticFile(source: path, bytes: data))
        }
    }

    /// The text of `data`, a leading byte-order mark dropped; or an error at the first byte that is not UTF-8.
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
            SourceLocation(file: path, line: line, column: column), "file is not valid UTF-8 (byte \(byte))",
            hint: "save the file as UTF-8 in your editor, or convert it with `iconv -f latin1 -t utf-8`"))
    }
}
