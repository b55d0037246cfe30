import Foundation
import Testing
@testable import QuillCore

/// Tag pages, their feeds, the tag index, and tags whose names are awkward in URLs and HTML.
@Suite struct TagTests {
    static let oddTags = ["C++", "Ünïcode", "a/b", "C#"]

    static func oddSite() throws -> [String: String] {
        try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: oddTags),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00", tags: ["C++"]),
        ]).render()
    }

    @Test func tagsWithOddCharactersGetSluggedPages() throws {
        let out = try Self.oddSite()
        for slug in ["c-plus-plus", "unicode", "a-b", "c-sharp"] {
            #expect(out["tags/\(slug)/index.html"] != nil, "no page for tags/\(slug)/")
        }
        #expect(out["tags/c-plus-plus/index.html"]?.contains("Posts tagged “C++”") == true)
        #expect(out["tags/unicode/index.html"]?.contains("Posts tagged “Ünïcode”") == true)
        #expect(out["tags/a-b/index.html"]?.contains("Posts tagged “a/b”") == true)
        #expect(out["tags/c-sharp/index.html"]?.contains("Posts tagged “C#”") == true)
        // Exactly four tags: nothing written under a raw name such as tags/a/b/.
        let tagPages = out.keys.filter {
            $0.hasPrefix("tags/") && $0.hasSuffix("/index.html") && $0 != "tags/index.html" && !$0.contains("/page/")
        }
        #expect(tagPages.count == 4, "\(tagPages.sorted())")
    }

    @Test func everyTagPageHasRSSAndAtomFeeds() throws {
        let out = try Self.oddSite()
        for slug in ["c-plus-plus", "unicode", "a-b", "c-sharp"] {
            let rss = out["tags/\(slug)/feed.xml"]
            let atom = out["tags/\(slug)/atom.xml"]
            #expect(rss?.contains("<rss version=\"2.0\"") == true, "tags/\(slug)/feed.xml")
            #expect(atom?.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"") == true, "tags/\(slug)/atom.xml")
        }
        // The C++ feed holds both posts, the C# feed only A.
        let cpp = try #require(out["tags/c-plus-plus/feed.xml"])
        #expect(cpp.components(separatedBy: "<item>").count - 1 == 2)
        let csharp = try #require(out["tags/c-sharp/feed.xml"])
        #expect(csharp.components(separatedBy: "<item>").count - 1 == 1)
        #expect(csharp.contains("<title>A</title>"))
    }

    @Test func postsLinkToTheirTagPagesBySlug() throws {
        let out = try Self.oddSite()
        let postA = try #require(out["2024/01/01/a/index.html"])
        #expect(postA.contains("href=\"/tags/c-plus-plus/\""))
        #expect(postA.contains("href=\"/tags/unicode/\""))
        #expect(postA.contains("href=\"/tags/a-b/\""))
        #expect(postA.contains("href=\"/tags/c-sharp/\""))
    }

    @Test func tagsDifferingOnlyInCaseAreOneTag() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["Python"]),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00", tags: ["python"]),
        ]).render()
        let page = try #require(out["tags/python/index.html"])
        #expect(page.contains(">A</a>"))
        #expect(page.contains(">B</a>"))
        #expect(page.contains("Posts: 2"))
        let tagDirs = Set(out.keys.filter { $0.hasPrefix("tags/") && $0 != "tags/index.html" }
            .map { $0.split(separator: "/")[1] })
        #expect(tagDirs == ["python"])
        let index = try #require(out["tags/index.html"])
        #expect(index.components(separatedBy: "href=\"/tags/python/\"").count - 1 == 1)
        // Both posts show one and the same spelling.
        let a = try #require(out["2024/01/01/a/index.html"])
        let b = try #require(out["2024/01/02/b/index.html"])
        let spellings = ["Python", "python"].filter { a.contains("Tag: </span>\($0)<") && b.contains("Tag: </span>\($0)<") }
        #expect(spellings.count == 1)
    }

    @Test func tagIndexListsEveryTagWithItsCount() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["swift", "linux"]),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00", tags: ["swift"]),
            "content/posts/c.md": post("C", date: "2024-01-03 10:00", tags: ["swift", "C++"]),
        ]).render()
        let index = try #require(out["tags/index.html"])
        #expect(index.contains(
            "href=\"/tags/swift/\">swift<span class=\"visually-hidden\">, posts:</span> <span class=\"count\">3</span>"))
        #expect(index.contains(
            "href=\"/tags/linux/\">linux<span class=\"visually-hidden\">, posts:</span> <span class=\"count\">1</span>"))
        #expect(index.contains(
            "href=\"/tags/c-plus-plus/\">C++<span class=\"visually-hidden\">, posts:</span> <span class=\"count\">1</span>"))
        #expect(out["tags/swift/index.html"]?.contains("Posts: 3") == true)
    }

    @Test func tagNamesAreEscapedInHTML() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: [#"<tag>&\"x\""#]),
        ]).render()
        let escaped = "&lt;tag&gt;&amp;&quot;x&quot;"
        let tagPage = try #require(out["tags/tag-and-x/index.html"])
        #expect(tagPage.contains("Posts tagged “\(escaped)”"))
        #expect(out["tags/index.html"]?.contains(">\(escaped)<") == true)
        #expect(out["2024/01/01/a/index.html"]?.contains("Tag: </span>\(escaped)</a>") == true)
        for (path, html) in out where path.hasSuffix(".html") {
            #expect(!html.contains("<tag>"), "\(path) has the raw tag name")
        }
    }

    @Test func tagPagesAdvertiseTheirOwnFeeds() throws {
        let out = try TestSite(["content/posts/a.md": post("A", tags: ["x"])]).render()
        let page = try #require(out["tags/x/index.html"])
        #expect(page.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"x — Test Blog (RSS)\" href=\"/tags/x/feed.xml\">"))
        #expect(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"x — Test Blog (Atom)\" href=\"/tags/x/atom.xml\">"))
        // …and the site's feeds too, after the tag's.
        let tagFeed = try #require(page.range(of: "href=\"/tags/x/feed.xml\">"))
        let siteFeed = try #require(page.range(of: "href=\"/feed.xml\">"))
        #expect(tagFeed.lowerBound < siteFeed.lowerBound)
        // Other pages do not advertise the tag's feed.
        #expect(out["index.html"]?.contains("/tags/x/feed.xml") == false)
    }

    @Test func tagFeedsHoldOnlyTheTagsPosts() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["x"]),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00", tags: ["y"]),
        ]).render()
        let atom = try #require(out["tags/x/atom.xml"])
        #expect(atom.contains("<title type=\"text\">A</title>"))
        #expect(!atom.contains("<title type=\"text\">B</title>"))
        #expect(atom.contains("<id>https://blog.example.org/tags/x/</id>"))
        let rss = try #require(out["tags/y/feed.xml"])
        #expect(rss.contains("<title>B</title>"))
        #expect(!rss.contains("<title>A</title>"))
    }

    @Test func duplicateTagOnOnePostCountsOnce() throws {
        let out = try TestSite(["content/posts/a.md": post("A", tags: ["Swift", "swift", "SWIFT"])]).render()
        #expect(out["tags/swift/index.html"]?.contains("Posts: 1") == true)
        #expect(out["tags/swift/feed.xml"].map { $0.components(separatedBy: "<item>").count - 1 } == 1)
    }
}
