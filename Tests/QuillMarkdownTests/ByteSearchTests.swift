import QuillTestSupport
import Testing
@testable import QuillMarkdown

/// Fragment links (`href="#…"`) are given the page's URL wherever they stand: first, last, one after another, and
/// not where the needle is only partly there.
@Suite struct FragmentLinkTests {
    @Test func everyFragmentLinkIsPrefixedAndNothingElse() {
        let base = "/2010/01/post/"
        #expect(MarkdownRenderer.prefixingFragmentLinks("<a href=\"#fn1\">1</a>", with: base)
                == "<a href=\"/2010/01/post/#fn1\">1</a>")
        #expect(MarkdownRenderer.prefixingFragmentLinks("x<a href=\"#a\"></a><a href=\"#b\">", with: base)
                == "x<a href=\"/2010/01/post/#a\"></a><a href=\"/2010/01/post/#b\">")
        #expect(MarkdownRenderer.prefixingFragmentLinks("href=\"#", with: base) == "href=\"/2010/01/post/#")
        for unchanged in ["", "href=\"", "href=\"x#y\"", "<a href='#q'>", "href=\"#"[...].dropLast().description] {
            #expect(MarkdownRenderer.prefixingFragmentLinks(unchanged, with: base) == unchanged)
        }
    }
}

/// Words are counted eight bytes at a time as they were one by one: on random text of words, spaces, tabs, line
/// breaks and other bytes, starting inside a word or not.
@Suite struct WordCountTests {
    static func plain(_ bytes: [UInt8], inWord: inout Bool) -> Int {
        var count = 0
        for c in bytes {
            let space = c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D
            if !space && !inWord { count += 1 }
            inWord = !space
        }
        return count
    }

    @Test func countingEightBytesAtATimeMatchesCountingOneByOne() {
        var rng = SplitMix(seed: 20)
        func next() -> UInt64 { rng.next() }
        let alphabet: [UInt8] = [0x20, 0x0A, 0x09, 0x0D, 0x61, 0x62, 0x21, 0x80, 0xE9, 0x1F, 0x2A, 0x7F, 0x0B, 0x0C]
        for round in 0..<3000 {
            let bytes = (0..<Int(next() % 40)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            for start in [false, true] {
                var (a, b) = (start, start)
                let fast = bytes.withUnsafeBytes { Tree.countWords($0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, bytes.count, inWord: &a) }
                #expect(fast == Self.plain(bytes, inWord: &b) && a == b, "round \(round): \(bytes), starting in a word: \(start)")
            }
        }
    }
}
