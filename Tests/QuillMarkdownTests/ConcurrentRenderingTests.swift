import Foundation
import Testing
@testable import QuillMarkdown

/// Rendering on many threads at once gives what rendering one by one gives (cmark-gfm keeps some parser state
/// process-wide).
@Suite struct ConcurrentRenderingTests {
    @Test func parallelRenderingMatchesSequentialRendering() {
        let documents = (0..<400).map { n in
            "Visit https://example.org/\(n) and www.example.com/\(n) or ~~old~~ mail a\(n)@example.net.\n\n"
                + "| a | b |\n|---|---|\n| \(n) | https://x.example/\(n) |\n"
        }
        let renderer = MarkdownRenderer()
        let sequential = documents.map { renderer.render($0).html }
        final class Results: @unchecked Sendable {
            var html = [String](repeating: "", count: 400)
        }
        let results = Results()
        results.html.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: documents.count) { slots[$0] = renderer.render(documents[$0]).html }
        }
        #expect(results.html == sequential)
        #expect(sequential[7].contains("<a href=\"https://example.org/7\">"))
        #expect(sequential[7].contains("<del>old</del>"))
    }
}
