import Foundation
import QuillGraph

/// The search index's parts, from the documents to the files the search page reads (docs/search.md, "Files" and
/// "How a build makes it").
///
/// Documents' words are gathered in groups of about 24 documents (`SearchGroup`), so that an edit reads again only
/// the edited one's group, and split into 32 parts by first byte (`SearchPart`, kept in the state); each partition
/// (`SearchPartition`) merges its part of every group, so that an edit merges again only the partitions whose words
/// it touched; the shards are cut from the partitions (`SearchFiles`), and only those whose bytes changed are written.
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

/// One post or page as the index reads it: where it is, what a result shows, and the texts of its fields.
struct SearchSource {
    var key: String, url: String, title: String, date: String
    var fields: [(SearchField, String, html: Bool)]
}

/// Words are split among partitions by their first byte, so that an edit merges again only the partitions whose
/// words it touched. Every word of a shard is in one partition (keys start with a character, and a character's
/// bytes start with one byte), except for the shard with the empty key.
///
/// Each of `a` … `z` has a partition of its own (with 16 by the low four bits, `c` and `s` shared one, and an edit
/// touching either merged both again); digits share three, and every other first byte (the lead bytes of accented
/// letters and CJK) the last three.
enum SearchPartitions {
    static let count = 32

    @inline(__always) static func of(_ firstByte: UInt8) -> Int {
        switch firstByte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(firstByte &- UInt8(ascii: "a"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 26 + Int(firstByte &- UInt8(ascii: "0")) % 3
        default: return 29 + Int(firstByte % 3)
        }
    }
}

/// About 24 documents' words, gathered in one table as they are read, each with the fields it is in for each
/// document; split by partition. Made again from the posts when one of them changes (not kept: its parts are).
struct SearchGroup: GraphValue {
    struct Doc: Equatable {
        var key: String, url: String, title: String, date: String
    }

    /// Sorted by key; only documents in the index.
    var docs: [Doc] = []
    var parts: [SearchPart] = Array(repeating: SearchPart(), count: SearchPartitions.count)

    init() {}

    /// The group of `sources` (sorted by key).
    init(_ sources: [SearchSource]) {
        var table = WordTable(capacity: 2048)
        var seen = [UInt64]()  // by word: (the last document it was seen in + 1) << 32 | its pair's index in `pairs`
        var pairs = [UInt64]()  // word << 32 | posting
        for source in sources {
            let n = docs.count
            let doc = UInt64(n + 1) << 32
            docs.append(Doc(key: source.key, url: source.url, title: source.title, date: source.date))
            for (field, text, html) in source.fields {
                let posting = UInt64(n << 3) | UInt64(field.mask)
                SearchWords.scan(text, html: html) { bytes in
                    let w = table.add(bytes)
                    if w == seen.count {
                        seen.append(doc | UInt64(pairs.count))
                        pairs.append(UInt64(w) << 32 | posting)
                    } else if seen[w] & 0xFFFF_FFFF_0000_0000 == doc {
                        pairs[Int(seen[w] & 0xFFFF_FFFF)] |= posting
                    } else {
                        seen[w] = doc | UInt64(pairs.count)
                        pairs.append(UInt64(w) << 32 | posting)
                    }
                }
            }
        }
        // Each word's postings, by a counting sort of the pairs (documents in order, so postings are too).
        var counts = [Int](repeating: 0, count: table.count + 1)
        for pair in pairs { counts[Int(pair >> 32) + 1] += 1 }
        for i in 0..<table.count { counts[i + 1] += counts[i] }
        var fill = counts
        var postings = [UInt32](repeating: 0, count: pairs.count)
        for pair in pairs {
            postings[fill[Int(pair >> 32)]] = UInt32(truncatingIfNeeded: pair)
            fill[Int(pair >> 32)] += 1
        }
        // Each word, in the order it came, into its partition's part.
        for w in 0..<table.count {
            let word = table.word(w)
            let p = SearchPartitions.of(word.first!)
            parts[p].words.append(contentsOf: word)
            parts[p].words.append(0)
            parts[p].postings.append(contentsOf: postings[counts[w]..<counts[w + 1]])
            parts[p].starts.append(UInt32(parts[p].postings.count))
        }
    }

