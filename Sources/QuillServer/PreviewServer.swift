import Foundation
import Hummingbird
import Logging
import NIOCore
import QuillCore
import ServiceLifecycle

/// `quill serve`: builds the site into a folder of its own, serves it, watches its sources, rebuilds
/// incrementally after each save and reloads every open page — or shows the build's errors over it.
///
/// ```swift
/// let server = try PreviewServer(options: ServeOptions(source: URL(fileURLWithPath: ".")),
///                                onReady: { url in print("serving at \(url)") })
/// try await server.run()   // until SIGINT or SIGTERM
/// ```
public final class PreviewServer: Sendable {
    /// What this server serves, and how.
    public let options: ServeOptions
    let session = ServeSession()
    let hub = LiveReloadHub(serverID: UUID().uuidString)
    private let group: ServiceGroup

    /// Sets up the server and the watches; nothing listens or builds until `run()`. `onReady` is called with the
    /// preview's address once the first build is done.
    public init(options: ServeOptions, log: ServeLog = .standard,
                onReady: @escaping @Sendable (URL) async -> Void = { _ in }) throws {
        self.options = options
        let watcher = try Self.watcher(for: options, log: log)
        let responder = SiteResponder(
            folder: OutputFolder(options.output), boundHost: options.host, session: session, hub: hub)
        let loop = RebuildLoop(
            options: options, session: session, hub: hub, watcher: watcher, log: log, onReady: onReady)
        var logger = Logger(label: "quill.serve")
        logger.logLevel = .error
        let session = session
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            services: [loop],
            onServerRunning: { channel in await session.bound(to: channel.localAddress?.port ?? options.port) },
            logger: logger)
        group = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }

    /// Listens, builds, and rebuilds on every change until SIGINT or SIGTERM (or `shutdown()`), then closes the
    /// connections and returns. Throws `ServeError.portInUse` when the port is taken.
    public func run() async throws {
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ServeError.portInUse(host: options.host, port: options.port)
        } catch where "\(error)".contains("Address already in use") {
            throw ServeError.portInUse(host: options.host, port: options.port)
        }
    }

    /// The preview's address, once the server listens and the first build is done; nil if cancelled first.
    public func url() async -> URL? {
        guard let port = await session.waitUntilReady() else { return nil }
        return URL(string: options.baseURL(port: port))
    }

    /// Stops the server as SIGINT would.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
    }

    private static func watcher(for options: ServeOptions, log: ServeLog) throws -> any FileWatcher {
        if let interval = options.pollingInterval { return PollingWatcher(site: options.source, interval: interval) }
        #if canImport(Glibc)
        do {
            return try InotifyWatcher(site: options.source)
        } catch {
            log.error("warning: \(error); checking for changes every half second instead")
        }
        #endif
        return PollingWatcher(site: options.source, interval: .milliseconds(500))
    }
}

/// Why `quill serve` could not start.
public enum ServeError: Error, CustomStringConvertible {
    /// Another program listens on the port.
    case portInUse(host: String, port: Int)

    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            "port \(port) on \(host) is already in use; pick another with --port (for example --port \(port + 1))"
        }
    }
}
