/// The live-reload channel's subscribers, each with the page it shows, and the site's error state: a browser that
/// connects while the last build failed is shown the error at once, so a page loaded while the site is broken
/// still shows the overlay.
actor LiveReloadHub {
    typealias Subscriber = AsyncStream<ReloadEvent>.Continuation

    /// Tells browsers apart from a previous server run.
    let serverID: String
    /// Each subscriber, and the URL path of the page it shows when its script said (see `page(from:)`).
    private var subscribers: [Int: (subscriber: Subscriber, page: String?)] = [:]
    private var nextID = 0
    /// Rebuilds waiting for browsers to connect again (see `waitForConnections`): how many each still waits for.
    private var waits: [Int: (missing: Int, done: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
    private var nextWait = 0
    /// The failure being shown, until a build succeeds.
    private(set) var currentFailure: ReloadEvent?

    init(serverID: String) {
        self.serverID = serverID
    }

    /// A new stream of events, starting with `hello` and the current failure, if any.
    func subscribe(page: String? = nil) -> AsyncStream<ReloadEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ReloadEvent.self, bufferingPolicy: .bufferingNewest(32))
        add(continuation, page: page)
        return stream
    }

    /// Adds a subscriber, showing the page at URL path `page` if known; it leaves when its stream ends.
    func add(_ subscriber: Subscriber, page: String? = nil) {
        let id = nextID
        nextID += 1
        subscribers[id] = (subscriber, page)
        subscriber.onTermination = { [weak self] _ in Task { await self?.remove(id) } }
        subscriber.yield(.hello(server: serverID))
        if let currentFailure { subscriber.yield(currentFailure) }
        for (wait, entry) in waits {
            if entry.missing > 1 { waits[wait]!.missing -= 1 } else { endWait(wait) }
        }
    }

    /// Sends `event` to every subscriber, remembering a failure until the next success.
    func publish(_ event: ReloadEvent) {
        switch event {
        case .buildFailed: currentFailure = event
        case .buildFixed: currentFailure = nil
        default: break
        }
        for (subscriber, _) in subscribers.values { subscriber.yield(event) }
    }

    /// Sends `event` to the subscribers showing one of `pages`; returns how many there were.
    @discardableResult
    func publish(_ event: ReloadEvent, toPagesIn pages: Set<String>) -> Int {
        var count = 0
        for (subscriber, page) in subscribers.values where page.map(pages.contains) ?? false {
            subscriber.yield(event)
            count += 1
        }
        return count
    }

    /// Sends `event` to every subscriber but those showing one of `pages`.
    func publish(_ event: ReloadEvent, exceptPagesIn pages: Set<String>) {
        for (subscriber, page) in subscribers.values where !(page.map(pages.contains) ?? false) {
            subscriber.yield(event)
        }
    }

    /// The pages the subscribers show, by URL path.
    var openPages: Set<String> { Set(subscribers.values.compactMap(\.page)) }

    /// This moment, for `waitForConnections`: subscribers added from now on come after it.
    var mark: Int { nextID }

    /// Waits until `count` subscribers have been added since `mark` (browsers told to reload have loaded a page
    /// again, that one or another, and run its script), or until `timeout`.
    func waitForConnections(_ count: Int, since mark: Int, timeout: Duration) async {
        let missing = count - (nextID - mark)
        guard missing > 0 else { return }
        let wait = nextWait
        nextWait += 1
        await withCheckedContinuation { continuation in
            let timer = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.endWait(wait)
            }
            waits[wait] = (missing, continuation, timer)
        }
    }

    private func endWait(_ wait: Int) {
        guard let entry = waits.removeValue(forKey: wait) else { return }
        entry.timer.cancel()
        entry.done.resume()
    }

    /// The URL path of a page as the live-reload script sends it (`location.pathname`, percent-encoded), in the
    /// form of `OutputPath.urlPath` (decoded; a folder's `index.html` as the folder); nil for anything else.
    static func page(from pathname: Substring) -> String? {
        guard pathname.hasPrefix("/"), var path = String(pathname).removingPercentEncoding else { return nil }
        if path.hasSuffix("/index.html") { path.removeLast("index.html".count) }
        return path
    }

    /// Whether the site is showing a failed build.
    var isFailing: Bool { currentFailure != nil }

    var subscriberCount: Int { subscribers.count }

    /// Ends every stream (at shutdown), and every wait.
    func finishAll() {
        for wait in Array(waits.keys) { endWait(wait) }
        for (subscriber, _) in subscribers.values { subscriber.finish() }
        subscribers = [:]
    }

    private func remove(_ id: Int) {
        subscribers[id] = nil
    }
}
