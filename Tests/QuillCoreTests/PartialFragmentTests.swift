import Foundation
import Mustache
import Testing
@testable import QuillCore

/// List items rendered once per post (`PartialFragments`) give the bytes the template would give in place.
@Suite struct PartialFragmentTests {
    /// Four posts, two per home page, each with its own tag, so that every post is on a home page and a tag page.
    static func site(item: String, index: String = "{{#posts}}\n{{> partials/item}}\n{{/posts}}\n") throws
        -> [String: String]
    {
        var files = [
            "site.toml": TestSite.basicConfig.replacingOccurrences(of: "posts_per_page = 3", with: "posts_per_page = 2"),
            "templates/index.mustache": "<h1>{{page.title}}</h1>\n" + index,
            "templates/tag.mustache": "<h1>{{page.title}}</h1>\n{{#posts}}\n{{> partials/item}}\n{{/posts}}\n",
            "templates/partials/item.mustache": item,
        ]
        for n in 1...4 {
            files["content/posts/p\(n).md"] = post("Post <\(n)>", date: "2024-01-0\(n) 10:00", tags: ["t\(n)"])
        }
        return try TestSite(files).render()
    }

    @Test func anItemThatShowsOnlyThePostIsTheSameOnEveryListPage() throws {
        let out = try Self.site(item: "<p>{{title}} {{date.iso}}{{#tags}} #{{name}}{{/tags}}</p>\n")
        #expect(out["index.html"] == "<h1>Test Blog</h1>\n<p>Post &lt;4&gt; 2024-01-04T10:00:00Z #t4</p>\n"
            + "<p>Post &lt;3&gt; 2024-01-03T10:00:00Z #t3</p>\n")
        #expect(out["page/2/index.html"] == "<h1>Page 2</h1>\n<p>Post &lt;2&gt; 2024-01-02T10:00:00Z #t2</p>\n"
            + "<p>Post &lt;1&gt; 2024-01-01T10:00:00Z #t1</p>\n")
        #expect(out["tags/t3/index.html"] == "<h1>Posts tagged “t3”</h1>\n<p>Post &lt;3&gt; 2024-01-03T10:00:00Z #t3</p>\n")
    }

    @Test func anItemThatReachesThePageAroundItIsRenderedInPlace() throws {
        // `page.title` differs between the home pages and the tag page: a fragment made once would repeat one.
        let out = try Self.site(item: "<p>{{title}} on {{page.title}}</p>\n")
        #expect(out["index.html"] == "<h1>Test Blog</h1>\n<p>Post &lt;4&gt; on Test Blog</p>\n<p>Post &lt;3&gt; on Test Blog</p>\n")
        #expect(out["page/2/index.html"] == "<h1>Page 2</h1>\n<p>Post &lt;2&gt; on Page 2</p>\n<p>Post &lt;1&gt; on Page 2</p>\n")
        #expect(out["tags/t3/index.html"]
            == "<h1>Posts tagged “t3”</h1>\n<p>Post &lt;3&gt; on Posts tagged “t3”</p>\n")
    }

    @Test func anIndentedPartialAnywhereKeepsEveryTemplateAsWritten() throws {
        let templates = [
            "index": "{{#posts}}\n{{> item}}\n{{/posts}}\n",
            "item": "<p>{{title}}</p>\n",
            "other": "<div>\n  {{> item}}\n</div>\n",
        ]
        let (rewritten, partials) = PartialFragments.rewrite(templates)
        #expect(rewritten == templates)
        #expect(partials.isEmpty)
        // The same theme, indented: the list item is still right.
        let out = try Self.site(item: "<p>{{title}}</p>\n", index: "{{#posts}}\n  {{> partials/item}}\n{{/posts}}\n")
        #expect(out["index.html"] == "<h1>Test Blog</h1>\n  <p>Post &lt;4&gt;</p>\n  <p>Post &lt;3&gt;</p>\n")
    }

    @Test func onlyAPartialThatIsTheWholeBodyOfASectionIsRewritten() {
        let templates = [
            "list": "{{#posts}}\n{{> item}}\n{{/posts}}\n{{> item}}\n{{#posts}}\n<li>\n{{> item}}\n{{/posts}}\n",
            "item": "<p>{{title}}</p>\n",
        ]
        let (rewritten, partials) = PartialFragments.rewrite(templates)
        #expect(partials == ["item"])
        #expect(rewritten["list"] == "{{#.__quillList0}}\n{{/.__quillList0}}\n{{^.__quillList0}}\n"
            + "{{#posts}}\n{{#.__quillPartial0}}\n{{/.__quillPartial0}}\n"
            + "{{^.__quillPartial0}}\n{{> item}}\n{{/.__quillPartial0}}\n{{/posts}}\n{{/.__quillList0}}\n{{> item}}\n"
            + "{{#posts}}\n<li>\n{{> item}}\n{{/posts}}\n")
        #expect(rewritten["item"] == templates["item"])
    }

    @Test func onlyAListOutsideEverySectionIsAnsweredByThePageAtOnce() {
        // Inside `{{#years}}`, or in a template included inside a section, `posts` may not be the page's.
        let list = "{{#posts}}\n{{> item}}\n{{/posts}}\n"
        let templates = ["archive": "{{#years}}\n" + list + "{{/years}}\n", "group": list,
                         "page": "{{#groups}}\n{{> group}}\n{{/groups}}\n", "item": "<p>{{title}}</p>\n"]
        let (rewritten, partials) = PartialFragments.rewrite(templates)
        #expect(partials == ["item"])
        let item = "{{#posts}}\n{{#.__quillPartial0}}\n{{/.__quillPartial0}}\n{{^.__quillPartial0}}\n{{> item}}\n"
            + "{{/.__quillPartial0}}\n{{/posts}}\n"
        #expect(rewritten["archive"] == "{{#years}}\n" + item + "{{/years}}\n")
        #expect(rewritten["group"] == item)
    }

    @Test func everyListOutsideASectionIsWrappedWhereverItIs() {
        let list = "{{#posts}}\n{{> item}}\n{{/posts}}\n"
        let templates = ["page": list + "{{#x}}\n" + list + "{{/x}}\n" + list, "item": "<p>{{title}}</p>\n"]
        let page = PartialFragments.rewrite(templates).templates["page"] ?? ""
        #expect(page.components(separatedBy: "{{^.__quillList0}}\n{{#posts}}").count == 3)  // the first and the last
        #expect(page.components(separatedBy: "{{#x}}\n{{#posts}}").count == 2)
    }

    @Test func aPageAnswersItsListOnlyWhenEveryPostHasAFragment() throws {
        var files = [String: SourceFile]()
        for name in TemplateSet.required { files[name] = SourceFile(path: "templates/\(name).mustache", text: "x\n") }
        files["index"] = SourceFile(path: "templates/index.mustache", text: "{{#posts}}\n{{> item}}\n{{/posts}}\n")
        files["item"] = SourceFile(path: "templates/item.mustache",
                                   text: "<p>{{title}}{{#isDraft}} on {{page.title}}{{/isDraft}}</p>\n")
        let templates = try TemplateSet(files)
        var config = SiteConfig(title: "T")
        config.timeZone = TimeZone(identifier: "UTC")!
        func view(_ title: String, draft: Bool, scoped: Bool = true) throws -> Views.PostView {
            let text = "---\ntitle: \(title)\ndate: 2024-01-02\ndraft: \(draft)\n---\nBody\n"
            let post = try ContentParser(config: config).parsePost(SourceFile(path: "content/posts/\(title).md", text: text)).get()
            return Views.post(post, config: config, fragments: scoped ? templates.fragmentScope("card:\(title)") : nil)
        }
        let a = try view("A & B", draft: false)
        let c = try view("C", draft: true)  // its item reads the page's title: no fragment
        let page = { (posts: Any) in PartialMemo.Page(["posts": posts]) }
        let lambda = try #require(page([a]).child(named: "__quillList0") as? MustacheLambda)
        #expect(try MustacheTemplate(string: "{{#x}}{{/x}}").render(["x": lambda]) == "<p>A &amp; B</p>\n")
        #expect(templates.render("index", ["posts": [a]]) == "<p>A &amp; B</p>\n")
        // A post without a fragment, a post with no place in the cache, or a list of something else: the list is
        // rendered in place.
        #expect(page([a, c]).child(named: "__quillList0") == nil)
        #expect(page([a, try view("D", draft: false, scoped: false)]).child(named: "__quillList0") == nil)
        #expect(page([["title": "E"]]).child(named: "__quillList0") == nil)
        #expect(templates.render("index", ["posts": [a, c], "page": ["title": "P"]]) == "<p>A &amp; B</p>\n<p>C on P</p>\n")
    }

    @Test func partialsWithBlocksDynamicNamesOrDotNamesAreNeverCached() {
        for item in ["{{$b}}x{{/b}}\n", "{{>*name}}\n", "{{.}}\n", "{{#.}}x{{/.}}\n", "{{=<% %>=}}\n",
                     "{{> inner}}\n"] {
            let templates = ["list": "{{#posts}}\n{{> item}}\n{{/posts}}\n", "item": item,
                             "inner": "{{<base}}{{/base}}", "base": ""]
            #expect(!PartialFragments.isSelfContained("item", in: templates), "\(item)")
        }
        #expect(PartialFragments.isSelfContained("item", in: ["item": "{{title}}{{> inner}}", "inner": "{{#tags}}{{name}}{{/tags}}"]))
        #expect(!PartialFragments.isSelfContained("item", in: ["item": "{{> item}}"]))
    }

    @Test func aPartialInsideAnItemIsRenderedWithTheItemNotMemoized() throws {
        // `inner` is memoized where the page includes it outside every section; inside the item, whose template is
        // only ever rendered inside `{{#posts}}`, its line is left as written (the page could never answer it
        // there), and the item is still one fragment per post.
        var files = [String: SourceFile]()
        for name in TemplateSet.required { files[name] = SourceFile(path: "templates/\(name).mustache", text: "x\n") }
        let texts = ["index": "{{> inner}}\n{{#posts}}\n{{> item}}\n{{/posts}}\n", "item": "<p>{{title}}</p>\n{{> inner}}\n",
                     "inner": "<i>{{title}}</i>\n"]
        for (name, text) in texts { files[name] = SourceFile(path: "templates/\(name).mustache", text: text) }
        let templates = try TemplateSet(files)
        #expect(templates.memo.partials == ["inner"])
        #expect(templates.fragments.partials == ["item"])
        let (withFragments, _) = PartialFragments.rewrite(texts)
        #expect(PartialMemo.rewrite(withFragments, original: texts).templates["item"] == texts["item"])
        final class Post: MustacheParent {
            func child(named name: String) -> Any? { name == "title" ? "T" : nil }
        }
        let lambda = try #require(PartialFragments.lambda("__quillPartial0", view: Post(), templates.fragmentScope("card:a.md")))
        #expect(try MustacheTemplate(string: "{{#x}}{{/x}}").render(["x": lambda]) == "<p>T</p>\n<i>T</i>\n")
    }

    @Test func onlyAPartialThatIsTheWholeBodyOfAPostListIsRewritten() {
        // A post page's `newer` is not a list of posts: nothing there keeps fragments.
        let templates = ["post": "{{#newer}}\n{{> nav}}\n{{/newer}}\n", "nav": "<a>{{title}}</a>\n"]
        let (rewritten, partials) = PartialFragments.rewrite(templates)
        #expect(partials.isEmpty)
        #expect(rewritten == templates)
    }

    @Test func aFragmentIsRenderedOncePerPostAndPartial() throws {
        final class Post: MustacheParent {
            func child(named name: String) -> Any? { name == "title" ? "T" : nil }
        }
        final class Counter: @unchecked Sendable { var renders = 0 }
        let counter = Counter()
        let fragments = PartialFragments(partials: ["item"])
        let scope = PartialFragments.Scope(fragments: fragments, key: "card:a.md") { name, object in
            counter.renders += 1
            return ((object as? MustacheParent)?.child(named: "title") as? String ?? "") + name
        }
        let view = Post()
        let first = try #require(PartialFragments.lambda("__quillPartial0", view: view, scope))
        _ = PartialFragments.lambda("__quillPartial0", view: view, scope)
        #expect(counter.renders == 1)
        let template = try MustacheTemplate(string: "{{#x}}{{/x}}")
        #expect(template.render(["x": first]) == "Titem")
        // A view that does not know a name the partial asks for gets no fragment.
        let blind = PartialFragments.Scope(fragments: fragments, key: "card:b.md") { _, object in
            (object as? MustacheParent)?.child(named: "page") as? String ?? ""
        }
        #expect(PartialFragments.lambda("__quillPartial0", view: view, blind) == nil)
    }
}
