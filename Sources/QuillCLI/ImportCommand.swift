import ArgumentParser
import Foundation
import QuillCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Move a blog from another engine into a new Quill site.",
        subcommands: [ImportJekyll.self, ImportWordPress.self])
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

struct ImportWordPress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wordpress",
        abstract: "Import a WordPress export (Tools → Export, a WXR .xml file), keeping every post's URL.",
        discussion: """
            Published posts and pages keep their URLs; drafts, pending and private posts become drafts; \
            scheduled posts keep their date; trash and password-protected posts are left out. Media URLs stay as \
            they are unless --media names a local copy of wp-content/uploads. Nothing is written when the export \
            cannot be read.
            """)

    @Argument(help: "The export file (WXR 1.0–1.2). It is only read.", completion: .file(extensions: ["xml"]))
    var export: String

    @Argument(help: "The folder for the new Quill site; it must be empty or absent.")
    var destination: String

    @Flag(help: "Write into a folder that is not empty, replacing files of the same path.")
    var force = false

    @Option(help: "A local copy of wp-content/uploads (the folder holding 2013/01/…): files posts use are copied into static/ and their URLs rewritten.",
            completion: .directory)
    var media: String?

    @Flag(help: "Keep <script> elements and on… attributes in posts (taken out by default).")
    var keepScripts = false

    func run() throws {
        try reportingFailures {
            let file = URL(fileURLWithPath: export)
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                throw CommandFailure("error: cannot read \(export) (\(error.localizedDescription))\n"
                    + "  hint: pass the .xml file WordPress writes at Tools → Export")
            }
            let parsed = try WordPressExport.read(data, file: export)
            var importer = WordPressImporter(keepScripts: keepScripts)
            if let media {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: media, isDirectory: &isFolder), isFolder.boolValue else {
                    throw CommandFailure("error: --media \(media) is not a folder\n"
                        + "  hint: name the copy of wp-content/uploads, the folder holding 2013/01/…")
                }
                importer.media = WordPressExport.mediaFolder(URL(fileURLWithPath: media))
            }
            let result = importer.convert(parsed, file: file.lastPathComponent)
            try ImportWriter.write(result.files, to: URL(fileURLWithPath: destination), force: force)
            print(result.report)
            print("build it with: cd \(destination) && quill build")
        }
    }
}
