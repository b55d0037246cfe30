import AsyncHTTPClient
import Foundation
import NIOCore

/// A Server-Sent Events reader for tests: connects to the preview's reload channel and hands out events one at
/// a time.
final class EventStreamClient: Sendable {
    struct Event: Sendable, Equatable {
        var name: String
        var data: String

        /// The data as JSON.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
        }
    }

    private let events: AsyncThrowingStream<Event, any Error>
    private let task: Task<Void, Never>

    init(url: URL) {
        let (events, continuation) = AsyncThrowingStream.makeStream(of: Event.self)
        self.events = events
        task = Task {
            do {
                let response = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: url.absoluteString), timeout: .seconds(300))
                var pending = ""
                for try await buffer in response.body {
                    pending += String(buffer: buffer)
                    while let end = pending.range(of: "\n\n") {
                        let block = pending[..<end.lowerBound]
                        pending = String(pending[end.upperBound...])
                        var event = Event(name: "message", data: "")
                        var isEvent = false
                        for line in block.split(separator: "\n") {
                            if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)); isEvent = true }
                            if line.hasPrefix("data: ") { event.data = String(line.dropFirst(6)); isEvent = true }
                        }
                        if isEvent { continuation.yield(event) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    deinit {
        task.cancel()
    }

    /// The next event, skipping none.
    func next() async throws -> Event? {
        var iterator = events.makeAsyncIterator()
        return try await iterator.next()
    }

    /// The next event named `name`, skipping others; fails if the stream ends first.
    func next(_ name: String) async throws -> Event {
        while let event = try await next() {
            if event.name == name { return event }
        }
        throw StreamEnded(waitingFor: name)
    }

    struct StreamEnded: Error { var waitingFor: String }
}
