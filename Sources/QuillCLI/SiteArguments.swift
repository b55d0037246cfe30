import ArgumentParser
import Foundation
import QuillCore

/// `--source`, shared by the commands that work on a site. Without it, the site is the folder the command runs
/// in or the nearest one above it that holds a site.toml, as git finds a repository.
struct SiteFolder: ParsableArguments {
    @Option(name: .long, help: "The site folder, holding site.toml (default: this folder, or the nearest one above it that has one).",
            completion: .directory)
    var source: String?

    /// The site's folder; prints the reason and fails when there is none.
    func resolve() throws -> URL {
        if let source { return URL(fileURLWithPath: source) }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let site = SiteLoader.findSite(from: here) else {
            throw CommandFailure("error: no site.toml here (or in any parent folder)\n"
                + "  hint: run `quill new site my-blog` to create a site, then run quill inside it (or pass --source DIR)")
        }
        return site
    }
}

/// `--drafts` and `--future`, shared by `build` and `serve`.
struct ContentSelection: ParsableArguments {
    @Flag(help: "Include posts and pages marked draft.")
    var drafts = false

    @Flag(help: "Include posts dated in the future.")
    var future = false
}

/// A command that failed for a reason already put in words: printed to standard error, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String

    var description: String { message }

    init(_ message: String) {
        self.message = message
    }
}

extension ParsableCommand {
    /// Runs `body`, turning the failures it throws (a build's errors, a scaffold's, an import's, a command's own)
    /// into their text on standard error and exit status 1: the one place the CLI prints an error.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            throw Self.reported(error)
        }
    }

    /// A failure's text printed (an exit status passes through), and the exit status to throw: for a command
    /// whose work is async, which cannot call `reportingFailures`.
    static func reported(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        printError("\(error)")  // each failure's description is its whole text, hints included
        return ExitCode.failure
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The SOURCE_DATE_EPOCH of the environment, for reproducible feed dates.
func sourceDateEpoch() -> Date? {
    ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
}
