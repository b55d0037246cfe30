import Foundation
import Testing
@testable import QuillHighlight

/// Inputs made to hurt a highlighter: huge blocks, huge lines, strings and comments that never end, deep nesting.
/// Each comes back exactly, and highlighting it takes time linear in its size: four times the input may not take
/// more than eight times as long (quadratic would be sixteen). Times are process CPU time, the best of three.
@Suite struct HostileInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var language: String
        var make: @Sendable (Int) -> String  // an input of about n bytes
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "1 MB of ordinary code", language: "python") { n in
            String(repeating: "def f(x):\n    return \"s\" + 42  # comment\n", count: n / 40)
        },
        Case(name: "one 100,000-character line", language: "javascript") { n in
            String(repeating: "a = b + \"c\"; ", count: n / 13)
        },
        Case(name: "an unterminated string", language: "python") { n in
            "x = \"" + String(repeating: "never closed \\\" ", count: n / 16)
        },
        Case(name: "an unterminated comment over many lines", language: "c") { n in
            "/* " + String(repeating: "still a comment\n", count: n / 16)
        },
        Case(name: "deep nesting", language: "json") { n in
            String(repeating: "[{\"a\":", count: n / 12) + String(repeating: "1}]", count: n / 12)
        },
        Case(name: "deep nesting on many lines", language: "rust") { n in
            String(repeating: "{ (\n", count: n / 8) + String(repeating: ") }\n", count: n / 8)
        },
        Case(name: "an unterminated heredoc", language: "bash") { n in
            "cat <<EOF\n" + String(repeating: "$x `y` \"z\n", count: n / 11)
        },
    ]

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func time(_ code: String, _ language: String) -> (Double, Highlighter.Outcome) {
        var best = Double.infinity
        var outcome = Highlighter.Outcome.unknownLanguage
        for _ in 0..<3 {
            let start = cpuSeconds()
            outcome = Highlighter.highlight(code, as: language)
            best = min(best, cpuSeconds() - start)
        }
        return (best, outcome)
    }

    @Test(.serialized, arguments: cases)
    func comesBackExactlyInLinearTime(_ hostile: Case) throws {
        let small = hostile.make(250_000), large = hostile.make(1_000_000)
        _ = Highlighter.highlight("warm up", as: hostile.language)
        let (smallTime, _) = Self.time(small, hostile.language)
        let (largeTime, outcome) = Self.time(large, hostile.language)
        guard case .highlighted(let html, _) = outcome else {
            Issue.record("\(hostile.name): \(outcome)")
            return
        }
        #expect(visibleText(html) == large, "\(hostile.name)")
        print("hostile \(hostile.name): \(large.utf8.count) bytes in \(largeTime) s, \(small.utf8.count) in \(smallTime) s")
        #expect(largeTime <= max(smallTime, 0.01) * 8, "\(hostile.name): \(smallTime) s → \(largeTime) s")
    }
}
