import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends bytes exactly as given to a server on 127.0.0.1 and returns everything it answers until it closes: for
/// requests no HTTP client would send (a foreign `Host`, a raw `..` or NUL in the path).
enum RawHTTP {
    static func exchange(port: Int, _ request: String) async throws -> String {
        try await Task.detached {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EIO) }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 60, tv_usec: 0)  // see withTimeout
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            let bytes = Array(request.utf8)
            guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
            var answer = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count < 0 && errno == EINTR { continue }
                if count < 0 && answer.isEmpty { throw RawHTTPError.receive(errno: errno) }
                guard count > 0 else { break }
                answer += buffer[..<count]
            }
            return String(decoding: answer, as: UTF8.self)
        }.value
    }

    enum RawHTTPError: Error { case receive(errno: Int32) }

    /// A socket listening on a free loopback port, to make that port busy; closed when released.
    final class Listener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard bound else { throw POSIXError(.EADDRINUSE) }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }
}
