import Foundation
import Testing
@testable import QuillCore

/// Every field of a post shows wherever a template lists posts (home, tag and author pages, the archive): a page
/// reads as much of each post as its template shows, no less (an empty `{{{content}}}` would be a silent failure)
/// and no more (a body edit renders again only the lists that show the body).
@Suite struct ListedPostFieldsTests {
    static let body = "Summary of the post.\n\n<!--more-->\n\n## First part\n\nThe full text, after the break.\n\n## Second part\n\nThe end."

    static func fixture(_ templates: [String: String]) throws -> TestSite {
        var files = templates
        files["content/posts/a.md"] = post("A post", date: "2024-01-01 10:00", tags: ["t"], body: body)
        files["content/posts/b.md"] = post("Another", date: "2024-01-02 10:00", tags: ["t"], body: "Short one.")
        return try TestSite(files)
    }

    static func page(_ site: TestSite, _ path: String) -> String {
        String(decoding: site.files(under: "public")[path] ?? Data(), as: UTF8.self)
    }

    @Test func aListShowingContentAndTocGetsTheWholePostAndFollowsItsEdits() throws {
        let site = try Self.fixture(["templates/partials/post-summary.mustache":
            "<article><h2>{{title}}</h2><div class=\"full\">{{{content}}}</div><nav>{{{toc}}}</nav>{{#hasToc}}<p>has toc</p>{{/hasToc}}</article>\n"])
        try site.build()
        for path in ["index.html", "tags/t/index.html"] {  // the author page lists titles only
            let list = Self.page(site, path)
            #expect(list.contains("The full text, after the break."), "\(path)")
            #expect(list.contains("href=\"#second-part\""), "\(path): the table of contents")
            #expect(list.contains("<p>has toc</p>"), "\(path)")
        }
        try site.write("content/posts/a.md", post("A post", date: "2024-01-01 10:00", tags: ["t"],
                                                  body: Self.body.replacingOccurrences(of: "The end.", with: "A new end.")))
        let report = try site.build()
        #expect(report.written.map(\.value).contains("index.html"))
        #expect(Self.page(site, "index.html").contains("A new end."))
        try IncrementalBuildTests.expectEqualToClean(site, "after an edit of a post a list shows whole")
    }

    /// `{{.content}}` names a field of the current item, looked up as the page renders: it counts too.
    @Test func aListNamingContentThroughTheCurrentItemGetsTheWholePost() throws {
        let site = try Self.fixture(["templates/partials/post-summary.mustache":
            "<article><h2>{{title}}</h2><div class=\"full\">{{{.content}}}</div></article>\n"])
        try site.build()
        #expect(Self.page(site, "index.html").contains("The full text, after the break."))
    }

    @Test func theArchiveShowsSummariesAndReadingTimesWhenItsTemplateNamesThem() throws {
        let site = try Self.fixture(["templates/archive.mustache":
            "{{<base}}{{$main}}{{#years}}{{#posts}}<p class=\"item\">{{title}}: {{{summary}}} ({{readingTime}} min, {{wordCount}} words)</p>{{/posts}}{{/years}}{{/main}}{{/base}}\n"])
        try site.build()
        let archive = Self.page(site, "archive/index.html")
        // 16 words: "Summary of the post.", the headings and the paragraphs after the break.
        #expect(archive.contains("A post: <p>Summary of the post.</p>"), "\(archive)")
        #expect(archive.contains("(1 min, 16 words)"), "\(archive)")
        #expect(archive.contains("Another: <p>Short one.</p>"), "\(archive)")
        #expect(archive.contains("(1 min, 2 words)"), "\(archive)")
    }

    @Test func aListShowingNoTextOfItsPostsIsNotRenderedAgainForABodyEdit() throws {
        let site = try Self.fixture(["templates/archive.mustache":
            "{{<base}}{{$main}}{{#years}}{{#posts}}<p>{{title}}</p>{{/posts}}{{/years}}{{/main}}{{/base}}\n"])
        try site.build()
        try site.write("content/posts/a.md", post("A post", date: "2024-01-01 10:00", tags: ["t"],
                                                  body: Self.body + String(repeating: " More words.", count: 200)))  // a longer reading time
        try site.build()
        let explained = BuildExplainer.explain("/archive/", site: site.root, output: site.root.appendingPathComponent("public"))
        #expect(explained.contains("not rebuilt"), "\(explained)")
    }
}
