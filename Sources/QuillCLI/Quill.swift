import ArgumentParser
import Foundation
import QuillCore

@main
struct Quill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quill",
        abstract: "A static blog engine: Markdown posts in, a complete site with feeds out.",
        discussion: """
            Run a command inside a site folder (or any folder below it), or name the site with --source.

            Examples, one per command:
              quill new site my-blog                 a working site, built-in theme
              quill new post "Hi" --tags a,b         content/posts/<today>-hi.md
              quill new page "Contact"               content/contact.md, at /contact/
              quill new theme my-theme               themes/my-theme/, to change
              quill build                            the site into public/
              quill serve --open                     a live preview that reloads
              quill explain /2010/01/30/sun/         why a page was rebuilt
              quill import jekyll old-blog new-blog  a Jekyll blog, URLs kept
              quill import wordpress blog.xml new    a WordPress export, URLs kept
              quill version                          which quill this is

            `quill help COMMAND` (or `quill COMMAND --help`) tells more of each.
            """,
        version: QuillVersion.current,
        subcommands: [BuildCommand.self, ServeCommand.self, CheckCommand.self, NewCommand.self, ExplainCommand.self,
                      ImportCommand.self, VersionCommand.self])

    /// A write past a file size limit (`ulimit -f`) raises SIGXFSZ, which ends the process unless it is ignored;
    /// ignored, the write fails with "File too large" and the build reports it like a full disk.
    static func reportFileSizeLimitAsAWriteError() {
        signal(SIGXFSZ, SIG_IGN)
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version of quill.")

    func run() {
        print("quill \(QuillVersion.current)")
    }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build the site into its output folder.",
        discussion: """
            Only what changed since the last build is rendered and written; the site is published in one step, \
            so a failed or killed build leaves the last good one. Files put at the top of the output folder by \
            hand (CNAME, .git) are kept.
            """)

    @OptionGroup var site: SiteFolder

    @Option(name: .long, help: "Where to write the site (default: SOURCE/public); a folder with files Quill did not make is refused unless --force.",
            completion: .directory)
    var output: String?

    @Option(name: .customLong("base-url"), help: "Use this base URL instead of site.toml's base_url.")
    var baseURL: String?

    @OptionGroup var selection: ContentSelection

    @Flag(help: "Ignore the stored build state (.quill/) and build everything.")
    var clean = false

    @Flag(help: "After building, build again from scratch in memory and name every file that differs.")
    var verify = false

    @Flag(help: "Build into an output folder that holds files Quill did not make: the names the site produces are replaced, every other name at its top is kept.")
    var force = false

    @Flag(name: .customLong("strict-urls"),
          help: "Make a moved post whose old URL cannot redirect, and a post no longer published, errors (for CI) instead of `moved:` and `gone:` lines.")
    var strictURLs = false

    func run() throws {
        Quill.reportFileSizeLimitAsAWriteError()
        try reportingFailures {
            var options = BuildOptions(source: try site.resolve(), output: output.map { URL(fileURLWithPath: $0) },
                                       now: Date(), sourceDateEpoch: sourceDateEpoch())
            options.baseURL = baseURL
            options.includeDrafts = selection.drafts
            options.includeFuture = selection.future
            options.clean = clean
            options.force = force
            options.strictURLs = strictURLs
            options.memory = .keptToExit  // the process ends after this build
            let progress = BuildProgress()
            options.progress = progress
            let builder = SiteBuilder(options: options)
            let line = ProgressLine.start(progress)
            defer { line?.stop() }
            guard verify else {
                let report = try builder.build()
                line?.stop()
                print(report.summary)
                return
            }
            let (report, differences) = try builder.verify()
            line?.stop()
            print(report.summary)
            guard differences.isEmpty else {
                throw CommandFailure((differences.map { "verify: \($0)" }
                    + ["verify: \(differences.count) files differ from a clean build"]).joined(separator: "\n"))
            }
            print("verify: the output equals a clean build")
        }
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Build the site, then check every internal link and #fragment of every page.",
        discussion: """
            Each broken link is reported where it was written (the post's or template's file:line:col), with the \
            closest published URL when there is one. Exits with status 1 when a link is broken. No network is used \
            unless --external is given: then each distinct http(s) link is asked too (8 requests at once, 2 per \
            host), and the answers are kept in SOURCE/.quill/external-links.json for a day.
            """)

    @OptionGroup var site: SiteFolder

    @Option(name: .long, help: "Where the site is built (default: SOURCE/public).", completion: .directory)
    var output: String?

    @OptionGroup var selection: ContentSelection

    @Flag(name: .customLong("strict-urls"),
          help: "Make a moved post whose old URL cannot redirect, and a post no longer published, errors.")
    var strictURLs = false

    @Flag(help: "Check off-site http and https links too, over the network (answers kept for a day in .quill/).")
    var external = false

    @Option(help: "With --external: how long to wait for each server, in whole seconds.")
    var timeout = 10

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a whole number of seconds, 1 or more") }
    }

    func run() async throws {
        Quill.reportFileSizeLimitAsAWriteError()
        do {
            var options = BuildOptions(source: try site.resolve(), output: output.map { URL(fileURLWithPath: $0) },
                                       now: Date(), sourceDateEpoch: sourceDateEpoch())
            options.includeDrafts = selection.drafts
            options.includeFuture = selection.future
            options.strictURLs = strictURLs
            options.memory = .keptToExit
            let check = SiteCheck(options: options)
            let report: SiteCheck.Report
            if external {
                var checker = ExternalLinks(options: options)
                checker.timeout = timeout
                report = try await check.run(external: checker)
            } else {
                report = try check.run()
            }
            print(report.build.summary)
            for diagnostic in report.problems + report.warnings { print(diagnostic) }
            print(report.summary)
            if !report.problems.isEmpty { throw ExitCode.failure }
        } catch {
            throw Self.reported(error)
        }
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Say why an output was or was not rebuilt in the last build, and what it read.",
        discussion: "Exits with status 1 when the path is not an output of the last build.")

    @Argument(help: "An output file (2010/01/30/sun/index.html), a URL path (/2010/01/30/sun/) or a full URL.")
    var path: String

    @OptionGroup var site: SiteFolder

    @Option(name: .long, help: "The output folder of that build (default: SOURCE/public).")
    var output: String?

    func run() throws {
        try reportingFailures {
            let folder = try site.resolve()
            let explanation = BuildExplainer.explain(
                path, site: folder, output: output.map { URL(fileURLWithPath: $0) } ?? folder.appendingPathComponent("public"))
            guard explanation.found else { throw CommandFailure(explanation.text) }
            print(explanation.text)
        }
    }
}

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Create a site, a post, a page or a theme.",
        subcommands: [NewPost.self, NewPage.self, NewSite.self, NewTheme.self])
}

