import Foundation
import QuillTestSupport
import Testing
@testable import QuillCore

/// The scanner's fast paths (eight bytes at a time, capitalised words folded in one go) give the same words as the
/// plain byte-by-byte scanner they replaced, kept below as the oracle, on random text and HTML built to cross every
/// boundary: runs of 1–9, 63–65 and over 256 bytes, capitals inside words, apostrophes, references, tags with quoted
/// `>`, comments, scripts, letters beyond ASCII and CJK.
@Suite struct SearchWordsOracleTests {
    static let pieces: [String] = [
        "a", "the", "word", "Word", "WORD", "HTML", "x9", "42", "abcdefg", "abcdefgh", "abcdefghi", "Abcdefghijklmno",
        "don't", "l’été", "café", "Café", "ÅNGSTRÖM", "ﬁle", "中文", "タワー", "&amp;", "&#8217;", "&eacute;", "&bogus",
        "&#x4E2D;", "&", "'", "<p>", "</p>", "<em>", "<a href=\"x>y\" title='q'>", "<!-- hidden -->", "<script>s1</script>",
        "<style>p{}</style>", "<Sp>", " ", "  ", "\n", "\t", ",", ".", "-", "_", "é", "\u{301}",
        // Each byte just outside a range the 8-byte test checks: `/` and `:` by the digits, `@` and `[` by the
        // capitals, `` ` `` and `{` by the small letters, and DEL.
        "/", ":", "@", "[", "`", "{", "~", "\u{7F}", "09", "az", "AZ",
        // Tags and references as highlighted code has them, and cut short.
        "<span class=\"kd\">", "</span>", "&quot;", "&lt;", "&gt;", "&lT;", "&quox;", "&am;", "&#39;", "&nbsp;",
        "<a title=\"x", "<b title='y", "<p", "<span class=\"a'b\" data-x='c\"d'>",
        String(repeating: "b", count: 63), String(repeating: "c", count: 64), String(repeating: "d", count: 65),
        "E" + String(repeating: "e", count: 70), String(repeating: "f", count: 300), String(repeating: "G", count: 260),
    ]

    @Test func theFastScannerFindsTheWordsOfThePlainOne() {
        var rng = SplitMix(seed: 19)
        for round in 0..<3000 {
            var text = ""
            for _ in 0..<Int(rng.next() % 24) { text += Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
            for html in [false, true] {
                var fast = [String](), plain = [String]()
                SearchWords.scan(text, html: html) { fast.append(String(decoding: $0, as: UTF8.self)) }
                ReferenceSearchWords.scan(text, html: html) { plain.append(String(decoding: $0, as: UTF8.self)) }
                #expect(fast == plain, "round \(round), html \(html): \(text.debugDescription)")
                if fast != plain { return }
            }
        }
    }
}

// The scanner as it was before its fast paths (commit a49afe2), unchanged but for its name: the oracle.

/// The words of a text as the search index holds them (docs/search.md, "Words"): NFKD, combining marks dropped,
/// lower-cased, `ς` as `σ`, apostrophes dropped; runs of letters and digits; each Han, Hiragana or Katakana
/// character a word of its own; none over 64 bytes. The search page's script folds a query the same way.
///
/// Most text is ASCII, which is folded byte by byte; a word with any other character goes through Unicode's tables.
enum ReferenceSearchWords {
    static let maximumLength = 64

    /// Calls `word` with each word of `text`, in order (repeats included). With `html`, tags are skipped and
    /// character references decoded.
    static func scan(_ text: String, html: Bool, _ word: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { scan($0, html: html, word) }
    }

    private enum Class {
        static let separator: UInt8 = 0, keep: UInt8 = 1, upper: UInt8 = 2, apostrophe: UInt8 = 3, tag: UInt8 = 4,
                   reference: UInt8 = 5, beyondASCII: UInt8 = 6
    }

