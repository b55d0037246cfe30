import Foundation
import Testing
@testable import QuillCore

/// `quill new post|page|theme` write what a blogger expects, and every build's report says what it left out.
@Suite struct ScaffoldAndReportTests {
    /// 2024-05-01 09:30:15 UTC.
    static let now = Date(timeIntervalSince1970: 1_714_555_815)

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func aNewPostIsNamedByItsDateAndSlugWithoutAnAuthor() throws {
        let site = try TestSite([:])
        let file = try SiteScaffold.newPost(.init(title: "Hello, Quill!"), site: site.root, now: Self.now)
        #expect(file.path.hasSuffix("/content/posts/2024-05-01-hello-quill.md"))
        let text = try Self.text(file)
        #expect(text.hasPrefix("---\ntitle: \"Hello, Quill!\"\ndate: 2024-05-01 09:30:15\ntags: []\n---\n"))
        #expect(!text.contains("author:"), "site.toml's author applies")
        #expect(!text.contains("draft:"))
        // It builds, dated and named as written, by the site's author.
        let page = try #require(try site.render()["2024/05/01/hello-quill/index.html"])
        #expect(page.contains("Hello, Quill!") && page.contains("Ann Author"))
    }

    @Test func aNewPostTakesAuthorTagsDraftDateAndBundle() throws {
        let site = try TestSite([:])
        var request = SiteScaffold.PostRequest(title: "Trip notes")
        request.author = "Bo Writer"
        request.tags = ["travel", "c++"]
        request.draft = true
        request.date = "2023-12-24 18:00"
        request.bundle = true
        let file = try SiteScaffold.newPost(request, site: site.root, now: Self.now)
        #expect(file.path.hasSuffix("/content/posts/2023-12-24-trip-notes/index.md"))
        let text = try Self.text(file)
        #expect(text.contains("date: 2023-12-24 18:00:00\n"))
        #expect(text.contains("author: \"Bo Writer\"\n"))
        #expect(text.contains("tags: [\"travel\", \"c++\"]\n"))
        #expect(text.contains("draft: true\n"))
        #expect(try site.render()["2023/12/24/trip-notes/index.html"] == nil, "a draft")
        #expect(try site.render { $0.includeDrafts = true }["2023/12/24/trip-notes/index.html"] != nil)
    }

    @Test func aNewPostIsDatedInTheSitesTimeZone() throws {
        let site = try TestSite(["site.toml": TestSite.basicConfig.replacingOccurrences(of: "UTC", with: "Pacific/Auckland")])
        let file = try SiteScaffold.newPost(.init(title: "Late"), site: site.root, now: Self.now)
        #expect(file.lastPathComponent == "2024-05-01-late.md")
        #expect(try Self.text(file).contains("date: 2024-05-01 21:30:15\n"))
    }

    @Test func aNewPostWithAnUnreadableDateOrAnExistingFileIsRefused() throws {
        let site = try TestSite([:])
        var request = SiteScaffold.PostRequest(title: "Once")
        request.date = "May Day"
        #expect { try SiteScaffold.newPost(request, site: site.root, now: Self.now) } throws: {
            "\($0)".contains("cannot read --date \"May Day\"")
        }
        _ = try SiteScaffold.newPost(.init(title: "Once"), site: site.root, now: Self.now)
        #expect { try SiteScaffold.newPost(.init(title: "Once"), site: site.root, now: Self.now) } throws: {
            "\($0)".contains("already exists")
        }
    }

    @Test func aNewPageIsPublishedAtItsSlug() throws {
        let site = try TestSite([:])
        let file = try SiteScaffold.newPage(title: "Contact Me", site: site.root)
        #expect(file.path.hasSuffix("/content/contact-me.md"))
        #expect(try site.render()["contact-me/index.html"]?.contains("Contact Me") == true)
    }

    @Test func aNewThemeIsTheBuiltInOneAndBuildsTheSameSite() throws {
        let site = try TestSite(["content/posts/a.md": post("A", tags: ["t"])])
        let builtIn = try site.render()
        let folder = try SiteScaffold.newTheme(named: "mine", site: site.root)
        #expect(folder.path.hasSuffix("/themes/mine"))
        for (path, text) in EmbeddedTheme.files {
            #expect(try Self.text(folder.appendingPathComponent(path)) == text, "\(path)")
        }
        try site.write("site.toml", TestSite.basicConfig + "\ntheme = \"mine\"\n")
        #expect(try site.render() == builtIn)
        #expect(throws: SiteScaffold.Failure.self) { try SiteScaffold.newTheme(named: "mine", site: site.root) }
        #expect(throws: SiteScaffold.Failure.self) { try SiteScaffold.newTheme(named: "../up", site: site.root) }
    }

    @Test func theSiteIsFoundFromAnyFolderInsideIt() throws {
        let site = try TestSite(["content/posts/a.md": post("A")])
        let deep = site.root.appendingPathComponent("content/posts")
        #expect(SiteLoader.findSite(from: deep)?.standardizedFileURL.path == site.root.standardizedFileURL.path)
        #expect(SiteLoader.findSite(from: site.root)?.path == site.root.standardizedFileURL.path)
        #expect(SiteLoader.findSite(from: URL(fileURLWithPath: "/proc/self")) == nil)
    }

    @Test func aBuildThatChangesNothingStillListsDraftsAndScheduledPosts() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-02 10:00"),
            "content/posts/draft.md": post("Draft", date: "2024-01-03 10:00", extra: "draft: true\n"),
            "content/posts/later.md": post("Later", date: "2031-06-01 08:00"),
        ])
        let first = try site.build()
        let second = try site.build()
        #expect(second.rendered == 0 && second.written.isEmpty, "a build that changes nothing")
        #expect(second.skipped == first.skipped)
        #expect(second.skipped.count == 2)
        #expect(second.summary.contains("draft: content/posts/draft.md skipped; build with --drafts to include it"))
        #expect(second.summary.contains("scheduled: content/posts/later.md goes live 2031-06-01 08:00 (UTC)"))
        // And after a build that re-read other files only (the journal's path).
        try site.write("content/posts/a.md", post("A", date: "2024-01-02 10:00", body: "Edited."))
        #expect(try site.build().skipped == first.skipped)
        #expect(try site.build().skipped == first.skipped)
    }

    @Test func aMisspeltThemeIsOneErrorNamingTheThemeMeant() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\ntheme = \"defualt\"\n",
            "content/posts/a.md": post("A"),
        ])
        let failure = try #require(throws: BuildFailure.self) { try site.render() }
        #expect(failure.diagnostics.count == 1, "\(failure)")
        let text = failure.description
        #expect(text.contains("site.toml:6:1: error: theme \"defualt\" not found"), "\(text)")
        #expect(text.contains("did you mean `theme = \"default\"`?"))
        // A theme of the site's own is suggested too.
        try site.write("themes/midnight/templates/post.mustache", "x")
        try site.write("site.toml", TestSite.basicConfig + "\ntheme = \"midnigth\"\n")
        #expect(site.errors()?.contains("did you mean `theme = \"midnight\"`?") == true)
    }

    @Test func suggestionsAreNearNamesOnly() {
        #expect(Suggestion.closest(to: "defualt", among: ["default", "midnight"]) == "default")
        #expect(Suggestion.closest(to: "titel", among: ["title", "tags"]) == "title")
        #expect(Suggestion.closest(to: "zzz", among: ["default"]) == nil)
        #expect(Suggestion.editDistance(Array("abc"), Array("acb")) == 1)
    }
}
