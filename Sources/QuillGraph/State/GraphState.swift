import Foundation

/// What the build graph remembers between builds: every node's fingerprint and recorded reads, the values of nodes
/// that keep them, the fingerprints of the inputs, and the caller's own data (its envelope: for a site, the stat
/// data of its files and outputs). Stored as one versioned binary file, closed by a fingerprint of its own bytes so
/// that a truncated or corrupt file is recognised and ignored.
public struct GraphState: Sendable {
    /// Bumped whenever the file format or the meaning of a node kind changes.
    public static let formatVersion: UInt64 = 15
    static let magic: [UInt8] = Array("QUILLSTATE".utf8)

    /// A read recorded while a node computed: the node read, and its fingerprint at the time.
    public struct Dep: Sendable, Hashable {
        public var key: Int32
        public var fingerprint: Fingerprint
    }

    /// A node as last built. The deps and values of a loaded state are slices of two shared buffers, so that
    /// loading a hundred thousand records makes two allocations, not two hundred thousand.
    public struct Record: Sendable {
        public var fingerprint: Fingerprint
        public var deps: ArraySlice<Dep>
        /// The value's bytes, for node kinds that keep their values.
        public var value: KeptBytes?
    }

    /// Why a node was (not) computed in the last build, for `quill explain`.
    public enum Reason: Sendable, Hashable {
        case new
        case changed(dependency: Int32)
        case valueNeeded
        case verified
    }

    /// Why each node was (not) computed in the last build, by node id. An array rather than a dictionary: a cold
    /// build gives every node a reason, and a dictionary of them took longer to fill, write and read back than the
    /// rest of the graph's bookkeeping (bench/README.md).
    public struct Reasons: Sendable, Equatable, Sequence {
        /// 0: none; 1: new; 2: changed (see `dependencies`); 3: value needed; 4: verified.
        private var kinds: [UInt8] = []
        private var dependencies: [Int32] = []
        public private(set) var count = 0

        public init() {}

        public subscript(id: Int32) -> Reason? {
            get {
                guard id >= 0, Int(id) < kinds.count else { return nil }
                switch kinds[Int(id)] {
                case 1: return .new
                case 2: return .changed(dependency: dependencies[Int(id)])
                case 3: return .valueNeeded
                case 4: return .verified
                default: return nil
                }
            }
            set {
                let i = Int(id)
                precondition(i >= 0, "a node id is never negative")
                if i >= kinds.count {
                    guard newValue != nil else { return }
                    kinds.append(contentsOf: repeatElement(0, count: i + 1 - kinds.count))
                    dependencies.append(contentsOf: repeatElement(0, count: i + 1 - dependencies.count))
                }
                count -= kinds[i] == 0 ? 0 : 1
                switch newValue {
                case nil: kinds[i] = 0
                case .new?: kinds[i] = 1
                case .changed(let dependency)?: (kinds[i], dependencies[i]) = (2, dependency)
                case .valueNeeded?: kinds[i] = 3
                case .verified?: kinds[i] = 4
                }
                count += newValue == nil ? 0 : 1
            }
        }

        public mutating func reserveCapacity(_ n: Int) {
            kinds.reserveCapacity(n)
            dependencies.reserveCapacity(n)
        }

        /// The reasons in id order.
        public struct Iterator: IteratorProtocol {
            let reasons: Reasons
            var id = 0

            public mutating func next() -> (id: Int32, reason: Reason)? {
                while id < reasons.kinds.count {
                    defer { id += 1 }
                    if let reason = reasons[Int32(id)] { return (Int32(id), reason) }
                }
                return nil
            }
        }

        public func makeIterator() -> Iterator { Iterator(reasons: self) }

        public static func == (a: Reasons, b: Reasons) -> Bool {
            a.count == b.count && a.elementsEqual(b) { $0.id == $1.id && $0.reason == $1.reason }
        }
    }

    /// The binary and settings the state was made by; a different one means a full build.
    public var engine: Fingerprint
    public var keys: [NodeKey] = []
    public var records: [Record?] = []
    public var reasons = Reasons()
    /// The caller's own data, kept in the quick section (read by a build that may have nothing to do); the graph
    /// never looks inside.
    public var envelope: [UInt8] = []
    /// Changes to `envelope` made by the journal's entries since it was written, oldest first: the caller folds
    /// them in (see `Delta.envelope`).
    public var envelopeChanges: [[UInt8]] = []
    /// The inputs' fingerprints, readable without decoding the graph: a build whose inputs all match them
    /// changes nothing.
    public var inputFingerprints: [NodeKey: Fingerprint] = [:]
    /// A random name given to each fully written state; journal entries name the state they extend.
    public var generation = Fingerprint.absent
    /// Where this state came from on disk, when it can be extended by a journal entry rather than rewritten.
    public var stored: Stored?

