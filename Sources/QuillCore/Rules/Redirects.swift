import Foundation
import QuillMarkdown

// Redirects: a page at each old URL of a post or page (front matter `aliases`, and the URLs it had before it moved,
// from the URL record) and of the home page's pages (`[pagination] aliases`), sending readers, and search engines through the canonical link, to where it is now.

extension OutputRenderer {
    /// The page at the `n`-th alias of a post or page.
    func redirect(_ owner: OutputID.AliasOwner, _ n: Int, _ source: String) throws -> OutputFile {
        let target: (url: URLPath, aliases: [URLPath])?
        switch owner {
        case .post: target = try facts(source).map { ($0.url, $0.aliases) }
        case .page: target = try context.read(Node.PageCard(source)).value.map { ($0.page.url, $0.page.aliases) }
        }
        guard let target, n < target.aliases.count else { throw missing(.alias(owner, n: n, source: source)) }
        return try redirect(from: target.aliases[n], to: target.url)
    }

    /// The page at the `n`-th earlier URL of a post or page that moved (see `URLHistory`).
    func movedRedirect(_ owner: OutputID.AliasOwner, _ n: Int, _ source: String) throws -> OutputFile {
        let url: URLPath?
        switch owner {
        case .post: url = try facts(source)?.url
        case .page: url = try context.read(Node.PageCard(source)).value?.page.url
        }
        let was = try context.read(Node.URLHistoryOf(source)).was
        guard let url, n < was.count else { throw missing(.moved(owner, n: n, source: source)) }
        return try redirect(from: was[n], to: url)
    }

    /// The page at the old URL of the home page's page `n`.
    func paginationRedirect(_ n: Int) throws -> OutputFile {
        guard let alias = try config([.paginationAliases]).paginationAlias(n) else { throw missing(.paginationAlias(n)) }
        return try redirect(from: alias, to: PostList.page(n, of: .root))
    }

    /// A page at `alias` that sends readers (and search engines, through the canonical link) to `target`.
    private func redirect(from alias: URLPath, to target: URLPath) throws -> OutputFile {
        let config = try self.config([.baseURL, .language])
        let url = HTMLEscaping.escape(config.absoluteURL(for: target))
        let html = """
            <!DOCTYPE html>
            <html lang="\(HTMLEscaping.escape(config.language))">
            <head>
            <meta charset="utf-8">
            <title>\(url)</title>
            <link rel="canonical" href="\(url)">
            <meta name="robots" content="noindex">
            <meta http-equiv="refresh" content="0; url=\(url)">
            </head>
            <body>
            <p>This page has moved to <a href="\(url)">\(url)</a>.</p>
            </body>
            </html>

            """
        return OutputFile(path: alias.outputPath.value, bytes: Data(html.utf8))
    }
}
