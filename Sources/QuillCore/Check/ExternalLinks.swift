import Foundation

/// `quill check --external`: off-site `http` and `https` links, asked over the network. Each distinct URL (without
/// its fragment) is asked once: `HEAD`, then `GET` when the server answers `HEAD` with an error (many refuse `HEAD`
/// with 405 or 501, a few with 403 or 404). Redirects are followed one step at a time, so that a chain ending in an
/// error names its steps. At most `concurrency` requests are out at once, `perHost` of them to one host, each waiting
/// `timeout` at most. Answers are kept in the site's `.quill/` folder (`ExternalLinkCache`) and reused for a day.
///
/// ```swift
/// let checker = ExternalLinks(options: buildOptions)  // the cache in .quill/, the time of the build
/// let outcome = await checker.check(["https://example.com/a", "https://example.com/b"])
/// outcome.answers["https://example.com/a"]?.problem  // nil: it works
/// ```
public struct ExternalLinks: Sendable {
    /// What asking one URL came to.
    public struct Answer: Sendable, Hashable, Codable {
        /// The last HTTP status, after redirects; nil when no answer came (a timeout, no such host).
        public var status: Int?
        /// Why the link is broken (`404 Not Found`, `timed out after 10 s`); nil when it works.
        public var problem: String?
        /// Where a working link leads when every redirect on the way was permanent (301, 308): worth updating.
        public var movedTo: String?
        /// When the URL was asked.
        public var checkedAt: Date
        /// Whether this answer came from the cache (not stored in it).
        public var cached = false

        enum CodingKeys: String, CodingKey {
            case status, problem, movedTo = "moved_to", checkedAt = "checked_at"
        }
    }

    /// The answers of one check, by URL.
    public struct Outcome: Sendable {
        public var answers: [String: Answer] = [:]
        /// Why the cache could not be saved, when it could not.
        public var cacheProblem: String?
    }

    /// The cache file; nil keeps no answers.
    public var cache: URL?
    /// The time now: the answers of the cache younger than `cacheLifetime` are reused.
    public var now: Date
    public var cacheLifetime: TimeInterval = 24 * 60 * 60
    /// The longest wait for one request, in whole seconds.
    public var timeout = 10
    /// Requests out at once, and to one host.
    public var concurrency = 8
    public var perHost = 2
    public var maximumRedirects = 10

    /// A checker with its cache at `cache`, for a check at `now`.
    public init(cache: URL?, now: Date) {
        self.cache = cache
        self.now = now
    }

    /// A checker for the site of `options`: the cache in its state folder (`.quill/external-links.json`), the time
    /// from `options.now`, so that a test can pass a day without sleeping.
    public init(options: BuildOptions) {
        self.init(cache: options.state.deletingLastPathComponent().appendingPathComponent(ExternalLinkCache.fileName),
                  now: options.now)
    }

    /// The URL an `http` or `https` link asks for (without its fragment); nil for any other link.
    public static func target(of link: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespaces)
        let scheme = trimmed.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else { return nil }
        return trimmed.firstIndex(of: "#").map { String(trimmed[..<$0]) } ?? trimmed
    }

    /// `urls` asked (those the cache answers for, not), and the cache updated.
    public func check(_ urls: Set<String>) async -> Outcome {
        let kept = cache.map { ExternalLinkCache.load(from: $0) } ?? [:]
        var outcome = Outcome()
        var queues = [String: [String]](), hosts = [String]()  // URLs to ask, by host, in host order
        for url in urls.sorted() {
            if var answer = kept[url], isFresh(answer) {
                answer.cached = true
                outcome.answers[url] = answer
                continue
            }
            let host = URLComponents(string: url)?.host?.lowercased() ?? url
            if queues[host] == nil { hosts.append(host) }
            queues[host, default: []].append(url)
        }
        if !queues.isEmpty {
            let probe = HTTPProbe(timeout: timeout)
            await withTaskGroup(of: (String, String, Answer).self) { group in
                var busy = [String: Int](), running = 0
                while true {
                    while running < concurrency,
                          let host = hosts.first(where: { busy[$0, default: 0] < perHost && !(queues[$0]?.isEmpty ?? true) }) {
                        let url = queues[host]!.removeFirst()
                        busy[host, default: 0] += 1
                        running += 1
                        group.addTask { (host, url, await self.ask(url, with: probe)) }
                    }
                    guard let (host, url, answer) = await group.next() else { break }
                    busy[host, default: 1] -= 1
                    running -= 1
                    outcome.answers[url] = answer
                    if queues[host]?.isEmpty ?? false, busy[host] == 0 { hosts.removeAll { $0 == host } }
                }
            }
        }
        if let cache {
            var keep = kept.filter { isFresh($0.value) }
            for (url, answer) in outcome.answers where !answer.cached { keep[url] = answer }
            do {
                try ExternalLinkCache.save(keep, to: cache)
            } catch {
                outcome.cacheProblem = "\(error.localizedDescription)"
            }
        }
        return outcome
    }

    /// Whether a kept answer is recent enough to reuse (an answer from the future, after a clock change, is not).
    private func isFresh(_ answer: Answer) -> Bool {
        let age = now.timeIntervalSince(answer.checkedAt)
        return age >= 0 && age < cacheLifetime
    }

    /// Asks `url`, and each place it redirects to, until an answer that is no redirect.
    private func ask(_ url: String, with probe: HTTPProbe) async -> Answer {
        var answer = Answer(checkedAt: now)
        guard var current = URL(string: url), current.host != nil else {
            answer.problem = "not a valid URL"
            return answer
        }
        var steps = [String](), permanent = true
        while true {
            var reply = await probe.ask("HEAD", current)
            if case .status(let code, _) = reply, code >= 400 { reply = await probe.ask("GET", current) }
            switch reply {
            case .failed(let failure):
                answer.problem = describe(failure) + Self.after(steps)
                return answer
            case .status(let code, let location):
                answer.status = code
                if (300..<400).contains(code), let location, let next = URL(string: location, relativeTo: current)?.absoluteURL {
                    guard steps.count < maximumRedirects else {
                        answer.problem = "more than \(maximumRedirects) redirects: " + steps.joined(separator: " → ")
                        return answer
                    }
                    permanent = permanent && (code == 301 || code == 308)
                    steps.append(next.absoluteString)
                    current = next
                    continue
                }
                if code >= 400 {
                    answer.problem = "\(code) \(HTTPProbe.reason(code))" + Self.after(steps)
                } else if permanent, let last = steps.last {
                    answer.movedTo = last
                }
                return answer
            }
        }
    }

    /// What went wrong when no answer came.
    private func describe(_ failure: HTTPProbe.Failure) -> String {
        switch failure {
        case .timedOut: return "timed out after \(timeout) s"
        case .noSuchHost: return "no such host"
        case .refused: return "the server refused the connection"
        case .closedWithoutAnswer: return "the server closed the connection without answering"
        case .insecure: return "the secure connection failed (a certificate the system does not trust?)"
        case .other(let words): return "no answer (\(words))"
        }
    }

    /// ` after redirects to A → B`, naming the steps that led to a problem.
    private static func after(_ steps: [String]) -> String {
        steps.isEmpty ? "" : " after \(steps.count == 1 ? "a redirect" : "redirects") to " + steps.joined(separator: " → ")
    }
}
