import Foundation
import QuillTestSupport
import Testing
@testable import QuillHighlight

/// The text a reader sees of highlighted HTML: tags removed, entities decoded.
func visibleText(_ html: String) -> String {
    var out = ""
    var i = html.startIndex
    while i < html.endIndex {
        let c = html[i]
        if c == "<" {
            i = html[i...].firstIndex(of: ">").map { html.index(after: $0) } ?? html.endIndex
            continue
        }
        if c == "&", let semicolon = html[i...].firstIndex(of: ";") {
            switch html[i...semicolon] {
            case "&amp;": out.append("&")
            case "&lt;": out.append("<")
            case "&gt;": out.append(">")
            case "&quot;": out.append("\"")
            default: out += html[i...semicolon]
            }
            i = html.index(after: semicolon)
            continue
        }
        out.append(c)
        i = html.index(after: i)
    }
    return out
}

/// Pygments' short token class names (pygments.token.STANDARD_TYPES), the only classes the highlighter may write.
let pygmentsClasses: Set<String> = [
    "w", "esc", "err", "x", "k", "kc", "kd", "kn", "kp", "kr", "kt", "n", "na", "nb", "bp", "nc", "no", "nd", "ni",
    "ne", "nf", "fm", "py", "nl", "nn", "nx", "nt", "nv", "vc", "vg", "vi", "vm", "l", "ld", "s", "sa", "sb", "sc",
    "dl", "sd", "s2", "se", "sh", "si", "sx", "sr", "s1", "ss", "m", "mb", "mf", "mh", "mi", "il", "mo", "o", "ow",
    "p", "c", "ch", "cm", "cp", "cpf", "c1", "cs", "g", "gd", "ge", "gr", "gh", "gi", "go", "gp", "gs", "gu", "gt",
]

func html(_ code: String, _ language: String) throws -> String {
    guard case .highlighted(let html, _) = Highlighter.highlight(code, as: language) else {
        Issue.record("\(language) was not highlighted")
        throw CancellationError()
    }
    return html
}

@Suite struct HighlighterTests {
    @Test func everyAliasNamesADefinitionTheLibraryHas() {
        let names = Set(Highlighter.definitionNames.map { $0.lowercased() })
        #expect(names.count > 300)
        for (alias, definition) in Languages.aliases {
            #expect(names.contains(definition.lowercased()), "alias \(alias) → \(definition)")
        }
    }

    @Test(arguments: Samples.byLanguage.map(\.language))
    func commonLanguagesAreHighlightedIntoPygmentsClasses(_ language: String) throws {
        let code = Samples.byLanguage.first { $0.language == language }!.code
        let out = try html(code, language)
        let classes = out.matches(of: /<span class="([a-z0-9]+)">/).map { String($0.1) }
        #expect(classes.count >= 2, "\(language): \(out)")
        for name in classes { #expect(pygmentsClasses.contains(name), "\(language): class \(name)") }
    }

    @Test func keywordsStringsCommentsAndNumbersGetTheirOwnClasses() throws {
        let out = try html("def f(x):\n    return \"s\" + 42  # c\n", "python")
        #expect(out.contains("<span class=\"kd\">def</span>"))
        #expect(out.contains("<span class=\"k\">return</span>"))
        #expect(out.contains("<span class=\"s2\">&quot;s&quot;</span>"))
        #expect(out.contains("<span class=\"mi\">42</span>"))
        #expect(out.contains("<span class=\"c1\"># c</span>"))
    }

    @Test func namesAsAuthorsWriteThemFindTheLanguage() {
        for name in ["py", "Python", "python3", "sh", "shell", "zsh", "console", "js", "ts", "rs", "golang", "c++",
                     "cpp", "cs", "kt", "rb", "yml", "md", "make", "docker", "dockerfile", "toml", "diff"] {
            #expect(Highlighter.knows(name), "\(name)")
        }
        #expect(!Highlighter.knows("no-such-language"))
        #expect(!Highlighter.knows("text"))
        #expect(Highlighter.highlight("x", as: "no-such-language") == .unknownLanguage)
    }

    @Test func theTextIsExactlyTheCodeAndEachLineStaysOnItsLine() throws {
        for (language, code) in Samples.byLanguage {
            let out = try html(code, language)
            #expect(visibleText(out) == code, "\(language)")
            #expect(out.split(separator: "\n", omittingEmptySubsequences: false).count
                    == code.split(separator: "\n", omittingEmptySubsequences: false).count, "\(language)")
            for line in out.split(separator: "\n") {  // every span closes on its own line
                #expect(line.components(separatedBy: "<span").count == line.components(separatedBy: "</span>").count,
                        "\(language): \(line)")
            }
        }
    }

    @Test func fuzzedInputsComeBackExactly() throws {
        var random = SplitMix(seed: 16)
        let alphabet = Array("abcdef xyz019_\t\n \"'`\\/*#<>&;{}()[]$@%!?.,:=+-|~^é€🎉\r")
        let languages = ["python", "rust", "bash", "javascript", "yaml", "html", "c++", "sql", "ruby", "swift", "json"]
        for round in 0..<300 {
            let length = Int(random.next() % 400)
            var code = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            if round % 3 == 0 { code += "\n" }
            let language = languages[round % languages.count]
            let out = try html(code, language)
            #expect(visibleText(out) == code, "\(language) round \(round): \(code.debugDescription)")
        }
    }

    @Test func manyThreadsGetTheSameOutputAsOne() async throws {
        let expected = try Samples.byLanguage.map { try html($0.code, $0.language) }
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    Samples.byLanguage.map {
                        if case .highlighted(let html, _) = Highlighter.highlight($0.code, as: $0.language) { return html }
                        return ""
                    }
                }
            }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == expected) }
    }

    @Test func theDefinitionsVersionIsStableAndNamesTheLibrary() {
        #expect(Highlighter.definitionsVersion == Highlighter.definitionsVersion)
        #expect(Highlighter.definitionsVersion.contains("KF5SyntaxHighlighting"))
    }
}

