import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Publishes a build in one step: the new site is made in a second folder beside the output folder, which then
/// trades places with it in a single `renameat2(RENAME_EXCHANGE)`. A build that fails, is killed or runs out of
/// disk leaves the output folder exactly as the last good build left it.
///
/// The second folder (`.public.quill` beside `public/`) keeps the site one build back, its unchanged files hard
/// links to the same inodes as the live ones. A build therefore writes only what changed into it, plus what the
/// previous build changed (the *pending* paths, kept in `.quill/publish`), links the rest, and swaps:
///
/// ```
///   live  public/            v5            ┐ swap   v6  (new and changed files, the rest the same inodes)
///   spare .public.quill/     v4 → v6 staged ┘        v5
/// ```
///
/// Pending paths are written down before the spare folder is touched, so whatever moment a build is killed at,
/// the next one knows every file in which the two folders may differ. Without a usable record (the first build
/// that writes after a cold one, a lost `.quill/`), the spare folder is made afresh from the output list.
struct Publisher: Sendable {
    /// The output folder.
    let live: URL
    /// Its twin beside it.
    let spare: URL
    /// The record of pending paths.
    let record: URL

    /// The pending paths as recorded when the build began (read once; see `readPending`).
    let recorded: Set<String>?

    init(live: URL, stateFolder: URL) {
        self.live = live.standardizedFileURL
        spare = Self.spareFolder(of: self.live)
        record = stateFolder.appendingPathComponent("publish")
        recorded = Self.readPending(record: record, live: self.live, spare: spare)
    }

    private static let header = "quill publish 1"

    /// The spare folder of output folder `live`: `.public.quill` beside `public/`.
    static func spareFolder(of live: URL) -> URL {
        let live = live.standardizedFileURL
        return live.deletingLastPathComponent().appendingPathComponent("." + live.lastPathComponent + ".quill")
    }

    /// The temporary file an output is written to in the spare folder before it is renamed into place.
    static func temporary(_ path: String) -> String { path + ".quill-tmp" }

