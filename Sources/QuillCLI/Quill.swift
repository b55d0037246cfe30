import ArgumentParser
import Foundation
import QuillCore

@main
struct Quill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quill",
        abstract: "A static blog engine: Markdown posts in, a complete site with feeds out.",
        subcommands: [BuildCommand.self, ServeCommand.self, NewCommand.self, ExplainCommand.self, ImportCommand.self])

    /// A write past a file size limit (`ulimit -f`) raises SIGXFSZ, which ends the process unless it is ignored;
    /// ignored, the write fails with "File too large" and the build reports it like a full disk.
    static func reportFileSizeLimitAsAWriteError() {
        signal(SIGXFSZ, SIG_IGN)
    }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build the site into its output folder.")

    @Option(name: .long, help: "The site folder, holding site.toml.")
    var source: String = "."

    @Option(name: .long, help: "Where to write the site (default: SOURCE/public). Files Quill did not produce are removed.")
    var output: String?

    @Option(name: .customLong("base-url"), help: "Use this base URL instead of site.toml's base_url.")
    var baseURL: String?

    @Flag(help: "Include posts and pages marked draft.")
    var drafts = false

    @Flag(help: "Include posts dated in the future.")
    var future = false

    @Flag(help: "Ignore the stored build state (.quill/) and build everything.")
    var clean = false

    @Flag(help: "After building, build again from scratch in memory and name every file that differs.")
    var verify = false

    func run() throws {
        Quill.reportFileSizeLimitAsAWriteError()
        let sourceURL = URL(fileURLWithPath: source)
        var options = BuildOptions(
            source: sourceURL, output: output.map { URL(fileURLWithPath: $0) }, now: Date(),
            sourceDateEpoch: ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"]
                .flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:)))
        options.baseURL = baseURL
        options.includeDrafts = drafts
        options.includeFuture = future
        options.clean = clean
        options.memory = .keptToExit  // the process ends after this build
        do {
            let builder = SiteBuilder(options: options)
            if verify {
                let (report, differences) = try builder.verify()
                print(report.summary)
                guard differences.isEmpty else {
                    for line in differences { FileHandle.standardError.write(Data("verify: \(line)\n".utf8)) }
                    FileHandle.standardError.write(Data("verify: \(differences.count) files differ from a clean build\n".utf8))
                    throw ExitCode.failure
                }
                print("verify: the output equals a clean build")
            } else {
                print(try builder.build().summary)
            }
        } catch let error as BuildFailure {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Say what an output read in the last build, and why it was or was not rebuilt.")

    @Argument(help: "An output file (2010/01/30/sun/index.html), a URL path (/2010/01/30/sun/) or a full URL.")
    var path: String

    @Option(name: .long, help: "The site folder, holding site.toml.")
    var source: String = "."

    @Option(name: .long, help: "The output folder of that build (default: SOURCE/public).")
    var output: String?

    func run() throws {
        let site = URL(fileURLWithPath: source)
        print(BuildExplainer.explain(
            path, site: site, output: output.map { URL(fileURLWithPath: $0) } ?? site.appendingPathComponent("public")))
    }
}

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Create a site or a post.", subcommands: [NewPost.self, NewSite.self])
}

struct NewPost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Create content/posts/<slug>.md with front matter filled in.")

    @Argument(help: "The post's title.")
    var title: String

    @Option(help: "Comma-separated tags.")
    var tags: String = ""

    @Option(name: .long, help: "The site folder, holding site.toml.")
    var source: String = "."

    func run() throws {
        let tagList = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            let file = try SiteScaffold.newPost(
                title: title, tags: tagList, site: URL(fileURLWithPath: source), now: Date())
            print("created \(file.relativePath)")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct NewSite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Create a working site (built-in default theme) in a new folder.")

    @Argument(help: "The folder to create.")
    var directory: String

    func run() throws {
        do {
            try SiteScaffold.newSite(at: URL(fileURLWithPath: directory), now: Date())
            print("created \(directory); build it with: quill build --source \(directory)")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
