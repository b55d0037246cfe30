import Foundation
import QuillCore

/// How `quill serve` runs: which site, where it listens, and what the preview includes.
///
/// ```swift
/// var options = ServeOptions(source: URL(fileURLWithPath: "."))
/// options.port = 0   // any free port
/// let server = PreviewServer(options: options)
/// try await server.run()
/// ```
public struct ServeOptions: Sendable {
    /// The site folder (holding `site.toml`).
    public var source: URL
    /// The address to listen on; loopback unless asked otherwise.
    public var host = "127.0.0.1"
    /// The port to listen on; 0 takes any free one.
    public var port = 1313
    /// Include posts and pages marked draft.
    public var includeDrafts = false
    /// Include posts dated in the future.
    public var includeFuture = false
    /// The date of feeds without posts, from `SOURCE_DATE_EPOCH`.
    public var sourceDateEpoch: Date?
    /// How long a burst of file events must be quiet before a rebuild.
    public var quietPeriod: Duration = .milliseconds(25)
    /// The longest a rebuild waits while events keep coming.
    public var maximumDelay: Duration = .milliseconds(250)
    /// Compare stat data at this interval instead of using inotify.
    public var pollingInterval: Duration?

    /// Options for serving the site in `source` on 127.0.0.1:1313.
    public init(source: URL) {
        self.source = source
    }

    /// Where the preview is built: its own folder, so it never fights `quill build` over `public/`.
    public var output: URL { source.appendingPathComponent(".quill/serve/public") }
    /// The preview's own build-graph state.
    public var state: URL { source.appendingPathComponent(".quill/serve/state") }

    /// The address browsers use: `http://HOST:PORT/` (localhost when listening on every interface).
    public func baseURL(port: Int) -> String {
        var host = host
        if ["0.0.0.0", "::", "[::]"].contains(host) { host = "localhost" }
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        return "http://\(host):\(port)/"
    }

    /// The build options of the preview on `port`, at the time `now`: the site's links point at the preview.
    public func buildOptions(port: Int, now: Date) -> BuildOptions {
        var options = BuildOptions(source: source, output: output, now: now, sourceDateEpoch: sourceDateEpoch)
        options.state = state
        options.baseURL = baseURL(port: port)
        options.includeDrafts = includeDrafts
        options.includeFuture = includeFuture
        options.recordsURLs = false  // a preview publishes nothing: published-urls.txt is quill build's
        // The preview's folder is Quill's own (.quill/serve/public): no stat of every page before each rebuild,
        // and the last build's memory is freed after the browser has been told to reload.
        options.checksOutputs = false
        options.publishesAtomically = false
        options.memory = .freedInBackground
        return options
    }
}
