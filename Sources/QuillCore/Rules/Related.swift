import Foundation
import QuillGraph
import Synchronization

// Related posts: for each post, the other posts that share its tags, the rarer tags weighing more, then the closest
// in date. `post.related` in templates.

extension Node {
    /// A post's related posts (source paths, best first); none for a post without tags.
    struct Related: NamedNode {
        typealias Value = [String]
        static let kind = "related"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> [String] {
            let count = try c.config([.related]).relatedCount
            guard count > 0 else { return [] }
            let index = try c.read(Index())
            return RelatedPosts.find(for: id, in: index.related.table(index), count: count)
        }
    }
}

/// How related posts are found. A post's candidates are the posts that share a tag with it; each shared tag adds
/// its weight, 1 / log2(1 + the tag's number of posts), so a tag on three posts says more than one on three hundred.
/// The best scores win; a tie goes to the post closer in date (fewer posts between them), then to the newer one.
///
/// No pair of posts is compared unless they share a tag, and a tag on more than `nearest` posts offers only the
/// `nearest` of them closest in date: a post's cost is bounded whatever the size of the site.
enum RelatedPosts {
    /// The posts of one large tag a post looks at: those closest to it in date.
    static let nearest = 400

    /// What every post's search reads: each post's place in date order and its tags, and each tag's posts.
    struct Table: Sendable {
        /// Source → its place among the posts, newest first.
        var rank: [String: Int] = [:]
        var sources: [String] = []
        /// By rank: the tags of each post (indexes into `tagPosts`).
        var tagsOf: [[Int]] = []
        /// By tag: the ranks of its posts, in order.
        var tagPosts: [[Int]] = []
        var weights: [Double] = []

        init(_ index: SiteIndex) {
            sources = index.posts
            for (i, path) in index.posts.enumerated() { rank[path] = i }
            tagsOf = Array(repeating: [], count: sources.count)
            for (t, tag) in index.tags.enumerated() {
                let ranks = tag.posts.compactMap { rank[$0] }.sorted()
                tagPosts.append(ranks)
                weights.append(1 / log2(1 + Double(max(1, ranks.count))))
                for r in ranks { tagsOf[r].append(t) }
            }
        }

        /// Made once per index value, on first use.
        final class Cache: Sendable {
            private let made = Mutex<Table?>(nil)

            func table(_ index: SiteIndex) -> Table {
                made.withLock { made in
                    if let made { return made }
                    let table = Table(index)
                    made = table
                    return table
                }
            }
        }
    }

    /// The `count` posts most related to `source`.
    static func find(for source: String, in table: Table, count: Int) -> [String] {
        guard let me = table.rank[source], !table.tagsOf[me].isEmpty else { return [] }
        // Each tag's candidates, in date order.
        var lists = [(posts: ArraySlice<Int>, weight: Double)]()
        for t in table.tagsOf[me] {
            let posts = table.tagPosts[t]
            var slice = posts[...]
            if posts.count > nearest {  // the `nearest` closest in date: around this post's own place
                var low = 0, high = posts.count
                while low < high {
                    let mid = (low + high) / 2
                    if posts[mid] < me { low = mid + 1 } else { high = mid }
                }
                let start = max(0, min(low - nearest / 2, posts.count - nearest))
                slice = posts[start..<(start + nearest)]
            }
            lists.append((slice, table.weights[t]))
        }
        func better(_ a: (key: Int, value: Double), than b: (key: Int, value: Double)) -> Bool {
            if a.value != b.value { return a.value > b.value }
            let (da, db) = (abs(a.key - me), abs(b.key - me))
            return da != db ? da < db : a.key < b.key
        }
        // The lists merged in date order, each candidate's score the sum of its tags' weights (a post has few
        // tags, so the smallest head is found by looking at each); the best `count` kept in order as they go by
        // (no sort of them all: a tag may offer hundreds).
        var best = [(key: Int, value: Double)]()
        best.reserveCapacity(count + 1)
        var heads = lists.map(\.posts.startIndex)
        while true {
            var next = Int.max
            for (i, list) in lists.enumerated() where heads[i] < list.posts.endIndex { next = min(next, list.posts[heads[i]]) }
            guard next != Int.max else { break }
            var score = 0.0
            for (i, list) in lists.enumerated() where heads[i] < list.posts.endIndex && list.posts[heads[i]] == next {
                score += list.weight
                heads[i] += 1
            }
            let candidate = (key: next, value: score)
            guard next != me, best.count < count || better(candidate, than: best[best.count - 1]) else { continue }
            var i = best.count
            while i > 0, better(candidate, than: best[i - 1]) { i -= 1 }
            best.insert(candidate, at: i)
            if best.count > count { best.removeLast() }
        }
        return best.map { table.sources[$0.key] }
    }
}
