import Testing
@testable import QuillMarkdown

/// A fence's info string as Hugo, R Markdown and Pandoc write it.
@Suite struct FenceInfoTests {
    @Test func hugoAttributesAreRead() {
        let info = FenceInfo.parse(#"go {linenos=table, hl_lines=[2, "4-6"], linenostart=10, style=emacs}"#)
        #expect(info.language == "go")
        #expect(info.lineNumbers == true)
        #expect(info.lineNumberStart == 10)
        #expect(info.highlightedLines == [2...2, 4...6])
    }

    @Test func hugosStringFormOfLinesAndFalseNumbersAreRead() {
        let info = FenceInfo.parse(#"python{linenos=false hl_lines="1 3-4"}"#)
        #expect(info.language == "python")
        #expect(info.lineNumbers == false)
        #expect(info.highlightedLines == [1...1, 3...4])
    }

    @Test func aWordInBracesIsTheLanguage() {
        #expect(FenceInfo.parse("{r}").language == "r")
        #expect(FenceInfo.parse("{.python}").language == "python")
        #expect(!FenceInfo.parse("{.python}").hasAttributes)
    }

    @Test func brokenAttributesDoNotStopTheBlock() {
        let info = FenceInfo.parse("rust {linenos=, hl_lines=[x, 9-2, 3], linenostart=-4")
        #expect(info.language == "rust")
        #expect(info.lineNumbers == false)
        #expect(info.highlightedLines == [3...3])
        #expect(info.lineNumberStart == 1)
    }

    @Test func numberedLinesCarryTheirNumberAndMark() {
        let html = CodeBlocks.wrapLines("a\n\nb\n", numbered: true, start: 7, marked: [2...2])
        #expect(html == "<span class=\"line\" data-line=\"7\">a</span>\n<span class=\"line hl\" data-line=\"8\"></span>\n"
                + "<span class=\"line\" data-line=\"9\">b</span>\n")
    }
}
