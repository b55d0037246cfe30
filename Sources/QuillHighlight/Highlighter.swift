import CSyntaxHighlighting

/// Highlights code at build time: KSyntaxHighlighting's tokens as `<span class="…">` with Pygments' short class
/// names (`k`, `s2`, `c1`, …), so any Pygments or Chroma stylesheet colours them. Safe from any thread.
public enum Highlighter {
    public enum Outcome: Equatable, Sendable {
        /// The code as HTML: escaped as cmark-gfm escapes code (`& < > "`), every span closed before each newline so
        /// line *i* of the HTML is line *i* of the code. `definition` is the syntax definition's name ("Python").
        case highlighted(html: String, definition: String)
        /// No definition for this language: the caller writes the code as plain escaped text.
        case unknownLanguage
        /// The library failed (it threw): the caller writes plain text and warns.
        case failed(String)
    }

    /// Highlights `code` as `language`: a name as authors write it after the fence (`py`, `Python`, `c++`,
    /// `dockerfile`, `console`; see `Languages`), any case.
    public static func highlight(_ code: String, as language: String) -> Outcome {
        guard let definition = Languages.definitionName(for: language) else { return .unknownLanguage }
        var code = code
        return code.withUTF8 { bytes in
            let result = bytes.withMemoryRebound(to: CChar.self) { chars in
                definition.withCString { name in
                    searchPath.withCString { path in
                        quill_syntax_highlight(name, chars.baseAddress ?? name, chars.count, path)
                    }
                }
            }
            switch result.status {
            case QUILL_SYNTAX_OK:
                defer { quill_syntax_free(result.html) }
                let html = String(decoding: UnsafeRawBufferPointer(start: result.html, count: result.length), as: UTF8.self)
                return .highlighted(html: html, definition: result.detail.map { String(cString: $0) } ?? definition)
            case QUILL_SYNTAX_UNKNOWN_LANGUAGE:
                return .unknownLanguage
            default:
                return .failed(result.detail.map { String(cString: $0) } ?? "the highlighter failed")
            }
        }
    }

    /// True when `language` (as written after a fence) names a syntax definition.
    public static func knows(_ language: String) -> Bool {
        guard let definition = Languages.definitionName(for: language) else { return false }
        return definition.withCString { name in searchPath.withCString { quill_syntax_knows(name, $0) != 0 } }
    }

    /// Changes whenever highlighting could change: the library (its built-in definitions are compiled into it),
    /// Quill's own definitions, and Quill's class mapping. A build-graph input; costs no definition loading.
    public static let definitionsVersion: String = {
        let custom = searchPath.isEmpty ? "none" : CustomDefinitions.version
        return "\(String(cString: quill_syntax_library_identity())); custom \(custom); classes \(classMappingVersion)"
    }()

    /// Bump when QuillSyntax.cpp's class mapping or line handling changes what it writes.
    static let classMappingVersion = 1

    /// The folder whose `syntax/` definitions override the library's built-in ones ("" for none).
    static let searchPath: String = CustomDefinitions.install()

    /// Every definition name the library knows (for documentation and tests).
    public static var definitionNames: [String] {
        var names: [String] = []
        let count = searchPath.withCString { quill_syntax_definition_count($0) }
        for index in 0..<count {
            if let name = searchPath.withCString({ quill_syntax_definition_name(index, $0) }) {
                names.append(String(cString: name))
            }
        }
        return names
    }
}
