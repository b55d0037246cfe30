import Foundation
import Testing
@testable import QuillCore

/// A reproducible random number generator (SplitMix64), so that a failing random run can be replayed by its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The incremental build always equals a clean build, and rebuilds exactly what an edit affects.
@Suite struct IncrementalBuildTests {
    /// The site's `public/` folder as path → bytes.
    static func published(_ site: TestSite) -> [String: Data] { site.files(under: "public") }

    static func clean(_ site: TestSite) throws -> [String: Data] {
        var files = [String: Data]()  // bytes as rendered: a bundle's image is not UTF-8
        for output in try SiteBuilder(options: site.options()).render().0 { files[output.path.value] = Data(output.bytes) }
        return files
    }

    /// Fails with the files that differ between `public/` and a clean build.
    static func expectEqualToClean(_ site: TestSite, _ context: @autoclosure () -> String,
                                   sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let incremental = published(site)
        let clean = try clean(site)
        let differing = Set(incremental.keys).union(clean.keys).filter { incremental[$0] != clean[$0] }.sorted()
        #expect(differing.isEmpty, "\(context()): differs from a clean build: \(differing)", sourceLocation: sourceLocation)
    }

    // MARK: Random edits

    @Test func randomEditsKeepTheIncrementalBuildEqualToACleanOne() throws {
        let steps = Int(ProcessInfo.processInfo.environment["QUILL_RANDOM_STEPS"] ?? "") ?? 220
        let seed = UInt64(ProcessInfo.processInfo.environment["QUILL_RANDOM_SEED"] ?? "")
            ?? UInt64(Date().timeIntervalSince1970)
        var random = SeededGenerator(seed: seed)
        var editor = RandomSiteEditor()
        let site = try TestSite(editor.initialFiles(&random))
        try site.build()
        var log = [String]()
        var appended = 0, folded = 0  // builds that extended the journal, builds that wrote the state in full
        let journal = site.root.appendingPathComponent(".quill/state.journal").path
        for step in 1...steps {
            let journalBefore = FileSnapshot.stat(journal)?.size ?? 0
            let edit = try editor.edit(site, &random)
            log.append("\(step): \(edit)")
            do {
                try site.build()
            } catch {
                // A broken state of the sources is allowed (the build must then fail cleanly); undo it.
                Issue.record("seed \(seed), step \(step) (\(edit)): build failed: \(error)")
                return
            }
            let before = log.suffix(5).joined(separator: "; ")
            try Self.expectEqualToClean(site, "QUILL_RANDOM_SEED=\(seed) step \(step), last edits: \(before)")
            if Self.published(site) != (try Self.clean(site)) { return }
            let journalAfter = FileSnapshot.stat(journal)?.size ?? 0
            if journalAfter > journalBefore { appended += 1 } else if journalAfter < journalBefore { folded += 1 }
        }
        if steps >= 200 {
            #expect(appended > steps / 2, "most builds extend the state's journal")
            #expect(folded > 0, "the journal is folded into a full state once it grows")
        }
    }

    // MARK: Exact rebuilds

    /// Eight posts, three per page, feeds of three: the oldest post is on page 3 and in no feed.
    static func fixture() throws -> TestSite {
        var files: [String: String] = ["site.toml": TestSite.basicConfig + "\n[feeds]\nlimit = 3\n"]
        for n in 1...8 {
            files["content/posts/p\(n).md"] = post(
                "Post \(n)", date: "2024-01-0\(n) 10:00", tags: n == 1 ? [] : ["common"],
                body: "Summary of \(n).\n\n<!--more-->\n\nThe rest of post \(n) says something.")
        }
        return try TestSite(files)
    }

