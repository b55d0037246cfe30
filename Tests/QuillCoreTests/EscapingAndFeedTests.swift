import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import QuillCore

/// A parsed XML element, for reading feeds the way a feed reader would.
final class XMLElementNode {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [XMLElementNode] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// Parses `text` with Foundation's XMLParser; nil when it is not well-formed.
    static func parse(_ text: String) -> XMLElementNode? {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLElementNode?
        var stack: [XMLElementNode] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = XMLElementNode(name: elementName, attributes: attributeDict)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
        }
    }
}

/// Titles and tags that need escaping, and what the RSS, Atom and JSON feeds and the sitemap contain.
@Suite struct EscapingAndFeedTests {
    static let nastyTitle = #"Fish & Chips <b>"quoted"</b>"#
    static let nastyTag = #"<tag>&"x""#

    /// `text` as a YAML double-quoted scalar's content.
    static func yamlQuoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func nastySite() throws -> [String: String] {
        try TestSite([
            "content/posts/fish.md": post(yamlQuoted(nastyTitle), date: "2024-01-02 10:00", tags: [yamlQuoted(nastyTag)]),
        ]).render()
    }

    static func json(_ text: String?) throws -> [String: Any] {
        let data = Data(try #require(text).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func config(_ extra: String) -> String { TestSite.basicConfig + "\n" + extra + "\n" }

    /// The parsed document of an output that must exist and be well-formed XML.
    static func xml(_ text: String?, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> XMLElementNode {
        let text = try #require(text, sourceLocation: sourceLocation)
        return try #require(XMLElementNode.parse(text), "not well-formed XML", sourceLocation: sourceLocation)
    }

    // MARK: Escaping

    @Test func titleIsEscapedInItsHTMLPage() throws {
        let out = try Self.nastySite()
        let page = try #require(out["2024/01/02/fish/index.html"])
        #expect(page.contains("Fish &amp; Chips &lt;b&gt;&quot;quoted&quot;&lt;/b&gt;"))
        #expect(page.contains("<h1 class=\"post-title\">Fish &amp; Chips &lt;b&gt;"))
        #expect(page.contains("<title>Fish &amp; Chips &lt;b&gt;"))
        for (path, html) in out where path.hasSuffix(".html") {
            #expect(!html.contains("<b>"), "\(path) has a raw <b>")
            #expect(!html.contains("Fish & Chips"), "\(path) has a raw &")
        }
    }

    @Test func titleSurvivesRSSParsing() throws {
        let out = try Self.nastySite()
        let rss = try Self.xml(out["feed.xml"])
        let item = try #require(rss.child("channel")?.child("item"))
        #expect(item.child("title")?.text == Self.nastyTitle)
        #expect(item.all("category").map { $0.text } == [Self.nastyTag])
    }

    @Test func titleSurvivesAtomParsing() throws {
        let out = try Self.nastySite()
        let atom = try Self.xml(out["atom.xml"])
        let entry = try #require(atom.child("entry"))
        #expect(entry.child("title")?.text == Self.nastyTitle)
        #expect(entry.child("category")?.attributes["label"] == Self.nastyTag)
    }

    @Test func titleSurvivesJSONFeedParsing() throws {
        let out = try Self.nastySite()
        let feed = try Self.json(out["feed.json"])
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items.first?["title"] as? String == Self.nastyTitle)
        #expect(items.first?["tags"] as? [String] == [Self.nastyTag])
    }

    @Test func tagNameSurvivesTagFeedParsing() throws {
        let out = try Self.nastySite()
        let rss = try Self.xml(out["tags/tag-and-x/feed.xml"])
        let channel = try #require(rss.child("channel"))
        #expect(channel.child("title")?.text.hasSuffix(Self.nastyTag) == true)
        #expect(channel.child("item")?.child("title")?.text == Self.nastyTitle)
        let atom = try Self.xml(out["tags/tag-and-x/atom.xml"])
        #expect(atom.child("title")?.text.hasSuffix(Self.nastyTag) == true)
        #expect(atom.child("entry")?.child("category")?.attributes["label"] == Self.nastyTag)
    }

    @Test func contentWithMarkupSurvivesFeedParsing() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", body: "Some *emphasis* & a [link](https://x.org/?a=1&b=2)."),
        ]).render()
        let rss = try Self.xml(out["feed.xml"])
        let description = try #require(rss.child("channel")?.child("item")?.child("description")?.text)
        #expect(description.contains("<em>emphasis</em>"))
        #expect(description.contains("href=\"https://x.org/?a=1&amp;b=2\""))
        let atom = try Self.xml(out["atom.xml"])
        let content = try #require(atom.child("entry")?.child("content"))
        #expect(content.attributes["type"] == "html")
        #expect(content.text.contains("<em>emphasis</em>"))
    }

