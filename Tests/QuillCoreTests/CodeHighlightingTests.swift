import Foundation
import Testing
@testable import QuillCore

/// Fenced code is highlighted at build time, exactly, with Hugo's per-block attributes and `[highlight]` settings.
@Suite struct CodeHighlightingTests {
    static let pythonPost = post("Py", body: "Intro.\n\n```python\ndef f(x):\n    return \"s\" + 42  # c\n```\n")

    static func page(_ files: [String: String], _ path: String = "2024/01/02/py/index.html",
                     config: String = TestSite.basicConfig) throws -> String {
        var files = files
        files["site.toml"] = config
        let site = try TestSite(files)
        return try #require(try site.render()[path])
    }

    /// Each `<pre>…</pre>` of a page, in order.
    static func codeBlocks(_ html: String) -> [String] {
        html.matches(of: /<pre[^>]*>(?s:.*?)<\/pre>/).map { String($0.0) }
    }

    @Test func fencedCodeWithALanguageIsHighlightedIntoSpans() throws {
        let html = try Self.page(["content/posts/py.md": Self.pythonPost])
        #expect(html.contains(#"<div class="highlight"><pre class="chroma"><code class="language-python" data-lang="python"><span class="kd">def</span>"#))
        #expect(html.contains(#"<span class="s2">&quot;s&quot;</span>"#))
        #expect(html.contains(#"<span class="c1"># c</span>"#))
        #expect(!html.contains("<script"))
    }

    @Test func feedsCarryTheCodeWithoutSpansForReadersWithoutTheStylesheet() throws {
        let site = try TestSite(["content/posts/py.md": Self.pythonPost + "\n[Rel](/x/)\n"])
        let files = try site.render()
        let page = try #require(files["2024/01/02/py/index.html"])
        #expect(page.contains("class=\"chroma\""))
        for feed in ["feed.xml", "atom.xml", "feed.json"] {
            let text = try #require(files[feed])
            #expect(!text.contains("chroma") && !text.contains("class=\\\"kd") && !text.contains("class=&quot;kd"), "\(feed)")
            #expect(text.contains("language-python") && text.contains("def f(x):"), "\(feed)")
            #expect(text.contains("https://blog.example.org/x/"), "links are still absolute in \(feed)")
        }
    }

    @Test func anUnknownLanguageIsPlainEscapedTextThatKeepsItsClass() throws {
        let html = try Self.page(["content/posts/py.md": post("Py", body: "```nosuchlang\na < b & \"c\"\n```")])
        #expect(html.contains("<pre><code class=\"language-nosuchlang\">a &lt; b &amp; &quot;c&quot;\n</code></pre>"))
    }