    @Test func editingTheBodyOfAnOldPostRewritesExactlyOneFile() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p1.md", post(
            "Post 1", date: "2024-01-01 10:00",
            body: "Summary of 1.\n\n<!--more-->\n\nThe rest of post 1 says everything."))
        let report = try site.build()
        // The page, and the search index's shard of the words that came and went ("something", "everything").
        #expect(report.written.map(\.value) == ["2024/01/01/p1/index.html", "search/index/t-.json"])
        // Nothing else is even made again: not the index's manifest, nor its list of documents.
        #expect(report.rendered == 2)
        try Self.expectEqualToClean(site, "after a body edit")
    }

    /// Lists show a post's reading time, not its word count: words added to a post on the second pages of the
    /// home and tag lists and on its author's page render none of them again while the reading time stays the same.
    @Test func wordsAddedWithinTheSameReadingTimeRenderNoListAgain() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p4.md", post(
            "Post 4", date: "2024-01-04 10:00", tags: ["common"],
            body: "Summary of 4.\n\n<!--more-->\n\nThe rest of post 4 says something, and then a few words more."))
        let report = try site.build()
        #expect(report.written.map(\.value) == ["2024/01/04/p4/index.html", "search/index/t-.json"])
        #expect(report.rendered == 2)
        try Self.expectEqualToClean(site, "after words added to a post")
    }

    /// A theme that shows the word count in its lists gets the exact count there, edit after edit.
    @Test func aThemeNamingTheWordCountShowsTheExactCountInItsLists() throws {
        let site = try Self.fixture()
        let partial = EmbeddedTheme.files["templates/partials/post-meta.mustache"]!
        #expect(partial.contains("{{readingTime}} min read"))
        try site.write("templates/partials/post-meta.mustache",
                       partial.replacingOccurrences(of: "{{readingTime}} min read", with: "{{wordCount}} words"))
        func home() -> String { String(decoding: Self.published(site)["index.html"] ?? Data(), as: UTF8.self) }
        try site.build()
        #expect(home().contains("10 words"))  // "Summary of 8." and "The rest of post 8 says something."
        try site.write("content/posts/p8.md", post(
            "Post 8", date: "2024-01-08 10:00", tags: ["common"],
            body: "Summary of 8.\n\n<!--more-->\n\nThe rest of post 8 says something, and more."))
        let report = try site.build()
        #expect(report.written.map(\.value).contains("index.html"))
        #expect(home().contains("12 words"))
        try Self.expectEqualToClean(site, "after words added, with a theme showing the word count")
    }

    @Test func aBuildWithNoChangesWritesAndRendersNothing() throws {
        let site = try Self.fixture()
        let first = try site.build()
        let second = try site.build()
        #expect(first.written.count == first.outputs)
        #expect(second.written.isEmpty)
        #expect(second.rendered == 0)
        #expect(second.unchanged == first.outputs)
    }

    @Test func addingATagCreatesItsPagesAndRewritesOnlyWhatShowsThePostsTags() throws {
        let site = try Self.fixture()
        try site.build()
        let before = try Self.clean(site)
        try site.write("content/posts/p5.md", post(
            "Post 5", date: "2024-01-05 10:00", tags: ["common", "C++"],
            body: "Summary of 5.\n\n<!--more-->\n\nThe rest of post 5 says something."))
        let report = try site.build()
        let after = try Self.clean(site)
        let changed = Set(after.keys).filter { before[$0] != after[$0] }
        #expect(Set(report.written.map(\.value)) == changed)
        for path in ["tags/c-plus-plus/index.html", "tags/c-plus-plus/feed.xml", "tags/c-plus-plus/atom.xml"] {
            #expect(changed.contains(path))
        }
        #expect(!changed.contains("2024/01/04/p4/index.html"), "a post page that does not show post 5's tags")
        try Self.expectEqualToClean(site, "after adding a tag")
    }

    @Test func editingATemplateRerendersOnlyThePagesThatUseIt() throws {
        let site = try Self.fixture()
        try site.build()
        var text = EmbeddedTheme.files["templates/tags.mustache"]!
        text = text.replacingOccurrences(of: "{{/main}}", with: "<p>All the tags.</p>\n{{/main}}")
        try site.write("templates/tags.mustache", text)
        let report = try site.build()
        #expect(report.rendered == 1)
        #expect(report.written.map(\.value) == ["tags/index.html"])
        try Self.expectEqualToClean(site, "after a template edit")
    }

    /// `quill serve` keeps the compiled templates from one build to the next (`BuildOptions.templateCache`): what
    /// it reuses must be only the compiled templates, never the list fragments or partial memos of the build that
    /// compiled them (the home page would show a retitled post's old card).
    @Test func buildsSharingCompiledTemplatesEqualCleanOnes() throws {
        let site = try Self.fixture()
        let cache = TemplateCache()
        try site.build { $0.templateCache = cache }
        func retitle(_ title: String) throws {
            try site.write("content/posts/p8.md", post(
                title, date: "2024-01-08 10:00", tags: ["common"],
                body: "Summary of 8.\n\n<!--more-->\n\nThe rest of post 8 says something."))
        }
        try retitle("Post 8, retitled")
        let report = try site.build { $0.templateCache = cache }
        #expect(report.written.map(\.value).contains("index.html"))
        try Self.expectEqualToClean(site, "after a title edit, with the templates of the last build")
        var summary = EmbeddedTheme.files["templates/partials/post-summary.mustache"]!
        summary = summary.replacingOccurrences(of: "{{title}}", with: "{{title}} (summary)")
        try site.write("templates/partials/post-summary.mustache", summary)
        try site.build { $0.templateCache = cache }
        #expect(String(decoding: Self.published(site)["index.html"]!, as: UTF8.self).contains("(summary)"))
        try Self.expectEqualToClean(site, "after a partial edit, with a template cache")
        try retitle("Post 8, retitled again")
        try site.build { $0.templateCache = cache }
        try Self.expectEqualToClean(site, "after a second title edit, with a template cache")
    }

    @Test func aPartialEditRerendersEveryPageUsingIt() throws {
        let site = try Self.fixture()
        let first = try site.build()
        let footer = EmbeddedTheme.files["templates/partials/footer.mustache"]!
        try site.write("templates/partials/footer.mustache", footer.replacingOccurrences(of: "Built with", with: "Made with"))
        let report = try site.build()
        #expect(report.written.count == first.htmlFiles)
        try Self.expectEqualToClean(site, "after a partial edit")
    }

    /// A page records the templates it includes as the compiler reads them: `{{>` followed by a tab, and a partial
    /// named inside a section of a parent's block, are includes too (a scanner of its own missed the first).
    @Test func aPartialIncludedAfterATabIsADependencyToo() throws {
        let site = try Self.fixture()
        var tags = EmbeddedTheme.files["templates/tags.mustache"]!
        tags = tags.replacingOccurrences(of: "{{/main}}", with: "{{#site}}{{>\tpartials/note}}{{/site}}\n{{/main}}")
        try site.write("templates/tags.mustache", tags)
        try site.write("templates/partials/note.mustache", "<p>First note.</p>")
        try site.build()
        #expect(String(decoding: Self.published(site)["tags/index.html"]!, as: UTF8.self).contains("First note."))
        try site.write("templates/partials/note.mustache", "<p>Second note.</p>")
        let report = try site.build()
        #expect(report.written.map(\.value) == ["tags/index.html"])
        #expect(String(decoding: Self.published(site)["tags/index.html"]!, as: UTF8.self).contains("Second note."))
        try Self.expectEqualToClean(site, "after editing a partial included after a tab")
    }

    @Test func changingTheSiteDescriptionRerendersOnlyWhatShowsIt() throws {
        let site = try Self.fixture()
        let first = try site.build()
        try site.write("site.toml", TestSite.basicConfig + "\ndescription = \"New words\"\n[feeds]\nlimit = 3\n")
        let report = try site.build()
        #expect(report.rendered < first.outputs)
        #expect(report.written.contains { $0.value == "feed.xml" })
        try Self.expectEqualToClean(site, "after a description change")
    }

    @Test func deletingAPostRemovesItsPageAndEmptyFolders() throws {
        let site = try Self.fixture()
        try site.build()
        try site.remove("content/posts/p3.md")
        let report = try site.build()
        // Its page, and the third page of its tag, which now has six posts.
        #expect(report.removed.map(\.value) == ["2024/01/03/p3/index.html", "tags/common/page/3/index.html"])
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public/2024/01/03").path))
        try Self.expectEqualToClean(site, "after deleting a post")
    }

    @Test func untouchedOutputsKeepTheirModificationTime() throws {
        let site = try Self.fixture()
        try site.build()
        let page = site.root.appendingPathComponent("public/2024/01/05/p5/index.html").path  // shows nothing of p1
        let before = try FileManager.default.attributesOfItem(atPath: page)[.modificationDate] as? Date
        try site.write("content/posts/p1.md", post("Post 1 renamed", date: "2024-01-01 10:00"))
        try site.build()
        let after = try FileManager.default.attributesOfItem(atPath: page)[.modificationDate] as? Date
        #expect(before == after)
    }

    @Test func aTamperedOrDeletedOutputIsRestored() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("public/2024/01/02/p2/index.html", "tampered")
        try site.remove("public/tags/index.html")
        let report = try site.build()
        #expect(Set(report.written.map(\.value)) == ["2024/01/02/p2/index.html", "tags/index.html"])
        try Self.expectEqualToClean(site, "after tampering")
    }

    // MARK: The state

    @Test func aCorruptStateMeansAFullBuildWithANotice() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p2.md", post("Post 2 again", date: "2024-01-02 10:00"))
        var bytes = try Data(contentsOf: site.root.appendingPathComponent(".quill/state"))
        bytes[bytes.count / 2] ^= 0xFF
        try site.write(".quill/state", bytes)
        let report = try site.build()
        #expect(report.notices.contains { $0.contains("damaged") })
        #expect(report.rendered == report.outputs)
        try Self.expectEqualToClean(site, "after a corrupt state")
    }

    @Test func aTruncatedOrMissingStateIsHarmless() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write(".quill/state", Data("QUILLSTATE".utf8))
        #expect(try site.build().notices.count == 1)
        try site.remove(".quill")
        try site.write("content/posts/p2.md", post("Post 2 again", date: "2024-01-02 10:00"))
        let report = try site.build()
        #expect(report.notices.isEmpty)
        try Self.expectEqualToClean(site, "after deleting the state")
    }

    @Test func aNewTitleLeavesTheIndexTheOutputListAndTheSitemapAlone() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p2.md", post("Post two, renamed", date: "2024-01-02 10:00", tags: ["common"],
                                                   body: "Summary of 2.\n\n<!--more-->\n\nThe rest of post 2 says something."))
        try site.build()
        let public_ = site.root.appendingPathComponent("public")
        #expect(BuildExplainer.explain("sitemap.xml", site: site.root, output: public_).contains("not rebuilt"))
        let archive = BuildExplainer.explain("/archive/", site: site.root, output: public_)
        #expect(archive.contains("rebuilt because `post.meta content/posts/p2.md` changed"), "\(archive)")
        try Self.expectEqualToClean(site, "after a new title")
    }

    @Test func postsOfTheSameInstantAreOrderedByTitleAlsoAfterATitleEdit() throws {
        var files = ["site.toml": TestSite.basicConfig]
        for (name, title) in [("a", "Beta"), ("b", "Alpha"), ("c", "Gamma")] {
            files["content/posts/\(name).md"] = post(title, date: "2024-01-01")
        }
        let site = try TestSite(files)
        try site.build()
        try site.write("content/posts/c.md", post("Aardvark", date: "2024-01-01"))
        try site.build()
        try Self.expectEqualToClean(site, "after retitling a post that shares its date")
        let home = String(decoding: site.files()["index.html"] ?? Data(), as: UTF8.self)
        let order = ["Aardvark", "Alpha", "Beta"].compactMap { home.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted(), "same-instant posts in title order")
    }

    @Test func aBuildThatTrustsItsOutputFolderSkipsCheckingItButNotAMissingOne() throws {
        let site = try Self.fixture()
        let trusting: (inout BuildOptions) -> Void = { $0.checksOutputs = false }
        try site.build(trusting)
        try site.write("public/tags/index.html", "changed behind Quill's back")
        #expect(try site.build(trusting).written.isEmpty, "a trusted folder is not looked at")
        try site.write("content/posts/p2.md", post("Post 2 again", date: "2024-01-02 10:00", tags: ["common"]))
        #expect(try site.build(trusting).written.contains(OutputPath("2024/01/02/p2/index.html")))
        try site.remove("public")
        let report = try site.build(trusting)
        #expect(report.written.count == report.outputs, "a deleted folder is built again in full")
        try Self.expectEqualToClean(site, "after deleting a trusted output folder")
    }

    @Test func aSmallEditExtendsTheJournalAndLeavesTheStateFileAlone() throws {
        let site = try Self.fixture()
        try site.build()
        let state = try Data(contentsOf: site.root.appendingPathComponent(".quill/state"))
        for n in 1...3 {
            try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-02 10:00", tags: ["common"],
                                                       body: "Summary of 2.\n\n<!--more-->\n\nEdit \(n)."))
            let report = try site.build()
            #expect(report.written.map(\.value) == ["2024/01/02/p2/index.html", "search/index/t-.json"])
        }
        #expect(try Data(contentsOf: site.root.appendingPathComponent(".quill/state")) == state)
        #expect(try Data(contentsOf: site.root.appendingPathComponent(".quill/state.journal")).count > 0)
        let report = try site.build()
        #expect(report.rendered == 0 && report.written.isEmpty, "the journal's entries are read back")
        try Self.expectEqualToClean(site, "after three journalled edits")
    }

    @Test func aTornJournalEntryCostsWorkButNeverCorrectness() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p2.md", post("Post 2 renamed", date: "2024-01-02 10:00", tags: ["common"]))
        try site.build()
        try site.write("content/posts/p5.md", post("Post 5 renamed", date: "2024-01-05 10:00", tags: ["other"]))
        try site.build()
        // The last entry loses its tail, as when the machine stops halfway through the append.
        let journal = site.root.appendingPathComponent(".quill/state.journal")
        let bytes = try Data(contentsOf: journal)
        try site.write(".quill/state.journal", bytes.prefix(bytes.count - 5))
        try site.write("content/posts/p7.md", post("Post 7 renamed", date: "2024-01-07 10:00"))
        let report = try site.build()
        #expect(report.notices.isEmpty)
        #expect(report.written.contains(OutputPath("2024/01/07/p7/index.html")))
        try Self.expectEqualToClean(site, "after a torn journal entry")
        let again = try site.build()
        #expect(again.rendered == 0 && again.written.isEmpty, "the torn entry was cut off before appending")
    }

    @Test func aJournalLeftFromAnotherStateIsIgnored() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p2.md", post("Post 2 renamed", date: "2024-01-02 10:00", tags: ["common"]))
        try site.build()
        let journal = try Data(contentsOf: site.root.appendingPathComponent(".quill/state.journal"))
        try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-02 10:00", tags: ["common"]))
        try site.build { $0.clean = true }
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".quill/state.journal").path))
        try site.write(".quill/state.journal", journal)
        let report = try site.build()
        #expect(report.rendered == 0 && report.written.isEmpty)
        try Self.expectEqualToClean(site, "with a journal of another state")
    }

    @Test func cleanBuildIgnoresTheState() throws {
        let site = try Self.fixture()
        let first = try site.build()
        let report = try site.build { $0.clean = true }
        #expect(report.rendered == first.outputs)
        #expect(report.written.isEmpty)
    }

    @Test func verifyNamesFilesThatAreNotWhatACleanBuildMakes() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("public/tags/stray.txt", "left over")  // inside a folder the build makes
        try site.write("public/CNAME", "blog.example.org\n")  // at the top, put there by hand: kept, not compared
        let (_, differences) = try SiteBuilder(options: site.options()).verify()
        #expect(differences == ["tags/stray.txt: not produced by a clean build"])
        try site.remove("public/tags/stray.txt")
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
        #expect(site.files()["CNAME"] == Data("blog.example.org\n".utf8))
    }

    @Test func explainSaysWhyANeighbourWasRebuilt() throws {
        let site = try Self.fixture()
        try site.build()
        try site.write("content/posts/p3.md", post("Post three", date: "2024-01-03 10:00", tags: ["common"]))
        try site.build()
        let text = BuildExplainer.explain(
            "/2024/01/04/p4/", site: site.root, output: site.root.appendingPathComponent("public"))
        #expect(text.contains("rebuilt because `post.meta content/posts/p3.md` changed"))
        #expect(text.contains("`file content/posts/p3.md` changed"))
        // p1 has no tags (so no related posts) and p2 for its neighbour: nothing of p3 is on its page. (p7 lists
        // p3 among its related posts, with its title.)
        let untouched = BuildExplainer.explain(
            "2024/01/01/p1/index.html", site: site.root, output: site.root.appendingPathComponent("public"))
        #expect(untouched.contains("not rebuilt"))
    }

    @Test func aPostGoesLiveWhenTheClockPassesItsDate() throws {
        let site = try Self.fixture()
        try site.write("content/posts/later.md", post("Later", date: "2024-06-01 10:00"))
        let before = try site.build { $0.now = Date(timeIntervalSince1970: 1_714_000_000) }  // April 2024
        #expect(before.skipped.count == 1)
        let after = try site.build { $0.now = Date(timeIntervalSince1970: 1_720_000_000) }  // July 2024
        #expect(after.skipped.isEmpty)
        #expect(after.written.contains { $0.value == "2024/06/01/later/index.html" })
    }
}

