import Foundation
import QuillCore
import QuillMarkdown

/// A failed build as the browser overlay shows it: each error's place, message and hint, the source lines around
/// it, and the overlay's markup (every piece of text HTML-escaped).
struct BuildErrorReport: Sendable, Equatable, Codable {
    /// One error.
    struct Entry: Sendable, Equatable, Codable {
        /// `file:line:col`.
        var location: String
        var file: String
        var line: Int?
        var column: Int?
        var message: String
        var hint: String?
        /// The lines around `line`.
        var excerpt: [SourceLine]
    }

    /// A numbered line of a source file; `marked` for the line the error is on.
    struct SourceLine: Sendable, Equatable, Codable {
        var number: Int
        var text: String
        var marked: Bool
    }

    var errors: [Entry]
    /// The overlay's inner markup.
    var html: String

    /// How many lines to show before and after the error's line.
    static let context = 2

    /// The report of `failure`, reading source lines from the site folder `site`.
    init(_ failure: BuildFailure, site: URL) {
        var files: [String: [Substring]] = [:]
        errors = failure.diagnostics.filter { $0.severity == .error }.map { diagnostic in
            let location = diagnostic.location
            var excerpt: [SourceLine] = []
            if let line = location.line {
                if files[location.file] == nil { files[location.file] = Self.lines(of: location.file, in: site) }
                let lines = files[location.file] ?? []
                let range = max(1, line - Self.context)...max(1, line + Self.context)
                excerpt = range.filter { $0 <= lines.count }.map {
                    SourceLine(number: $0, text: String(lines[$0 - 1].prefix(300)), marked: $0 == line)
                }
            }
            return Entry(location: location.description, file: location.file, line: location.line,
                         column: location.column, message: diagnostic.message, hint: diagnostic.hint, excerpt: excerpt)
        }
        html = Self.markup(errors)
    }

    /// A source file's lines, if it is inside the site folder and readable.
    private static func lines(of file: String, in site: URL) -> [Substring] {
        let root = site.standardizedFileURL.path
        let path = file.hasPrefix("/") ? file : root + "/" + file
        guard let resolved = OutputFolder.realPath(path), let realRoot = OutputFolder.realPath(root),
              resolved.hasPrefix(realRoot + "/"),
              let data = FileManager.default.contents(atPath: resolved) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    private static func markup(_ errors: [Entry]) -> String {
        let count = errors.count
        var html = "<div class=\"quill-overlay\" role=\"alert\"><header><strong>Build failed with \(count) "
            + "error\(count == 1 ? "" : "s")</strong><span>still showing the last good site; "
            + "fix and save to go on</span></header>"
        for error in errors {
            html += "<section><p class=\"location\">\(HTMLEscaping.escape(error.location))</p>"
            html += "<p class=\"message\">\(HTMLEscaping.escape(error.message))</p>"
            if let hint = error.hint { html += "<p class=\"hint\">hint: \(HTMLEscaping.escape(hint))</p>" }
            if !error.excerpt.isEmpty {
                let width = String(error.excerpt.last!.number).count
                html += "<pre>"
                for line in error.excerpt {
                    let number = String(repeating: " ", count: width - String(line.number).count) + String(line.number)
                    let text = "\(number) | \(line.text)"
                    html += line.marked ? "<mark>\(HTMLEscaping.escape(text))</mark>\n" : "\(HTMLEscaping.escape(text))\n"
                    if line.marked, let column = error.column {
                        html += "<span class=\"caret\">\(String(repeating: " ", count: width + 2 + column))^</span>\n"
                    }
                }
                html += "</pre>"
            }
            html += "</section>"
        }
        return html + "</div>"
    }
}
