import Foundation
import QuillCore
import ServiceLifecycle

/// Builds the site once the server is listening, then rebuilds it after each burst of changes, one build at a
/// time, and tells the browsers: reload, swap stylesheets, show the error overlay, or hide it again.
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
                        let outcome = await builder.build()
                        let changes = RebuildLog.notable(batch, in: options.source)
                        log.info(RebuildLog.line(changes: changes, outcome: outcome, at: Date()))
                        await publish(outcome)
                        if case .success(let report) = outcome {
                            await links.check(written: report.written, changes: changes)
                        }
                    }
                }
            }
        }
        await hub.finishAll()
    }

    /// Tells the browsers how a build went; a failure's errors also go to the terminal.
    private func publish(_ outcome: Result<BuildReport, BuildFailure>) async {
        switch outcome {
        case .success(let report):
            if await hub.isFailing { await hub.publish(.buildFixed) }
            if let event = ReloadEvent.after(written: report.written, removed: report.removed) {
                await hub.publish(event)
            }
        case .failure(let failure):
            log.error(failure.diagnostics.map(\.description).joined(separator: "\n"))
            await hub.publish(.buildFailed(BuildErrorReport(failure, site: options.source)))
        }
    }
}
