import QuillTemplates
import QuillTestSupport

/// A small set of views, and values of them, for the tests.
enum Fixture {
    static let date = ViewType("date", [
        ViewField("iso", .string, ""), ViewField("display", .string, ""), ViewField("year", .int, ""),
    ])
    static let tag = ViewType("tag", [
        ViewField("name", .string, ""), ViewField("slug", .string, ""), ViewField("url", .string, ""),
    ])
    static let image = ViewType("image", [
        ViewField("url", .string, ""), ViewField("width", .optional(.int), ""), ViewField("alt", .string, ""),
        ViewField("hasAlt", .bool, ""),
    ])
    static let post = ViewType("post", [
        ViewField("title", .string, ""), ViewField("url", .string, ""), ViewField("content", .html, ""),
        ViewField("summary", .html, ""), ViewField("hasTags", .bool, ""), ViewField("tags", .list(.object(tag)), ""),
        ViewField("date", .object(date), ""), ViewField("image", .optional(.object(image)), ""),
        ViewField("isDraft", .bool, ""), ViewField("params", .free, ""), ViewField("wordCount", .int, ""),
        ViewField("score", .double, ""),
    ])
    static let link = ViewType("link", [ViewField("title", .string, ""), ViewField("url", .string, "")])
    static let site = ViewType("site", [
        ViewField("title", .string, ""), ViewField("root", .string, ""), ViewField("params", .free, ""),
        ViewField("menu", .list(.object(link)), ""), ViewField("searchURL", .optional(.string), ""),
    ])
    static let page = ViewType("page", [
        ViewField("title", .string, ""), ViewField("kind", .string, ""), ViewField("isHome", .bool, ""),
        ViewField("isPost", .bool, ""), ViewField("description", .optional(.string), ""),
    ])
    static let root = ViewType("root", [
        ViewField("site", .object(site), ""), ViewField("page", .object(page), ""),
        ViewField("post", .optional(.object(post)), ""), ViewField("posts", .list(.object(post)), ""),
        ViewField("count", .int, ""), ViewField("flags", .list(.bool), ""), ViewField("names", .list(.string), ""),
        ViewField("empty", .list(.string), ""), ViewField("nothing", .optional(.string), ""),
        ViewField("lines", .string, ""),
    ])

    /// A value of `type` from its fields by name (absent: null).
    struct Object: TemplateObject {
        let viewType: ViewType
        let values: [TemplateValue]
        var renderKey: String?

        init(_ type: ViewType, _ fields: [String: TemplateValue], key: String? = nil) {
            renderKey = key
            for name in fields.keys { precondition(type.field(named: name) != nil, "\(type.name) has no \(name)") }
            viewType = type
            values = type.fields.map { fields[$0.name] ?? .null }
        }

        func field(_ number: Int) -> TemplateValue { values[number] }
    }

    static func object(_ type: ViewType, _ fields: [String: TemplateValue], key: String? = nil) -> TemplateValue {
        .object(Object(type, fields, key: key))
    }

    static func makePost(_ n: Int, tags: [String], image: Bool, draft: Bool = false) -> TemplateValue {
        object(post, [
            "title": .string("Post <\(n)> & \"friends\" 'n"), "url": .string("/posts/\(n)/"),
            "content": .string("<p>Body of \(n)</p>\n<p>two</p>"), "summary": .string("<p>Sum \(n)</p>"),
            "hasTags": .bool(!tags.isEmpty),
            "tags": .list(tags.map { object(tag, ["name": .string($0), "slug": .string($0.lowercased()),
                                                  "url": .string("/tags/\($0.lowercased())/")]) }),
            "date": object(date, ["iso": .string("2010-01-0\(n % 9 + 1)"), "display": .string("January \(n), 2010"),
                                  "year": .int(2010)]),
            "image": image ? object(Fixture.image, ["url": .string("/i/\(n).png"), "alt": .string("alt \(n)"),
                                                    "hasAlt": .bool(true)] .merging(n % 2 == 0 ? ["width": .int(640)] : [:]) { a, _ in a })
                : .null,
            "isDraft": .bool(draft),
            "params": .table(["mood": .string("happy"), "n": .int(n), "list": .list([.string("a"), .string("b")]),
                              "nested": .table(["deep": .string("yes")]), "on": .bool(true)]),
            "wordCount": .int(100 * n), "score": .double(Double(n) + 0.5),
        ], key: "post\(n)")
    }

