import Foundation
import Synchronization
import QuillGraph

/// Renders post pages on another core while this one lists the outputs, which it does alone and which takes
/// longer the larger the site. Every published post has a page, so none of this
/// work is wasted; the pages wait in the graph for the writing loop, which finds them done. A page that fails
/// is left for that loop, which reports it.
final class EarlyPostPages: Sendable {
    private let progress = Mutex<(stopped: Bool, count: Int)>((false, 0))
    private let finished = DispatchSemaphore(value: 0)

    init(graph: BuildGraph, posts: [String]) {
        DispatchQueue.global().async { [self] in
            defer { finished.signal() }
            for path in posts {
                if progress.withLock({ $0.stopped }) { return }
                guard (try? graph.ensure(Node.Output(.post(path)))) != nil else { continue }
                progress.withLock { $0.count += 1 }
            }
        }
    }

    /// Stops after the page in hand, and waits for it.
    func stop() {
        progress.withLock { $0.stopped = true }
        finished.wait()
    }

    var rendered: Int { progress.withLock { $0.count } }
}
