import Foundation
import QuillTemplates

/// The `site` template variable: each setting is read from the graph only when a template uses it, so a page
/// depends on exactly the settings it shows.
final class SiteView {
    let context: SiteContext
    private(set) var failure: Error?

    /// What this page's templates already asked for, by field number (a layout asks for `site.title` several times).
    private var asked: [TemplateValue?]

    init(_ context: SiteContext) {
        self.context = context
        asked = Array(repeating: nil, count: Self.fields.count)
    }

    /// What templates get: a struct holding this view (fits an existential's inline buffer).
    struct Handle: TemplateObject {
        let view: SiteView
        var viewType: ViewType { Views.site.type }
        func field(_ number: Int) -> TemplateValue { view.field(number) }
    }

    var handle: Handle { Handle(view: self) }

    func field(_ number: Int) -> TemplateValue {
        if let known = asked[number] { return known }
        let value: TemplateValue
        do {
            value = try Self.fields[number].get(self)
        } catch {
            failure = failure ?? error
            value = .null
        }
        asked[number] = value
        return value
    }

    private struct Field {
        let field: ViewField
        let get: (SiteView) throws -> TemplateValue
        init(_ name: String, _ kind: FieldKind, _ doc: String, get: @escaping (SiteView) throws -> TemplateValue) {
            (field, self.get) = (ViewField(name, kind, doc), get)
        }
    }

    private func config(_ f: ConfigField) throws -> SiteConfig { try context.config([f]) }

    private func url(_ path: String) throws -> TemplateValue {
        .string(try config(.baseURL).relativeURL(for: URLPath(path)))
    }

    nonisolated(unsafe) private static let fields: [Field] = [
        Field("title", .string, "`title` in site.toml") { .string(try $0.config(.title).title) },
        Field("description", .string, "`description`") { .string(try $0.config(.description).description) },
        Field("language", .string, "`language` (default `en`)") { .string(try $0.config(.language).language) },
        Field("author", .string, "the default author's name") { .string(try $0.config(.author).author) },
        Field("baseURL", .string, "absolute, ends in `/`") { .string(try $0.config(.baseURL).baseURL) },
        Field("root", .string, "the base URL's path, ends in `/`: prefix internal links with it") {
            .string(try $0.config(.baseURL).rootPath)
        },
        Field("params", .free, "the `[params]` table of site.toml") {
            .table(try $0.config(.params).params.mapValues(\.templateValue))
        },
        Field("tagsURL", .string, "the tag index") { try $0.url("/tags/") },
        Field("archiveURL", .string, "the archive") { try $0.url("/archive/") },
        Field("rssURL", .string, "the RSS feed") { try $0.url("/feed.xml") },
        Field("atomURL", .string, "the Atom feed") { try $0.url("/atom.xml") },
        Field("jsonFeedURL", .string, "the JSON Feed") { try $0.url("/feed.json") },
        Field("menu", .list(.object(Views.menuItem.type)), "the standalone pages, by `weight` then title") { view in
            let config = try view.config(.baseURL)
            return .list(try view.context.read(Node.Menu()).map {
                Views.menuItem.record(["title": .string($0.title), "url": .string(config.relativeURL(for: $0.url))])
            })
        },
        Field("copyrightYear", .string, "the year of the newest post") {
            .string(try $0.context.read(Node.SiteFacts()).copyrightYear)
        },
        Field("hasTags", .bool, "some post has tags") { .bool(try $0.context.read(Node.SiteFacts()).hasTags) },
        Field("searchURL", .optional(.string), "the search page, absent when there is none") {
            let url = try $0.context.read(Node.SearchPage())
            return url.isEmpty ? .null : .string(url)
        },
    ]

    static let declaredFields = fields.map(\.field)
}
