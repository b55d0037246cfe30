import Foundation
import QuillCore

/// Small Jekyll sites, each with the files Jekyll 4 writes for its posts and pages (worked out by Jekyll's permalink
/// rules, and checked against `jekyll build` by `JekyllImportTests` where Jekyll is installed).
struct JekyllFixture {
    var name: String
    var files: [String: String]
    /// Output files of `jekyll build` that are posts, pages and static files (not its home page).
    var jekyllOutputs: [String]

    /// A hand-written Jekyll blog: the `date` style, categories from folders and front matter, Liquid of all kinds.
    static let handWritten = JekyllFixture(name: "hand-written", files: [
        "_config.yml": """
            title: Old Blog
            description: >
              An old blog
            url: https://old.example.org
            author: Ann
            timezone: America/Los_Angeles
            permalink: date
            """,
        "_layouts/post.html": "{{ content }}\n",
        "_includes/note.html": "<b>note</b>\n",
        "_posts/2010-01-05-hello-world.md": """
            ---
            layout: post
            title: Hello World
            categories: news tech
            tags: intro misc
            ---
            First paragraph {{ site.url }}/about.html.

            <!--more-->

            {% highlight ruby linenos %}
            puts "hi"
            {% endhighlight %}

            See [next]({% post_url 2010/2010-02-01-second %}), [about]({% link about.md %}) and {% include note.html %}.

            """,
        "_posts/2010/2010-02-01-second.markdown": """
            ---
            title: "Second: the sequel"
            date: 2010-02-01 23:30:00 -0800
            ---
            Body {% raw %}{{ not liquid }}{% endraw %}.

            """,
        "_posts/2010-03-01-ideas.md": "---\ntitle: Ideas\ncategories: [Big Ideas, C++]\n---\nThink.\n",
        "_posts/2012-05-06-own.md": "---\ntitle: Own\npermalink: /custom/own-page/\n---\nHi\n",
        "blog/_posts/2011-03-04-Mixed_Case.md": "---\ntitle: Mixed\ncategory: Life\n---\nBody\n",
        "_drafts/idea.md": "---\ntitle: Idea\n---\nLater.\n",
        "about.md": "---\ntitle: About\n---\nAbout me.\n",
        "index.html": "---\nlayout: default\n---\n{% for p in site.posts %}{{ p.url }}{% endfor %}\n",
        "assets/site.css": "body{}\n",
    ], jekyllOutputs: [
        "2010/02/01/second.html", "about.html", "assets/site.css", "big ideas/c++/2010/03/01/ideas.html",
        "blog/life/2011/03/04/Mixed_Case.html",
        "custom/own-page/index.html", "news/tech/2010/01/05/hello-world.html",
    ])

    /// A blog that came from WordPress through jekyll-import: HTML posts, WordPress's permalink, odd front matter.
    static let wordPress = JekyllFixture(name: "wordpress", files: [
        "_config.yml": """
            title: "Words & Press"
            url: "https://wp.example.org"
            baseurl: /blog
            permalink: /:year/:month/:title/
            paginate: 4
            """,
        "_posts/2009-07-14-the-first-post.html": """
            ---
            layout: post
            title: The first post
            date: 2009-07-14 09:12:44.000000000 +02:00
            type: post
            published: true
            status: publish
            categories:
            - Uncategorized
            - Travel Notes
            tags: []
            meta:
              _edit_last: '1'
            author:
              login: admin
              email: admin@example.org
            wordpress_id: 7
            ---
            <p>Welcome to <a href="{{ site.baseurl }}/about/">my blog</a>.</p>
            <!--more-->
            <center><img src="/wp-content/uploads/2009/07/beach.jpg" alt="Beach" width="300" /></center>
            <p>More text.</p>

            """,
        "_posts/2009-08-01-unpublished.html": "---\nlayout: post\ntitle: Unfinished\npublished: false\nwordpress_id: 9\n---\n<p>Not yet.</p>\n",
        "about.html": "---\nlayout: page\ntitle: About\nstatus: publish\npermalink: /about/\nwordpress_id: 2\n---\n<p>About me.</p>\n",
        "wp-content/uploads/2009/07/beach.jpg": "JPEG",
    ], jekyllOutputs: [
        "2009/07/the-first-post/index.html", "about/index.html", "wp-content/uploads/2009/07/beach.jpg",
    ])

    /// A blog that came from Drupal: `<!--break-->`, `nodeid`, `created`, node URLs kept as per-post permalinks.
    static let drupal = JekyllFixture(name: "drupal", files: [
        "_config.yml": """
            title: Drupal Days
            url: https://drupal.example.org
            permalink: /blog/:year/:i_month/:title.html
            excerpt_separator: <!--break-->
            """,
        "_posts/2008-03-09-a-node.md": """
            ---
            layout: post
            title: A node
            created: 1205020800
            nodeid: 12
            permalink: /node/12
            ---
            Teaser text.
            <!--break-->
            The rest, with {% include sidebar.html %}.

            """,
        "_posts/2008-11-20-later-news.md": "---\nlayout: post\ntitle: Later news\ncreated: 1227139200\nnodeid: 31\n---\nShort.\n\n<!--break-->\n\nLong.\n",
        "_posts/2010-01-03-weekly.md": """
            ---
            title: Weekly
            categories: [Site News]
            permalink: /weekly/:w_year-w:week/:w_day/:short_day-:long_day/:short_month-:long_month/:slugified_categories/:name/
            ---
            Week.

            """,
        "_includes/sidebar.html": "<aside></aside>\n",
    ], jekyllOutputs: [
        "blog/2008/11/later-news.html", "node/12.html",
        "weekly/2009-w53/7/Sun-Sunday/Jan-January/site-news/2010-01-03-weekly/index.html",
    ])

