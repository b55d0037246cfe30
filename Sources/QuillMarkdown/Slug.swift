/// Turns titles, tags and headings into URL- and filename-safe slugs.
///
/// Letters are lowercased and stripped of diacritics (`Ünïcode` → `unicode`); letters of scripts without a Latin
/// form stay as they are. `+`, `#` and `&` are spelled out so that `C`, `C++` and `C#` stay distinct
/// (`c`, `c-plus-plus`, `c-sharp`); everything else that is not a letter or digit becomes a single `-`.
public enum Slug {
    /// The slug of `text`; empty when `text` has no letters, digits or spelled-out symbols.
    public static func make(_ text: String) -> String { ascii(text) ?? general(text) }

    /// The rules on Unicode scalars, for any text.
    static func general(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingDash = false
        func emit(_ word: String) {  // a spelled-out symbol is a word of its own
            if !out.isEmpty { out.append("-") }
            pendingDash = false
            out.append(contentsOf: word.unicodeScalars)
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let props = scalar.properties
            switch props.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue  // diacritics left over from decomposition
            default: break
            }
            if props.isAlphabetic || props.numericType != nil {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                for lower in props.lowercaseMapping.unicodeScalars { out.append(lower) }
            } else if scalar == "+" {
                emit("plus"); pendingDash = true
            } else if scalar == "#" {
                emit("sharp"); pendingDash = true
            } else if scalar == "&" {
                emit("and"); pendingDash = true
            } else {
                pendingDash = true  // whitespace, punctuation, symbols
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// The same rules for text that is all ASCII (most titles, tags and headings), on bytes; nil for other text.
    static func ascii(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 8)
            var pendingDash = false
            func emit(_ word: StaticString) {
                if !out.isEmpty { out.append(0x2D) }
                word.withUTF8Buffer { out.append(contentsOf: $0) }
                pendingDash = true
            }
            for byte in bytes {
                switch byte {
                case 0x80...: return nil
                case 0x30...0x39, 0x61...0x7A, 0x41...0x5A:  // digits, letters
                    if pendingDash && !out.isEmpty { out.append(0x2D) }
                    pendingDash = false
                    out.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                case 0x2B: emit("plus")
                case 0x23: emit("sharp")
                case 0x26: emit("and")
                default: pendingDash = true
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
