import Foundation
import QuillCore

/// Watches a site by comparing the stat data of its source files at an interval: the fallback where inotify is
/// unavailable or out of watches. Slower to notice, but portable.
struct PollingWatcher: FileWatcher {
    let site: URL
    let interval: Duration

    func changes() -> AsyncStream<FileChange> {
        let site = site, interval = interval
        let first = Self.snapshot(site)  // now, so that changes from here on are seen
        return AsyncStream { continuation in
            let task = Task {
                var previous = first
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { break }
                    let current = Self.snapshot(site)
                    for path in Self.differences(previous, current) { continuation.yield(.path(path)) }
                    previous = current
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func snapshot(_ site: URL) -> [String: FileSnapshot.Stat] {
        FileSnapshot(root: site, folders: WatchScope.folders, singles: [WatchScope.settings]).files
    }

    /// Paths added, removed or changed between two snapshots, sorted.
    static func differences<Stat: Equatable>(_ old: [String: Stat], _ new: [String: Stat]) -> [String] {
        let changed = new.filter { old[$0.key] != $0.value }.keys
        let removed = old.keys.filter { new[$0] == nil }
        return (Array(changed) + removed).sorted()
    }
}
