import Foundation
import QuillImages
import QuillMarkdown
import TOMLKit

/// `site.toml` → `SiteConfig`. Unknown keys are warnings, wrong types are errors, each at its line.
enum ConfigParser {
    static let file = "site.toml"
    static let knownKeys: Set<String> = [
        "title", "description", "base_url", "language", "author", "time_zone", "theme", "posts_per_page", "permalink",
        "feeds", "params", "excerpt_separator", "pagination", "highlight", "images",
        "search", "related",
    ]
    static let knownFeedKeys: Set<String> = ["limit", "full_content", "aliases"]
    static let knownHighlightKeys = ["enabled", "line_numbers", "tab_width"]
    static let knownImageKeys = [
        "enabled", "variants", "widths", "content_width", "sizes", "quality", "strip_metadata", "max_pixels",
    ]

    static func parse(_ text: String) -> (SiteConfig?, [Diagnostic]) {
        var diagnostics = [Diagnostic]()
        if let problem = TOMLGuard.problem(in: text, firstLine: 1) {
            return (nil, [Diagnostic(SourceLocation(file: file, line: problem.line, column: problem.column),
                                     "invalid TOML: \(problem.message)", hint: problem.hint)])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = SourceLocation(file: file, line: error.source.begin.line, column: error.source.begin.column)
            return (nil, [Diagnostic(at, "invalid TOML: \(error.description)",
                                     hint: "settings are `key = value` lines, strings in double quotes")])
        } catch {
            return (nil, [Diagnostic(SourceLocation(file: file), "invalid TOML: \(error)")])
        }
        let lines = FrontMatter.tomlKeyLines(text, firstLine: 1)
        func at(_ key: String) -> SourceLocation { SourceLocation(file: file, line: lines[key] ?? 1, column: 1) }
        func string(_ key: String, in t: TOMLTable = table, path: String? = nil) -> String? {
            guard let value = t[key] else { return nil }
            guard let s = value.string else {
                diagnostics.append(Diagnostic(at(path ?? key), "`\(path ?? key)` must be a string",
                                              hint: "put the value in double quotes"))
                return nil
            }
            return s
        }
        func int(_ key: String, in t: TOMLTable = table, path: String? = nil, minimum: Int) -> Int? {
            guard let value = t[key] else { return nil }
            guard let n = value.int, n >= minimum else {
                diagnostics.append(Diagnostic(at(path ?? key), "`\(path ?? key)` must be a whole number ≥ \(minimum)",
                                              hint: "write a number without quotes, e.g. `\(path ?? key) = 10`"))
                return nil
            }
            return n
        }

        guard let title = string("title") else {
            if table["title"] == nil {
                diagnostics.append(Diagnostic(SourceLocation(file: file, line: 1, column: 1), "missing `title`",
                                              hint: "add `title = \"My blog\"` at the top"))
            }
            return (nil, diagnostics)
        }
        var config = SiteConfig(title: title)
        if let v = string("description") { config.description = v }
        if let v = string("language") { config.language = v }
        if let v = string("author") { config.author = v }
        if let v = string("theme") { config.theme = v }
        if let v = string("base_url") {
            if let url = URL(string: v), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil {
                config.baseURL = v.hasSuffix("/") ? v : v + "/"
            } else {
                diagnostics.append(Diagnostic(at("base_url"), "`base_url` must be an absolute http(s) URL",
                                              hint: "for example `base_url = \"https://example.org/\"`"))
            }
        }
        if let v = string("time_zone") {
            if let zone = TimeZone(identifier: v) {
                config.timeZone = zone
            } else {
                diagnostics.append(Diagnostic(at("time_zone"), "unknown time zone \"\(v)\"",
                                              hint: "use an IANA name such as \"Europe/Paris\" or \"UTC\""))
            }
        }
        if let v = int("posts_per_page", minimum: 1) { config.postsPerPage = v }
        if let v = string("permalink"), URLPath.climbs(v) {
            diagnostics.append(Diagnostic(at("permalink"), "`permalink` climbs out of the site with `..`",
                                          hint: "write the pattern from the site's root, e.g. `/:year/:month/:slug/`"))
        } else if let v = string("permalink") {
            do {
                config.permalink = try Permalink(v)
            } catch {
                let message = error.missingSlug
                    ? "`permalink` must contain `:slug` or `:title`" : "unknown permalink token `:\(error.name)`"
                diagnostics.append(Diagnostic(at("permalink"), message, hint: Permalink.tokenHint))
            }
        }
        if let v = string("excerpt_separator") { config.excerptSeparator = v }
        if let feeds = table["feeds"]?.table {
            if let v = int("limit", in: feeds, path: "feeds.limit", minimum: 0) { config.feedLimit = v }
            if let v = feeds["full_content"] {
                if let b = v.bool { config.feedFullContent = b } else {
                    diagnostics.append(Diagnostic(at("feeds.full_content"), "`feeds.full_content` must be true or false",
                                                  hint: "write `full_content = true` without quotes"))
                }
            }
            if let aliases = feeds["aliases"] {
                if let t = aliases.table {
                    for path in t.keys.sorted() {
                        let format = t[path]?.string ?? ""
                        guard ["rss", "atom", "json"].contains(format), path.hasPrefix("/"), !path.hasSuffix("/"),
                              !path.contains("..") else {
                            diagnostics.append(Diagnostic(
                                at("feeds.aliases"), "feed alias \"\(path)\" = \"\(format)\" is not a file path and a format",
                                hint: "write `\"/rss.xml\" = \"rss\"`: a path from the site's root to a file, and rss, atom or json"))
                            continue
                        }
                        config.feedAliases[path] = format
                    }
                } else {
                    diagnostics.append(Diagnostic(at("feeds.aliases"), "`feeds.aliases` must be a table",
                                                  hint: "write `[feeds.aliases]` then lines such as `\"/rss.xml\" = \"rss\"`"))
                }
            }
            for key in feeds.keys where !knownFeedKeys.contains(key) {
                diagnostics.append(Diagnostic(at("feeds.\(key)"), "unknown setting `feeds.\(key)`",
                                              hint: "known: feeds.limit, feeds.full_content, feeds.aliases", severity: .warning))
            }
        }
        if let pagination = table["pagination"] {
            if let t = pagination.table {
                if let v = string("aliases", in: t, path: "pagination.aliases") {
                    if v.hasPrefix("/"), v.contains(":num"), !URLPath.climbs(v) {
                        config.paginationAliases = v
                    } else {
                        diagnostics.append(Diagnostic(
                            at("pagination.aliases"), "pagination alias \"\(v)\" is not a path with `:num`",
                            hint: "write `aliases = \"/page:num/\"`: the old URL of page 2, 3 … from the site's root"))
                    }
                }
                for key in t.keys.sorted() where key != "aliases" {
                    diagnostics.append(Diagnostic(at("pagination.\(key)"), "unknown setting `pagination.\(key)`",
                                                  hint: "known: pagination.aliases", severity: .warning))
                }
            } else {
                diagnostics.append(Diagnostic(at("pagination"), "`pagination` must be a table",
                                              hint: "write `[pagination]` then `aliases = \"/page:num/\"`"))
            }
        }
        if let highlight = table["highlight"] {
            if let t = highlight.table {
                for (key, path) in [("enabled", \HighlightSettings.enabled), ("line_numbers", \.lineNumbers)] {
                    guard let v = t[key] else { continue }
                    if let b = v.bool { config.highlight[keyPath: path] = b } else {
                        diagnostics.append(Diagnostic(at("highlight.\(key)"), "`highlight.\(key)` must be true or false",
                                                      hint: "write `\(key) = true` without quotes"))
                    }
                }
                if let v = int("tab_width", in: t, path: "highlight.tab_width", minimum: 1) {
                    if v <= 16 { config.highlight.tabWidth = v } else {
                        diagnostics.append(Diagnostic(at("highlight.tab_width"), "`highlight.tab_width` must be 1 to 16",
                                                      hint: "columns per tab, e.g. `tab_width = 4`"))
                    }
                }
                diagnostics += unknownKeys(of: t, in: "highlight", known: knownHighlightKeys, at: at)
            } else {
                diagnostics.append(Diagnostic(at("highlight"), "`highlight` must be a table",
                                              hint: "write `[highlight]` then lines such as `line_numbers = true`"))
            }
        }
        if let images = table["images"] {
            if let t = images.table {
                parseImages(t, into: &config.images, at: at, diagnostics: &diagnostics)
            } else {
                diagnostics.append(Diagnostic(at("images"), "`images` must be a table",
                                              hint: "write `[images]` then lines such as `strip_metadata = true`"))
            }
        }
        if let related = table["related"] {
            if let t = related.table {
                if let v = int("count", in: t, path: "related.count", minimum: 0) {
                    if v <= 50 { config.relatedCount = v } else {
                        diagnostics.append(Diagnostic(at("related.count"), "`related.count` must be 0 to 50",
                                                      hint: "how many related posts a post lists, e.g. `count = 5`; 0 for none"))
                    }
                }
                diagnostics += unknownKeys(of: t, in: "related", known: ["count"], at: at)
            } else {
                diagnostics.append(Diagnostic(at("related"), "`related` must be a table",
                                              hint: "write `[related]` then `count = 3`"))
            }
        }
        if let search = table["search"] {
            if let t = search.table {
                if let v = t["enabled"] {
                    if let b = v.bool { config.search.enabled = b } else {
                        diagnostics.append(Diagnostic(at("search.enabled"), "`search.enabled` must be true or false",
                                                      hint: "write `enabled = false` without quotes"))
                    }
                }
                if let v = t["fields"] {
                    let known = SearchSettings().fields
                    let names = v.array.map { $0.compactMap(\.string) }
                    if let names, names.count == v.array?.count, !names.isEmpty, names.allSatisfy(known.contains) {
                        config.search.fields = known.filter(names.contains)
                    } else {
                        diagnostics.append(Diagnostic(at("search.fields"),
                                                      "`search.fields` must be a list of \"title\", \"tags\" and \"body\"",
                                                      hint: "e.g. `fields = [\"title\", \"tags\"]` indexes no body text"))
                    }
                }
                diagnostics += unknownKeys(of: t, in: "search", known: ["enabled", "fields"], at: at)
            } else {
                diagnostics.append(Diagnostic(at("search"), "`search` must be a table",
                                              hint: "write `[search]` then lines such as `enabled = false`"))
            }
        }
        if let params = table["params"] {
            if case .table(let t) = FrontMatter.metadata(from: params) { config.params = t }
        }
        for key in table.keys.sorted() where !knownKeys.contains(key) {
            diagnostics.append(Diagnostic(at(key), "unknown setting `\(key)`",
                                          hint: "put your own values under `[params]`; known settings: "
                                              + knownKeys.sorted().joined(separator: ", "),
                                          severity: .warning))
        }
        return (config, diagnostics)
    }

