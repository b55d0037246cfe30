import Foundation
import QuillCore

/// Runs the preview's incremental build on a thread of its own, so that a long build holds up neither the
/// server's event loops nor the concurrency pool that answers requests.
struct PreviewBuilder: Sendable {
    let options: ServeOptions
    let port: Int
    /// The theme compiled by the last build: a rebuild whose templates did not change does not compile them again.
    let templates = TemplateCache()

    /// Builds the site. With `first`, the pages it names are written before the others when they changed, and it
    /// is told of them at once (see `FirstPages`).
    func build(first: FirstPages? = nil) async -> Result<BuildReport, BuildFailure> {
        var buildOptions = options.buildOptions(port: port, now: Date())
        buildOptions.templateCache = templates
        buildOptions.firstPages = first
        let options = buildOptions
        return await onItsOwnThread {
            Result { () throws(BuildFailure) in try SiteBuilder(options: options).build() }
        }
    }
}
