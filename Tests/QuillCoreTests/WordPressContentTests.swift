import Foundation
import Testing
@testable import QuillCore

/// Smaller pieces of the WordPress import, on their own.
@Suite struct WordPressContentTests {
    @Test func nonASCIIURLsAreLinkedPercentEncoded() throws {
        let (site, _, _) = try WordPressImportTests.imported("blog.xml")
        let out = try site.render()
        #expect(out["index.html"]?.contains("href=\"/blog/2014/02/03/caf%C3%A9-cr%C3%A8me/\"") == true)
        #expect(out["sitemap.xml"]?.contains("<loc>https://wp.example.org/blog/%C3%BCber-uns/</loc>") == true)
        #expect(URLPath("/big ideas/c++/").encoded == "/big%20ideas/c++/")
    }

    @Test func bracketsInCodeAreNotListedAsShortcodesButKnownOnesAreConverted() {
        let codes = WordPressShortcodes(attachments: [:])
        let outcome = codes.convert("<pre>a[i] = b[j]</pre> <code>[x]</code> [embed]https://a.example/v[/embed] [sic]", postID: 1)
        #expect(outcome.unknown == ["[sic]"])
        #expect(outcome.text == "<pre>a[i] = b[j]</pre> <code>[x]</code> <a href=\"https://a.example/v\">https://a.example/v</a> [sic]")
    }

    @Test func titlesAreTextAsWordPressShowsThem() {
        #expect(WordPressContent.titleText("Caf&eacute; &amp; <em>bar</em>&#8217;s  &hellip;") == "Café & bar’s …")
        #expect(WordPressContent.titleText("&amp;lt;tag&amp;gt;") == "&lt;tag&gt;")
    }

    @Test(arguments: [
        ("a\nb\n\nc", "<p>a<br />\nb</p>\n<p>c</p>\n"),
        ("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n"),
        ("<div>x</div>\ny", "<div>x</div>\n<p>y</p>\n"),
        ("<blockquote>q</blockquote>", "<blockquote><p>q</p></blockquote>\n"),
        ("a<br>\n<br/>b", "<p>a</p>\n<p>b</p>\n"),
        ("<a href=\"x\"\ntitle=\"y\">l</a>", "<p><a href=\"x\"\ntitle=\"y\">l</a></p>\n"),
        ("<ul>\n<li>a</li>\n</ul>", "<ul>\n<li>a</li>\n</ul>\n"),
        ("<script>a\nb</script>", "<p><script>a\nb</script></p>\n"),
        ("", ""),
    ])
    func wpautopFollowsWordPressRules(_ input: String, _ expected: String) {
        #expect(WordPressAutop.autop(input) == expected)
    }
}

/// A generated export of 500 posts: imported (timed), built, every post at its URL.
@Suite struct WordPressGeneratedExportTests {
    /// An export of `count` posts (every tenth in summer time, every seventh with a caption), written from the format.
    static func generatedExport(posts count: Int) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" \
            xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" \
            xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><title>Generated</title><link>https://gen.example.org</link><wp:wxr_version>1.2</wp:wxr_version>

            """
        for i in 0..<count {
            let day = Calendar(identifier: .gregorian).date(byAdding: .day, value: i, to: Date(timeIntervalSince1970: 1_262_304_000))!
            let d = DateParts(day, in: TimeZone(identifier: "UTC")!)
            let slug = "post-number-\(i)"
            let body = "Paragraph one of post \(i).\nA second line.\n\nParagraph two." + (i % 7 == 0
                ? "\n\n[caption align=\"alignnone\" width=\"100\"]<img src=\"https://gen.example.org/wp-content/uploads/x\(i).jpg\" alt=\"x\" /> Caption \(i)[/caption]"
                : "")
            xml += """
                <item><title>Post \(i)</title><link>https://gen.example.org/\(d.year)/\(d.month)/\(slug)/</link>
                <dc:creator>admin</dc:creator><category domain="post_tag" nicename="t\(i % 20)">Tag \(i % 20)</category>
                <content:encoded><![CDATA[\(body)]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
                <wp:post_id>\(i + 1)</wp:post_id><wp:post_date>\(d.isoDay) 12:00:00</wp:post_date>
                <wp:post_date_gmt>\(d.isoDay) 12:00:00</wp:post_date_gmt><wp:post_name>\(slug)</wp:post_name>
                <wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>
                <wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
                <wp:comment><wp:comment_content>Hi</wp:comment_content></wp:comment></item>

                """
        }
        return xml + "</channel></rss>\n"
    }

    @Test func aGeneratedExportOf500PostsImportsEveryPostAtItsURL() throws {
        let data = Data(Self.generatedExport(posts: 500).utf8)
        // For CI and timing the command: QUILL_EXPORT_WORDPRESS_FIXTURE=/tmp/generated.xml writes the export there.
        if let path = ProcessInfo.processInfo.environment["QUILL_EXPORT_WORDPRESS_FIXTURE"] {
            try data.write(to: URL(fileURLWithPath: path))
        }
        let clock = ContinuousClock()
        var result: WordPressImporter.Result?
        let took = try clock.measure {
            result = WordPressImporter().convert(try WordPressExport.read(data, file: "generated.xml"), file: "generated.xml")
        }
        let imported = try #require(result)
        #expect(imported.report.posts == 500 && imported.report.comments == 500)
        #expect(imported.report.permalink == "/:year/:month/:slug/" && imported.report.ownPermalinks == 0)
        let site = try TestSite(imported.files.mapValues { String(decoding: $0, as: UTF8.self) })
        let out = try site.render()
        let posts = out.keys.filter { $0.contains("/post-number-") }
        #expect(posts.count == 500)
        print("import of 500 posts (\(data.count) bytes): \(took); built: \(out.count) files, \(posts.count) post URLs, "
            + "\(out.keys.filter { $0.hasSuffix(".html") }.count) HTML pages")
    }
}
