/// What the server and the rebuild loop share: the port the server got, and whether the first build is done.
/// Requests wait for that build, so none sees a half-made site or links to the wrong port.
actor ServeSession {
    private(set) var port: Int?
    private var isReady = false
    private var waiters: [Int: (needsBuild: Bool, continuation: CheckedContinuation<Int?, Never>)] = [:]
    private var nextWaiter = 0

    init(port: Int? = nil, ready: Bool = false) {
        self.port = port
        isReady = ready
    }

    /// The server is listening on `port`.
    func bound(to port: Int) {
        self.port = port
        resumeWaiters()
    }

    /// The first build finished (or failed): requests may go ahead.
    func open() {
        isReady = true
        resumeWaiters()
    }

    /// The port, once the server is listening; nil if the task is cancelled first.
    func waitForPort() async -> Int? {
        await wait(needsBuild: false)
    }

    /// The port, once the first build is done; nil if the task is cancelled first.
    func waitUntilReady() async -> Int? {
        await wait(needsBuild: true)
    }

    private func wait(needsBuild: Bool) async -> Int? {
        if let port, isReady || !needsBuild { return port }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume(returning: nil) } else {
                    waiters[id] = (needsBuild, continuation)
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    private func resumeWaiters() {
        guard let port else { return }
        for (id, waiter) in waiters where isReady || !waiter.needsBuild {
            waiters[id] = nil
            waiter.continuation.resume(returning: port)
        }
    }
}
