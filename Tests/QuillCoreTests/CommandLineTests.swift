import Foundation
import Testing
@testable import QuillCore

/// The `quill` command as a user meets it, run as a child process.
@Suite struct CommandLineTests {
    static func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quill-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theVersionIsPrintedBothWays() throws {
        let flag = try QuillProcess.run(["--version"])
        #expect(flag.ending == .exited(0) && flag.stdout == QuillVersion.current + "\n", "\(flag)")
        let command = try QuillProcess.run(["version"])
        #expect(command.ending == .exited(0) && command.stdout == "quill \(QuillVersion.current)\n", "\(command)")
    }

    @Test func helpListsEveryCommandWithAnExample() throws {
        let help = try QuillProcess.run(["help"])
        #expect(help.ending == .exited(0), "\(help)")
        for example in ["quill new site my-blog", "quill new post \"", "quill new page \"Contact\"", "quill new theme ",
                        "quill build ", "quill serve ", "quill explain /", "quill import jekyll ", "quill import wordpress ",
                        "quill version"] {
            #expect(help.stdout.contains("  " + example), "no example of `\(example)` in:\n\(help.stdout)")
        }
    }

    @Test func aCommandOutsideASiteSaysHowToMakeOne() throws {
        let folder = try Self.emptyFolder()
        for arguments in [["new", "post", "Hello"], ["new", "page", "About"], ["build"], ["explain", "/"]] {
            let run = try QuillProcess.run(arguments, in: folder)
            #expect(run.ending == .exited(1), "\(arguments): \(run)")
            #expect(run.stderr.contains("error: no site.toml here (or in any parent folder)"), "\(arguments): \(run)")
            #expect(run.stderr.contains("quill new site"), "\(arguments): \(run)")
            #expect(!run.stderr.contains("build failed"), "\(arguments): \(run)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func commandsFindTheSiteFromAFolderInsideIt() throws {
        let site = try TestSite(["content/posts/2024-01-02-a.md": post("A")])
        let inside = site.root.appendingPathComponent("content/posts")
        let created = try QuillProcess.run(["new", "post", "From Inside", "--date", "2024-02-03"], in: inside)
        #expect(created.ending == .exited(0), "\(created)")
        #expect(created.stdout == "created 2024-02-03-from-inside.md\n", "\(created)")
        #expect(FileManager.default.fileExists(atPath: inside.appendingPathComponent("2024-02-03-from-inside.md").path))
        let built = try QuillProcess.run(["build"], in: inside)
        #expect(built.ending == .exited(0), "\(built)")
        #expect(site.files()["2024/02/03/from-inside/index.html"] != nil)
        #expect(!FileManager.default.fileExists(atPath: inside.appendingPathComponent("public").path))
    }

    @Test func explainLeadsWithASentenceAndFailsForWhatIsNoOutput() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-02 10:00", tags: ["t"]),
            "content/posts/b.md": post("B", date: "2024-01-03 10:00", tags: ["t"]),
            "content/posts/c.md": post("C", date: "2024-01-04 10:00"),
        ])
        #expect(try QuillProcess.build(site.root).ending == .exited(0))
        try site.write("content/posts/a.md", post("A, renamed", date: "2024-01-02 10:00", tags: ["t"]))
        #expect(try QuillProcess.build(site.root).ending == .exited(0))
        let tag = try QuillProcess.run(["explain", "/tags/t/", "--source", site.root.path])
        #expect(tag.ending == .exited(0), "\(tag)")
        #expect(tag.stdout.hasPrefix("tags/t/index.html was rebuilt because content/posts/a.md changed.\n"), "\(tag)")
        #expect(tag.stdout.contains("In detail: made by node"))
        let untouched = try QuillProcess.run(["explain", "/2024/01/04/c/", "--source", site.root.path])
        #expect(untouched.stdout.hasPrefix("2024/01/04/c/index.html was not rebuilt in the last build"), "\(untouched)")
        let missing = try QuillProcess.run(["explain", "/nope/", "--source", site.root.path])
        #expect(missing.ending == .exited(1), "\(missing)")
        #expect(missing.stderr.contains("nope/index.html is not an output of the last build"), "\(missing)")
    }

    @Test func buildRefusesAFolderOfTheUsersUnlessForced() throws {
        let site = try TestSite(["content/posts/a.md": post("A")])
        try site.write("mine/notes.txt", "mine")
        let output = site.root.appendingPathComponent("mine")
        let refused = try QuillProcess.build(site.root, output: output)
        #expect(refused.ending == .exited(1), "\(refused)")
        #expect(refused.stderr.contains("no Quill build made it (it holds notes.txt)"), "\(refused)")
        #expect(site.files(under: "mine", mark: true) == ["notes.txt": Data("mine".utf8)])
        let forced = try QuillProcess.build(site.root, output: output, ["--force"])
        #expect(forced.ending == .exited(0), "\(forced)")
        #expect(site.files(under: "mine")["notes.txt"] == Data("mine".utf8))
        #expect(site.files(under: "mine")["index.html"] != nil)
    }

    @Test func aNewSiteBuildsAndANewThemeIsCopied() throws {
        let folder = try Self.emptyFolder()
        let made = try QuillProcess.run(["new", "site", "blog"], in: folder)
        #expect(made.ending == .exited(0), "\(made)")
        let blog = folder.appendingPathComponent("blog")
        let theme = try QuillProcess.run(["new", "theme", "mine"], in: blog)
        #expect(theme.ending == .exited(0), "\(theme)")
        #expect(FileManager.default.fileExists(atPath: blog.appendingPathComponent("themes/mine/templates/post.mustache").path))
        let built = try QuillProcess.run(["build"], in: blog)
        #expect(built.ending == .exited(0), "\(built)")
    }
}
