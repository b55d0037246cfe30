import Foundation
import Testing
@testable import QuillCore

/// Where posts go, links under a base URL with a path, and how lists are split into pages.
@Suite struct PermalinkAndPaginationTests {
    static func config(_ extra: String) -> String { TestSite.basicConfig + "\n" + extra + "\n" }

    /// `count` posts, `p1` oldest … `pN` newest, one day apart, each tagged `tags`.
    static func posts(_ count: Int, tags: [String] = []) -> [String: String] {
        var files = [String: String]()
        for n in stride(from: 1, through: count, by: 1) {
            files["content/posts/p\(n).md"] = post("Post \(n)", date: String(format: "2024-01-%02d 10:00", n), tags: tags)
        }
        return files
    }

    /// How many post summaries a list page shows.
    static func summaries(_ html: String) -> Int {
        html.components(separatedBy: "class=\"post-summary\"").count - 1
    }

    // MARK: Permalinks

    @Test func defaultPermalinkIsYearMonthDaySlug() throws {
        let out = try TestSite(["content/posts/hello-world.md": post("Hello", date: "2024-03-07 09:15")]).render()
        #expect(out["2024/03/07/hello-world/index.html"] != nil)
        #expect(out["index.html"]?.contains("href=\"/2024/03/07/hello-world/\"") == true)
    }

    @Test func jekyllStyleFileNameGivesDateAndSlug() throws {
        let out = try TestSite(["content/posts/2023-12-31-new-year.md": "---\ntitle: NY\n---\nText\n"]).render()
        #expect(out["2023/12/31/new-year/index.html"] != nil)
    }

    @Test func customPermalinkWithSlugOnly() throws {
        let out = try TestSite([
            "site.toml": Self.config(#"permalink = "/posts/:slug/""#),
            "content/posts/a.md": post("A", date: "2024-01-02 10:00"),
        ]).render()
        #expect(out["posts/a/index.html"] != nil)
        #expect(out["2024/01/02/a/index.html"] == nil)
        #expect(out["index.html"]?.contains("href=\"/posts/a/\"") == true)
        #expect(out["feed.xml"]?.contains("<link>https://blog.example.org/posts/a/</link>") == true)
    }

    @Test func customPermalinkWithYearAndSlug() throws {
        let out = try TestSite([
            "site.toml": Self.config(#"permalink = "/:year/:slug/""#),
            "content/posts/a.md": post("A", date: "2024-01-02 10:00"),
        ]).render()
        #expect(out["2024/a/index.html"] != nil)
        #expect(out["sitemap.xml"]?.contains("<loc>https://blog.example.org/2024/a/</loc>") == true)
    }

    @Test func permalinkDateFollowsSiteTimeZone() throws {
        // 23:30 UTC on the 2nd is already the 3rd in Tokyo.
        let out = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://x.org/\"\ntime_zone = \"Asia/Tokyo\"\n",
            "content/posts/a.md": post("A", date: "2024-01-02T23:30:00Z"),
        ]).render()
        #expect(out["2024/01/03/a/index.html"] != nil)
    }

    @Test func frontMatterSlugOverridesFileName() throws {
        let out = try TestSite(["content/posts/a.md": post("A", extra: "slug: Custom Slug!\n")]).render()
        #expect(out["2024/01/02/custom-slug/index.html"] != nil)
        #expect(out["2024/01/02/a/index.html"] == nil)
    }

    // MARK: Base URL with a path