    // MARK: RSS

    @Test func rssHasChannelAndItemFields() throws {
        let out = try TestSite([
            "site.toml": Self.config(#"description = "About things""#),
            "content/posts/a.md": post("A", date: "2024-01-02 10:00"),
            "content/posts/b.md": post("B", date: "2024-02-03 04:05", extra: "author: Bob Writer\n"),
        ]).render()
        let text = try #require(out["feed.xml"])
        #expect(text.contains("xmlns:dc=\"http://purl.org/dc/elements/1.1/\""))
        let rss = try #require(XMLElementNode.parse(text))
        #expect(rss.name == "rss")
        #expect(rss.attributes["version"] == "2.0")
        let channel = try #require(rss.child("channel"))
        #expect(channel.child("title")?.text == "Test Blog")
        #expect(channel.child("link")?.text == "https://blog.example.org/")
        #expect(channel.child("description")?.text == "About things")
        let items = channel.all("item")
        #expect(items.count == 2)
        let newest = try #require(items.first)
        #expect(newest.child("title")?.text == "B")
        #expect(newest.child("link")?.text == "https://blog.example.org/2024/02/03/b/")
        #expect(newest.child("guid")?.text == "https://blog.example.org/2024/02/03/b/")
        #expect(newest.child("pubDate")?.text == "Sat, 03 Feb 2024 04:05:00 +0000")
        #expect(newest.child("dc:creator")?.text == "Bob Writer")
        let older = try #require(items.last)
        #expect(older.child("pubDate")?.text == "Tue, 02 Jan 2024 10:00:00 +0000")
        #expect(older.child("dc:creator")?.text == "Ann Author")
    }

    @Test func rssPubDateUsesTheSiteTimeZoneOffset() throws {
        let out = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://x.org/\"\ntime_zone = \"America/Los_Angeles\"\n",
            "content/posts/a.md": post("A", date: "2010-01-30 19:51:52"),
        ]).render()
        let rss = try Self.xml(out["feed.xml"])
        #expect(rss.child("channel")?.child("item")?.child("pubDate")?.text == "Sat, 30 Jan 2010 19:51:52 -0800")
    }

    // MARK: Atom

    @Test func atomHasIdUpdatedAndEntriesWithPublished() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-02 10:00"),
            "content/posts/b.md": post("B", date: "2024-02-03 04:05", extra: "updated: 2024-03-01 12:00\n"),
        ]).render()
        let atom = try Self.xml(out["atom.xml"])
        #expect(atom.name == "feed")
        #expect(atom.child("id")?.text == "https://blog.example.org/")
        #expect(atom.child("title")?.text == "Test Blog")
        #expect(atom.child("updated")?.text == "2024-03-01T12:00:00Z")
        let entries = atom.all("entry")
        #expect(entries.count == 2)
        let b = try #require(entries.first)
        #expect(b.child("id")?.text == "https://blog.example.org/2024/02/03/b/")
        #expect(b.child("published")?.text == "2024-02-03T04:05:00Z")
        #expect(b.child("updated")?.text == "2024-03-01T12:00:00Z")
        let a = try #require(entries.last)
        #expect(a.child("published")?.text == "2024-01-02T10:00:00Z")
        #expect(a.child("updated")?.text == "2024-01-02T10:00:00Z")
        #expect(a.child("author")?.child("name")?.text == "Ann Author")
    }

    // MARK: JSON Feed

    @Test func jsonFeedHasVersionItemsAndAbsoluteContentURLs() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-02 10:00", tags: ["x"],
                                       body: "See [about](/about/) and ![pic](pic.png)."),
            "content/about.md": "---\ntitle: About\n---\nMe.\n",
        ]).render()
        let feed = try Self.json(out["feed.json"])
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed["title"] as? String == "Test Blog")
        #expect(feed["home_page_url"] as? String == "https://blog.example.org/")
        #expect(feed["feed_url"] as? String == "https://blog.example.org/feed.json")
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items.count == 1)
        let item = try #require(items.first)
        #expect(item["id"] as? String == "https://blog.example.org/2024/01/02/a/")
        #expect(item["url"] as? String == "https://blog.example.org/2024/01/02/a/")
        #expect(item["date_published"] as? String == "2024-01-02T10:00:00Z")
        #expect(item["tags"] as? [String] == ["x"])
        let html = try #require(item["content_html"] as? String)
        #expect(html.contains("href=\"https://blog.example.org/about/\""))
        #expect(html.contains("src=\"https://blog.example.org/2024/01/02/a/pic.png\""))
        #expect(!html.contains("href=\"/about/\""))
        // The post's own page keeps the root-relative link.
        #expect(out["2024/01/02/a/index.html"]?.contains("href=\"/about/\"") == true)
    }

    @Test func rssAndAtomContentUseAbsoluteURLs() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-02 10:00", body: "See [about](/about/)."),
        ]).render()
        let rss = try Self.xml(out["feed.xml"])
        let description = try #require(rss.child("channel")?.child("item")?.child("description")?.text)
        #expect(description.contains("href=\"https://blog.example.org/about/\""))
        let atom = try Self.xml(out["atom.xml"])
        let content = try #require(atom.child("entry")?.child("content")?.text)
        #expect(content.contains("href=\"https://blog.example.org/about/\""))
    }

    @Test func jsonFeedWithoutPostsHasAnEmptyItemList() throws {
        let feed = try Self.json(try TestSite([:]).render()["feed.json"])
        #expect((feed["items"] as? [Any])?.isEmpty == true)
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
    }

    // MARK: Feed settings

    @Test func feedLimitCapsEveryFeed() throws {
        let out = try TestSite([
            "site.toml": Self.config("[feeds]\nlimit = 2"),
            "content/posts/a.md": post("A", date: "2024-01-01 10:00", tags: ["x"]),
            "content/posts/b.md": post("B", date: "2024-01-02 10:00", tags: ["x"]),
            "content/posts/c.md": post("C", date: "2024-01-03 10:00", tags: ["x"]),
        ]).render()
        let rss = try Self.xml(out["feed.xml"])
        #expect(rss.child("channel")?.all("item").map { $0.child("title")?.text } == ["C", "B"])
        let atom = try Self.xml(out["atom.xml"])
        #expect(atom.all("entry").map { $0.child("title")?.text } == ["C", "B"])
        let items = try #require(try Self.json(out["feed.json"])["items"] as? [[String: Any]])
        #expect(items.map { $0["title"] as? String } == ["C", "B"])
        let tagRSS = try Self.xml(out["tags/x/feed.xml"])
        #expect(tagRSS.child("channel")?.all("item").count == 2)
        let tagAtom = try Self.xml(out["tags/x/atom.xml"])
        #expect(tagAtom.all("entry").count == 2)
        // Pages still list all three.
        #expect(out["archive/index.html"]?.contains(">A</a>") == true)
    }

    @Test func feedsCarryWholePostsByDefault() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", body: "Opening words.\n\n<!--more-->\n\nThe secret ending."),
        ]).render()
        #expect(out["feed.xml"]?.contains("The secret ending.") == true)
        #expect(out["atom.xml"]?.contains("The secret ending.") == true)
        #expect(out["feed.json"]?.contains("The secret ending.") == true)
    }

    @Test func fullContentFalsePutsOnlyTheSummaryInFeeds() throws {
        let out = try TestSite([
            "site.toml": Self.config("[feeds]\nfull_content = false"),
            "content/posts/a.md": post("A", body: "Opening words.\n\n<!--more-->\n\nThe secret ending."),
        ]).render()
        let rss = try Self.xml(out["feed.xml"])
        let description = try #require(rss.child("channel")?.child("item")?.child("description")?.text)
        #expect(description.contains("<p>Opening words.</p>"))
        #expect(!description.contains("secret ending"))
        let atom = try Self.xml(out["atom.xml"])
        let content = try #require(atom.child("entry")?.child("content")?.text)
        #expect(content.contains("Opening words."))
        #expect(!content.contains("secret ending"))
        let items = try #require(try Self.json(out["feed.json"])["items"] as? [[String: Any]])
        let html = try #require(items.first?["content_html"] as? String)
        #expect(html.contains("Opening words."))
        #expect(!html.contains("secret ending"))
        // The post's page still has everything.
        #expect(out["2024/01/02/a/index.html"]?.contains("The secret ending.") == true)
    }

    @Test func summaryOnlyFeedsStillUseAbsoluteURLs() throws {
        let out = try TestSite([
            "site.toml": Self.config("[feeds]\nfull_content = false"),
            "content/posts/a.md": post("A", body: "Read [about](/about/) first.\n\n<!--more-->\n\nRest."),
        ]).render()
        let items = try #require(try Self.json(out["feed.json"])["items"] as? [[String: Any]])
        let html = try #require(items.first?["content_html"] as? String)
        #expect(html.contains("href=\"https://blog.example.org/about/\""), "\(html)")
        let rss = try Self.xml(out["feed.xml"])
        let description = try #require(rss.child("channel")?.child("item")?.child("description")?.text)
        #expect(description.contains("href=\"https://blog.example.org/about/\""), "\(description)")
    }

    @Test func feedsOfAnEmptySiteAreDatedBySourceDateEpoch() throws {
        let site = try TestSite([:])
        let epoch = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z
        let out = try site.render { $0.sourceDateEpoch = epoch }
        let rss = try Self.xml(out["feed.xml"])
        #expect(rss.child("channel")?.child("lastBuildDate")?.text == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(rss.child("channel")?.all("item").isEmpty == true)
        let atom = try Self.xml(out["atom.xml"])
        #expect(atom.child("updated")?.text == "2023-11-14T22:13:20Z")
        #expect(atom.all("entry").isEmpty)
        // Not the clock: another "now" gives the same feeds.
        let later = try site.render {
            $0.sourceDateEpoch = epoch
            $0.now = Date(timeIntervalSince1970: 2_000_000_000)
        }
        #expect(later["feed.xml"] == out["feed.xml"])
        #expect(later["atom.xml"] == out["atom.xml"])
    }

    @Test func feedsOfASiteWithPostsAreDatedByTheNewestPost() throws {
        let out = try TestSite(["content/posts/a.md": post("A", date: "2024-01-02 10:00")])
            .render { $0.sourceDateEpoch = Date(timeIntervalSince1970: 1_700_000_000) }
        let rss = try Self.xml(out["feed.xml"])
        #expect(rss.child("channel")?.child("lastBuildDate")?.text == "Tue, 02 Jan 2024 10:00:00 +0000")
        let atom = try Self.xml(out["atom.xml"])
        #expect(atom.child("updated")?.text == "2024-01-02T10:00:00Z")
    }

    // MARK: Sitemap and feed links

    @Test func sitemapListsPagesButNotThe404OrFeeds() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", date: "2024-01-02 10:00", tags: ["x"]),
            "content/about.md": "---\ntitle: About\n---\nMe.\n",
        ]).render()
        let sitemap = try Self.xml(out["sitemap.xml"])
        #expect(sitemap.name == "urlset")
        let locs = Set(sitemap.all("url").compactMap { $0.child("loc")?.text })
        for url in ["", "2024/01/02/a/", "about/", "tags/", "tags/x/", "archive/"] {
            #expect(locs.contains("https://blog.example.org/" + url), "sitemap lacks /\(url)")
        }
        for url in ["404.html", "feed.xml", "atom.xml", "feed.json", "tags/x/feed.xml", "tags/x/atom.xml",
                    "sitemap.xml", "robots.txt", "css/style.css"] {
            #expect(!locs.contains("https://blog.example.org/" + url), "sitemap lists /\(url)")
        }
        for loc in locs { #expect(!loc.hasSuffix(".xml") && !loc.hasSuffix(".json") && !loc.hasSuffix("404.html")) }
        let post = sitemap.all("url").first { $0.child("loc")?.text == "https://blog.example.org/2024/01/02/a/" }
        #expect(post?.child("lastmod")?.text == "2024-01-02T10:00:00Z")
    }

    @Test func everyHTMLPageAdvertisesTheSiteFeeds() throws {
        let out = try TestSite([
            "content/posts/a.md": post("A", tags: ["x"]),
            "content/about.md": "---\ntitle: About\n---\nMe.\n",
        ]).render()
        let pages = out.filter { $0.key.hasSuffix(".html") }
        #expect(pages.keys.contains("404.html"))
        #expect(pages.count >= 7)
        for (path, html) in pages {
            #expect(html.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Test Blog (RSS)\" href=\"/feed.xml\">"),
                    "\(path) lacks the RSS link")
            #expect(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""), "\(path) lacks the Atom link")
            #expect(html.contains("<link rel=\"alternate\" type=\"application/feed+json\""), "\(path) lacks the JSON link")
        }
    }

    @Test func feedLintWarnsOfRelativeURLsLeftInItemsAndMakesFootnotesAbsolute() throws {
        let site = try TestSite([
            "content/posts/a.md": post("A", body: "Raw <a href=\"../b/\">link</a> and a note.[^1]\n\n[^1]: The note."),
            "content/posts/b.md": post("B", date: "2024-01-03 10:00", body: "[Markdown](../a/) links are made absolute."),
        ])
        let report = try site.build()
        let feed = String(decoding: site.files()["feed.xml"] ?? Data(), as: UTF8.self)
        #expect(feed.contains("href=&quot;https://blog.example.org/2024/01/02/a/#fn-1&quot;"), "footnotes point at the post")
        #expect(report.warnings.map(\.description) == [
            "content/posts/a.md: warning: its feed item keeps the relative URL ../b/ (feed readers resolve it against "
                + "the feed, or not at all)\n  hint: write it as a Markdown link or image, which feeds make absolute, or "
                + "as a full URL",
        ], "one warning, though three feeds and no tag feed show the post")
    }

    @Test func feedLintWarnsOfTwoItemsWithOneIDAndOfAFeedOverOneMegabyte() throws {
        let site = try TestSite([
            "site.toml": TestSite.basicConfig + "\n[feeds]\nlimit = 0\n",
            "content/posts/a.md": post("A", date: "2024-01-02 10:00"),
        ])
        try site.build()
        try site.write("content/posts/a.md", post("A", date: "2024-01-02 10:00", extra: "slug: moved\n"))
        try site.write("content/posts/b.md", post("B", date: "2024-01-02 10:00", extra: "slug: a\n",
                                                  body: String(repeating: "Many words here. ", count: 70_000)))
        let report = try site.build()
        let warnings = report.warnings.map(\.description)
        #expect(warnings.contains("content/posts/b.md: warning: its feed id https://blog.example.org/2024/01/02/a/ is "
                                  + "also the id of content/posts/a.md (feed readers show one)\n  hint: "
                                  + "content/posts/a.md was first published at that URL (see published-urls.txt); give "
                                  + "this post another `slug`"), "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("site.toml: warning: the feed feed.xml is 11") && $0.contains(
            "KB, over the 1 MB many feed readers take\n  hint: set a smaller `[feeds] limit`") }, "\(warnings)")
    }
}
