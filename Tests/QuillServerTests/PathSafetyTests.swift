import Foundation
import HummingbirdTesting
import Testing
@testable import QuillServer

/// No request reaches a file outside the output folder, however the path is spelled, and a symlink inside the
/// output that points outside leads nowhere.
@Suite struct PathSafetyTests {
    static func fixture() throws -> PreviewFixture {
        let fixture = try PreviewFixture([
            "index.html": "<p>home</p>", "a/index.html": "<p>a</p>", "a/b/index.html": "<p>b</p>",
            "404.html": "<p>not here</p>", "css/style.css": "body {}",
        ])
        try fixture.parent.link("public/outside", to: fixture.parent.path)                       // a folder outside
        try fixture.parent.link("public/secret-link.txt", to: fixture.parent.path + "/secret.txt")
        try fixture.parent.link("public/a/relative.txt", to: "../../secret.txt")
        try fixture.parent.link("public/style-link.css", to: "css/style.css")                    // stays inside
        return fixture
    }

    @Test(arguments: [
        "/../secret.txt", "/a/../../secret.txt", "/a/b/../../../secret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt",
        "/a/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt", "/a%2f..%2f..%2fsecret.txt", "/%2F..%2F..%2Fsecret.txt",
        "/..%5csecret.txt", "/a/..%5C..%5Csecret.txt",
        "/..\\secret.txt", "/a\\..\\..\\secret.txt", "/\\..\\secret.txt",
        "/secret.txt%00.html", "/a/%00/../../secret.txt", "/%00",
        "/%252e%252e/secret.txt", "/%c0%ae%c0%ae/secret.txt",
        "/outside/secret.txt", "/outside/", "/outside", "/secret-link.txt", "/a/relative.txt",
    ])
    func aPathThatWouldLeaveTheOutputFolderIsNotFound(path: String) async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .notFound)
            #expect(!response.text.contains("TOP SECRET"))
            #expect(response.headers[.location] == nil)
        }
    }

    @Test func aSymlinkThatStaysInsideIsServed() async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: "/style-link.css", method: .get)
            #expect(response.status == .ok)
            #expect(response.text == "body {}")
        }
    }

    @Test func theSecretIsReallyThere() throws {
        // The tests above would pass vacuously if the file they aim at were missing.
        let fixture = try Self.fixture()
        #expect(try fixture.parent.read("secret.txt") == PreviewFixture.secret)
        #expect(try fixture.parent.read("public/secret-link.txt") == PreviewFixture.secret)
    }

    @Test func segmentsAreDecodedOnceAndDotSegmentsRefused() {
        #expect(OutputFolder.segments(of: "/a%20b/c/")?.map(\.decoded) == ["a b", "c"])
        #expect(OutputFolder.segments(of: "//a///b")?.map(\.decoded) == ["a", "b"])
        #expect(OutputFolder.segments(of: "/%252e%252e")?.map(\.decoded) == ["%2e%2e"])
        #expect(OutputFolder.segments(of: "/a/./b") == nil)
        #expect(OutputFolder.segments(of: "/%2e") == nil)
        #expect(OutputFolder.segments(of: "/a%ZZ") == nil)
        #expect(OutputFolder.segments(of: "a/b") == nil)
    }
}
