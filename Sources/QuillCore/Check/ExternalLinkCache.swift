import Foundation

/// The answers of `quill check --external`, kept in the site's state folder as `external-links.json` (URL → its
/// status, its problem or new address, and when it was asked), so that a second check the same day asks no server.
/// Broken links are kept too: a check run again and again while fixing a post would otherwise wait on each dead
/// server every time. Their report says how old the answer is and that deleting the file asks again.
enum ExternalLinkCache {
    static let fileName = "external-links.json"

    /// The answers kept in `file`; none when it is missing or unreadable (the links are then asked again).
    static func load(from file: URL) -> [String: ExternalLinks.Answer] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [:] }
        return (try? decoder.decode([String: ExternalLinks.Answer].self, from: data)) ?? [:]
    }

    /// Writes `answers` to `file` in one step (a killed check leaves the previous file).
    static func save(_ answers: [String: ExternalLinks.Answer], to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(answers).write(to: file, options: .atomic)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
