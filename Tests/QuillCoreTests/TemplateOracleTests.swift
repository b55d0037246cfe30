import Foundation
import Mustache
import QuillTemplates
import Synchronization
import Testing
@testable import QuillCore

/// Every page Quill renders with its compiled templates is byte for byte what swift-mustache (the engine Quill
/// rendered with before) renders from the same templates and the same values.
@Suite struct TemplateOracleTests {
    /// Builds with `options`, renders every page again with swift-mustache, and returns the pages compared and
    /// the names of those that differ.
    static func compare(_ options: BuildOptions) throws -> (pages: Int, differing: [String]) {
        let found = Mutex(Found())
        var options = options
        options.renderObserver = { template, texts, root, bytes in
            let library = found.withLock { (state: inout Found) -> MustacheLibrary in
                if let known = state.libraries[texts] { return known }
                var library = MustacheLibrary()
                for (name, text) in texts {
                    if let compiled = try? MustacheTemplate(string: text) { library.register(compiled, named: name) }
                }
                state.libraries[texts] = library
                return library
            }
            let oracle = library.render(root.swiftValue as Any, withTemplate: template) ?? ""
            let ours = String(decoding: bytes, as: UTF8.self)
            found.withLock { (state: inout Found) in
                state.pages += 1
                if ours != oracle {
                    let at = Array(zip(ours, oracle)).firstIndex { $0 != $1 } ?? min(ours.count, oracle.count)
                    state.differing.append("\(template) at character \(at): "
                        + String(ours.dropFirst(max(0, at - 40)).prefix(120)).debugDescription + " vs "
                        + String(oracle.dropFirst(max(0, at - 40)).prefix(120)).debugDescription)
                }
            }
        }
        _ = try SiteBuilder(options: options).render()
        return found.withLock { ($0.pages, $0.differing) }
    }

    struct Found {
        var pages = 0
        var differing = [String]()
        var libraries = [[String: String]: MustacheLibrary]()
    }

    @Test func theSampleBlogRendersAsSwiftMustacheRendersIt() throws {
        let options = BuildOptions(source: SampleBlogTests.repository, now: Date(timeIntervalSince1970: 1_800_000_000))
        let (pages, differing) = try Self.compare(options)
        #expect(pages >= 20)
        #expect(differing.isEmpty, "\(differing.prefix(3))")
    }

    @Test(arguments: JekyllFixture.all.map(\.name))
    func importedJekyllSitesRenderAsSwiftMustacheRendersThem(_ name: String) throws {
        let fixture = try #require(JekyllFixture.all.first { $0.name == name })
        let (site, _) = try imported(fixture)
        var options = site.options()
        options.includeDrafts = true
        let (pages, differing) = try Self.compare(options)
        #expect(pages > 3)
        #expect(differing.isEmpty, "\(differing.prefix(3))")
    }
}
