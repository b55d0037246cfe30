/// Quill's own syntax definitions, for the languages whose built-in one is wrong. Installed later in this issue.
enum CustomDefinitions {
    static func install() -> String { "" }
    static let version = "none"
}
