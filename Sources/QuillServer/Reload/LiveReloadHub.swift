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
    /// Requests for the site's files answered so far (see `waitForReturn`).
    private var requests = 0
    /// Rebuilds waiting for a browser to connect again (see `waitForReturn`).
    private var waits: [Int: (done: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
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
        for wait in Array(waits.keys) { endWait(wait) }
    }

    /// A request for one of the site's files (a page, a stylesheet) is being answered.
    func requested() {
        requests += 1
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

    /// This moment, for `waitForReturn`: the subscribers added and the requests answered so far.
    var mark: (subscribers: Int, requests: Int) { (nextID, requests) }

    /// Waits until a subscriber has been added since `mark`: a browser told to reload has loaded a page again (that
    /// one or another) and runs its script. At most `timeout`; and only `firstRequest` when no file of the site is
    /// asked for in that time, so no browser is reloading (those told had left: a closed connection is not seen
    /// until an event fails to reach it).
    func waitForReturn(since mark: (subscribers: Int, requests: Int), firstRequest: Duration, timeout: Duration) async {
        guard nextID == mark.subscribers else { return }
        let wait = nextWait
        nextWait += 1
        await withCheckedContinuation { continuation in
            let timer = Task { [weak self] in
                try? await Task.sleep(for: firstRequest)
                if await self?.requests == mark.requests { await self?.endWait(wait) }
                try? await Task.sleep(for: timeout - firstRequest)
                await self?.endWait(wait)
            }
            waits[wait] = (continuation, timer)
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
