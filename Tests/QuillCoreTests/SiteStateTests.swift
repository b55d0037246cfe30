import Foundation
import Testing
@testable import QuillCore
@testable import QuillGraph

/// What a site keeps beside the graph: its inputs as the graph sees them, and its record in the state's
/// envelope, carried through the journal.
@Suite struct SiteStateTests {
    @Test func aSourceFileIsHandedToItsReaderAndReadAgainOnlyWhenItIsStillTheSame() throws {
        let site = try TestSite(["content/posts/a.md": "one"])
        let inputs = SiteInputs(root: site.root, snapshot: SiteBuilder.snapshot(of: site.root), options: [:],
                                now: Date(), previous: [:], stateWrittenAt: nil)
        let key = NodeKey("file", "content/posts/a.md")
        #expect(!inputs.keepsValueInMemory(key))
        #expect(inputs.keepsValueInMemory(NodeKey("listing", "content")))
        #expect(try inputs.fingerprint(of: key) == Fingerprint.of(Array("one".utf8)))
        #expect(try inputs.value(of: key) as? Data == Data("one".utf8))  // the bytes that were fingerprinted
        #expect(try inputs.value(of: key) as? Data == Data("one".utf8))  // read again
        try site.write("content/posts/a.md", "two")
        let failure = try #require(throws: BuildFailure.self) { try inputs.value(of: key) }
        #expect(failure.diagnostics.map(\.location.file) == ["content/posts/a.md"])
        #expect(failure.diagnostics.first?.message.contains("changed while the build was reading it") == true)
    }

    @Test func aJournalEntryReplaysOntoItsState() throws {
        var state = GraphState(engine: .absent)
        state.generation = Fingerprint(high: 1, low: 2)
        state.keys = [NodeKey("file", "a.md"), NodeKey("post", "a.md")]
        state.records = [
            .init(fingerprint: Fingerprint(high: 0, low: 1), deps: [], value: nil),
            .init(fingerprint: Fingerprint(high: 0, low: 2),
                  deps: [.init(key: 0, fingerprint: Fingerprint(high: 0, low: 1))], value: [1, 2, 3]),
        ]
        var delta = GraphState.Delta()
        delta.firstNewKey = 2
        delta.newKeys = [NodeKey("out", "a.md")]
        delta.records = [(1, nil), (2, .init(fingerprint: Fingerprint(high: 0, low: 9),
                                              deps: [.init(key: 0, fingerprint: .absent)], value: nil))]
        var change = SiteRecord.Change()  // the site's part of the delta travels in its envelope
        change.files = ["a.md": .init(size: 3, mtimeSeconds: 4, mtimeNanoseconds: 5, inode: 6, fingerprint: .absent)]
        change.counts = [1, 2, 3]
        delta.envelope = change.encoded()
        let journal = Data(GraphJournal.header(generation: state.generation) + GraphJournal.entry(delta))
        var replayed = state
        let length = try GraphJournal.apply(journal, to: &replayed, .all)
        #expect(length == journal.count)
        #expect(replayed.keys == state.keys + [NodeKey("out", "a.md")])
        #expect(replayed.records[1] == nil)
        #expect(replayed.records[2]?.fingerprint == Fingerprint(high: 0, low: 9))
        let site = try SiteRecord(replayed)
        #expect(site.files["a.md"]?.inode == 6)
        #expect(site.counts == [1, 2, 3])

        // A journal of another state is not applied; a torn entry ends the journal.
        var other = state
        other.generation = Fingerprint(high: 7, low: 7)
        #expect(try GraphJournal.apply(journal, to: &other, .all) == 0)
        #expect(other.keys == state.keys)
        var torn = state
        #expect(try GraphJournal.apply(journal.dropLast(3), to: &torn, .all) == GraphJournal.headerLength)
        #expect(torn.keys == state.keys)
    }
}
