import Foundation
import Testing
@testable import QuillServer

/// The inotify watcher over a real folder: edits, new folders (and files written into them before their watch
/// existed), site.toml, and nothing from outside the sources.
@Suite struct InotifyWatcherTests {
    /// Waits for a change to `path`, skipping others.
    static func waitFor(_ path: String, in changes: AsyncStream<FileChange>) async throws {
        try await withTimeout(.seconds(60), path) {
            for await change in changes where change == .path(path) { return }
            throw TimedOut(what: "\(path) (the stream ended)", limit: .zero)
        }
    }

    @Test func editsInTheSourceFoldersAreSeen() async throws {
        let site = try TestFolder(["site.toml": "title = \"T\"", "content/posts/a.md": "a", "static/a.css": "x"])
        let changes = try InotifyWatcher(site: site.url).changes()
        try site.write("content/posts/a.md", "b")
        try await Self.waitFor("content/posts/a.md", in: changes)
        try site.write("site.toml", "title = \"U\"")
        try await Self.waitFor("site.toml", in: changes)
        try site.write("static/a.css", "y")
        try await Self.waitFor("static/a.css", in: changes)
    }

    @Test func filesCreatedInNewFoldersAreSeen() async throws {
        let site = try TestFolder(["site.toml": "title = \"T\"", "content/posts/a.md": "a"])
        let changes = try InotifyWatcher(site: site.url).changes()
        // Created with its parents at once, so the file may be there before the new folders' watches are.
        try site.write("content/posts/2024/trip/index.md", "new")
        try await Self.waitFor("content/posts/2024/trip/index.md", in: changes)
        // And a later file in the now-watched folder.
        try site.write("content/posts/2024/trip/photo.md", "later")
        try await Self.waitFor("content/posts/2024/trip/photo.md", in: changes)
    }

    @Test func aSourceFolderCreatedAfterTheStartIsWatched() async throws {
        let site = try TestFolder(["site.toml": "title = \"T\"", "content/posts/a.md": "a"])
        let changes = try InotifyWatcher(site: site.url).changes()
        try site.write("templates/partials/head.html", "<head>")
        try await Self.waitFor("templates/partials/head.html", in: changes)
        try site.write("templates/post.html", "{{title}}")
        try await Self.waitFor("templates/post.html", in: changes)
    }

    @Test func aFolderMovedInIsWatchedUnderItsNewName() async throws {
        let site = try TestFolder(["site.toml": "t", "content/posts/a.md": "a", "drafts/trip/index.md": "d"])
        let changes = try InotifyWatcher(site: site.url).changes()
        #expect(rename(site.path + "/drafts/trip", site.path + "/content/posts/trip") == 0)
        try await Self.waitFor("content/posts/trip/index.md", in: changes)
        try site.write("content/posts/trip/index.md", "edited")
        try await Self.waitFor("content/posts/trip/index.md", in: changes)
    }

    @Test func theOutputAndStateFoldersAreNotWatched() async throws {
        let site = try TestFolder(["site.toml": "t", "content/a.md": "a"])
        let changes = try InotifyWatcher(site: site.url).changes()
        try site.write("public/index.html", "x")
        try site.write(".quill/serve/public/index.html", "x")
        try site.write("content/a.md", "marker")
        // Events arrive in order: the first one seen must be the content edit.
        let first = try await withTimeout(.seconds(60), "an event") {
            var iterator = changes.makeAsyncIterator()
            return await iterator.next()
        }
        #expect(first == .path("content/a.md"))
    }
}

/// The portable fallback: stat data compared at an interval.
@Suite struct PollingWatcherTests {
    @Test func differencesAreAddedRemovedAndChangedPaths() {
        let a = 1, b = 2  // stand-ins for stat data
        let old = ["content/a.md": a, "content/b.md": a, "content/c.md": a]
        let new = ["content/a.md": a, "content/b.md": b, "content/d.md": a]
        #expect(PollingWatcher.differences(old, new) == ["content/b.md", "content/c.md", "content/d.md"])
    }

    @Test func editsAndNewFilesAreSeen() async throws {
        let site = try TestFolder(["site.toml": "t", "content/posts/a.md": "a"])
        let changes = PollingWatcher(site: site.url, interval: .milliseconds(20)).changes()
        try site.write("content/posts/new/b.md", "b")
        try await InotifyWatcherTests.waitFor("content/posts/new/b.md", in: changes)
        try site.write("site.toml", "title = \"changed\"")
        try await InotifyWatcherTests.waitFor("site.toml", in: changes)
    }
}
