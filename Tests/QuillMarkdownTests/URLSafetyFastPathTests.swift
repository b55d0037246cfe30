import Foundation
import Testing
@testable import QuillMarkdown

/// The byte-level fast paths of `URLSafety` answer what the Foundation versions they skip answer.
@Suite struct URLSafetyFastPathTests {
    static let urls = [
        "https://example.org/", "HTTPS://x", "javascript:alert(1)", "JavaScript:alert(1)", " javascript:x",
        "\tjavascript:x", "java\tscript:x", "vbscript:x", "VBScript:x", "file:///etc/passwd", "FILE:x",
        "data:image/png;base64,AA", "DATA:image/png;base64,AA", "data:text/html,<b>", "data:image/svg+xml,x",
        "mailto:a@b.c", "/relative/path", "relative", "#top", "?q=1", "", " ", ":", "a:", "1a:b", "+x:y",
        "\u{212A}avascript:x", "jav\u{0430}script:x", "\u{00A0}javascript:x", "x-y.z+w:1", "ex%41mple:x",
        "a/b:c", "//host/path", "straße:x", "veryveryveryverylongscheme:x", "C:\\path",
    ]

    /// What `isDangerous` answered before its fast path.
    static func reference(_ url: String, isImage: Bool) -> Bool {
        let lower = url.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("file:") { return true }
        if lower.hasPrefix("data:") {
            let safeImages = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            return !(isImage && safeImages.contains { lower.hasPrefix($0) })
        }
        return false
    }

    /// What `isRelative` answered before its fast path.
    static func referenceIsRelative(_ url: String) -> Bool {
        guard !url.isEmpty else { return false }
        if url.hasPrefix("//") { return false }
        guard let colon = url.firstIndex(of: ":") else { return true }
        let scheme = url[..<colon]
        return scheme.isEmpty || !scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            || scheme.contains("/")
    }

    @Test func dangerousURLsAreTheOnesFoundationLowercasingFinds() {
        for url in Self.urls {
            for isImage in [false, true] {
                #expect(URLSafety.isDangerous(url, isImage: isImage) == Self.reference(url, isImage: isImage),
                        "\(url.debugDescription) image: \(isImage)")
            }
        }
        #expect(URLSafety.isDangerous("JavaScript:alert(1)", isImage: false))
        #expect(!URLSafety.isDangerous("https://example.org/", isImage: false))
    }

    @Test func relativeURLsAreTheOnesCharacterPropertiesFind() {
        for url in Self.urls {
            #expect(URLSafety.isRelative(url) == Self.referenceIsRelative(url), "\(url.debugDescription)")
        }
        #expect(URLSafety.isRelative("/relative/path"))
        #expect(!URLSafety.isRelative("https://example.org/"))
    }
}
