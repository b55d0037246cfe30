import Foundation

/// JSON string literals: the search index's and the JSON feed's.
enum JSONText {
    /// `forHTML` also escapes `<`, U+2028 and U+2029, so that the text is safe inside a page's `<script>` too.
    static func string(_ s: String, forHTML: Bool = true) -> String {
        // Most strings need no escape at all (0xE2 starts U+2028 and U+2029, and other characters: those go the
        // slow way).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || forHTML && ($0 == 0x3C || $0 == 0xE2) }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where forHTML: out += "\\u003c"
            default:
                if scalar.value < 0x20 || forHTML && (scalar.value == 0x2028 || scalar.value == 0x2029) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
