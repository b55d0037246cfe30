import Foundation
import Testing
@testable import QuillCore

/// Symlinks in a site are followed to files and folders inside it; one pointing outside, nowhere, or round in a
/// circle is skipped, and the build says so in a warning naming the link, and still succeeds.
@Suite struct SymlinkTests {
    static func site(links: [String: String]) throws -> TestSite {
        let site = try TestSite(["content/posts/a.md": post("Real", date: "2024-01-01 10:00")])
        for (link, target) in links {
            try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent(link).path,
                                                       withDestinationPath: target)
        }
        return site
    }

    /// The warnings of a build of `site`, as printed.
    static func warnings(_ site: TestSite) throws -> [String] {
        try site.build().warnings.map(\.description)
    }

    @Test func symlinkOutOfTheSiteIsSkippedWithAWarning() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("quill-outside-\(UUID().uuidString).md")
        try post("Secret").write(to: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }
        let site = try Self.site(links: ["content/posts/outside.md": outside.path])
        let real = URL(fileURLWithPath: outside.path).resolvingSymlinksInPath().path
        #expect(try Self.warnings(site) == [
            "content/posts/outside.md: warning: symlink skipped: it points outside the site (→ \(real))\n  hint: "
                + "Quill reads only files inside the site folder: copy the file in, or move the link's target inside",
        ])
        #expect(!site.files().values.contains { String(decoding: $0, as: UTF8.self).contains("Secret") })
    }

    @Test func danglingSymlinkIsSkippedWithAWarning() throws {
        let site = try Self.site(links: ["content/posts/gone.md": "nowhere.md"])
        #expect(try Self.warnings(site) == [
            "content/posts/gone.md: warning: symlink skipped: what it points to does not exist (→ nowhere.md)\n"
                + "  hint: fix the link, or remove it",
        ])
    }

    @Test func circleOfSymlinksIsSkippedWithAWarning() throws {
        let site = try Self.site(links: ["content/posts/one.md": "two.md", "content/posts/two.md": "one.md"])
        #expect(try Self.warnings(site).sorted() == ["one", "two"].map { name in
            "content/posts/\(name).md: warning: symlink skipped: it leads round in a circle of symlinks "
                + "(→ \(name == "one" ? "two" : "one").md)\n  hint: point it at a real file or folder"
        })
    }

    @Test func symlinkToAFolderAboveItIsSkippedWithAWarning() throws {
        let site = try Self.site(links: ["content/posts/up": ".."])
        #expect(try Self.warnings(site) == [
            "content/posts/up: warning: symlink skipped: it leads back to a folder already read (→ ..)\n  hint: "
                + "a link to a folder that contains it, or to a folder read elsewhere, would read files twice",
        ])
        #expect(site.files()["2024/01/01/a/index.html"] != nil)
    }

    @Test func symlinksInsideTheSiteAreFollowedWithoutAWarning() throws {
        let site = try Self.site(links: ["content/posts/inside.md": "../../notes/inside.md", "content/posts/more": "../../extra"])
        try site.write("notes/inside.md", post("Inside", date: "2024-01-02 10:00"))
        try site.write("extra/deeper.md", post("Deeper", date: "2024-01-03 10:00"))
        #expect(try Self.warnings(site) == [])
        #expect(site.files()["2024/01/02/inside/index.html"] != nil)
        #expect(site.files()["2024/01/03/deeper/index.html"] != nil)
    }

    @Test func warningsAreRepeatedByABuildThatChangesNothing() throws {
        let site = try Self.site(links: ["content/posts/gone.md": "nowhere.md"])
        try site.build()
        let report = try site.build()
        #expect(report.written.isEmpty)
        #expect(report.warnings.map(\.location.file) == ["content/posts/gone.md"])
    }
}
