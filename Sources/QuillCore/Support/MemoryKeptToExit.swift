import Foundation

/// Holds what a build leaves behind when the process ends right after it (clang's `-disable-free`): freeing
/// a hundred thousand graph records one by one costs a process more time than the edit it just built.
enum MemoryKeptToExit {
    nonisolated(unsafe) private static var kept: [Any] = []
    private static let lock = NSLock()

    static func keep(_ objects: Any...) {
        lock.withLock { kept.append(objects) }
    }
}
