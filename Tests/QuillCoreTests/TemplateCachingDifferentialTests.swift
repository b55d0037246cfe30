import Foundation
import Testing
@testable import QuillCore

/// The render caches (list-item fragments, page-level memos) never change a byte: random themes over random sites
/// render the same with the caches on and off. The themes are made of the shapes the caches rewrite (standalone
/// partial lines, a `posts` section around one partial, at any indentation) mixed with those they must leave
/// alone (inline partials, partials that reach past the post to the page, sections, inverted sections, blocks).
@Suite struct TemplateCachingDifferentialTests {
    struct ThemeMaker {
        var random: SeededGenerator

        mutating func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

        /// Text a template or partial prints: names a post, a page or the site answers (and one none does).
        mutating func piece(item: Bool) -> String {
            var pool = ["{{site.title}}", "{{site.root}}", "<b>", "{{nope}}", "{{site.hasTags}}", " | ",
                        "{{#site.menu}}[{{title}}]{{/site.menu}}", "{{^site.menu}}no menu{{/site.menu}}",
                        "{{#feeds}}{{type}};{{/feeds}}"]
            pool += item
                ? ["{{title}}", "{{url}}", "{{{summary}}}", "{{date.display}}", "{{#tags}}<{{name}}>{{/tags}}",
                   "{{^tags}}untagged{{/tags}}", "{{author.name}}", "{{#hasMore}}more{{/hasMore}}", "{{wordCount}}",
                   "{{page.title}}", "{{&title}}", "{{date.year}}"]
                : ["{{page.title}}", "{{page.url}}", "{{page.kind}}", "{{#page.isHome}}home{{/page.isHome}}",
                   "{{#pagination}}{{current}}/{{total}}{{/pagination}}", "{{#tag}}{{name}} ({{count}}){{/tag}}",
                   "{{#post}}{{title}} {{#tags}}{{name}},{{/tags}}{{/post}}", "{{#years}}{{year}}:{{count}} {{/years}}",
                   "{{#tags}}{{name}}={{count}} {{/tags}}"]
            return (0..<(1 + Int(random.next() % 4))).map { _ in pick(pool) }.joined()
        }

        /// A line that includes `partial`: standalone at some indentation (what the caches rewrite) or inline.
        /// One indented partial line anywhere turns the caches off for the whole theme, so only some themes have any.
        mutating func partialLine(_ partial: String) -> String {
            indents ? pick(["{{> \(partial)}}\n", "  {{> \(partial)}}\n", "\t{{> \(partial)}}\n", "x {{> \(partial)}} y\n"])
                : pick(["{{> \(partial)}}\n", "{{> \(partial)}}\n", "x {{> \(partial)}} y\n"])
        }

        /// Whether the theme being made indents partial lines.
        var indents = false

        /// The files of a theme: partials p0…p2 (each may include the ones before it), an item partial, a base
        /// layout with a block, and the eight templates a site needs.
        mutating func theme() -> [String: String] {
            indents = chance(30)
            var files = [String: String]()
            for n in 0..<3 {
                var body = piece(item: false) + "\n"
                if n > 0, chance(50) { body += partialLine("partials/p\(n - 1)") }
                files["templates/partials/p\(n).mustache"] = body
            }
            var item = "<li>" + piece(item: true) + "</li>\n"
            if chance(30) { item += partialLine("partials/p0") }
            files["templates/partials/item.mustache"] = item
            files["templates/base.mustache"] = "<html>\n" + partialLine("partials/p\(random.next() % 3)")
                + "{{$main}}default main{{/main}}\n" + partialLine("partials/p\(random.next() % 3)") + "</html>\n"
            for name in TemplateSet.required {
                var body = ""
                for _ in 0..<(2 + Int(random.next() % 4)) {
                    switch random.next() % 6 {
                    case 0: body += pick(["{{#posts}}\n{{> partials/item}}\n{{/posts}}\n",
                                          indents ? "  {{#posts}}\n  {{> partials/item}}\n  {{/posts}}\n"
                                              : "{{#posts}}\n{{> partials/item}}\n{{/posts}}\n",
                                          "{{#posts}}{{> partials/item}}{{/posts}}\n",
                                          "{{#posts}}\n<h2>{{title}}</h2>\n{{> partials/item}}\n{{/posts}}\n"])
                    case 1: body += partialLine("partials/p\(random.next() % 3)")
                    case 2: body += "{{#years}}\n{{#posts}}\n{{> partials/item}}\n{{/posts}}\n{{/years}}\n"
                    case 3: body += "{{#post}}\n" + partialLine("partials/item") + "{{/post}}\n"
                    default: body += piece(item: false) + "\n"
                    }
                }
                files["templates/\(name).mustache"] = chance(50)
                    ? "{{<base}}\n{{$main}}\n" + body + "{{/main}}\n{{/base}}\n" : body
            }
            return files
        }

        /// A small site: posts with titles that need escaping, shared and single tags, one page.
        mutating func site() -> [String: String] {
            var files = ["site.toml": TestSite.basicConfig, "content/about.md": "---\ntitle: About & us\n---\nHi.\n"]
            let titles = ["Plain", "Fish & <Chips>", "It's 'quoted'", "Émoji 🎉", "C++ tips", "Ünïcödé"]
            let tags = ["swift", "c++", "life", "R&D"]
            for n in 0..<(3 + Int(random.next() % 8)) {
                let postTags = (0..<Int(random.next() % 3)).map { _ in pick(tags) }
                let body = chance(50) ? "First *para* \(n).\n\n<!--more-->\n\nRest." : "Only para \(n)."
                files["content/posts/p\(n).md"] = post(pick(titles) + " \(n)", date: "2024-0\(1 + n % 9)-1\(n % 9) 10:00",
                                                       tags: Array(Set(postTags)).sorted(), body: body)
            }
            return files
        }
    }

    @Test func randomThemesRenderTheSameWithTheCachesOnAndOff() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["QUILL_RANDOM_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
        var maker = ThemeMaker(random: SeededGenerator(seed: seed))
        var fragmentLines = 0, memoLines = 0
        for round in 0..<30 {
            let theme = maker.theme()
            let site = try TestSite(maker.site().merging(theme) { $1 })
            let cached = try site.render()
            let plain = try site.render { $0.templateCaching = false }
            #expect(cached.keys.sorted() == plain.keys.sorted())
            let differing = cached.keys.filter { cached[$0] != plain[$0] }.sorted()
            let example = differing.first.map { "cached: \(cached[$0]!)\nplain:  \(plain[$0]!)" } ?? ""
            #expect(differing.isEmpty, "seed \(seed), round \(round): \(differing.prefix(3)) differ, e.g.\n\(example)")
            if !differing.isEmpty { break }
            // The caches were in play: template lines were rewritten for them.
            let texts = Dictionary(uniqueKeysWithValues: theme.map { path, text in
                (String(path.dropFirst("templates/".count).dropLast(".mustache".count)), text)
            })
            let (withFragments, fragments) = PartialFragments.rewrite(texts)
            fragmentLines += fragments.count
            memoLines += PartialMemo.rewrite(withFragments, original: texts).1.count
        }
        #expect(fragmentLines > 0 && memoLines > 0,
                "seed \(seed): \(fragmentLines) lines rewritten for list-item fragments, \(memoLines) for memos")
    }
}