/// A build into an empty output folder writes each output as it is rendered; a failure takes it all back.
@Suite struct StreamingWriteTests {
    @Test func aColdBuildThatFailsWhileWritingLeavesNoOutputFolder() throws {
        let site = try Self.fixtureWithManyPosts()
        #expect(throws: BuildFailure.self) { try site.build { $0.failsAfterStreamedWrites = 10 } }
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public").path))
        try FileManager.default.createDirectory(at: site.root.appendingPathComponent("public"),
                                                withIntermediateDirectories: true)
        #expect(throws: BuildFailure.self) { try site.build { $0.failsAfterStreamedWrites = 10 } }
        #expect(site.files().isEmpty, "an empty folder that was there stays, empty")
        try site.build()
        try IncrementalBuildTests.expectEqualToClean(site, "after two failed cold builds")
    }

    static func fixtureWithManyPosts() throws -> TestSite {
        var files = ["site.toml": TestSite.basicConfig]
        for n in 1...20 { files["content/posts/p\(n).md"] = post("Post \(n)", date: "2024-01-01 10:00", tags: ["x"]) }
        return try TestSite(files)
    }

    @Test func aColdBuildIntoAnEmptyFolderEqualsACleanBuild() throws {
        let site = try IncrementalBuildTests.fixture()
        try FileManager.default.createDirectory(at: site.root.appendingPathComponent("public"),
                                                withIntermediateDirectories: true)
        let report = try site.build()
        #expect(report.written.count == report.outputs)
        try IncrementalBuildTests.expectEqualToClean(site, "after a streamed cold build")
        let again = try site.build()
        #expect(again.written.isEmpty && again.rendered == 0)
    }
}