struct NewPost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Create content/posts/YYYY-MM-DD-<slug>.md with its front matter filled in.",
        discussion: "Example: quill new post \"Notes from the road\" --tags travel,notes --draft --bundle")

    @Argument(help: "The post's title.")
    var title: String

    @Option(help: "Comma-separated tags.")
    var tags: String = ""

    @Option(help: "The post's author (default: none written, so site.toml's author applies).")
    var author: String?

    @Option(help: "The post's date: 2024-05-01, 2024-05-01 09:30 … (default: now, in the site's time zone).")
    var date: String?

    @Flag(help: "Mark the post a draft (built only with --drafts).")
    var draft = false

    @Flag(help: "Make a folder post, content/posts/<date>-<slug>/index.md, whose images sit beside it.")
    var bundle = false

    @OptionGroup var site: SiteFolder

    func run() throws {
        try reportingFailures {
            var request = SiteScaffold.PostRequest(title: title)
            request.tags = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            request.author = author
            request.date = date
            request.draft = draft
            request.bundle = bundle
            let folder = try site.resolve()
            let file = try SiteScaffold.newPost(request, site: folder, now: Date())
            print("created \(Self.shown(file, in: folder))")
        }
    }

    /// `file`'s path as the user can open it: relative to the working folder when it is inside it.
    static func shown(_ file: URL, in site: URL) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        let path = file.standardizedFileURL.path
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }
}

struct NewPage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "page", abstract: "Create content/<slug>.md, a standalone page published at /<slug>/.",
        discussion: "Example: quill new page \"Contact\"")

    @Argument(help: "The page's title.")
    var title: String

    @OptionGroup var site: SiteFolder

    func run() throws {
        try reportingFailures {
            let folder = try site.resolve()
            let file = try SiteScaffold.newPage(title: title, site: folder)
            print("created \(NewPost.shown(file, in: folder))")
        }
    }
}

struct NewTheme: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme", abstract: "Copy the built-in theme to themes/<name>/, to change it wholesale.",
        discussion: "Example: quill new theme my-theme (then set theme = \"my-theme\" in site.toml)")

    @Argument(help: "The new theme's folder name.")
    var name: String

    @OptionGroup var site: SiteFolder

    func run() throws {
        try reportingFailures {
            let folder = try site.resolve()
            let theme = try SiteScaffold.newTheme(named: name, site: folder)
            print("created \(NewPost.shown(theme, in: folder))/ (templates/ and static/)")
            print("use it with `theme = \"\(name)\"` in site.toml")
        }
    }
}

struct NewSite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Create a working site (built-in default theme) in a new folder.",
        discussion: "Example: quill new site my-blog")

    @Argument(help: "The folder to create.")
    var directory: String

    func run() throws {
        try reportingFailures {
            try SiteScaffold.newSite(at: URL(fileURLWithPath: directory), now: Date())
            print("created \(directory); build it with: cd \(directory) && quill build (or quill serve to preview)")
        }
    }
}
