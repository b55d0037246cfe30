import Foundation
import Testing
@testable import QuillCore
import QuillGraph

/// The search index under /search/index/: words folded as the page's script folds a query, shards found by the
/// longest key prefixing a word, sets decoded back to the right documents, within the shard budget, and an edit
/// rewriting only the shards whose words it touched.
@Suite struct SearchIndexTests {
    static func words(_ text: String, html: Bool = false) -> [String] {
        var out = [String]()
        SearchWords.scan(text, html: html) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    @Test func wordsAreLowerCasedAccentFoldedAndCJKSplitByCharacter() {
        #expect(Self.words("Déjà-vu, CAFÉ don't l’été") == ["deja", "vu", "cafe", "dont", "lete"])
        #expect(Self.words("ΟΔΟΣ Straße ﬁle №5 Ångström") == ["οδοσ", "straße", "file", "no5", "angstrom"])
        #expect(Self.words("東京タワー is tall") == ["東", "京", "タ", "ワ", "ー", "is", "tall"])
        #expect(Self.words(String(repeating: "a", count: 65) + " ok") == ["ok"], "over 64 bytes is not indexed")
        #expect(Self.words("x2 3.14 a_b") == ["x2", "3", "14", "a", "b"])
    }

    @Test func htmlTagsScriptsAndCommentsAreSkippedAndReferencesDecoded() {
        let html = "<p class=\"big\">Fish &amp; chips<!-- secret --> don&#8217;t <script>var hidden = 1</script>"
            + "caf&eacute; <a href='x.html' title=\"a > b\">link</a>&#x4E2D;</p>"
        #expect(Self.words(html, html: true) == ["fish", "chips", "dont", "caf", "link", "中"])
    }

    /// The built site's index, read back as the search page reads it.
    struct BuiltIndex {
        var manifest: [String: Any]
        var shards: [String: [[String]]]
        var docs: [[String]]

        init(_ files: [String: Data]) throws {
            func json(_ path: String) throws -> Any {
                try JSONSerialization.jsonObject(with: try #require(files["search/index/" + path], "no \(path)"))
            }
            manifest = try #require(try json("manifest.json") as? [String: Any])
            let keys = try #require(manifest["shards"] as? [String])
            shards = [:]
            for key in keys { shards[key] = try #require(try json(SearchFiles.shardFile(key)) as? [[String]]) }
            docs = []
            let count = try #require(manifest["docs"] as? Int), chunk = try #require(manifest["chunk"] as? Int)
            for n in 0..<((count + chunk - 1) / chunk) { docs += try #require(try json("d-\(n).json") as? [[String]]) }
        }

        /// The URLs of the documents with `word` in `field` (0 title, 1 tags, 2 body), found as the script finds it.
        func urls(_ word: String, field: Int = 2) -> [String] {
            var key = Substring(word)
            while shards[String(key)] == nil, !key.isEmpty { key = key.dropLast() }
            guard let entry = shards[String(key)]?.first(where: { $0[0] == word }) else { return [] }
            return SearchFiles.decodeSet(entry[field + 1]).map { docs[Int($0)][0] }
        }
    }

    static func site() throws -> TestSite {
        try TestSite([
            "content/posts/a.md": post("Haproxy notes", date: "2024-01-02 10:00", tags: ["Ops"],
                                       body: "Virtual hosting with **WSGI** behind a proxy."),
            "content/posts/b.md": post("Django threads", date: "2024-01-03 10:00", tags: ["python"],
                                       body: "Thread safety in Django and WSGI servers."),
            "content/posts/c.md": post("Hidden", date: "2024-01-04 10:00", extra: "search: false\n", body: "secretword"),
            "content/posts/d.md": post("Draft", date: "2024-01-05 10:00", extra: "draft: true\n", body: "draftword"),
            "content/about.md": "---\ntitle: About me\n---\nI write about proxies.\n",
        ])
    }

    @Test func theIndexFindsEachWordInItsFieldsAndLeavesOutDraftsAndSearchFalse() throws {
        let site = try Self.site()
        try site.build()
        let index = try BuiltIndex(site.files())
        #expect(index.docs.map { $0[0] } == ["/about/", "/2024/01/02/a/", "/2024/01/03/b/"], "pages, then the oldest post")
        #expect(index.docs[1] == ["/2024/01/02/a/", "Haproxy notes", "2024-01-02"])
        #expect(index.urls("wsgi") == ["/2024/01/02/a/", "/2024/01/03/b/"])
        #expect(index.urls("haproxy", field: 0) == ["/2024/01/02/a/"])
        #expect(index.urls("haproxy") == [], "a title word is not a body word")
        #expect(index.urls("python", field: 1) == ["/2024/01/03/b/"])
        #expect(index.urls("proxies") == ["/about/"])
        #expect(index.urls("secretword").isEmpty && index.urls("draftword").isEmpty && index.urls("hidden", field: 0).isEmpty)
        #expect(index.manifest["fields"] as? [String] == ["title", "tags", "body"])
    }

    @Test func settingsTurnTheIndexOffOrLimitItsFields() throws {
        let site = try Self.site()
        try site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.org/\"\n[search]\nfields = [\"title\"]\n")
        try site.build()
        let index = try BuiltIndex(site.files())
        #expect(index.urls("haproxy", field: 0) == ["/2024/01/02/a/"])
        #expect(index.urls("wsgi").isEmpty)
        try site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.org/\"\n[search]\nenabled = false\n")
        try site.build()
        #expect(site.files().keys.filter { $0.hasPrefix("search/") }.isEmpty)
        try site.write("site.toml", "title = \"T\"\n[search]\nfields = [\"title\", \"summary\"]\n")
        #expect(site.errors()?.contains("site.toml:3:1: error: `search.fields` must be a list of \"title\", \"tags\" and \"body\"") == true,
                "\(site.errors() ?? "no error")")
    }

    @Test func everyShardKeepsToTheBudgetUnlessItHoldsOneWord() throws {
        // 300 documents of made-up words: many share prefixes, some are in every document.
        var documents = [SearchSource]()
        var state: UInt64 = 42
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let syllables = ["ka", "lo", "mi", "ra", "su", "te", "no", "vi"]
        for n in 0..<300 {
            let body = (0..<80).map { _ in (0..<(1 + Int(next() % 3))).map { _ in syllables[Int(next() % 8)] }.joined() }
            documents.append(SearchSource(key: "post:\(n)", url: "/\(n)/", title: "T\(n)", date: "2024-01-01",
                                          fields: [(.body, body.joined(separator: " ") + " common", false)]))
        }
        let budget = 2_000
        let files = SearchFiles(sources: documents, order: documents.map(\.key), fields: [.body], budget: budget)
        #expect(files.shards.count > 10)
        var seen = Set<String>()
        let keys = Dictionary(uniqueKeysWithValues: files.shards.enumerated().map { ($1.key, $0) })
        for (key, bytes) in files.shards {
            let entries = try #require(try JSONSerialization.jsonObject(with: bytes) as? [[String]])
            #expect(bytes.count <= budget || entries.count == 1 || entries.allSatisfy { $0[0].count <= key.count + 1 },
                    "shard \(key) has \(bytes.count) bytes in \(entries.count) words")
            for entry in entries {
                #expect(entry[0].hasPrefix(key) && SearchFiles.shardIndex(of: entry[0], in: keys) == keys[key])
                #expect(seen.insert(entry[0]).inserted)
            }
        }
        #expect(SearchFiles.decodeSet(try #require(files.shards.lazy.flatMap {
            try! JSONSerialization.jsonObject(with: $0.bytes) as! [[String]] }.first { $0[0] == "common" })[3]).count == 300)
    }

    /// An edit merges again the partitions of the words it touched: no two letters share one, and every first
    /// byte has one.
    @Test func eachLetterHasAPartitionOfItsOwn() {
        let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map(SearchPartitions.of)
        #expect(Set(letters).count == 26)
        #expect((0...255).allSatisfy { (0..<SearchPartitions.count).contains(SearchPartitions.of(UInt8($0))) })
        let others = (0...255).filter { !(0x61...0x7A).contains($0) }.map { SearchPartitions.of(UInt8($0)) }
        #expect(Set(others).isDisjoint(with: letters))
        #expect(Set(letters + others) == Set(0..<SearchPartitions.count))
    }

    /// A body edit that gives the index a new shard makes the output list again from its kept part of the posts,
    /// without reading every post's facts again.
    @Test func aNewShardMakesTheOutputListAgainWithoutEveryPostsFacts() throws {
        var files: [String: String] = [:]
        for n in 0..<30 {
            files["content/posts/p\(n).md"] = post("Post \(n)", date: "2024-01-\(String(format: "%02d", n % 28 + 1)) 10:\(String(format: "%02d", n))",
                                                 body: "Words of post \(n), a few of them.")
        }
        let site = try TestSite(files)
        try site.build()
        let before = try BuiltIndex(site.files())
        // Enough new words under one prefix to pass a shard's budget: the index gains shards.
        let many = (0..<1500).map { "zq\($0)x" }.joined(separator: " ")
        try site.write("content/posts/p3.md", post("Post 3", date: "2024-01-04 10:03", body: "Words of post 3. " + many))
        try site.build()
        let after = try BuiltIndex(site.files())
        #expect(Set(after.shards.keys) != Set(before.shards.keys), "the edit changes the shards: \(after.shards.keys.sorted())")
        let (stored, _) = StateStore(site: site.root, engine: SiteBuilder.engine).loadBuild()
        let state = stored.graph
        func id(_ kind: String) throws -> Int { try #require(state.keys.firstIndex(of: NodeKey(kind, ""))) }
        // The list was made again, from its kept part of the posts (checked, not made again), not from each
        // post's facts and history.
        guard case .changed? = state.reasons[Int32(try id(Node.Outputs.kind))] else {
            Issue.record("the output list was not made again")
            return
        }
        let reads = try #require(state.records[try id(Node.Outputs.kind)]).deps.map { state.keys[Int($0.key)].kind }
        #expect(reads.contains(Node.ContentOutputs.kind))
        #expect(!reads.contains(Node.PostFacts.kind) && !reads.contains(Node.URLHistory.kind), "\(Set(reads))")
        let content = try id(Node.ContentOutputs.kind)
        #expect(state.records[content]?.value != nil, "the posts' part of the list is kept")
        if case .changed? = state.reasons[Int32(content)] { Issue.record("the posts' part of the list was made again") }
        // Nor does the sitemap, which lists the same pages, read every post's date again.
        let sitemap = BuildExplainer.explain("sitemap.xml", site: site.root, output: site.root.appendingPathComponent("public"))
        #expect(sitemap.contains("not rebuilt"), "\(sitemap)")
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
    }

    @Test func setsAreBitmapsOrDifferencesWhicheverIsShorter() {
        #expect(String(decoding: SearchFiles.encodeSet([3, 13, 14]), as: UTF8.self) == "3.a.1")
        let dense = Array(UInt32(0)..<200)
        #expect(SearchFiles.encodeSet(dense).first == UInt8(ascii: "="))
        #expect(SearchFiles.decodeSet(String(decoding: SearchFiles.encodeSet(dense), as: UTF8.self)) == dense)
        #expect(SearchFiles.decodeSet("3.a.1") == [3, 13, 14])
    }

    @Test func editingOnePostRewritesOnlyTheShardsOfItsOldAndNewWords() throws {
        // 40 posts of 60 words each, made up so that they spread over several shards.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        func words(_ n: Int) -> [String] {
            (0..<60).map { k in "\(letters[(n * 7 + k * 3) % 26])\(letters[(n + k) % 26])\(n)x\(k)" }
        }
        var files: [String: String] = [:]
        for n in 0..<40 {
            files["content/posts/p\(n).md"] = post("Post \(n)", date: "2024-01-\(String(format: "%02d", n % 28 + 1)) 10:\(String(format: "%02d", n))",
                                                 body: words(n).joined(separator: " "))
        }
        let site = try TestSite(files)
        try site.build()
        let before = try BuiltIndex(site.files())
        #expect(before.shards.count > 3, "the fixture is big enough to have several shards")
        try site.write("content/posts/p3.md", post("Post 3", date: "2024-01-04 10:03",
                                                   body: (["zebra"] + words(3).dropFirst()).joined(separator: " ")))
        let report = try site.build()
        let written = Set(report.written.map(\.value).filter { $0.hasPrefix("search/") })
        let after = try BuiltIndex(site.files())
        // The shards whose words changed: the old first word's, and zebra's.
        let touched = Set(before.shards.keys.filter { key in before.shards[key]! != (after.shards[key] ?? []) }
            + after.shards.keys.filter { before.shards[$0] == nil })
        #expect(!touched.isEmpty && touched.count < before.shards.count)
        #expect(written == Set(touched.map { "search/index/" + SearchFiles.shardFile($0) }), "\(written)")
        #expect(after.urls("zebra") == ["/2024/01/04/p3/"])
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
    }
}
