import Foundation
@testable import QuillCore

/// Makes random but valid edits to a small site: posts added, edited, renamed and deleted; titles, dates, tags,
/// drafts, slugs, summaries and bodies changed; templates and partials overridden and removed; settings changed;
/// static files added and removed. Each edit returns a short description for the failure log.
struct RandomSiteEditor {
    struct PostSource {
        var file: String
        var title: String
        var day: Int
        var hour: Int
        var tags: [String]
        var draft: Bool
        var slug: String?
        var summary: String?
        var body: [String]
        var aliases: [String] = []
        var permalink: String?
        var categories: [String] = []
        var searchable = true
    }

    var posts: [PostSource] = []
    var nextID = 0
    var title = "Random Blog"
    var description = "A site that changes."
    var perPage = 3
    var feedLimit = 4
    var permalink = "/:year/:month/:day/:slug/"
    var paginationAliases = false
    /// `[search]`: 0 as by default, 1 titles and tags only, 2 no search.
    var search = 0
    let tagPool = ["swift", "C++", "Ünïcode", "a/b", "Python", "python", "linux", "x&y"]
    let words = ["alpha", "beta", "gamma", "delta", "<b>bold</b>", "**strong**", "*em*", "[link](/about/)",
                 "`code`", "fish & chips", "\"quoted\""]

