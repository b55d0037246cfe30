import Foundation
import Testing
import QuillImages
@testable import QuillCore

/// Pictures in posts: their size from the file, lazy loading, resized copies offered through `srcset`, URLs that
/// work on list pages and in feeds, warnings for what is missing or dangerous, and cover images for social cards.
@Suite struct ImageTests {
    /// A JPEG 1000 pixels wide, made from a PNG by libvips.
    static let wide = jpeg(width: 1000, height: 40)
    static func jpeg(width: Int, height: Int, seed: UInt8 = 0) -> Data {
        try! VariantMaker().variant(of: TestImages.png(width: width, height: height, seed: seed), identity: "\(seed)",
                                    baseWidth: width, width: width, format: .jpeg, quality: 90)
    }
    static let small = TestImages.png(width: 300, height: 200)

    static func site(_ body: String = "First ![cat](cat.jpg) then ![small](small.png).", extra: String = "",
                     config: String = "") throws -> TestSite {
        let site = try TestSite([
            "site.toml": "title = \"T\"\nbase_url = \"https://example.org/blog/\"\n" + config,
            "content/posts/trip/index.md": post("Trip", extra: extra, body: body),
        ])
        try site.write("content/posts/trip/cat.jpg", wide)
        try site.write("content/posts/trip/small.png", small)
        return site
    }

    static func text(_ site: TestSite, _ path: String) throws -> String {
        String(decoding: try #require(site.files()[path]), as: UTF8.self)
    }

    @Test func imagesGetTheirSizeAndAllButTheFirstLoadLazily() throws {
        let site = try Self.site()
        try site.build()
        let page = try Self.text(site, "2024/01/02/trip/index.html")
        #expect(page.contains(#"<img src="small.png" alt="small" width="300" height="200" loading="lazy" decoding="async">"#))
        let first = try #require(page.range(of: #"<img src="cat.jpg""#))
        let tag = page[first.lowerBound...].prefix { $0 != ">" }
        #expect(tag.contains(#"width="1000" height="40""#) && !tag.contains("loading="), "the first image loads at once")
    }

    @Test func wideImagesGetCopiesThatDecodeAtTheWidthTheirDescriptorSays() throws {
        let site = try Self.site()
        try site.build()
        let files = site.files()
        var descriptors = 0
        for format in ["jpeg", "webp"] {
            for width in [480, 800] {
                let copy = try #require(files["2024/01/02/trip/cat-\(width)w.\(format == "jpeg" ? "jpg" : format)"])
                let header = try ImageHeader.read([UInt8](copy))
                #expect(header.width == width && header.format.rawValue == format)
                #expect(header.height == Int((40.0 * Double(width) / 1000).rounded()))
                #expect(!header.hasMetadata, "copies carry no metadata")
                descriptors += 1
            }
        }
        #expect(descriptors == 4)
        #expect(files["2024/01/02/trip/cat-1200w.jpg"] == nil, "never larger than the original")
        #expect(files.keys.filter { $0.contains("small-") }.isEmpty, "an image narrower than the column has no copies")
        let page = try Self.text(site, "2024/01/02/trip/index.html")
        #expect(page.contains(#"<picture><source type="image/webp" srcset="cat-480w.webp 480w, cat-800w.webp 800w" sizes=""#))
        #expect(page.contains(#"srcset="cat-480w.jpg 480w, cat-800w.jpg 800w, cat.jpg 1000w"></picture>"#))
    }

    @Test func aWidePNGGetsWebPCopiesOnlyAndKeepsItsOwnSource() throws {
        let site = try Self.site("![chart](chart.png)")
        try site.write("content/posts/trip/chart.png", TestImages.png(width: 1000, height: 40))
        try site.build()
        let files = site.files()
        #expect(files["2024/01/02/trip/chart-480w.webp"] != nil && files["2024/01/02/trip/chart-800w.webp"] != nil)
        #expect(files.keys.filter { $0.hasSuffix("w.png") }.isEmpty, "PNG copies of a photo outweigh the original")
        let page = try Self.text(site, "2024/01/02/trip/index.html")
        #expect(page.contains(#"<picture><source type="image/webp" srcset="chart-480w.webp 480w, chart-800w.webp 800w" "#
            + #"sizes="(max-width: 720px) calc(100vw - 40px), 680px"><img src="chart.png" alt="chart" width="1000" "#
            + #"height="40" decoding="async"></picture>"#), "\(page)")
    }

    @Test func summariesOnListPagesResolveRelativeURLsFromTheSiteRoot() throws {
        let site = try Self.site("![cat](cat.jpg), [next](../other/), [notes](#notes) and [home](/blog/).")
        try site.build()
        let home = try Self.text(site, "index.html")
        #expect(home.contains(#"<img src="/blog/2024/01/02/trip/cat.jpg""#))
        #expect(home.contains(#"srcset="/blog/2024/01/02/trip/cat-480w.webp 480w"#))
        #expect(home.contains(#"<a href="/blog/2024/01/02/other/">next</a>"#))
        #expect(home.contains(#"<a href="/blog/2024/01/02/trip/#notes">notes</a>"#))
        #expect(home.contains(#"<a href="/blog/">home</a>"#))
        let tag = try Self.text(site, "index.html")
        #expect(tag.contains("/blog/2024/01/02/trip/cat.jpg"))
        let page = try Self.text(site, "2024/01/02/trip/index.html")
        #expect(page.contains(#"<a href="../other/">next</a>"#), "the post's own page keeps what the author wrote")
    }

    @Test func feedsCarryAbsoluteImageURLsWithTheirSize() throws {
        let site = try Self.site("![cat](cat.jpg) and <img src=\"small.png\" alt=\"raw\">")
        try site.build()
        let feed = try Self.text(site, "feed.json")
        #expect(feed.contains(#"<img src=\"https://example.org/blog/2024/01/02/trip/cat.jpg\" alt=\"cat\" width=\"1000\" height=\"40\">"#))
        #expect(feed.contains(#"<img src=\"https://example.org/blog/2024/01/02/trip/small.png\" alt=\"raw\" width=\"300\" height=\"200\">"#))
        #expect(!feed.contains("srcset"), "feed readers get the image alone")
    }

    @Test func aMissingImageIsAWarningAtThePostsLine() throws {
        let site = try Self.site("Text.\n\nSee ![gone](gone.png) here.")
        let report = try site.build()
        let warnings = report.warnings.map(\.description)
        #expect(warnings.contains { $0.hasPrefix("content/posts/trip/index.md:9:13: warning: image gone.png not found") },
                "\(warnings)")
    }

