import Foundation
import QuillGraph

/// The search index's parts, from one document to the files the search page reads (docs/search.md, "Files").
///
/// A document's words (`SearchDocument`) are gathered in groups of about 24 documents (`SearchGroup`, one node per
/// group, kept in the state), so that an edit parses again only the documents of the edited one's group; the whole
/// index (`SearchFiles`) is merged from the groups, and an edit rewrites only the shards whose words it touched.
enum SearchField: String, CaseIterable, Sendable {
    case title, tags, body

    var mask: UInt8 {
        switch self {
        case .title: return 1
        case .tags: return 2
        case .body: return 4
        }
    }
}

/// One post or page as the index holds it: where it is, what it is called, and its words with the fields each is in.
struct SearchDocument: GraphValue, Equatable {
    var included: Bool
    var url: String = ""
    var title: String = ""
    /// `YYYY-MM-DD`, or "" for a page without a date.
    var date: String = ""
    /// The distinct words in UTF-8 byte order, each followed by a 0 byte and its fields (`SearchField.mask`s).
    var words: [UInt8] = []

    static let excluded = SearchDocument(included: false)

    init(included: Bool) { self.included = included }

    init(url: String, title: String, date: String, fields: [(SearchField, String, html: Bool)]) {
        (included, self.url, self.title, self.date) = (true, url, title, date)
        var set = WordSet()
        for (field, text, html) in fields {
            SearchWords.scan(text, html: html) { set.add($0, field.mask) }
        }
        words = set.sortedBytes()
    }

    /// Each word (without its 0 byte) and its fields.
    func forEachWord(_ body: (UnsafeBufferPointer<UInt8>, UInt8) -> Void) {
        words.withUnsafeBufferPointer { all in
            var start = 0
            var i = 0
            while i < all.count {
                if all[i] == 0 {
                    body(UnsafeBufferPointer(rebasing: all[start..<i]), all[i + 1])
                    i += 2
                    start = i
                } else {
                    i += 1
                }
            }
        }
    }

    func encode(to w: inout BinaryWriter) {
        w.write(included)
        w.write(url)
        w.write(title)
        w.write(date)
        w.write(UInt64(words.count))
        w.write(raw: words)
    }

    init(from r: inout BinaryReader) throws {
        included = try r.readBool()
        url = try r.readString()
        title = try r.readString()
        date = try r.readString()
        words = Array(try r.readRaw(Int(try r.readVarint())))
    }
}

/// Distinct words and the fields they were seen in, in an arena (a post has hundreds of words, most repeated).
struct WordSet {
    private var arena: [UInt8] = []
    private var entries: [(start: Int32, count: Int32, mask: UInt8)] = []
    private var table = [Int32](repeating: -1, count: 1024)

    mutating func add(_ word: ArraySlice<UInt8>, _ mask: UInt8) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in word { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
        while table[slot] >= 0 {
            let e = entries[Int(table[slot])]
            if Int(e.count) == word.count, arena[Int(e.start)..<Int(e.start + e.count)].elementsEqual(word) {
                entries[Int(table[slot])].mask |= mask
                return
            }
            slot = (slot + 1) & (table.count - 1)
        }
        table[slot] = Int32(entries.count)
        entries.append((Int32(arena.count), Int32(word.count), mask))
        arena.append(contentsOf: word)
        if entries.count * 2 > table.count { grow() }
    }

    private mutating func grow() {
        table = [Int32](repeating: -1, count: table.count * 2)
        for (n, e) in entries.enumerated() {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in arena[Int(e.start)..<Int(e.start + e.count)] { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (table.count - 1) }
            table[slot] = Int32(n)
        }
    }

    /// The words in byte order, each followed by 0 and its mask.
    func sortedBytes() -> [UInt8] {
        let order = arena.withUnsafeBufferPointer { a in
            entries.indices.sorted { x, y in
                let (p, q) = (entries[x], entries[y])
                return SearchBytes.less(UnsafeBufferPointer(rebasing: a[Int(p.start)..<Int(p.start + p.count)]),
                                        UnsafeBufferPointer(rebasing: a[Int(q.start)..<Int(q.start + q.count)]))
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(arena.count + 2 * entries.count)
        for n in order {
            let e = entries[n]
            out.append(contentsOf: arena[Int(e.start)..<Int(e.start + e.count)])
            out.append(0)
            out.append(e.mask)
        }
        return out
    }
}

enum SearchBytes {
    /// UTF-8 byte order (which is code point order).
    static func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return c < 0 }
        }
        return a.count < b.count
    }

    static func less(_ a: String, _ b: String) -> Bool {
        var (a, b) = (a, b)
        return a.withUTF8 { x in b.withUTF8 { y in less(x, y) } }
    }
}

