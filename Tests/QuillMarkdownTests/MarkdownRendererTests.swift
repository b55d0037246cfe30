import Foundation
import Testing
@testable import QuillMarkdown

/// Markdown → HTML: the GFM extensions, safety, heading ids, summaries, word counts and absolute links.
@Suite struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()

    func html(_ markdown: String) -> String { renderer.render(markdown).html }

    // MARK: GFM extensions

    @Test func tableUsesStyleAttributesForAlignmentNotAlignAttribute() {
        let out = html("""
            | Left | Centre | Right |
            |:-----|:------:|------:|
            | a    | b      | c     |
            """)
        #expect(out.contains("<table>"))
        #expect(out.contains("<th style=\"text-align: left\">Left</th>"))
        #expect(out.contains("<th style=\"text-align: center\">Centre</th>"))
        #expect(out.contains("<td style=\"text-align: right\">c</td>"))
        #expect(!out.contains("align="))
    }

    @Test func strikethroughBecomesDel() {
        #expect(html("This is ~~wrong~~ right.").contains("<del>wrong</del>"))
    }

    @Test func bareURLsAreAutolinked() {
        let out = html("See https://example.com/page for more.")
        #expect(out.contains("<a href=\"https://example.com/page\">https://example.com/page</a>"))
        #expect(html("Visit www.example.org today.").contains("<a href=\"http://www.example.org\">www.example.org</a>"))
    }

    @Test func taskListItemsBecomeDisabledCheckboxes() {
        let out = html("- [x] done\n- [ ] todo\n")
        #expect(out.contains("type=\"checkbox\""))
        #expect(out.contains("checked=\"\""))
        #expect(out.contains("disabled=\"\""))
        // Exactly one of the two boxes is checked.
        #expect(out.components(separatedBy: "type=\"checkbox\"").count - 1 == 2)
        #expect(out.components(separatedBy: "checked=\"\"").count - 1 == 1)
        #expect(!out.contains("[x]"))
        #expect(!out.contains("[ ]"))
    }

    @Test func footnotesProduceAFootnotesSection() {
        let out = html("A claim.[^1]\n\n[^1]: The source.\n")
        #expect(out.contains("<section class=\"footnotes\""))
        #expect(out.contains("href=\"#fn-1\""))
        #expect(out.contains("The source."))
        #expect(!out.contains("[^1]"))
    }

    @Test func tagfilterEscapesScriptTagsInRawHTML() {
        let block = html("<script>alert(1)</script>\n")
        #expect(block.contains("&lt;script>"))
        #expect(!block.contains("<script>"))
        let inline = html("Hello <script>alert(1)</script> world")
        #expect(inline.contains("&lt;script>"))
        #expect(!inline.contains("<script>"))
    }

    @Test func rawHTMLIsKept() {
        let out = html("<div class=\"x\">\n\nInside *div*.\n\n</div>\n")
        #expect(out.contains("<div class=\"x\">"))
        #expect(out.contains("<em>div</em>"))
        #expect(out.contains("</div>"))
        #expect(html("Some <span class=\"y\">inline</span> html").contains("<span class=\"y\">inline</span>"))
    }

    // MARK: Unsafe URLs

    @Test func javascriptURLInMarkdownLinkIsDropped() {
        let out = html("[click](javascript:alert(1)) and [also](JavaScript:alert(2))")
        #expect(!out.lowercased().contains("javascript:"))
        #expect(out.contains(">click</a>"))
        #expect(out.contains(">also</a>"))
    }

    @Test func javascriptURLInRawAnchorIsDropped() {
        let block = html("<a href=\"javascript:alert(1)\">x</a>\n")
        #expect(!block.lowercased().contains("javascript:"))
        #expect(block.contains("<a href="))
        let inline = html("Text <a href='JAVASCRIPT:alert(1)'>y</a> more")
        #expect(!inline.lowercased().contains("javascript:"))
        #expect(inline.contains(">y</a>"))
    }

    @Test func javascriptURLHiddenByEntitiesOrWhitespaceInRawHTMLIsDropped() {
        // Browsers decode character references in attributes and drop tabs and newlines from URLs, so each of
        // these values runs script when clicked: none may reach the output as written.
        for value in [
            "javascript&#58;alert(1)",
            "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)",
            "java&#x09;script:alert(1)",
            "java&#10;script:alert(1)",
        ] {
            let out = html("<a href=\"\(value)\">x</a>\n")
            #expect(!out.lowercased().contains(value.lowercased()), "kept: \(out)")
        }
        let unquoted = html("<a href=javascript:alert(1)>x</a>\n")
        #expect(!unquoted.lowercased().contains("javascript:"), "kept: \(unquoted)")
    }

    @Test func safeLinksAreKept() {
        let out = html("[a](https://example.com/) [b](/about/) [c](mailto:me@example.com)")
        #expect(out.contains("href=\"https://example.com/\""))
        #expect(out.contains("href=\"/about/\""))
        #expect(out.contains("href=\"mailto:me@example.com\""))
    }

    // MARK: Headings

    @Test func headingIdsAreSluggedAndDeduplicated() {
        let doc = renderer.render("## Intro\n\nA.\n\n## Intro\n\nB.\n\n## Hello, World!\n")
        #expect(doc.headings.map(\.id) == ["intro", "intro-1", "hello-world"])
        #expect(doc.html.contains("<h2 id=\"intro\">"))
        #expect(doc.html.contains("<h2 id=\"intro-1\">"))
        #expect(doc.html.contains("<h2 id=\"hello-world\">"))
    }

    @Test func headingNamedMainDoesNotTakeTheLayoutsMainId() {
        let doc = renderer.render("## Main\n\nText.\n\n## Top\n")
        #expect(doc.headings[0].id != "main")
        #expect(doc.headings[1].id != "top")
        #expect(!doc.html.contains("id=\"main\""))
        #expect(!doc.html.contains("id=\"top\""))
        #expect(doc.headings[0].text == "Main")
    }

    @Test func headingsCarryAnAnchorLinkToThemselves() {
        let out = html("### Getting *started*\n")
        #expect(out.contains("<h3 id=\"getting-started\">"))
        #expect(out.contains("<a class=\"anchor\" href=\"#getting-started\""))
        #expect(out.contains("<em>started</em></h3>"))
    }

    @Test func headingsListsLevelIdAndPlainText() {
        let doc = renderer.render("# Title\n\n## Part `one`\n\n### Sub *part*\n")
        #expect(doc.headings == [
            Heading(level: 1, id: "title", text: "Title"),
            Heading(level: 2, id: "part-one", text: "Part one"),
            Heading(level: 3, id: "sub-part", text: "Sub part"),
        ])
    }

    @Test func tableOfContentsNestsDeeperHeadings() {
        let doc = renderer.render("## A\n\n### B\n\n## C\n")
        #expect(doc.headings.map(\.level) == [2, 3, 2])
        #expect(doc.headings.tableOfContentsHTML() ==
            "<ul><li><a href=\"#a\">A</a><ul><li><a href=\"#b\">B</a></li></ul></li><li><a href=\"#c\">C</a></li></ul>")
    }

    @Test func tableOfContentsIsEmptyWithoutHeadingsAndEscapesText() {
        #expect(renderer.render("Just text.").headings.tableOfContentsHTML() == "")
        let toc = renderer.render("## Fish & \"Chips\" < Peas\n").headings.tableOfContentsHTML()
        #expect(toc.contains(">Fish &amp; &quot;Chips&quot; &lt; Peas</a>"))
    }

    // MARK: Summary

    @Test func summaryIsTheBlocksBeforeTheMoreMarker() {
        let doc = renderer.render("First.\n\nSecond.\n\n<!--more-->\n\nThird.\n")
        #expect(doc.summaryHTML == "<p>First.</p>\n<p>Second.</p>\n")
        #expect(doc.summaryText == "First. Second.")
        #expect(doc.hasSummaryBreak)
        #expect(doc.hasMore)
        #expect(doc.html.contains("<p>Third.</p>"))
        #expect(!doc.html.contains("more-->"))
    }

    @Test func summaryWithoutMarkerIsTheFirstParagraph() {
        let doc = renderer.render("# Title\n\nFirst paragraph.\n\nSecond paragraph.\n")
        #expect(doc.summaryHTML == "<p>First paragraph.</p>\n")
        #expect(!doc.hasSummaryBreak)
        #expect(doc.hasMore)
    }

    @Test func singleParagraphHasNoMore() {
        let doc = renderer.render("Only this.\n")
        #expect(doc.summaryHTML == "<p>Only this.</p>\n")
        #expect(!doc.hasMore)
    }

    @Test func moreMarkerAtTheEndHasNoMore() {
        let doc = renderer.render("One.\n\nTwo.\n\n<!--more-->\n")
        #expect(doc.summaryHTML == "<p>One.</p>\n<p>Two.</p>\n")
        #expect(doc.hasSummaryBreak)
        #expect(!doc.hasMore)
    }

    @Test func moreMarkerInsideFencedCodeIsNotABreak() {
        let markdown = "Intro.\n\n```html\n<!--more-->\n```\n\nAfter the code.\n"
        let doc = renderer.render(markdown)
        #expect(!doc.hasSummaryBreak)
        #expect(doc.summaryHTML == "<p>Intro.</p>\n")
        #expect(doc.html.contains("&lt;!--more--&gt;"))
        #expect(doc.html.contains("After the code."))
    }

    @Test func summaryHeadingsHaveNoIds() {
        let doc = renderer.render("## Intro\n\nHello.\n\n<!--more-->\n\nRest.\n")
        #expect(doc.summaryHTML.contains("<h2>Intro</h2>"))
        #expect(!doc.summaryHTML.contains("id="))
        #expect(!doc.summaryHTML.contains("class=\"anchor\""))
        #expect(doc.html.contains("<h2 id=\"intro\">"))
    }

    // MARK: Word count

    @Test func wordCountCountsTextAndCode() {
        #expect(renderer.render("One two three.").wordCount == 3)
        #expect(renderer.render("# Hello world\n\nA *b* `c d` e.\n\n```\nlet x = 1\n```\n").wordCount == 2 + 5 + 4)
        #expect(renderer.render("").wordCount == 0)
    }

    @Test func wordCountDoesNotSplitWordsAtInlineMarkup() {
        // One word with emphasis inside it is still one word.
        #expect(renderer.render("un*believ*able").wordCount == 1)
        #expect(renderer.render("**Bold**ly go").wordCount == 2)
    }

    // MARK: Absolute URLs

    @Test func absoluteHTMLResolvesRelativeLinksAgainstPageURL() {
        let markdown = "[root](/x) ![pic](img.png) [up](../y) [abs](https://other.org/z)"
        let doc = renderer.render(markdown, pageURL: "https://example.org/2024/01/02/post/")
        #expect(doc.absoluteHTML.contains("href=\"https://example.org/x\""))
        #expect(doc.absoluteHTML.contains("src=\"https://example.org/2024/01/02/post/img.png\""))
        #expect(doc.absoluteHTML.contains("href=\"https://example.org/2024/01/02/y\""))
        #expect(doc.absoluteHTML.contains("href=\"https://other.org/z\""))
        // `html` keeps them as written.
        #expect(doc.html.contains("href=\"/x\""))
        #expect(doc.html.contains("src=\"img.png\""))
        #expect(doc.html.contains("href=\"../y\""))
    }

    /// A relative link inside a heading is resolved in `absoluteHTML` like any other. Run in a child process:
    /// when the renderer touches freed heading nodes it crashes, which must fail this test, not the whole run.
    @Test func absoluteHTMLResolvesLinksInsideHeadings() async {
        await #expect(processExitsWith: .success) {
            let doc = MarkdownRenderer().render("## See [the docs](/docs/)\n\nAnd [more](/more/).\n",
                                                pageURL: "https://example.org/2024/01/02/post/")
            let ok = doc.absoluteHTML.contains("href=\"https://example.org/more/\"")
                && doc.absoluteHTML.contains("href=\"https://example.org/docs/\"")
                && !doc.absoluteHTML.contains("href=\"/docs/\"")
                && doc.html.contains("href=\"/docs/\"")
                && doc.headings == [Heading(level: 2, id: "see-the-docs", text: "See the docs")]
            if !ok {
                FileHandle.standardError.write(Data("absoluteHTML: \(doc.absoluteHTML)\n".utf8))
                exit(1)
            }
        }
    }

    @Test func absoluteHTMLEqualsHTMLWithoutPageURL() {
        let doc = renderer.render("[root](/x)")
        #expect(doc.absoluteHTML == doc.html)
        #expect(doc.html.contains("href=\"/x\""))
    }
}
