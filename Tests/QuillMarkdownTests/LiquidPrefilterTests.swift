import Testing
@testable import QuillMarkdown

/// Every document is first asked whether it has `{{` or `{%` anywhere; only those are walked for Liquid left in
/// their text. The question must never say no to one that has.
@Suite struct LiquidPrefilterTests {
    @Test(arguments: [
        ("", false), ("{", false), ("}}", false), ("{ {", false), ("a{b{c", false), ("{}{}", false),
        ("{{", true), ("{%", true), ("x{{", true), ("{x{{y", true), ("{x{%", true), ("text\n{% include a %}", true),
        ("é{{", true), ("{é{", false),
    ])
    func aDocumentWithLiquidIsAlwaysLookedAt(text: String, expected: Bool) {
        #expect(Tree.mayHaveLiquid(text) == expected)
    }

    @Test func aLongDocumentWithOneTagAtTheEndIsLookedAt() {
        let text = String(repeating: "Some { braces } and words. ", count: 2_000)
        #expect(!Tree.mayHaveLiquid(text))
        #expect(Tree.mayHaveLiquid(text + "{{ page.title }}"))
        #expect(Tree.mayHaveLiquid(text + "{%"))
        #expect(!Tree.mayHaveLiquid(text + "{"))
    }
}
