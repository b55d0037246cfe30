import Foundation
import Testing
@testable import QuillCore

/// No Liquid left behind: `quill import jekyll` inlines what `_includes/` holds, marks what it cannot convert where
/// it stands and lists it, and `quill build` warns of Liquid left in a Markdown post's text.
@Suite struct LiquidIncludeTests {
    /// The post `body` (front matter added) imported with these `_includes/` files: its new text and the report.
    static func importedPost(_ body: String, includes: [String: String] = [:], name: String = "2010-01-05-a.md")
        throws -> (text: String, report: ImportReport)
    {
        var files = ["_posts/" + name: Data(("---\ntitle: A\n---\n" + body).utf8)]
        for (file, text) in includes { files["_includes/" + file] = Data(text.utf8) }
        let result = JekyllImporter().convert(JekyllSource(files: files))
        let path = "content/posts/" + name.replacingOccurrences(of: ".markdown", with: ".md")
        let text = String(decoding: try #require(result.files[path]), as: UTF8.self)
        return (String(text.dropFirst("---\ntitle: A\n---\n".count)), result.report)
    }

    @Test func anHTMLIncludeAloneOnItsLineBecomesAnHTMLBlockWithItsParameters() throws {
        let note = "<aside class=\"note\">\n  <b>{{ include.title }}</b>\n\n  {{include.body}}{{ include.missing }}\n</aside>\n"
        let (text, report) = try Self.importedPost("Before.\n{% include note.html title=\"Hi & bye\" body='there' %}\nAfter.\n",
                                               includes: ["note.html": note])
        #expect(text == "Before.\n\n<aside class=\"note\">\n  <b>Hi & bye</b>\n  there\n</aside>\n\nAfter.\n")
        #expect(report.liquid.include == 1)
        #expect(report.leftForAuthor == ["site.toml:1: no _config.yml; set title and base_url"])
        #expect(report.description.contains("Liquid converted: 0 highlight, 0 raw, 0 site URL, 0 post_url, 0 link, 1 include"))
    }

    @Test func anIncludeWithinALineStaysInline() throws {
        let (text, _) = try Self.importedPost("See {% include note.html %}.\n", includes: ["note.html": "<b>note</b>\n"])
        #expect(text == "See <b>note</b>.\n")
    }

    @Test func aMarkdownIncludeStaysMarkdownAndItsOwnIncludesAreFollowed() throws {
        let (text, report) = try Self.importedPost("{% include tip.md %}\n", includes: [
            "tip.md": "**Tip:** {% include inner.html word=\"deep\" %} and {{ site.baseurl }}/x\n",
            "inner.html": "<em>{{ include.word }}</em>\n",
        ])
        #expect(text == "**Tip:** <em>deep</em> and /x\n")
        #expect(report.liquid.include == 2)
        #expect(report.liquid.siteVariables == 1)
    }

    @Test func includesThatIncludeThemselvesStopAtADepth() throws {
        let (text, report) = try Self.importedPost("{% include loop.html %}\n", includes: ["loop.html": "x{% include loop.html %}\n"])
        #expect(text.hasPrefix("xxxx<!-- quill import: Jekyll Liquid left for you: {% include loop.html %} -->"))
        #expect(report.liquid.include == LiquidConverter.includeDepth)
        #expect(report.leftForAuthor.last == "content/posts/2010-01-05-a.md:4: {% include loop.html %}")
    }

    @Test func whatCannotBeConvertedIsMarkedWhereItStandsAndListedWithItsLine() throws {
        let (text, report) = try Self.importedPost(
            "Intro.\n\n{% include missing.html %}\n\nHi {{ page.author }}, [x]({{ page.url }}) `{{ shown }}`\n")
        #expect(text == """
            Intro.

            <!-- quill import: Jekyll Liquid left for you: {% include missing.html %} --><mark class="liquid-left">\
            Jekyll Liquid not converted: <code>{% include missing.html %}</code></mark>

            Hi <!-- quill import: Jekyll Liquid left for you: {{ page.author }} --><mark class="liquid-left">Jekyll \
            Liquid not converted: <code>{{ page.author }}</code></mark>, [x]({{ page.url }}) `{{ shown }}`

            """)
        #expect(report.leftForAuthor.dropFirst() == [
            "content/posts/2010-01-05-a.md:6: {% include missing.html %}",
            "content/posts/2010-01-05-a.md:8: {{ page.author }}",
            "content/posts/2010-01-05-a.md:8: {{ page.url }}",
            "content/posts/2010-01-05-a.md:8: {{ shown }}",
        ])
    }

    @Test func aParameterGivenAVariableIsLeftForTheAuthor() throws {
        let (text, report) = try Self.importedPost("{% include note.html title=page.title %}\n",
                                               includes: ["note.html": "<b>{{ include.title }}</b>\n"])
        #expect(text.contains("<mark class=\"liquid-left\">Jekyll Liquid not converted: <code>{{ include.title }}</code></mark>"))
        #expect(report.leftForAuthor.last == "content/posts/2010-01-05-a.md:4: {{ include.title }}")
    }

    @Test func theHandWrittenBlogsPageShowsItsIncludeInsteadOfTheTag() throws {
        let (site, report) = try imported(.handWritten)
        #expect(report.liquid.include == 1)
        let out = try site.render()
        let page = try #require(out["news/tech/2010/01/05/hello-world.html"])
        #expect(page.contains("and <b>note</b>.</p>"))
        #expect(!page.contains("{%"))
    }

    @Test func aMarkOfTheImportIsShownOnThePageAndWarnedOfByTheBuild() throws {
        let files = ["_posts/2010-01-05-a.md": Data("---\ntitle: A\n---\nBy {{ page.author }}.\n".utf8)]
        let result = JekyllImporter().convert(JekyllSource(files: files))
        let site = try TestSite(result.files.mapValues { String(decoding: $0, as: UTF8.self) })
        let page = try #require(try site.render().first { $0.key.hasSuffix("a.html") || $0.key.hasSuffix("a/index.html") }?.value)
        #expect(page.contains("<p>By <!-- quill import: Jekyll Liquid left for you: {{ page.author }} -->"
            + "<mark class=\"liquid-left\">Jekyll Liquid not converted: <code>{{ page.author }}</code></mark>.</p>"))
        let warnings = try site.build().warnings.map(\.description)
        #expect(warnings.contains { $0.hasPrefix("content/posts/2010-01-05-a.md:4:") && $0.contains("Liquid `{{ page.author }}`") },
                "\(warnings)")
    }

    @Test func highlightLinenosKeepsNumberedLinesInAnHTMLPost() throws {
        let post = "---\ntitle: Code\n---\n<p>Code:</p>\n{% highlight ruby linenos %}\nputs 1 < 2\nputs 3\n{% endhighlight %}\n"
        let result = JekyllImporter().convert(JekyllSource(files: ["_posts/2010-01-05-code.html": Data(post.utf8)]))
        let text = String(decoding: try #require(result.files["content/posts/2010-01-05-code.html"]), as: UTF8.self)
        #expect(text.contains("<div class=\"highlight\"><pre class=\"chroma\"><code class=\"language-ruby\" data-lang=\"ruby\">"
            + "<span class=\"line\" data-line=\"1\">puts 1 &lt; 2</span>\n<span class=\"line\" data-line=\"2\">puts 3</span>\n"
            + "</code></pre></div>"))
    }

    // MARK: The build's warning

    @Test func liquidLeftInAMarkdownPostIsAWarningAtItsLineAndColumnButNotInCode() throws {
        let body = """
            Text {{ page.x }} and {% if a %}

            `{{ in a span }}` and ``{% raw `x` %}``

            ```
            {{ in a fence }}
            ```

                {{ indented code }}

            <!-- {{ in a comment }} -->
            <div>{% include note.html %}</div>

            # Title {{ site.title }}
            """
        let site = try TestSite(["content/posts/2024-01-02-a.md": "---\ntitle: A\n---\n" + body + "\n"])
        let lines = try site.build().warnings.map(\.description).filter { $0.contains("Liquid") }
        #expect(lines.map { $0.prefix { $0 != " " } } == [
            "content/posts/2024-01-02-a.md:4:6:", "content/posts/2024-01-02-a.md:4:23:",
            "content/posts/2024-01-02-a.md:15:6:", "content/posts/2024-01-02-a.md:17:9:",
        ])
        #expect(lines.first == """
            content/posts/2024-01-02-a.md:4:6: warning: Liquid `{{ page.x }}` is left in the text; Quill does not run \
            Liquid, so the page shows it as written
              hint: write what it stood for in Markdown or HTML, or put it in `code` or a code block to show it as written
            """)
    }

    @Test func anHTMLPostIsNotCheckedForLiquid() throws {
        let site = try TestSite(["content/posts/2024-01-02-a.html": "---\ntitle: A\n---\n<p>{{ x }}</p>\n"])
        #expect(try site.build().warnings.filter { $0.message.contains("Liquid") }.isEmpty)
    }
}
