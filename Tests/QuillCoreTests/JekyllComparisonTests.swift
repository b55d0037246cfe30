import Foundation
import Testing
@testable import QuillCore

/// The `jekyll` command on PATH, if any.
let installedJekyll: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
    .split(separator: ":").map { "\($0)/jekyll" }.first { FileManager.default.isExecutableFile(atPath: $0) }

/// Where Jekyll is installed (Debian's `jekyll`), each fixture is built by Jekyll itself: the files it writes are
/// exactly those the fixture lists, so the URL lists the import tests check are Jekyll's own. Skipped without Jekyll.
@Suite(.enabled(if: installedJekyll != nil, "jekyll is not installed (apt-get install jekyll)"))
struct JekyllComparisonTests {
    static var jekyll: String? { installedJekyll }

    @Test(arguments: JekyllFixture.all.map(\.name))
    func jekyllWritesTheURLsTheFixtureLists(_ name: String) throws {
        let fixture = try #require(JekyllFixture.all.first { $0.name == name })
        let site = try TestSite(fixture.files)
        try site.remove("site.toml")  // TestSite adds one; Jekyll would copy it
        let output = site.root.appendingPathComponent("_site")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.jekyll))
        process.arguments = ["build", "--safe", "--quiet", "-s", site.root.path, "-d", output.path]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": site.root.path, "JEKYLL_ENV": "production"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let built = Set(site.files(under: "_site").keys).subtracting(["index.html"])
        #expect(built == Set(fixture.jekyllOutputs))
    }
}

/// The folder `scripts/test` asks for the import fixtures in, to import, build and validate them with the command.
let fixtureExportFolder = ProcessInfo.processInfo.environment["QUILL_EXPORT_JEKYLL_FIXTURES"]

/// Writes each import fixture as a Jekyll site into `$QUILL_EXPORT_JEKYLL_FIXTURES/<name>/`; only when that is set.
@Suite(.enabled(if: fixtureExportFolder != nil, "only for scripts/test (QUILL_EXPORT_JEKYLL_FIXTURES)"))
struct JekyllFixtureExport {
    @Test func theFixturesAreWrittenAsJekyllSites() throws {
        let folder = URL(fileURLWithPath: try #require(fixtureExportFolder))
        for fixture in JekyllFixture.all {
            for (path, text) in fixture.files {
                let url = folder.appendingPathComponent(fixture.name).appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(fixture.name)/_config.yml").path))
        }
    }
}
