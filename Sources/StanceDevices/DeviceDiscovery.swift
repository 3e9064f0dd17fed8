import Logging

/// How devices are found: udev's enumeration and events where the udev daemon runs; elsewhere
/// (containers) sysfs enumeration, the kernel's own uevents, and polling of the configured paths.
/// Says which once, in the log.
public struct DeviceDiscovery: Sendable {
    public enum Mode: Sendable, Equatable {
        case udev
        /// No udev daemon: kernel uevents, and the configured paths polled every 0.5 s.
        case polling(configuredPaths: [String])
    }

    public let mode: Mode

    /// - Parameters:
    ///   - udevRunning: whether the udev daemon runs (default: its control socket exists).
    ///   - configuredPaths: devices named in the configuration (`--device`), opened by path.
    public init(udevRunning: Bool = UdevDevices.isRunning, configuredPaths: [String], logger: Logger) {
        if udevRunning {
            mode = .udev
            logger.info("device discovery: udev")
        } else {
            mode = .polling(configuredPaths: configuredPaths)
            let message: Logger.Message = "udev is not running here: devices are found in sysfs and through kernel uevents, without udev's names and properties; configured paths are polled every 0.5 s"
            logger.notice(message, metadata: ["configured_paths": .array(configuredPaths.map { .string($0) })])
        }
    }
}
