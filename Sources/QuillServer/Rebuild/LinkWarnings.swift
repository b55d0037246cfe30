import Foundation
import QuillCore
import Synchronization

/// `quill serve`'s warnings about broken internal links, in `quill check`'s format: every page once the server
/// starts (in the background), then after each rebuild the pages it wrote (`SiteCheck.checkPages`). They go to the
/// terminal after the browsers were told to reload, so they never hold up a page.
final class LinkWarnings: Sendable {
    /// The outputs of a build and the post or page each was made from, so that a broken link is reported at its
    /// post's line, as `quill check` does. Read from the build state at the start, and again only when a rebuild
    /// writes a page they do not know (a new post), not after every save.
    private struct Outputs: Sendable {
        var all: Set<String> = []
        var origins: [String: String] = [:]
    }

    private let check: SiteCheck
    private let log: ServeLog
    private let outputs = Mutex(Outputs())

    init(_ check: SiteCheck, log: ServeLog) {
        self.check = check
        self.log = log
    }

    /// Every page of the preview checked.
    func checkEverything() async {
        let warnings = await onItsOwnThread { [self] in
            let outputs = reloadOutputs()
            return check.checkPages(check.publishedPages(), origins: outputs.origins, outputs: outputs.all)
        }
        print(warnings)
    }

    /// The pages of a rebuild checked; `changes` are what it was for.
    func check(written: [OutputPath], changes: [FileChange]) async {
        let pages = written.map(\.value).filter { $0.hasSuffix(".html") }
        guard !pages.isEmpty else { return }
        let changed = changes.compactMap { if case .path(let path) = $0 { path } else { nil } }
        print(await onItsOwnThread { [self] in
            var current = outputs.withLock { $0 }
            if !pages.allSatisfy(current.all.contains) { current = reloadOutputs() }
            return check.checkPages(pages, origins: current.origins, changed: changed, outputs: current.all)
        })
    }

    /// The outputs read again from the build state.
    private func reloadOutputs() -> Outputs {
        let (all, origins) = check.outputs()
        let outputs = Outputs(all: all, origins: origins)
        self.outputs.withLock { $0 = outputs }
        return outputs
    }

    private func print(_ warnings: [Diagnostic]) {
        guard !warnings.isEmpty else { return }
        log.error(warnings.map(\.description).joined(separator: "\n"))
    }
}

/// `work` run on a thread of its own, so that it holds up neither the server's event loops nor the concurrency
/// pool that answers requests.
func onItsOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
    }
}
