import Foundation
import Testing
@testable import QuillCore

/// The repository's own blog builds, and the embedded theme matches `themes/default/`.
@Suite struct SampleBlogTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedThemeMatchesThemesDefault() throws {
        let theme = Self.repository.appendingPathComponent("themes/default")
        var onDisk = [String: String]()
        let walker = FileManager.default.enumerator(at: theme, includingPropertiesForKeys: nil)!
        for case let url as URL in walker where !url.hasDirectoryPath {
            let path = String(url.standardizedFileURL.path.dropFirst(theme.standardizedFileURL.path.count + 1))
            if let text = try? String(contentsOf: url, encoding: .utf8) { onDisk[path] = text }
        }
        #expect(onDisk.keys.sorted() == EmbeddedTheme.files.keys.sorted(), "run scripts/embed-theme.py")
        for (path, text) in onDisk {
            #expect(EmbeddedTheme.files[path] == text, "\(path) differs: run scripts/embed-theme.py")
        }
    }

    @Test func sampleBlogBuildsWithSixPostsAndIsByteIdenticalTwice() throws {
        let options = BuildOptions(source: Self.repository, now: Date(timeIntervalSince1970: 1_800_000_000))
        let (first, report) = try SiteBuilder(options: options).render()
        let (second, _) = try SiteBuilder(options: options).render()
        #expect(report.posts == 6)
        #expect(first == second)
        #expect(first.contains { $0.path.value == "2010/01/30/mourning-sun/index.html" })
    }
}
