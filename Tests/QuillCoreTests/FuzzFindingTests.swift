import Foundation
import Testing
@testable import QuillCore

/// Inputs the fuzz target (`scripts/fuzz`) found that crashed Quill, each now a clear error; and the valid
/// neighbours of each, which must still build.
@Suite struct FuzzFindingTests {
    // toml++ (under TOMLKit) asserted on a table header whose name starts with a character no key may start
    // with, and the assertion aborted the whole process, in release builds too.

    @Test func tomlTableNameStartingWithAColonIsAnErrorInFrontMatter() throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-02\n  [:x]\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:4:4: error: invalid TOML front matter: a table name cannot start with `:`")
    }

    @Test func tomlArrayOfTablesNameStartingWithABracketIsAnErrorInSiteToml() throws {
        let site = try TestSite(["site.toml": "title = \"T\"\n[[[x]]]\n", "content/posts/a.md": post("A")])
        BadInputTests.expectDiagnostic(site.errors(), "site.toml:2:3: error: invalid TOML: a table name cannot start with `[`")
    }

    @Test func tomlTableNameStartingWithAControlCharacterIsShownEscaped() throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n[\u{7}x]\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:3:2: error: invalid TOML front matter: a table name cannot start with `\\u{07}`")
    }

    @Test func tomlTableHeaderCutShortByTheEndOfItsLineIsAnError() throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n[\nx = 1\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:3:2: error: invalid TOML front matter: a table name cannot start with `\\n`")
    }

    @Test(arguments: [("date = 2024-01-02T:00", 19), ("date = 2024-01-02 1", 19), ("d = [2024-01-02t:]", 17),
                      ("date = 2010-02-18T.1:23:26", 19),  // made toml++ abort (CI's fuzz run)
                      // after a multi-line string whose closing quotes carry one or two of its own (CI's fuzz run)
                      ("x = [\"\"\"a\"\"\"\", 2024-01-02T_1:00]", 27), ("x = ['''a''''', 2024-01-02T_1:00]", 28),
                      // a value whose time starts with `=`, once taken for a key (a local fuzz run)
                      ("te = 2023-01-02t=[titlek-01-02thttp://arue", 17), ("x = [1,\n # c\n 2024-01-02T.1:00]", 13)])
    func tomlDateWhoseTimeDoesNotStartWithTheHourIsAnError(_ line: String, _ column: Int) throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n\(line)\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:\(3 + line.count { $0 == "\n" }):\(column): error: invalid TOML front matter: "
                + "a date's time must start")
    }

    @Test func tomlMultiLineStringsMayEndWithTwoQuotesOfTheirOwn() throws {
        var config = SiteConfig(title: "T")
        config.timeZone = TimeZone(identifier: "UTC")!
        let text = "+++\ntitle = \"A\"\ndate = 2024-01-02\n"
            + "x = [\"\"\"a\"\"\"\"\", 2024-01-02T10:00:00]\ny = '''b'''''\nz = [\"\"\"c\"\"\"]\n+++\nBody\n"
        let post = try ContentParser(config: config).parsePost(SourceFile(path: "content/posts/a.md", text: text)).get()
        guard case .array(let x)? = post.params["x"] else {
            Issue.record("x is \(String(describing: post.params["x"])), not a list")
            return
        }
        #expect(x.count == 2)
        #expect(x.first == .string("a\"\""))
        #expect(post.params["y"] == .string("b''"))
        #expect(post.params["z"] == .array([.string("c")]))
    }

    @Test(arguments: [("date = 2024-01-0a 2", 8), ("d = [1, 2_024-01-02 3]", 9), ("d = 2024-01-é0 1\u{3000}", 5)])
    func tomlTenCharacterValueFollowedByASpaceAndADigitIsAnError(_ line: String, _ column: Int) throws {
        // The first made toml++ abort (a local fuzz run with a TOML dictionary).
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n\(line)\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:3:\(column): error: invalid TOML front matter: `")
    }

    @Test(arguments: [("x = [1,\u{2028}1]", 8, "a line separator (U+2028)"),
                      ("x = [\u{85}]", 6, "a next-line character (U+0085)"),
                      ("x = [1,\n \u{2029}1]", 2, "a paragraph separator (U+2029)")])
    func tomlLineSeparatorOutsideAStringIsAnError(_ line: String, _ column: Int, _ name: String) throws {
        // toml++ asserted on each of these (found by trying every white space character toml++ knows in arrays).
        let site = try TestSite(["site.toml": "title = \"T\"\n\(line)\n", "content/posts/a.md": post("A")])
        let row = line.contains("\n") ? 3 : 2
        BadInputTests.expectDiagnostic(site.errors(), "site.toml:\(row):\(column): error: invalid TOML: \(name) outside a string")
    }

    @Test func tomlLineSeparatorsInStringsAndCommentsAreKept() throws {
        var config = SiteConfig(title: "T")
        config.timeZone = TimeZone(identifier: "UTC")!
        let text = "+++\ntitle = \"A\\u2028B\"\ndate = 2024-01-02 # a\u{2028}b\nx = [\"\u{2028}\", '\u{85}']\n+++\nBody\n"
        let post = try ContentParser(config: config).parsePost(SourceFile(path: "content/posts/a.md", text: text)).get()
        #expect(post.title == "A\u{2028}B")
        #expect(post.params["x"] == .array([.string("\u{2028}"), .string("\u{85}")]))
    }

    // Yams reads a YAML 1.1 base-60 integer (`1:30` is 90) with arithmetic that traps on overflow.

    @Test func yamlBaseSixtyIntegersTooBigForIntAreKeptAsWritten() throws {
        var config = SiteConfig(title: "T")
        config.timeZone = TimeZone(identifier: "UTC")!
        let elevenParts = "1" + String(repeating: ":00", count: 10)  // fits in Int, but Yams's base does not
        let text = "---\ntitle: A\ndate: 2024-01-02\ntags: 1333333333666666660:0\nbig: \(elevenParts)\n"
            + "small: 1:30\nsigned: -2:00:00\nunder: 1_0:05\n---\nBody\n"  // the first made the fuzz target abort
        let post = try ContentParser(config: config).parsePost(SourceFile(path: "content/posts/a.md", text: text)).get()
        #expect(post.tags.map(\.name) == ["1333333333666666660:0"])
        #expect(post.params["big"] == .string(elevenParts))
        #expect(post.params["small"] == .int(90))
        #expect(post.params["signed"] == .int(-7200))
        #expect(post.params["under"] == .int(605))
    }

    @Test func baseSixtyIntegersTooBigForIntInAJekyllConfigAreKeptAsText() {
        let files = ["_config.yml": "title: T\nbig: 1333333333666666660:0\nsmall: 1:30\n",
                     "_posts/2010-01-01-a.md": "---\ntitle: A\n---\nA\n"]
        let result = JekyllImporter().convert(JekyllSource(files: files.mapValues { Data($0.utf8) }))
        #expect(result.files["content/posts/2010-01-01-a.md"] != nil)
        #expect(String(decoding: result.files["site.toml"] ?? Data(), as: UTF8.self).contains("title = \"T\""))
    }

    @Test(arguments: [("1:30", false), ("1333333333666666660:0", true), ("1:00:00:00:00:00:00:00:00:00:00", true),
                      ("1:00:00:00:00:00:00:00:00:00", false), ("-1333333333666666660:0", true), ("0x1:0", false),
                      ("1:x", false), ("12", false)])
    func baseSixtyOverflowIsFoundAsYamsWouldMeetIt(_ text: String, _ overflows: Bool) {
        #expect(FrontMatter.sexagesimalIntOverflows(text) == overflows)
    }

    @Test(arguments: [("\u{FEFF} [=20,244", "=", 4), ("\u{A0}[:x]", ":", 3), ("\u{3000}[[\u{2000}:x]]", ":", 5)])
    func tomlTableHeaderAfterWhiteSpaceBeyondASCIIIsChecked(_ line: String, _ shown: String, _ column: Int) throws {
        // The first made toml++ abort (a local fuzz run): a byte order mark is white space to it.
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n\(line)\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(),
            "content/posts/a.md:3:\(column): error: invalid TOML front matter: a table name cannot start with `\(shown)`")
    }

    @Test func tomlDateAfterWhiteSpaceBeyondASCIIIsChecked() throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\nx =\u{3000}2024-01-02T:00\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:3:16: error: invalid TOML front matter: a date's time must start")
    }

    @Test func tomlErrorAfterAnEscapedLineEndIsOnItsOwnLine() throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"\"\"A \\\n  B\"\"\"\nd = 2024-01-02T:00\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:4:16: error: invalid TOML front matter: a date's time must start")
    }

    @Test func tomlBraceInsideAnArrayIsAnError() throws {
        let site = try TestSite(["site.toml": "title = \"T\"\n[params]\nlist = [1,\n  }\n", "content/posts/a.md": post("A")])
        BadInputTests.expectDiagnostic(site.errors(), "site.toml:4:3: error: invalid TOML: `}` inside the array opened with `[`")
    }

    @Test func tomlKeysThatLookLikeDatesAreKeys() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-02 10:00:00\n[params]\n2024-01-02T = 1\n"
                + "2024-01-03T.x = 2\ninline = {2024-01-05T = 1, 2024-01-06t = 2}\n[[2024-01-04t]]\ny = 1\n+++\nBody\n",
        ])
        #expect(try site.render()["2024/01/02/a/index.html"] != nil)
    }

    @Test func bracketsInTomlStringsCommentsAndArraysAreNoTableHeaders() throws {
        let site = try TestSite([
            "content/posts/a.md": """
                +++
                title = "A [:x]"
                date = 2024-01-02
                summary = \"\"\"
                [!NOTE] a callout
                \"\"\"
                numbers = [
                  +1,
                  {b = 1},
                ]
                # [:not a header]
                ["a:b"]
                c = 1
                +++
                Body

                """,
        ])
        let page = try #require(try site.render()["2024/01/02/a/index.html"])
        #expect(page.contains("A [:x]"))
    }
}