    @Test func hugoAttributesNumberAndMarkLines() throws {
        let body = "```go {linenos=true, hl_lines=[2, \"4-5\"], linenostart=10}\na := 1\nb := 2\nc := 3\nd := 4\ne := 5\nf := 6\n```"
        let html = try Self.page(["content/posts/py.md": post("Py", body: body)])
        let block = try #require(Self.codeBlocks(html).first)
        let lines = block.matches(of: /<span class="(line[^"]*)" data-line="(\d+)">/).map { "\($0.1)@\($0.2)" }
        #expect(lines == ["line@10", "line hl@11", "line@12", "line hl@13", "line hl@14", "line@15"])
        #expect(block.contains(#"<code class="language-go" data-lang="go">"#))
    }

    @Test func siteSettingsNumberEveryBlockAndABlockCanOptOut() throws {
        let config = TestSite.basicConfig + "\n[highlight]\nline_numbers = true\ntab_width = 8\n"
        let body = "```rust\nfn a() {}\n```\n\n```rust {linenos=false}\nfn b() {}\n```\n\n```\nno language\n```"
        let blocks = Self.codeBlocks(try Self.page(["content/posts/py.md": post("Py", body: body)], config: config))
        #expect(blocks.count == 3)
        #expect(blocks[0].contains(#"<pre class="chroma" style="tab-size: 8">"#))
        #expect(blocks[0].contains(#"<span class="line" data-line="1">"#))
        #expect(!blocks[1].contains("data-line"))
        #expect(blocks[2] == "<pre><code>no language\n</code></pre>", "a block without a language is left alone")
    }

    @Test func aHighlighterFailureIsPlainTextAndAWarningAtTheBlocksLine() throws {
        let site = try TestSite(["content/posts/f.md": post("F", body: "Text.\n\n```quill-test-failure\na < b\n```")])
        let report = try site.build()
        let html = String(decoding: try #require(site.files()["2024/01/02/f/index.html"]), as: UTF8.self)
        #expect(html.contains("<pre><code class=\"language-quill-test-failure\">a &lt; b\n</code></pre>"))
        let warning = try #require(report.warnings.first)
        #expect(warning.description.hasPrefix("content/posts/f.md:9:1: warning: the quill-test-failure code block "
                                              + "could not be highlighted (a failure the test asked for)"), "\(warning)")
    }

    @Test func turnedOffCodeIsWhatCmarkWrites() throws {
        let config = TestSite.basicConfig + "\n[highlight]\nenabled = false\n"
        let html = try Self.page(["content/posts/py.md": Self.pythonPost], config: config)
        #expect(html.contains("<pre><code class=\"language-python\">def f(x):\n"))
        #expect(!html.contains("class=\"highlight\""))
    }

    @Test func wrongHighlightSettingsAreErrorsAtTheirLine() throws {
        let config = TestSite.basicConfig + "\n[highlight]\nline_numbers = \"yes\"\ntab_width = 99\nlinenos = true\n"
        let site = try TestSite(["site.toml": config, "content/posts/py.md": Self.pythonPost])
        let errors = try #require(site.errors())
        #expect(errors.contains("site.toml:7:1: error: `highlight.line_numbers` must be true or false"), "\(errors)")
        #expect(errors.contains("site.toml:8:1: error: `highlight.tab_width` must be 1 to 16"), "\(errors)")
    }

    /// What a reader selects and copies is the code as written: every block of the fixtures, highlighted and
    /// numbered, shows exactly the text that cmark-gfm's plain rendering shows.
    @Test func theVisibleTextOfEveryBlockIsExactlyTheCode() throws {
        var files = [String: String]()
        let samples = [
            ("python", "def f():\n\treturn 'tab'   \n\n\n    # trailing spaces   \n"),
            ("rust", "fn main() { println!(\"héllo 🎉 {}\", 1 < 2 && 3 > 2); }\n"),
            ("bash", "echo \"unterminated\nstring\n"),
            ("c", "/* unterminated comment\n * <b>&amp;</b>\n"),
            ("html", "<p title=\"x\">a &amp; b</p>\n<!-- c\n"),
            ("yaml", "key: 'x'\n  - \"ünïcödé\"\n\n"),
            ("diff", "-a\n+b\n \n"),
            ("nosuchlang", "plain <text>\n"),
        ]
        for (i, (language, code)) in samples.enumerated() {
            files["content/posts/s\(i).md"] = post("S\(i)", date: "2024-01-0\(i + 1) 10:00",
                                                  body: "```\(language) {linenos=true, hl_lines=[1]}\n\(code)```")
        }
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/posts")
        for name in try FileManager.default.contentsOfDirectory(atPath: sample.path) where name.hasSuffix(".md") {
            files["content/posts/\(name)"] = try String(contentsOf: sample.appendingPathComponent(name), encoding: .utf8)
        }
        let on = try TestSite(files).render()
        files["site.toml"] = TestSite.basicConfig + "\n[highlight]\nenabled = false\n"
        let off = try TestSite(files).render()
        var compared = 0
        for (path, html) in on where path.hasSuffix(".html") {
            let highlighted = Self.codeBlocks(html), plain = Self.codeBlocks(try #require(off[path]))
            #expect(highlighted.count == plain.count, "\(path)")
            for (a, b) in zip(highlighted, plain) {
                #expect(visibleText(a) == visibleText(b), "\(path)")
                compared += 1
            }
        }
        #expect(compared >= samples.count + 2)
    }

    /// Changing `[highlight]` rebuilds the outputs that show code and nothing else, and equals a clean build.
    @Test func changingTheSettingsRebuildsExactlyThePagesWithCode() throws {
        let site = try TestSite([
            "content/posts/code.md": post("Code", date: "2024-01-02 10:00", body: "```python\nx = 1\n```"),
            "content/posts/prose.md": post("Prose", date: "2024-01-03 10:00", body: "Only words."),
            "content/about.md": "---\ntitle: About\n---\n\n```sh\necho hi\n```\n",
        ])
        try site.build()
        let before = site.files()
        try site.write("site.toml", TestSite.basicConfig + "\n[highlight]\nline_numbers = true\n")
        let report = try site.build()
        let after = site.files()
        let changed = Set(after.keys).filter { before[$0] != after[$0] }
        #expect(changed.contains("2024/01/02/code/index.html"))
        #expect(changed.contains("about/index.html"))
        #expect(!changed.contains("2024/01/03/prose/index.html"))
        #expect(Set(report.written.map(\.value)) == changed)
        for path in changed {
            #expect(after[path].map { String(decoding: $0, as: UTF8.self).contains("data-line") } == true, "\(path)")
        }
        try IncrementalBuildTests.expectEqualToClean(site, "after [highlight] changed")
        let (_, differences) = try SiteBuilder(options: site.options(output: site.root.appendingPathComponent("public"))).verify()
        #expect(differences.isEmpty)
    }

    @Test func aSettingsChangeReachesThePagesWithCodeThroughTheHighlightSetting() throws {
        let site = try TestSite([
            "content/posts/code.md": post("Code", body: "~~~ruby\nputs 1\n~~~"),
            "content/posts/prose.md": post("Prose", date: "2024-01-03 10:00", body: "Only words."),
        ])
        try site.build()
        try site.write("site.toml", TestSite.basicConfig + "\n[highlight]\ntab_width = 2\n")
        let report = try site.build()
        #expect(report.written.map(\.value).contains("2024/01/02/code/index.html"))
        let public_ = site.root.appendingPathComponent("public")
        let prose = BuildExplainer.explain("2024/01/03/prose/index.html", site: site.root, output: public_)
        let code = BuildExplainer.explain("2024/01/02/code/index.html", site: site.root, output: public_)
        #expect(code.contains("config.field highlight"), "\(code)")
        #expect(prose.contains("not rebuilt"), "\(prose)")
    }
}