    /// The paths in which the two folders may differ, or nil when the spare folder cannot be trusted (missing,
    /// made for another output folder, or no record).
    private static func readPending(record: URL, live: URL, spare: URL) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: record.path),
              FileManager.default.fileExists(atPath: spare.path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines[0] == Self.header, lines[1] == live.path, lines[2] == spare.path,
              lines.last == "end" else { return nil }
        return Set(lines[3..<(lines.count - 1)].map(String.init))
    }

    /// Writes down `paths` as those in which the two folders may differ (atomically: the old record or the new).
    func savePending(_ paths: Set<String>) throws {
        let text = ([Self.header, live.path, spare.path] + paths.sorted() + ["end"]).joined(separator: "\n")
        try FileManager.default.createDirectory(at: record.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(text.utf8), to: record.path)
    }

    /// Marks the spare folder as not to be trusted.
    func forgetSpare() {
        unlink(record.path)
    }

    /// Removes the spare folder and its record.
    func removeSpare() {
        forgetSpare()
        try? FileManager.default.removeItem(at: spare)
    }

    /// An empty spare folder, opened; nil when it cannot be made beside the output folder.
    func freshSpare() -> Int32? {
        removeSpare()
        try? FileManager.default.createDirectory(at: live.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard mkdir(spare.path, 0o755) == 0 else { return nil }
        let fd = open(spare.path, O_RDONLY | O_DIRECTORY)
        return fd >= 0 ? fd : nil
    }

    /// Makes the spare folder the output folder: trades their places, or renames it when there is no output
    /// folder yet. Throws when the system cannot.
    func swap() throws {
        if access(live.path, F_OK) != 0 {
            guard rename(spare.path, live.path) == 0 else { throw AtomicFile.WriteError(path: live.path) }
            return
        }
        guard Self.exchange(spare.path, live.path) else { throw AtomicFile.WriteError(path: live.path) }
    }

    /// Whether `renameat2(RENAME_EXCHANGE)` works for folders beside `live` (it needs Linux 3.15 and a file system
    /// that has it: ext4, xfs, btrfs, tmpfs do).
    static let exchangeFunction: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32)
        -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>,
                                                          UInt32) -> Int32).self)
    }()

    /// Trades the names of `a` and `b` in one step.
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let exchange = exchangeFunction else {
            errno = ENOSYS
            return false
        }
        return exchange(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0
    }

    /// Whether this output folder can be published by swapping: the system has `renameat2`, and the folder's
    /// parent can hold the spare folder (same file system, writable). Tried with two empty folders, unless a record
    /// shows an earlier build swapped here.
    func canSwap() -> Bool {
        guard Self.exchangeFunction != nil else { return false }
        if recorded != nil { return true }
        let parent = live.deletingLastPathComponent().path
        let a = parent + "/.quill-swap-test-a-\(getpid())", b = parent + "/.quill-swap-test-b-\(getpid())"
        guard mkdir(a, 0o700) == 0 else { return false }
        defer { rmdir(a) }
        guard mkdir(b, 0o700) == 0 else { return false }
        defer { rmdir(b) }
        return Self.exchange(a, b)
    }

    /// Puts `names` (files and folders at the top of the output folder that no build made, see
    /// `OutputMark.handPlaced`) into the spare folder before the swap, so that they stay: as hard links to the same
    /// files (folders made anew, their contents linked), so that the output folder keeps them too until the swap,
    /// and a build killed in between leaves them where they were. Where a link cannot be made (a file system
    /// without them, a file another user owns), the item is moved instead; such names are written down first
    /// (`.quill/carried`), and the next build moves them back (`restoreCarried`) before it touches that folder.
    func carryOver(_ names: [String], spareFolder: Int32) throws {
        guard !names.isEmpty else { return }
        let liveFolder = open(live.path, O_RDONLY | O_DIRECTORY)
        guard liveFolder >= 0 else { throw AtomicFile.WriteError(path: live.path) }
        defer { close(liveFolder) }
        var moved = [String]()
        for name in names {
            var info = stat()
            if fstatat(spareFolder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {  // an older copy: the live one wins
                try? FileManager.default.removeItem(atPath: spare.path + "/" + name)
            }
            if !Self.linkTree(liveFolder, name, spareFolder) {
                try? FileManager.default.removeItem(atPath: spare.path + "/" + name)
                moved.append(name)
            }
        }
        guard !moved.isEmpty else { return }
        try FileManager.default.createDirectory(at: carried.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(([Self.carriedHeader, live.path] + moved + ["end"]).joined(separator: "\n").utf8),
                             to: carried.path)
        for name in moved { renameat(liveFolder, name, spareFolder, name) }
    }

    /// Makes `name` of folder `from` in folder `to` out of hard links: a file or symbolic link is linked, a folder
    /// made with the same permissions and filled likewise. False when any part cannot be.
    static func linkTree(_ from: Int32, _ name: String, _ to: Int32) -> Bool {
        var info = stat()
        guard fstatat(from, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        guard info.st_mode & S_IFMT == S_IFDIR else { return linkat(from, name, to, name, 0) == 0 }
        guard mkdirat(to, name, info.st_mode & 0o7777) == 0 else { return false }
        let source = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        guard source >= 0 else { return false }
        defer { close(source) }
        let target = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        guard target >= 0 else { return false }
        defer { close(target) }
        let duplicate = dup(source)
        guard duplicate >= 0, let listing = fdopendir(duplicate) else { return false }
        defer { closedir(listing) }
        while let entry = readdir(listing) {
            let child = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if child == "." || child == ".." { continue }
            guard linkTree(source, child, target) else { return false }
        }
        return true
    }

    /// Forgets the names carried over once the swap has put them in the output folder: their links in what is now
    /// the spare folder (the site one build back) go, and so does the record of those that were moved.
    func carriedOver(_ names: [String] = []) {
        for name in names { try? FileManager.default.removeItem(atPath: spare.path + "/" + name) }
        unlink(carried.path)
    }

    /// Moves back into the output folder what a killed build had carried into the spare folder and not swapped in.
    func restoreCarried() {
        guard let data = FileManager.default.contents(atPath: carried.path) else { return }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        if lines.count >= 3, lines[0] == Self.carriedHeader, lines[1] == live.path, lines.last == "end" {
            for name in lines[2..<(lines.count - 1)] where access(live.path + "/" + name, F_OK) != 0 {
                rename(spare.path + "/" + name, live.path + "/" + name)
            }
        }
        carriedOver()
    }

    private static let carriedHeader = "quill carried 1"
    private var carried: URL { record.deletingLastPathComponent().appendingPathComponent("carried") }
}
