import Foundation

/// Which URLs a post may carry. Raw HTML is kept, so script URLs are removed from it too.
enum URLSafety {
    static func isDangerous(_ url: String, isImage: Bool) -> Bool {
        // Every scheme below ends in `:`, and lowercasing never makes one.
        if !url.utf8.contains(UInt8(ascii: ":")) { return false }
        // A URL starting with an ASCII scheme: compare the scheme's bytes, lowercased (the usual `https:`).
        if let scheme = asciiScheme(url) {
            switch scheme {
            case "javascript", "vbscript", "file": return true
            case "data": break
            default: return false
            }
        }
        let lower = url.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("file:") { return true }
        if lower.hasPrefix("data:") {
            let safeImages = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            return !(isImage && safeImages.contains { lower.hasPrefix($0) })
        }
        return false
    }

    /// The part of `url` before its first `:`, lowercased, when the URL starts with an ASCII letter and that part
    /// is all ASCII; nil otherwise.
    private static func asciiScheme(_ url: String) -> String? {
        var bytes = [UInt8]()
        for byte in url.utf8 {
            if byte == UInt8(ascii: ":") { return String(decoding: bytes, as: UTF8.self) }
            if byte >= 0x80 || bytes.isEmpty && !byte.isASCIILetter {
                return nil
            }
            bytes.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
            if bytes.count > 16 { return "" }
        }
        return nil
    }

    /// True for URLs without a scheme that a feed reader would resolve against the wrong base.
    static func isRelative(_ url: String) -> Bool {
        guard !url.isEmpty else { return false }
        if url.hasPrefix("//") { return false }
        guard let colon = url.firstIndex(of: ":") else { return true }
        let scheme = url[..<colon]
        if scheme.utf8.allSatisfy({ $0 < 0x80 }) {
            return scheme.isEmpty || !scheme.utf8.allSatisfy { byte in
                byte.isASCIILetter || byte.isASCIIDigit || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".")
            }
        }
        return scheme.isEmpty || !scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            || scheme.contains("/")
    }

    private static let urlAttribute = try! NSRegularExpression(
        pattern: #"(\b(?:href|src|action|formaction|xlink:href|poster|data|background|cite)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)"#,
        options: [.caseInsensitive])

    /// `html` with every URL attribute that would run script (`javascript:`, also when hidden by entities,
    /// tabs or newlines, which browsers ignore) replaced by `"#"`; nil when nothing changed.
    static func neutralizeScriptURLs(inRawHTML html: String) -> String? {
        let lower = html.lowercased()
        guard lower.contains("script") || lower.contains("&") else { return nil }
        let ns = html as NSString
        var result = ""
        var last = 0
        for match in urlAttribute.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let valueRange = match.range(at: 2)
            var value = ns.substring(with: valueRange)
            if value.hasPrefix("\"") || value.hasPrefix("'") { value = String(value.dropFirst().dropLast()) }
            guard isDangerous(decodeForScheme(value), isImage: false) else { continue }
            result += ns.substring(with: NSRange(location: last, length: valueRange.location - last)) + "\"#\""
            last = valueRange.location + valueRange.length
        }
        guard last > 0 else { return nil }
        return result + ns.substring(from: last)
    }

    private static func isEntityCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "#" { return true }
        guard scalar.value < 128 else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// What a browser sees as the start of a URL: entities decoded, whitespace and control characters dropped.
    static func decodeForScheme(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        let named: [String: Unicode.Scalar] = ["colon": ":", "tab": "\t", "newline": "\n", "sol": "/", "amp": "&"]
        var scalars = Array(value.unicodeScalars)[...]
        while let first = scalars.first, out.count < 32 {
            scalars = scalars.dropFirst()
            if first == "&" {
                let body = scalars.prefix(while: isEntityCharacter)
                var decoded: Unicode.Scalar?
                let text = String(String.UnicodeScalarView(body))
                if text.hasPrefix("#x") || text.hasPrefix("#X") {
                    decoded = UInt32(text.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if text.hasPrefix("#") {
                    decoded = UInt32(text.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    decoded = named[text.lowercased()]
                }
                if let decoded {
                    scalars = scalars.dropFirst(body.count)
                    if scalars.first == ";" { scalars = scalars.dropFirst() }
                    if decoded.value > 0x20 { out.append(decoded) }
                    continue
                }
            }
            if first.value > 0x20 { out.append(first) }
        }
        return String(out)
    }
}