    mutating func newPost(_ random: inout SeededGenerator) -> PostSource {
        nextID += 1
        return PostSource(
            file: "content/posts/post-\(nextID).md", title: "Post \(nextID) \(words.randomElement(using: &random)!)",
            day: Int.random(in: 1...28, using: &random), hour: Int.random(in: 0...23, using: &random),
            tags: Array(tagPool.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random))),
            draft: Int.random(in: 0..<10, using: &random) == 0, slug: nil, summary: nil,
            body: (0..<Int.random(in: 1...4, using: &random)).map { _ in sentence(&random) })
    }

    func sentence(_ random: inout SeededGenerator) -> String {
        (0..<Int.random(in: 3...9, using: &random)).map { _ in words.randomElement(using: &random)! }
            .joined(separator: " ")
    }

    func text(of p: PostSource) -> String {
        var front = "---\ntitle: \(SiteScaffold.yamlString(p.title))\ndate: 2024-03-\(p.day < 10 ? "0" : "")\(p.day) "
        front += "\(p.hour < 10 ? "0" : "")\(p.hour):00\n"
        front += "tags: [\(p.tags.map(SiteScaffold.yamlString).joined(separator: ", "))]\n"
        if p.draft { front += "draft: true\n" }
        if let slug = p.slug { front += "slug: \(slug)\n" }
        if let summary = p.summary { front += "summary: \(SiteScaffold.yamlString(summary))\n" }
        if !p.aliases.isEmpty { front += "aliases: [\(p.aliases.joined(separator: ", "))]\n" }
        if let permalink = p.permalink { front += "permalink: \(permalink)\n" }
        if !p.searchable { front += "search: false\n" }
        if !p.categories.isEmpty { front += "categories: [\(p.categories.joined(separator: ", "))]\n" }
        var body = p.body
        if body.count > 1 { body.insert("<!--more-->", at: 1) }
        if body.count > 2 { body.insert("## Section \(body.count)", at: 2) }
        return front + "---\n\n" + body.joined(separator: "\n\n") + "\n"
    }

    var config: String {
        """
        title = \(SiteScaffold.yamlString(title))
        description = \(SiteScaffold.yamlString(description))
        base_url = "https://random.example.org/"
        author = "Rand Author"
        time_zone = "Europe/Berlin"
        posts_per_page = \(perPage)
        permalink = "\(permalink)"

        [feeds]
        limit = \(feedLimit)

        """ + (paginationAliases ? "[pagination]\naliases = \"/page:num/\"\n" : "")
            + ["", "[search]\nfields = [\"title\", \"tags\"]\n", "[search]\nenabled = false\n"][search]
    }

    mutating func initialFiles(_ random: inout SeededGenerator) -> [String: String] {
        var files = ["site.toml": config, "content/about.md": "---\ntitle: About\n---\n\nAbout this site.\n"]
        for _ in 0..<8 {
            let p = newPost(&random)
            posts.append(p)
            files[p.file] = text(of: p)
        }
        return files
    }

    mutating func edit(_ site: TestSite, _ random: inout SeededGenerator) throws -> String {
        let choice = Int.random(in: 0..<19, using: &random)
        if posts.isEmpty || choice == 0 {
            let p = newPost(&random)
            posts.append(p)
            try site.write(p.file, text(of: p))
            return "add \(p.file)"
        }
        let i = Int.random(in: 0..<posts.count, using: &random)
        var p = posts[i]
        var description = ""
        switch choice {
        case 1:
            try site.remove(p.file)
            posts.remove(at: i)
            return "delete \(p.file)"
        case 2:
            let old = p.file
            nextID += 1
            p.file = "content/posts/renamed-\(nextID).md"
            try site.remove(old)
            description = "rename \(old) to \(p.file)"
        case 3: p.title = "Retitled \(Int.random(in: 0..<100, using: &random)) \(words.randomElement(using: &random)!)"; description = "title of \(p.file)"
        case 4: p.day = Int.random(in: 1...28, using: &random); description = "date of \(p.file)"
        case 5: p.tags = Array(tagPool.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random))); description = "tags of \(p.file)"
        case 6:
            if Bool.random(using: &random) {
                p.draft.toggle()
                description = "draft of \(p.file)"
            } else {
                p.searchable.toggle()
                description = "search: \(p.searchable) in \(p.file)"
            }
        case 7: nextID += 1; p.slug = p.slug == nil ? "slug-\(nextID)" : nil; description = "slug of \(p.file)"
        case 8: p.summary = p.summary == nil ? sentence(&random) : nil; description = "summary of \(p.file)"
        case 9, 10: p.body[p.body.count - 1] = sentence(&random); description = "last paragraph of \(p.file)"
        case 11: p.body[0] = sentence(&random); description = "first paragraph of \(p.file)"
        case 12:
            let files = ["templates/partials/footer.mustache", "templates/post.mustache", "templates/partials/tags.mustache"]
            let file = files.randomElement(using: &random)!
            let path = site.root.appendingPathComponent(file).path
            if FileManager.default.fileExists(atPath: path), Bool.random(using: &random) {
                try site.remove(file)
                return "remove override \(file)"
            }
            let original = EmbeddedTheme.files[String(file)]!
            try site.write(file, original + "<!-- \(Int.random(in: 0..<1000, using: &random)) -->\n")
            return "override \(file)"
        case 13:
            switch Int.random(in: 0..<6, using: &random) {
            case 5: search = (search + 1) % 3
            case 0: title = "Blog \(Int.random(in: 0..<100, using: &random))"
            case 1: self.description = sentence(&random)
            case 2: perPage = Int.random(in: 1...4, using: &random)
            case 3: paginationAliases.toggle()
            default: feedLimit = Int.random(in: 0...5, using: &random)
            }
            try site.write("site.toml", config)
            return "site.toml"
        case 14:
            let file = "static/files/f\(Int.random(in: 0..<3, using: &random)).txt"
            if FileManager.default.fileExists(atPath: site.root.appendingPathComponent(file).path) {
                try site.remove(file)
                return "remove \(file)"
            }
            try site.write(file, sentence(&random))
            return "add \(file)"
        case 15: p.day = 28; p.hour = 23; description = "same moment as others for \(p.file)"
        case 17:
            nextID += 1
            if Bool.random(using: &random) {
                p.aliases = p.aliases.isEmpty ? ["/old/\(nextID)/", "/old/\(nextID).html"] : []
                description = "aliases of \(p.file)"
            } else {
                p.permalink = p.permalink == nil ? "/p/\(nextID)/:title:output_ext" : nil
                description = "own permalink of \(p.file)"
            }
        case 18:
            if Bool.random(using: &random) {
                p.categories = Array(["news", "Tech", "life"].shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random)))
                description = "categories of \(p.file)"
            } else {
                permalink = permalink.hasPrefix("/:year") ? "/:categories/:year/:title:output_ext" : "/:year/:month/:day/:slug/"
                try site.write("site.toml", config)
                return "site permalink \(permalink)"
            }
        default:
            let page = "content/about.md"
            try site.write(page, "---\ntitle: About \(Int.random(in: 0..<9, using: &random))\nweight: 1\n---\n\n\(sentence(&random))\n")
            return "edit \(page)"
        }
        posts[i] = p
        try site.write(p.file, text(of: p))
        return description
    }
}
