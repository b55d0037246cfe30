import Foundation
import QuillGraph
import Synchronization

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
    /// The distinct words in the order they first appear, each followed by a 0 byte and its fields
    /// (`SearchField.mask`s). Only the index as a whole is sorted.
    var words: [UInt8] = []

    static let excluded = SearchDocument(included: false)

    init(included: Bool) { self.included = included }

    init(url: String, title: String, date: String, fields: [(SearchField, String, html: Bool)]) {
        (included, self.url, self.title, self.date) = (true, url, title, date)
        var set = WordTable()
        for (field, text, html) in fields {
            SearchWords.scan(text, html: html) { set.add($0, field.mask) }
        }
        words = set.bytes()
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

/// Distinct byte strings in an arena, each with a number (its order of arrival) and a small value; hashed with
/// FNV-1a in an open-addressed table. What a document's, a group's and the whole index's words are gathered in.
struct WordTable {
    private(set) var arena: [UInt8] = []
    /// By number: where the word starts in `arena` (its end is the next start).
    private(set) var starts: [Int32] = [0]
    private(set) var values: [UInt8] = []
    private var table: [Int32]

    init(capacity: Int = 512) {
        var size = 64
        while size < capacity * 2 { size *= 2 }
        table = [Int32](repeating: -1, count: size)
    }

    var count: Int { values.count }

    /// Eight bytes at a time (words are short: most take one or two rounds).
    @inline(__always) private static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        guard let base = p.baseAddress else { return Int(truncatingIfNeeded: h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The number of `word`, added if new; its value is or-ed with `value`.
    @discardableResult
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, _ value: UInt8 = 0) -> Int {
        let mask = table.count - 1
        var slot = Self.hash(word) & mask
        let found: Int? = arena.withUnsafeBufferPointer { a in
            table.withUnsafeBufferPointer { t in
                while t[slot] >= 0 {
                    let n = Int(t[slot])
                    let start = Int(starts[n]), end = Int(starts[n + 1])
                    if end - start == word.count, word.count == 0 || memcmp(a.baseAddress! + start, word.baseAddress!, word.count) == 0 {
                        return n
                    }
                    slot = (slot + 1) & mask
                }
                return nil
            }
        }
        if let n = found {
            values[n] |= value
            return n
        }
        let n = values.count
        table[slot] = Int32(n)
        arena.append(contentsOf: word)
        starts.append(Int32(arena.count))
        values.append(value)
        if values.count * 2 > table.count { grow() }
        return n
    }

    private mutating func grow() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        arena.withUnsafeBufferPointer { a in
            for n in 0..<values.count {
                var slot = Self.hash(UnsafeBufferPointer(rebasing: a[Int(starts[n])..<Int(starts[n + 1])])) & mask
                while table[slot] >= 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(n)
            }
        }
    }

    func word(_ n: Int) -> ArraySlice<UInt8> { arena[Int(starts[n])..<Int(starts[n + 1])] }

    /// The numbers of the words in byte order.
    func sortedOrder() -> [Int] {
        arena.withUnsafeBufferPointer { a in
            (0..<values.count).sorted { x, y in
                SearchBytes.less(UnsafeBufferPointer(rebasing: a[Int(starts[x])..<Int(starts[x + 1])]),
                                 UnsafeBufferPointer(rebasing: a[Int(starts[y])..<Int(starts[y + 1])]))
            }
        }
    }

    /// The words in the order they came, each followed by 0 and its value.
    func bytes() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(arena.count + 2 * values.count)
        for n in 0..<values.count {
            out.append(contentsOf: word(n))
            out.append(0)
            out.append(values[n])
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
    /// The distinct words in the order they came, each followed by a 0 byte.
    var words: [UInt8] = []
    /// For word `w`: `postings[starts[w]..<starts[w + 1]]`, each `doc index << 3 | fields`, by doc index.
    var starts: [UInt32] = [0]
    var postings: [UInt32] = []

    init() {}

    init(_ documents: [(key: String, document: SearchDocument)]) {
        var table = WordTable(capacity: 2048)
        var pairs = [(word: Int32, posting: UInt32)]()
        for (key, document) in documents where document.included {
            let n = UInt32(docs.count)
            docs.append(Doc(key: key, url: document.url, title: document.title, date: document.date))
            document.forEachWord { bytes, mask in pairs.append((Int32(table.add(bytes)), n << 3 | UInt32(mask))) }
        }
        // Words in the order they came (only the whole index is sorted), each with its postings.
        var counts = [UInt32](repeating: 0, count: table.count + 1)
        for pair in pairs { counts[Int(pair.word) + 1] += 1 }
        for i in 0..<table.count { counts[i + 1] += counts[i] }
        starts = counts
        var fill = counts
        postings = [UInt32](repeating: 0, count: pairs.count)
        for pair in pairs {  // documents in order, so each word's postings are too
            postings[Int(fill[Int(pair.word)])] = pair.posting
            fill[Int(pair.word)] += 1
        }
        words.reserveCapacity(table.arena.count + table.count)
        for n in 0..<table.count {
            words.append(contentsOf: table.word(n))
            words.append(0)
        }
    }

    var wordCount: Int { starts.count - 1 }

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(docs.count))
        for d in docs {
            w.write(d.key)
            w.write(d.url)
            w.write(d.title)
            w.write(d.date)
        }
        w.write(UInt64(words.count))
        w.write(raw: words)
        w.write(UInt64(wordCount))
        for i in 0..<wordCount { w.write(UInt64(starts[i + 1] - starts[i])) }
        for p in postings { w.write(UInt64(p)) }
    }

    init(from r: inout BinaryReader) throws {
        let count = try r.readVarint()
        for _ in 0..<count {
            docs.append(Doc(key: try r.readString(), url: try r.readString(), title: try r.readString(),
                            date: try r.readString()))
        }
        words = Array(try r.readRaw(Int(try r.readVarint())))
        let wordCount = Int(try r.readVarint())
        guard wordCount <= words.count else { throw BinaryReader.Malformed() }
        starts = [0]
        starts.reserveCapacity(wordCount + 1)
        for _ in 0..<wordCount { starts.append(starts[starts.count - 1] + UInt32(try r.readVarint())) }
        let total = Int(starts[wordCount])
        guard total <= 1 << 28 else { throw BinaryReader.Malformed() }
        postings = [UInt32](repeating: 0, count: total)
        for i in 0..<total { postings[i] = UInt32(truncatingIfNeeded: try r.readVarint()) }
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
    init(groups: [SearchGroup], order: [String], fields: [SearchField], budget: Int = shardBudget) {
        // Where each document of each group goes.
        var idOf = [String: UInt32]()
        idOf.reserveCapacity(order.count)
        var present = Set<String>()
        for group in groups { for doc in group.docs { present.insert(doc.key) } }
        var docs = [SearchGroup.Doc?]()
        for key in order where present.contains(key) {
            idOf[key] = UInt32(docs.count)
            docs.append(nil)
        }
        // Every word, and each (word, document and fields), gathered from the groups.
        var table = WordTable(capacity: 1 << 16)
        var pairs = [(word: Int32, posting: UInt32)]()
        pairs.reserveCapacity(groups.reduce(0) { $0 + $1.postings.count })
        for group in groups {
            let ids = group.docs.map { idOf[$0.key] }
            for (n, doc) in group.docs.enumerated() { if let id = ids[n] { docs[Int(id)] = doc } }
            group.words.withUnsafeBufferPointer { words in
                var start = 0
                for w in 0..<group.wordCount {
                    var end = start
                    while words[end] != 0 { end += 1 }
                    let word = Int32(table.add(UnsafeBufferPointer(rebasing: words[start..<end])))
                    start = end + 1
                    for p in group.postings[Int(group.starts[w])..<Int(group.starts[w + 1])] {
                        guard let id = ids[Int(p >> 3)] else { continue }
                        pairs.append((word, id << 3 | (p & 7)))
                    }
                }
            }
        }
        // By word: counting sort of the pairs.
        var counts = [Int](repeating: 0, count: table.count + 1)
        for pair in pairs { counts[Int(pair.word) + 1] += 1 }
        for i in 0..<table.count { counts[i + 1] += counts[i] }
        var fill = counts
        var postings = [UInt32](repeating: 0, count: pairs.count)
        for pair in pairs {
            postings[fill[Int(pair.word)]] = pair.posting
            fill[Int(pair.word)] += 1
        }
        pairs = []
        // Each word's entry, `["word","T","G","B"]`, in byte order; in parts, on every core.
        let sorted = table.sortedOrder()
        let (words, lists, starts, documents) = (table, postings, counts, docs.count)
        let parts = 8
        let results = Mutex([[(word: String, json: [UInt8])]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var sets = SetEncoder(documents: documents)
            var mine = [(word: String, json: [UInt8])]()
            let range = (sorted.count * part / parts)..<(sorted.count * (part + 1) / parts)
            mine.reserveCapacity(range.count)
            for n in sorted[range] {
                var json = Array("[\"".utf8)
                json += words.word(n)
                json.append(UInt8(ascii: "\""))
                for mask in [UInt32(1), 2, 4] {
                    json += Array(",\"".utf8)
                    sets.encode(lists[starts[n]..<starts[n + 1]], mask: mask, into: &json)
                    json.append(UInt8(ascii: "\""))
                }
                json.append(UInt8(ascii: "]"))
                mine.append((String(decoding: words.word(n), as: UTF8.self), json))
            }
            results.withLock { $0[part] = mine }
        }
        let entries = results.withLock { $0.flatMap { $0 } }
        // Shards: each word in the one with the longest key that prefixes it.
        let keys = Self.layout(entries.map { ($0.word, $0.json.count + 1) }, budget: budget)
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
        // Keys only, not sizes: an edit that changes a shard leaves the manifest as it was.
        manifest += shards.map { JSONText.string($0.key) }.joined(separator: ",")
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
    static func layout(_ words: [(word: String, size: Int)], budget: Int = shardBudget) -> [String] {
        var keys = [String]()
        func split(_ prefix: [UInt8], _ range: Range<Int>) {
            let total = words[range].reduce(0) { $0 + $1.size }
            guard total > budget else {
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
                guard remaining > budget else { break }
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
        var encoder = SetEncoder(documents: Int(ids.last ?? 0) + 1)
        var out = [UInt8]()
        encoder.encode(ids.map { $0 << 3 | 1 }[...], mask: 1, into: &out)
        return out
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

/// Encodes sets of document ids, from postings (`id << 3 | fields`) in any order, with one bitmap reused.
struct SetEncoder {
    private var bits: [UInt64]
    private var deltas = [UInt8]()

    init(documents: Int) { bits = [UInt64](repeating: 0, count: documents / 64 + 1) }

    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// The ids of the postings with `mask`, as a bitmap (`=` and base64) or base-36 differences, whichever is
    /// shorter (a tie: the differences).
    mutating func encode(_ postings: ArraySlice<UInt32>, mask: UInt32, into out: inout [UInt8]) {
        var last = -1
        var any = false
        for p in postings where p & mask != 0 {
            let id = Int(p >> 3)
            bits[id >> 6] |= 1 << UInt64(id & 63)
            if id > last { last = id }
            any = true
        }
        guard any else { return }
        deltas.removeAll(keepingCapacity: true)
        var previous = 0
        var first = true
        for w in 0...(last >> 6) {
            var word = bits[w]
            while word != 0 {
                let id = w << 6 | word.trailingZeroBitCount
                word &= word - 1
                if !first { deltas.append(UInt8(ascii: ".")) }
                var v = first ? id : id - previous
                var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0)
                var k = 0
                withUnsafeMutableBytes(of: &digits) { d in
                    repeat {
                        d[k] = Self.digits[v % 36]
                        v /= 36
                        k += 1
                    } while v > 0
                    while k > 0 {
                        k -= 1
                        deltas.append(d[k])
                    }
                }
                previous = id
                first = false
            }
        }
        let bitmapBytes = last / 8 + 1
        if 1 + (bitmapBytes + 2) / 3 * 4 < deltas.count {
            var bytes = [UInt8](repeating: 0, count: bitmapBytes)
            for i in 0..<bitmapBytes { bytes[i] = UInt8(truncatingIfNeeded: bits[i >> 3] >> UInt64((i & 7) * 8)) }
            out.append(UInt8(ascii: "="))
            out += Array(Data(bytes).base64EncodedString().utf8)
        } else {
            out += deltas
        }
        for w in 0...(last >> 6) { bits[w] = 0 }
    }
}
