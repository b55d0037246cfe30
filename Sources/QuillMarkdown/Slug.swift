/// Turns titles, tags and headings into URL- and filename-safe slugs.
///
/// Letters are lowercased and stripped of diacritics (`Ünïcode` → `unicode`); letters of scripts without a Latin
/// form stay as they are. `+`, `#` and `&` are spelled out so that `C`, `C++` and `C#` stay distinct
/// (`c`, `c-plus-plus`, `c-sharp`); everything else that is not a letter or digit becomes a single `-`.
public enum Slug {
    /// The slug of `text`; empty when `text` has no letters, digits or spelled-out symbols.
    public static func make(_ text: String) -> String {
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
}
