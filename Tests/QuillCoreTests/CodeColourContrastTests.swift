import Foundation
import Testing
@testable import QuillCore

/// The default theme's code colours are readable (WCAG AA) in its light and its dark palette.
@Suite struct CodeColourContrastTests {
    static let css = EmbeddedTheme.files["static/css/style.css"]!

    /// The custom properties of the first `:root { … }` after `marker` (a palette).
    static func palette(after marker: String) -> [String: String] {
        guard let start = marker.isEmpty ? css.startIndex : css.range(of: marker)?.upperBound,
              let open = css[start...].range(of: ":root {")?.upperBound,
              let close = css[open...].firstIndex(of: "}") else { return [:] }
        var values = [String: String]()
        for match in css[open..<close].matches(of: /(--[a-z-]+):\s*(#[0-9a-fA-F]{6});/) {
            values[String(match.1)] = String(match.2)
        }
        return values
    }

    static let light = palette(after: "")
    static let dark = palette(after: "@media (prefers-color-scheme: dark)")

    /// WCAG 2's relative luminance and contrast ratio.
    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { Double($0) / 255 }
        let linear = channels.map { $0 <= 0.03928 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test(arguments: ["light", "dark"])
    func everyTokenColourHasAContrastOfAtLeast4_5OnTheCodeBackground(_ scheme: String) throws {
        let palette = scheme == "light" ? Self.light : Self.dark
        let tokens = palette.filter { $0.key.hasPrefix("--hl-") && $0.key != "--hl-line" }
        #expect(tokens.count >= 13, "\(scheme): \(palette.keys.sorted())")
        let backgrounds = [try #require(palette["--code-bg"]), try #require(palette["--hl-line"])]
        for (name, colour) in tokens {
            for background in backgrounds {
                let ratio = Self.contrast(colour, background)
                #expect(ratio >= 4.5, "\(scheme) \(name) \(colour) on \(background): \(ratio)")
            }
        }
        // Line numbers are drawn in --muted.
        #expect(Self.contrast(try #require(palette["--muted"]), backgrounds[0]) >= 4.5)
    }

    @Test(arguments: ["light", "dark"])
    func keywordsStringsCommentsNumbersAndNamesLookDifferent(_ scheme: String) throws {
        let palette = scheme == "light" ? Self.light : Self.dark
        let kinds = ["--hl-keyword", "--hl-string", "--hl-comment", "--hl-number", "--hl-function", "--hl-type"]
        let colours = try kinds.map { try #require(palette[$0], "\(scheme) \($0)") }
        #expect(Set(colours).count == kinds.count, "\(scheme): \(colours)")
    }

    @Test func bothPalettesDefineEveryColourTheRulesUse() {
        let used = Set(Self.css.matches(of: /var\((--hl-[a-z-]+)\)/).map { String($0.1) })
        #expect(used.count >= 13)
        for name in used {
            #expect(Self.light[name] != nil, "light \(name)")
            #expect(Self.dark[name] != nil, "dark \(name)")
        }
    }
}