    func encode(to w: inout BinaryWriter) {
        Self.encode(docs, to: &w)
        for part in parts { part.encode(to: &w) }
    }

    init(from r: inout BinaryReader) throws {
        docs = try Self.decodeDocs(&r)
        parts = try (0..<SearchPartitions.count).map { _ in try SearchPart(from: &r) }
    }

    static func encode(_ docs: [Doc], to w: inout BinaryWriter) {
        w.write(UInt64(docs.count))
        for d in docs {
            w.write(d.key)
            w.write(d.url)
            w.write(d.title)
            w.write(d.date)
        }
    }

    static func decodeDocs(_ r: inout BinaryReader) throws -> [Doc] {
        try (0..<(try r.readVarint())).map { _ in
            Doc(key: try r.readString(), url: try r.readString(), title: try r.readString(), date: try r.readString())
        }
    }
}

/// A group's documents as the index lists them (kept).
struct SearchDocList: GraphValue, Equatable {
    var docs: [SearchGroup.Doc]

    init(_ docs: [SearchGroup.Doc]) { self.docs = docs }

    func encode(to w: inout BinaryWriter) { SearchGroup.encode(docs, to: &w) }

    init(from r: inout BinaryReader) throws { docs = try SearchGroup.decodeDocs(&r) }
}

/// A group's words of one partition (kept: a partition is merged again from its parts alone).
struct SearchPart: GraphValue, Equatable {
    /// The distinct words in the order they came, each followed by a 0 byte.
    var words: [UInt8] = []
    /// For word `w`: `postings[starts[w]..<starts[w + 1]]`, each `doc index << 3 | fields`, by doc index (the
    /// index in the group's documents).
    var starts: [UInt32] = [0]
    var postings: [UInt32] = []

    init() {}

    var wordCount: Int { starts.count - 1 }

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(words.count))
        w.write(raw: words)
        w.write(UInt64(wordCount))
        for i in 0..<wordCount { w.write(UInt64(starts[i + 1] - starts[i])) }
        // Postings are small (a group's doc index and three bits): one byte each in a group of up to 32 documents,
        // else two, four should a group be huge.
        let largest = postings.max() ?? 0
        let width = largest <= 0xFF ? 1 : largest <= 0xFFFF ? 2 : 4
        w.write(UInt64(width))
        w.write(UInt64(postings.count))
        var bytes = [UInt8](repeating: 0, count: postings.count * width)
        for (i, p) in postings.enumerated() {
            for k in 0..<width { bytes[i * width + k] = UInt8(truncatingIfNeeded: p >> (8 * k)) }
        }
        w.write(raw: bytes)
    }

    init(from r: inout BinaryReader) throws {
        words = Array(try r.readRaw(Int(try r.readVarint())))
        let wordCount = Int(try r.readVarint())
        guard wordCount <= words.count else { throw BinaryReader.Malformed() }
        starts = [0]
        starts.reserveCapacity(wordCount + 1)
        for _ in 0..<wordCount { starts.append(starts[starts.count - 1] + UInt32(try r.readVarint())) }
        let width = Int(try r.readVarint())
        let total = Int(try r.readVarint())
        guard width == 1 || width == 2 || width == 4, total == Int(starts[wordCount]), total <= 1 << 28 else {
            throw BinaryReader.Malformed()
        }
        let raw = try r.readRaw(total * width)
        switch width {
        case 1: postings = raw.map { UInt32($0) }
        case 2: postings = (0..<total).map { UInt32(raw[2 * $0]) | UInt32(raw[2 * $0 + 1]) << 8 }
        default: postings = (0..<total).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian }
        }
    }
}

