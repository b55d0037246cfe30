import Foundation
import Testing
@testable import QuillCore

/// A post shows a table of contents when it has at least two headings, unless its front matter says `toc: false`.
@Suite struct TableOfContentsTests {
    static func page(headings: Int, toc: String = "") throws -> String {
        var body = "Intro.\n"
        for n in 0..<headings { body += "\n## Part \(n)\n\nText.\n" }
        let site = try TestSite(["content/posts/2024-01-02-a.md": "---\ntitle: A\n\(toc)---\n\(body)"])
        let out = try site.render()
        return try #require(out.first { $0.key.hasSuffix("index.html") && $0.value.contains("<h1 class=\"post-title\">A</h1>") }?.value)
    }

    @Test func twoHeadingsMakeATableOfContents() throws {
        let html = try Self.page(headings: 2)
        #expect(html.contains("<nav class=\"toc\""))
        #expect(html.contains("href=\"#part-1\""))
    }

    @Test func oneHeadingMakesNone() throws {
        #expect(!(try Self.page(headings: 1)).contains("<nav class=\"toc\""))
    }

    @Test func tocFalseInFrontMatterTurnsItOff() throws {
        #expect(!(try Self.page(headings: 3, toc: "toc: false\n")).contains("<nav class=\"toc\""))
        #expect((try Self.page(headings: 3, toc: "toc: true\n")).contains("<nav class=\"toc\""))
    }
}
