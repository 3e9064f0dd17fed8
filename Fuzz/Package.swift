// swift-tools-version: 6.1
// libFuzzer targets, kept out of the main package: they link only with -sanitize=fuzzer, and the
// main package's dependency graph (swift-argument-parser's plugins) does not link with it. The
// library sources are the main package's own, through the symlinks in Sources/.
// Build and run with `make fuzz`.
import PackageDescription

let package = Package(
    name: "StanceFuzz",
    targets: [
        .target(name: "StanceDSP"),
        .target(name: "StanceRecording", dependencies: ["StanceDSP"]),
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "FuzzCellForceCSV", dependencies: ["CFuzzerDriver", "StanceRecording"]),
    ],
    swiftLanguageModes: [.v6]
)