    @Test func baseURLWithPathPrefixesEveryInternalLink() throws {
        let out = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://example.org/blog/\"\ntime_zone = \"UTC\"\nposts_per_page = 1\n",
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["x"]),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00", tags: ["x"]),
            "content/about.md": "---\ntitle: About\n---\nAbout me.\n",
        ]).render()
        let pages = out.filter { $0.key.hasSuffix(".html") }
        #expect(pages.count > 5)
        let attribute = try Regex(#"(?:href|src)="(/[^"]*)""#)
        for (path, html) in pages {
            var links = 0
            for match in html.matches(of: attribute) {
                let link = String(match.output[1].substring ?? "")
                links += 1
                #expect(link.hasPrefix("/blog/"), "\(path) links to \(link)")
            }
            #expect(links > 0, "\(path) has no internal links")
        }
        let home = try #require(out["index.html"])
        #expect(home.contains("href=\"/blog/2024/01/02/b/\""))
        #expect(home.contains("href=\"/blog/css/style.css\""))
        #expect(home.contains("href=\"/blog/page/2/\""))
        #expect(home.contains("href=\"/blog/about/\""))
        #expect(home.contains("href=\"/blog/feed.xml\""))
    }

    @Test func baseURLWithPathMakesFeedAndSitemapURLsAbsoluteWithThePath() throws {
        let out = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://example.org/blog/\"\ntime_zone = \"UTC\"\n",
            "content/posts/a.md": post("A", date: "2024-01-02 10:00", tags: ["x"]),
        ]).render()
        let rss = try #require(out["feed.xml"])
        #expect(rss.contains("<link>https://example.org/blog/</link>"))
        #expect(rss.contains("<link>https://example.org/blog/2024/01/02/a/</link>"))
        #expect(rss.contains("href=\"https://example.org/blog/feed.xml\""))
        let atom = try #require(out["atom.xml"])
        #expect(atom.contains("<id>https://example.org/blog/2024/01/02/a/</id>"))
        #expect(atom.contains("href=\"https://example.org/blog/atom.xml\""))
        let json = try #require(out["feed.json"])
        #expect(json.contains("\"url\": \"https://example.org/blog/2024/01/02/a/\""))
        #expect(json.contains("\"feed_url\": \"https://example.org/blog/feed.json\""))
        let tagFeed = try #require(out["tags/x/feed.xml"])
        #expect(tagFeed.contains("<link>https://example.org/blog/tags/x/</link>"))
        let sitemap = try #require(out["sitemap.xml"])
        let locs = sitemap.matches(of: try Regex("<loc>([^<]*)</loc>")).map { String($0.output[1].substring ?? "") }
        #expect(!locs.isEmpty)
        for loc in locs { #expect(loc.hasPrefix("https://example.org/blog/"), "\(loc)") }
        #expect(locs.contains("https://example.org/blog/2024/01/02/a/"))
        #expect(out["robots.txt"]?.contains("Sitemap: https://example.org/blog/sitemap.xml") == true)
    }

    // MARK: Pagination of the home page (posts_per_page = 3)

    @Test func homePageExistsWithNoPosts() throws {
        let out = try TestSite([:]).render()
        let home = try #require(out["index.html"])
        #expect(Self.summaries(home) == 0)
        #expect(out["page/2/index.html"] == nil)
        #expect(!out.keys.contains { $0.hasPrefix("page/") })
        #expect(!home.contains("class=\"pagination\""))
    }

    @Test func onePostGivesOnePage() throws {
        let out = try TestSite(Self.posts(1)).render()
        let home = try #require(out["index.html"])
        #expect(Self.summaries(home) == 1)
        #expect(home.contains("Post 1"))
        #expect(out["page/2/index.html"] == nil)
        #expect(!home.contains("class=\"pagination\""))
    }

    @Test func exactlyAPageOfPostsGivesNoSecondPage() throws {
        let out = try TestSite(Self.posts(3)).render()
        let home = try #require(out["index.html"])
        #expect(Self.summaries(home) == 3)
        #expect(out["page/2/index.html"] == nil)
        #expect(!home.contains("rel=\"next\""))
        #expect(!home.contains("/page/2/"))
    }

    @Test func onePostMoreThanAPageGoesToPageTwo() throws {
        let out = try TestSite(Self.posts(4)).render()
        let home = try #require(out["index.html"])
        let page2 = try #require(out["page/2/index.html"])
        #expect(out["page/3/index.html"] == nil)
        // Newest three on page 1, the oldest alone on page 2.
        #expect(Self.summaries(home) == 3)
        #expect(home.contains("Post 4") && home.contains("Post 3") && home.contains("Post 2"))
        #expect(!home.contains(">Post 1<"))
        #expect(Self.summaries(page2) == 1)
        #expect(page2.contains(">Post 1<"))
        #expect(!page2.contains(">Post 2<"))
        // Page 1 links forward only, page 2 back only.
        #expect(home.contains("<a class=\"next\" href=\"/page/2/\" rel=\"next\">"))
        #expect(!home.contains("rel=\"prev\""))
        #expect(page2.contains("<a class=\"prev\" href=\"/\" rel=\"prev\">"))
        #expect(!page2.contains("rel=\"next\""))
        #expect(page2.contains("Page 2 of 2"))
        #expect(out["sitemap.xml"]?.contains("<loc>https://blog.example.org/page/2/</loc>") == true)
    }

    @Test func tagPagesPaginateLikeTheHomePage() throws {
        let out = try TestSite(Self.posts(4, tags: ["x"])).render()
        let first = try #require(out["tags/x/index.html"])
        let second = try #require(out["tags/x/page/2/index.html"])
        #expect(out["tags/x/page/3/index.html"] == nil)
        #expect(Self.summaries(first) == 3)
        #expect(Self.summaries(second) == 1)
        #expect(second.contains(">Post 1<"))
        #expect(first.contains("<a class=\"next\" href=\"/tags/x/page/2/\" rel=\"next\">"))
        #expect(!first.contains("rel=\"prev\""))
        #expect(second.contains("<a class=\"prev\" href=\"/tags/x/\" rel=\"prev\">"))
        #expect(!second.contains("rel=\"next\""))
    }

    @Test func tagWithExactlyAPageOfPostsHasNoSecondPage() throws {
        let out = try TestSite(Self.posts(3, tags: ["x"])).render()
        #expect(out["tags/x/index.html"].map(Self.summaries) == 3)
        #expect(out["tags/x/page/2/index.html"] == nil)
    }

    @Test func tagWithOnePostHasOnePage() throws {
        var files = Self.posts(3)
        files["content/posts/t.md"] = post("Tagged", date: "2023-06-01 10:00", tags: ["solo"])
        let out = try TestSite(files).render()
        #expect(out["tags/solo/index.html"].map(Self.summaries) == 1)
        #expect(out["tags/solo/page/2/index.html"] == nil)
    }

    @Test func postPagesLinkToNewerAndOlderNeighbours() throws {
        let out = try TestSite(Self.posts(3)).render()
        let middle = try #require(out["2024/01/02/p2/index.html"])
        #expect(middle.contains("<a href=\"/2024/01/03/p3/\" rel=\"prev\">Post 3</a>"))
        #expect(middle.contains("<a href=\"/2024/01/01/p1/\" rel=\"next\">Post 1</a>"))
        let newest = try #require(out["2024/01/03/p3/index.html"])
        #expect(!newest.contains("class=\"newer\""))
        #expect(newest.contains("class=\"older\""))
    }
}

