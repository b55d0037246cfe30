import Foundation
import QuillCore
import ServiceLifecycle

/// Builds the site once the server is listening, then rebuilds it after each burst of changes, one build at a
/// time, and tells the browsers: reload, swap stylesheets, show the error overlay, or hide it again. A rebuild
/// that changes a page a browser shows writes it first, and that browser reloads before the rest is written.
struct RebuildLoop: Service {
    let options: ServeOptions
    let session: ServeSession
    let hub: LiveReloadHub
    let watcher: any FileWatcher
    let log: ServeLog
    let onReady: @Sendable (URL) async -> Void

    func run() async throws {
        // The server's task fails without ever binding when the port is taken; this one is cancelled then.
        guard let port = await cancelWhenGracefulShutdown({ await session.waitForPort() }) else { return }
        let builder = PreviewBuilder(options: options, port: port)
        let first = await builder.build()
        if case .success(let report) = first { log.info(report.summary) }
        await publish(first)
        await session.open()
        await onReady(URL(string: options.baseURL(port: port))!)
        let links = LinkWarnings(SiteCheck(options: options.buildOptions(port: port, now: Date())), log: log)
        Task { await links.checkEverything() }  // not awaited: a big site's check must not hold up a Ctrl-C

        let coalescer = ChangeCoalescer(
            clock: ContinuousClock(), quiet: options.quietPeriod, maximumDelay: options.maximumDelay)
        let changes = watcher.changes()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await change in changes { await coalescer.add(change) }
                    if !Task.isCancelled { log.error("warning: stopped watching the site; restart to see changes") }
                }
                group.addTask {
                    while let batch = await coalescer.next() {
                        let (outcome, reloaded) = await rebuild(builder)
                        let changes = RebuildLog.notable(batch, in: options.source)
                        log.info(RebuildLog.line(changes: changes, outcome: outcome, at: Date()))
                        await publish(outcome, reloaded: reloaded)
                        if case .success(let report) = outcome {
                            await links.check(written: report.written, changes: changes)
                        }
                    }
                }
            }
        }
        await hub.finishAll()
    }

    /// The longest a rebuild waits for browsers to reload the pages it wrote first, in milliseconds; and how long it
    /// waits for their first request before it takes them to be gone.
    static let reloadAllowance = 500
    static let firstRequestAllowance = 150

    /// Rebuilds with the pages the browsers show written first (see `FirstPages`): a browser whose page changed
    /// reloads as soon as that page, and every file it may load, is written; the rest of the build (the other
    /// pages, the feeds) waits until that browser has loaded the page again, so that the two do not share the
    /// processor, but never longer than `reloadAllowance`. Returns how the build went and the pages reloaded so
    /// (by URL path). While the site shows an error, the fixing build is published as a whole.
    private func rebuild(_ builder: PreviewBuilder) async -> (Result<BuildReport, BuildFailure>, reloaded: Set<String>) {
        let shown = await hub.isFailing ? [] : await hub.openPages
        guard !shown.isEmpty else { return (await builder.build(), []) }
        let (firstWritten, announce) = AsyncStream.makeStream(of: (paths: [OutputPath], goOn: DispatchSemaphore).self)
        let allowance = Self.reloadAllowance
        let first = FirstPages(urls: shown) { paths in
            let goOn = DispatchSemaphore(value: 0)
            announce.yield((paths, goOn))
            _ = goOn.wait(timeout: .now() + .milliseconds(allowance))
        }
        async let outcome = {
            let outcome = await builder.build(first: first)
            announce.finish()
            return outcome
        }()
        var reloaded = Set<String>()
        for await (paths, goOn) in firstWritten {
            let urls = paths.map(\.urlPath.value)
            let pages = shown.intersection(urls)
            if !pages.isEmpty {
                reloaded.formUnion(pages)
                let mark = await hub.mark
                let told = ContinuousClock.now
                // Told, a browser asks for the page, and connects again once it has loaded: the first one back
                // ends the wait (with the page reloading in two tabs, the second may share the processor with the
                // rest of the build).
                if await hub.publish(.reload(paths: urls.sorted()), toPagesIn: pages) > 0 {
                    await hub.waitForReturn(since: mark, firstRequest: .milliseconds(Self.firstRequestAllowance),
                                            timeout: .milliseconds(allowance))
                    Trace.mark("  \(pages.sorted().joined(separator: " ")) reloaded first", told)
                }
            }
            goOn.signal()
        }
        return (await outcome, reloaded)
    }

    /// Tells the browsers how a build went; a failure's errors also go to the terminal. Browsers that showed a page
    /// in `reloaded` have reloaded it already, with every file it loads as this build left it; the rest of the
    /// build changed nothing they show.
    private func publish(_ outcome: Result<BuildReport, BuildFailure>, reloaded: Set<String> = []) async {
        switch outcome {
        case .success(let report):
            if await hub.isFailing { await hub.publish(.buildFixed) }
            if let event = ReloadEvent.after(written: report.written, removed: report.removed) {
                await hub.publish(event, exceptPagesIn: reloaded)
            }
        case .failure(let failure):
            log.error(failure.diagnostics.map(\.description).joined(separator: "\n"))
            await hub.publish(.buildFailed(BuildErrorReport(failure, site: options.source)))
        }
    }
}
