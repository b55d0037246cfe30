import Testing
@testable import QuillHighlight

/// Quill's own Swift definition replaces the built-in one, which marks every `\(` as an error and has no raw
/// strings or regex literals.
@Suite struct SwiftDefinitionTests {
    func spans(_ code: String) throws -> [String] {
        try html(code, "swift").matches(of: /<span class="([a-z0-9]+)">([^<]*)<\/span>/).map { "\($0.1):\($0.2)" }
    }

    @Test func quillsDefinitionIsTheOneInUse() {
        #expect(!Highlighter.definitionsVersion.contains("custom none"))
    }

    @Test func interpolationIsNotAnError() throws {
        let tokens = try spans(#"let s = "a \(b + 1) c""#)
        #expect(!tokens.contains { $0.hasPrefix("err:") }, "\(tokens)")
        #expect(tokens.contains("si:\\("), "\(tokens)")
        #expect(tokens.contains("si:)"), "\(tokens)")
        #expect(tokens.contains("mi:1"), "\(tokens)")
    }

    @Test func nestedInterpolationAndParenthesesEndWhereSwiftEndsThem() throws {
        let code = #"print("x \(f("\(y)", (1, 2))) z") // done"#
        let tokens = try spans(code)
        #expect(!tokens.contains { $0.hasPrefix("err:") }, "\(tokens)")
        #expect(tokens.last == "c1:// done", "\(tokens)")
        #expect(visibleText(try html(code, "swift")) == code)
    }

    @Test func rawStringsKeepBackslashesAndInterpolateOnlyWithTheirHashes() throws {
        let tokens = try spans(##"let r = #"C:\path \(not) \#(yes) "quoted""#; let n = 2"##)
        #expect(!tokens.contains { $0.hasPrefix("err:") }, "\(tokens)")
        #expect(tokens.contains(##"si:\#("##), "\(tokens)")
        #expect(tokens.contains("mi:2"), "the string ended at \"#: \(tokens)")
        let multi = try spans("let m = #\"\"\"\n  a \"\"\" b \\(c)\n  \"\"\"#\nlet k = 3")
        #expect(multi.contains("mi:3"), "\(multi)")
    }

    @Test func regexLiteralsAreRegexesAndDivisionIsNot() throws {
        #expect(try spans("let r = /ab+c/").contains("sr:/ab+c/"))
        #expect(try spans("let r = #/a/b/#").contains { $0.hasPrefix("sr:") })
        let division = try spans("let q = a / b / c")
        #expect(!division.contains { $0.hasPrefix("sr:") }, "\(division)")
    }

    @Test func declarationsTypesAttributesAndCommentsGetTheirClasses() throws {
        let tokens = try spans("@MainActor\nfunc load(_ url: URL) async throws -> [String] { return [] } /* a /* nested */ b */\n/// Docs.")
        for expected in ["nd:@MainActor", "kd:func", "nf:load", "kt:URL", "k:async", "k:return", "kt:String", "cs:/// Docs."] {
            #expect(tokens.contains(expected), "\(expected) in \(tokens)")
        }
        #expect(tokens.contains { $0.hasPrefix("cm:") && $0.contains("b */") }, "nested comment closes once: \(tokens)")
    }
}

