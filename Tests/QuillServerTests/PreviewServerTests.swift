import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import QuillServer

/// The whole loop, in-process over a real socket: a temporary site is served on a free port, edited on disk,
/// broken and fixed, while a client listens on the reload channel.
@Suite struct PreviewServerTests {
    static let post = "content/posts/2024-03-01-first.md"
    static let postURL = "2024/03/01/first/"

    static let site = [
        "site.toml": """
            title = "Preview Test"
            base_url = "https://example.org/blog/"
            author = "Ann"
            time_zone = "UTC"
            """,
        post: "---\ntitle: First Post\ndate: 2024-03-01\ntags: [a]\n---\n\nHello.\n",
        "content/posts/2024-03-02-second.md": "---\ntitle: Second Post\ndate: 2024-03-02\n---\n\nAgain.\n",
        "content/about.md": "---\ntitle: About\n---\n\nAbout me.\n",
        "static/css/extra.css": "body { margin: 0 }\n",
    ]

    /// Runs a preview of a fresh copy of `site` on a free port for the length of `body`, then shuts it down and
    /// checks that `run()` returned.
    static func withPreview(_ files: [String: String] = site,
                            _ body: @escaping @Sendable (TestFolder, URL) async throws -> Void) async throws {
        let folder = try TestFolder(files)
        var options = ServeOptions(source: folder.url)
        options.port = 0
        let server = try PreviewServer(options: options, log: .silent)
        let running = Task { try await server.run() }
        do {
            let url = try await withTimeout(.seconds(120), "the first build") { await server.url() }
            try await body(folder, try #require(url))
        } catch {
            await server.shutdown()
            _ = await running.result
            throw error
        }
        await server.shutdown()
        try await withTimeout(.seconds(60), "the server to stop") { try await running.value }
    }

    static func get(_ url: URL) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString),
                                                          timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 10 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test func anEditedTitleIsServedAndBrowsersAreToldToReload() async throws {
        try await Self.withPreview { site, url in
            let page = url.appendingPathComponent(Self.postURL)
            #expect(url.absoluteString.hasPrefix("http://127.0.0.1:"))
            let before = try await Self.get(page)
            #expect(before.status == 200)
            #expect(before.body.contains("<title>First Post"))
            #expect(before.body.contains("<link rel=\"canonical\" href=\"\(page.absoluteString)\">"))  // local links

            let events = EventStreamClient(url: url.appendingPathComponent("_quill/events"))
            _ = try await withTimeout { try await events.next("hello") }
            try site.edit(Self.post, replacing: "title: First Post", with: "title: Retitled Post")
            let reload = try await withTimeout { try await events.next("reload") }
            #expect((reload.json["paths"] as? [String] ?? []).contains("/\(Self.postURL)"))
            let after = try await Self.get(page)
            #expect(after.body.contains("<title>Retitled Post"))
            #expect(after.body.contains("<script src=\"/_quill/reload.js\"></script></body>"))

            // The preview has its own output and state; `quill build`'s public/ is left alone, and the files on
            // disk never contain the script.
            let built = try site.read(".quill/serve/public/\(Self.postURL)index.html")
            #expect(built.contains("Retitled Post") && !built.contains("_quill"))
            #expect(!FileManager.default.fileExists(atPath: site.path + "/public"))
            #expect(FileManager.default.fileExists(atPath: site.path + "/.quill/serve/state"))
        }
    }

    /// A browser says which page it shows; when a rebuild changes that page, the page is written first and that
    /// browser alone is told at once, and the rest of the build does not reload it again.
    @Test func theShownPageIsReloadedFirstAndOnlyOnce() async throws {
        try await Self.withPreview { site, url in
            let channel = url.appendingPathComponent("_quill/events").absoluteString
            let home = EventStreamClient(url: URL(string: channel + "?page=%2F")!)
            let about = EventStreamClient(url: URL(string: channel + "?page=%2Fabout%2F")!)
            let unsaid = EventStreamClient(url: URL(string: channel)!)
            for client in [home, about, unsaid] { _ = try await withTimeout { try await client.next("hello") } }

            try site.edit(Self.post, replacing: "title: First Post", with: "title: Retitled Post")
            let first = try await withTimeout { try await home.next() }
            #expect(first?.name == "reload")
            let firstPaths = first?.json["paths"] as? [String] ?? []
            #expect(firstPaths.contains("/"))
            #expect(!firstPaths.contains("/\(Self.postURL)"), "a page no browser shows is not written first")
            #expect(try await Self.get(url).body.contains("Retitled Post"))

            // The home page, loaded again, connects again; the rest of the build reaches every other browser.
            let reloaded = EventStreamClient(url: URL(string: channel + "?page=%2F")!)
            _ = try await withTimeout { try await reloaded.next("hello") }
            for client in [about, unsaid] {
                let rest = try await withTimeout { try await client.next() }
                #expect(rest?.name == "reload")
                let paths = rest?.json["paths"] as? [String] ?? []
                #expect(paths.contains("/") && paths.contains("/\(Self.postURL)"))
            }
            #expect(try await Self.get(url.appendingPathComponent(Self.postURL)).body.contains("<title>Retitled Post"))

            // A stylesheet edit changes no page: every browser swaps it, and it is the next event of both home
            // page connections (neither was told to reload again).
            try site.edit("static/css/extra.css", replacing: "margin: 0", with: "margin: 1px")
            for client in [home, reloaded, about, unsaid] {
                #expect(try await withTimeout { try await client.next() }?.name == "css")
            }
        }
    }

