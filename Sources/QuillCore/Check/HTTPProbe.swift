import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One HTTP request at a time per call, stopped at the status line: a redirect is not followed (`ExternalLinks`
/// follows them one step at a time, to name each) and a body is not downloaded.
struct HTTPProbe: Sendable {
    /// What a server said.
    enum Answer: Sendable, Equatable {
        /// A status, with the `Location` header of a redirect.
        case status(Int, location: String?)
        /// No answer; the error's code when URLSession gave one.
        case failed(URLError.Code?)
    }

    private let session: URLSession
    private let responses = Responses()
    private let timeout: TimeInterval

    /// Requests that each wait `timeout` seconds at most. The caller keeps to its own limits: URLSession's limit of
    /// connections to a host is set above them (`connections`), so that no request waits for a connection inside
    /// URLSession, timing out before it was sent.
    init(timeout: TimeInterval, connections: Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: responses, delegateQueue: nil)
        self.timeout = timeout
    }

    /// Asks `url` with `method` (`HEAD` or `GET`).
    func ask(_ method: String, _ url: URL) async -> Answer {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("quill/\(QuillVersion.current) (link check)", forHTTPHeaderField: "User-Agent")
        return await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request)
            responses.expect(task.taskIdentifier, continuation)
            task.resume()
        }
    }

    /// Lets the session go once its requests are done (it holds its delegate until then).
    func close() {
        session.finishTasksAndInvalidate()
    }

    /// The session's delegate: keeps each request's status and resumes its caller when the request ends.
    private final class Responses: NSObject, URLSessionDataDelegate, Sendable {
        private struct Pending {
            var continuation: CheckedContinuation<Answer, Never>
            var answer: Answer?
        }

        private let pending = Mutex<[Int: Pending]>([:])

        func expect(_ task: Int, _ continuation: CheckedContinuation<Answer, Never>) {
            pending.withLock { $0[task] = Pending(continuation: continuation) }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)  // the redirect itself is the answer
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
            if let http = response as? HTTPURLResponse {
                let answer = Answer.status(http.statusCode, location: http.value(forHTTPHeaderField: "Location"))
                pending.withLock { $0[dataTask.taskIdentifier]?.answer = answer }
            }
            completionHandler(.cancel)  // the status is all a link check needs
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            guard let done = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
            done.continuation.resume(returning: done.answer ?? .failed((error as? URLError)?.code))
        }
    }
}