    /// What each byte is to the scanner.
    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: Class.separator, count: 256)
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = Class.keep }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = Class.keep }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = Class.upper }
        table[Int(UInt8(ascii: "'"))] = Class.apostrophe
        table[Int(UInt8(ascii: "<"))] = Class.tag
        table[Int(UInt8(ascii: "&"))] = Class.reference
        for b in 0x80...0xFF { table[b] = Class.beyondASCII }
        return table
    }()

    /// A run longer than this (before folding) is not a word the index keeps.
    static let longestRun = 256

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, html: Bool, _ word: (UnsafeBufferPointer<UInt8>) -> Void) {
        // Every variable of the loop is local to this closure, so that the compiler keeps them in registers.
        classes.withUnsafeBufferPointer { classes in withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longestRun + 8) { current in
            var length = 0
            var plain = true  // `current` is ASCII, already folded
            @inline(__always) func append(_ b: UInt8) {
                if length < longestRun { current[length] = b }
                length += 1
            }
            func flush() {
                if length > 0, length <= longestRun {
                    let run = UnsafeBufferPointer(rebasing: current[..<length])
                    if plain {
                        if length <= maximumLength { word(run) }
                    } else {
                        fold(run, word)
                    }
                }
                length = 0
                plain = true
            }
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                switch classes[Int(b)] {
                case Class.keep where length == 0:
                    // Most words: lower-case ASCII letters and digits up to a separator, passed as they are.
                    var j = i &+ 1
                    while j < n, classes[Int(bytes[j])] == Class.keep { j &+= 1 }
                    let next = j < n ? classes[Int(bytes[j])] : Class.separator
                    if next == Class.separator || next == Class.tag || (next == Class.reference && !html) {
                        if j - i <= maximumLength { word(UnsafeBufferPointer(rebasing: bytes[i..<j])) }
                    } else {  // the word goes on (a capital, an apostrophe, a reference, beyond ASCII)
                        for k in i..<j { append(bytes[k]) }
                    }
                    i = j
                case Class.keep:
                    append(b)
                    i += 1
                case Class.upper:
                    append(b | 0x20)
                    i += 1
                case Class.beyondASCII:
                    append(b)
                    plain = false
                    i += 1
                case Class.apostrophe:
                    i += 1
                case Class.tag where html:
                    flush()
                    i = skipTag(bytes, from: i)
                case Class.reference where html:
                    let (scalar, end) = reference(bytes, at: i)
                    i = end
                    guard let scalar else {
                        flush()
                        continue
                    }
                    if scalar.isASCII {
                        let v = UInt8(scalar.value)
                        switch classes[Int(v)] {
                        case Class.keep: append(v)
                        case Class.upper: append(v | 0x20)
                        case Class.apostrophe: break
                        default: flush()
                        }
                    } else {
                        for unit in String(Character(scalar)).utf8 { append(unit) }
                        plain = false
                    }
                default:  // a separator, and those after it
                    flush()
                    i &+= 1
                    while i < n, classes[Int(bytes[i])] == Class.separator { i &+= 1 }
                }
            }
            flush()
        } }
    }

    /// The words of a run of bytes with characters beyond ASCII in it (and no ASCII separator).
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, _ word: (UnsafeBufferPointer<UInt8>) -> Void) {
        let decomposed = String(decoding: bytes, as: UTF8.self).decomposedStringWithCompatibilityMapping
        var out = [UInt8]()
        func flush() {
            if !out.isEmpty, out.count <= maximumLength { out.withUnsafeBufferPointer { word($0) } }
            out.removeAll(keepingCapacity: true)
        }
        for scalar in decomposed.unicodeScalars {
            let v = scalar.value
            if v == 0x27 || v == 0x2019 { continue }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber:
                if isCJK(v) {
                    flush()
                    out.append(contentsOf: String(scalar).utf8)
                    flush()
                } else if v < 0x80 {
                    out.append(v >= 0x41 && v <= 0x5A ? UInt8(v) + 32 : UInt8(v))
                } else {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                        out.append(contentsOf: String(lower.value == 0x3C2 ? "σ" : Character(lower)).utf8)
                    }
                }
            default: flush()
            }
        }
        flush()
    }

    /// Han, Hiragana and Katakana: each character is a word.
    static func isCJK(_ v: UInt32) -> Bool {
        (0x3040...0x30FF).contains(v) || (0x31F0...0x31FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v) || (0x20000...0x2FA1F).contains(v)
    }

    /// The index after a tag starting at `start` (`<`); a comment or a `<script>`/`<style>` element is skipped whole.
    private static func skipTag(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = bytes.count
        func matches(_ s: StaticString, at i: Int) -> Bool {
            let count = s.utf8CodeUnitCount
            guard i + count <= n else { return false }
            for k in 0..<count where bytes[i + k] | 0x20 != s.utf8Start[k] | 0x20 { return false }
            return true
        }
        func find(_ s: StaticString, from i: Int) -> Int {
            var j = i
            while j < n {
                if bytes[j] == s.utf8Start[0], matches(s, at: j) { return j + s.utf8CodeUnitCount }
                j += 1
            }
            return n
        }
        let second = start + 1 < n ? bytes[start + 1] | 0x20 : 0  // only `<!` and `<s` need a closer look
        if second == UInt8(ascii: "!"), matches("<!--", at: start) { return find("-->", from: start + 4) }
        var i = start + 1
        var quote: UInt8 = 0
        while i < n {
            let b = bytes[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                break
            }
            i += 1
        }
        let end = min(i + 1, n)
        guard second == UInt8(ascii: "s") else { return end }
        if matches("<script", at: start) { return find("</script>", from: end) }
        if matches("<style", at: start) { return find("</style>", from: end) }
        return end
    }

    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "rsquo": "\u{2019}",
        "lsquo": "\u{2018}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "mdash": "\u{2014}", "ndash": "\u{2013}",
        "hellip": "\u{2026}",
    ]

    /// The character a reference at `start` (`&`) stands for, and the index after it; nil for a lone `&`.
    private static func reference(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (Unicode.Scalar?, Int) {
        let n = bytes.count
        var i = start + 1
        while i < n, i - start <= 32, bytes[i] != UInt8(ascii: ";"),
              (bytes[i] | 0x20 >= UInt8(ascii: "a") && bytes[i] | 0x20 <= UInt8(ascii: "z"))
                || (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) || bytes[i] == UInt8(ascii: "#") {
            i += 1
        }
        guard i < n, bytes[i] == UInt8(ascii: ";"), i > start + 1 else { return (nil, start + 1) }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<i]), as: UTF8.self)
        let scalar: Unicode.Scalar?
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
        } else if name.hasPrefix("#") {
            scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
        } else {
            scalar = named[name] ?? " "
        }
        return (scalar, i + 1)
    }
}

