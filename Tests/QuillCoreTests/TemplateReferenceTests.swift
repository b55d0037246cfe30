import Foundation
import Testing
@testable import QuillCore

/// docs/templates.md lists every field of every view, as the code declares them.
@Suite struct TemplateReferenceTests {
    static let start = "<!-- generated: the fields of every view -->\n"
    static let end = "<!-- end of the generated fields -->\n"

    @Test func templateReferenceInTheDocsListsEveryDeclaredField() throws {
        let url = SampleBlogTests.repository.appendingPathComponent("docs/templates.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let from = try #require(text.range(of: Self.start)), to = try #require(text.range(of: Self.end))
        let expected = "\n" + Views.reference()
        if String(text[from.upperBound..<to.lowerBound]) != expected,
           ProcessInfo.processInfo.environment["QUILL_UPDATE_DOCS"] == "1" {
            try (String(text[..<from.upperBound]) + expected + String(text[to.lowerBound...]))
                .write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[from.upperBound..<to.lowerBound]) == expected,
                "docs/templates.md is out of date: QUILL_UPDATE_DOCS=1 swift test --filter templateReference")
        #expect(expected.contains("| `titel`") == false && expected.contains("| `title` | text |"))
    }
}
