import Foundation
import Synchronization
import Testing
@testable import QuillGraph

/// A node that reads many nodes an edit might have affected (the search index's partitions read every group) while
/// the edit reaches it by another way: the many are known clean from the propagation's order, not checked one by one,
/// and the result is still what a clean build makes.
///
/// Toy rules: `hub` is `in k` divided by 10; `leaf i` (50 of them) reads `hub` and is `i + hub`; `edge` is `in x`;
/// `top` reads every leaf and `edge` and adds them up; `out` (the root) shows `top`.
@Suite struct GraphFanInTests {
    static let leaves = 50

    struct Rules: GraphRules {
        func compute(_ key: NodeKey, _ c: ComputeContext) throws -> any GraphValue {
            switch key.kind {
            case "hub": return try c.read(NodeKey("in", "k"), as: Int.self) / 10
            case "leaf": return Int(key.id)! + (try c.read(NodeKey("hub"), as: Int.self))
            case "edge": return try c.read(NodeKey("in", "x"), as: Int.self)
            case "top":
                var sum = 0
                for i in 0..<GraphFanInTests.leaves { sum += try c.read(NodeKey("leaf", String(i)), as: Int.self) }
                return sum + (try c.read(NodeKey("edge"), as: Int.self))
            case "out": return "top: \(try c.read(NodeKey("top"), as: Int.self))"
            default: throw GraphTypeMismatch(key: key)
            }
        }

        func keepsValue(_ key: NodeKey) -> Bool { key.kind != "out" }
        func isRoot(_ key: NodeKey) -> Bool { key.kind == "out" }
        func decode(_ key: NodeKey, _ r: inout BinaryReader) throws -> any GraphValue { try Int(from: &r) }
    }

    struct Inputs: GraphInputs {
        let numbers: [String: Int]
        func isInput(_ key: NodeKey) -> Bool { key.kind == "in" }
        func fingerprint(of key: NodeKey) throws -> Fingerprint { numbers[key.id].map { $0.fingerprint } ?? .absent }
        func value(of key: NodeKey) throws -> any GraphValue { numbers[key.id] ?? 0 }
    }

    static func build(_ numbers: [String: Int], after previous: GraphState = GraphState(engine: .absent))
        throws -> (graph: BuildGraph, state: GraphState)
    {
        let graph = try BuildGraph(rules: Rules(), inputs: Inputs(numbers: numbers), previous: previous)
        try graph.ensure(NodeKey("out"))
        return (graph, graph.nextState(engine: .absent))
    }

    @Test func nodesAnEditMightHaveAffectedButDidNotAreNotCheckedOneByOne() throws {
        let first = try Self.build(["k": 5, "x": 1])
        // `in k` changes but `hub` stays 0, so no leaf changes; `in x` changes `edge`, which brings `top` up to date.
        let second = try Self.build(["k": 6, "x": 2], after: first.state)
        #expect(try second.graph.value(NodeKey("out")) as? String == "top: \((0..<Self.leaves).reduce(0, +) + 2)")
        #expect(second.graph.reason(NodeKey("top")) == .changed(dependency: second.graph.id(for: NodeKey("edge"))))
        #expect(second.graph.reason(NodeKey("hub")) == .changed(dependency: second.graph.id(for: NodeKey("in", "k"))))
        // Every leaf read `hub`, which `in k` might have changed; none is checked (nor computed): the propagation had
        // brought every node below `top` up to date, and no leaf was among the readers of a node that changed.
        for i in [0, 17, 49] { #expect(second.graph.reason(NodeKey("leaf", String(i))) == nil) }
        #expect(second.graph.statistics.checked < 10, "\(second.graph.statistics.checked) nodes checked")

        // And when the hub does change, every leaf is made again, and `top` with them.
        let third = try Self.build(["k": 16, "x": 2], after: second.state)
        #expect(try third.graph.value(NodeKey("out")) as? String == "top: \((0..<Self.leaves).reduce(0, +) + Self.leaves + 2)")
        #expect(third.graph.reason(NodeKey("leaf", "3")) == .changed(dependency: third.graph.id(for: NodeKey("hub"))))
        let clean = try Self.build(["k": 16, "x": 2])
        #expect(try clean.graph.value(NodeKey("out")) as? String == (try third.graph.value(NodeKey("out")) as? String))
    }
}
