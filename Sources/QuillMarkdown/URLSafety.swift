import Foundation

/// Which URLs a post may carry. Raw HTML is kept, so script URLs are removed from it too.
enum URLSafety {
    static func isDangerous(_ url: String, isImage: Bool) -> Bool {
        let lower = url.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("file:") { return true }
        if lower.hasPrefix("data:") {
            let safeImages = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            return !(isImage && safeImages.contains { lower.hasPrefix($0) })
        }
        return false
    }

    /// True for URLs without a scheme that a feed reader would resolve against the wrong base.
    static func isRelative(_ url: String) -> Bool {
        guard !url.isEmpty else { return false }
        if url.hasPrefix("//") { return false }
        guard let colon = url.firstIndex(of: ":") else { return true }
        let scheme = url[..<colon]
        return scheme.isEmpty || !scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            || scheme.contains("/")
    }

    nonisolated(unsafe) private static let scriptURLAttribute = try! NSRegularExpression(
        pattern: #"((?:href|src|action|formaction|xlink:href|poster|data)\s*=\s*["']?)\s*(?:javascript|vbscript):[^"'\s>]*"#,
        options: [.caseInsensitive])

    /// `html` with `javascript:` and `vbscript:` attribute values replaced by `#`; nil when nothing changed.
    static func neutralizeScriptURLs(inRawHTML html: String) -> String? {
        let lower = html.lowercased()
        guard lower.contains("script:") else { return nil }
        let range = NSRange(html.startIndex..., in: html)
        let result = scriptURLAttribute.stringByReplacingMatches(in: html, range: range, withTemplate: "$1#")
        return result == html ? nil : result
    }
}
