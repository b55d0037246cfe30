import Foundation
import Testing
@testable import QuillCore

/// Text helpers that skip Foundation on hot paths answer what Foundation answers.
@Suite struct TextFastPathTests {
    @Test func trimmingSpacesRemovesWhatFoundationRemoves() {
        let texts = ["", " ", "\t a b \t", "\u{00A0}x\u{2003}", " \u{3000}title\u{202F} ", "\nx\n", "x", " é ",
                     "\u{1F600} ", "\u{200B}x"]
        for text in texts {
            #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            let sub = text.dropFirst(0)
            #expect(sub.trimmingSpaces() == sub.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }

    @Test func descriptionsAreCutAtAWordAndLoseTrailingPunctuation() {
        #expect(ContentParser.truncate("short", to: 10) == "short")
        #expect(ContentParser.truncate("exactly ten", to: 11) == "exactly ten")
        #expect(ContentParser.truncate("one two, three four", to: 12) == "one two…")
        #expect(ContentParser.truncate("«quoted» words here", to: 10) == "quoted…")
        #expect(ContentParser.truncate("nospaceatallhere", to: 5) == "nospa…")
    }

    @Test func theRootPathOfUsualBaseURLsIsReadWithoutURLParsing() {
        let bases = ["https://example.org", "https://example.org/", "https://example.org/blog", "https://example.org/blog/",
                     "http://localhost:1313/", "https://example.org/a/b_c-d/", "https://example.org/my%20blog/",
                     "https://Example.org/x", "https://example.org//x/", "https://example.org/./x/",
                     "https://example.org/x?y", "file:///tmp/site/", "", "not a url", "https://user@host/x/"]
        for base in bases {
            var config = SiteConfig(title: "")
            config.baseURL = base
            let reference: String = {
                guard let url = URL(string: base) else { return "/" }
                let path = url.path
                return path.hasSuffix("/") ? path : path + "/"
            }()
            #expect(config.rootPath == reference, "\(base)")
        }
        #expect(SiteConfig.simpleRootPath("https://example.org/blog") == "/blog/")
        #expect(SiteConfig.simpleRootPath("https://example.org/my%20blog/") == nil)
    }
}
