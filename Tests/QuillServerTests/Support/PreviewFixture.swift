import Foundation
import Hummingbird
import HummingbirdTesting
@testable import QuillServer

/// An output folder served in-process (Hummingbird's router test client: no sockets), with a file outside it
/// for the traversal tests to aim at. The responder's first build counts as done, on port 1313.
struct PreviewFixture {
    static let port = 1313
    static let secret = "TOP SECRET: outside the output folder"

    let parent: TestFolder
    let hub = LiveReloadHub(serverID: "test-server")

    /// `files` are written to `parent/public/`; `secret.txt` sits beside that folder.
    init(_ files: [String: String]) throws {
        var all = ["secret.txt": Self.secret]
        for (path, text) in files { all["public/" + path] = text }
        parent = try TestFolder(all)
    }

    var output: URL { parent.url.appendingPathComponent("public") }

    /// Runs `test` against the responder with Hummingbird's in-process test client.
    func test(host: String = "127.0.0.1", _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
        async throws {
        let responder = SiteResponder(
            folder: OutputFolder(output), boundHost: host, session: ServeSession(port: Self.port, ready: true),
            hub: hub)
        try await Application(responder: responder).test(.router) { client in try await test(client) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
