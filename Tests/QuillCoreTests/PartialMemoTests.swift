import Foundation
import Mustache
import Testing
@testable import QuillCore

/// Page-level partials rendered once per distinct set of values they read (`PartialMemo`) give the bytes the
/// template gives in place, on every page.
@Suite struct PartialMemoTests {
    /// A theme whose page template includes partials that read the page in every way a template can: names
    /// through objects, arrays of objects, names missing from an array element (found on the page instead),
    /// flags, numbers, inverted sections, empty and missing lists.
    static let theme: [String: String] = [
        "index": "<title>{{page.title}}</title>\n{{> header}}\n<main>{{page.body}}</main>\n{{> footer}}\n{{> counts}}\n",
        "header": """
            <a href="{{site.root}}">{{site.title}}</a>{{#page.isHome}} (home){{/page.isHome}}
            {{#site.menu}}<li>{{title}} {{url}} {{kind}}</li>{{/site.menu}}{{^site.menu}}no menu{{/site.menu}}
            {{#page.missing}}never{{/page.missing}}{{#page.flag}}flag{{/page.flag}}
            """,
        "footer": "{{#feeds}}<link href=\"{{url}}\" title=\"{{title}}\">{{/feeds}}\n{{site.author.name}}\n",
        "counts": "{{page.number}} {{#page.list}}[{{name}}]{{/page.list}}\n",
    ]

    static func templates() throws -> TemplateSet {
        var files = [String: SourceFile]()
        for name in TemplateSet.required { files[name] = SourceFile(path: "templates/\(name).mustache", text: "x\n") }
        for (name, text) in theme { files[name] = SourceFile(path: "templates/\(name).mustache", text: text) }
        return try TemplateSet(files)
    }

    /// The same pages through the templates as written, with nothing rewritten.
    static func inPlace(_ fields: [String: Any]) throws -> String {
        var library = MustacheLibrary()
        for (name, text) in theme { library.register(try MustacheTemplate(string: TemplateSet.pragma + text), named: name) }
        return library.render(fields, withTemplate: "index") ?? ""
    }

    static func page(_ n: Int) -> [String: Any] {
        let menu: [[String: Any]] = n % 3 == 0 ? [] : [["title": "About", "url": "/about/"], ["title": "Tags", "url": "/tags/"]]
        var page: [String: Any] = ["title": "Page \(n)", "body": "<\(n)>", "isHome": n == 1, "number": n % 2]
        if n % 4 == 0 { page["flag"] = true }
        if n % 5 == 0 { page["list"] = [["name": "a"], ["name": "b"]] }
        return [
            "site": ["root": "/", "title": "Site & co", "menu": menu, "author": ["name": "Ann"]] as [String: Any],
            "page": page,
            "kind": "page-level",
            "feeds": n % 2 == 0 ? [["url": "/feed.xml", "title": "RSS"]] : [["url": "/atom.xml", "title": "Atom"]],
        ]
    }

    @Test func everyPageGetsTheBytesOfThePartialRenderedInPlace() throws {
        let templates = try Self.templates()
        #expect(templates.memo.partials.sorted() == ["counts", "footer", "header"])
        for round in 0..<2 {
            for n in 1...30 {
                let fields = Self.page(n)
                #expect(templates.render("index", fields) == (try Self.inPlace(fields)), "page \(n), round \(round)")
            }
        }
    }

    @Test func aPartialIsRenderedOncePerDistinctSetOfValuesItReads() throws {
        final class Counter: @unchecked Sendable { var renders = 0 }
        let counter = Counter()
        let library = MustacheLibrary(templates: ["header": try MustacheTemplate(string: Self.theme["header"]!)])
        let memo = PartialMemo(partials: ["header"])
        func render(_ fields: [String: Any]) -> Any? {
            let page = PartialMemo.Page(fields, memo: memo) { name, object in
                counter.renders += 1
                return library.render(object, withTemplate: name) ?? ""
            }
            return page.child(named: "__quillMemo0")
        }
        // Pages 2, 5 and 7 read the same values (not home, a menu, no flag); their bodies and feeds differ, which
        // the header does not read.
        for n in [2, 5, 7] { #expect(render(Self.page(n)) is MustacheLambda) }
        #expect(counter.renders == 1)
        _ = render(Self.page(4))  // the flag is set: another header
        _ = render(Self.page(8))
        #expect(counter.renders == 2)
        _ = render(Self.page(1))  // home
        _ = render(Self.page(3))  // no menu
        #expect(counter.renders == 4)
    }

    @Test func valuesATraceCannotCompareAreRenderedInPlace() throws {
        let library = MustacheLibrary(templates: ["p": try MustacheTemplate(string: "{{page.price}}{{page.object}}")])
        let memo = PartialMemo(partials: ["p"])
        for fields: [String: Any] in [["page": ["price": 2.5]], ["page": ["object": ["a": 1]]]] {
            let page = PartialMemo.Page(fields, memo: memo) { name, object in library.render(object, withTemplate: name) ?? "" }
            #expect(page.child(named: "__quillMemo0") == nil, "\(fields)")
        }
    }

    @Test func onlyStandalonePartialLinesOutsideListItemsWithoutTransformsAreRewritten() {
        let templates = [
            "page": "{{> header}}\n{{#posts}}\n{{> item}}\n{{/posts}}\n{{> shout}}\n<p>{{> header}}</p>\n",
            "header": "{{site.title}}\n",
            "item": "{{title}}\n",
            "shout": "{{uppercased(site.title)}}\n",
        ]
        let (withFragments, fragments) = PartialFragments.rewrite(templates)
        let (rewritten, memoized) = PartialMemo.rewrite(withFragments, original: templates)
        #expect(fragments == ["item"])
        #expect(memoized == ["header"])
        #expect(rewritten["page"] == "{{#.__quillMemo0}}\n{{/.__quillMemo0}}\n{{^.__quillMemo0}}\n{{> header}}\n"
            + "{{/.__quillMemo0}}\n{{#.__quillList0}}\n{{/.__quillList0}}\n{{^.__quillList0}}\n"
            + "{{#posts}}\n{{#.__quillPartial0}}\n{{/.__quillPartial0}}\n{{^.__quillPartial0}}\n"
            + "{{> item}}\n{{/.__quillPartial0}}\n{{/posts}}\n{{/.__quillList0}}\n{{> shout}}\n<p>{{> header}}</p>\n")
        #expect(PartialMemo.usesTransforms("shout", in: templates))
        #expect(!PartialMemo.usesTransforms("header", in: templates))
    }
}