/// URL and output paths are normalised the same way whether or not they were normal already.
@Suite struct PathNormalisationTests {
    static let samples = ["/", "", "/a/", "/a", "a/", "a", "//a//b/", "/a//b", "a/b/index.html", "/a/b/index.html",
                          "a//b.xml", "///", "/tags/c-plus-plus/", "/ü/ß/", "x/", "/x/y/z", "/../a/", "/a/../../b",
                          "../../etc/passwd", "/./a/./b/", "/a/..", "a/.", "/.../a/", "/a./b../.c/", "..", "/.."]

    /// What a path means: `.` dropped, `..` one component back, never above the top.
    static func resolved(_ sample: String) -> String {
        var kept = [Substring]()
        for c in sample.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !kept.isEmpty { kept.removeLast() }; continue }
            kept.append(c)
        }
        return kept.joined(separator: "/")
    }

    @Test func urlPathsStartWithOneSlashAndHaveNoDoubleSlashes() {
        for sample in Self.samples {
            let components = Self.resolved(sample)
            var expected = "/" + components
            if sample.hasSuffix("/") && expected != "/" { expected += "/" }
            #expect(URLPath(sample).value == expected, "\(sample)")
        }
    }

    @Test func outputPathsHaveNoLeadingTrailingOrDoubleSlashesAndNeverClimb() {
        for sample in Self.samples {
            #expect(OutputPath(sample).value == Self.resolved(sample), "\(sample)")
        }
    }
}
