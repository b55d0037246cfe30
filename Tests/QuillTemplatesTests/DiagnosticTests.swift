import Testing
@testable import QuillTemplates

/// Mistakes in templates are errors at their `file:line:col`, with a hint; all of a theme's errors come together.
@Suite struct DiagnosticTests {
    static func compile(_ templates: [String: String], entries: [String] = ["main"])
        -> (theme: CompiledTheme?, diagnostics: [TemplateDiagnostic])
    {
        let sources = templates.map { TemplateSource(name: $0.key, path: "templates/\($0.key).mustache", text: $0.value) }
        return TemplateCompiler.compile(sources, entries: entries, root: Fixture.root)
    }

    static func only(_ templates: [String: String], sourceLocation: SourceLocation = #_sourceLocation) -> TemplateDiagnostic? {
        let (theme, diagnostics) = compile(templates)
        #expect(theme == nil, sourceLocation: sourceLocation)
        #expect(diagnostics.count == 1, "\(diagnostics)", sourceLocation: sourceLocation)
        return diagnostics.first
    }

    @Test func aMisspeltFieldIsAnErrorAtItsPlaceWithTheNearestName() throws {
        let text = "\n\n\n\n\n\n<h1>{{post.titel}}</h1>\n"
        let d = try #require(Self.only(["main": text]))
        #expect(d.description == "templates/main.mustache:7:12: error: post has no field `titel`\n  hint: did you mean `title`?")
        #expect(d.lineText == "<h1>{{post.titel}}</h1>")
    }

    @Test func aMisspeltNameInsideASectionNamesWhatIsInScope() throws {
        let d = try #require(Self.only(["main": "{{#posts}}\n  {{titel}}\n{{/posts}}\n"]))
        #expect(d.line == 2 && d.column == 5)
        #expect(d.message == "post has no field `titel` (nor root around it)")
        #expect(d.hint == "did you mean `title`?")
    }

    @Test func aDeletedClosingTagNamesTheOpenSectionAndWhereItOpened() throws {
        let d = try #require(Self.only(["main": "{{#posts}}\n{{#post}}\n{{title}}\n{{/posts}}\n"]))
        #expect(d.line == 4 && d.column == 4)
        #expect(d.message == "`{{/posts}}` closes `post`, the section open here (opened at 2:1), with the wrong name")
        #expect(d.hint == "close `post` with {{/post}} first")
    }

    @Test func aSectionNeverClosedIsReportedWhereItOpens() throws {
        let d = try #require(Self.only(["main": "a\n  {{#posts}}\n{{title}}\n"]))
        #expect(d.line == 2 && d.column == 3)
        #expect(d.message == "`posts` is opened here and never closed")
    }

    @Test func aMisspeltParentIsOneErrorWithoutKnockOnErrors() throws {
        let d = try #require(Self.only([
            "base": "<main>{{$main}}{{/main}}</main>\n",
            "main": "{{<bsae}}\n{{$main}}{{titel}}{{/main}}\n{{/bsae}}\n",
        ]))
        #expect(d.line == 1 && d.column == 1)
        #expect(d.message == "there is no template `bsae` for this parent")
        #expect(d.hint == "did you mean `base`?")
    }

    @Test func anUnknownPartialIsAnError() throws {
        let d = try #require(Self.only(["main": "{{> partials/hedaer}}\n", "partials/header": "h\n"]))
        #expect(d.message == "there is no template `partials/hedaer` for this partial")
        #expect(d.hint == "did you mean `partials/header`?")
    }

    @Test func escapingAnHTMLFieldIsAWarningAndTheThemeStillCompiles() throws {
        let (theme, diagnostics) = Self.compile(["main": "{{#post}}\n{{content}}\n{{/post}}\n"])
        #expect(theme != nil)
        let d = try #require(diagnostics.first)
        #expect(d.isWarning && d.line == 2 && d.column == 3)
        #expect(d.hint == "use {{{content}}}")
    }

    @Test func aListOrAnObjectShownAsTextIsAnError() throws {
        let list = try #require(Self.only(["main": "{{post.tags}}"]))
        #expect(list.hint == "show its items with {{#post.tags}}…{{/post.tags}}")
        let object = try #require(Self.only(["main": "{{post.date}}"]))
        #expect(object.message == "`post.date` is a date, not text")
        #expect(object.hint == "show one of its fields, e.g. {{post.date.iso}}")
        let inside = try #require(Self.only(["main": "{{post.title.length}}"]))
        #expect(inside.message == "`post.title` is a text, it has no field `length`")
    }

    @Test func whatQuillDoesNotSupportIsRefusedAtItsPlace() throws {
        for (text, message, column) in [
            ("x {{=<% %>=}}", "delimiter changes (`{{=<% %>=}}`) are not supported", 3),
            ("{{uppercased(page.title)}}", "transforms like `uppercased(page.title)` are not supported", 3),
            ("{{> *name}}", "dynamic partials (`{{>*name}}`) are not supported", 5),
            ("{{<*name}}{{/name}}", "dynamic parents (`{{<*name}}`) are not supported", 4),
            ("{{% CONTENT_TYPE: TEXT}}", "pragmas (`{{% … }}`) are not supported", 1),
            ("a {{page.title", "a tag is not closed with }}", 3),
            ("{{{page.title}}", "`{{{page.title` is closed with }} instead of }}}", 1),
            ("{{! note", "a comment is not closed with }}", 1),
            ("{{/posts}}", "`{{/posts}}` closes a section that was never opened", 4),
        ] {
            let d = try #require(Self.only(["main": text]))
            #expect(d.message == message, "\(text)")
            #expect(d.line == 1 && d.column == column, "\(text): \(d)")
        }
    }

    @Test func everyErrorOfAThemeComesTogetherOnce() {
        let (theme, diagnostics) = Self.compile([
            "main": "{{> part}}\n{{page.titel}}\n{{> part}}\n",
            "part": "{{site.tilte}}\n",
            "other": "{{#a}}\n",
        ], entries: ["main"])
        #expect(theme == nil)
        #expect(diagnostics.map { "\($0.path):\($0.line):\($0.column)" }.sorted()
            == ["templates/main.mustache:2:8", "templates/other.mustache:1:1", "templates/part.mustache:1:8"])
    }

    /// Found by fuzzing: swift-mustache overflows its stack on this.
    @Test func anOverrideThatUsesItsOwnBlockIsAnError() throws {
        let d = try #require(Self.only([
            "base": "<main>{{$main}}default{{/main}}</main>\n",
            "main": "{{<base}}\n{{$main}}\nbefore {{$main}}inner{{/main}} after\n{{/main}}\n{{/base}}\n",
        ]))
        #expect(d.message == "block `main` is used inside its own override")
        #expect(d.line == 3 && d.column == 8)
    }

    @Test func aPartialThatIncludesItselfIsAnError() throws {
        let d = try #require(Self.only(["main": "{{> a}}", "a": "{{#posts}}{{> b}}{{/posts}}", "b": "{{> a}}"]))
        #expect(d.message == "`a` includes itself (main → a → b → a)")
    }
}