/// About 24 documents' words, merged: kept in the state, so that the index is made again from the groups alone.
struct SearchGroup: GraphValue, Equatable {
    struct Doc: Equatable {
        var key: String, url: String, title: String, date: String
    }

    /// Sorted by key; only documents in the index.
    var docs: [Doc] = []
    /// Distinct words in byte order.
    var words: [String] = []
    /// For each word: `doc index << 3 | fields`, by doc index.
    var postings: [[UInt32]] = []

    init() {}

    init(_ documents: [(key: String, document: SearchDocument)]) {
        var position = [String: Int]()
        var lists = [[UInt32]]()
        var names = [String]()
        for (key, document) in documents where document.included {
            let n = UInt32(docs.count)
            docs.append(Doc(key: key, url: document.url, title: document.title, date: document.date))
            document.forEachWord { bytes, mask in
                let word = String(decoding: bytes, as: UTF8.self)
                if let p = position[word] {
                    lists[p].append(n << 3 | UInt32(mask))
                } else {
                    position[word] = lists.count
                    names.append(word)
                    lists.append([n << 3 | UInt32(mask)])
                }
            }
        }
        let order = names.indices.sorted { SearchBytes.less(names[$0], names[$1]) }
        words = order.map { names[$0] }
        postings = order.map { lists[$0] }
    }

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(docs.count))
        for d in docs {
            w.write(d.key)
            w.write(d.url)
            w.write(d.title)
            w.write(d.date)
        }
        w.write(UInt64(words.count))
        for (word, list) in zip(words, postings) {
            w.write(word)
            w.write(UInt64(list.count))
            for p in list { w.write(UInt64(p)) }
        }
    }

    init(from r: inout BinaryReader) throws {
        let count = try r.readVarint()
        for _ in 0..<count {
            docs.append(Doc(key: try r.readString(), url: try r.readString(), title: try r.readString(),
                            date: try r.readString()))
        }
        let words = try r.readVarint()
        self.words.reserveCapacity(Int(min(words, 1 << 20)))
        postings.reserveCapacity(Int(min(words, 1 << 20)))
        for _ in 0..<words {
            self.words.append(try r.readString())
            let n = try r.readVarint()
            var list = [UInt32]()
            list.reserveCapacity(Int(min(n, 1 << 20)))
            for _ in 0..<n { list.append(UInt32(try r.readVarint())) }
            postings.append(list)
        }
    }
}

/// The files of the search index: the manifest, the shards by key, and the lists of documents.
struct SearchFiles: GraphValue {
    static let formatVersion = 1
    /// Documents per `d-N.json`.
    static let chunk = 32
    /// A shard over this many bytes is split by the next character of its words, where it can be.
    static let shardBudget = 16_000

    var manifest = Data()
    /// Sorted by key (byte order).
    var shards: [(key: String, bytes: Data)] = []
    var docLists: [Data] = []

    init() {}

    static func shardFile(_ key: String) -> String {
        "t-" + key.utf8.map { String(format: "%02x", $0) }.joined() + ".json"
    }

