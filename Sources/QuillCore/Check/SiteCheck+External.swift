import Foundation

extension SiteCheck {
    /// The site built and checked as `run()` does, and its off-site `http` and `https` links asked by `checker`
    /// (`quill check --external`): a link that fails is an error where it was written, like a broken internal one;
    /// a link that moved for good is a warning.
    public func run(external checker: ExternalLinks) async throws(BuildFailure) -> Report {
        let site = try buildAndScan()
        var findings = LinkCheck.check(site.pages, files: site.files, rootPath: site.settings.rootPath)
        var writtenAs = [String: [(page: String, link: String)]]()  // URL → where it is linked, as written there
        // Links to the site's own address (canonical links, the feeds') are to this build, maybe not published yet:
        // not asked.
        let own = Self.withoutScheme(site.settings.baseURL)
        for (path, page) in site.pages {
            for link in page.links {
                guard let url = ExternalLinks.target(of: link), own.isEmpty || !Self.withoutScheme(url).hasPrefix(own)
                else { continue }
                writtenAs[url, default: []].append((path, link))
            }
        }
        let outcome = await checker.check(Set(writtenAs.keys))
        for (url, answer) in outcome.answers {
            let finding: LinkCheck.Finding
            if let problem = answer.problem {
                finding = LinkCheck.Finding(page: "", url: "", problem: problem, hint: cacheHint(answer, checker), target: url)
            } else if let movedTo = answer.movedTo {
                finding = LinkCheck.Finding(page: "", url: "", problem: "moved permanently to \(movedTo)",
                                            hint: "link to the new address", target: url, severity: .warning)
            } else {
                continue
            }
            for (page, link) in writtenAs[url] ?? [] {
                var here = finding
                (here.page, here.url) = (page, link)
                findings.append(here)
            }
        }
        var report = report(site, findings: findings)
        report.external = (outcome.answers.count, outcome.answers.values.filter(\.cached).count)
        if let problem = outcome.cacheProblem, let cache = checker.cache {
            report.build.notices.append("note: the answers could not be kept in \(shown(cache)): \(problem); "
                + "the next check asks every server again")
        }
        return report
    }

    /// `example.org/blog/` of `https://Example.org/blog/`: the same site whichever scheme a link names.
    private static func withoutScheme(_ url: String) -> String {
        let lower = url.lowercased()
        return lower.firstRange(of: "://").map { String(lower[$0.upperBound...]) } ?? lower
    }

    /// For a broken link answered from the cache: how old the answer is, and how to ask again.
    private func cacheHint(_ answer: ExternalLinks.Answer, _ checker: ExternalLinks) -> String? {
        guard answer.cached, let cache = checker.cache else { return nil }
        let minutes = Int(checker.now.timeIntervalSince(answer.checkedAt) / 60)
        let age = minutes < 1 ? "under a minute" : minutes < 120 ? "\(minutes) min" : "\(minutes / 60) h"
        return "answered \(age) ago; answers are kept a day in \(shown(cache)): delete it to ask again"
    }
}
