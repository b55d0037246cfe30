import Foundation

// The feeds: the site's (RSS, Atom, JSON Feed) and each tag's (RSS, Atom).

extension OutputRenderer {
    func siteFeed(_ format: OutputID.FeedFormat) throws -> OutputFile {
        let (writer, posts, config) = try feedParts(.home)
        let channel = FeedWriter.Channel(
            title: config.title, description: config.description, page: .root, rss: URLPath("/feed.xml"),
            atom: URLPath("/atom.xml"), json: URLPath("/feed.json"))
        switch format {
        case .rss: return OutputFile(path: "feed.xml", bytes: Data(writer.rss(posts, channel: channel).utf8))
        case .atom: return OutputFile(path: "atom.xml", bytes: Data(writer.atom(posts, channel: channel).utf8))
        case .json: return OutputFile(path: "feed.json", bytes: Data(writer.json(posts, channel: channel).utf8))
        }
    }

    func tagFeed(_ format: OutputID.FeedFormat, slug: String) throws -> OutputFile {
        let (writer, posts, config) = try feedParts(.tag(slug))
        let index = try context.read(Node.Index())
        let name = index.tags.first { $0.slug == slug }?.name ?? slug
        let base = PostList.tag(slug).base
        let channel = FeedWriter.Channel(
            title: "\(config.title): \(name)", description: "Posts tagged “\(name)”", page: base,
            rss: base.appending("feed.xml"), atom: base.appending("atom.xml"))
        if format == .rss {
            return OutputFile(path: channel.rss.outputPath.value, bytes: Data(writer.rss(posts, channel: channel).utf8))
        }
        return OutputFile(path: channel.atom.outputPath.value, bytes: Data(writer.atom(posts, channel: channel).utf8))
    }

    /// The writer, the posts (full or cards, as `feeds.full_content` says) and the settings of a list's feeds.
    private func feedParts(_ list: PostList) throws -> (FeedWriter, [Post], SiteConfig) {
        let config = try self.config([.title, .description, .baseURL, .language, .author, .feedLimit,
                                      .feedFullContent, .timeZone])
        let epoch = Double(try context.read(Input.Option(.sourceDateEpoch))) ?? 0
        let writer = FeedWriter(config: config, emptyFeedDate: Date(timeIntervalSince1970: epoch))
        let posts = try context.read(Node.FeedItems(list)).compactMap { path -> Post? in
            guard let post = config.feedFullContent ? try fullPost(path) : try card(path) else { return nil }
            return try spelledAsSite(post)
        }
        return (writer, posts, config)
    }
}