    /// The index of `groups` (each a group's value), documents numbered in `order` (keys; pages, then posts from
    /// the oldest): a document not in any group is left out.
    init(groups: [SearchGroup], order: [String], fields: [SearchField]) {
        // Where each document of each group goes.
        var idOf = [String: UInt32]()
        idOf.reserveCapacity(order.count)
        var present = Set<String>()
        for group in groups { for doc in group.docs { present.insert(doc.key) } }
        var docs = [SearchGroup.Doc?](repeating: nil, count: 0)
        for key in order where present.contains(key) {
            idOf[key] = UInt32(docs.count)
            docs.append(nil)
        }
        // Every word's documents, by field.
        var position = [String: Int]()
        var words = [String]()
        var sets = [[[UInt32]]]()  // word → [title, tags, body]
        for group in groups {
            let ids = group.docs.map { idOf[$0.key] }
            for (n, doc) in group.docs.enumerated() { if let id = ids[n] { docs[Int(id)] = doc } }
            for (word, list) in zip(group.words, group.postings) {
                let p: Int
                if let known = position[word] {
                    p = known
                } else {
                    p = words.count
                    position[word] = p
                    words.append(word)
                    sets.append([[], [], []])
                }
                for posting in list {
                    guard let id = ids[Int(posting >> 3)] else { continue }
                    if posting & 1 != 0 { sets[p][0].append(id) }
                    if posting & 2 != 0 { sets[p][1].append(id) }
                    if posting & 4 != 0 { sets[p][2].append(id) }
                }
            }
        }
        let order = words.indices.sorted { SearchBytes.less(words[$0], words[$1]) }
        // Each word's entry, `["word","T","G","B"]`.
        var entries = [(word: String, json: [UInt8])]()
        entries.reserveCapacity(order.count)
        for p in order {
            var json = Array("[\"".utf8)
            json += words[p].utf8
            json += Array("\"".utf8)
            for f in 0..<3 {
                json += Array(",\"".utf8)
                json += Self.encodeSet(sets[p][f].sorted())
                json.append(UInt8(ascii: "\""))
            }
            json.append(UInt8(ascii: "]"))
            entries.append((words[p], json))
        }
        // Shards: each word in the one with the longest key that prefixes it.
        let keys = Self.layout(entries.map { ($0.word, $0.json.count + 1) })
        let keyIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        var bodies = [[UInt8]](repeating: [UInt8(ascii: "[")], count: keys.count)
        for entry in entries {
            let k = Self.shardIndex(of: entry.word, in: keyIndex)!
            if bodies[k].count > 1 { bodies[k].append(UInt8(ascii: ",")) }
            bodies[k] += entry.json
        }
        shards = zip(keys, bodies).map { ($0, Data($1 + Array("]\n".utf8))) }
        // Document lists.
        for first in stride(from: 0, to: docs.count, by: Self.chunk) {
            var json = "["
            for id in first..<min(first + Self.chunk, docs.count) {
                let doc = docs[id]!
                if id > first { json += ",\n" }
                json += "[" + JSONText.string(doc.url) + "," + JSONText.string(doc.title) + "," + JSONText.string(doc.date) + "]"
            }
            docLists.append(Data((json + "]\n").utf8))
        }
        var manifest = "{\"version\":\(Self.formatVersion),\"docs\":\(docs.count),\"chunk\":\(Self.chunk),\"fields\":["
        manifest += fields.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "],\"shards\":["
        manifest += shards.map { "[\(JSONText.string($0.key)),\($0.bytes.count)]" }.joined(separator: ",")
        self.manifest = Data((manifest + "]}\n").utf8)
    }

    /// The shard of `word`: the longest key that prefixes it.
    static func shardIndex(of word: String, in keys: [String: Int]) -> Int? {
        let scalars = word.unicodeScalars
        var end = scalars.endIndex
        while true {
            if let k = keys[String(scalars[..<end])] { return k }
            if end == scalars.startIndex { return nil }
            end = scalars.index(before: end)
        }
    }

