import Foundation

/// Quill's own syntax definitions (`Definitions/`), for the languages whose built-in one is wrong (Swift). They are
/// written once into a folder named by their hash, under the user's cache folder, whose `syntax/` KSyntaxHighlighting
/// searches before its built-in definitions (`addCustomSearchPath`). Nothing is written when the folder is there.
enum CustomDefinitions {
    /// FNV-1a of every file's name and text: names the folder, and goes into `Highlighter.definitionsVersion`.
    static let version: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, xml) in files {
            for byte in name.utf8 + [0] + xml.utf8 + [0] {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }()

    /// The folder to search ("" when it could not be written: the built-in definitions are used, and the version
    /// says so).
    static func install() -> String {
        let environment = ProcessInfo.processInfo.environment
        var bases: [String] = []
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { bases.append(cache + "/quill") }
        if let home = environment["HOME"], home.hasPrefix("/") { bases.append(home + "/.cache/quill") }
        bases.append(NSTemporaryDirectory() + "quill-\(getuid())")
        for base in bases {
            let folder = base + "/syntax-\(version)"
            if write(into: folder) { return folder }
        }
        return ""
    }

    private static func write(into folder: String) -> Bool {
        let manager = FileManager.default
        let syntax = folder + "/syntax"
        if files.allSatisfy({ manager.contents(atPath: syntax + "/" + $0.name) == Data($0.xml.utf8) }) { return true }
        do {
            try manager.createDirectory(atPath: syntax, withIntermediateDirectories: true)
            for (name, xml) in files {
                let temporary = syntax + "/.\(name).\(getpid()).tmp"
                try Data(xml.utf8).write(to: URL(fileURLWithPath: temporary))
                if rename(temporary, syntax + "/" + name) != 0 {
                    try? manager.removeItem(atPath: temporary)
                    return false
                }
            }
            return true
        } catch {
            return false
        }
    }
}
