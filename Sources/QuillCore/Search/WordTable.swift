/// Distinct byte strings in an arena, each with a number (its order of arrival): what a group's and a partition's
/// words are gathered in. Open addressing; a slot holds the hash's high half beside the word's number, and each word
/// has its length and a key of its first bytes beside where it starts, so that most probes are settled by one slot
/// and one entry, without reading the arena (words of up to 8 bytes, most of them, never read it).
struct WordTable {
    private(set) var arena: [UInt8] = []

    private struct Entry {
        /// `key(_:_:)`: for a word of up to 8 bytes, all of it.
        var key: UInt64
        var start: Int32
        var length: Int32
    }

    private var entries: [Entry] = []
    /// The last word of up to 8 bytes seen at each of 256 places (by the hash's top byte): key, and length << 32 |
    /// number + 1. Text repeats a few words most of the time, and this small table stays in the nearest cache.
    private var recent = [UInt64](repeating: 0, count: 512)
    private var hashes: [UInt64] = []
    /// 0 for a free slot, else the hash's high 32 bits and the word's number + 1.
    private var table: [UInt64]

    init(capacity: Int = 512) {
        var size = 64
        while size < capacity * 2 { size *= 2 }
        table = [UInt64](repeating: 0, count: size)
        entries.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    var count: Int { entries.count }

    /// Up to 8 bytes, read without reading past them: three bytes that cover a word of 1–3, two overlapping
    /// 4-byte loads for 4–8, the first 8 for longer words. With the length, it is the whole word up to 8 bytes.
    @inline(__always) private static func key(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        if count >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        if count >= 4 {
            return UInt64(raw.loadUnaligned(as: UInt32.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
        }
        return UInt64(p[0]) | UInt64(p[count >> 1]) << 8 | UInt64(p[count - 1]) << 16
    }

    @inline(__always) private static func hash(_ key: UInt64, _ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h = (key ^ UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
        if count > 8 {  // the rest, 8 bytes at a time, the last load overlapping
            let raw = UnsafeRawPointer(p)
            var i = 8
            while i < count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: min(i, count - 8), as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
                h ^= h >> 32
                i += 8
            }
        }
        return h ^ (h >> 29)
    }

    /// The number of `word`, added if new (`word` is not empty).
    @discardableResult @inline(__always)
    mutating func add(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        let count = word.count
        let p = word.baseAddress!
        let key = Self.key(p, count)
        let h = Self.hash(key, p, count)
        let r = Int(truncatingIfNeeded: h >> 56) &* 2
        if count <= 8, recent[r] == key, recent[r &+ 1] >> 32 == UInt64(truncatingIfNeeded: count) {
            return Int(truncatingIfNeeded: recent[r &+ 1] & 0xFFFF_FFFF) &- 1
        }
        let n = find(key, h, word)
        if count <= 8 {
            recent[r] = key
            recent[r &+ 1] = UInt64(truncatingIfNeeded: count) << 32 | UInt64(truncatingIfNeeded: n &+ 1)
        }
        return n
    }

    /// The number of `word` (whose key and hash are given), added if new.
    @inline(__always)
    private mutating func find(_ key: UInt64, _ h: UInt64, _ word: UnsafeBufferPointer<UInt8>) -> Int {
        let count = word.count
        let tag = h & 0xFFFF_FFFF_0000_0000
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let n = Int(entry & 0xFFFF_FFFF) - 1
                let e = entries[n]
                if e.key == key, Int(e.length) == count, count <= 8 || sameTail(Int(e.start), word) { return n }
            }
            slot = (slot + 1) & mask
        }
        let n = entries.count
        table[slot] = tag | UInt64(n + 1)
        entries.append(Entry(key: key, start: Int32(arena.count), length: Int32(count)))
        arena.append(contentsOf: word)
        hashes.append(h)
        if entries.count * 2 > table.count { grow() }
        return n
    }

    /// Whether the word at `start` in the arena, of `word`'s length and first 8 bytes, is `word`.
    private func sameTail(_ start: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            var i = 8
            while i < word.count {
                if a[start + i] != word[i] { return false }
                i &+= 1
            }
            return true
        }
    }

    private mutating func grow() {
        table = [UInt64](repeating: 0, count: table.count * 2)
        let mask = table.count - 1
        for (n, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = h & 0xFFFF_FFFF_0000_0000 | UInt64(n + 1)
        }
    }

    func word(_ n: Int) -> ArraySlice<UInt8> {
        let e = entries[n]
        return arena[Int(e.start)..<Int(e.start + e.length)]
    }

    /// The numbers of the words in byte order: by their first 8 bytes as one big-endian number (zeros after a
    /// shorter word), which settles most comparisons, then by all their bytes.
    func sortedOrder() -> [Int] {
        arena.withUnsafeBufferPointer { a in
            entries.withUnsafeBufferPointer { e in
                func bytes(_ n: Int) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: a[Int(e[n].start)..<Int(e[n].start + e[n].length)])
                }
                var order = (0..<count).map { n -> (prefix: UInt64, n: Int) in
                    var prefix: UInt64 = 0
                    for (k, byte) in bytes(n).prefix(8).enumerated() { prefix |= UInt64(byte) << UInt64(56 - 8 * k) }
                    return (prefix, n)
                }
                order.sort { x, y in
                    x.prefix != y.prefix ? x.prefix < y.prefix : SearchBytes.less(bytes(x.n), bytes(y.n))
                }
                return order.map(\.n)
            }
        }
    }
}
