import Foundation

extension GraphState {
    /// What one build changed in the state: new node names, changed or dropped records, the input fingerprints that
    /// moved, and the caller's change to its envelope. A small edit changes a few dozen records of a state that may hold a hundred
    /// thousand, so a build appends its delta to a journal beside the state file instead of rewriting it; the
    /// journal is folded back into a full state once it grows (see `StateStore`).
    ///
    /// Node ids are those of the state the delta extends: nodes keep their ids, new ones are appended, and nodes no
    /// longer reached lose their records (their names stay until the next full write).
    public struct Delta: Sendable {
        /// `keys.count` of the state this delta extends.
        public var firstNewKey = 0
        public var newKeys: [NodeKey] = []
        /// Records replaced (nil: dropped).
        public var records: [(id: Int32, record: Record?)] = []
        /// Replaces `reasons` (they describe the last build only).
        public var reasons = Reasons()
        /// Input fingerprints set (nil: removed).
        public var inputFingerprints: [NodeKey: Fingerprint?] = [:]
        /// The caller's change to its envelope, in its own encoding: replayed as one of `envelopeChanges`.
        public var envelope: [UInt8] = []

        public init() {}

        /// The entry's bytes: the quick part (envelope change, input fingerprints) first, so that a build that changes nothing reads
        /// only that, then the graph part.
        func encoded() -> (quick: [UInt8], graph: [UInt8]) {
            var q = BinaryWriter()
            q.write(UInt64(envelope.count))
            q.write(raw: envelope)
            q.write(UInt64(inputFingerprints.count))
            for (key, fingerprint) in inputFingerprints.sorted(by: { $0.key < $1.key }) {
                key.encode(to: &q)
                q.write(fingerprint != nil)
                if let fingerprint { q.write(fingerprint) }
            }

            var g = BinaryWriter()
            g.write(UInt64(firstNewKey))
            g.write(UInt64(newKeys.count))
            for key in newKeys { key.encode(to: &g) }
            g.write(UInt64(records.count))
            for (id, record) in records.sorted(by: { $0.id < $1.id }) {
                g.write(UInt64(id))
                GraphState.encode(record, to: &g)
            }
            GraphState.encode(reasons, to: &g)
            return (q.bytes, g.bytes)
        }

        /// Applies the quick part of an entry to a state read with `quick: true` (or a full one).
        static func applyQuick(_ r: inout BinaryReader, to state: inout GraphState) throws {
            state.envelopeChanges.append(Array(try r.readRaw(Int(try r.readVarint()))))
            for _ in 0..<(try r.readVarint()) {
                let key = try NodeKey(from: &r)
                state.inputFingerprints[key] = try r.readBool() ? try r.readFingerprint() : nil
            }
        }

        /// Applies the graph part of an entry to a full state.
        static func applyGraph(_ r: inout BinaryReader, to state: inout GraphState) throws {
            guard try r.readVarint() == UInt64(state.keys.count) else { throw LoadProblem.corrupt }
            for _ in 0..<(try r.readVarint()) {
                state.keys.append(try NodeKey(from: &r))
                state.records.append(nil)
            }
            let count = state.keys.count
            for _ in 0..<(try r.readVarint()) {
                let id = Int(try r.readVarint())
                guard id < count else { throw LoadProblem.corrupt }
                state.records[id] = try GraphState.decodeRecord(&r, keyCount: count)
            }
            state.reasons = try GraphState.decodeReasons(&r, keyCount: count)
        }
    }

    static func encode(_ record: Record?, to w: inout BinaryWriter) {
        guard let record else {
            w.write(false)
            return
        }
        w.write(true)
        w.write(record.fingerprint)
        w.write(UInt64(record.deps.count))
        for dep in record.deps {
            w.write(UInt64(dep.key))
            w.write(dep.fingerprint)
        }
        if let value = record.value {
            w.write(true)
            w.write(UInt64(value.count))
            value.withUnsafeBytes { w.write(raw: $0) }
        } else {
            w.write(false)
        }
    }