/// The text a reader sees of some HTML: tags removed, the four entities cmark-gfm writes decoded.
func visibleText(_ html: String) -> String {
    var text = html.replacing(/<[^>]*>/, with: "")
    for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
        text = text.replacingOccurrences(of: entity, with: character)
    }
    return text
}

/// Code from Jekyll keeps its language and options: Liquid's `highlight` tag and kramdown's fences.
@Suite struct ImportedCodeBlockTests {
    static func converted(_ text: String) -> String {
        let liquid = LiquidConverter(siteURL: "https://x.org", baseURL: "", postURL: { _ in nil }, linkURL: { _ in nil })
        return KramdownFences.convert(liquid.convert(text, firstLine: 1, isHTML: false).text).text
    }

    @Test func theHighlightTagBecomesAFenceWithItsOptions() {
        #expect(Self.converted("{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}")
                == "```ruby {linenos=true}\nputs 1\n```")
        #expect(Self.converted("{% highlight objective-c linenos=table mark_lines=\"1 3-4\" %}\nx\n{% endhighlight %}")
                == "```objective-c {linenos=true, hl_lines=[1, \"3-4\"]}\nx\n```")
        #expect(Self.converted("{% highlight python %}\nx = 1\n{% endhighlight %}") == "```python\nx = 1\n```")
    }

    @Test func kramdownFencesKeepTheirLanguage() {
        #expect(Self.converted("~~~ ruby\nputs 1\n~~~\n") == "~~~ ruby\nputs 1\n~~~\n", "cmark-gfm reads it as it is")
        #expect(Self.converted("~~~\nputs 1\n~~~\n{: .language-ruby}\n\nText {: not this}")
                == "~~~ruby\nputs 1\n~~~\n\nText {: not this}")
        #expect(Self.converted("```\nx\n```\n{:.python}\n") == "```python\nx\n```\n")
    }

    @Test func importedCodeIsHighlightedWithItsOptions() throws {
        let body = Self.converted("{% highlight ruby linenos %}\nputs 1\nputs 2\n{% endhighlight %}")
        let site = try TestSite(["content/posts/r.md": post("R", body: body)])
        let html = try #require(try site.render()["2024/01/02/r/index.html"])
        #expect(html.contains(#"<span class="line" data-line="2">"#))
        #expect(html.contains(#"<code class="language-ruby" data-lang="ruby">"#))
    }
}
