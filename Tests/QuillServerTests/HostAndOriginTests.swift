import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import QuillServer

/// The preview answers only requests addressed to it (DNS rebinding), and its reload channel only pages of its own
/// origin.
@Suite struct HostAndOriginTests {
    static let host = HTTPField.Name("Host")!

    @Test(arguments: ["localhost:1313", "127.0.0.1:1313", "[::1]:1313", "LOCALHOST:1313", "localhost"])
    func theServersOwnNamesAreAccepted(host: String) {
        #expect(HostPolicy(boundHost: "127.0.0.1", port: 1313).allowsHost(host))
    }

    @Test(arguments: ["evil.example:1313", "evil.example", "127.0.0.1:9999", "localhost:1313:1", "[::1", "",
                      "127.0.0.1.evil.example:1313", "localhost.evil.example:1313", "[::2]:1313", "10.0.0.5:1313"])
    func otherNamesAndPortsAreRefused(host: String) {
        #expect(!HostPolicy(boundHost: "127.0.0.1", port: 1313).allowsHost(host))
    }

    @Test func theBoundHostIsAcceptedAndEveryAddressWhenBoundToAll() {
        #expect(HostPolicy(boundHost: "myhost.local", port: 8080).allowsHost("myhost.local:8080"))
        #expect(HostPolicy(boundHost: "::1", port: 8080).allowsHost("[::1]:8080"))
        let everywhere = HostPolicy(boundHost: "0.0.0.0", port: 8080)
        #expect(everywhere.allowsHost("192.168.1.20:8080"))
        #expect(everywhere.allowsHost("[fe80::1]:8080"))
        #expect(!everywhere.allowsHost("evil.example:8080"))
    }

    @Test func originsMustBeThisServerWithItsPort() {
        let policy = HostPolicy(boundHost: "127.0.0.1", port: 1313)
        #expect(policy.allowsOrigin(nil))
        #expect(policy.allowsOrigin("http://localhost:1313"))
        #expect(policy.allowsOrigin("http://127.0.0.1:1313"))
        #expect(!policy.allowsOrigin("http://localhost"))
        #expect(!policy.allowsOrigin("http://evil.example:1313"))
        #expect(!policy.allowsOrigin("https://localhost:1313"))
        #expect(!policy.allowsOrigin("null"))
        #expect(!policy.allowsOrigin("http://localhost:1313/path"))
    }

    @Test(arguments: ["/", "/_quill/events", "/_quill/reload.js", "/missing"])
    func aForeignHostHeaderGets403(path: String) async throws {
        try await StaticServingTests.fixture().test { client in
            let response = try await client.execute(uri: path, method: .get, headers: [Self.host: "evil.example:1313"])
            #expect(response.status == .forbidden)
        }
    }

    @Test(arguments: ["http://evil.example", "http://evil.example:1313", "null", "http://localhost:8000"])
    func theReloadChannelRefusesForeignOrigins(origin: String) async throws {
        try await StaticServingTests.fixture().test { client in
            for path in ["/_quill/events", "/_quill/reload.js"] {
                let response = try await client.execute(uri: path, method: .get, headers: [.origin: origin])
                #expect(response.status == .forbidden, "\(path)")
            }
        }
    }

    @Test func theServersOwnHostIsServed() async throws {
        try await StaticServingTests.fixture().test { client in
            let response = try await client.execute(uri: "/", method: .get, headers: [Self.host: "127.0.0.1:1313"])
            #expect(response.status == .ok)
        }
    }
}
