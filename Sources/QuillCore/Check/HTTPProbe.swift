import CCurl
import Foundation

/// One HTTP request per call, stopped at the status line: a redirect is not followed (`ExternalLinks` follows them
/// one step at a time, to name each) and a body is not downloaded. Through libcurl, loaded the first time a link is
/// asked (see the CCurl module): linked, it would cost every start of quill 15 ms.
struct HTTPProbe: Sendable {
    /// What a server said.
    enum Answer: Sendable, Equatable {
        /// A status, with the target of a redirect.
        case status(Int, location: String?)
        /// No answer, and why.
        case failed(Failure)
    }

    enum Failure: Error, Sendable, Equatable {
        case timedOut, noSuchHost, refused, closedWithoutAnswer, insecure
        /// libcurl could not be loaded, or failed otherwise: its words.
        case other(String)
    }

    private let timeout: Int

    /// Requests that each wait `timeout` seconds at most.
    init(timeout: Int) { self.timeout = max(1, timeout) }

    /// libcurl, loaded and initialised once, before any request (curl_global_init is not thread-safe).
    nonisolated(unsafe) private static let curl: Result<QuillCurlAPI, Failure> = {  // written once, then only read
        var api = QuillCurlAPI()
        var why: UnsafePointer<CChar>?
        guard quill_curl_start(&api, &why) == 0 else {
            return .failure(.other("libcurl could not be loaded (\(why.map { String(cString: $0) } ?? "?")); "
                                   + "install it: apt-get install libcurl4"))
        }
        return .success(api)
    }()

    /// Asks `url` with `method` (`HEAD` or `GET`), on a thread of its own (libcurl's easy calls block).
    func ask(_ method: String, _ url: URL) async -> Answer {
        let timeout = self.timeout
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Self.ask(method, url.absoluteString, timeout: timeout))
            }
        }
    }

    private static func ask(_ method: String, _ url: String, timeout: Int) -> Answer {
        let api: QuillCurlAPI
        switch curl {
        case .success(let loaded): api = loaded
        case .failure(let failure): return .failed(failure)
        }
        var status = 0
        var location = [CChar](repeating: 0, count: 4096)
        let code = withUnsafePointer(to: api) { api in
            Int(quill_curl_probe(api, url, method == "HEAD" ? 1 : 0, timeout, "quill/\(QuillVersion.current) (link check)",
                             &status, &location, location.count))
        }
        if status > 0, code == QUILL_CURLE_OK || code == QUILL_CURLE_WRITE_ERROR {
            let target = String(decoding: location.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .status(status, location: target.isEmpty ? nil : target)
        }
        switch code {
        case QUILL_CURLE_OPERATION_TIMEDOUT: return .failed(.timedOut)
        case QUILL_CURLE_COULDNT_RESOLVE_HOST: return .failed(.noSuchHost)
        case QUILL_CURLE_COULDNT_CONNECT: return .failed(.refused)
        case QUILL_CURLE_GOT_NOTHING, QUILL_CURLE_RECV_ERROR: return .failed(.closedWithoutAnswer)
        case QUILL_CURLE_SSL_CONNECT_ERROR, QUILL_CURLE_PEER_FAILED_VERIFICATION: return .failed(.insecure)
        default: return .failed(.other(api.easy_strerror(Int32(code)).map { String(cString: $0) } ?? "libcurl error \(code)"))
        }
    }

    /// The reason phrase of an HTTP status (`404` → `Not Found`), for the common ones.
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: status >= 500 ? "server error" : "client error"
        }
    }
}