    /// A state file on disk and its journal (see `GraphState.Delta`).
    public struct Stored: Sendable, Equatable {
        /// Size of the fully written state file.
        public var baseSize: Int
        /// Bytes at the start of the state file that hold its quick part.
        public var quickLength: Int
        /// Bytes of the journal that hold whole, sealed entries (0: no journal).
        public var journalLength: Int
    }

    public init(engine: Fingerprint) {
        self.engine = engine
    }

    // MARK: Reading and writing

    /// The state's bytes; `isInput` tells which nodes are inputs (kept in the quick section too).
    public func encoded(isInput: @Sendable (NodeKey) -> Bool) -> [UInt8] {
        encodedParts(isInput: isInput).reduce(into: []) { $0 += $1 }
    }

    /// The state's bytes in parts, to be written one after another: `encoded` without the copy that joins them.
    public func encodedParts(isInput: @Sendable (NodeKey) -> Bool) -> [[UInt8]] {
        // The keys, then the records (most of a big site's state: each post's parsed values): encoded in parts on
        // every core, beside the quick section, then joined in order.
        let parts = records.count < 4096 ? 1 : 8
        let size = (records.count + parts - 1) / parts
        // The quick section, the keys, the records, the reasons.
        var encoded = [[UInt8]](repeating: [], count: parts + 3)
        encoded.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: parts + 3) { part in
                // Each part's buffer is sized once, from an upper bound: grown by doubling, it would be copied and
                // its fresh pages faulted in about twice over (a third of the encoding time of a big site).
                var writer = BinaryWriter()
                switch part {
                case 0: out[0] = quickSection(isInput: isInput)
                case 1:
                    writer.reserve(keys.reduce(10) { $0 + $1.kind.utf8.count + $1.id.utf8.count + 20 })
                    writer.write(UInt64(keys.count))
                    for key in keys { key.encode(to: &writer) }
                    out[1] = writer.bytes
                case parts + 2:
                    Self.encode(reasons, to: &writer)
                    out[part] = writer.bytes
                default:
                    let span = records[min((part - 2) * size, records.count)..<min((part - 1) * size, records.count)]
                    writer.reserve(span.reduce(0) { $0 + 40 + ($1?.deps.count ?? 0) * 26 + ($1?.value?.count ?? 0) })
                    for record in span { Self.encode(record, to: &writer) }
                    out[part] = writer.bytes
                }
            }
        }
        // The graph section is all but the quick section, sealed with the fingerprint of it all.
        var hasher = StableHasher()
        hasher.combine(joined: encoded.dropFirst())
        var trailer = BinaryWriter()
        trailer.write(hasher.finalize())
        encoded.append(trailer.bytes)
        return encoded
    }

    /// The quick section, sealed: what a build that may have nothing to do reads first.
    private func quickSection(isInput: @Sendable (NodeKey) -> Bool) -> [UInt8] {
        var q = BinaryWriter()
        q.write(raw: Self.magic)
        q.writeFixed(0)  // the quick part's length, filled in below
        q.write(Self.formatVersion)
        q.write(engine)
        q.write(generation)
        q.write(UInt64(envelope.count))
        q.write(raw: envelope)
        let inputs = keys.indices.filter { isInput(keys[$0]) && records[$0] != nil }
        q.write(UInt64(inputs.count))
        for i in inputs {
            keys[i].encode(to: &q)
            q.write(records[i]!.fingerprint)
        }
        var quick = q.bytes
        withUnsafeBytes(of: UInt64(quick.count + 16).littleEndian) { length in
            quick.replaceSubrange(Self.magic.count..<(Self.magic.count + 8), with: length)
        }
        var seal = BinaryWriter()
        seal.write(Fingerprint.of(quick))
        return quick + seal.bytes
    }

    /// Why a stored state could not be used.
    public enum LoadProblem: Error, CustomStringConvertible {
        case corrupt
        case otherVersion(UInt64)
        case otherEngine

        public var description: String {
            switch self {
            case .corrupt: return "the build state is damaged"
            case .otherVersion(let v): return "the build state has format \(v), this quill writes \(GraphState.formatVersion)"
            case .otherEngine: return "the build state was made by another quill binary"
            }
        }
    }

    /// Reads a stored state; with `quick`, only the part a build that changes nothing needs (the envelope and the
    /// input fingerprints), without the graph.
    public init(decoding data: Data, engine: Fingerprint, quick: Bool = false) throws(LoadProblem) {
        self.engine = engine
        do {
            self = try data.withUnsafeBytes { raw throws -> GraphState in
                guard raw.count > Self.magic.count + 32,
                      Array(raw.prefix(Self.magic.count)) == Self.magic else { throw LoadProblem.corrupt }
                var r = BinaryReader(raw, offset: Self.magic.count + 8)
                let version = try r.readVarint()
                guard version == Self.formatVersion else { throw LoadProblem.otherVersion(version) }
                guard try r.readFingerprint() == engine else { throw LoadProblem.otherEngine }
                let generation = try r.readFingerprint()
                var state = try Self.decodeQuick(&r, engine: engine)
                state.generation = generation
                let quickEnd = r.offset
                guard try r.readFingerprint() == Fingerprint.of(UnsafeRawBufferPointer(rebasing: raw[0..<quickEnd]))
                else { throw LoadProblem.corrupt }
                if quick { return state }
                try state.decodeGraphSection(UnsafeRawBufferPointer(rebasing: raw[r.offset...]), file: data,
                                             at: r.offset, checkingSeal: true)
                return state
            }
        } catch let problem as LoadProblem {
            throw problem
        } catch {
            throw .corrupt
        }
    }

    /// Reads the graph section (the bytes after the quick part) into a state read with `quick: true`.
    /// Without `checkingSeal`, the caller checks `sealIsIntact` of the same bytes itself (and drops this state
    /// when it is not): the decoder never reads out of bounds, whatever the bytes.
    public mutating func decodeGraphSection(_ data: Data, checkingSeal: Bool = true) throws(LoadProblem) {
        do {
            try data.withUnsafeBytes { raw in try decodeGraphSection(raw, file: data, at: 0, checkingSeal: checkingSeal) }
        } catch let problem as LoadProblem {
            throw problem
        } catch {
            throw .corrupt
        }
    }

    /// `raw` is `file`'s bytes from offset `at` on: kept values stay slices of `file` (see `KeptBytes`).
    private mutating func decodeGraphSection(_ raw: UnsafeRawBufferPointer, file: Data, at offset: Int,
                                             checkingSeal: Bool) throws {
        guard raw.count >= 16 else { throw LoadProblem.corrupt }
        guard !checkingSeal || Self.sealIsIntact(raw) else { throw LoadProblem.corrupt }
        var g = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 16)]))
        try decodeGraph(&g, file: file, at: offset)
    }

    /// Whether a graph section (the bytes after the quick part) ends with the fingerprint of what precedes it.
    public static func sealIsIntact(_ data: Data) -> Bool {
        data.withUnsafeBytes { sealIsIntact($0) }
    }

    private static func sealIsIntact(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count >= 16 else { return false }
        var sealReader = BinaryReader(raw, offset: raw.count - 16)
        return (try? sealReader.readFingerprint()) == Fingerprint.of(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 16)]))
    }

    /// How many bytes at the start of a state file hold its quick part (nil for a file too short or not a state).
    public static func quickLength(ofPrefix prefix: Data) -> Int? {
        guard prefix.count >= magic.count + 8, Array(prefix.prefix(magic.count)) == magic else { return nil }
        let length = prefix.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: magic.count, as: UInt64.self) }
        return Int(exactly: UInt64(littleEndian: length))
    }

    private static func decodeQuick(_ r: inout BinaryReader, engine: Fingerprint) throws -> GraphState {
        var state = GraphState(engine: engine)
        state.envelope = Array(try r.readRaw(Int(try r.readVarint())))
        for _ in 0..<(try r.readVarint()) {
            state.inputFingerprints[try NodeKey(from: &r)] = try r.readFingerprint()
        }
        return state
    }

    private mutating func decodeGraph(_ r: inout BinaryReader, file: Data, at offset: Int) throws {
        var state = self
        let keyCount = Int(try r.readVarint())
        state.keys.reserveCapacity(keyCount)
        for _ in 0..<keyCount { state.keys.append(try NodeKey(from: &r)) }
        // First every record's deps into one flat buffer, then the records with slices of it; values are slices of
        // the file's bytes, not copied.
        var deps = [Dep]()
        deps.reserveCapacity(r.remaining / 20)
        var spans = [(fingerprint: Fingerprint, deps: Range<Int>, value: Range<Int>?)?]()
        spans.reserveCapacity(keyCount)
        for _ in 0..<keyCount {
            guard try r.readBool() else {
                spans.append(nil)
                continue
            }
            let fingerprint = try r.readFingerprint()
            let depCount = Int(try r.readVarint())
            guard depCount <= r.remaining else { throw LoadProblem.corrupt }
            let depStart = deps.count
            for _ in 0..<depCount {
                let key = try r.readVarint()
                guard key < keyCount else { throw LoadProblem.corrupt }
                deps.append(Dep(key: Int32(key), fingerprint: try r.readFingerprint()))
            }
            var value: Range<Int>?
            if try r.readBool() {
                let count = Int(try r.readVarint())
                let start = offset + r.offset
                _ = try r.readRaw(count)
                value = start..<(start + count)
            }
            spans.append((fingerprint, depStart..<deps.count, value))
        }
        state.records = spans.map { span in
            span.map { Record(fingerprint: $0.fingerprint, deps: deps[$0.deps], value: $0.value.map { KeptBytes(file: file, $0) }) }
        }
        state.reasons = try Self.decodeReasons(&r, keyCount: keyCount)
        self = state
    }
}
