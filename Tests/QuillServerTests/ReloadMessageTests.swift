import Foundation
import QuillCore
import Testing
@testable import QuillServer

/// What goes to the browser: the script tag in HTML, the events after a build, and the error overlay.
@Suite struct ReloadMessageTests {
    static func inject(_ html: String) -> String {
        String(decoding: ReloadScript.inject(into: Array(html.utf8)), as: UTF8.self)
    }

    @Test func theScriptGoesBeforeTheLastClosingBodyTagInAnyCase() {
        let tag = "<script src=\"/_quill/reload.js\"></script>"
        #expect(Self.inject("<body>x</body></html>") == "<body>x\(tag)</body></html>")
        #expect(Self.inject("<BODY>x</BODY>") == "<BODY>x\(tag)</BODY>")
        #expect(Self.inject("<p>\"</body>\"</p></body>") == "<p>\"</body>\"</p>\(tag)</body>")
        #expect(Self.inject("<p>no body tag</p>") == "<p>no body tag</p>\(tag)")
        #expect(Self.inject("") == tag)
    }

    static func event(written: [String], removed: [String] = []) -> ReloadEvent? {
        ReloadEvent.after(written: written.map(OutputPath.init), removed: removed.map(OutputPath.init))
    }

    @Test func onlyStylesheetsChangedSwapsThemAndNothingChangedSendsNothing() {
        #expect(Self.event(written: ["css/style.css", "css/print.css"])
                == .stylesheets(paths: ["/css/print.css", "/css/style.css"]))
        #expect(Self.event(written: ["css/style.css", "index.html"])
                == .reload(paths: ["/", "/css/style.css"]))
        #expect(Self.event(written: ["css/style.css"], removed: ["css/old.css"])
                == .reload(paths: ["/css/old.css", "/css/style.css"]))
        #expect(Self.event(written: []) == nil)
    }

    @Test func eventsAreOneLineOfJSONEach() {
        #expect(ReloadEvent.reload(paths: ["/a/"]).serverSentEvent == "event: reload\ndata: {\"paths\":[\"/a/\"]}\n\n")
        #expect(ReloadEvent.buildFixed.serverSentEvent == "event: build-ok\ndata: {}\n\n")
        #expect(ReloadEvent.hello(server: "x").serverSentEvent == "event: hello\ndata: {\"server\":\"x\"}\n\n")
    }

    @Test func theOverlayShowsTheLinesAroundTheErrorEscaped() throws {
        let site = try TestFolder([
            "content/posts/a.md": "---\ntitle: <script>alert(1)</script>\ndate: 2010-02-30\ntags: [a & b]\n---\nBody\n",
        ])
        let failure = BuildFailure([
            Diagnostic(SourceLocation(file: "content/posts/a.md", line: 3, column: 7), "cannot read \"date\" <here>",
                       hint: "write it as 2024-05-01"),
        ])
        let report = BuildErrorReport(failure, site: site.url)
        let error = try #require(report.errors.first)
        #expect(error.location == "content/posts/a.md:3:7")
        #expect(error.excerpt.map(\.number) == [1, 2, 3, 4, 5])
        #expect(error.excerpt.filter(\.marked).map(\.text) == ["date: 2010-02-30"])
        #expect(report.html.contains("content/posts/a.md:3:7"))
        #expect(report.html.contains("cannot read &quot;date&quot; &lt;here&gt;"))
        #expect(report.html.contains("hint: write it as 2024-05-01"))
        #expect(report.html.contains("2 | title: &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(report.html.contains("<mark>3 | date: 2010-02-30</mark>\n<span class=\"caret\">          ^</span>"))
        #expect(report.html.contains("4 | tags: [a &amp; b]"))
        #expect(!report.html.contains("<script>"))
    }

    @Test func aTemplateErrorOfABuildShowsTheTemplatesLinesWithTheField() throws {
        let site = try TestFolder([
            "site.toml": "title = \"T\"\nbase_url = \"https://example.org/\"\n",
            "content/posts/2024-01-02-a.md": "---\ntitle: A\n---\nBody\n",
            "templates/post.mustache": "{{<base}}\n{{$main}}\n<h1>{{post.titel}}</h1>\n{{/main}}\n{{/base}}\n",
        ])
        let failure: BuildFailure
        do throws(BuildFailure) {
            _ = try SiteBuilder(options: BuildOptions(source: site.url, now: Date())).render()
            Issue.record("the build succeeded")
            return
        } catch {
            failure = error
        }
        let report = BuildErrorReport(failure, site: site.url)
        let error = try #require(report.errors.first)
        #expect(error.location == "templates/post.mustache:3:12")
        #expect(error.message == "post has no field `titel`")
        #expect(report.html.contains("<mark>3 | &lt;h1&gt;{{post.titel}}&lt;/h1&gt;</mark>"))
        #expect(report.html.contains("hint: did you mean `title`?"))
    }

    @Test func anErrorWithoutALineOrOutsideTheSiteHasNoExcerpt() throws {
        let site = try TestFolder(["site.toml": "x"])
        let report = BuildErrorReport(BuildFailure([
            Diagnostic(SourceLocation(file: "site.toml"), "no title"),
            Diagnostic(SourceLocation(file: "../../etc/passwd", line: 1), "nope"),
        ]), site: site.url)
        #expect(report.errors.map(\.excerpt) == [[], []])
    }

    @Test func aBrowserConnectingWhileTheSiteIsBrokenIsToldAtOnce() async throws {
        let hub = LiveReloadHub(serverID: "run-1")
        let failure = ReloadEvent.buildFailed(BuildErrorReport(
            BuildFailure([Diagnostic(SourceLocation(file: "x.md"), "broken")]), site: URL(fileURLWithPath: "/")))
        await hub.publish(failure)
        var late = await hub.subscribe().makeAsyncIterator()
        #expect(await late.next() == .hello(server: "run-1"))
        #expect(await late.next() == failure)
        await hub.publish(.buildFixed)
        #expect(await late.next() == .buildFixed)
        var fresh = await hub.subscribe().makeAsyncIterator()
        #expect(await fresh.next() == .hello(server: "run-1"))
        await hub.publish(.reload(paths: ["/"]))
        #expect(await fresh.next() == .reload(paths: ["/"]))
    }

    @Test func eventsGoToTheBrowsersShowingAPageOrToAllTheOthers() async throws {
        #expect(LiveReloadHub.page(from: "/") == "/")
        #expect(LiveReloadHub.page(from: "/tags/c%2B%2B/") == "/tags/c++/")
        #expect(LiveReloadHub.page(from: "/a/index.html") == "/a/")
        #expect(LiveReloadHub.page(from: "a/") == nil)
        let hub = LiveReloadHub(serverID: "run-1")
        var home = await hub.subscribe(page: "/").makeAsyncIterator()
        var post = await hub.subscribe(page: "/a/").makeAsyncIterator()
        var unsaid = await hub.subscribe().makeAsyncIterator()
        #expect(await home.next() == .hello(server: "run-1"))
        #expect(await post.next() == .hello(server: "run-1"))
        #expect(await unsaid.next() == .hello(server: "run-1"))
        #expect(await hub.openPages == ["/", "/a/"])
        #expect(await hub.publish(.reload(paths: ["/"]), toPagesIn: ["/", "/b/"]) == 1)
        await hub.publish(.reload(paths: ["/", "/a/"]), exceptPagesIn: ["/"])
        await hub.publish(.buildFixed)
        #expect(await home.next() == .reload(paths: ["/"]))
        #expect(await home.next() == .buildFixed)
        #expect(await post.next() == .reload(paths: ["/", "/a/"]))
        #expect(await unsaid.next() == .reload(paths: ["/", "/a/"]))
        // A rebuild waiting for a browser to come back goes on when one connects.
        let mark = await hub.mark
        await hub.requested()  // the page, asked for again
        async let back: Void = hub.waitForReturn(since: mark, firstRequest: .seconds(600), timeout: .seconds(600))
        var again = await hub.subscribe(page: "/").makeAsyncIterator()
        await back
        #expect(await again.next() == .hello(server: "run-1"))
        await hub.waitForReturn(since: mark, firstRequest: .seconds(600), timeout: .seconds(600))  // back: at once
    }
}
