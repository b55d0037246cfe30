import ArgumentParser
import Foundation
import QuillCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Move a blog from another engine into a new Quill site.",
        subcommands: [ImportJekyll.self])
}

struct ImportJekyll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jekyll",
        abstract: "Import a Jekyll site (posts, drafts, pages, static files), keeping every post's URL.")

    @Argument(help: "The Jekyll site: the folder holding _config.yml. It is only read.")
    var source: String

    @Argument(help: "The folder for the new Quill site; it must be empty or absent.")
    var destination: String

    @Flag(help: "Write into a folder that is not empty, replacing files of the same path.")
    var force = false

    @Option(help: "A new permalink pattern for posts (e.g. /:year/:slug/); old URLs become redirects.")
    var permalink: String?

    @Flag(help: "Add each post's categories to its tags, so that they get tag pages (for blogs grouped by categories only, as WordPress's are).")
    var categoriesAsTags = false

    func validate() throws {
        if let permalink, (try? Permalink(permalink)) == nil {
            throw ValidationError("--permalink \"\(permalink)\" is not a pattern Quill knows; \(Permalink.tokenHint)")
        }
    }

    func run() throws {
        try reportingFailures {
            let site = try JekyllSiteReader.read(URL(fileURLWithPath: source))
            let result = JekyllImporter(newPermalink: permalink, categoriesAsTags: categoriesAsTags).convert(site)
            try ImportWriter.write(result.files, to: URL(fileURLWithPath: destination), force: force)
            print(result.report)
            print("build it with: cd \(destination) && quill build")
        }
    }
}
