import Foundation
import Testing
@testable import QuillCore

/// A file quill may not read, and a disk that refuses a write midway, met by the built `quill build` in a child
/// process: a clear error naming the file and the system's reason, a non-zero exit (never a signal), and the
/// previous output folder as it was.
@Suite struct ReadAndWriteFailureProcessTests {
    /// How to run quill as a user that `chmod 000` stops: as is when not root; when root (as in CI), as nobody
    /// (65534) through setpriv, with `folder` handed over to that user. `quill` is a copy of the binary that
    /// nobody can run, when the build folder is out of its reach (under /root); remove it after use.
    static func unprivileged(owning folder: URL) throws -> (prefix: [String], quill: URL?) {
        guard geteuid() == 0 else { return ([], nil) }
        let setpriv = try #require(["/usr/bin/setpriv", "/bin/setpriv"].first(where: FileManager.default.isExecutableFile),
                                   "as root, the test needs setpriv (util-linux) to run quill as an unprivileged user")
        try handOver(folder)
        let prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        if try QuillProcess.run(["--help"], prefix: prefix).ending == .exited(0) { return (prefix, nil) }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("quill-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        chmod(copy.path, 0o755)
        let quill = copy.appendingPathComponent("quill")
        try FileManager.default.copyItem(at: try #require(QuillProcess.binary), to: quill)
        return (prefix, quill)
    }

    /// Makes user and group 65534 own `folder` and everything in it.
    static func handOver(_ folder: URL) throws {
        guard geteuid() == 0 else { return }
        var paths = [folder.path]
        for case let relative as String in FileManager.default.enumerator(atPath: folder.path) ?? .init() {
            paths.append(folder.path + "/" + relative)
        }
        for path in paths { #expect(lchown(path, 65534, 65534) == 0, "chown \(path)") }
    }

    @Test func unreadablePostIsNamedWithTheSystemsReasonAndTheSiteIsKept() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", tags: ["x"]),
            "content/posts/b.md": post("B", date: "2024-01-03 10:00"),
        ])
        let user = try Self.unprivileged(owning: site.root)
        defer { if let copy = user.quill { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) } }
        let first = try QuillProcess.build(site.root, prefix: user.prefix, quill: user.quill)
        #expect(first.ending == .exited(0), "\(first)")
        let before = site.files()
        #expect(before.count > 10)

        try site.write("content/posts/secret.md", post("Secret", date: "2024-01-04 10:00"))
        try site.write("content/posts/b.md", post("B", date: "2024-02-30 10:00"))  // and a second, unrelated error
        try Self.handOver(site.root)
        #expect(chmod(site.root.appendingPathComponent("content/posts/secret.md").path, 0) == 0)
        let run = try QuillProcess.build(site.root, prefix: user.prefix, quill: user.quill)
        #expect(run.ending == .exited(1), "\(run)")
        BadInputTests.expectDiagnostic(run.stderr, "content/posts/secret.md: error: cannot read the file: Permission denied")
        BadInputTests.expectDiagnostic(run.stderr, "content/posts/b.md:3:1: error: cannot read `date`")
        #expect(BadInputTests.errorCount(run.stderr) == 2)
        #expect(site.files() == before)
    }

    // MARK: Disk full

    /// Runs quill with a file size limit of some 50 kB (`ulimit -f 100`: 512-byte blocks in dash, 1 kB in bash): a
    /// write past it fails with EFBIG, "File too large", as a write to a full disk fails with ENOSPC. The wrapper
    /// leaves SIGXFSZ at its default action, which kills the writer: quill must ignore it to report the error.
    static let fileSizeLimit = ["sh", "-c", "ulimit -f 100 && exec \"$0\" \"$@\""]

    /// Makes a 400 kB page, past the limit; the site's other files stay far below it.
    static let bigPost = post("Big", date: "2024-01-09 10:00", body: String(repeating: "word ", count: 80_000))

    static func smallSite() throws -> TestSite {
        var files = [String: String]()
        for day in 1...5 { files["content/posts/p\(day).md"] = post("P\(day)", date: "2024-01-0\(day) 10:00", tags: ["t"]) }
        return try TestSite(files)
    }

    @Test(arguments: [false, true])
    func writeErrorInAColdBuildLeavesTheOutputFolderAsItWas(outputFolderExists: Bool) throws {
        let site = try Self.smallSite()
        try site.write("content/posts/big.md", Self.bigPost)
        let output = site.root.appendingPathComponent("public")
        if outputFolderExists { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        let run = try QuillProcess.build(site.root, prefix: Self.fileSizeLimit)
        #expect(run.ending == .exited(1), "\(run)")
        Self.expectWriteError(run)
        #expect(FileManager.default.fileExists(atPath: output.path) == outputFolderExists)
        #expect(site.files().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".quill/state").path))

        try site.remove("content/posts/big.md")
        let next = try QuillProcess.build(site.root, ["--verify"], prefix: Self.fileSizeLimit)
        #expect(next.ending == .exited(0), "\(next)")
        #expect(next.stdout.hasSuffix("verify: the output equals a clean build\n"))
    }

    /// A file that did not fit (the big post's page, or a feed holding its text: whichever was written first),
    /// named by its place in the output folder, with the system's reason and a hint.
    static func expectWriteError(_ run: QuillProcess.Outcome, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let index = lines.firstIndex { line in
            ["/public/2024/01/09/big/index.html", "/public/feed.xml", "/public/atom.xml", "/public/feed.json",
             "/public/tags/t/feed.xml", "/public/tags/t/atom.xml"]
                .contains { line.hasSuffix($0 + ": error: cannot write the file: File too large") }
        }
        #expect(index != nil, "\(run)", sourceLocation: sourceLocation)
        if let index {
            #expect(lines[index + 1].hasPrefix("  hint: free some disk space"), sourceLocation: sourceLocation)
        }
        #expect(lines.last == "error: build failed with 1 error; the output folder was not touched",
                sourceLocation: sourceLocation)
    }

    @Test func aBuildStateTooBigToSaveLeavesACompleteSiteAndAWarning() throws {
        // Eighty short posts: every page fits in the limit, the build state (a few kB a post) does not.
        var files = [String: String]()
        for n in 1...80 {
            files["content/posts/p\(n).md"] = post("P\(n)", date: String(format: "2024-01-01 10:%02d", n % 60), tags: ["t"])
        }
        let site = try TestSite(files)
        let run = try QuillProcess.build(site.root, prefix: Self.fileSizeLimit)
        #expect(run.ending == .exited(0), "\(run)")
        #expect(run.stdout.contains(".quill/state: warning: the build state could not be saved: cannot write "), "\(run)")
        #expect(run.stdout.contains(".quill/state: File too large\n  hint: the site in public/ is complete"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".quill/state").path))
        let next = try QuillProcess.build(site.root, ["--verify"])
        #expect(next.ending == .exited(0), "\(next)")
        #expect(next.stdout.hasSuffix("verify: the output equals a clean build\n"))
        #expect(next.stdout.contains("80 posts") || next.stdout.contains("(80 posts"), "\(next.stdout)")
    }

    @Test func writeErrorInAnIncrementalBuildLeavesThePreviousSite() throws {
        let site = try Self.smallSite()
        let first = try QuillProcess.build(site.root)
        #expect(first.ending == .exited(0), "\(first)")
        let before = site.files()
        #expect(before.count > 10)

        try site.write("content/posts/p1.md", post("P1, retitled", date: "2024-01-01 10:00", tags: ["t"]))
        try site.write("content/posts/big.md", Self.bigPost)
        let run = try QuillProcess.build(site.root, prefix: Self.fileSizeLimit)
        #expect(run.ending == .exited(1), "\(run)")
        Self.expectWriteError(run)
        #expect(site.files() == before, "changed: \(site.files().filter { before[$0.key] != $0.value }.keys.sorted())")

        let next = try QuillProcess.build(site.root, ["--verify"])
        #expect(next.ending == .exited(0), "\(next)")
        #expect(next.stdout.hasSuffix("verify: the output equals a clean build\n"))
    }
}