    static func decodeRecord(_ r: inout BinaryReader, keyCount: Int) throws -> Record? {
        guard try r.readBool() else { return nil }
        let fingerprint = try r.readFingerprint()
        let depCount = Int(try r.readVarint())
        var deps = [Dep]()
        deps.reserveCapacity(min(depCount, keyCount))
        for _ in 0..<depCount {
            let key = try r.readVarint()
            guard key < keyCount else { throw LoadProblem.corrupt }
            deps.append(Dep(key: Int32(key), fingerprint: try r.readFingerprint()))
        }
        var value: KeptBytes?
        if try r.readBool() { value = KeptBytes(ArraySlice(try r.readRaw(Int(try r.readVarint())))) }
        return Record(fingerprint: fingerprint, deps: deps[...], value: value)
    }

    static func encode(_ reasons: Reasons, to w: inout BinaryWriter) {
        w.write(UInt64(reasons.count))
        for (key, reason) in reasons {  // in id order
            w.write(UInt64(key))
            switch reason {
            case .new: w.write(0)
            case .changed(let dep):
                w.write(1)
                w.write(UInt64(dep))
            case .valueNeeded: w.write(2)
            case .verified: w.write(3)
            }
        }
    }

    static func decodeReasons(_ r: inout BinaryReader, keyCount: Int) throws -> Reasons {
        var reasons = Reasons()
        for _ in 0..<(try r.readVarint()) {
            let id = try r.readVarint()
            guard id < keyCount else { throw LoadProblem.corrupt }
            let key = Int32(id)
            switch try r.readInt() {
            case 0: reasons[key] = .new
            case 1: reasons[key] = .changed(dependency: Int32(try r.readVarint()))
            case 2: reasons[key] = .valueNeeded
            default: reasons[key] = .verified
            }
        }
        return reasons
    }
}

/// The journal file: a header naming the generation of the state it extends, then entries, each
/// `[payload length: 8][quick length: 8][quick part][graph part][seal: 16]`. A torn or damaged entry ends the
/// journal: what follows it is ignored, and the next append overwrites it.
enum GraphJournal {
    static let magic: [UInt8] = Array("QUILLJOURNAL".utf8)
    static var headerLength: Int { magic.count + 16 }

    static func header(generation: Fingerprint) -> [UInt8] {
        var w = BinaryWriter()
        w.write(raw: magic)
        w.write(generation)
        return w.bytes
    }

    static func entry(_ delta: GraphState.Delta) -> [UInt8] {
        let (quick, graph) = delta.encoded()
        var w = BinaryWriter()
        w.reserve(quick.count + graph.count + 32)
        w.writeFixed(UInt64(quick.count + graph.count))
        w.writeFixed(UInt64(quick.count))
        w.write(raw: quick)
        w.write(raw: graph)
        let seal = w.bytes.withUnsafeBytes { Fingerprint.of(UnsafeRawBufferPointer(rebasing: $0[16...])) }
        w.write(seal)
        return w.bytes
    }

    enum Part { case quick, graph, all }

    /// Applies the journal's sound entries (or only their quick or graph parts) to `state`; returns the length of
    /// the journal's sound prefix, 0 when the journal is missing or extends another state. Throws when a sealed
    /// entry does not fit the state (the state is then unusable).
    static func apply(_ data: Data, to state: inout GraphState, _ part: Part) throws -> Int {
        try data.withUnsafeBytes { raw throws -> Int in
            guard raw.count >= headerLength, Array(raw.prefix(magic.count)) == magic else { return 0 }
            var r = BinaryReader(raw, offset: magic.count)
            guard (try? r.readFingerprint()) == state.generation else { return 0 }
            var sound = headerLength
            while raw.count - sound >= 32 {
                var lengths = BinaryReader(raw, offset: sound)
                guard let payload = try? Int(lengths.readFixed()), let quickLength = try? Int(lengths.readFixed()),
                      payload >= quickLength, payload <= raw.count - sound - 32 else { break }
                let body = sound + 16
                let sealed = UnsafeRawBufferPointer(rebasing: raw[body..<(body + payload)])
                var sealReader = BinaryReader(raw, offset: body + payload)
                guard (try? sealReader.readFingerprint()) == Fingerprint.of(sealed) else { break }
                if part != .graph {
                    var q = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[body..<(body + quickLength)]))
                    try GraphState.Delta.applyQuick(&q, to: &state)
                }
                if part != .quick {
                    var g = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[(body + quickLength)..<(body + payload)]))
                    try GraphState.Delta.applyGraph(&g, to: &state)
                }
                sound = body + payload + 16
            }
            return sound
        }
    }
}
