import Foundation
import Testing
@testable import QuillCore

/// Posts whose text is HTML (an imported WordPress post, a Jekyll post written in HTML, raw HTML in Markdown) get a
/// summary on list pages like any other, and it is valid HTML on its own.
@Suite struct HTMLSummaryTests {
    /// The home page's summary of the one post `file` with `body`, and whether it says "Continue reading".
    static func summary(_ body: String, file: String = "content/posts/2024-01-02-a.md") throws -> (html: String, more: Bool) {
        let site = try TestSite([file: "---\ntitle: A\n---\n" + body])
        let home = try #require(try site.render()["index.html"])
        let start = try #require(home.range(of: "<div class=\"summary content\">\n"))
        let end = try #require(home.range(of: "\n  </div>", range: start.upperBound..<home.endIndex))
        return (String(home[start.upperBound..<end.lowerBound]), home.contains("Continue reading"))
    }

    @Test func aMarkdownBodyStartingWithAnHTMLBlockHasItsFirstParagraph() throws {
        let (html, more) = try Self.summary("<div class=\"intro\">\n<p>First <em>words</em>.</p>\n<p>Second.</p>\n</div>\n\nMore.\n")
        #expect(html == "<p>First <em>words</em>.</p>\n")
        #expect(more)
    }

    @Test func moreInsideAnHTMLBlockEndsTheSummaryWithItsElementsClosed() throws {
        let (html, more) = try Self.summary("<div class=\"post\">\n<p>Teaser <b>bold.</p>\n<!--more-->\n<p>Rest.</p>\n</div>\n")
        #expect(html == "<div class=\"post\">\n<p>Teaser <b>bold.</b></p></div>\n")
        #expect(more)
    }

    @Test func moreInsideAnHTMLBlockAfterMarkdownKeepsTheMarkdownBefore() throws {
        let (html, _) = try Self.summary("Intro *text*.\n\n<p>Teaser.</p><!--more--><p>Rest.</p>\n")
        #expect(html == "<p>Intro <em>text</em>.</p>\n<p>Teaser.</p>\n")
    }

    @Test func anHTMLPostHasItsFirstParagraphWithText() throws {
        let (html, more) = try Self.summary("<div class=\"entry\">\n\n<p>&nbsp;</p>\n<p>First.</p>\n\n<p>Second.</p>\n\n</div>\n",
                                            file: "content/posts/2024-01-02-a.html")
        #expect(html == "<p>First.</p>\n")
        #expect(more)
    }

    @Test func anHTMLPostWithoutParagraphsHasItsFirstBlockWithText() throws {
        let (html, _) = try Self.summary("<div class=\"entry\">\n\nWelcome to <a href=\"/x/\">my blog</a>.\n\n<img src=\"/a.png\" alt=\"\">\n</div>\n",
                                         file: "content/posts/2024-01-02-a.html")
        #expect(html == "Welcome to <a href=\"/x/\">my blog</a>.\n")
    }

    @Test func aMarkdownPostsFirstParagraphAfterAnHTMLBlockIsItsSummary() throws {
        let (html, more) = try Self.summary("<figure><img src=\"/a.png\" alt=\"A\"></figure>\n\nFirst paragraph.\n\nSecond.\n")
        #expect(html == "<p>First paragraph.</p>\n")
        #expect(more)
    }

    @Test func aMarkdownPostWithOnlyAnHTMLBlockWithoutParagraphsHasItsText() throws {
        let (html, more) = try Self.summary("<div class=\"note\">Only <i>this</i></div>\n")
        #expect(html == "<div class=\"note\">Only <i>this</i></div>\n")
        #expect(!more)
    }

    @Test func aSummaryCutFromOpenHTMLIsClosedAndLosesEndTagsItNeverOpened() throws {
        let (html, _) = try Self.summary("<div class=\"wrap\">\n\nFirst.\n\n</div></section>\n\n<!--more-->\n\nRest.\n")
        #expect(html == "<div class=\"wrap\">\n<p>First.</p>\n</div>\n")
    }

    @Test func aScriptInAnHTMLBlocksParagraphIsFilteredAsCmarkFiltersIt() throws {
        let (html, _) = try Self.summary("<div>\n<p>Hi<script>alert(1)</script></p>\n</div>\n")
        #expect(html == "<p>Hi&lt;script>alert(1)&lt;/script></p>\n")
    }
}

/// Whether a body may have images is a quick look for `<img` in any case, anywhere, before any closer reading.
@Suite struct MayHaveImagesTests {
    @Test func anImgTagInAnyCaseAnywhereIsFoundAndNothingElse() {
        for html in ["<img src=a>", "text <IMG", "<p>x</p><ImG>", "<<img"] { #expect(ImageHTML.mayHaveImages(html), "\(html)") }
        for html in ["", "<im", "<p>image</p>", "img", "< img", "<i mg>", "<imx"] { #expect(!ImageHTML.mayHaveImages(html), "\(html)") }
    }
}
