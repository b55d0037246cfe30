import Foundation
import QuillGraph

/// Renders post pages on another core while this one lists the outputs, which it does alone and which takes
/// longer the larger the site. Every published post has a page, so none of this
/// work is wasted; the pages wait in the graph for the writing loop, which finds them done. A page that fails
/// is left for that loop, which reports it.
final class EarlyPostPages: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var count = 0
    private let finished = DispatchSemaphore(value: 0)

    init(graph: BuildGraph, posts: [String]) {
        DispatchQueue.global().async { [self] in
            defer { finished.signal() }
            for path in posts {
                if lock.withLock({ stopped }) { return }
                guard (try? graph.ensure(Node.Output(.post(path)))) != nil else { continue }
                lock.withLock { count += 1 }
            }
        }
    }

    /// Stops after the page in hand, and waits for it.
    func stop() {
        lock.withLock { stopped = true }
        finished.wait()
    }

    var rendered: Int { lock.withLock { count } }
}
