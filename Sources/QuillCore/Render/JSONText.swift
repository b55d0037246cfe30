import Foundation

/// JSON string literals: the search index's and the JSON feed's.
enum JSONText {
    /// `forHTML` also escapes `<`, U+2028 and U+2029, so that the text is safe inside a page's `<script>` too.
    static func string(_ s: String, forHTML: Bool = true) -> String {
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
