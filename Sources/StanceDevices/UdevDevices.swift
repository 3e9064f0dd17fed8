import CUdev
#if canImport(Glibc)
import Glibc
#endif

/// Devices as udev knows them: enumeration of the tty, hidraw and input subsystems, and a monitor
/// of add/remove events on the netlink socket. Where udev is not running (containers: no
/// `/run/udev/control`), enumeration still finds the nodes in sysfs but without udev's
/// properties, and the monitor gets no events; `isRunning` tells the caller to fall back to
/// polling the configured paths.
public final class UdevDevices: @unchecked Sendable {
    private let context: OpaquePointer

    /// `nil` when libudev cannot be initialised at all.
    public init?() {
        guard let context = udev_new() else { return nil }
        self.context = context
    }

    deinit { udev_unref(context) }

    /// Whether the udev daemon runs here (its control socket exists).
    public static var isRunning: Bool { access("/run/udev/control", F_OK) == 0 }

    /// Every device node of `subsystems` with what udev knows about it.
    public func enumerate(subsystems: [DeviceSubsystem] = DeviceSubsystem.allCases) -> [DeviceIdentity] {
        guard let enumerator = udev_enumerate_new(context) else { return [] }
        defer { udev_enumerate_unref(enumerator) }
        for subsystem in subsystems { udev_enumerate_add_match_subsystem(enumerator, subsystem.rawValue) }
        udev_enumerate_scan_devices(enumerator)
        var identities: [DeviceIdentity] = []
        var entry = udev_enumerate_get_list_entry(enumerator)
        while let current = entry {
            if let syspath = udev_list_entry_get_name(current), let device = udev_device_new_from_syspath(context, syspath) {
                if let identity = Self.identity(of: device) { identities.append(identity) }
                udev_device_unref(device)
            }
            entry = udev_list_entry_get_next(current)
        }
        return identities.sorted { $0.devicePath < $1.devicePath }
    }

    /// The identity of a udev device with a node in one of our subsystems.
    static func identity(of device: OpaquePointer) -> DeviceIdentity? {
        guard let subsystemName = string(udev_device_get_subsystem(device)),
              let subsystem = DeviceSubsystem(rawValue: subsystemName),
              let node = string(udev_device_get_devnode(device)) else { return nil }
        if subsystem == .input && !node.contains("/event") { return nil }  // mice, js: not ours
        func property(_ key: String) -> String? { string(udev_device_get_property_value(device, key)) }
        var vendor = property("ID_VENDOR_ID")
        var product = property("ID_MODEL_ID")
        var name = property("ID_MODEL").map { $0.replacingUnderscores() }
        var serial = property("ID_SERIAL_SHORT")
        if subsystem == .input, let parent = udev_device_get_parent_with_subsystem_devtype(device, "input", nil) {
            name = string(udev_device_get_sysattr_value(parent, "name")) ?? name
            vendor = vendor ?? string(udev_device_get_sysattr_value(parent, "id/vendor"))
            product = product ?? string(udev_device_get_sysattr_value(parent, "id/product"))
            // A Bluetooth device's address, or a USB serial: the kernel's "uniq".
            serial = serial ?? string(udev_device_get_sysattr_value(parent, "uniq")).flatMap { $0.isEmpty ? nil : $0 }
        }
        if subsystem == .hidraw, vendor == nil, let hid = udev_device_get_parent_with_subsystem_devtype(device, "hid", nil),
           let hidID = string(udev_device_get_property_value(hid, "HID_ID")) {
            // HID_ID=BUS:VVVVVVVV:PPPPPPPP (hid-core's uevent).
            let parts = hidID.split(separator: ":")
            if parts.count == 3 {
                vendor = String(parts[1].suffix(4))
                product = String(parts[2].suffix(4))
            }
            name = name ?? string(udev_device_get_property_value(hid, "HID_NAME"))
            serial = serial ?? string(udev_device_get_property_value(hid, "HID_UNIQ")).flatMap { $0.isEmpty ? nil : $0 }
        }
        return DeviceIdentity(subsystem: subsystem, devicePath: node, vendorID: vendor, productID: product, name: name,
                              serial: serial, portPath: property("ID_PATH"))
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// A hotplug event: a device of ours was added or removed.
public struct HotplugEvent: Sendable, Equatable {
    public enum Action: String, Sendable { case add, remove }
    public var action: Action
    public var identity: DeviceIdentity

    public init(action: Action, identity: DeviceIdentity) {
        self.action = action
        self.identity = identity
    }
}

/// A netlink monitor of device events for our subsystems. Poll `descriptor`, then call `receive()`.
public final class UdevMonitor: @unchecked Sendable {
    /// Whose events to hear.
    public enum Source: String, Sendable {
        /// udev's, after its rules ran (names, properties): where udev runs.
        case udev
        /// The kernel's own uevents: where udev does not run (containers, a minimal VM).
        case kernel

        /// `udev` where the udev daemon runs, else `kernel`.
        public static var automatic: Source { UdevDevices.isRunning ? .udev : .kernel }
    }

    private let context: OpaquePointer
    private let monitor: OpaquePointer
    public let source: Source
    /// Pollable descriptor; readable when an event is waiting.
    public let descriptor: Int32

    public init?(source: Source = .automatic) {
        self.source = source
        guard let context = udev_new() else { return nil }
        guard let monitor = udev_monitor_new_from_netlink(context, source.rawValue) else {
            udev_unref(context)
            return nil
        }
        for subsystem in DeviceSubsystem.allCases {
            udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem.rawValue, nil)
        }
        guard udev_monitor_enable_receiving(monitor) == 0 else {
            udev_monitor_unref(monitor)
            udev_unref(context)
            return nil
        }
        self.context = context
        self.monitor = monitor
        descriptor = udev_monitor_get_fd(monitor)
    }

    deinit {
        udev_monitor_unref(monitor)
        udev_unref(context)
    }

    /// The next event of a device node of ours, if one is waiting.
    public func receive() -> HotplugEvent? {
        guard let device = udev_monitor_receive_device(monitor) else { return nil }
        defer { udev_device_unref(device) }
        guard let actionName = UdevDevices.string(udev_device_get_action(device)),
              let action = HotplugEvent.Action(rawValue: actionName),
              let identity = UdevDevices.identity(of: device) else { return nil }
        return HotplugEvent(action: action, identity: identity)
    }
}

private extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
