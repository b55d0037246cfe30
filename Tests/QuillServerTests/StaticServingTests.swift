import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import QuillServer

/// Serving the built site: folder indexes, redirects, content types, validators, HEAD, the 404 page, and the
/// live-reload script added on the way out.
@Suite struct StaticServingTests {
    static let page = "<!DOCTYPE html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>\n"

    static func fixture() throws -> PreviewFixture {
        try PreviewFixture([
            "index.html": page,
            "2010/01/30/sun/index.html": "<html><body>Sun</body></html>",
            "css/style.css": "body { color: black }",
            "feed.xml": "<rss/>", "feed.json": "{}", "js/site.js": "1", "img/logo.svg": "<svg/>",
            "fonts/a.woff2": "w", "img/a.png": "p", "img/a.jpg": "j", "img/a.gif": "g", "img/a.webp": "w",
            "favicon.ico": "i", "robots.txt": "User-agent: *", "data.bin": "b",
            "404.html": "<html><body><h1>Lost?</h1></body></html>",
            "drafts/notes.txt": "a folder without an index",
        ])
    }

    @Test func aFolderPathServesItsIndexWithTheReloadScript() async throws {
        let fixture = try Self.fixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/2010/01/30/sun/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.text == "<html><body>Sun<script src=\"/_quill/reload.js\"></script></body></html>")
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.text.contains("<h1>Home</h1><script src=\"/_quill/reload.js\"></script></body>"))
        }
        // The script is added on the way out only.
        #expect(try fixture.parent.read("public/index.html") == Self.page)
    }

    @Test func aFolderWithoutItsSlashIsRedirectedToIt() async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: "/2010/01/30/sun?x=1", method: .get)
            #expect(response.status == .movedPermanently)
            #expect(response.headers[.location] == "/2010/01/30/sun/?x=1")
        }
    }

    @Test func doubleSlashesNeverRedirectToAnotherHost() async throws {
        let fixture = try PreviewFixture(["evil.example/index.html": "<p>x</p>", "a/b/index.html": "<p>y</p>"])
        try await fixture.test { client in
            for (path, location) in [("//evil.example", "/evil.example/"), ("///evil.example", "/evil.example/"),
                                     ("//a//b", "/a/b/")] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .movedPermanently, "\(path)")
                #expect(response.headers[.location] == location, "\(path)")
            }
        }
    }

    @Test(arguments: [
        ("/css/style.css", "text/css; charset=utf-8"), ("/feed.xml", "application/xml; charset=utf-8"),
        ("/feed.json", "application/json"), ("/js/site.js", "text/javascript; charset=utf-8"),
        ("/img/logo.svg", "image/svg+xml"), ("/fonts/a.woff2", "font/woff2"), ("/img/a.png", "image/png"),
        ("/img/a.jpg", "image/jpeg"), ("/img/a.gif", "image/gif"), ("/img/a.webp", "image/webp"),
        ("/favicon.ico", "image/x-icon"), ("/robots.txt", "text/plain; charset=utf-8"),
        ("/data.bin", "application/octet-stream"),
    ])
    func eachFileGetsTheContentTypeOfItsExtension(path: String, type: String) async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == type)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(!response.text.contains("_quill"))
        }
    }

    @Test func aRepeatRequestWithTheETagGetsA304() async throws {
        let fixture = try Self.fixture()
        try await fixture.test { client in
            let first = try await client.execute(uri: "/css/style.css", method: .get)
            let etag = try #require(first.headers[.eTag])
            let again = try await client.execute(uri: "/css/style.css", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == etag)
            let weak = try await client.execute(uri: "/css/style.css", method: .get,
                                                headers: [.ifNoneMatch: "\"other\", W/\(etag)"])
            #expect(weak.status == .notModified)
            let other = try await client.execute(uri: "/css/style.css", method: .get, headers: [.ifNoneMatch: "\"x\""])
            #expect(other.status == .ok)

            try fixture.parent.write("public/css/style.css", "body { color: red; background: white }")
            let changed = try await client.execute(uri: "/css/style.css", method: .get, headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(changed.text == "body { color: red; background: white }")
            #expect(changed.headers[.eTag] != etag)
        }
    }

    @Test func aRequestIfModifiedSinceTheFileGetsA304() async throws {
        try await Self.fixture().test { client in
            let first = try await client.execute(uri: "/feed.xml", method: .get)
            let modified = try #require(first.headers[.lastModified])
            #expect(HTTPDate.parse(modified) != nil)
            let again = try await client.execute(uri: "/feed.xml", method: .get, headers: [.ifModifiedSince: modified])
            #expect(again.status == .notModified)
            let older = try await client.execute(uri: "/feed.xml", method: .get,
                                                 headers: [.ifModifiedSince: "Sat, 01 Jan 2000 00:00:00 GMT"])
            #expect(older.status == .ok)
            // If-None-Match wins over If-Modified-Since.
            let both = try await client.execute(uri: "/feed.xml", method: .get,
                                                headers: [.ifModifiedSince: modified, .ifNoneMatch: "\"stale\""])
            #expect(both.status == .ok)
        }
    }

    @Test func headGivesTheHeadersWithoutTheBody() async throws {
        try await Self.fixture().test { client in
            let get = try await client.execute(uri: "/", method: .get)
            let head = try await client.execute(uri: "/", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
            #expect(head.headers[.eTag] == get.headers[.eTag])
        }
    }

    @Test func missingPagesGetTheSites404PageWithStatus404() async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: "/no/such/page/", method: .get)
            #expect(response.status == .notFound)
            #expect(response.text.contains("<h1>Lost?</h1><script src=\"/_quill/reload.js\"></script>"))
        }
    }

    @Test func withoutA404PageMissingPagesGetAPlainOneThatStillReloads() async throws {
        try await PreviewFixture(["index.html": "x"]).test { client in
            let response = try await client.execute(uri: "/missing", method: .get)
            #expect(response.status == .notFound)
            #expect(response.text.contains("404 Not Found"))
            #expect(response.text.contains("/_quill/reload.js"))
        }
    }

    @Test func foldersAreNeverListed() async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: "/drafts/", method: .get)
            #expect(response.status == .notFound)
            #expect(!response.text.contains("notes.txt"))
        }
    }

    @Test func aFileAskedForAsAFolderIsNotFound() async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: "/feed.xml/", method: .get)
            #expect(response.status == .notFound)
        }
    }

    @Test func onlyGetAndHeadAreAnswered() async throws {
        try await Self.fixture().test { client in
            for method in [HTTPRequest.Method.post, .put, .delete, .options] {
                let response = try await client.execute(uri: "/", method: method)
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test func theReloadScriptIsServedAtItsReservedPath() async throws {
        try await Self.fixture().test { client in
            let response = try await client.execute(uri: "/_quill/reload.js", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(response.text.contains(
                "new EventSource(\"/_quill/events?page=\" + encodeURIComponent(location.pathname))"))
            let etag = try #require(response.headers[.eTag])
            let again = try await client.execute(uri: "/_quill/reload.js", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let other = try await client.execute(uri: "/_quill/other", method: .get)
            #expect(other.status == .notFound)
        }
    }
}
