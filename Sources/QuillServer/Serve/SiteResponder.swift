import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Answers every request of the preview: the live-reload script and event channel under `/_quill/`, and the
/// built site's files for everything else, with the script linked into HTML. Only GET and HEAD; only requests
/// whose `Host` is this server (and, on the event channel, whose `Origin` is too).
struct SiteResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let folder: OutputFolder
    let boundHost: String
    let session: ServeSession
    let hub: LiveReloadHub

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let port = await session.waitUntilReady() else { throw CancellationError() }
        let policy = HostPolicy(boundHost: boundHost, port: port)
        let hosts = [request.head.authority].compactMap { $0 } + request.headers[values: Self.hostField]
        guard !hosts.isEmpty, hosts.allSatisfy({ policy.allowsHost($0) }) else {
            return Self.plain(.forbidden, "403 Forbidden: this preview server answers only its own address\n")
        }
        guard request.method == .get || request.method == .head else {
            var response = Self.plain(.methodNotAllowed, "405 Method Not Allowed\n")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        let path = request.uri.path
        var response: Response
        if path.hasPrefix(ReloadScript.prefix) {
            let origins = request.headers[values: .origin]
            guard origins.allSatisfy(policy.allowsOrigin) else {
                return Self.plain(.forbidden, "403 Forbidden: foreign origin\n")
            }
            response = await reserved(path, request)
        } else {
            await hub.requested()
            response = site(path, request)
        }
        return request.method == .head ? response.createHeadResponse() : response
    }

    /// The script and the event channel.
    private func reserved(_ path: String, _ request: Request) async -> Response {
        switch path {
        case ReloadScript.scriptPath:
            let script = Array(ReloadScript.source.utf8)
            let etag = "\"\(ReloadScript.version)-\(script.count)\""
            var headers = Self.headers(type: "text/javascript; charset=utf-8", cache: "no-cache")
            headers[.eTag] = etag
            if request.headers[values: .ifNoneMatch].contains(where: { $0.contains(etag) }) {
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: script)))
        case ReloadScript.eventsPath:
            guard request.method != .head else { return Response(status: .ok, headers: Self.eventHeaders) }
            return await events(page: request.uri.queryParameters["page"].flatMap(LiveReloadHub.page(from:)))
        default:
            return notFound()
        }
    }

    /// Extra `Host` fields (the first becomes the authority): each must name this server too.
    private static let hostField = HTTPField.Name("Host")!

    private static let eventHeaders = headers(type: "text/event-stream; charset=utf-8", cache: "no-store")

    /// The Server-Sent Events stream of a browser showing the page at URL path `page`: `retry`, then each event as
    /// it is published, until the client leaves or the server shuts down.
    private func events(page: String?) async -> Response {
        let (stream, subscriber) = AsyncStream.makeStream(of: ReloadEvent.self, bufferingPolicy: .bufferingNewest(32))
        await hub.add(subscriber, page: page)
        let body = ResponseBody { writer in
            try await withGracefulShutdownHandler {
                try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
                for await event in stream {
                    try await writer.write(ByteBuffer(string: event.serverSentEvent))
                }
            } onGracefulShutdown: {
                subscriber.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.eventHeaders, body: body)
    }

    /// A file of the built site, a redirect to a folder's slash form, or the 404 page.
    private func site(_ path: String, _ request: Request) -> Response {
        switch folder.lookup(path) {
        case .redirect(let location):
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return Response(status: .movedPermanently,
                            headers: [.location: location + query, .cacheControl: "no-cache"])
        case .file(let file):
            guard let served = folder.file(at: file) else { return notFound() }
            return respond(with: served, request)
        case .notFound:
            return notFound()
        }
    }

    private func respond(with file: ServedFile, _ request: Request) -> Response {
        let type = MediaType.of(file.path)
        let isHTML = MediaType.isHTML(type)
        let validators = FileValidators(file: file, variant: isHTML ? ReloadScript.version : nil)
        var headers = Self.headers(type: type, cache: "no-cache")
        headers[.eTag] = validators.etag
        headers[.lastModified] = validators.lastModified
        let ifNoneMatch = request.headers[values: .ifNoneMatch]
        if validators.isNotModified(ifNoneMatch: ifNoneMatch.isEmpty ? nil : ifNoneMatch.joined(separator: ","),
                                    ifModifiedSince: request.headers[.ifModifiedSince]) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        let bytes = isHTML ? ReloadScript.inject(into: file.bytes) : file.bytes
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The site's own `404.html` with status 404; a plain page (still with the script, so the error overlay
    /// shows on a site that has never built) when it has none.
    private func notFound() -> Response {
        let headers = Self.headers(type: "text/html; charset=utf-8", cache: "no-store")
        let page = folder.notFoundPage().flatMap(folder.file(at:))?.bytes
            ?? Array("<!doctype html><title>Not found</title><h1>404 Not Found</h1>\n".utf8)
        return Response(status: .notFound, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: ReloadScript.inject(into: page))))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: headers(type: "text/plain; charset=utf-8", cache: "no-store"),
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Every response says what it is, and that browsers must not guess otherwise.
    private static func headers(type: String, cache: String) -> HTTPFields {
        [.contentType: type, .cacheControl: cache, .xContentTypeOptions: "nosniff"]
    }
}
