import Foundation
import QuillCore

/// A message on the live-reload channel, sent to the browsers as a Server-Sent Event.
enum ReloadEvent: Sendable, Equatable {
    /// First on every connection: which server run this is (a browser that sees a new one reloads).
    case hello(server: String)
    /// Pages changed: reload.
    case reload(paths: [String])
    /// Only these stylesheets changed: swap them in place.
    case stylesheets(paths: [String])
    /// The last rebuild failed: show the overlay.
    case buildFailed(BuildErrorReport)
    /// A rebuild succeeded after a failure: hide the overlay.
    case buildFixed

    /// The SSE event name the page's script listens for.
    var name: String {
        switch self {
        case .hello: "hello"
        case .reload: "reload"
        case .stylesheets: "css"
        case .buildFailed: "build-error"
        case .buildFixed: "build-ok"
        }
    }

    /// The event's data: one line of JSON.
    var data: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: Data?
        switch self {
        case .hello(let server): json = try? encoder.encode(["server": server])
        case .reload(let paths), .stylesheets(let paths): json = try? encoder.encode(["paths": paths])
        case .buildFailed(let report): json = try? encoder.encode(report)
        case .buildFixed: json = Data("{}".utf8)
        }
        return json.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The event as it goes on the wire.
    var serverSentEvent: String { "event: \(name)\ndata: \(data)\n\n" }

    /// What browsers should do after a successful build: nothing when no file changed, a stylesheet swap when
    /// only stylesheets changed, a reload otherwise.
    static func after(written: [OutputPath], removed: [OutputPath]) -> ReloadEvent? {
        let changed = written + removed
        guard !changed.isEmpty else { return nil }
        let paths = changed.map(\.urlPath.value).sorted()
        if removed.isEmpty, written.allSatisfy({ $0.value.hasSuffix(".css") }) {
            return .stylesheets(paths: paths)
        }
        return .reload(paths: paths)
    }
}
