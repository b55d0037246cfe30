// swift-tools-version:6.0
// A libFuzzer target over Quill's front matter, content parsing, Markdown rendering and image headers: a package of its own, so
// that the instrumented build never slows or touches the main one. Build and run it with `scripts/fuzz`.
import PackageDescription

let package = Package(
    name: "quill-fuzz",
    dependencies: [.package(name: "quill", path: "..")],
    targets: [
        // Built with `-sanitize=fuzzer -parse-as-library`: libFuzzer supplies `main`.
        .executableTarget(
            name: "QuillFuzz",
            dependencies: [
                .product(name: "QuillCore", package: "quill"),
                .product(name: "QuillHighlight", package: "quill"),
                .product(name: "QuillImages", package: "quill"),
                .product(name: "QuillTemplates", package: "quill"),
            ]
        ),
    ]
)
