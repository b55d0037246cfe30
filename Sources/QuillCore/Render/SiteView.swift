import Foundation

/// The `site` template variable: each setting is read from the graph only when a template uses it, so a page
/// depends on exactly the settings it shows.
final class SiteView: TemplateObject {
    let context: SiteContext
    private(set) var failure: Error?

    /// What this page's templates already asked for (a layout asks for `site.title` several times).
    private var asked: [String: Any?] = [:]

    init(_ context: SiteContext) { self.context = context }

    /// What templates get: a struct holding this view (see `Views.PostView` for why).
    struct Handle: TemplateObject {
        let view: SiteView
        func child(named name: String) -> Any? { view.child(named: name) }
    }

    var handle: Handle { Handle(view: self) }

    func child(named name: String) -> Any? {
        if let known = asked[name] { return known }
        let value = look(up: name)
        asked[name] = .some(value)
        return value
    }

    private func look(up name: String) -> Any? {
        do {
            func field(_ f: ConfigField) throws -> SiteConfig { try context.config([f]) }
            switch name {
            case "title": return try field(.title).title
            case "description": return try field(.description).description
            case "language": return try field(.language).language
            case "author": return try field(.author).author
            case "baseURL": return try field(.baseURL).baseURL
            case "root": return try field(.baseURL).rootPath
            case "params": return try field(.params).params.mapValues(\.templateValue)
            case "tagsURL", "archiveURL", "rssURL", "atomURL", "jsonFeedURL":
                let paths = ["tagsURL": "/tags/", "archiveURL": "/archive/", "rssURL": "/feed.xml",
                             "atomURL": "/atom.xml", "jsonFeedURL": "/feed.json"]
                return try field(.baseURL).relativeURL(for: URLPath(paths[name]!))
            case "menu":
                let config = try field(.baseURL)
                return try context.read(Node.Menu()).map { ["title": $0.title, "url": config.relativeURL(for: $0.url)] }
            case "copyrightYear": return try context.read(Node.SiteFacts()).copyrightYear
            case "hasTags": return try context.read(Node.SiteFacts()).hasTags
            case "searchURL":
                let url = try context.read(Node.SearchPage())
                return url.isEmpty ? nil : url
            default: return nil
            }
        } catch {
            failure = failure ?? error
            return nil
        }
    }
}