/// One partition of the index: its words in byte order, each with its entry (`["word","T","G","B"]`), merged from
/// every group's part (kept: the shards are cut from it).
struct SearchPartition: GraphValue, Equatable {
    /// The words, each followed by a 0 byte; word `n` starts at `wordStarts[n]`.
    var words: [UInt8] = []
    var wordStarts: [UInt32] = [0]
    /// The entries, one after another; entry `n` is `entries[entryStarts[n]..<entryStarts[n + 1]]`.
    var entries: [UInt8] = []
    var entryStarts: [UInt32] = [0]

    init() {}

    var count: Int { wordStarts.count - 1 }

    func word(_ n: Int) -> ArraySlice<UInt8> { words[Int(wordStarts[n])..<Int(wordStarts[n + 1]) - 1] }
    func entry(_ n: Int) -> ArraySlice<UInt8> { entries[Int(entryStarts[n])..<Int(entryStarts[n + 1])] }

    /// The partition of `parts`, each with the index ids of its group's documents.
    init(_ parts: [(ids: [UInt32], part: SearchPart)]) {
        var table = WordTable(capacity: 4096)
        var pairs = [(word: Int32, posting: UInt32)]()
        pairs.reserveCapacity(parts.reduce(0) { $0 + $1.part.postings.count })
        var documents = 0
        for (ids, part) in parts {
            if let last = ids.max() { documents = max(documents, Int(last) + 1) }
            part.words.withUnsafeBufferPointer { words in
                var start = 0
                for w in 0..<part.wordCount {
                    var end = start
                    while words[end] != 0 { end += 1 }
                    let word = Int32(table.add(UnsafeBufferPointer(rebasing: words[start..<end])))
                    start = end + 1
                    for p in part.postings[Int(part.starts[w])..<Int(part.starts[w + 1])] where Int(p >> 3) < ids.count {
                        pairs.append((word, ids[Int(p >> 3)] << 3 | (p & 7)))
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
        var sets = SetEncoder(documents: documents)
        words.reserveCapacity(table.arena.count + table.count)
        for n in table.sortedOrder() where counts[n + 1] > counts[n] {
            let word = table.word(n)
            words += word
            words.append(0)
            wordStarts.append(UInt32(words.count))
            entries.append(UInt8(ascii: "["))
            entries.append(UInt8(ascii: "\""))
            entries += word
            entries.append(UInt8(ascii: "\""))
            var mask: UInt32 = 1
            while mask <= 4 {  // title, tags, body
                entries.append(UInt8(ascii: ","))
                entries.append(UInt8(ascii: "\""))
                sets.encode(postings[counts[n]..<counts[n + 1]], mask: mask, into: &entries)
                entries.append(UInt8(ascii: "\""))
                mask <<= 1
            }
            entries.append(UInt8(ascii: "]"))
            entryStarts.append(UInt32(entries.count))
        }
    }

    /// The range of the words with `prefix`.
    func range(of prefix: [UInt8]) -> Range<Int> {
        func lowerBound(_ below: (ArraySlice<UInt8>) -> Bool) -> Int {
            var (lo, hi) = (0, count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if below(word(mid)) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        let lower = lowerBound { $0.lexicographicallyPrecedes(prefix) }
        let upper = lowerBound { $0.lexicographicallyPrecedes(prefix) || $0.starts(with: prefix) }
        return lower..<upper
    }

    private static func write(_ array: [UInt32], _ w: inout BinaryWriter) {
        w.write(UInt64(array.count))
        array.withUnsafeBytes { w.write(raw: $0) }
    }

    private static func read(_ r: inout BinaryReader) throws -> [UInt32] {
        let count = Int(try r.readVarint())
        guard count <= 1 << 28 else { throw BinaryReader.Malformed() }
        let raw = try r.readRaw(count * 4)
        return (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
    }

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(words.count))
        w.write(raw: words)
        Self.write(wordStarts, &w)
        w.write(UInt64(entries.count))
        w.write(raw: entries)
        Self.write(entryStarts, &w)
    }

    init(from r: inout BinaryReader) throws {
        words = Array(try r.readRaw(Int(try r.readVarint())))
        wordStarts = try Self.read(&r)
        entries = Array(try r.readRaw(Int(try r.readVarint())))
        entryStarts = try Self.read(&r)
        guard wordStarts.count == entryStarts.count, wordStarts.last.map({ Int($0) == words.count }) ?? false,
              entryStarts.last.map({ Int($0) == entries.count }) ?? false else { throw BinaryReader.Malformed() }
    }
}

/// The files of the search index: the manifest, the shards by key, and the lists of documents; the pieces that
/// cut them from the partitions, and (for tests) the whole index made in memory.
struct SearchFiles {
    static let formatVersion = 1
    /// Documents per `d-N.json`.
    static let chunk = 32
    /// A shard over this many bytes is split by the next character of its words, where it can be.
    static let shardBudget = 16_000

    var manifest = Data()
    /// Sorted by key (byte order).
    var shards: [(key: String, bytes: Data)] = []
    var docLists: [Data] = []

    static func shardFile(_ key: String) -> String {
        "t-" + key.utf8.map { String(format: "%02x", $0) }.joined() + ".json"
    }

    /// The whole index of `sources`, in groups of 24, made in memory as the build makes it in nodes; documents
    /// numbered in `order` (keys).
    init(sources: [SearchSource], order: [String], fields: [SearchField], budget: Int = shardBudget) {
        let groups = stride(from: 0, to: sources.count, by: 24).map {
            SearchGroup(Array(sources[$0..<min($0 + 24, sources.count)]).sorted { $0.key < $1.key })
        }
        let (ids, documents) = Self.ids(groups: groups.map(\.docs), order: order)
        let partitions = (0..<SearchPartitions.count).map { p in
            SearchPartition(groups.indices.map { (ids[$0], groups[$0].parts[p]) })
        }
        let keys = Self.layout(partitions, budget: budget)
        shards = keys.map { ($0, Self.shard($0, keys: keys, partitions: partitions)) }
        docLists = Self.docLists(groups: groups.map(\.docs), ids: ids, documents: documents)
        manifest = Self.manifest(keys: keys, documents: documents, fields: fields)
    }

    /// Each group's documents' ids (their place in `order` among the documents in the index), and how many.
    static func ids(groups: [[SearchGroup.Doc]], order: [String]) -> (ids: [[UInt32]], documents: Int) {
        var present = Set<String>()
        for group in groups { for doc in group { present.insert(doc.key) } }
        var idOf = [String: UInt32]()
        idOf.reserveCapacity(present.count)
        for key in order where present.contains(key) { idOf[key] = UInt32(idOf.count) }
        // A document in no order (cannot happen in a build) takes no id: its postings are left out.
        return (groups.map { $0.compactMap { idOf[$0.key] } }, idOf.count)
    }

    static func docLists(groups: [[SearchGroup.Doc]], ids: [[UInt32]], documents: Int) -> [Data] {
        var docs = [SearchGroup.Doc?](repeating: nil, count: documents)
        for (group, groupIDs) in zip(groups, ids) { for (doc, id) in zip(group, groupIDs) { docs[Int(id)] = doc } }
        var lists = [Data]()
        for first in stride(from: 0, to: documents, by: chunk) {
            var json: [UInt8] = [UInt8(ascii: "[")]
            for id in first..<min(first + chunk, documents) {
                guard let doc = docs[id] else { continue }
                if id > first { json += [UInt8(ascii: ","), UInt8(ascii: "\n")] }
                json.append(UInt8(ascii: "["))
                json += JSONText.string(doc.url).utf8
                json.append(UInt8(ascii: ","))
                json += JSONText.string(doc.title).utf8
                json += [UInt8(ascii: ","), UInt8(ascii: "\"")]
                json += doc.date.utf8  // digits and dashes
                json += [UInt8(ascii: "\""), UInt8(ascii: "]")]
            }
            json += [UInt8(ascii: "]"), UInt8(ascii: "\n")]
            lists.append(Data(json))
        }
        return lists
    }

    static func manifest(keys: [String], documents: Int, fields: [SearchField]) -> Data {
        var manifest = "{\"version\":\(formatVersion),\"docs\":\(documents),\"chunk\":\(chunk),\"fields\":["
        manifest += fields.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "],\"shards\":["
        // Keys only, not sizes: an edit that changes a shard leaves the manifest as it was.
        manifest += keys.map { JSONText.string($0) }.joined(separator: ",")
        return Data((manifest + "]}\n").utf8)
    }

    /// Every word of the partitions in byte order: (partition, word number).
    static func inOrder(_ partitions: [SearchPartition]) -> [(p: Int, n: Int)] {
        var next = [Int](repeating: 0, count: partitions.count)
        var all = [(p: Int, n: Int)]()
        all.reserveCapacity(partitions.reduce(0) { $0 + $1.count })
        for first in 0...255 {  // a partition's words are sorted, so those of one first byte are together
            let p = SearchPartitions.of(UInt8(first))
            guard p < partitions.count else { continue }
            let partition = partitions[p]
            while next[p] < partition.count, partition.words[Int(partition.wordStarts[next[p]])] == UInt8(first) {
                all.append((p, next[p]))
                next[p] += 1
            }
        }
        return all
    }

    /// Shard keys for the words of `partitions`: a prefix whose words' entries exceed the budget gives its largest
    /// groups of words (by the next character) keys of their own, until what stays is within it.
    static func layout(_ partitions: [SearchPartition], budget: Int = shardBudget) -> [String] {
        let order = inOrder(partitions)
        var keys = [String]()
        func size(_ i: Int) -> Int {
            let (p, n) = order[i]
            return Int(partitions[p].entryStarts[n + 1] - partitions[p].entryStarts[n]) + 1
        }
        func word(_ i: Int) -> ArraySlice<UInt8> { partitions[order[i].p].word(order[i].n) }
        func split(_ prefix: ArraySlice<UInt8>, _ range: Range<Int>) {
            let total = range.reduce(0) { $0 + size($1) }
            guard total > budget else {
                if !range.isEmpty { keys.append(String(decoding: prefix, as: UTF8.self)) }
                return
            }
            // Children by the next character.
            var children = [(key: ArraySlice<UInt8>, range: Range<Int>, size: Int)]()
            var i = range.lowerBound
            while i < range.upperBound {
                let bytes = word(i)
                guard bytes.count > prefix.count else {
                    i += 1
                    continue
                }
                var next = bytes.startIndex + prefix.count + 1
                while next < bytes.endIndex, bytes[next] & 0xC0 == 0x80 { next += 1 }
                let key = bytes[..<next]
                var j = i
                var childSize = 0
                while j < range.upperBound, word(j).starts(with: key) {
                    childSize += size(j)
                    j += 1
                }
                children.append((key, i..<j, childSize))
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
        split([], 0..<order.count)
        return keys.sorted(by: SearchBytes.less)
    }

    /// The partitions a shard's words are in: its first byte's, or every one for the empty key.
    static func partitions(of key: String) -> [Int] {
        guard let first = key.utf8.first else { return Array(0..<SearchPartitions.count) }
        return [SearchPartitions.of(first)]
    }

    /// The shard `key` of the index whose shards are `keys` (sorted): the words it is the longest key prefixing,
    /// from `partitions` (indexed by partition; only those `partitions(of: key)` names are read).
    static func shard(_ key: String, keys: [String], partitions: [Int: SearchPartition]) -> Data {
        let prefix = Array(key.utf8)
        // Keys under this one take their words away from it: in byte order, they come right after it.
        var deeper = [[UInt8]]()
        var (lo, hi) = (0, keys.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if SearchBytes.less(keys[mid], key) { lo = mid + 1 } else { hi = mid }
        }
        if lo < keys.count, keys[lo] == key { lo += 1 }
        while lo < keys.count, keys[lo].utf8.starts(with: prefix.isEmpty ? [] : prefix) {
            deeper.append(Array(keys[lo].utf8))
            lo += 1
        }
        var picked = [(p: Int, n: Int)]()
        for p in Self.partitions(of: key) {
            guard let partition = partitions[p] else { continue }
            var taken = [Range<Int>]()
            for k in deeper where SearchPartitions.of(k[0]) == p { taken.append(partition.range(of: k)) }
            taken.sort { $0.lowerBound < $1.lowerBound }
            var t = 0
            let range = prefix.isEmpty ? 0..<partition.count : partition.range(of: prefix)
            var n = range.lowerBound
            let end = range.upperBound
            while n < end {
                while t < taken.count, taken[t].upperBound <= n { t += 1 }
                if t < taken.count, taken[t].contains(n) {
                    n = taken[t].upperBound
                    continue
                }
                picked.append((p, n))
                n += 1
            }
        }
        if prefix.isEmpty {
            picked.sort { partitions[$0.p]!.word($0.n).lexicographicallyPrecedes(partitions[$1.p]!.word($1.n)) }
        }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, (p, n)) in picked.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += partitions[p]!.entry(n)
        }
        out += Array("]\n".utf8)
        return Data(out)
    }

    static func shard(_ key: String, keys: [String], partitions: [SearchPartition]) -> Data {
        shard(key, keys: keys, partitions: Dictionary(uniqueKeysWithValues: partitions.enumerated().map { ($0, $1) }))
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
}

/// Encodes sets of document ids, from postings (`id << 3 | fields`) in any order: a few ids are sorted, many go
/// through one bitmap, reused, and only the part of it they span is read and cleared.
struct SetEncoder {
    private var bits: [UInt64]
    private var ids = [Int]()
    private var deltas = [UInt8]()

    init(documents: Int) { bits = [UInt64](repeating: 0, count: documents / 64 + 1) }

    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// The ids of the postings with `mask`, as a bitmap (`=` and base64) or base-36 differences, whichever is
    /// shorter (a tie: the differences).
    mutating func encode(_ postings: ArraySlice<UInt32>, mask: UInt32, into out: inout [UInt8]) {
        ids.removeAll(keepingCapacity: true)
        for p in postings where p & mask != 0 { ids.append(Int(p >> 3)) }
        guard !ids.isEmpty else { return }
        if ids.count <= 32 {
            ids.sort()
        } else {  // in order through the bitmap, which also drops a repeated id
            var (low, high) = (Int.max, 0)
            for id in ids {
                bits[id >> 6] |= 1 << UInt64(id & 63)
                (low, high) = (min(low, id >> 6), max(high, id >> 6))
            }
            ids.removeAll(keepingCapacity: true)
            for w in low...high {
                var word = bits[w]
                bits[w] = 0
                while word != 0 {
                    ids.append(w << 6 | word.trailingZeroBitCount)
                    word &= word - 1
                }
            }
        }
        deltas.removeAll(keepingCapacity: true)
        var previous = -1
        for id in ids where id != previous {
            if previous >= 0 { deltas.append(UInt8(ascii: ".")) }
            var v = previous < 0 ? id : id - previous
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
        }
        let bitmapBytes = previous / 8 + 1
        if 1 + (bitmapBytes + 2) / 3 * 4 < deltas.count {
            var bytes = [UInt8](repeating: 0, count: bitmapBytes)
            for id in ids { bytes[id >> 3] |= 1 << UInt8(id & 7) }
            out.append(UInt8(ascii: "="))
            out += Array(Data(bytes).base64EncodedString().utf8)
        } else {
            out += deltas
        }
    }
}
