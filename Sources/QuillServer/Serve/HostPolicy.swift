#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which `Host` and `Origin` values the preview answers. A page on another site can make a browser talk to
/// 127.0.0.1 by pointing a DNS name of its own there (DNS rebinding); checking `Host` stops that, and checking
/// `Origin` stops other pages from listening on the reload channel.
struct HostPolicy: Sendable {
    /// Lower-cased host names and addresses accepted (IPv6 in brackets).
    let names: Set<String>
    let port: Int
    /// Bound to every interface: any IP address is fine too (rebinding needs a DNS name).
    let acceptsAnyAddress: Bool

    init(boundHost: String, port: Int) {
        let bound = boundHost.lowercased()
        var names: Set<String> = ["localhost", "127.0.0.1", "[::1]"]
        names.insert(bound.contains(":") && !bound.hasPrefix("[") ? "[\(bound)]" : bound)
        self.names = names
        self.port = port
        acceptsAnyAddress = ["0.0.0.0", "::", "[::]"].contains(bound)
    }

    /// Whether `value` (`host[:port]`) names this server. Without `strictPort`, a value without a port is fine.
    func allowsHost(_ value: String, strictPort: Bool = false) -> Bool {
        let value = value.lowercased()
        let host: Substring, portText: Substring?
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { return false }
            host = value[...close]
            let rest = value[value.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return false }
            portText = rest.isEmpty ? nil : rest.dropFirst()
        } else {
            let parts = value.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return false }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        // The name is what stops rebinding; a port, when given, must be ours (browsers always give it but for 80).
        guard portText.map({ Int($0) == port }) ?? (!strictPort || port == 80) else { return false }
        return names.contains(String(host)) || (acceptsAnyAddress && Self.isAddress(host))
    }

    /// Whether a request's `Origin` is this server (a page on another port of the same host is another origin).
    /// Requests without one (same-origin GETs) are fine.
    func allowsOrigin(_ value: String?) -> Bool {
        guard let value else { return true }
        let prefix = "http://"
        guard value.lowercased().hasPrefix(prefix) else { return false }
        return allowsHost(String(value.dropFirst(prefix.count)), strictPort: true)
    }

    private static func isAddress(_ host: Substring) -> Bool {
        var buffer = in6_addr()
        if host.hasPrefix("[") && host.hasSuffix("]") {
            return inet_pton(AF_INET6, String(host.dropFirst().dropLast()), &buffer) == 1
        }
        return inet_pton(AF_INET, String(host), &buffer) == 1
    }
}