    @Test func aDamagedImageIsAWarningAndPublishedAsItIs() throws {
        let site = try Self.site()
        let damaged = Data(Self.wide.prefix(30))
        try site.write("content/posts/trip/cat.jpg", damaged)
        let report = try site.build()
        #expect(report.warnings.contains {
            $0.description.hasPrefix("content/posts/trip/cat.jpg: warning: not a readable image (truncated JPEG")
        }, "\(report.warnings)")
        #expect(site.files()["2024/01/02/trip/cat.jpg"] == damaged)
        #expect(site.files().keys.filter { $0.contains("cat-") }.isEmpty)
        #expect(try Self.text(site, "2024/01/02/trip/index.html").contains(#"<img src="cat.jpg" alt="cat" />"#))
    }

    @Test func aDecompressionBombIsRefusedBeforeDecoding() throws {
        let site = try Self.site()
        let bomb = TestImages.claimingPNG(width: 50_000, height: 50_000)
        try site.write("content/posts/trip/cat.jpg", bomb)
        let report = try site.build()
        #expect(report.warnings.contains {
            $0.description.contains("50000 × 50000 pixels is more than [images] max_pixels (100000000)")
        }, "\(report.warnings)")
        #expect(site.files()["2024/01/02/trip/cat.jpg"] == bomb)
        #expect(site.files().keys.filter { $0.contains("cat-") }.isEmpty, "never decoded, so no copies")
    }

    @Test func gpsCoordinatesAreReportedAndRemovedWhenAsked() throws {
        let photo = try TestImages.fixture("gps-little-endian.jpg")
        #expect(try ImageHeader.read([UInt8](photo)).hasGPS)
        let site = try Self.site("![photo](photo.jpg)")
        try site.write("content/posts/trip/photo.jpg", photo)
        let report = try site.build()
        #expect(report.warnings.map(\.description).contains(
            "content/posts/trip/photo.jpg: warning: content/posts/trip/photo.jpg carries GPS coordinates (a phone photo?)\n"
                + "  hint: set [images] strip_metadata = true to remove them from the published file"), "\(report.warnings)")
        #expect(site.files()["2024/01/02/trip/photo.jpg"] == photo, "published as it is until asked")

        try site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.org/blog/\"\n[images]\nstrip_metadata = true\n")
        let stripped = try site.build()
        #expect(!stripped.warnings.contains { $0.message.contains("GPS") })
        let published = try #require(site.files()["2024/01/02/trip/photo.jpg"])
        let header = try ImageHeader.read([UInt8](published))
        #expect(!header.hasGPS && header.width == 40)
        try IncrementalBuildTests.expectEqualToClean(site, "after strip_metadata was set")
    }

    @Test func anImageEditedAtTheSameSizeChangesOnlyItsOwnFiles() throws {
        let site = try Self.site()
        try site.build()
        try site.write("content/posts/trip/cat.jpg", Self.jpeg(width: 1000, height: 40, seed: 9))
        let report = try site.build()
        #expect(report.written.map(\.value).sorted() == [
            "2024/01/02/trip/cat-480w.jpg", "2024/01/02/trip/cat-480w.webp", "2024/01/02/trip/cat-800w.jpg",
            "2024/01/02/trip/cat-800w.webp", "2024/01/02/trip/cat.jpg",
        ])
        try IncrementalBuildTests.expectEqualToClean(site, "after an image edit")
        try site.write("content/posts/trip/cat.jpg", Self.jpeg(width: 900, height: 40))
        let resized = try site.build()
        #expect(resized.written.map(\.value).contains("2024/01/02/trip/index.html"), "the page shows the new size")
        #expect(try Self.text(site, "2024/01/02/trip/index.html").contains(#"width="900""#))
        try IncrementalBuildTests.expectEqualToClean(site, "after an image changed size")
        try site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.org/blog/\"\n[images]\nwidths = [300]\n")
        try site.build()
        #expect(site.files()["2024/01/02/trip/cat-300w.webp"] != nil)
        #expect(site.files()["2024/01/02/trip/cat-480w.webp"] == nil)
        try IncrementalBuildTests.expectEqualToClean(site, "after the widths changed")
    }

    @Test func aCoverImageGivesTheSocialCardTags() throws {
        let site = try Self.site(extra: "image: cat.jpg\nimage_alt: A cat\n")
        try site.build()
        let page = try Self.text(site, "2024/01/02/trip/index.html")
        for tag in [
            #"<meta property="og:title" content="Trip">"#, #"<meta property="og:type" content="article">"#,
            #"<meta property="og:url" content="https://example.org/blog/2024/01/02/trip/">"#,
            #"<meta property="og:image" content="https://example.org/blog/2024/01/02/trip/cat-800w.jpg">"#,
            #"<meta property="og:image:width" content="800">"#, #"<meta property="og:image:alt" content="A cat">"#,
            #"<meta property="article:published_time" content="2024-01-02T10:00:00Z">"#,
            #"<meta name="twitter:card" content="summary_large_image">"#,
        ] {
            #expect(page.contains(tag), "\(tag)")
        }
        #expect(try Self.text(site, "feed.json").contains(
            #""image": "https://example.org/blog/2024/01/02/trip/cat-800w.jpg","#), "JSON Feed's item image")
        let plain = try Self.site("No pictures.")
        try plain.build()
        #expect(try Self.text(plain, "2024/01/02/trip/index.html").contains(#"<meta name="twitter:card" content="summary">"#))
    }

    @Test func thePostsFirstImageIsItsCoverWhenItNamesNone() throws {
        let site = try Self.site("![first](small.png) ![second](cat.jpg)")
        try site.build()
        #expect(try Self.text(site, "2024/01/02/trip/index.html").contains(
            #"<meta property="og:image" content="https://example.org/blog/2024/01/02/trip/small.png">"#))
    }

    @Test func copiesAreRenderedLastTwoImagesInTurnSoThatBothCoresDecodeAtOnce() {
        let entries = [
            OutputList.Entry(.imageVariant("content/posts/a/x.jpg", width: 480, format: .jpeg), path: "a/x-480w.jpg"),
            OutputList.Entry(.imageVariant("content/posts/a/x.jpg", width: 480, format: .webp), path: "a/x-480w.webp"),
            OutputList.Entry(.bundleFile("content/posts/a/x.jpg"), path: "a/x.jpg"),
            OutputList.Entry(.imageVariant("content/posts/b/y.jpg", width: 480, format: .webp), path: "b/y-480w.webp"),
            OutputList.Entry(.post("content/posts/b/index.md"), path: "b/index.html"),
            OutputList.Entry(.imageVariant("content/posts/c/z.png", width: 480, format: .webp), path: "c/z-480w.webp"),
        ]
        #expect(SiteBuilder.renderingOrder(entries) == [2, 4, 0, 3, 1, 5])
    }

    @Test func imageSettingsAreCheckedAtTheirLine() throws {
        let site = try Self.site(config: "[images]\nquality = 0\nwidths = [\"big\"]\nstrip_metadata = \"yes\"\n")
        let errors = try #require(site.errors())
        #expect(errors.contains("site.toml:4:1: error: `images.quality` must be a whole number from 1 to 100"))
        #expect(errors.contains("site.toml:5:1: error: `images.widths` must be a list of 1 to 16 widths from 16 to 10000"))
        #expect(errors.contains("site.toml:6:1: error: `images.strip_metadata` must be true or false"))
        let typo = try Self.site(config: "[images]\nwidht = 3\n")
        let report = try typo.build()
        #expect(report.warnings.contains { $0.message == "unknown setting `images.widht`" })
    }

    @Test func turningImagesOffLeavesTagsAsWritten() throws {
        let site = try Self.site(config: "[images]\nenabled = false\n")
        try site.build()
        let page = try Self.text(site, "2024/01/02/trip/index.html")
        #expect(page.contains(#"<img src="cat.jpg" alt="cat" />"#))
        #expect(site.files().keys.filter { $0.contains("cat-") }.isEmpty)
    }
}