    static var rootValue: TemplateValue { object(root, [
        "site": object(site, [
            "title": .string("Tyler's <Blog>"), "root": .string("/"),
            "params": .table(["twitter": .string("@rtyler"), "links": .list([
                .table(["name": .string("GitHub"), "href": .string("https://github.com/")]),
                .table(["name": .string("Mastodon"), "href": .string("https://example.social/")]),
            ])]),
            "menu": .list([object(link, ["title": .string("About"), "url": .string("/about/")]),
                           object(link, ["title": .string("Now"), "url": .string("/now/")])]),
            "searchURL": .string("/search/"),
        ]),
        "page": object(page, ["title": .string("Home"), "kind": .string("home"), "isHome": .bool(true),
                              "isPost": .bool(false)]),
        "post": makePost(7, tags: ["Swift", "Blogging"], image: true),
        "posts": .list([makePost(1, tags: ["A"], image: false), makePost(2, tags: [], image: true, draft: true),
                        makePost(3, tags: ["B", "C"], image: true)]),
        "count": .int(3), "flags": .list([.bool(true), .bool(false)]), "names": .list([.string("x"), .string("y<")]),
        "empty": .list([]), "lines": .string("one\ntwo\n"),
    ]) }

    /// Random values of the root view: lists empty or not, optional fields absent or present, text with `<>&"'`,
    /// line breaks or nothing at all.
    static func randomRoot(_ rng: inout SplitMix) -> TemplateValue {
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        func text() -> String { ["", "a", "x<y", "&amp;", "two\nlines\n", "'q'", "é\"", " "].randomElement(using: &rng)! }
        func tags() -> [String] { (0..<Int.random(in: 0...2, using: &rng)).map { _ in ["A", "b&c", "D<"].randomElement(using: &rng)! } }
        var n = 0
        func post() -> TemplateValue {
            n += 1
            return makePost(n, tags: tags(), image: chance(0.5), draft: chance(0.3))
        }
        return object(root, [
            "site": object(site, [
                "title": .string(text()), "root": .string("/"),
                "params": .table(["twitter": chance(0.5) ? .string(text()) : .null,
                                  "links": .list((0..<Int.random(in: 0...2, using: &rng)).map { _ in
                                      .table(["name": .string(text()), "href": .string("/x/")])
                                  })]),
                "menu": .list((0..<Int.random(in: 0...2, using: &rng)).map { _ in
                    object(link, ["title": .string(text()), "url": .string("/m/")])
                }),
                "searchURL": chance(0.5) ? .string("/search/") : .null,
            ]),
            "page": object(page, ["title": .string(text()), "kind": .string("home"), "isHome": .bool(chance(0.5)),
                                  "isPost": .bool(chance(0.5)), "description": chance(0.5) ? .string(text()) : .null]),
            "post": chance(0.7) ? post() : .null,
            "posts": .list((0..<Int.random(in: 0...3, using: &rng)).map { _ in post() }),
            "count": .int(Int.random(in: -2...20, using: &rng)),
            "flags": .list((0..<Int.random(in: 0...2, using: &rng)).map { _ in .bool(chance(0.5)) }),
            "names": .list((0..<Int.random(in: 0...2, using: &rng)).map { _ in .string(text()) }),
            "empty": .list([]), "nothing": chance(0.5) ? .string(text()) : .null, "lines": .string(text()),
        ])
    }
}
