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
