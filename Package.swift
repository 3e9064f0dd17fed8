// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Stance",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "StanceDSP", targets: ["StanceDSP"]),
        .library(name: "StanceProtocols", targets: ["StanceProtocols"]),
        .library(name: "StanceRecording", targets: ["StanceRecording"]),
        .executable(name: "stance", targets: ["stance"]),
        .executable(name: "stanced", targets: ["stanced"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Numbers only: filters, calibration, COP, sway, asymmetry. No I/O, no Foundation.
        .target(name: "StanceDSP"),
        // Device wire formats, both directions: incremental decoders and encoders. Pure, fuzzable.
        .target(name: "StanceProtocols", dependencies: ["StanceDSP"]),
        // Linux I/O: serial ttys, hidraw, evdev; readers that hand samples to the pipeline.
        .target(name: "StanceDevices", dependencies: [
            "StanceDSP", "StanceProtocols", "CStanceSystem", "CUdev", .product(name: "Logging", package: "swift-log"),
        ]),
        // libudev: device enumeration and hotplug (`make` installs libudev-dev).
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        // Biomechanical signal models and device emulators on pseudo-terminals.
        .target(name: "StanceSimulation", dependencies: ["StanceDSP", "StanceProtocols", "CStanceSystem"]),
        // C wrappers for Linux calls Swift cannot import directly (pseudo-terminals; later ioctls).
        .target(name: "CStanceSystem"),
        // The client protocol on the Unix socket: messages, newline-delimited JSON framing, version.
        .target(name: "StanceWire", dependencies: ["StanceDSP"]),
        // Wiring: pipeline thread, socket server with per-client backpressure, configuration.
        .target(name: "StanceDaemon", dependencies: [
            "StanceDSP", "StanceProtocols", "StanceDevices", "StanceWire", "StanceRecording",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Session files: the cell-force CSV that `stance analyze` reads, XDF 1.0 (writer and reader), C3D (writer).
        .target(name: "StanceRecording", dependencies: ["StanceDSP"]),
        // The session catalogue: catalogue.sqlite in the sessions directory, indexed from the
        // session.xdf files (GRDB; `make` installs libsqlite3-dev). The client's only: stanced
        // stays off Foundation and SQLite.
        .target(name: "StanceCatalogue", dependencies: [
            "StanceDSP", "StanceRecording", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(
            name: "stance",
            dependencies: [
                "StanceCatalogue",
                "StanceDSP",
                "StanceDevices",
                "StanceRecording",
                "StanceSimulation",
                "StanceWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "stanced",
            dependencies: [
                "StanceDaemon", "StanceDevices", "StanceProtocols", "StanceRecording", "StanceSimulation", "StanceWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Release-build benchmark of the per-sample chain, with a malloc counter.
        .target(name: "CMallocCounter", path: "Benchmarks/CMallocCounter"),
        .executableTarget(
            name: "stance-bench",
            dependencies: ["StanceDSP", "StanceProtocols", "StanceSimulation", "StanceWire", "StanceRecording", "CMallocCounter"],
            path: "Benchmarks/stance-bench"
        ),
        .testTarget(
            name: "StanceDSPTests",
            dependencies: ["StanceDSP", "StanceSimulation"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "StanceProtocolsTests",
            dependencies: ["StanceProtocols", "StanceSimulation"]
        ),
        .testTarget(
            name: "StanceDevicesTests",
            dependencies: ["StanceDevices", "StanceSimulation"]
        ),
        .testTarget(
            name: "StanceSimulationTests",
            dependencies: ["StanceSimulation"]
        ),
        .testTarget(
            name: "StanceDaemonTests",
            dependencies: ["StanceDaemon", "StanceWire", "StanceDevices", "StanceSimulation", "StanceProtocols", "StanceDSP", "StanceRecording"]
        ),
        .testTarget(
            name: "StanceWireTests",
            dependencies: ["StanceWire"]
        ),
        .testTarget(
            name: "StanceRecordingTests",
            dependencies: ["StanceRecording", "StanceSimulation"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "StanceCatalogueTests",
            dependencies: ["StanceCatalogue", "StanceDSP", "StanceRecording", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "StanceCLITests",
            dependencies: ["StanceDSP", "StanceProtocols", "StanceRecording", "StanceSimulation"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
