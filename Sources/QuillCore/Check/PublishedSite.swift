import Foundation
import Synchronization

/// What checking a page's links needs to know about the site the page is on: which files were published and the
/// ids of a page. `quill check` has scanned every page already (`ScannedSite`). `quill serve` checks only the
/// pages a rebuild wrote, so it asks the output folder (`PublishedFolder`), one file at a time.
protocol PublishedSite: Sendable {
    /// Whether `file` (an output path: `2024/01/01/a/index.html`) was published.
    func contains(_ file: String) -> Bool
    /// The ids (and `<a name>`s) of a published HTML page.
    func ids(of page: String) -> Set<String>
    /// The URL path of every published file, for the hint of a link that names none.
    func urlPaths() -> [String]
}

/// A site whose files are all listed and whose pages are all scanned.
struct ScannedSite: PublishedSite {
    let files: Set<String>
    let pages: [String: LinkCheck.Page]

    func contains(_ file: String) -> Bool { files.contains(file) }

    func ids(of page: String) -> Set<String> { pages[page]?.ids ?? [] }

    func urlPaths() -> [String] { files.map { OutputPath($0).urlPath.value } }
}

/// A built site's output folder, asked lazily: a file's existence is one `stat`, a page's ids one read of that
/// page, and the folder is listed only when a broken link needs a hint. Answers are kept, so each is asked once.
final class PublishedFolder: PublishedSite {
    private struct Known {
        var exists: [String: Bool] = [:]
        var ids: [String: Set<String>] = [:]
        var urlPaths: [String]?
    }

    private let root: String
    private let known: Mutex<Known>

    /// The folder at `output`; `scanned` are pages read already, whose ids need no second read, and `files` its
    /// files when they are known, which saves listing the folder for a hint.
    init(_ output: URL, scanned: [String: LinkCheck.Page] = [:], files: Set<String>? = nil) {
        root = output.standardizedFileURL.path + "/"
        var known = Known()
        known.urlPaths = files?.map { OutputPath($0).urlPath.value }
        for (page, scan) in scanned {
            known.exists[page] = true
            known.ids[page] = scan.ids
        }
        self.known = Mutex(known)
    }

    func contains(_ file: String) -> Bool {
        if let answer = known.withLock({ $0.exists[file] }) { return answer }
        var info = stat()
        let answer = file != OutputMark.fileName && stat(root + file, &info) == 0
            && info.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG)
        known.withLock { $0.exists[file] = answer }
        return answer
    }

    func ids(of page: String) -> Set<String> {
        if let ids = known.withLock({ $0.ids[page] }) { return ids }
        let ids = FileManager.default.contents(atPath: root + page)
            .map { LinkCheck.scan(String(decoding: $0, as: UTF8.self)).ids } ?? []
        known.withLock { $0.ids[page] = ids }
        return ids
    }

    func urlPaths() -> [String] {
        if let paths = known.withLock({ $0.urlPaths }) { return paths }
        let paths = Self.files(in: URL(fileURLWithPath: root)).map { OutputPath($0).urlPath.value }
        known.withLock { $0.urlPaths = paths }
        return paths
    }

    /// Every regular file under `output` (output paths), without the mark a build leaves there.
    static func files(in output: URL) -> Set<String> {
        let output = output.standardizedFileURL
        var files = Set<String>()
        guard let walker = FileManager.default.enumerator(at: output, includingPropertiesForKeys: [.isRegularFileKey])
        else { return files }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(output.path.count + 1))
            if path != OutputMark.fileName { files.insert(path) }
        }
        return files
    }
}