    /// A blog whose home page jekyll-paginate pages, two posts a page: five posts make /page2/ and /page3/.
    /// (`whitelist` lets the plugin load under `jekyll build --safe`, as GitHub Pages' list does.)
    static let paginated = JekyllFixture(name: "paginated", files: [
        "_config.yml": """
            title: Paged
            url: https://paged.example.org
            permalink: pretty
            paginate: 2
            plugins: [jekyll-paginate]
            whitelist: [jekyll-paginate]
            """,
        "index.html": """
            ---
            layout: default
            ---
            {% for post in paginator.posts %}<a href="{{ post.url }}">{{ post.title }}</a>{% endfor %}
            {% if paginator.next_page %}<a href="{{ paginator.next_page_path }}">Older</a>{% endif %}

            """,
        "_posts/2015-01-01-one.md": "---\ntitle: One\n---\nOne.\n",
        "_posts/2015-01-02-two.md": "---\ntitle: Two\n---\nTwo.\n",
        "_posts/2015-01-03-three.md": "---\ntitle: Three\n---\nThree.\n",
        "_posts/2015-01-04-four.md": "---\ntitle: Four\n---\nFour.\n",
        "_posts/2015-01-05-five.md": "---\ntitle: Five\n---\nFive.\n",
    ], jekyllOutputs: [
        "2015/01/01/one/index.html", "2015/01/02/two/index.html", "2015/01/03/three/index.html",
        "2015/01/04/four/index.html", "2015/01/05/five/index.html", "page2/index.html", "page3/index.html",
    ])

    /// A blog that sets front matter through `_config.yml`'s `defaults:`: a typed set before an untyped one of the
    /// same path (the typed one wins), a longer path over a shorter, a glob, and front matter over them all.
    static let withDefaults = JekyllFixture(name: "defaults", files: [
        "_config.yml": """
            title: Defaults
            url: https://defaults.example.org
            permalink: /:categories/:year/:title/
            defaults:
              - scope: {path: "", type: posts}
                values: {layout: post, category: notes, meta: {source: jekyll}}
              - scope: {path: ""}
                values: {layout: default, author: Ann, meta: {kind: blog}}
              - scope: {path: "_posts/travel", type: posts}
                values: {permalink: "/trips/:title/", category: travel}
              - scope: {path: "_posts/travel/*-rome.md"}
                values: {tags: [italy, "no"]}
              - scope: {path: docs}
                values: {author: Docs Team}
            """,
        "_posts/2014-01-01-plain.md": "---\ntitle: Plain\n---\nPlain.\n",
        "_posts/travel/2014-02-01-rome.md": "---\ntitle: Rome\n---\nRome.\n",
        "_posts/travel/2014-03-01-own.md": "---\ntitle: Own\nlayout: wide\ncategory: mine\npermalink: /own/:title/\n---\nOwn.\n",
        "docs/guide.md": "---\ntitle: Guide\n---\nRead me.\n",
        "about.md": "---\ntitle: About\n---\nAbout.\n",
    ], jekyllOutputs: [
        "about/index.html", "docs/guide/index.html", "notes/2014/plain/index.html", "own/own/index.html",
        "trips/rome/index.html",
    ])

    /// A blog whose permalinks use Jekyll tokens Quill has no equal of (`:collection`, `:path`), in the site's pattern
    /// and in posts' own, for posts in `_posts/`, a folder below it and a category folder above it.
    static let jekyllOnlyTokens = JekyllFixture(name: "jekyll-only-tokens", files: [
        "_config.yml": """
            title: Tokens
            url: https://tokens.example.org
            permalink: /:collection/:year/:title/
            """,
        "_posts/2011-01-01-one.md": "---\ntitle: One\n---\nOne.\n",
        "_posts/sub/2011-02-02-Two_Parts.md": "---\ntitle: Two\n---\nTwo.\n",
        "blog/_posts/2011-03-03-three.md": "---\ntitle: Three\npermalink: /old/:path/\n---\nThree.\n",
        "_posts/sub/2011-04-04-four.md": "---\ntitle: Four\npermalink: /old/:path:output_ext\n---\nFour.\n",
    ], jekyllOutputs: [
        "old/blog/2011-03-03-three/index.html", "old/sub/2011-04-04-four.html", "posts/2011/Two_Parts/index.html",
        "posts/2011/one/index.html",
    ])

    static let all = [handWritten, wordPress, drupal, paginated, withDefaults, jekyllOnlyTokens]
}

/// Imports `fixture` into a fresh test site (its `site.toml` the import's), files dated 2010-01-01 UTC.
func imported(_ fixture: JekyllFixture, permalink: String? = nil, categoriesAsTags: Bool = false) throws
    -> (TestSite, ImportReport) {
    let source = JekyllSource(files: fixture.files.mapValues { Data($0.utf8) },
                              modified: fixture.files.mapValues { _ in Date(timeIntervalSince1970: 1_262_304_000) })
    let result = JekyllImporter(newPermalink: permalink, categoriesAsTags: categoriesAsTags).convert(source)
    let site = try TestSite(result.files.mapValues { String(decoding: $0, as: UTF8.self) })
    return (site, result.report)
}
