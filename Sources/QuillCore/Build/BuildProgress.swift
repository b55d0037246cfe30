import Foundation
import Synchronization

/// How far a build has come, for a terminal's progress line: the stage (`posts`, `images`, `files`) and how many of
/// its items are done. The builder counts; whoever shows it (the `quill build` command, on a terminal only) reads
/// `line` now and then. Counting costs one atomic add per post, image or file.
public final class BuildProgress: Sendable {
    private let stage = Mutex<(name: String, total: Int, imageTotal: Int)>(("reading", 0, 0))
    private let done = Atomic<Int>(0)
    private let imagesDone = Atomic<Int>(0)

    public init() {}

    func start(_ name: String, total: Int, images: Int = 0) {
        stage.withLock { $0 = (name, total, images) }
        done.store(0, ordering: .relaxed)
        imagesDone.store(0, ordering: .relaxed)
    }

    func tick(image: Bool = false) {
        done.add(1, ordering: .relaxed)
        if image { imagesDone.add(1, ordering: .relaxed) }
    }

    /// `posts 1200/10000`, `files 5100/10034 (images 120/300)`.
    public var line: String {
        let (name, total, images) = stage.withLock { $0 }
        var line = total > 0 ? "\(name) \(min(done.load(ordering: .relaxed), total))/\(total)" : name
        if images > 0 { line += " (images \(min(imagesDone.load(ordering: .relaxed), images))/\(images))" }
        return line
    }
}