/// Pictures of a blog imported from Jekyll (`/assets/…`, `/images/…`, Liquid URL filters) keep working, with sizes.
@Suite struct ImportedImageTests {
    @Test func imagesOfAnImportedJekyllBlogArePublishedWithTheirSizes() throws {
        let post = """
            ---
            title: Trip
            ---
            ![wide]({{ site.baseurl }}/assets/wide.png) and ![again]({{ "/assets/wide.png" | relative_url }})

            <img src="/images/small.png" alt="small">
            """
        let source = JekyllSource(files: [
            "_config.yml": Data("title: Pics\nurl: https://pics.example.org\n".utf8),
            "_posts/2015-03-01-trip.md": Data(post.utf8),
            "assets/wide.png": TestImages.png(width: 1000, height: 40),
            "images/small.png": TestImages.png(width: 300, height: 200),
        ])
        let result = JekyllImporter().convert(source)
        let site = try TestSite([:])
        for (path, data) in result.files { try site.write(path, data) }
        let report = try site.build()
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        let files = site.files()
        #expect(files["assets/wide.png"] != nil && files["assets/wide-480w.webp"] != nil)
        let page = String(decoding: try #require(files["2015/03/01/trip.html"], "\(files.keys.sorted())"), as: UTF8.self)
        #expect(page.components(separatedBy: #"<img src="/assets/wide.png" alt="#).count == 3, "both links to it")
        #expect(page.contains(#"width="1000" height="40""#))
        #expect(page.contains(#"<img src="/images/small.png" alt="small" width="300" height="200" loading="lazy""#))
    }
}

/// The picture fixture (`Tests/Sites/pictures`, also checked by the Nu Html Checker and loaded in Chromium by
/// scripts/test): every URL its pages offer in a `srcset` is a file that decodes, as wide as its descriptor says.
@Suite struct PictureFixtureTests {
    static let site = SampleBlogTests.repository.appendingPathComponent("Tests/Sites/pictures")

