import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP server on 127.0.0.1 (a free port), for `quill check --external` tests: each path answers with a
/// status (and a `Location`), or never answers. It counts the requests it gets and the most it held at once. Plain
/// BSD sockets, a thread per connection.
///
/// ```swift
/// let server = try LocalHTTPServer(["/ok": .status(200), "/hang": .never])
/// defer { server.stop() }
/// let url = server.url("/ok")   // http://127.0.0.1:PORT/ok
/// ```
final class LocalHTTPServer: Sendable {
    enum Reply: Sendable {
        case status(Int, location: String? = nil)
        /// No answer at all: the connection is held until the client gives up.
        case never
    }

    private struct State {
        var requests: [String] = []
        var open = 0
        var mostOpen = 0
        var stopped = false
    }

    let port: Int
    private let listener: Int32
    private let routes: [String: Reply]
    private let state = Mutex(State())

    /// Listening; `routes` are paths → replies, any other path answers 404.
    init(_ routes: [String: Reply]) throws {
        self.routes = routes
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 64) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptConnections() }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests so far, as `METHOD /path`, in the order they came.
    var requests: [String] { state.withLock { $0.requests } }

    /// The most connections open at one time.
    var mostAtOnce: Int { state.withLock { $0.mostOpen } }

    /// Stops listening (connections held open end when their clients give up).
    func stop() {
        let stopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !stopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the thread blocked in accept
        close(listener)
    }

    private func acceptConnections() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if state.withLock({ $0.stopped }) || errno != EINTR { return }
                continue
            }
            state.withLock {
                $0.open += 1
                $0.mostOpen = max($0.mostOpen, $0.open)
            }
            Thread.detachNewThread { [self] in answer(client) }
        }
    }

    private func answer(_ client: Int32) {
        defer {
            close(client)
            state.withLock { $0.open -= 1 }
        }
        var request = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
        while !request.ends(with: Array("\r\n\r\n".utf8)) {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            request += buffer[..<count]
        }
        let line = String(decoding: request, as: UTF8.self).prefix { $0 != "\r" }.split(separator: " ")
        guard line.count >= 2 else { return }
        state.withLock { $0.requests.append("\(line[0]) \(line[1])") }
        switch routes[String(line[1])] ?? .status(404) {
        case .never:
            while recv(client, &buffer, buffer.count, 0) > 0 {}  // until the client hangs up
        case .status(let code, let location):
            var head = "HTTP/1.1 \(code) Status\r\n"  // clients go by the number, not the phrase
            if let location { head += "Location: \(location)\r\n" }
            head += "Content-Length: 0\r\nConnection: close\r\n\r\n"
            _ = head.utf8CString.withUnsafeBufferPointer { send(client, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        }
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