extension PartialMemoTests {
    @Test func aPartialLineInsideASectionOrInATemplateIncludedInOneIsLeftAsWritten() {
        // Only the page answers, outside every section: `meta` inside `{{#post}}` or `{{^post}}`, and anything in
        // `card` (included inside `{{#list}}`) or in what `card` includes, would be asked on every page in vain.
        // Blocks and parents are not sections: `header` in the child's block and `footer` in the parent are
        // rewritten.
        let templates = [
            "page": "{{> header}}\n{{#post}}\n{{> meta}}\n{{/post}}\n{{^post}}\n{{> meta}}\n{{/post}}\n"
                + "{{#list}}<li>{{> card}}</li>{{/list}}\n",
            "card": "{{> deep}}\n",
            "deep": "{{x}}\n",
            "header": "{{site.title}}\n",
            "meta": "{{site.author}}\n",
            "footer": "{{site.year}}\n",
            "base": "{{$main}}{{/main}}\n{{> footer}}\n",
            "child": "{{<base}}\n{{$main}}\n{{> header}}\n{{/main}}\n{{/base}}\n",
        ]
        #expect(PartialFragments.nestedTemplates(templates) == ["card", "deep", "meta"])
        let (rewritten, memoized) = PartialMemo.rewrite(templates, original: templates)
        #expect(memoized == ["footer", "header"])
        #expect(rewritten["page"] == "{{#.__quillMemo1}}\n{{/.__quillMemo1}}\n{{^.__quillMemo1}}\n{{> header}}\n"
            + "{{/.__quillMemo1}}\n{{#post}}\n{{> meta}}\n{{/post}}\n{{^post}}\n{{> meta}}\n{{/post}}\n"
            + "{{#list}}<li>{{> card}}</li>{{/list}}\n")
        #expect(rewritten["card"] == templates["card"])
        #expect(rewritten["child"] == "{{<base}}\n{{$main}}\n{{#.__quillMemo1}}\n{{/.__quillMemo1}}\n{{^.__quillMemo1}}\n"
            + "{{> header}}\n{{/.__quillMemo1}}\n{{/main}}\n{{/base}}\n")
        #expect(rewritten["base"] == "{{$main}}{{/main}}\n{{#.__quillMemo0}}\n{{/.__quillMemo0}}\n{{^.__quillMemo0}}\n"
            + "{{> footer}}\n{{/.__quillMemo0}}\n")
    }

    @Test func linesAfterRewrittenOnesAreJudgedByTheirOwnDepth() {
        // Each rewritten line adds four lines; the depth of every later line is still the one it has as written.
        let templates = ["page": "{{> a}}\n{{#s}}\n{{> b}}\n{{/s}}\n{{> a}}\n{{#s}}\n{{> b}}\n{{/s}}\n{{> c}}\n",
                         "a": "A\n", "b": "B\n", "c": "C\n"]
        let (rewritten, memoized) = PartialMemo.rewrite(templates, original: templates)
        #expect(memoized == ["a", "c"])
        let page = rewritten["page"] ?? ""
        #expect(page.components(separatedBy: "{{#s}}\n{{> b}}\n{{/s}}\n").count == 3)
        #expect(page.components(separatedBy: "{{^.__quillMemo0}}\n{{> a}}\n").count == 3)
        #expect(page.hasSuffix("{{^.__quillMemo1}}\n{{> c}}\n{{/.__quillMemo1}}\n"))
    }

    @Test func sectionDepthsCountSectionsButNotBlocksOrParents() {
        #expect(PartialFragments.sectionDepths("a\n{{#x}}\nb\n{{ ^y}}{{/y}}\n{{/x}}\n{{<p}}\n{{$b}}\nc\n{{/b}}\n{{/p}}\n")
            == [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        #expect(PartialFragments.sectionDepths("{{#a}}{{#b}}\n{{/b}}\n{{/a}}") == [0, 2, 1])
    }
    @Test func aPartialReadingValuesNoTraceKeepsStopsBeingRecorded() throws {
        final class Counter: @unchecked Sendable { var renders = 0 }
        let counter = Counter()
        let library = MustacheLibrary(templates: ["p": try MustacheTemplate(string: "{{page.price}}")])
        let memo = PartialMemo(partials: ["p"])
        for n in 0..<100 {
            let page = PartialMemo.Page(["page": ["price": Double(n) + 0.5]], memo: memo) { name, object in
                counter.renders += 1
                return library.render(object, withTemplate: name) ?? ""
            }
            #expect(page.child(named: "__quillMemo0") == nil)
        }
        #expect(counter.renders == 33)
    }
}