    @Test func brokenFrontMatterShowsTheErrorUntilTheNextGoodSave() async throws {
        try await Self.withPreview { site, url in
            let page = url.appendingPathComponent(Self.postURL)
            let events = EventStreamClient(url: url.appendingPathComponent("_quill/events"))
            _ = try await withTimeout { try await events.next("hello") }

            try site.edit(Self.post, replacing: "date: 2024-03-01", with: "date: 2024-02-30")
            let failure = try await withTimeout { try await events.next("build-error") }
            let error = try #require((failure.json["errors"] as? [[String: Any]])?.first)
            #expect(error["file"] as? String == Self.post)
            #expect(error["line"] as? Int == 3)
            #expect(error["location"] as? String == "\(Self.post):3:1")
            let html = failure.json["html"] as? String ?? ""
            #expect(html.contains("<mark>3 | date: 2024-02-30</mark>"))
            #expect(html.contains("2 | title: First Post"))

            // The last good site is still served, and a page loaded now is told of the error at once.
            #expect(try await Self.get(page).body.contains("<title>First Post"))
            let late = EventStreamClient(url: url.appendingPathComponent("_quill/events"))
            #expect(try await withTimeout { try await late.next() }?.name == "hello")
            #expect(try await withTimeout { try await late.next() }?.name == "build-error")

            try site.edit(Self.post, replacing: "title: First Post\ndate: 2024-02-30",
                          with: "title: Fixed Post\ndate: 2024-03-01")
            _ = try await withTimeout { try await events.next("build-ok") }
            _ = try await withTimeout { try await events.next("reload") }
            _ = try await withTimeout { try await late.next("build-ok") }
            let recovered = try await Self.get(page)
            #expect(recovered.status == 200)
            #expect(recovered.body.contains("<title>Fixed Post"))
        }
    }

    @Test func aStylesheetEditSwapsStylesheetsWithoutAReload() async throws {
        try await Self.withPreview { site, url in
            let events = EventStreamClient(url: url.appendingPathComponent("_quill/events"))
            _ = try await withTimeout { try await events.next("hello") }
            try site.edit("static/css/extra.css", replacing: "margin: 0", with: "margin: 1px")
            let event = try await withTimeout { try await events.next() }
            #expect(event?.name == "css")
            #expect(event?.json["paths"] as? [String] == ["/css/extra.css"])
        }
    }

    @Test func aPostInANewFolderIsPickedUp() async throws {
        try await Self.withPreview { site, url in
            let events = EventStreamClient(url: url.appendingPathComponent("_quill/events"))
            _ = try await withTimeout { try await events.next("hello") }
            try site.write("content/posts/2024/trip/index.md", "---\ntitle: Trip\ndate: 2024-04-01\n---\n\nGone.\n")
            let reload = try await withTimeout { try await events.next("reload") }
            #expect((reload.json["paths"] as? [String] ?? []).contains("/2024/04/01/trip/"))
            #expect(try await Self.get(url.appendingPathComponent("2024/04/01/trip/")).body.contains("<title>Trip"))
        }
    }

    @Test func rawRequestsForeignHostsAndEscapesAreRefusedOnTheWire() async throws {
        try await Self.withPreview { site, url in
            try site.write("secret.txt", "TOP SECRET")
            let port = try #require(url.port)
            let foreign = try await RawHTTP.exchange(
                port: port, "GET / HTTP/1.1\r\nHost: evil.example:\(port)\r\nConnection: close\r\n\r\n")
            #expect(foreign.hasPrefix("HTTP/1.1 403"))
            let events = try await RawHTTP.exchange(
                port: port, "GET /_quill/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nOrigin: http://evil.example\r\n"
                    + "Connection: close\r\n\r\n")
            #expect(events.hasPrefix("HTTP/1.1 403"))
            for path in ["/../secret.txt", "/../../secret.txt", "/..%2fsecret.txt", "/..\\secret.txt",
                         "/%2e%2e/secret.txt"] {
                let answer = try await RawHTTP.exchange(
                    port: port, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
                #expect(answer.hasPrefix("HTTP/1.1 404") || answer.hasPrefix("HTTP/1.1 400"), "\(path)")
                #expect(!answer.contains("TOP SECRET"), "\(path)")
            }
            let nul = try await RawHTTP.exchange(
                port: port, "GET /secret.txt\0.html HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
            #expect(!nul.contains("TOP SECRET"))
            #expect(!nul.hasPrefix("HTTP/1.1 200"))
            let ok = try await RawHTTP.exchange(
                port: port, "GET / HTTP/1.1\r\nHost: localhost:\(port)\r\nConnection: close\r\n\r\n")
            #expect(ok.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aBusyPortIsAClearError() async throws {
        let listener = try RawHTTP.Listener()
        let folder = try TestFolder(Self.site)
        var options = ServeOptions(source: folder.url)
        options.port = listener.port
        let server = try PreviewServer(options: options, log: .silent)
        let error = await #expect(throws: ServeError.self) {
            try await withTimeout(.seconds(60), "the bind error") { try await server.run() }
        }
        #expect(error?.description.contains("port \(listener.port)") == true)
        #expect(error?.description.contains("--port") == true)
    }
}
