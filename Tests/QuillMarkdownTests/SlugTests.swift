import Testing
@testable import QuillMarkdown

/// Titles, tags and headings → URL-safe slugs.
@Suite struct SlugTests {
    @Test func plusSignsAreSpelledOut() {
        #expect(Slug.make("C++") == "c-plus-plus")
    }

    @Test func sharpIsSpelledOut() {
        #expect(Slug.make("C#") == "c-sharp")
        #expect(Slug.make("F# and C#") == "f-sharp-and-c-sharp")
    }

    @Test func ampersandIsSpelledOut() {
        #expect(Slug.make("Fish & Chips") == "fish-and-chips")
        #expect(Slug.make("R&D") == "r-and-d")
    }

    @Test func cAndCPlusPlusAndCSharpStayDistinct() {
        let slugs = ["C", "C++", "C#"].map(Slug.make)
        #expect(slugs == ["c", "c-plus-plus", "c-sharp"])
        #expect(Set(slugs).count == 3)
    }

    @Test func diacriticsAreStripped() {
        #expect(Slug.make("Ünïcode") == "unicode")
        #expect(Slug.make("Crème Brûlée") == "creme-brulee")
    }

    @Test func slashBecomesDash() {
        #expect(Slug.make("a/b") == "a-b")
    }

    @Test func spacesAndPunctuationCollapseToOneDash() {
        #expect(Slug.make("Hello,   World!") == "hello-world")
        #expect(Slug.make("a -- b __ c...d") == "a-b-c-d")
        #expect(Slug.make("Tabs\tand\nnewlines") == "tabs-and-newlines")
    }

    @Test func leadingAndTrailingDashesAreTrimmed() {
        #expect(Slug.make("  --Hello--  ") == "hello")
        #expect(Slug.make("(parenthesised)") == "parenthesised")
        #expect(Slug.make("!!!") == "")
    }

    @Test func digitsAreKept() {
        #expect(Slug.make("Top 10 of 2024") == "top-10-of-2024")
    }

    @Test func cjkCharactersAreKept() {
        #expect(Slug.make("日本語") == "日本語")
        #expect(Slug.make("日本語 テスト") == "日本語-テスト")
        #expect(Slug.make("Swift 入門") == "swift-入門")
    }

    @Test func upperCaseIsLowered() {
        #expect(Slug.make("SwiftUI") == "swiftui")
        #expect(Slug.make("Python") == Slug.make("python"))
    }

    @Test func theASCIIPathSlugsExactlyAsTheGeneralOne() {
        var random = LCG(state: 42)  // fixed seed: the same strings every run
        let alphabet = Array(" \t-_.,:;!?'\"()[]{}<>/\\|@$%^*=~`+#&0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for _ in 0..<2000 {
            let text = String((0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            #expect(Slug.ascii(text) == Slug.general(text), "\(text.debugDescription)")
        }
        #expect(Slug.ascii("Ünïcode") == nil)
    }

    @Test func whitespaceCollapsesAsCharacterWhitespaceDoes() {
        var random = LCG(state: 7)  // fixed seed: the same strings every run
        let alphabet = Array(" \t\n\r\u{0B}\u{0C}ab.\u{1C}")
        for _ in 0..<2000 {
            let text = String((0..<Int.random(in: 0...16, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            #expect(Tree.collapseWhitespace(text) == text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "),
                    "\(text.debugDescription)")
        }
        #expect(Tree.collapseWhitespace("a\u{00A0} b") == "a b")
    }
}

/// A fixed-seed generator, so that generated test strings are the same on every run.
struct LCG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}
