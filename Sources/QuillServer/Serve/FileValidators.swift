/// A served file's ETag and Last-Modified, and the conditional-request check that turns a repeat request into a
/// 304. Both come from the file's stat data, so they change exactly when the build rewrites the file.
struct FileValidators: Sendable, Equatable {
    /// A strong entity tag, quoted.
    let etag: String
    /// The modification time as an HTTP date.
    let lastModified: String
    private let modifiedSeconds: Int

    /// `variant` tells apart bodies the server changes on the way out (HTML with the live-reload script).
    init(file: ServedFile, variant: String? = nil) {
        let nanoseconds = String(file.modifiedSeconds, radix: 16) + "." + String(file.modifiedNanoseconds, radix: 16)
        etag = "\"" + [String(file.inode, radix: 16), String(file.size, radix: 16), nanoseconds, variant]
            .compactMap { $0 }.joined(separator: "-") + "\""
        modifiedSeconds = file.modifiedSeconds
        lastModified = HTTPDate.format(file.modifiedSeconds)
    }

    /// Whether the client's copy is current (RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since).
    func isNotModified(ifNoneMatch: String?, ifModifiedSince: String?) -> Bool {
        if let ifNoneMatch {
            return ifNoneMatch.split(separator: ",").contains { candidate in
                var tag = candidate.trimmingSpaces
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }  // weak comparison, as for GET
                return tag == etag
            }
        }
        if let ifModifiedSince, let since = HTTPDate.parse(ifModifiedSince) {
            return modifiedSeconds <= since
        }
        return false
    }
}

extension StringProtocol {
    var trimmingSpaces: SubSequence {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
