import Foundation
import Testing
import Yams
@testable import QuillCore

/// The fast reader of simple front matter (`SimpleYAML`) gives exactly what Yams gives, or leaves the text to Yams.
@Suite struct SimpleYAMLTests {
    /// Values chosen to sit on the edges of plain YAML: types YAML 1.1 would read, indicators, comments, quotes.
    static let values = [
        "Hello", "Hello, world", "It's here", "C#", "a # b", "a: b", "a:b", "10:30", "2024-01-02",
        "2024-01-02 10:00:00 -0800", "2024-01-02T10:00:00Z", "no", "yes", "Off", "ON", "y", "n", "~", "null", "Null",
        "true", "1.10", "1e3", "0x1F", "0o17", "012", "+1", "-1", ".5", ".inf", "-.inf", ".nan", "1_000", "<<", "=",
        "-", "- a", "-a", "?", "? a", ":a", "&a", "*a", "!x", "!!str 5", "|", ">", "%x", "@x", "`x", "[a, b]", "[]",
        "[ ]", "[a,]", "[a,,b]", "[1.10, 2]", "[\"q\", 'r']", "[a b, c]", "[C#]", "[no, yes]", "{a: 1}", "{}",
        "\"quoted\"", "'single'", "'it''s'", "\"esc\\n\"", "\"a\" b", "'a' b", "\"\"", "''", "émoji 🎉", "trail  ",
        "a  b", "ü", "a\u{85}b", "a\u{2028}b", "[a:b]", "[a, [b]]", "a]", "a}", "[a", "a, b]", "x\\y", "\"x\\y\"",
        "'x\\y'", "a ', b", "#", "a#", "a #", "'#'", "[\"a, b\"]", "[' x ']", "100%", "50 % off", "x: y: z",
    ]

    static let keys = ["title", "date", "tags", "draft", "author", "description", "x-y", "_k", "on", "null", "k2"]

    /// A random front matter of a few lines in the shapes the fast reader knows, and some it does not.
    static func frontMatter(_ random: inout SeededGenerator) -> String {
        var lines = [String]()
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let key = keys.randomElement(using: &random)!
            let value = values.randomElement(using: &random)!
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                lines.append("\(key):")
                let indent = ["", "  ", "    "].randomElement(using: &random)!
                for _ in 0..<Int.random(in: 0...3, using: &random) {
                    lines.append(indent + "- " + values.randomElement(using: &random)!)
                }
                if Bool.random(using: &random) { lines.append(indent + "-") }
            case 1: lines.append("# a comment")
            case 2: lines.append(["", "   ", "  # indented comment", "\t", " continued"].randomElement(using: &random)!)
            case 3: lines.append("\(key):\(value)")
            case 4: lines.append("\(key):   \(value)   ")
            default: lines.append("\(key): \(value)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    enum Outcome: Equatable {
        case fields([String: MetadataValue], [String: MetadataValue], [String: Int])
        case error(String)
    }

    /// NaN is not equal to itself; both readers give it for `.nan`.
    static func comparable(_ value: MetadataValue) -> MetadataValue {
        switch value {
        case .double(let d) where d.isNaN: return .string("(NaN)")
        case .array(let items): return .array(items.map(comparable))
        case .table(let table): return .table(table.mapValues(comparable))
        default: return value
        }
    }

    static func read(_ yaml: String, simple: Bool) -> Outcome {
        do {
            let front = try FrontMatter.parse("---\n" + yaml + "---\nBody\n", file: "a.md", simpleYAML: simple)
            return .fields(front.fields.mapValues(comparable), front.typed.mapValues(comparable), front.keyLines)
        } catch {
            return .error(error.description)
        }
    }

    @Test func simpleFrontMatterReadsAsYamsReadsIt() {
        var random = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["QUILL_RANDOM_SEED"] ?? "") ?? 2026)
        var taken = 0, differences = [String]()
        for _ in 0..<6000 {
            let yaml = Self.frontMatter(&random)
            let yams = Self.read(yaml, simple: false)
            if SimpleYAML.parse(yaml) != nil { taken += 1 }
            let fast = Self.read(yaml, simple: true)
            if fast != yams, differences.count < 5 { differences.append("\(yaml.debugDescription):\n  fast \(fast)\n  yams \(yams)") }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        #expect(taken > 800, "the fast reader took only \(taken) of 6000")
    }

    @Test func textWithAnInnerDashIsNeverANumberBoolOrNull() {
        let samples = Self.values + ["1e-5", "1.0e-5", "1.0E-5", "-1", "-1.5", "2024-01-01", "1-2", "-.inf", "1_0-0",
                                     "0x-1", "y-n", "190:20:30", "-190:20:30", "1e-", "e-1", "--", "2024-1-1 1:2:3"]
        for text in samples where FrontMatter.isTimestampOrText(text) {
            let tag = Resolver.default.resolveTag(of: Node(text))
            #expect(tag == .timestamp || tag == .str, "\(text) resolves to \(tag)")
        }
        #expect(FrontMatter.isTimestampOrText("2010-10-13T05:39:00Z"))
        #expect(!FrontMatter.isTimestampOrText("1.0e-5") && !FrontMatter.isTimestampOrText("-1"))
    }

    @Test func typicalFrontMatterTakesTheFastPath() {
        let yaml = """
            title: Django, and why I like it
            date: 2010-01-18 10:00:00 -0800
            tags: [python, django, "web dev"]
            categories:
              - Programming
              - Python
            draft: no
            # a comment
            author: R. Tyler Ballance

            """
        #expect(SimpleYAML.parse(yaml)?.map(\.key) == ["title", "date", "tags", "categories", "draft", "author"])
        #expect(Self.read(yaml, simple: true) == Self.read(yaml, simple: false))
    }

    @Test func whatTheFastPathDoesNotKnowGoesToYams() {
        for yaml in ["title: |\n  text\n", "a: &x 1\nb: *x\n", "a:\n  b: 1\n", "title: a # c\n", "t: \"a\\tb\"\n",
                     "t: a\nt: b\n", "t:\n\t- a\n", "t: a\n  continued\n", "? complex\n: key\n", "t: {a: 1}\n"] {
            #expect(SimpleYAML.parse(yaml) == nil, "\(yaml.debugDescription)")
        }
    }
}
