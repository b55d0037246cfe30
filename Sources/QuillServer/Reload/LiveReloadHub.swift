/// The live-reload channel's subscribers, and the site's error state: a browser that connects while the last
/// build failed is shown the error at once, so a page loaded while the site is broken still shows the overlay.
actor LiveReloadHub {
    typealias Subscriber = AsyncStream<ReloadEvent>.Continuation

    /// Tells browsers apart from a previous server run.
    let serverID: String
    private var subscribers: [Int: Subscriber] = [:]
    private var nextID = 0
    /// The failure being shown, until a build succeeds.
    private(set) var currentFailure: ReloadEvent?

    init(serverID: String) {
        self.serverID = serverID
    }

    /// A new stream of events, starting with `hello` and the current failure, if any.
    func subscribe() -> AsyncStream<ReloadEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ReloadEvent.self, bufferingPolicy: .bufferingNewest(32))
        add(continuation)
        return stream
    }

    /// Adds a subscriber; it leaves when its stream ends.
    func add(_ subscriber: Subscriber) {
        let id = nextID
        nextID += 1
        subscribers[id] = subscriber
        subscriber.onTermination = { [weak self] _ in Task { await self?.remove(id) } }
        subscriber.yield(.hello(server: serverID))
        if let currentFailure { subscriber.yield(currentFailure) }
    }

    /// Sends `event` to every subscriber, remembering a failure until the next success.
    func publish(_ event: ReloadEvent) {
        switch event {
        case .buildFailed: currentFailure = event
        case .buildFixed: currentFailure = nil
        default: break
        }
        for subscriber in subscribers.values { subscriber.yield(event) }
    }

    /// Whether the site is showing a failed build.
    var isFailing: Bool { currentFailure != nil }

    var subscriberCount: Int { subscribers.count }

    /// Ends every stream (at shutdown).
    func finishAll() {
        for subscriber in subscribers.values { subscriber.finish() }
        subscribers = [:]
    }

    private func remove(_ id: Int) {
        subscribers[id] = nil
    }
}
