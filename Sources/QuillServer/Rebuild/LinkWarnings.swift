import Foundation
import QuillCore
import Synchronization

/// `quill serve`'s warnings about broken internal links, in `quill check`'s format: every page once the server
/// starts (in the background), then after each rebuild the pages it wrote (`SiteCheck.checkPages`). They go to the
/// terminal after the browsers were told to reload, so they never hold up a page.
final class LinkWarnings: Sendable {
    private let check: SiteCheck
    private let log: ServeLog
    /// Output path → the post or page it was made from, read once from the state of the first build, so that a
    /// broken link is reported at its post's line, as `quill check` does, without the state read after each save.
    private let origins = Mutex<[String: String]>([:])

    init(_ check: SiteCheck, log: ServeLog) {
        self.check = check
        self.log = log
    }

    /// Every page of the preview checked.
    func checkEverything() async {
        let warnings = await onItsOwnThread { [self] in
            let known = check.origins()
            origins.withLock { $0 = known }
            return check.checkPages(check.publishedPages(), origins: known)
        }
        print(warnings)
    }

    /// The pages of a rebuild checked; `changes` are what it was for.
    func check(written: [OutputPath], changes: [FileChange]) async {
        let pages = written.map(\.value).filter { $0.hasSuffix(".html") }
        guard !pages.isEmpty else { return }
        let changed = changes.compactMap { if case .path(let path) = $0 { path } else { nil } }
        let known = origins.withLock { $0 }
        print(await onItsOwnThread { [check] in check.checkPages(pages, origins: known, changed: changed) })
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
