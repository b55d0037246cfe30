import Foundation
import Synchronization

/// A value another thread provides once; `value` waits for it.
public final class Promise<T: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<T?>(nil)

    public init() {}

    /// A promise of `work`'s result, computed on another thread.
    public static func computing(_ work: @escaping @Sendable () -> T) -> Promise<T> {
        let promise = Promise<T>()
        DispatchQueue.global().async { promise.fulfill(work()) }
        return promise
    }

    public func fulfill(_ value: T) {
        result.withLock { $0 = value }
        done.signal()
    }

    public var value: T {
        if let value = result.withLock({ $0 }) { return value }
        done.wait()
        done.signal()  // for the next reader
        return result.withLock { $0! }
    }
}

/// Work spread over all cores.
public enum Parallel {
    /// Runs `body` for 0..<count on all cores; rethrows the first error.
    public static func forEach(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do { try body(i) } catch { failure.record(error) }
        }
        if let error = failure.error { throw error }
    }

    /// `body` of 0..<count, computed on all cores; rethrows the first error.
    public static func map<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        nonisolated(unsafe) let shared = results
        try forEach(count) { i in shared[i] = try body(i) }
        return results.map { $0! }
    }
}

/// The first of the errors several threads ran into.
public final class FirstError: Sendable {
    private let first = Mutex<(any Error)?>(nil)

    public func record(_ error: any Error) {
        first.withLock { if $0 == nil { $0 = error } }
    }

    public var error: (any Error)? { first.withLock { $0 } }
}
