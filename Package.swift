// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "quill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quill", targets: ["QuillCLI"]),
        .library(name: "QuillCore", targets: ["QuillCore"]),
        .library(name: "QuillHighlight", targets: ["QuillHighlight"]),
        .library(name: "QuillImages", targets: ["QuillImages"]),
        .library(name: "QuillTemplates", targets: ["QuillTemplates"]),
    ],
    dependencies: [
        // Test-only: the oracle the compiled templates (QuillTemplates) are checked against, byte for byte; its
        // whitespace rules are the ones QuillTemplates follows, so it stays on 2.1.x.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", .upToNextMinor(from: "2.1.1")),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
    ],
    targets: [
        // The C library, reached through pkg-config; nothing but this module map touches its headers.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // Qt5's compile and link flags, through pkg-config, for CSyntaxHighlighting alone (no Swift imports it).
        .systemLibrary(
            name: "CQt5Gui",
            pkgConfig: "Qt5Gui",
            providers: [.apt(["qtbase5-dev", "libkf5syntaxhighlighting-dev"])]
        ),
        // KSyntaxHighlighting (C++, Qt5) behind an extern "C" function: the only C++ in the package. The library ships
        // no pkg-config file, so its include folder and library are named here.
        .target(
            name: "CSyntaxHighlighting",
            dependencies: ["CQt5Gui"],
            cxxSettings: [.unsafeFlags(["-I/usr/include/KF5/KSyntaxHighlighting", "-fPIC"])],
            linkerSettings: [
                .linkedLibrary("KF5SyntaxHighlighting"), .linkedLibrary("Qt5Gui"), .linkedLibrary("Qt5Core"),
            ]
        ),
        // Code blocks → HTML token spans: the only Swift code that calls CSyntaxHighlighting.
        .target(name: "QuillHighlight", dependencies: ["CSyntaxHighlighting"]),
        // libvips (C, GObject), loaded on first use rather than linked: its seventy dependent libraries would cost
        // every quill start 35–40 ms. The module's shim header declares the dozen functions Quill calls and
        // wraps libvips' variadic calls for Swift.
        .systemLibrary(
            name: "CVips",
            providers: [.apt(["libvips-dev"])]
        ),
        // libcurl (Debian's libcurl4, which the Swift toolchain needs too), loaded with dlopen on the first external
        // link `quill check --external` asks: its shim declares the calls used and wraps the variadic ones.
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4"])]
        ),
        // Image headers (size, orientation, GPS) read in Swift, metadata stripped without re-encoding, resized
        // copies through libvips: the only Swift code that calls CVips.
        .target(name: "QuillImages", dependencies: ["CVips"]),
        // Markdown → HTML, headings, summary split, word count: the only Swift code that calls cmark-gfm.
        .target(name: "QuillMarkdown", dependencies: ["CCmarkGFM", "QuillHighlight"]),
        // The incremental build graph: nodes, fingerprints, early cutoff, the saved state and its journal. Knows
        // nothing of sites; QuillCore gives it rules and inputs.
        .target(name: "QuillGraph"),
        // Mustache themes compiled against typed views: names resolved to field numbers when the theme is
        // compiled (a misspelt one is an error at its line), pages rendered without looking anything up.
        .target(name: "QuillTemplates"),
        // The engine: load → parse → render → write, tested directly. No networking but `quill check --external`,
        // which asks servers through libcurl (Check/HTTPProbe.swift, the only Swift code that calls CCurl).
        .target(
            name: "QuillCore",
            dependencies: [
                "QuillGraph",
                "QuillMarkdown",
                "QuillImages",
                "CCurl",
                "QuillTemplates",
                .product(name: "Yams", package: "Yams"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // `quill serve`: the preview server, file watcher and rebuild loop. The only target that listens on a port.
        .target(
            name: "QuillServer",
            dependencies: [
                "QuillCore",
                "QuillMarkdown",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The `quill` command: thin wrappers over QuillCore and QuillServer.
        .executableTarget(
            name: "QuillCLI",
            dependencies: [
                "QuillCore",
                "QuillServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What more than one test target uses (a seeded random generator).
        .target(name: "QuillTestSupport", path: "Tests/QuillTestSupport"),
        .testTarget(name: "QuillHighlightTests", dependencies: ["QuillHighlight", "QuillTestSupport"]),
        .testTarget(name: "QuillImagesTests", dependencies: ["QuillImages"], resources: [.copy("Fixtures")]),
        .testTarget(name: "QuillMarkdownTests", dependencies: ["QuillMarkdown", "QuillTestSupport"]),
        .testTarget(name: "QuillGraphTests", dependencies: ["QuillGraph"]),
        // swift-mustache is the oracle the compiled templates are checked against, byte for byte.
        .testTarget(
            name: "QuillTemplatesTests",
            dependencies: ["QuillTemplates", "QuillTestSupport", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "QuillCoreTests",
            dependencies: ["QuillCore", "QuillImages", "QuillTestSupport", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "QuillServerTests",
            dependencies: [
                "QuillServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
