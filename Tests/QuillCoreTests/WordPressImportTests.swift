import Foundation
import Testing
@testable import QuillCore

/// `quill import wordpress`: WXR exports (Tests/Sites/wordpress/) imported and built; every published post and page
/// is at its old URL, and nothing unpublished reaches the built site.
@Suite struct WordPressImportTests {
    static let fixtures = SampleBlogTests.repository.appendingPathComponent("Tests/Sites/wordpress")

    /// `name`'s export imported into a fresh test site.
    static func imported(_ name: String, keepScripts: Bool = false) throws
        -> (site: TestSite, report: WordPressImportReport, files: [String: String]) {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try importedExport(data, file: name, WordPressImporter(keepScripts: keepScripts))
    }

    static func importedExport(_ data: Data, file: String, _ importer: WordPressImporter = WordPressImporter()) throws
        -> (site: TestSite, report: WordPressImportReport, files: [String: String]) {
        let export = try WordPressExport.read(data, file: file)
        let result = importer.convert(export, file: file)
        let files = result.files.mapValues { String(decoding: $0, as: UTF8.self) }
        return (try TestSite(files), result.report, files)
    }

    /// What the main fixture's blog published, as output files of the new site.
    static let oldURLs = [
        "2013/01/11/hello-world/index.html", "2013/07/01/summer-in-blocks/index.html",
        "2013/03/05/every-shortcode/index.html", "2014/02/03/café-crème/index.html", "early-days/index.html",
        "2013/02/03/16/index.html", "2013/02/04/nothing-to-say/index.html", "2013/02/05/a-long-read/index.html",
        "about/index.html", "about/team/index.html", "über-uns/index.html",
    ]

