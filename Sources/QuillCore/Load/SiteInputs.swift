import Foundation
import QuillGraph

/// The inputs of a site build, as the build graph sees them:
/// - `file <path>`: a source file's bytes (`Fingerprint.absent` when missing); built-in theme files are
///   `file (built-in theme)/<path>`;
/// - `listing <folder>`: the sorted paths of the files under a folder;
/// - `option <name>`: a build option (`drafts`, `future`, `baseURL`, `sourceDateEpoch`), or the version of the
///   syntax definitions (`highlighter`);
/// - `clock.before <seconds>`: whether the build's "now" is before that instant.
///
/// Files are hashed only when their stat data differs from the previous build's, or when they changed so close to
/// it that equal stat data proves nothing (the "racy" case), so correctness never rests on mtime resolution.
public final class SiteInputs: GraphInputs, @unchecked Sendable {
    public static let builtInPrefix = "(built-in theme)/"

    let root: URL
    /// `root`'s path and a slash: a file's path is this and its site-relative path (joined as strings, not through
    /// `URL`, which costs more per file than reading a small one).
    private let rootPrefix: String
    let snapshot: FileSnapshot
    let options: [String: String]
    let now: Date
    private let previous: [String: SiteRecord.FileStamp]
    private let racyAfterSeconds: Int64
    private let lock = NSLock()
    private var hashed: [String: (Fingerprint, Data?)] = [:]
    /// Files listed by the snapshot that could not be read, with the system's reason.
    private var unreadable: [String: String] = [:]

    init(root: URL, snapshot: FileSnapshot, options: [String: String], now: Date,
         previous: [String: SiteRecord.FileStamp], stateWrittenAt: Int64?) {
        self.root = root
        rootPrefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        self.snapshot = snapshot
        self.options = options
        self.now = now
        self.previous = previous
        // Files modified in the second the state was written (or later) are hashed again.
        self.racyAfterSeconds = (stateWrittenAt ?? Int64.min / 2) - 1
    }

    public func isInput(_ key: NodeKey) -> Bool { Self.isInputKind(key) }

    /// Asked for every node when a build opens its graph (a hundred thousand at 10,000 posts): a switch over the
    /// four names costs less than hashing each kind for a set.
    static func isInputKind(_ key: NodeKey) -> Bool {
        switch key.kind {
        case Input.File.kind, Input.Listing.kind, Input.Option.kind, Input.ClockBefore.kind: return true
        default: return false
        }
    }

    /// A source file's bytes are handed to the one node that reads them (the post or page parsed from it) and
    /// not held for the rest of the build, whose peak memory they would otherwise dominate at scale.
    public func keepsValueInMemory(_ key: NodeKey) -> Bool { key.kind != Input.File.kind }

    public func fingerprint(of key: NodeKey) throws -> Fingerprint {
        switch key.kind {
        case Input.File.kind: return fileFingerprint(key.id)
        case Input.Listing.kind, Input.Option.kind, Input.ClockBefore.kind:
            return Fingerprint.of(try value(of: key).encoded)
        default: preconditionFailure("not an input: \(key)")
        }
    }

    public func value(of key: NodeKey) throws -> any GraphValue {
        switch key.kind {
        case Input.File.kind: return try fileContents(key.id) ?? Data()
        case Input.Listing.kind:
            if key.id.hasPrefix(Self.builtInPrefix) {
                let folder = String(key.id.dropFirst(Self.builtInPrefix.count)) + "/"
                return EmbeddedTheme.files.keys.filter { $0.hasPrefix(folder) }.sorted().map { Self.builtInPrefix + $0 }
            }
            return snapshot.files(under: key.id)
        case Input.Option.kind: return options[key.id] ?? ""
        case Input.ClockBefore.kind: return now.timeIntervalSince1970 < (Double(key.id) ?? 0)
        default: preconditionFailure("not an input: \(key)")
        }
    }

    private func fileFingerprint(_ path: String) -> Fingerprint {
        if path.hasPrefix(Self.builtInPrefix) {
            guard let text = EmbeddedTheme.files[String(path.dropFirst(Self.builtInPrefix.count))] else { return .absent }
            return Fingerprint.of(Array(text.utf8))
        }
        guard let stat = snapshot.files[path] else { return .absent }
        if let stamp = previous[path], stamp.size == stat.size, stamp.mtimeSeconds == stat.mtimeSeconds,
           stamp.mtimeNanoseconds == stat.mtimeNanoseconds, stamp.inode == stat.inode,
           stat.mtimeSeconds < racyAfterSeconds {
            return stamp.fingerprint
        }
        return hash(path).0
    }

