// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "quill",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quill", targets: ["QuillCLI"]),
        .library(name: "QuillCore", targets: ["QuillCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The C library, reached through pkg-config; nothing but this module map touches its headers.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // Markdown → HTML, headings, summary split, word count: the only Swift code that calls C.
        .target(name: "QuillMarkdown", dependencies: ["CCmarkGFM"]),
        // The engine: load → parse → render → write. No networking, tested directly.
        .target(
            name: "QuillCore",
            dependencies: [
                "QuillMarkdown",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The `quill` command: thin wrappers over QuillCore.
        .executableTarget(
            name: "QuillCLI",
            dependencies: [
                "QuillCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QuillMarkdownTests", dependencies: ["QuillMarkdown"]),
        .testTarget(name: "QuillCoreTests", dependencies: ["QuillCore"]),
    ]
)
