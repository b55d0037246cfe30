import Foundation
import Testing
@testable import QuillCore

/// The output folder is Quill's only where Quill made it: files put at its top by hand stay through every sequence
/// of builds, and a folder of the user's is never taken over.
@Suite struct OutputFolderTests {
    static let cname = Data("blog.example.org\n".utf8)

    static func other(_ site: TestSite) -> URL { site.root.appendingPathComponent("other") }

    @Test func aHandPlacedFileStaysThroughABuildIntoAnotherFolderAndBack() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("public/CNAME", Self.cname)
        try site.build { $0.output = Self.other(site) }
        let back = try site.build()
        #expect(back.removed.isEmpty, "removed \(back.removed)")
        #expect(site.files()["CNAME"] == Self.cname)
        #expect(site.files(under: ".public.quill")["CNAME"] == nil)
        // And through the builds after it, which use the spare folder that build made.
        for n in 1...2 {
            try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Edit \(n)."))
            try site.build()
            #expect(site.files()["CNAME"] == Self.cname, "build \(n)")
        }
        try IncrementalBuildTests.expectEqualToClean(site.withoutHandPlaced(["CNAME"]), "after builds elsewhere")
    }

    @Test func aHandPlacedFileStaysThroughCleanBuilds() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("public/CNAME", Self.cname)
        try site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n")
        for n in 1...3 {
            if n == 2 { try site.write("content/posts/p2.md", post("Post 2", date: "2024-01-01 10:00", body: "New.")) }
            let report = try site.build { $0.clean = true }
            #expect(report.removed.isEmpty, "build \(n) removed \(report.removed)")
            #expect(site.files()["CNAME"] == Self.cname, "build \(n)")
            #expect(site.files()[".git/HEAD"] != nil, "build \(n)")
        }
    }

    @Test func aHandPlacedFileStaysWhenTheStateIsLost() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("public/CNAME", Self.cname)
        try site.remove(".quill")
        try site.build()
        #expect(site.files()["CNAME"] == Self.cname)
    }

    @Test func aPageTheSiteNoLongerMakesIsRemovedEvenWithoutTheState() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.write("content/about.md", "---\ntitle: About\n---\nHi.\n")
        try site.build()
        try site.remove("content/about.md")
        try site.remove(".quill")
        let report = try site.build()
        #expect(report.removed.map(\.value) == ["about/index.html"])
        #expect(site.files()["about/index.html"] == nil)
    }

    /// The moment a kill test aims at: after the files put at the top by hand are carried into the spare folder,
    /// before the swap. They are linked there, not moved, so the output folder still holds them; after the swap the
    /// output folder has them (the same files) and the spare folder does not.
    @Test func filesCarriedOverStayInTheOutputFolderUntilTheSwap() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("quill-carry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let live = root.appendingPathComponent("public"), state = root.appendingPathComponent(".quill")
        try FileManager.default.createDirectory(at: live.appendingPathComponent(".git/refs"), withIntermediateDirectories: true)
        try Data("ref: refs/heads/gh-pages\n".utf8).write(to: live.appendingPathComponent(".git/HEAD"))
        try Data("abc\n".utf8).write(to: live.appendingPathComponent(".git/refs/main"))
        try Self.cname.write(to: live.appendingPathComponent("CNAME"))
        let publisher = Publisher(live: live, stateFolder: state)
        let spareFolder = try #require(publisher.freshSpare())
        defer { close(spareFolder) }
        let names = [".git", "CNAME"]
        try publisher.carryOver(names, spareFolder: spareFolder)
        // Killed here: the output folder is as it was, and nothing needs moving back.
        for path in [".git/HEAD", ".git/refs/main", "CNAME"] {
            #expect(FileManager.default.fileExists(atPath: live.path + "/" + path), "\(path) left the output folder")
            #expect(FileManager.default.fileExists(atPath: publisher.spare.path + "/" + path), "\(path) not carried")
        }
        #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("carried").path))
        try publisher.swap()
        publisher.carriedOver(names)
        #expect(try Data(contentsOf: live.appendingPathComponent("CNAME")) == Self.cname)
        #expect(try Data(contentsOf: live.appendingPathComponent(".git/refs/main")) == Data("abc\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: publisher.spare.path + "/CNAME"))
        #expect(!FileManager.default.fileExists(atPath: publisher.spare.path + "/.git"))
    }

    @Test func aBuildKilledAfterCarryingFilesOverGivesThemBack() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Once."))
        try site.build()
        // As a build killed between moving CNAME into the spare folder and the swap leaves things:
        let live = site.root.appendingPathComponent("public").path, spare = site.root.appendingPathComponent(".public.quill").path
        try site.write(".public.quill/CNAME", Self.cname)
        try site.write(".quill/carried", "quill carried 1\n\(live)\nCNAME\nend")
        #expect(site.files()["CNAME"] == nil)
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Twice."))
        try site.build()
        #expect(site.files()["CNAME"] == Self.cname)
        #expect(!FileManager.default.fileExists(atPath: spare + "/CNAME"))
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".quill/carried").path))
    }

    @Test func theMarkListsTheNamesAtTheTopThatTheBuildMade() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        let mark = try #require(site.files(mark: true)[OutputMark.fileName].map { String(decoding: $0, as: UTF8.self) })
        let lines = mark.split(separator: "\n").map(String.init)
        #expect(lines.first == "quill output 1")
        let names = Set(site.files().keys.map(OutputMark.topName))
        #expect(Set(lines.dropFirst().filter { !$0.hasPrefix("#") }) == names)
        #expect(names.contains("index.html") && names.contains("2024") && !names.contains(OutputMark.fileName))
    }

    @Test func aFolderQuillDidNotMakeIsRefusedAndLeftAsItWas() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        let documents = site.root.appendingPathComponent("Documents")
        try site.write("Documents/taxes.pdf", "numbers")
        try site.write("Documents/index.html", "<p>my own page</p>")
        try site.write("Documents/photos/cat.jpg", "meow")
        let failure = try #require(throws: BuildFailure.self) { try site.build { $0.output = documents } }
        let text = failure.description
        #expect(text.contains("\(documents.path): error: the output folder is not empty and no Quill build made it"))
        #expect(text.contains("index.html, photos/, taxes.pdf"), "\(text)")
        #expect(text.contains("--force"))
        #expect(site.files(under: "Documents", mark: true) == [
            "taxes.pdf": Data("numbers".utf8), "index.html": Data("<p>my own page</p>".utf8),
            "photos/cat.jpg": Data("meow".utf8),
        ])
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".Documents.quill").path))
    }

    @Test func forceBuildsIntoSuchAFolderKeepingTheNamesTheSiteDoesNotMake() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        let documents = site.root.appendingPathComponent("Documents")
        try site.write("Documents/taxes.pdf", "numbers")
        try site.write("Documents/index.html", "<p>my own page</p>")
        try site.build {
            $0.output = documents
            $0.force = true
        }
        let files = site.files(under: "Documents")
        #expect(files["taxes.pdf"] == Data("numbers".utf8))
        #expect(files["index.html"].map { String(decoding: $0, as: UTF8.self).contains("Test Blog") } == true)
        // Marked now: the next build needs no --force.
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Again."))
        try site.build { $0.output = documents }
        #expect(site.files(under: "Documents")["taxes.pdf"] == Data("numbers".utf8))
    }

    @Test func aFolderIsQuillsByItsMarkItsSpareFolderOrTheState() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        let other = Self.other(site)
        try site.build { $0.output = other }
        // The mark alone (no state, no spare folder yet: one build so far).
        try site.remove(".quill")
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Second."))
        try site.build { $0.output = other }
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".other.quill").path))
        // The spare folder beside it (a folder an older quill built has no mark).
        try site.remove("other/.quill-output")
        try site.remove(".quill")
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Third."))
        try site.build { $0.output = other }
        // The state, when it was saved for this folder.
        try site.remove("other/.quill-output")
        try site.remove(".other.quill")
        try site.write("content/posts/p1.md", post("Post 1", date: "2024-01-01 10:00", tags: ["x"], body: "Fourth."))
        try site.build { $0.output = other }
        // None of them: refused.
        try site.remove("other/.quill-output")
        try site.remove(".other.quill")
        try site.remove(".quill")
        #expect(throws: BuildFailure.self) { try site.build { $0.output = other } }
        #expect(throws: BuildFailure.self) { try site.build { $0.output = other; $0.clean = true } }
    }

    @Test func anEmptyOrMissingFolderIsBuiltInto() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try FileManager.default.createDirectory(at: Self.other(site), withIntermediateDirectories: true)
        try site.build { $0.output = Self.other(site) }
        try site.build { $0.output = site.root.appendingPathComponent("new/deeper") }
        #expect(site.files(under: "new/deeper")["index.html"] != nil)
    }

    @Test func verifyLeavesHandPlacedFilesOut() throws {
        let site = try StreamingWriteTests.fixtureWithManyPosts()
        try site.build()
        try site.write("public/CNAME", Self.cname)
        #expect(try SiteBuilder(options: site.options()).verify().differences.isEmpty)
    }
}

extension TestSite {
    /// This site, for comparisons with a clean build that leave out the named files at the top of `public/`.
    func withoutHandPlaced(_ names: [String]) throws -> TestSite {
        let copy = try TestSite([:])
        try FileManager.default.removeItem(at: copy.root)
        try FileManager.default.copyItem(at: root, to: copy.root)
        for name in names { try copy.remove("public/\(name)") }
        return copy
    }
}
