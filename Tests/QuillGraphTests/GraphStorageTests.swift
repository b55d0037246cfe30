import Foundation
import Testing
@testable import QuillGraph

/// The graph's own storage: its key index, lock, fingerprints, states and reasons, apart from any site.
@Suite struct GraphStorageTests {
    @Test func theKeyIndexFindsEveryKeyItHoldsAndNoOther() {
        let keys = (0..<5000).map { NodeKey($0 % 3 == 0 ? "out" : "post", "content/posts/\($0).md") }
        var index = BuildGraph.KeyIndex(Array(keys.prefix(100)))
        var all = Array(keys.prefix(100))
        for key in keys.dropFirst(100) {  // grows several times
            index.insert(key, id: Int32(all.count))
            all.append(key)
        }
        #expect(keys.indices.allSatisfy { index.find(keys[$0], in: all) == Int32($0) })
        #expect(index.find(NodeKey("post", "content/posts/0.md"), in: all) == nil)  // kind differs
        #expect(index.find(NodeKey("out", "content/posts/5000.md"), in: all) == nil)
    }

    @Test func theGraphsLockLetsOneThreadInAtATime() {
        final class Counter: @unchecked Sendable {
            let lock = SpinningLock()
            var value = 0
        }
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20_000 {
                counter.lock.withLock { counter.value += 1 }
            }
        }
        #expect(counter.value == 160_000)
    }

    @Test func nodeKeysThatSplitTheSameBytesDifferentlyDiffer() {
        #expect(NodeKey("ab", "c") != NodeKey("a", "bc"))
        #expect(NodeKey("ab", "c").digest != NodeKey("a", "bc").digest)
        #expect(Set([NodeKey("post", "a"), NodeKey("post", "a"), NodeKey("post.meta", "a")]).count == 2)
    }

    @Test func aFingerprintOfPartsIsTheFingerprintOfThePartsJoined() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for _ in 0..<20 {
                var cuts = (0..<Int.random(in: 0...5)).map { _ in Int.random(in: 0...length) }.sorted()
                cuts = [0] + cuts + [length]
                let parts = zip(cuts, cuts.dropFirst()).map { Array(bytes[$0..<$1]) }
                var hasher = StableHasher()
                hasher.combine(joined: parts)
                #expect(hasher.finalize() == Fingerprint.of(bytes), "length \(length), cut at \(cuts)")
            }
        }
    }

    @Test(arguments: [0, 3, 5000])
    func aStateReadsBackItsRecordsAndReasons(_ reasonCount: Int) throws {
        // Few reasons are written sorted, many (a cold build's) by walking the ids: both in id order.
        var state = GraphState(engine: .absent)
        state.keys = (0..<6000).map { NodeKey("post", "content/posts/\($0).md") }
        state.records = state.keys.indices.map { i in
            i % 7 == 0 ? nil : .init(fingerprint: Fingerprint(high: UInt64(i), low: 1),
                                     deps: i > 0 ? [.init(key: Int32(i - 1), fingerprint: .absent)] : [],
                                     value: i % 3 == 0 ? [UInt8(i & 0xFF), 2] : nil)
        }
        let reasons: [GraphState.Reason] = [.new, .changed(dependency: 4), .valueNeeded, .verified]
        for n in 0..<reasonCount { state.reasons[Int32(n * 6000 / max(reasonCount, 1))] = reasons[n % 4] }
        let bytes = state.encoded(isInput: { _ in false })
        #expect(state.encodedParts(isInput: { _ in false }).count > 2)  // in parts (8 of records here)
        let read = try GraphState(decoding: Data(bytes), engine: .absent)
        #expect(read.keys == state.keys)
        #expect(read.reasons == state.reasons)
        #expect(read.records.map { $0?.fingerprint } == state.records.map { $0?.fingerprint })
        #expect(read.records.map { $0?.deps.map(\.key) } == state.records.map { $0?.deps.map(\.key) })
        #expect(read.records.map { $0?.value?.array } == state.records.map { $0?.value?.array })
    }

    @Test func reasonsAreKeptByIdAndListedInIdOrder() {
        var reasons = GraphState.Reasons()
        reasons[7] = .changed(dependency: 3)
        reasons[2] = .new
        reasons[7] = .verified  // replaced, not added
        reasons[5] = .valueNeeded
        reasons[5] = nil
        reasons[900] = nil  // removing what is not there changes nothing
        #expect(reasons.count == 2)
        #expect(reasons.map(\.id) == [2, 7])
        #expect(reasons[7] == .verified && reasons[2] == .new && reasons[5] == nil && reasons[1000] == nil)
        var same = GraphState.Reasons()
        same[2] = .new
        same[7] = .verified
        same[40] = .new
        same[40] = nil  // longer storage, same reasons
        #expect(same == reasons)
        same[3] = .changed(dependency: 2)
        #expect(same != reasons)
    }
}