/// The table the words are gathered in: one number per distinct word, whatever the length (short keys that share
/// bytes, as `abcd` and `abcdabcd` do, words of one byte and of many), the same number again for a word seen before,
/// and the words in byte order.
@Suite struct WordTableTests {
    @Test func eachDistinctWordHasOneNumberAndTheOrderIsByBytes() {
        var rng = SplitMix(seed: 7)
        let letters = Array("abcd\u{7F}\u{80}\u{FF}".utf8) + [1]
        var words = [[UInt8]]()
        for _ in 0..<4000 {
            let length = 1 + Int(rng.next() % 20)
            words.append((0..<length).map { _ in letters[Int(rng.next() % UInt64(letters.count))] })
        }
        words += [Array("abcd".utf8), Array("abcdabcd".utf8), Array("abcdabcda".utf8), Array("a".utf8), Array("aa".utf8)]
        var table = WordTable(capacity: 16)
        var numbers = [[UInt8]: Int]()
        for _ in 0..<2 {
            for word in words {
                let n = word.withUnsafeBufferPointer { table.add($0) }
                if let seen = numbers[word] {
                    #expect(n == seen, "\(word) numbered \(n), then \(seen)")
                } else {
                    #expect(n == numbers.count, "a new word takes the next number")
                    numbers[word] = n
                }
            }
        }
        #expect(table.count == numbers.count)
        for (word, n) in numbers { #expect(Array(table.word(n)) == word) }
        let sorted = numbers.keys.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(table.sortedOrder().map { Array(table.word($0)) } == sorted)
    }
}

/// A set of document ids is written as base-36 differences or as a base64 bitmap, whichever is shorter, from
/// postings in any order and with any fields: few ids (sorted) and many (through the bitmap) alike.
@Suite struct SetEncoderTests {
    static func expected(_ ids: [Int]) -> String {
        let deltas = ids.indices.map { String($0 == 0 ? ids[0] : ids[$0] - ids[$0 - 1], radix: 36) }
            .joined(separator: ".")
        var bytes = [UInt8](repeating: 0, count: ids.last! / 8 + 1)
        for id in ids { bytes[id / 8] |= 1 << UInt8(id % 8) }
        let bitmap = "=" + Data(bytes).base64EncodedString()
        return bitmap.count < deltas.count ? bitmap : deltas
    }

    @Test func setsAreTheShorterOfDifferencesAndABitmap() {
        var rng = SplitMix(seed: 36)
        let documents = 5000
        var encoder = SetEncoder(documents: documents)
        for round in 0..<400 {
            let size = [1, 2, 5, 31, 32, 33, 100, 900, 4000][round % 9]
            var postings = (0..<size).map { _ in UInt32(rng.next() % UInt64(documents)) << 3 | UInt32(1 + rng.next() % 7) }
            postings.shuffle(using: &rng)
            for mask in [UInt32(1), 2, 4] {
                var out = [UInt8]()
                encoder.encode(postings[...], mask: mask, into: &out)
                let ids = Set(postings.filter { $0 & mask != 0 }.map { Int($0 >> 3) }).sorted()
                let text = String(decoding: out, as: UTF8.self)
                #expect(text == (ids.isEmpty ? "" : Self.expected(ids)), "round \(round), mask \(mask)")
                #expect(SearchFiles.decodeSet(text) == ids.map(UInt32.init))
            }
        }
    }
}
