import Foundation
import QuillGraph

/// What a build says about the URLs it stops producing, and the record of URLs it leaves (see `URLRecord`):
/// `moved: /old/ → /new/` for a post or page at a new URL (its old one redirects), `renamed:` for a file found again
/// by its id or title and date, `gone: /old/ (file)` for one no longer published. With `BuildOptions.strictURLs`, a
/// move that cannot redirect and a removal are errors, and nothing is written.
struct URLStability {
    /// The record this build leaves (its file's bytes, made once), when it keeps one.
    var record: Record?

    struct Record {
        var bytes: Data
        var entries: Int
    }
    var notices: [String] = []

    /// Lines of one kind shown before the rest are counted.
    static let shown = 20

    /// Nothing to say, no record to leave.
    init() {}

    init(_ changes: URLChanges, outputs: OutputList, options: BuildOptions) throws(BuildFailure) {
        if !changes.diagnostics.isEmpty { throw BuildFailure(changes.diagnostics) }
        let byPath = Dictionary(outputs.entries.map { ($0.path, $0.name) }, uniquingKeysWith: { a, _ in a })
        var errors = [Diagnostic]()
        var moved = [String]()
        for rename in changes.renames {
            notices.append("renamed: \(rename.from) → \(rename.to) (the same post: \(rename.because))")
        }
        for move in changes.moves {
            let there = byPath[move.from.outputPath.value]
            if let there, there.hasSuffix(":" + move.source), there.hasPrefix("moved:") || there.hasPrefix("alias:") {
                moved.append("moved: \(move.from) → \(move.to)")
                continue
            }
            let owner = there.flatMap(OutputID.init).map(Self.origin) ?? "another page"
            moved.append("moved: \(move.from) → \(move.to) (no redirect: \(owner) is at \(move.from) now)")
            if options.strictURLs {
                errors.append(Diagnostic(
                    SourceLocation(file: move.source),
                    "moved from \(move.from) to \(move.to), and \(move.from) cannot redirect: \(owner) is there now",
                    hint: "give one of them another `slug`; or, if this is meant, build once without --strict-urls "
                        + "to record it"))
            }
        }
        notices += Self.capped(moved, "moved")
        var gone = [String]()
        for entry in changes.gone where byPath[entry.url.outputPath.value] == nil {
            gone.append("gone: \(entry.url) (\(entry.source))")
            if options.strictURLs {
                errors.append(Diagnostic(
                    SourceLocation(file: entry.source),
                    "was published at \(entry.url) and is no longer (deleted, a draft again, or dated in the future)",
                    hint: "restore it; or send its readers on with `aliases: [\(entry.url)]` in the post that "
                        + "replaces it; or, if this is meant, build once without --strict-urls to record it"))
            }
        }
        notices += Self.capped(gone, "gone")
        if !errors.isEmpty { throw BuildFailure(errors) }
        guard options.recordsURLs, !options.includeDrafts, !options.includeFuture,
              !changes.record.entries.isEmpty else { return }
        record = Record(bytes: Data(changes.record.text.utf8), entries: changes.record.entries.count)
    }

    /// The first lines, then a count of the rest.
    private static func capped(_ lines: [String], _ kind: String) -> [String] {
        guard lines.count > shown else { return lines }
        return Array(lines.prefix(shown)) + ["… and \(lines.count - shown) more \(kind) (all in \(URLRecord.file))"]
    }

    /// Who writes an output, in words.
    private static func origin(_ id: OutputID) -> String {
        switch id {
        case .post(let source), .page(let source), .alias(_, _, let source), .moved(_, _, let source): return source
        case .staticFile(let path): return "the static file \(path)"
        case .bundleFile(let path): return path
        default: return "a page of the site"
        }
    }

    /// A note for the build state naming the record a build leaves. The next build finds the record changed (it
    /// read the one before), but a build from a record it wrote itself makes the same site (the record only
    /// carries forward what that build decided), so a site where nothing else changed need not be built again.
    static func recordNote(_ record: Record) -> String {
        "urls\t" + record.bytes.withUnsafeBytes { Fingerprint.of($0) }.description
    }

    /// The fingerprint of the record the last build left, from its notes.
    static func recordLeft(by notes: [String]) -> Fingerprint? {
        guard let note = notes.last(where: { $0.hasPrefix("urls\t") }) else { return nil }
        let hex = note.dropFirst(5)
        guard hex.count == 32, let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16)
        else { return nil }
        return Fingerprint(high: high, low: low)
    }

    /// Writes the record into the site folder when it changed; a note the first time, a warning if it cannot.
    static func save(_ record: Record, in site: URL, report: inout BuildReport) {
        let path = site.appendingPathComponent(URLRecord.file).path
        let old = FileManager.default.contents(atPath: path)
        guard old != record.bytes else { return }
        do {
            try AtomicFile.write(record.bytes, to: path)
            if old == nil {
                report.notices.append("note: \(URLRecord.file) now records the URLs of the site's \(record.entries) "
                    + "posts and pages; commit it, so that a post that moves keeps its old URL and feed id")
            }
        } catch {
            report.warnings.append(Diagnostic(
                SourceLocation(file: URLRecord.file), "the record of published URLs could not be saved: \(error)",
                hint: "the site is complete; the next build tries again", severity: .warning))
        }
    }
}
