import ArgumentParser
import Foundation
import QuillServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it, and rebuild and reload the browser on every save.",
        discussion: """
            The preview is built into SOURCE/.quill/serve/public with links to the local address; public/ is \
            left alone. Build errors are shown in the browser over the last good version of the page.
            """)

    @OptionGroup var site: SiteFolder

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port: Int = 1313

    @OptionGroup var selection: ContentSelection

    @Flag(help: "Open the preview in the default browser (xdg-open).")
    var open = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let source = site.source,
           !FileManager.default.fileExists(atPath: URL(fileURLWithPath: source).appendingPathComponent("site.toml").path) {
            throw ValidationError("no site.toml in \(source); create a site with: quill new site DIR")
        }
    }

    func run() async throws {
        Quill.reportFileSizeLimitAsAWriteError()
        let folder: URL
        do {
            folder = try site.resolve()
        } catch let failure as CommandFailure {
            Self.printError(failure.message)
            throw ExitCode.failure
        }
        var options = ServeOptions(source: folder)
        options.host = host
        options.port = port
        options.includeDrafts = selection.drafts
        options.includeFuture = selection.future
        options.sourceDateEpoch = sourceDateEpoch()
        let open = open, shownFolder = options.source.path
        do {
            let server = try PreviewServer(options: options) { url in
                ServeLog.standard.info("serving \(shownFolder) at \(url) (Ctrl-C to stop)")
                if open { Self.openBrowser(at: url) }
            }
            try await server.run()
        } catch let error as ServeError {
            Self.printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Opens `url` with xdg-open when there is one; a missing browser is not worth failing over.
    private static func openBrowser(at url: URL) {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        guard let opener = paths.map({ "\($0)/xdg-open" }).first(where: FileManager.default.isExecutableFile) else {
            ServeLog.standard.error("note: xdg-open not found; open \(url) yourself")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [url.absoluteString]
        try? process.run()
    }
}