    @Test func everyPublishedPostAndPageIsAtItsOldURL() throws {
        let (site, report, _) = try Self.imported("blog.xml")
        let out = try site.render()
        for path in Self.oldURLs { #expect(out[path] != nil, "no \(path)") }
        #expect(out["2013/01/11/hello-world/index.html"]?.contains("<title>Hello &amp; welcome") == true)
        #expect(report.posts == 9 && report.pages == 4, "\(report)")
    }

    @Test func theSitePatternFitsMostPostsAndTheOthersKeepTheirOwnURL() throws {
        let (_, report, files) = try Self.imported("blog.xml")
        #expect(files["site.toml"] == """
            title = "Words & Press"
            description = "Notes from a press – since 2013"
            base_url = "https://wp.example.org/blog/"
            language = "en-GB"
            author = "Ann Author"
            time_zone = "Europe/Amsterdam"
            permalink = "/:year/:month/:day/:slug/"

            """)
        #expect(report.ownPermalinks == 3, "\(report)")  // café crème, the early post, über uns
        #expect(files["content/posts/2014-02-03-cafe-creme.html"]?.contains("permalink: \"/2014/02/03/café-crème/\"\n") == true)
        #expect(files["content/posts/2013-02-01-early-days.html"]?.contains("permalink: \"/early-days/\"\n") == true)
        #expect(files["content/uber-uns.html"]?.contains("permalink: \"/über-uns/\"\n") == true)
        #expect(files["content/posts/2013-01-11-hello-world.html"]?.contains("permalink") == false)
    }

    @Test func aPostWhoseLinkWasAQueryIsPlacedByThePatternAndNoted() throws {
        let (site, report, _) = try Self.imported("blog.xml")
        #expect(try site.render()["2013/02/02/plain-link/index.html"]?.contains("A post whose link was a query.") == true)
        #expect(report.leftForAuthor.contains(
            "content/posts/2013-02-02-plain-link.html:1: its old URL https://wp.example.org/blog/?p=15 has a query, "
                + "which a static site cannot redirect; it is now at /2013/02/02/plain-link/ (a server rule can send "
                + "the old one there)"), "\(report)")
    }

    @Test func nestedPagesAreAtTheirParentsPaths() throws {
        let (site, _, files) = try Self.imported("blog.xml")
        #expect(files["content/about/team/people.html"] != nil, "\(files.keys.sorted())")
        let out = try site.render()
        #expect(out["about/team/people/index.html"]?.contains("Everyone, by name.") == true)
        #expect(out["about/team/index.html"]?.contains("Who we are.") == true)
    }

    @Test func frontMatterHasTitleDateAuthorTermsSummaryAndSticky() throws {
        let (_, _, files) = try Self.imported("blog.xml")
        let hello = try #require(files["content/posts/2013-01-11-hello-world.html"])
        #expect(hello.hasPrefix("""
            ---
            title: "Hello & welcome"
            date: 2013-01-11T10:00:00+01:00
            categories: ["News"]
            tags: ["First Steps"]
            wordpress_id: 10
            ---

            """), "\(hello)")
        let summer = try #require(files["content/posts/2013-07-01-summer-in-blocks.html"])
        #expect(summer.hasPrefix("""
            ---
            title: "Summer in blocks"
            date: 2013-07-01T23:30:00+02:00
            author: "Bo Writer"
            categories: ["News"]
            summary: "Blocks, in summer."
            sticky: true
            wordpress_id: 11
            ---

            """), "\(summer)")
    }

    @Test func classicTextGetsWordPressParagraphsAndACaptionBecomesAFigure() throws {
        let (_, _, files) = try Self.imported("blog.xml")
        let hello = try #require(files["content/posts/2013-01-11-hello-world.html"])
        let body = String(hello[hello.range(of: "---\n", options: .backwards)!.upperBound...])
        #expect(body == """
            <p>Welcome to my <strong>new</strong> blog.<br />
            It has a second line.</p>

            <!--more-->

            <p>A list:</p>
            <ul>
            <li>one</li>
            <li>two</li>
            </ul>
            <pre>code line one

            code line two</pre>
            <figure id="attachment_20" class="wp-caption aligncenter" style="width: 300px"><img src="https://wp.example.org/blog/wp-content/uploads/2013/03/harbour.png" alt="The harbour" width="300" height="200" /><figcaption class="wp-caption-text">The harbour at dawn</figcaption></figure>
            <p><a href="https://example.com/">A link</a></p>

            """, "\(body)")
    }

    @Test func blockEditorContentKeepsItsHTMLWithoutTheBlockComments() throws {
        let (site, report, files) = try Self.imported("blog.xml")
        let summer = try #require(files["content/posts/2013-07-01-summer-in-blocks.html"])
        #expect(summer.contains("<p>A block-editor post\nwith a line the editor keeps.</p>\n\n<!--more-->\n\n<figure"))
        #expect(!summer.contains("<!-- wp:") && !summer.contains("<br />"))
        #expect(report.leftForAuthor.contains("content/posts/2013-07-01-summer-in-blocks.html:1: block wp:latest-posts "
            + "is drawn by WordPress from its database; nothing of it is in the export"), "\(report)")
        let home = try #require(try site.render()["index.html"])
        #expect(home.contains("Blocks, in summer."))  // the excerpt is the summary
    }

    @Test func everyShortcodeIsConvertedAndUnknownOnesAreListed() throws {
        let (site, report, _) = try Self.imported("blog.xml")
        let page = try #require(try site.render()["2013/03/05/every-shortcode/index.html"])
        #expect(page.contains("<figure class=\"gallery\">\n<figure><img src=\"https://wp.example.org/blog/wp-content/"
            + "uploads/2013/03/harbour.png\" alt=\"The harbour\""), "\(page)")
        #expect(page.contains("<figcaption>The harbour at dawn</figcaption></figure>\n<figure><img src=\"https://wp.example.org/blog/wp-content/uploads/2013/03/boat.png\" alt=\"A boat\""))
        #expect(page.contains("<a href=\"https://vimeo.com/123456\">https://vimeo.com/123456</a>"))
        #expect(page.contains("<a href=\"https://www.youtube.com/watch?v=abc123\">"))
        #expect(page.contains("<audio src=\"https://wp.example.org/blog/wp-content/uploads/2013/03/song.mp3\" controls"))
        #expect(page.contains("<video src=\"https://wp.example.org/blog/wp-content/uploads/2013/03/clip.mp4\" controls width=\"640\" height=\"360\""))
        #expect(page.contains("[contact-form-7 id=\"4\" title=\"Contact\"]"))
        #expect(page.contains("Write [caption] to show a shortcode."))
        #expect(page.contains("<a href=\"https://www.youtube.com/embed/xyz\">"))  // an <iframe>, which Quill would escape
        #expect(!page.contains("color: red") && !page.contains("&lt;iframe") && !page.contains("&lt;style"))
        #expect(report.shortcodes == ["audio": 1, "caption": 1, "embed": 1, "gallery": 1, "video": 1, "youtube": 1])
        #expect(report.leftForAuthor.contains { $0.hasPrefix("content/posts/2013-03-05-every-shortcode.html:") && $0.contains("[contact-form-7 id=\"4\" title=\"Contact\"] (a shortcode Quill does not know") }, "\(report)")
        #expect(report.leftForAuthor.contains { $0.contains("[gallery ids=\"99\"]: its images are not attachments in the export") })
    }

    @Test func scriptsAndEventHandlersAreTakenOutUnlessKept() throws {
        let (site, report, _) = try Self.imported("blog.xml")
        let page = try #require(try site.render()["2013/01/11/hello-world/index.html"])
        #expect(!page.contains("SCRIPTTEXT") && !page.contains("onclick") && !page.contains("steal()"))
        #expect(report.scripts == 1 && report.eventHandlers == 1)
        let kept = try Self.imported("blog.xml", keepScripts: true).files["content/posts/2013-01-11-hello-world.html"]
        #expect(kept?.contains("<script>alert(\"SCRIPTTEXT\")</script>") == true)
        #expect(kept?.contains("onclick=\"steal()\"") == true)
    }

    @Test func nothingUnpublishedReachesTheBuiltSite() throws {
        let (site, report, files) = try Self.imported("blog.xml")
        let secrets = ["DRAFTTEXT", "PENDINGTEXT", "PRIVATETEXT", "TRASHTEXT", "FUTURETEXT", "PASSWORDTEXT",
                       "PAGEDRAFTTEXT", "COMMENTTEXT"]
        let out = try site.render()
        for (path, text) in out { for secret in secrets { #expect(!text.contains(secret), "\(secret) in \(path)") } }
        // Trash, password-protected posts and comments are not even written.
        for (path, text) in files {
            for secret in ["TRASHTEXT", "PASSWORDTEXT", "COMMENTTEXT"] { #expect(!text.contains(secret), "\(secret) in \(path)") }
        }
        // Drafts are there for --drafts, and the scheduled post for --future (or its day).
        let drafts = try site.render { $0.includeDrafts = true }
        #expect(drafts.values.contains { $0.contains("DRAFTTEXT") } && drafts.values.contains { $0.contains("PRIVATETEXT") })
        #expect(try site.render { $0.includeFuture = true }["2099/01/01/coming-soon/index.html"]?.contains("FUTURETEXT") == true)
        #expect(report.drafts == 4 && report.scheduled == 1 && report.comments == 2, "\(report)")
    }

    @Test func theReportSaysWhatWasImportedConvertedAndLeftOut() throws {
        let (_, report, _) = try Self.imported("blog.xml")
        let text = report.description
        #expect(text.hasPrefix("""
            imported blog.xml (WXR 1.2): 9 posts, 4 pages, 4 drafts, 1 scheduled; 1 sticky
            items: 2 attachment inherit, 1 nav_menu_item publish, 1 page draft, 4 page publish, 1 post auto-draft, \
            1 post draft, 1 post future, 1 post pending, 1 post private, 10 post publish, 1 post trash
            content: 17 classic (paragraphs by wpautop), 1 block editor (HTML kept); 1 with <!--nextpage--> pages, kept on one page
            shortcodes converted: 1 audio, 1 caption, 1 embed, 1 gallery, 1 video, 1 youtube
            HTML made safe: 1 <script>, 1 on… attributes, 1 <style>, 1 <iframe> → link
            links to ?p= URLs pointed at the posts' URLs: 1
            URLs: permalink "/:year/:month/:day/:slug/"; 3 with their own permalink; time_zone "Europe/Amsterdam"
            media: 4 URLs of the blog's own wp-content/uploads/ left as they were; they work once that folder is \
            copied into static/ (or import with --media DIR)
            comments: 2 left out (a static site has none; WordPress keeps them)
            not published:
            """), "\(text)")
        for line in [
            "  post 33 \"Thrown away\" (blog.xml:",
            "): in the trash; not imported",
            "  post 35 \"Members only\" (blog.xml:",
            "): password-protected; not imported, so its text stays private",
            "  post 36 \"Auto Draft\" (blog.xml:",
            "  content/posts/drafts/2013-03-01-unfinished.html: draft; imported as a draft (draft: true), built only with --drafts",
            "  content/posts/drafts/2013-03-02-waiting.html: pending; imported as a draft",
            "  content/posts/drafts/2013-03-03-private-notes.html: private; imported as a draft",
            "  content/posts/2099-01-01-coming-soon.html: scheduled; keeps its date",
            "  content/drafts/draft-page.html: draft; imported as a draft",
        ] {
            #expect(text.contains(line), "no \(line) in\n\(text)")
        }
    }

    @Test func anEmptyTitleIsMadeFromTheTextAndEmptyContentBuilds() throws {
        let (site, report, files) = try Self.imported("blog.xml")
        #expect(files["content/posts/2013-02-03-16.html"]?.contains(
            "title: \"Just a thought about the weather today and…\"\n") == true)
        #expect(report.leftForAuthor.contains(
            "content/posts/2013-02-03-16.html:2: the post had no title; it was given one from its text"))
        #expect(files["content/posts/2013-02-04-nothing-to-say.html"]?.hasSuffix("wordpress_id: 17\n---\n") == true)
        #expect(try site.render()["2013/02/04/nothing-to-say/index.html"]?.contains("Nothing to say") == true)
    }

    @Test func nextpagePagesStayOnOnePageAndQueryLinksPointAtThePost() throws {
        let (site, _, _) = try Self.imported("blog.xml")
        let page = try #require(try site.render()["2013/02/05/a-long-read/index.html"])
        #expect(page.contains("PAGEONE") && page.contains("PAGETWO"))
        #expect(page.contains("<a href=\"https://wp.example.org/blog/2013/02/02/plain-link/\">the plain post</a>"))
    }

    @Test func importingTwiceGivesTheSameBytes() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("blog.xml"))
        let export = try WordPressExport.read(data, file: "blog.xml")
        let first = WordPressImporter().convert(export, file: "blog.xml")
        let second = WordPressImporter().convert(try WordPressExport.read(data, file: "blog.xml"), file: "blog.xml")
        #expect(first.files == second.files)
        #expect(first.report == second.report)
    }

    @Test func quillCheckPassesOnTheImportedSite() throws {
        for name in ["blog.xml", "old-1.0.xml"] {
            let (site, _, _) = try Self.imported(name)
            let report = try SiteCheck(options: site.options()).run()
            #expect(report.problems.isEmpty, "\(name): \(report.problems)")
        }
    }

    @Test func aWXR10ExportWithAnHTTPSNamespaceImports() throws {
        let (site, report, files) = try Self.imported("old-1.0.xml")
        #expect(report.permalink == "/:slug/" && report.ownPermalinks == 0, "\(report)")
        let first = try #require(files["content/posts/2008-05-01-first.html"])
        #expect(first.hasPrefix("---\ntitle: \"First\"\ndate: 2008-05-01T22:00:00+05:30\ncategories: [\"Life\"]\n"), "\(first)")
        #expect(first.contains("<p>Teaser line.</p>\n\n<!--more-->\n\n<p>The rest.</p>"))
        #expect(files["content/posts/2008-06-01-second-last.html"]?.contains("title: \"Second & last\"") == true)
        let out = try site.render()
        #expect(out["first/index.html"] != nil && out["second-last/index.html"] != nil && out["colophon/index.html"] != nil)
        #expect(out["index.html"]?.contains("Teaser line.") == true && out["index.html"]?.contains("The rest.") == false)
    }

    // MARK: Bad input

    @Test func aTruncatedExportIsAnErrorAtItsLineAndColumn() throws {
        let whole = try String(contentsOf: Self.fixtures.appendingPathComponent("blog.xml"), encoding: .utf8)
        let cut = String(whole.prefix(4000))
        let lines = cut.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect { try WordPressExport.read(Data(cut.utf8), file: "blog.xml") } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("blog.xml:\(lines):") && text.contains(": error: ") && text.contains("hint: ")
        }
        let broken = "<?xml version=\"1.0\"?>\n<rss><channel>\n<title>A & B</title>\n</channel></rss>\n"
        #expect { try WordPressExport.read(Data(broken.utf8), file: "x.xml") } throws: { "\($0)".hasPrefix("x.xml:3:") }
    }

    @Test func anRSSFeedOrAnExportWithoutPostsIsRefusedWithItsLine() throws {
        let feed = """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
            <title>A feed</title><item><title>Post</title><dc:creator>ann</dc:creator></item>
            </channel>
            </rss>
            """
        #expect { try WordPressExport.read(Data(feed.utf8), file: "feed.xml") } throws: {
            "\($0)".hasPrefix("feed.xml:3:1: error: an RSS feed, not a WordPress export")
        }
        let empty = """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel>
            <wp:wxr_version>1.2</wp:wxr_version>
            <item><wp:post_type>attachment</wp:post_type><wp:post_id>3</wp:post_id></item>
            </channel>
            </rss>
            """
        #expect { try WordPressExport.read(Data(empty.utf8), file: "empty.xml") } throws: {
            "\($0)".hasPrefix("empty.xml:3:1: error: the export has no posts or pages")
        }
        #expect { try WordPressExport.read(Data("<html></html>".utf8), file: "page.html") } throws: {
            "\($0)".hasPrefix("page.html:1:1: error: not an RSS file")
        }
    }

    @Test func theCommandWritesNothingForABadExportAndImportsAGoodOne() throws {
        let folder = try CommandLineTests.emptyFolder()
        let bad = folder.appendingPathComponent("bad.xml")
        try Data("<rss><channel><item>".utf8).write(to: bad)
        let dest = folder.appendingPathComponent("new")
        let failed = try QuillProcess.run(["import", "wordpress", bad.path, dest.path])
        #expect(failed.ending == .exited(1), "\(failed)")
        #expect(failed.stderr.contains("bad.xml:1:"), "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: dest.path))
        let good = try QuillProcess.run(["import", "wordpress", Self.fixtures.appendingPathComponent("blog.xml").path, dest.path])
        #expect(good.ending == .exited(0), "\(good)")
        #expect(good.stdout.hasPrefix("imported blog.xml (WXR 1.2): 9 posts"), "\(good)")
        let written = try String(contentsOf: dest.appendingPathComponent("content/posts/2013-01-11-hello-world.html"), encoding: .utf8)
        #expect(written == (try Self.imported("blog.xml").files["content/posts/2013-01-11-hello-world.html"]))
    }

    // MARK: Media

    @Test func mediaFromALocalUploadsFolderIsCopiedAndItsURLsPointAtTheCopies() throws {
        let export = """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><link>https://pics.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
            <item><title>Pictures</title><link>https://pics.example.org/pictures/</link>
            <content:encoded><![CDATA[<img src="https://pics.example.org/wp-content/uploads/2020/05/dot.png" alt="A dot" /> and <img src="https://pics.example.org/wp-content/uploads/2020/05/gone.png" alt="Gone" />]]></content:encoded>
            <wp:post_id>1</wp:post_id><wp:post_date>2020-05-01 10:00:00</wp:post_date><wp:post_date_gmt>2020-05-01 10:00:00</wp:post_date_gmt>
            <wp:post_name>pictures</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
            </channel></rss>
            """
        let png = TestImages.png(width: 4, height: 3)
        let importer = WordPressImporter(media: { $0 == "2020/05/dot.png" ? png : nil })
        let (site, report, files) = try Self.importedExport(Data(export.utf8), file: "pics.xml", importer)
        #expect(files["static/wp-content/uploads/2020/05/dot.png"] != nil)
        #expect(report.mediaCopied == 1 && report.mediaMissing == 1)
        let page = try #require(try site.render()["pictures/index.html"])
        #expect(page.contains("src=\"/wp-content/uploads/2020/05/dot.png\""), "\(page)")
        #expect(page.contains("https://pics.example.org/wp-content/uploads/2020/05/gone.png"))
    }

    @Test func theFixturesUploadsFolderIsCopiedWithMedia() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("blog.xml"))
        let importer = WordPressImporter(media: WordPressExport.mediaFolder(Self.fixtures.appendingPathComponent("uploads")))
        let (site, report, files) = try Self.importedExport(data, file: "blog.xml", importer)
        #expect(report.mediaCopied == 4 && report.mediaMissing == 0 && report.ownUploads == 0, "\(report)")
        #expect(files.keys.filter { $0.hasPrefix("static/") }.sorted() == [
            "static/wp-content/uploads/2013/03/boat.png", "static/wp-content/uploads/2013/03/clip.mp4",
            "static/wp-content/uploads/2013/03/harbour.png", "static/wp-content/uploads/2013/03/song.mp3",
        ])
        let page = try #require(try site.render()["2013/03/05/every-shortcode/index.html"])
        #expect(page.contains("src=\"/blog/wp-content/uploads/2013/03/boat.png\""), "\(page)")
        #expect(!page.contains("https://wp.example.org/blog/wp-content/uploads/"))
        #expect(try SiteCheck(options: site.options()).run().problems.isEmpty)
    }
}
