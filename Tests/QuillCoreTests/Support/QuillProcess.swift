import Foundation
import Testing

/// The `quill` command that `swift build` puts beside this test bundle, run in a child process with a time limit,
/// so that a crash or a hang of the real binary fails one test instead of ending the test run:
///
/// ```swift
/// let run = try QuillProcess.run(["build", "--source", site.root.path])
/// #expect(run.ending == .exited(1))
/// ```
struct QuillProcess {
    /// How a run ended.
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        case timedOut

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
            case .timedOut: "still running after the time limit (killed)"
            }
        }
    }

    /// A finished run: how it ended and what it printed.
    struct Outcome: CustomStringConvertible {
        var ending: Ending
        var stdout: String
        var stderr: String

        var description: String { "\(ending)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)" }
    }

    /// `quill` in the folder of the running test bundle (`.build/<triple>/debug/`), where `swift build --build-tests`
    /// and `swift test` put it; nil when it is not there.
    static let binary: URL? = {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let quill = bundle.deletingLastPathComponent().appendingPathComponent("quill")
        return FileManager.default.isExecutableFile(atPath: quill.path) ? quill : nil
    }()

    /// Runs `prefix + [quill] + arguments` (`prefix` is a wrapper such as `setpriv …` or `sh -c …`, found on PATH),
    /// with stdin empty, and kills it when it runs past `timeout`.
    /// `quill` (another copy of the binary) replaces the one beside the test bundle; `directory` is the working folder.
    static func run(_ arguments: [String], prefix: [String] = [], quill: URL? = nil,
                    environment: [String: String] = [:], in directory: URL? = nil, timeout: Duration = .seconds(20),
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Outcome
    {
        let quill = try #require(quill ?? binary,
                                 "no quill binary beside the test bundle; build it with `swift build --build-tests`",
                                 sourceLocation: sourceLocation)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("quill-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let stdoutURL = logs.appendingPathComponent("stdout"), stderrURL = logs.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = prefix + [quill.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        if let directory { process.currentDirectoryURL = directory }
        let out = try FileHandle(forWritingTo: stdoutURL), err = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        var ending: Ending
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            ending = .timedOut
        } else if process.terminationReason == .uncaughtSignal {
            ending = .signalled(process.terminationStatus)
        } else {
            ending = .exited(process.terminationStatus)
        }
        let text = { (url: URL) in String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self) }
        return Outcome(ending: ending, stdout: text(stdoutURL), stderr: text(stderrURL))
    }

    /// `quill build --source site [--output output]`.
    static func build(_ site: URL, output: URL? = nil, _ extra: [String] = [], prefix: [String] = [],
                      quill: URL? = nil, timeout: Duration = .seconds(20),
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Outcome {
        try run(["build", "--source", site.path] + (output.map { ["--output", $0.path] } ?? []) + extra,
                prefix: prefix, quill: quill, timeout: timeout, sourceLocation: sourceLocation)
    }
}
