import Foundation
import Testing
@testable import QuillCore

/// The same sources give the same bytes; rebuilding writes only what changed and removes what is gone; the site's
/// own static files and templates override the theme's.
@Suite struct DeterminismTests {
    static func richSite() throws -> TestSite {
        try TestSite([
            "content/posts/a.md": post("Alpha", date: "2024-01-01 10:00", tags: ["swift", "C++"],
                                       body: "## Intro\n\nText [link](/about/).\n\n<!--more-->\n\n## Intro\n\nMore."),
            "content/posts/b.md": post("Beta", date: "2024-01-02 10:00", tags: ["Python"], extra: "author: Bob\n"),
            "content/posts/c.md": post("Gamma", date: "2024-01-03 10:00", tags: ["python", "swift"]),
            "content/posts/d.md": post("Delta", date: "2024-01-03 10:00", tags: ["Ünïcode"]),
            "content/posts/e.md": post("Epsilon", date: "2023-05-05 10:00"),
            "content/about.md": "---\ntitle: About\nweight: 1\n---\nAbout me.\n",
            "content/now.md": "---\ntitle: Now\nweight: 1\n---\nNow.\n",
            "static/x.txt": "hello",
        ])
    }

    @Test func twoRendersOfTheSameSiteAreIdentical() throws {
        let site = try Self.richSite()
        let first = try site.render()
        let second = try site.render()
        #expect(first.count > 20)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, text) in first {
            #expect(second[path] == text, "\(path) differs between renders")
        }
    }

    @Test func renderOutputsComeInPathOrder() throws {
        let options = try Self.richSite().options()
        let (outputs, report) = try SiteBuilder(options: options).render()
        let paths = outputs.map(\.path.value)
        #expect(paths == paths.sorted())
        #expect(report.outputs == outputs.count)
        #expect(Set(paths).count == paths.count)
    }

    @Test func twoSeparateCopiesOfASiteRenderIdentically() throws {
        // Different temporary folders (and so different file system order) give the same outputs.
        let files = [
            "content/posts/a.md": post("Same Day", date: "2024-01-01 10:00", tags: ["t"]),
            "content/posts/b.md": post("Same Day", date: "2024-01-01 10:00", tags: ["T"], extra: "slug: other\n"),
            "content/posts/c.md": post("Another", date: "2024-01-01 10:00", tags: ["t"]),
        ]
        let one = try TestSite(files).render()
        let two = try TestSite(files).render()
        #expect(one == two)
    }

    @Test func secondBuildWritesNothing() throws {
        let site = try Self.richSite()
        let first = try site.build()
        #expect(!first.written.isEmpty)
        #expect(first.written.count == first.outputs)
        #expect(first.unchanged == 0)
        let second = try site.build()
        #expect(second.written.isEmpty, "rewrote \(second.written.map(\.value))")
        #expect(second.unchanged == second.outputs)
        #expect(second.unchanged == first.outputs)
        #expect(second.removed.isEmpty)
    }

    @Test func builtFilesMatchTheRender() throws {
        let site = try Self.richSite()
        let rendered = try site.render()
        try site.build()
        let onDisk = site.files()
        #expect(Set(onDisk.keys) == Set(rendered.keys))
        for (path, text) in rendered {
            #expect(onDisk[path] == Data(text.utf8), "\(path) on disk differs")
        }
    }

    @Test func onlyChangedFilesAreRewritten() throws {
        let site = try Self.richSite()
        try site.build()
        try site.write("static/x.txt", "changed")
        let report = try site.build()
        #expect(report.written.map(\.value) == ["x.txt"])
        #expect(report.unchanged == report.outputs - 1)
    }

    @Test func filesOfADeletedPostAreRemovedOnRebuild() throws {
        let site = try Self.richSite()
        try site.build()
        #expect(site.files()["2023/05/05/epsilon/index.html"] == nil)  // slug is the file name
        #expect(site.files()["2023/05/05/e/index.html"] != nil)
        try site.remove("content/posts/e.md")
        let report = try site.build()
        #expect(report.removed.map(\.value).contains("2023/05/05/e/index.html"))
        let after = site.files()
        #expect(after["2023/05/05/e/index.html"] == nil)
        #expect(!after.keys.contains { $0.hasPrefix("2023/") }, "left behind: \(after.keys.filter { $0.hasPrefix("2023/") })")
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public/2023").path))
        #expect(after["index.html"].map { !String(decoding: $0, as: UTF8.self).contains("Epsilon") } == true)
    }

    @Test func strayFilesInTheOutputFolderAreRemoved() throws {
        let site = try Self.richSite()
        try site.build()
        // Under a name the build makes (tags/), with no state to say what the last build wrote.
        try site.write("public/tags/old/stale.html", "stale")
        try site.remove(".quill")
        let report = try site.build()
        #expect(report.removed.map(\.value) == ["tags/old/stale.html"])
        #expect(site.files()["tags/old/stale.html"] == nil)
    }

    @Test func removedTagLosesItsPagesAndFeeds() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["gone"]),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00"),
        ])
        try site.build()
        #expect(site.files()["tags/gone/feed.xml"] != nil)
        try site.remove("content/posts/a.md")
        let report = try site.build()
        let removed = Set(report.removed.map(\.value))
        #expect(removed.isSuperset(of: ["tags/gone/index.html", "tags/gone/feed.xml", "tags/gone/atom.xml"]))
        #expect(!site.files().keys.contains { $0.hasPrefix("tags/gone/") })
    }

    @Test func staticFileIsCopied() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "static/x.txt": "plain text",
            "static/img/dot.bin": "\u{01}\u{02}",
        ])
        let out = try site.render()
        #expect(out["x.txt"] == "plain text")
        #expect(out["img/dot.bin"] == "\u{01}\u{02}")
        try site.build()
        #expect(site.files()["x.txt"] == Data("plain text".utf8))
    }

    @Test func siteStaticFileOverridesThemeFile() throws {
        let theme = try TestSite([:]).render()["css/style.css"]
        #expect(theme?.isEmpty == false)
        let site = try TestSite([
            "content/posts/a.md": post("A"),
            "static/css/style.css": "body { color: hotpink; }",
        ])
        let out = try site.render()
        #expect(out["css/style.css"] == "body { color: hotpink; }")
        try site.build()
        #expect(site.files()["css/style.css"] == Data("body { color: hotpink; }".utf8))
    }

    @Test func siteTemplateOverridesThemePartial() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", tags: ["x"]),
            "templates/partials/footer.mustache": "<footer id=\"custom-footer\">Made by {{site.author}}</footer>\n",
        ])
        let out = try site.render()
        let pages = out.filter { $0.key.hasSuffix(".html") }
        #expect(pages.count > 3)
        for (path, html) in pages {
            #expect(html.contains("<footer id=\"custom-footer\">Made by Ann Author</footer>"), "\(path)")
            #expect(!html.contains("Built with Quill"), "\(path) still has the theme footer")
        }
    }

    @Test func siteTemplateOverridesThemePageTemplate() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A"),
            "templates/post.mustache": "POST:{{#post}}{{title}}{{/post}}\n",
        ]).render()
        #expect(out["2024/01/02/a/index.html"] == "POST:A\n")
        #expect(out["index.html"]?.contains("<!DOCTYPE html>") == true)
    }

    @Test func outputDoesNotDependOnTheClockForPublishedPosts() throws {
        let site = try Self.richSite()
        let early = try site.render()
        let late = try site.render { $0.now = Date(timeIntervalSince1970: 2_500_000_000) }
        #expect(early == late)
    }
}
