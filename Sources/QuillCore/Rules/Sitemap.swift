import Foundation
import QuillMarkdown

// The sitemap (every HTML page but redirects and the 404 page, with when it last changed) and robots.txt.

extension OutputRenderer {
    func sitemap() throws -> OutputFile {
        let list = try context.read(Node.Outputs())
        let index = try context.read(Node.Index())
        let config = try self.config([.baseURL])
        func newest(_ paths: [String]) throws -> DateParts? { try paths.first.flatMap { try facts($0)?.lastModified } }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in list.entries where entry.path.hasSuffix(".html") {
            let lastModified: DateParts?
            guard let id = entry.id else { continue }
            switch id {
            case .notFound, .staticFile, .bundleFile, .imageVariant, .alias, .moved, .paginationAlias, .searchPage,
                 .searchManifest, .searchShard, .searchDocs: continue
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
