import Foundation
import QuillMarkdown

// The sitemap (every HTML page but redirects and the 404 page, with when it last changed) and robots.txt.

extension OutputRenderer {
    func sitemap() throws -> OutputFile {
        let pages = try context.read(Node.SitemapPages())
        let index = try context.read(Node.Index())
        let config = try self.config([.baseURL])
        func newest(_ paths: [String]) throws -> DateParts? { try paths.first.flatMap { try facts($0)?.lastModified } }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in pages.entries {
            let lastModified: DateParts?
            guard let id = entry.id else { continue }
            switch id {
            case .notFound, .staticFile, .bundleFile, .imageVariant, .alias, .moved, .paginationAlias, .searchPage,
                 .searchManifest, .searchShard, .searchDocs: continue  // not in `SitemapPages`
            case .post(let path): lastModified = try facts(path)?.lastModified
            case .page(let path):
                let page = try context.read(Node.PageCard(path)).value?.page
                lastModified = page?.updated ?? page?.date
            case .list(let list, let n): lastModified = try newest(try context.read(Node.ListSlice(list, page: n)).posts)
            case .tagIndex, .archive: lastModified = try newest(index.posts)
            case .feed, .tagFeed, .feedAlias, .sitemap, .robots: lastModified = nil
            }
            xml += "<url><loc>\(HTMLEscaping.escape(config.absoluteURL(for: OutputPath(entry.path).urlPath)))</loc>"
            if let date = lastModified { xml += "<lastmod>\(date.rfc3339)</lastmod>" }
            xml += "</url>\n"
        }
        return OutputFile(path: "sitemap.xml", bytes: Data((xml + "</urlset>\n").utf8))
    }

    func robots() throws -> OutputFile {
        let url = try config([.baseURL]).absoluteURL(for: URLPath("/sitemap.xml"))
        return OutputFile(path: "robots.txt", bytes: Data("User-agent: *\nAllow: /\n\nSitemap: \(url)\n".utf8))
    }
}

extension Node {
    /// The pages the sitemap lists, from the output list (not kept: filtered again when the list changes, and
    /// the same when only other files came or went, such as the search index's shards).
    struct SitemapPages: SingleNode {
        typealias Value = OutputList
        static let kind = "sitemap.pages"
        static var keepsValue: Bool { false }

        func compute(_ c: SiteContext) throws -> OutputList {
            var pages = OutputList()
            pages.entries = try c.read(Outputs()).entries.filter { entry in
                guard entry.path.hasSuffix(".html"), let id = entry.id else { return false }
                switch id {
                case .notFound, .staticFile, .bundleFile, .imageVariant, .alias, .moved, .paginationAlias, .searchPage,
                     .searchManifest, .searchShard, .searchDocs: return false
                case .post, .page, .list, .tagIndex, .archive, .feed, .tagFeed, .feedAlias, .sitemap, .robots: return true
                }
            }
            return pages
        }
    }
}
