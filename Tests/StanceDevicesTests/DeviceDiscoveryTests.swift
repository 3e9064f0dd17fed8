import Logging
import StanceDevices
import Synchronization
import Testing

/// Keeps what is logged, for the test to read.
private final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    let lines = Mutex<[(Logger.Level, String)]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lines.withLock { $0.append((event.level, event.message.description)) }
    }
}

@Suite("device discovery")
struct DeviceDiscoveryTests {
    @Test("without udev: polling of the configured paths, said once in the log")
    func withoutUdev() {
        let handler = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let discovery = DeviceDiscovery(udevRunning: false, configuredPaths: ["/dev/stance/plate-left"], logger: logger)
        #expect(discovery.mode == .polling(configuredPaths: ["/dev/stance/plate-left"]))
        let lines = handler.lines.withLock { $0 }
        #expect(lines.count == 1 && lines[0].0 == .notice && lines[0].1.hasPrefix("udev is not running here"))
    }

    @Test("with udev: udev's devices and events")
    func withUdev() {
        let handler = CapturingLogHandler()
        let discovery = DeviceDiscovery(udevRunning: true, configuredPaths: [], logger: Logger(label: "test") { _ in handler })
        #expect(discovery.mode == .udev)
    }
}