    @discardableResult
    private func hash(_ path: String) -> (Fingerprint, Data?) {
        lock.lock()
        if let done = hashed[path] {
            lock.unlock()
            return done
        }
        lock.unlock()
        var data: Data?, fingerprint = Fingerprint.absent, problem: String?
        switch SiteLoader.read(rootPrefix + path) {
        case .bytes(let bytes): (data, fingerprint) = (bytes, bytes.withUnsafeBytes { Fingerprint.of($0) })
        case .missing: break
        case .unreadable(let reason):  // not `absent`: the file is there
            (problem, fingerprint) = (reason, Fingerprint.of(Array("unreadable \(reason)".utf8)))
        }
        lock.lock()
        hashed[path] = (fingerprint, data)
        if let problem { unreadable[path] = problem }
        lock.unlock()
        return (fingerprint, data)
    }

    /// The bytes of a source file; nil when it is gone. A file that is there but cannot be read is an error
    /// naming it and the system's reason, never an empty file.
    ///
    /// The bytes read to fingerprint the file are handed to the first reader and dropped here; a later reader gets
    /// the file read again, and an error if it is no longer the file that was fingerprinted.
    private func fileContents(_ path: String) throws(BuildFailure) -> Data? {
        if path.hasPrefix(Self.builtInPrefix) {
            return EmbeddedTheme.files[String(path.dropFirst(Self.builtInPrefix.count))].map { Data($0.utf8) }
        }
        guard snapshot.files[path] != nil else { return nil }
        let (fingerprint, data) = hash(path)
        if let reason = lock.withLock({ unreadable[path] }) {
            throw BuildFailure([Diagnostic(
                SourceLocation(file: path), "cannot read the file: \(reason)",
                hint: "make it readable for the user running quill (`chmod a+r \(path)`), or move it out of the site")])
        }
        if let data {
            lock.withLock {
                if hashed[path]?.1 != nil { hashed[path] = (fingerprint, nil) }
            }
            return data
        }
        guard fingerprint != .absent else { return nil }  // gone since the snapshot
        if case .bytes(let bytes) = SiteLoader.read(rootPrefix + path),
           bytes.withUnsafeBytes({ Fingerprint.of($0) }) == fingerprint {
            return bytes
        }
        throw BuildFailure([Diagnostic(
            SourceLocation(file: path), "the file changed while the build was reading it",
            hint: "build again once it is saved")])
    }

    /// How the stamps of `previous` change for the next build: files whose stat data moved or that were hashed
    /// get new stamps, files gone lose theirs.
    func stampChanges(since previous: [String: SiteRecord.FileStamp]) -> [String: SiteRecord.FileStamp?] {
        lock.lock()
        var candidates = Set(hashed.keys)
        lock.unlock()
        for (path, stat) in snapshot.files {
            if let stamp = previous[path], stamp.size == stat.size, stamp.mtimeSeconds == stat.mtimeSeconds,
               stamp.mtimeNanoseconds == stat.mtimeNanoseconds, stamp.inode == stat.inode { continue }
            candidates.insert(path)
        }
        var changes = [String: SiteRecord.FileStamp?]()
        for path in candidates where !path.hasPrefix(Self.builtInPrefix) {
            guard let stat = snapshot.files[path] else { continue }
            let stamp = SiteRecord.FileStamp(size: stat.size, mtimeSeconds: stat.mtimeSeconds,
                                             mtimeNanoseconds: stat.mtimeNanoseconds, inode: stat.inode,
                                             fingerprint: fileFingerprint(path))
            if previous[path] != stamp { changes[path] = stamp }
        }
        for path in previous.keys where snapshot.files[path] == nil { changes[path] = .some(nil) }
        return changes
    }

    /// Stamps to keep for the next build: every file hashed or confirmed in this one.
    func stamps(for paths: [String]) -> [String: SiteRecord.FileStamp] {
        var stamps = [String: SiteRecord.FileStamp]()
        for path in paths where !path.hasPrefix(Self.builtInPrefix) {
            guard let stat = snapshot.files[path] else { continue }
            stamps[path] = .init(size: stat.size, mtimeSeconds: stat.mtimeSeconds,
                                 mtimeNanoseconds: stat.mtimeNanoseconds, inode: stat.inode,
                                 fingerprint: fileFingerprint(path))
        }
        return stamps
    }
}
