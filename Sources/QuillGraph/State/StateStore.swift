import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `.quill/state` in the site folder: the build graph's memory. A full state is written atomically (temporary file
/// and rename); a build that changed little appends its delta to `.quill/state.journal` instead, and the journal is
/// folded into a new full state once it reaches half the state's size. A missing, old or damaged state means a full
/// build, with a one-line notice; a torn journal entry means the entries before it count; never a wrong build.
public struct StateStore: Sendable {
    public let url: URL
    public let engine: Fingerprint
    /// Which nodes are inputs (their fingerprints are kept in the quick section too).
    let isInput: @Sendable (NodeKey) -> Bool

    public init(url: URL, engine: Fingerprint, isInput: @escaping @Sendable (NodeKey) -> Bool = { _ in false }) {
        self.url = url
        self.engine = engine
        self.isInput = isInput
    }

    public var journalPath: String { url.path + ".journal" }

    /// The seconds of the last write to the state or its journal, for the racy-file rule.
    public var writtenAt: Int64? {
        [url.path, journalPath].compactMap { path -> Int64? in
            var info = stat()
            return stat(path, &info) == 0 ? Int64(info.st_mtim.tv_sec) : nil
        }.max()
    }

    /// A state or journal that could not be written: the path and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason = String(cString: strerror(errno))
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// The previous state, or an empty one and the reason it could not be used.
    public func load() -> (GraphState, notice: String?) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return (GraphState(engine: engine), nil) }
        do {
            var state = try GraphState(decoding: data, engine: engine)
            let quickLength = GraphState.quickLength(ofPrefix: data) ?? 0
            return try withJournal(&state, .all, baseSize: data.count, quickLength: quickLength)
        } catch {
            return (GraphState(engine: engine), "note: \(error); building everything")
        }
    }

    /// Only the quick part of the previous state (see `GraphState.init(decoding:engine:quick:)`), if usable.
    public func loadQuick() -> GraphState? {
        guard let file = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? file.close() }
        guard let prefix = try? file.read(upToCount: GraphState.magic.count + 8),
              let length = GraphState.quickLength(ofPrefix: prefix), length < 1 << 31,
              let rest = try? file.read(upToCount: length - prefix.count),
              var state = try? GraphState(decoding: prefix + rest, engine: engine, quick: true),
              let baseSize = try? file.seekToEnd()
        else { return nil }
        return try? withJournal(&state, .quick, baseSize: Int(baseSize), quickLength: length).0
    }

    /// The whole previous state, given its quick part read by `loadQuick()`: reads the rest only. With
    /// `checkSealElsewhere`, the graph section's seal is not checked here: its bytes are handed over first, for the
    /// caller to check `GraphState.sealIsIntact` on another core while this one decodes (and to drop the state
    /// when the check fails). Not called when the state is read and checked in full instead.
    public func load(continuing quick: GraphState, checkSealElsewhere: ((Data) -> Void)? = nil)
        -> (GraphState, notice: String?)
    {
        guard let stored = quick.stored, let rest = Self.map(url.path, from: stored.quickLength),
              rest.count == stored.baseSize - stored.quickLength else { return load() }
        checkSealElsewhere?(rest)
        do {
            var state = quick
            try state.decodeGraphSection(rest, checkingSeal: checkSealElsewhere == nil)
            return try withJournal(&state, .graph, baseSize: stored.baseSize, quickLength: stored.quickLength)
        } catch {
            return (GraphState(engine: engine), "note: \(error); building everything")
        }
    }

    /// The bytes of a file from `offset` on, mapped rather than read: the state's pages are in the page cache
    /// after the last build, and mapping them (populated in one call) is cheaper than copying tens of megabytes.
    static func map(_ path: String, from offset: Int) -> Data? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) > offset else { return nil }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else {
            return nil
        }
        return Data(bytesNoCopy: base + offset, count: size - offset, deallocator: .custom { _, _ in
            munmap(base, size)
        })
    }

    private func withJournal(_ state: inout GraphState, _ part: GraphJournal.Part, baseSize: Int,
                             quickLength: Int) throws -> (GraphState, notice: String?) {
        var journalLength = 0
        if let journal = FileManager.default.contents(atPath: journalPath) {
            do {
                journalLength = try GraphJournal.apply(journal, to: &state, part)
            } catch {
                throw GraphState.LoadProblem.corrupt
            }
        }
        state.stored = .init(baseSize: baseSize, quickLength: quickLength, journalLength: journalLength)
        return (state, nil)
    }

    /// Writes `state` in full, under a new generation, and drops the journal.
    public func save(_ state: GraphState) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let start = ContinuousClock.now
        var state = state
        state.generation = Fingerprint(high: .random(in: 1...UInt64.max), low: .random(in: 0...UInt64.max))
        let parts = state.encodedParts(isInput: isInput)
        Trace.mark("state encoded (\(parts.reduce(0) { $0 + $1.count }) bytes)", start)
        try Self.write(parts, to: url.path)
        unlink(journalPath)
        Trace.mark("state written", start)
    }

    /// How long the journal of a state of `baseSize` bytes may grow before it is folded into a full state.
    public static func journalLimit(baseSize: Int) -> Int { max(baseSize / 2, 1 << 18) }

    /// Appends `delta` to the journal of `previous` (as loaded); false when the journal is due to be folded into
    /// a full state, which the caller then saves.
    public func append(_ delta: GraphState.Delta, to previous: GraphState) throws -> Bool {
        guard let stored = previous.stored else { return false }
        let entry = GraphJournal.entry(delta)
        guard stored.journalLength + entry.count <= Self.journalLimit(baseSize: stored.baseSize) else { return false }
        let start = ContinuousClock.now
        let fd = open(journalPath, O_WRONLY | O_CREAT, 0o644)
        guard fd >= 0 else { throw WriteError(path: journalPath) }
        defer { close(fd) }
        var bytes = entry
        var offset = stored.journalLength
        if offset < GraphJournal.headerLength {
            bytes = GraphJournal.header(generation: previous.generation) + entry
            offset = 0
        }
        // Whatever followed the last sound entry (a torn write) is cut off first.
        guard ftruncate(fd, off_t(offset)) == 0 else { throw WriteError(path: journalPath) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, $0.count - written,
                                                   off_t(offset + written)) }
            guard n > 0 else { throw WriteError(path: journalPath) }
            written += n
        }
        Trace.mark("journal entry appended (\(entry.count) bytes)", start)
        return true
    }

    /// Writes `parts` one after another as the file at `path`, through a temporary file renamed over it: a reader
    /// (or a build killed meanwhile) sees the old state or the new one, never half of one.
    private static func write(_ parts: [[UInt8]], to path: String) throws {
        let temporary = path + ".quill-tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: temporary) }
        for part in parts {
            var written = 0
            while written < part.count {
                let n = part.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
                guard n > 0 else {
                    let error = WriteError(path: path)
                    close(fd)
                    unlink(temporary)
                    throw error
                }
                written += n
            }
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            let error = WriteError(path: path)
            unlink(temporary)
            throw error
        }
    }
}
