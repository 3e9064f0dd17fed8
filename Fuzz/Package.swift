// swift-tools-version: 6.1
// libFuzzer targets, kept out of the main package: they link only with -sanitize=fuzzer, and the
// main package's dependency graph (swift-argument-parser's plugins) does not link with it. The
// library sources are the main package's own, through the symlinks in Sources/.
// Build and run with `make fuzz`.
import PackageDescription

let fuzzTargets = ["FuzzCellForceCSV", "FuzzLineProtocol", "FuzzBinaryProtocol", "FuzzWitMotion", "FuzzBalanceBoardEvents", "FuzzHIDDescriptor", "FuzzGoDirect", "FuzzXDFReader"]

let package = Package(
    name: "StanceFuzz",
    targets: [
        .target(name: "StanceDSP"),
        .target(name: "StanceProtocols", dependencies: ["StanceDSP"]),
        .target(name: "StanceRecording", dependencies: ["StanceDSP"]),
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
    ] + fuzzTargets.map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport", "CFuzzerDriver", "StanceDSP", "StanceProtocols", "StanceRecording"])
    },
    swiftLanguageModes: [.v6]
)