    /// Shard keys for words (sorted) of the given entry sizes: a prefix whose words exceed the budget gives its
    /// largest groups of words (by the next character) keys of their own, until what stays is within it.
    static func layout(_ words: [(word: String, size: Int)]) -> [String] {
        var keys = [String]()
        func split(_ prefix: [UInt8], _ range: Range<Int>) {
            let total = words[range].reduce(0) { $0 + $1.size }
            guard total > shardBudget else {
                if !range.isEmpty { keys.append(String(decoding: prefix, as: UTF8.self)) }
                return
            }
            // Children by the next character.
            var children = [(key: [UInt8], range: Range<Int>, size: Int)]()
            var i = range.lowerBound
            while i < range.upperBound {
                let bytes = Array(words[i].word.utf8)
                guard bytes.count > prefix.count else {
                    i += 1
                    continue
                }
                var next = prefix.count + 1
                while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
                let key = Array(bytes[..<next])
                var j = i
                var size = 0
                while j < range.upperBound, words[j].word.utf8.starts(with: key) {
                    size += words[j].size
                    j += 1
                }
                children.append((key, i..<j, size))
                i = j
            }
            var remaining = total
            var ownKeys = Set<Int>()
            let largestFirst = children.indices.sorted {
                children[$0].size != children[$1].size ? children[$0].size > children[$1].size
                    : children[$0].key.lexicographicallyPrecedes(children[$1].key)
            }
            for c in largestFirst {
                guard remaining > shardBudget else { break }
                ownKeys.insert(c)
                remaining -= children[c].size
            }
            if remaining > 0 { keys.append(String(decoding: prefix, as: UTF8.self)) }
            for c in children.indices where ownKeys.contains(c) { split(children[c].key, children[c].range) }
        }
        split([], 0..<words.count)
        return keys.sorted(by: SearchBytes.less)
    }

    /// A set of document ids (sorted): a bitmap (`=` and base64) or base-36 differences, whichever is shorter.
    static func encodeSet(_ ids: [UInt32]) -> [UInt8] {
        guard let last = ids.last else { return [] }
        var deltas = [UInt8]()
        var previous: UInt32 = 0
        for (n, id) in ids.enumerated() {
            if n > 0 { deltas.append(UInt8(ascii: ".")) }
            appendBase36(n == 0 ? id : id - previous, to: &deltas)
            previous = id
        }
        let bitmapBytes = Int(last) / 8 + 1
        guard 1 + (bitmapBytes + 2) / 3 * 4 < deltas.count else { return deltas }
        var bitmap = [UInt8](repeating: 0, count: bitmapBytes)
        for id in ids { bitmap[Int(id) / 8] |= 1 << (id % 8) }
        return [UInt8(ascii: "=")] + Array(Data(bitmap).base64EncodedString().utf8)
    }

    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    static func appendBase36(_ value: UInt32, to out: inout [UInt8]) {
        var v = value
        var tmp = [UInt8]()
        repeat {
            tmp.append(digits[Int(v % 36)])
            v /= 36
        } while v > 0
        out.append(contentsOf: tmp.reversed())
    }

    /// The sets an entry encodes, decoded (for tests and `quill check`): ids in order.
    static func decodeSet(_ text: String) -> [UInt32] {
        guard !text.isEmpty else { return [] }
        if text.hasPrefix("=") {
            guard let data = Data(base64Encoded: String(text.dropFirst())) else { return [] }
            var ids = [UInt32]()
            for (i, byte) in data.enumerated() {
                for bit in 0..<8 where byte & (1 << bit) != 0 { ids.append(UInt32(i * 8 + bit)) }
            }
            return ids
        }
        var ids = [UInt32]()
        var previous: UInt32 = 0
        for part in text.split(separator: ".") {
            let v = UInt32(part, radix: 36) ?? 0
            previous = ids.isEmpty ? v : previous + v
            ids.append(previous)
        }
        return ids
    }

    func encode(to w: inout BinaryWriter) {
        w.write(manifest)
        w.write(UInt64(shards.count))
        for shard in shards {
            w.write(shard.key)
            w.write(shard.bytes)
        }
        w.write(UInt64(docLists.count))
        for list in docLists { w.write(list) }
    }

    init(from r: inout BinaryReader) throws {
        manifest = try r.readData()
        for _ in 0..<(try r.readVarint()) { shards.append((try r.readString(), try r.readData())) }
        for _ in 0..<(try r.readVarint()) { docLists.append(try r.readData()) }
    }

    var fingerprint: Fingerprint {
        var hasher = StableHasher()
        hasher.combine(UInt64(manifest.count))
        manifest.withUnsafeBytes { hasher.combine($0) }
        for shard in shards {
            hasher.combine(shard.key)
            hasher.combine(UInt64(shard.bytes.count))
            shard.bytes.withUnsafeBytes { hasher.combine($0) }
        }
        for list in docLists {
            hasher.combine(UInt64(list.count))
            list.withUnsafeBytes { hasher.combine($0) }
        }
        return hasher.finalize()
    }
}

/// JSON string literals.
enum JSONText {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