    private static func parseImages(_ t: TOMLTable, into images: inout ImageSettings, at: (String) -> SourceLocation,
                                    diagnostics: inout [Diagnostic]) {
        for (key, path) in [("enabled", \ImageSettings.enabled), ("variants", \.variants),
                            ("strip_metadata", \.stripMetadata)] {
            guard let v = t[key] else { continue }
            if let b = v.bool { images[keyPath: path] = b } else {
                diagnostics.append(Diagnostic(at("images.\(key)"), "`images.\(key)` must be true or false",
                                              hint: "write `\(key) = true` without quotes"))
            }
        }
        func number(_ key: String, _ range: ClosedRange<Int>, hint: String) -> Int? {
            guard let v = t[key] else { return nil }
            guard let n = v.int, range.contains(n) else {
                diagnostics.append(Diagnostic(at("images.\(key)"),
                                              "`images.\(key)` must be a whole number from \(range.lowerBound) to \(range.upperBound)",
                                              hint: hint))
                return nil
            }
            return n
        }
        if let v = number("content_width", 1...20_000, hint: "the widest the theme shows an image, in CSS pixels, e.g. `content_width = 680`") {
            images.contentWidth = v
        }
        if let v = number("quality", 1...100, hint: "JPEG and WebP quality of the resized copies, e.g. `quality = 82`") {
            images.quality = v
        }
        if let v = number("max_pixels", 1...1_000_000_000, hint: "e.g. `max_pixels = 100_000_000` (100 megapixels)") {
            images.maxPixels = v
        }
        if let v = t["sizes"] {
            if let s = v.string, !s.isEmpty, !s.contains("\""), !s.contains("<") {
                images.sizes = s
            } else {
                diagnostics.append(Diagnostic(at("images.sizes"), "`images.sizes` must be a `sizes` attribute's text",
                                              hint: "for example `sizes = \"(max-width: 720px) 100vw, 680px\"`"))
            }
        }
        if let v = t["widths"] {
            let widths = v.array.map { $0.map { $0.int } }
            if let widths, !widths.isEmpty, widths.count <= 16, widths.allSatisfy({ ($0 ?? 0) >= 16 && ($0 ?? 0) <= 10_000 }) {
                images.widths = Array(Set(widths.compactMap { $0 })).sorted()
            } else {
                diagnostics.append(Diagnostic(at("images.widths"), "`images.widths` must be a list of 1 to 16 widths from 16 to 10000",
                                              hint: "for example `widths = [480, 800, 1200, 1600]`"))
            }
        }
        diagnostics += unknownKeys(of: t, in: "images", known: knownImageKeys, at: at)
    }

    /// A warning for each key of the table `name` that is not one of `known`, suggesting the closest.
    private static func unknownKeys(of t: TOMLTable, in name: String, known: [String],
                                    at: (String) -> SourceLocation) -> [Diagnostic] {
        t.keys.sorted().filter { !known.contains($0) }.map { key in
            let near = Suggestion.closest(to: key, among: known)
            return Diagnostic(
                at("\(name).\(key)"), "unknown setting `\(name).\(key)`",
                hint: (near.map { "did you mean `\($0)`? " } ?? "") + "known: "
                    + known.map { "\(name)." + $0 }.joined(separator: ", "), severity: .warning)
        }
    }
}
