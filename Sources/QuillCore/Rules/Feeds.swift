import Foundation

// The feeds: the site's (RSS, Atom, JSON Feed) and each tag's (RSS, Atom).

extension OutputRenderer {
    func siteFeed(_ format: OutputID.FeedFormat) throws -> OutputFile {
        let (writer, posts, config) = try feedParts(.home)
        let channel = FeedWriter.Channel(
            title: config.title, description: config.description, page: .root, rss: URLPath("/feed.xml"),
            atom: URLPath("/atom.xml"), json: URLPath("/feed.json"))
        let file: OutputFile
        switch format {
        case .rss: file = OutputFile(path: "feed.xml", bytes: Data(writer.rss(posts, channel: channel).utf8))
        case .atom: file = OutputFile(path: "atom.xml", bytes: Data(writer.atom(posts, channel: channel).utf8))
        case .json: file = OutputFile(path: "feed.json", bytes: Data(writer.json(posts, channel: channel).utf8))
        }
        context.rules.warnings.add(writer.lint(file, posts))
        return file
    }

    func tagFeed(_ format: OutputID.FeedFormat, slug: String) throws -> OutputFile {
        let (writer, posts, config) = try feedParts(.tag(slug))
        let index = try context.read(Node.Index())
        let name = index.tags.first { $0.slug == slug }?.name ?? slug
        let base = PostList.tag(slug).base
        let channel = FeedWriter.Channel(
            title: "\(config.title): \(name)", description: "Posts tagged “\(name)”", page: base,
            rss: base.appending("feed.xml"), atom: base.appending("atom.xml"))
        let file = format == .rss
            ? OutputFile(path: channel.rss.outputPath.value, bytes: Data(writer.rss(posts, channel: channel).utf8))
            : OutputFile(path: channel.atom.outputPath.value, bytes: Data(writer.atom(posts, channel: channel).utf8))
        context.rules.warnings.add(writer.lint(file, posts))
        return file
    }

    /// The writer, the posts (full or cards, as `feeds.full_content` says) and the settings of a list's feeds.
    private func feedParts(_ list: PostList) throws -> (FeedWriter, [Post], SiteConfig) {
        let config = try self.config([.title, .description, .baseURL, .language, .author, .feedLimit,
                                      .feedFullContent, .timeZone])
        let epoch = Double(try context.read(Input.Option(.sourceDateEpoch))) ?? 0
        var writer = FeedWriter(config: config, emptyFeedDate: Date(timeIntervalSince1970: epoch))
        writer.memo = context.rules.feeds
        let items = try context.read(Node.FeedItems(list))
        let posts = try items.compactMap { path -> Post? in
            guard let post = config.feedFullContent ? try fullPost(path) : try card(path) else { return nil }
            return try spelledAsSite(post)
        }
        for path in items.prefix(config.feedLimit > 0 ? config.feedLimit : items.count) {
            if let first = try context.read(Node.URLHistoryOf(path)).feedID { writer.feedIDs[path] = first }
        }
        return (writer, posts, config)
    }
}
