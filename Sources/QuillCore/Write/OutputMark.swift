import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The mark a build leaves at the top of its output folder, `.quill-output`: the names at that level which the
/// build produced. It travels with the folder (through swaps, other output folders, `--clean`, a lost `.quill/`),
/// and tells a later build:
/// - that the folder is Quill's, so building into it again is safe (a non-empty folder without a mark is refused,
///   see `SiteBuilder.checkOutputFolderIsQuills`);
/// - which names at the top are Quill's: any other (`CNAME`, `.git`) was put there by hand and is kept;
/// - which of Quill's names the new build no longer produces, and so removes.
///
/// ```
/// quill output 1
/// # made by `quill build`: each build replaces the names below and keeps every other name at this level
/// 404.html
/// 2010
/// ```
struct OutputMark: Equatable, Sendable {
    static let fileName = ".quill-output"
    private static let header = "quill output 1"
    private static let comment = "# made by `quill build`: each build replaces the names below and keeps every other name at this level"

    /// Sorted and distinct.
    let names: [String]

    /// The mark of a build whose outputs are `paths` (relative to the output folder).
    init(outputs paths: some Sequence<String>) {
        var seen = Set<Substring>()
        for path in paths { seen.insert(path[..<(path.utf8.firstIndex(of: UInt8(ascii: "/")) ?? path.endIndex)]) }
        names = seen.map(String.init).filter { $0 != Self.fileName }.sorted()
    }

    private init(names: [String]) {
        self.names = names
    }

    /// The first component of a relative path.
    static func topName(_ path: String) -> String {
        String(path[..<(path.firstIndex(of: "/") ?? path.endIndex)])
    }

    var data: Data {
        Data(([Self.header, Self.comment] + names).joined(separator: "\n").appending("\n").utf8)
    }

    /// The mark in `folder`, or nil when there is none or it is not one.
    static func read(in folder: String) -> OutputMark? {
        guard let bytes = FileManager.default.contents(atPath: folder + "/" + fileName) else { return nil }
        return parse(bytes)
    }

    /// The mark in the open folder `fd`.
    static func read(relativeTo fd: Int32) -> OutputMark? {
        let file = openat(fd, fileName, O_RDONLY)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var bytes = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return parse(bytes)
    }

    private static func parse(_ bytes: Data) -> OutputMark? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == Substring(header) else { return nil }
        return OutputMark(names: lines.dropFirst().filter { !$0.hasPrefix("#") }.map(String.init).sorted())
    }

    /// Writes the mark into the open folder `fd` unless it holds this one already (never through a hard link
    /// shared with the other folder of a publisher: a new file is renamed over it).
    func write(into fd: Int32) throws {
        if Self.read(relativeTo: fd) == self { return }
        try AtomicFile.write(data, to: Self.fileName, relativeTo: fd, temporary: Self.fileName + ".quill-tmp")
    }

    /// Whether `folder` is a build's output folder by its mark.
    static func isMarked(_ folder: String) -> Bool { read(in: folder) != nil }

    /// The names at the top of `folder` that no Quill build made: neither in `quill` (this build's names, the mark's,
    /// the last build's) nor the mark itself nor a build's temporary file. These were put there by hand.
    static func handPlaced(in folder: String, quill: Set<String>) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            !quill.contains(name) && name != fileName && !name.contains(".quill-tmp")
        }.sorted()
    }
}
