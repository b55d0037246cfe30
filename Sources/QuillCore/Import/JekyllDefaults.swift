import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `_config.yml`'s `defaults:`, by Jekyll 4's rules (`frontmatter_defaults.rb`): each set applies to the files its
/// scope covers — `path` a prefix of the file's path from the site's root (or a glob), `type` `posts` (drafts too,
/// which Jekyll 4 keeps in the posts collection) or `pages`. Where sets give the same key, the longer `path` wins,
/// then the one with a `type`, then the later one; tables are merged key by key. Front matter wins over them all.
struct JekyllDefaults {
    struct Scope {
        var path: String
        var type: String?
    }

    private var sets: [(scope: Scope?, values: [String: Any])]
    /// Every file and folder of the site, for glob scopes (`Dir.glob` finds only what exists).
    private var existing: [String]

    init(_ config: [String: Any], files: some Sequence<String>) {
        sets = (config["defaults"] as? [Any] ?? []).compactMap { item in
            guard let set = item as? [String: Any], let values = set["values"] as? [String: Any] else { return nil }
            guard let scope = set["scope"] as? [String: Any] else { return (nil, values) }
            let type = (scope["type"] as? String).map { ["page": "pages", "post": "posts", "draft": "drafts"][$0] ?? $0 }
            return (Scope(path: scope["path"] as? String ?? "", type: type), values)
        }
        var paths = Set<String>()
        for file in files {
            var parts = file.split(separator: "/")
            while !parts.isEmpty {
                paths.insert(parts.joined(separator: "/"))
                parts.removeLast()
            }
        }
        existing = paths.sorted()
    }

    /// The default values for the file at `path` (from the site's root) of type `posts` or `pages`.
    func values(for path: String, type: String) -> [String: Any] {
        var merged = [String: Any]()
        var winner: Scope?
        var first = true
        for (scope, values) in sets where scope.map({ applies($0, path: path, type: type) }) ?? true {
            let empty = Scope(path: "", type: nil)
            if first || Self.precedes(scope ?? empty, winner ?? empty) {
                merged = Self.merge(values, over: merged)
                winner = scope ?? empty
            } else {
                merged = Self.merge(merged, over: values)
            }
            first = false
        }
        return merged
    }

    /// Jekyll compares the path as written: `/docs` covers nothing (file paths have no leading `/`).
    private func applies(_ scope: Scope, path: String, type: String) -> Bool {
        if let wanted = scope.type, wanted != type { return false }
        if scope.path.isEmpty { return true }
        guard scope.path.contains("*") else { return path.hasPrefix(scope.path) }
        return existing.contains { fnmatch(scope.path, $0, FNM_PATHNAME | FNM_PERIOD) == 0 && path.hasPrefix($0) }
    }

    /// Jekyll's `has_precedence?`: a longer path (less a leading `/`) wins; for paths of one length, a set with a
    /// type, or a later set when the earlier one has none.
    private static func precedes(_ new: Scope, _ old: Scope) -> Bool {
        let (newLength, oldLength) = (sanitize(new.path).count, sanitize(old.path).count)
        if newLength != oldLength { return newLength > oldLength }
        return new.type != nil || old.type == nil
    }

    /// `top` over `base`, tables merged key by key (Jekyll's `deep_merge_hashes`).
    static func merge(_ top: [String: Any], over base: [String: Any]) -> [String: Any] {
        var out = base
        for (key, value) in top {
            if let table = value as? [String: Any], let under = out[key] as? [String: Any] {
                out[key] = merge(table, over: under)
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Jekyll's `sanitize_path`: a leading `/` dropped.
    private static func sanitize(_ path: String) -> String { path.hasPrefix("/") ? String(path.dropFirst()) : path }
}
