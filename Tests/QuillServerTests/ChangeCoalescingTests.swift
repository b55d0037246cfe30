import Testing
@testable import QuillServer

/// An editor's save is several file events; one save must be one rebuild. Time is injected: the batcher takes
/// instants, the coalescer a manual clock.
@Suite struct ChangeCoalescingTests {
    typealias Instant = ManualClock.Instant

    static func at(_ milliseconds: Int) -> Instant { Instant(offset: .milliseconds(milliseconds)) }

    static func batcher() -> ChangeBatcher<Instant> {
        ChangeBatcher(quiet: .milliseconds(30), maximumDelay: .milliseconds(200))
    }

    @Test func vimsSaveIsOneBatchOfTheFileItSaved() {
        // vim with backupcopy=auto: probe file 4913, rename to a backup, write anew, delete the backup.
        var batcher = Self.batcher()
        for (time, path) in [(0, "content/posts/4913"), (1, "content/posts/4913"), (2, "content/posts/a.md~"),
                             (3, "content/posts/a.md"), (4, "content/posts/a.md"), (5, "content/posts/a.md~"),
                             (6, "content/posts/.a.md.swp")] {
            batcher.add(.path(path), at: Self.at(time))
        }
        #expect(batcher.take(at: Self.at(33)) == nil)  // the last relevant event was at 4 ms
        #expect(batcher.take(at: Self.at(34)) == [.path("content/posts/a.md")])
        #expect(batcher.deadline == nil)
    }

    @Test func aTemporaryFileRenamedOverTheOriginalIsOneBatch() {
        var batcher = Self.batcher()
        batcher.add(.path("content/posts/sedX1b2c3"), at: Self.at(0))
        batcher.add(.path("content/posts/a.md"), at: Self.at(2))
        #expect(batcher.deadline == Self.at(32))
        #expect(batcher.take(at: Self.at(32)) == [.path("content/posts/a.md"), .path("content/posts/sedX1b2c3")])
    }

    @Test func eachEventPushesTheDeadlineUntilTheMaximumDelay() {
        var batcher = Self.batcher()
        for time in stride(from: 0, through: 300, by: 20) {
            if let batch = batcher.take(at: Self.at(time)) {
                #expect(time == 200)
                #expect(batch == [.path("static/a.css")])
                return
            }
            batcher.add(.path("static/a.css"), at: Self.at(time))
        }
        Issue.record("no batch while events kept coming")
    }

    @Test func changesOutsideTheSourcesAndEditorFilesStartNoBatch() {
        var batcher = Self.batcher()
        for path in ["public/index.html", ".quill/state", "content/.a.md.swp", "content/a.md~", "content/.#a.md",
                     "content/4913", "notes.txt", "templates/.hidden/x.html", "content/posts/.b.md.swx"] {
            batcher.add(.path(path), at: Self.at(0))
        }
        #expect(batcher.deadline == nil)
        batcher.add(.path("site.toml"), at: Self.at(1))
        batcher.add(.path("themes/default/templates/post.html"), at: Self.at(1))
        batcher.add(.unknown, at: Self.at(2))
        #expect(batcher.take(at: Self.at(40)) == [
            .path("site.toml"), .path("themes/default/templates/post.html"), .unknown,
        ])
    }

    @Test func theCoalescerWaitsOnItsClockForTheBurstToGoQuiet() async throws {
        let clock = ManualClock()
        let coalescer = ChangeCoalescer(clock: clock, quiet: .milliseconds(30), maximumDelay: .milliseconds(200))
        let batches = Task { await coalescer.next() }

        await coalescer.add(.path("content/posts/a.md.tmp"))
        await coalescer.add(.path("content/posts/a.md"))
        await clock.waitForSleeps(1)                        // asleep until 30 ms
        clock.advance(by: .milliseconds(20))
        await coalescer.add(.path("content/posts/a.md"))    // at 20 ms: now due at 50 ms
        clock.advance(by: .milliseconds(15))                // 35 ms: wakes, finds the burst still going
        await clock.waitForSleeps(2)                        // so it sleeps again instead of handing out a batch
        clock.advance(by: .milliseconds(15))                // 50 ms
        let batch = try await withTimeout { await batches.value }
        #expect(batch == [.path("content/posts/a.md"), .path("content/posts/a.md.tmp")])
    }

    @Test func changesDuringARebuildMakeTheNextBatch() async throws {
        let clock = ManualClock()
        let coalescer = ChangeCoalescer(clock: clock, quiet: .milliseconds(30), maximumDelay: .milliseconds(200))
        await coalescer.add(.path("content/a.md"))
        clock.advance(by: .milliseconds(30))
        #expect(await coalescer.next() == [.path("content/a.md")])
        // The rebuild runs; meanwhile another save.
        await coalescer.add(.path("content/b.md"))
        let next = Task { await coalescer.next() }
        await clock.waitForSleeps(1)
        clock.advance(by: .milliseconds(30))
        #expect(try await withTimeout { await next.value } == [.path("content/b.md")])
    }

    @Test func aCancelledWaitEnds() async throws {
        let coalescer = ChangeCoalescer(clock: ManualClock(), quiet: .milliseconds(30), maximumDelay: .seconds(1))
        let waiting = Task { await coalescer.next() }
        waiting.cancel()
        #expect(try await withTimeout { await waiting.value } == nil)
    }
}
