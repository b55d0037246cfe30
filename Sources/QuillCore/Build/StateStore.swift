import Foundation

/// `.quill/state` in the site folder: the build graph's memory, written atomically. A missing, old or damaged state
/// means a full build, with a one-line notice; never a wrong one.
struct StateStore: Sendable {
    let url: URL
    let engine: Fingerprint

    init(site: URL, engine: Fingerprint) {
        self.init(url: site.appendingPathComponent(".quill/state"), engine: engine)
    }

    init(url: URL, engine: Fingerprint) {
        self.url = url
        self.engine = engine
    }

    /// The seconds of the state file's mtime, for the racy-file rule.
    var writtenAt: Int64? { FileSnapshot.stat(url.path)?.mtimeSeconds }

    /// The previous state, or an empty one and the reason it could not be used.
    func load() -> (GraphState, notice: String?) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return (GraphState(engine: engine), nil) }
        do {
            return (try GraphState(decoding: data, engine: engine), nil)
        } catch {
            return (GraphState(engine: engine), "note: \(error); building everything")
        }
    }

    /// Only the quick part of the previous state (see `GraphState.init(decoding:engine:quick:)`), if usable.
    func loadQuick() -> GraphState? {
        guard let file = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? file.close() }
        guard let prefix = try? file.read(upToCount: GraphState.magic.count + 8),
              let length = GraphState.quickLength(ofPrefix: prefix), length < 1 << 31,
              let rest = try? file.read(upToCount: length - prefix.count)
        else { return nil }
        return try? GraphState(decoding: prefix + rest, engine: engine, quick: true)
    }

    func save(_ state: GraphState) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let start = ContinuousClock.now
        let bytes = state.encoded(isInput: SiteInputs.isInputKind)
        SiteBuilder.trace("state encoded (\(bytes.count) bytes)", start)
        try AtomicFile.write(bytes, to: url.path)
        SiteBuilder.trace("state written", start)
    }
}
