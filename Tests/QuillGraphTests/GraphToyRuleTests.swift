import Foundation
import Synchronization
import Testing
@testable import QuillGraph

/// The build graph driven by toy rules that know nothing of sites: `in <name>` inputs hold numbers,
/// `sum` adds `in a` and `in b`, `parity` is `sum`'s parity, `out <n>` renders `parity` (roots). Each compute is
/// counted, so the tests see exactly what a build redid.
@Suite struct GraphToyRuleTests {
    final class Counter: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func add(_ kind: String) { counts.withLock { $0[kind, default: 0] += 1 } }
        subscript(_ kind: String) -> Int { counts.withLock { $0[kind] ?? 0 } }
    }

    struct ToyRules: GraphRules {
        let computed = Counter()

        func compute(_ key: NodeKey, _ c: ComputeContext) throws -> any GraphValue {
            computed.add(key.kind)
            switch key.kind {
            case "sum": return try c.read(NodeKey("in", "a"), as: Int.self) + c.read(NodeKey("in", "b"), as: Int.self)
            case "parity": return try c.read(NodeKey("sum"), as: Int.self) % 2 == 0 ? "even" : "odd"
            case "out": return "page \(key.id): " + (try c.read(NodeKey("parity"), as: String.self))
            default: throw GraphTypeMismatch(key: key)
            }
        }

        func keepsValue(_ key: NodeKey) -> Bool { key.kind != "out" }
        func isRoot(_ key: NodeKey) -> Bool { key.kind == "out" }

        func decode(_ key: NodeKey, _ r: inout BinaryReader) throws -> any GraphValue {
            switch key.kind {
            case "sum": return try Int(from: &r)
            case "parity": return try String(from: &r)
            default: throw BinaryReader.Malformed()
            }
        }
    }

    struct ToyInputs: GraphInputs {
        let numbers: [String: Int]
        func isInput(_ key: NodeKey) -> Bool { key.kind == "in" }
        func fingerprint(of key: NodeKey) throws -> Fingerprint {
            numbers[key.id].map { $0.fingerprint } ?? .absent
        }
        func value(of key: NodeKey) throws -> any GraphValue { numbers[key.id] ?? 0 }
    }

    static let outs = [NodeKey("out", "1"), NodeKey("out", "2")]

    /// One build of the toy graph over `numbers`, continuing `previous`: its graph, rules and next state.
    static func build(_ numbers: [String: Int], after previous: GraphState = GraphState(engine: .absent))
        throws -> (graph: BuildGraph, rules: ToyRules, state: GraphState)
    {
        let rules = ToyRules()
        let graph = try BuildGraph(rules: rules, inputs: ToyInputs(numbers: numbers), previous: previous)
        // One after the other: readers on two threads may both compute a node they need (the graph keeps one
        // value), which would make the counts below depend on timing.
        for key in outs { try graph.ensure(key) }
        return (graph, rules, graph.nextState(engine: .absent))
    }

    @Test func aFirstBuildComputesEveryNodeOnce() throws {
        let (graph, rules, _) = try Self.build(["a": 1, "b": 2])
        #expect((rules.computed["sum"], rules.computed["parity"], rules.computed["out"]) == (1, 1, 2))
        #expect(try graph.value(NodeKey("out", "1")) as? String == "page 1: odd")
        #expect(graph.reason(NodeKey("out", "1")) == .new)
    }

    @Test func aBuildWithNothingChangedComputesNothing() throws {
        let first = try Self.build(["a": 1, "b": 2])
        let second = try Self.build(["a": 1, "b": 2], after: first.state)
        #expect(second.graph.nothingChanged)
        #expect((second.rules.computed["sum"], second.rules.computed["parity"], second.rules.computed["out"]) == (0, 0, 0))
    }

    @Test func aValueComputedAgainToTheSameStopsTheChange() throws {
        let first = try Self.build(["a": 1, "b": 2])
        // 1 + 2 and 2 + 1 are both 3: the sum is redone, nothing above it (early cutoff).
        let second = try Self.build(["a": 2, "b": 1], after: first.state)
        #expect((second.rules.computed["sum"], second.rules.computed["parity"], second.rules.computed["out"]) == (1, 0, 0))
        #expect(second.graph.reason(NodeKey("sum")) == .changed(dependency: second.graph.id(for: NodeKey("in", "a"))))
        #expect(second.graph.reason(NodeKey("parity")) == nil, "not even looked at: the change stopped below it")
        // 3 → 5 is another sum of the same parity: the parity is redone, the pages are not.
        let third = try Self.build(["a": 2, "b": 3], after: second.state)
        #expect((third.rules.computed["sum"], third.rules.computed["parity"], third.rules.computed["out"]) == (1, 1, 0))
        #expect(third.graph.reason(NodeKey("parity")) == .changed(dependency: third.graph.id(for: NodeKey("sum"))))
        #expect(third.graph.reason(NodeKey("out", "1")) == nil)
        // 5 → 6: the parity changes, and so does every page.
        let fourth = try Self.build(["a": 3, "b": 3], after: third.state)
        #expect(fourth.rules.computed["out"] == 2)
        #expect(fourth.graph.reason(NodeKey("out", "2")) == .changed(dependency: fourth.graph.id(for: NodeKey("parity"))))
        #expect(try fourth.graph.value(NodeKey("out", "2")) as? String == "page 2: even")
    }

    @Test func aStoredStateAndItsJournalReadBackAsTheStateTheyRecord() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quill-toy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StateStore(url: folder.appendingPathComponent("state"), engine: .absent)
        let first = try Self.build(["a": 1, "b": 2])
        try store.save(first.state)
        let (loaded, notice) = store.load()
        #expect(notice == nil)
        #expect(loaded.keys == first.state.keys)
        #expect(loaded.records.map { $0?.fingerprint } == first.state.records.map { $0?.fingerprint })
        // A second build journals its change; reading state and journal back gives what it computed.
        let second = try Self.build(["a": 1, "b": 5], after: loaded)
        #expect(try store.append(second.graph.delta(), to: loaded))
        let (replayed, replayNotice) = store.load()
        #expect(replayNotice == nil)
        let third = try Self.build(["a": 1, "b": 5], after: replayed)
        #expect(third.graph.nothingChanged, "the journal did not bring back the second build's records")
        #expect(try third.graph.value(NodeKey("out", "1")) as? String == "page 1: even")
    }

    @Test func aDamagedStateIsANoticeAndAFullBuildNeverAWrongOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quill-toy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("state")
        let store = StateStore(url: url, engine: .absent)
        try store.save(try Self.build(["a": 1, "b": 2]).state)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: url)
        let (state, notice) = store.load()
        #expect(notice?.contains("damaged") == true, "\(notice ?? "no notice")")
        let rebuilt = try Self.build(["a": 1, "b": 2], after: state)
        #expect(rebuilt.rules.computed["out"] == 2)
        #expect(try rebuilt.graph.value(NodeKey("out", "1")) as? String == "page 1: odd")
        // A state made by another binary is not trusted either.
        let other = StateStore(url: url, engine: Fingerprint(high: 1, low: 2))
        #expect(other.load().notice != nil)
    }

    @Test func theCallersEnvelopeAndItsJournaledChangesReadBackUntouched() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quill-toy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StateStore(url: folder.appendingPathComponent("state"), engine: .absent)
        var first = try Self.build(["a": 1, "b": 2]).state
        first.envelope = [1, 2, 3]
        try store.save(first)
        let loaded = store.load().0
        #expect(loaded.envelope == [1, 2, 3] && loaded.envelopeChanges.isEmpty)
        var delta = try Self.build(["a": 1, "b": 4], after: loaded).graph.delta()
        delta.envelope = [4, 5]
        #expect(try store.append(delta, to: loaded))
        // The quick part alone (what a build that may have nothing to do reads) carries them too.
        let quick = try #require(store.loadQuick())
        #expect(quick.envelope == [1, 2, 3] && quick.envelopeChanges == [[4, 5]])
        let whole = store.load().0
        #expect(whole.envelope == [1, 2, 3] && whole.envelopeChanges == [[4, 5]])
    }
}
