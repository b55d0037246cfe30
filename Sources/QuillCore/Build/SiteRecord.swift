import Foundation
import QuillGraph

/// What a site keeps in the build state beside the graph, in the state's envelope (see `GraphState.envelope`): the
/// stat data of the files it read and of the outputs it wrote, and what a build that changes nothing reports.
struct SiteRecord: Sendable {
    /// Stat data of an input file when it was last hashed.
    struct FileStamp: Sendable, Hashable {
        var size: UInt64
        var mtimeSeconds: Int64
        var mtimeNanoseconds: Int64
        var inode: UInt64
        var fingerprint: Fingerprint
    }

    /// A file in the output folder: the graph's id of the node that produced it, and its stat data after writing.
    struct OutputStamp: Sendable, Hashable {
        var key: Int32
        var fingerprint: Fingerprint
        var size: UInt64
        var mtimeSeconds: Int64
        var mtimeNanoseconds: Int64
    }

    var files: [String: FileStamp] = [:]
    var outputs: [String: OutputStamp] = [:]
    /// The report's counts (posts, pages, tags, feeds, HTML files, outputs), for a build that changes nothing.
    var counts: [Int] = []
    /// The drafts and scheduled posts the build left out (`BuildReport.Skipped.encoded`), likewise.
    var notes: [String] = []
    /// The folder `outputs` are in; output stamps of another folder say nothing about this one.
    var outputFolder = ""

    init() {}

    /// What one build changed: stamps set (nil: removed), and the counts, notes and folder now.
    struct Change: Sendable {
        var files: [String: FileStamp?] = [:]
        var outputs: [String: OutputStamp?] = [:]
        var counts: [Int] = []
        var notes: [String] = []
        var outputFolder = ""

        func encoded() -> [UInt8] { SiteRecord.encode(files, outputs, counts, notes, outputFolder) }

        func apply(to record: inout SiteRecord) {
            for (path, stamp) in files { record.files[path] = stamp }
            for (path, stamp) in outputs { record.outputs[path] = stamp }
            (record.counts, record.notes, record.outputFolder) = (counts, notes, outputFolder)
        }
    }

    /// The record a state holds: its envelope, with the changes of the journal's entries folded in.
    init(_ state: GraphState) throws {
        if !state.envelope.isEmpty {
            (files, outputs, counts, notes, outputFolder) = try Self.decode(state.envelope)
        }
        for bytes in state.envelopeChanges {
            let (files, outputs, counts, notes, folder): ([String: FileStamp?], [String: OutputStamp?], _, _, _)
                = try Self.decode(bytes)
            Change(files: files, outputs: outputs, counts: counts, notes: notes, outputFolder: folder).apply(to: &self)
        }
    }

    private static func decode<F: GraphValue, O: GraphValue>(_ bytes: [UInt8]) throws
        -> ([String: F], [String: O], [Int], [String], String)
    {
        try bytes.withUnsafeBytes { raw in
            var r = BinaryReader(raw)
            return (try read(&r), try read(&r), try [Int](from: &r), try [String](from: &r), try r.readString())
        }
    }

    /// The envelope's bytes.
    func encoded() -> [UInt8] { Self.encode(files, outputs, counts, notes, outputFolder) }

    /// The layout of the envelope and of each change to it: stamps by path (a change's may be nil), then the
    /// counts, notes and folder.
    private static func encode<F: GraphValue, O: GraphValue>(_ files: [String: F], _ outputs: [String: O],
                                                             _ counts: [Int], _ notes: [String],
                                                             _ outputFolder: String) -> [UInt8] {
        var w = BinaryWriter()
        write(files, to: &w)
        write(outputs, to: &w)
        counts.encode(to: &w)
        notes.encode(to: &w)
        w.write(outputFolder)
        return w.bytes
    }

    /// Whether every output stamp names a node of `state` (else the state is damaged).
    func namesNodes(of state: GraphState) -> Bool { outputs.values.allSatisfy { Int($0.key) < state.keys.count } }

    private static func write<T: GraphValue>(_ table: [String: T], to w: inout BinaryWriter) {
        w.write(UInt64(table.count))
        for (path, value) in table.sorted(by: { $0.key < $1.key }) {
            w.write(path)
            value.encode(to: &w)
        }
    }

    private static func read<T: GraphValue>(_ r: inout BinaryReader) throws -> [String: T] {
        let count = Int(try r.readVarint())
        var table = [String: T](minimumCapacity: min(count, 1 << 20))
        for _ in 0..<count {
            let path = try r.readString()
            table[path] = try T(from: &r)
        }
        return table
    }
}

extension SiteRecord.FileStamp: GraphValue {
    func encode(to w: inout BinaryWriter) {
        w.write(size)
        w.write(Int(mtimeSeconds))
        w.write(Int(mtimeNanoseconds))
        w.write(inode)
        w.write(fingerprint)
    }

    init(from r: inout BinaryReader) throws {
        self.init(size: try r.readVarint(), mtimeSeconds: Int64(try r.readInt()),
                  mtimeNanoseconds: Int64(try r.readInt()), inode: try r.readVarint(), fingerprint: try r.readFingerprint())
    }
}

extension SiteRecord.OutputStamp: GraphValue {
    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(key))
        w.write(fingerprint)
        w.write(size)
        w.write(Int(mtimeSeconds))
        w.write(Int(mtimeNanoseconds))
    }

    init(from r: inout BinaryReader) throws {
        self.init(key: Int32(try r.readVarint()), fingerprint: try r.readFingerprint(), size: try r.readVarint(),
                  mtimeSeconds: Int64(try r.readInt()), mtimeNanoseconds: Int64(try r.readInt()))
    }
}

/// A stored state as a site build reads it: the graph's part, and the site's record decoded from its envelope.
struct StoredBuild: Sendable {
    var graph: GraphState
    var site: SiteRecord

    /// An empty state, for a build from scratch.
    init(engine: Fingerprint) {
        graph = GraphState(engine: engine)
        site = SiteRecord()
    }

    init(graph: GraphState, site: SiteRecord) {
        (self.graph, self.site) = (graph, site)
    }

    /// The state `graph` (as loaded), its record decoded; nil when the envelope is damaged or does not fit it.
    init?(_ graph: GraphState, checkingNodes: Bool) {
        guard let site = try? SiteRecord(graph), !checkingNodes || site.namesNodes(of: graph) else { return nil }
        (self.graph, self.site) = (graph, site)
    }
}

extension StateStore {
    /// The state of the site at `site` (`.quill/state`).
    init(site: URL, engine: Fingerprint) {
        self.init(siteState: site.appendingPathComponent(".quill/state"), engine: engine)
    }

    /// A site's state store: `url` is the state file.
    init(siteState url: URL, engine: Fingerprint) {
        self.init(url: url, engine: engine, isInput: SiteInputs.isInputKind)
    }

    /// The whole previous state, its record decoded, or an empty one and the reason it could not be used.
    func loadBuild() -> (StoredBuild, notice: String?) {
        let (graph, notice) = load()
        if let notice { return (StoredBuild(engine: engine), notice) }
        guard let build = StoredBuild(graph, checkingNodes: true) else {
            return (StoredBuild(engine: engine), "note: \(GraphState.LoadProblem.corrupt); building everything")
        }
        return (build, nil)
    }
}