    @Test func everySrcsetCandidateDecodesAtTheWidthItsDescriptorSays() throws {
        let options = BuildOptions(source: Self.site, now: Date(timeIntervalSince1970: 1_800_000_000))
        let (outputs, report) = try SiteBuilder(options: options).render()
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        let files = Dictionary(uniqueKeysWithValues: outputs.map { ("/" + $0.path.value, $0.bytes) })
        let srcset = try NSRegularExpression(pattern: #"srcset="([^"]*)""#)
        var checked = Set<String>()
        for (path, bytes) in files where path.hasSuffix(".html") {
            let html = String(decoding: bytes, as: UTF8.self)
            let ns = html as NSString
            for m in srcset.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
                for candidate in ns.substring(with: m.range(at: 1)).components(separatedBy: ", ") {
                    let parts = candidate.split(separator: " ")
                    let url = String(parts[0]), width = Int(parts[1].dropLast())
                    let target = url.hasPrefix("/") ? url : String(path[...path.lastIndex(of: "/")!]) + url
                    guard checked.insert(target).inserted else { continue }
                    let file = try #require(files[target], "\(path) offers \(url), which is not published")
                    let header = try ImageHeader.read([UInt8](file))
                    #expect(header.width == width, "\(target) is \(header.width) wide, its descriptor says \(width ?? 0)")
                    // Decoded in full: a 16-pixel copy of it can be made.
                    _ = try VariantMaker().variant(of: file, identity: target, baseWidth: 16, width: 16, format: .png,
                                                   quality: 80)
                }
            }
        }
        // A JPEG (two copies in JPEG and WebP, and itself), a PNG (two WebP copies), a WebP (two copies and itself).
        #expect(checked.count >= 10, "\(checked.sorted())")
    }
}
