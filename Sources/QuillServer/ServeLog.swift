import Foundation

/// Where the server's messages go: a line per rebuild to `info`, a failed build's errors to `error`.
public struct ServeLog: Sendable {
    /// The URL, a line per rebuild.
    public var info: @Sendable (String) -> Void
    /// A failed build's errors, warnings about the watcher.
    public var error: @Sendable (String) -> Void

    /// Messages to these two places.
    public init(info: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.info = info
        self.error = error
    }

    /// Standard output and standard error, a line at a time.
    public static let standard = ServeLog(
        info: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
        error: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })

    /// Nowhere (tests).
    public static let silent = ServeLog(info: { _ in }, error: { _ in })
}
