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

    @Test func everyNodeOfABuiltSiteIsAKnownKindWhoseIdReadsBack() throws {
        let post = { (title: String, extra: String) in
            "---\ntitle: \(title)\ndate: 2024-01-0\(title.count % 9 + 1) 10:00\ntags: [Swift, c++]\n\(extra)---\nText of \(title).\n"
        }
        let site = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://example.org/\"\nposts_per_page = 1\n"
                + "[feeds.aliases]\n\"/rss.xml\" = \"rss\"\n[pagination]\naliases = \"/page:num/\"\n",
            "content/posts/a.md": post("A", "aliases: [/old/a/]\n"),
            "content/posts/b.md": post("Bee", "author: Jo Doe\n") + "See [A](a.md).\n",
            "content/posts/cat/index.md": post("Cat", "") + "![cat](cat.svg) ![wide](wide.png) ![gone](gone.png)\n",
            "content/posts/cat/cat.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
            "content/about.md": "---\ntitle: About\naliases: [/about-me/]\n---\nAbout.\n",
            "static/css/extra.css": "p {}\n",
            // a.md moved since it was published at /old/place/
            URLRecord.file: "/old/place/\tcontent/posts/a.md\t2024-01-02T10:00:00Z\tA\n",
        ])
        try site.write("content/posts/cat/wide.png", TestImages.png(width: 700, height: 2))
        _ = try site.build()
        let (stored, notice) = StateStore(site: site.root, engine: SiteBuilder.engine).loadBuild()
        #expect(notice == nil)
        let kinds = Set(stored.graph.keys.map(\.kind))
        #expect(kinds.isSuperset(of: SiteRules.kinds.keys), "kinds no build of this site reaches: \(Set(SiteRules.kinds.keys).subtracting(kinds))")
        for key in stored.graph.keys where !Input.kinds.contains(key.kind) {
            let kind = try #require(SiteRules.kinds[key.kind], "no type for the kind of \(key)")
            #expect(kind.key(forID: key.id) == key, "\(key) does not read back through its type")
        }
        // Every kind of output is among them (so every case of OutputID was read back above).
        let outputKinds = Set(stored.graph.keys.filter { $0.kind == Node.Output.kind }.compactMap { key in
            OutputID(key.id).map { Mirror(reflecting: $0).children.first?.label ?? $0.description }
        })
        #expect(outputKinds == ["post", "page", "list", "alias", "moved", "paginationAlias", "feed", "tagFeed", "feedAlias",
                                "tags", "archive", "404", "sitemap", "robots", "staticFile", "bundleFile",
                                "imageVariant", "search", "searchmanifest", "searchShard", "searchDocs"])
    }
}
