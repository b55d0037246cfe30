import Foundation
import QuillCore

/// Runs the preview's incremental build on a thread of its own, so that a long build holds up neither the
/// server's event loops nor the concurrency pool that answers requests.
struct PreviewBuilder: Sendable {
    let options: ServeOptions
    let port: Int

    func build() async -> Result<BuildReport, BuildFailure> {
        let buildOptions = options.buildOptions(port: port, now: Date())
        return await onItsOwnThread {
            Result { () throws(BuildFailure) in try SiteBuilder(options: buildOptions).build() }
        }
    }
}
