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

extension TextFastPathTests {
    @Test func prettySlugsOfASCIINamesAreTheCharacterRuleOnBytes() {
        for name in ["Hello World", "a--b", "  lead", "trail  ", "C++ & Swift!", "x\r\ny", "[brackets]/{braces}",
                     "under_score", "@home", "100% done?", "tab\tbed", "~tilde.dot,comma;semi=eq", "", "-", "Ünïcode x"] {
            #expect(Permalink.prettySlug(name) == Permalink.prettySlugByCharacter(name), "\(name.debugDescription)")
        }
    }

    @Test func aPatternIsCutIntoTextAndTokensOnce() throws {
        let date = DateParts(Date(timeIntervalSince1970: 1_264_881_112), in: TimeZone(identifier: "UTC")!)
        let pattern = try Permalink("/blog/:year/:i_month/:title_x:output_ext", requiresSlug: false)
        #expect(pattern.path(Permalink.Fields(date: date, slug: "s", title: "T")).value == "/blog/2010/1/T_x.html")
        #expect(throws: Permalink.UnknownToken.self) { try Permalink("/:year/:bogus/:slug/") }
        #expect(throws: Permalink.UnknownToken.self) { try Permalink("/:year/:/:slug/") }
        #expect(try Permalink("/:year/:slug/") == Permalink("/:year/:slug/"))
    }
}
