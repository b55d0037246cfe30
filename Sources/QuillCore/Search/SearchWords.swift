import Foundation

/// The words of a text as the search index holds them (docs/search.md, "Words"): NFKD, combining marks dropped,
/// lower-cased, `ς` as `σ`, apostrophes dropped; runs of letters and digits; each Han, Hiragana or Katakana
/// character a word of its own; none over 64 bytes. The search page's script folds a query the same way.
///
/// Most text is ASCII, which is folded byte by byte; a word with any other character goes through Unicode's tables.
enum SearchWords {
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
                    var j = endOfLowerRun(bytes, from: i &+ 1)
                    while j < n, classes[Int(bytes[j])] == Class.keep { j &+= 1 }
                    let next = j < n ? classes[Int(bytes[j])] : Class.separator
                    if next == Class.separator || next == Class.tag || (next == Class.reference && !html) {
                        if j - i <= maximumLength { word(UnsafeBufferPointer(rebasing: bytes[i..<j])) }
                    } else {  // the word goes on (a capital, an apostrophe, a reference, beyond ASCII)
                        for k in i..<j { append(bytes[k]) }
                    }
                    i = j
                case Class.upper where length == 0:
                    // A capital and lower-case letters or digits up to a separator (a sentence's first word),
                    // folded into `current` in one go.
                    current[0] = b | 0x20
                    var j = min(endOfLowerRun(bytes, from: i &+ 1), i &+ longestRun)
                    if j > i &+ 1 {
                        (current.baseAddress! + 1).update(from: bytes.baseAddress! + i + 1, count: j - i - 1)
                    }
                    while j < n, j - i < longestRun {
                        let c = classes[Int(bytes[j])]
                        if c == Class.keep {
                            current[j - i] = bytes[j]
                        } else if c == Class.upper {
                            current[j - i] = bytes[j] | 0x20
                        } else {
                            break
                        }
                        j &+= 1
                    }
                    length = j - i
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

    /// Where the run of lower-case ASCII letters and digits from `start` ends, eight bytes at a time while eight are
    /// left (the caller finishes the last few byte by byte): a word ends in the first eight bytes for most words,
    /// found without a branch per byte.
    @inline(__always)
    static func endOfLowerRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let high: UInt64 = 0x8080_8080_8080_8080
        let base = UnsafeRawPointer(bytes.baseAddress!)
        var i = start
        while i &+ 8 <= bytes.count {
            let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let low = x & ~high  // each byte's low 7 bits: adding below 0x81 carries into its own top bit only
            let lower = (low &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(low &+ 0x0505_0505_0505_0505)  // 0x61...0x7A
            let digit = (low &+ 0x5050_5050_5050_5050) & ~(low &+ 0x4646_4646_4646_4646)  // 0x30...0x39
            let other = ~(lower | digit) & high | x & high  // not a letter or digit, or beyond ASCII
            if other != 0 { return i &+ other.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        return i
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
        // The tag ends at the first `>` outside quotes: from quote to quote, eight bytes at a time.
        var i = start + 1
        while true {
            i = firstOf(UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), in: bytes, from: i)
            guard i < n, bytes[i] != UInt8(ascii: ">") else { break }
            let quote = bytes[i]
            i = firstOf(quote, quote, quote, in: bytes, from: i + 1)
            guard i < n else { break }
            i += 1
        }
        let end = min(i + 1, n)
        guard second == UInt8(ascii: "s") else { return end }
        if matches("<script", at: start) { return find("</script>", from: end) }
        if matches("<style", at: start) { return find("</style>", from: end) }
        return end
    }

    /// The index of the first of the bytes `a`, `b` or `c` from `start`, or the end: eight bytes at a time (a byte
    /// equal to one makes a zero byte in `x ^ pattern`, and the lowest zero byte is found exactly), then one by one.
    @inline(__always)
    static func firstOf(_ a: UInt8, _ b: UInt8, _ c: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let (pa, pb, pc) = (UInt64(a) &* ones, UInt64(b) &* ones, UInt64(c) &* ones)
        @inline(__always) func zeros(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & high }
        let n = bytes.count
        var i = start
        if let base = bytes.baseAddress {
            while i &+ 8 <= n {
                let x = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let found = zeros(x ^ pa) | zeros(x ^ pb) | zeros(x ^ pc)
                if found != 0 { return i &+ found.trailingZeroBitCount >> 3 }
                i &+= 8
            }
        }
        while i < n, bytes[i] != a, bytes[i] != b, bytes[i] != c { i &+= 1 }
        return i
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
        // The references code and quotes are full of, without making a string.
        switch (i - start - 1, bytes[start + 1]) {
        case (2, UInt8(ascii: "l")) where bytes[start + 2] == UInt8(ascii: "t"): return ("<", i + 1)
        case (2, UInt8(ascii: "g")) where bytes[start + 2] == UInt8(ascii: "t"): return (">", i + 1)
        case (3, UInt8(ascii: "a")) where bytes[start + 2] == UInt8(ascii: "m") && bytes[start + 3] == UInt8(ascii: "p"):
            return ("&", i + 1)
        case (4, UInt8(ascii: "q")) where bytes[start + 2] == UInt8(ascii: "u") && bytes[start + 3] == UInt8(ascii: "o")
            && bytes[start + 4] == UInt8(ascii: "t"):
            return ("\"", i + 1)
        default: break
        }
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
