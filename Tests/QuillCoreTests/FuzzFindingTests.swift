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
                      ("date = 2010-02-18T.1:23:26", 19)])  // the last one made toml++ abort (CI's fuzz run)
    func tomlDateWhoseTimeDoesNotStartWithTheHourIsAnError(_ line: String, _ column: Int) throws {
        let site = try TestSite(["content/posts/a.md": "+++\ntitle = \"A\"\n\(line)\n+++\nBody\n"])
        BadInputTests.expectDiagnostic(
            site.errors(), "content/posts/a.md:3:\(column): error: invalid TOML front matter: a date's time must start")
    }

    @Test func tomlBraceInsideAnArrayIsAnError() throws {
        let site = try TestSite(["site.toml": "title = \"T\"\n[params]\nlist = [1,\n  }\n", "content/posts/a.md": post("A")])
        BadInputTests.expectDiagnostic(site.errors(), "site.toml:4:3: error: invalid TOML: `}` inside the array opened with `[`")
    }

    @Test func tomlKeysThatLookLikeDatesAreKeys() throws {
        let site = try TestSite([
            "content/posts/a.md": "+++\ntitle = \"A\"\ndate = 2024-01-02 10:00:00\n[params]\n2024-01-02T = 1\n"
                + "2024-01-03T.x = 2\n+++\nBody\n",
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
