import StanceDevices

/// Finds a dual force plate among the attached devices: a serial device whose matched profile
/// speaks a plate protocol with the `pair` role. It enumerates once, then follows udev's hotplug
/// events (enumerating again only where no event socket can be had). What it passes over, it says
/// why (for the log).
public struct PlateDiscovery {
    /// A plate found, and the devices that looked like candidates but were passed over.
    public struct Outcome: Sendable {
        public var plate: (path: String, profile: DeviceProfile)?
        public var passedOver: [String]
    }

    /// Serial protocols the dual-plate pipeline reads.
    public static let plateProtocols: Set<DeviceProtocol> = [.stanceLine, .stanceBinary]

    private let udev: UdevDevices
    private let monitor: UdevMonitor?
    private var inventory: DeviceInventory

    /// Enumerates the serial devices now; nil when libudev cannot be initialised.
    public init?(profiles: ProfileSet) {
        guard let udev = UdevDevices() else { return nil }
        self.udev = udev
        monitor = UdevMonitor()
        inventory = DeviceInventory(profiles: profiles)
        inventory.refresh(with: udev.enumerate(subsystems: [.tty]))
    }

    /// The devices as they are now (after the hotplug events since the last look), and the plate
    /// to read if there is one. Devices passed over for access are checked again each time.
    public mutating func look() -> Outcome {
        if let monitor {
            while let event = monitor.receive() { _ = inventory.apply(event) }
        } else {
            inventory.refresh(with: udev.enumerate(subsystems: [.tty]))
        }
        let entries = inventory.sortedEntries.map { $0.accessProblem == nil ? $0 : inventory.entry(for: $0.identity) }
        return Self.choose(from: entries)
    }

    /// The first usable plate of `entries` (sorted by path, so the choice is stable).
    public static func choose(from entries: [InventoryEntry]) -> Outcome {
        var passedOver: [String] = []
        for entry in entries {
            guard case .matched(let profile, let role) = entry.match else {
                if case .ambiguous(let names) = entry.match {
                    passedOver.append("\(entry.identity.devicePath): profiles \(names.joined(separator: ", ")) match equally; name one with --device")
                }
                continue
            }
            guard plateProtocols.contains(profile.deviceProtocol), role == .pair else {
                passedOver.append("\(entry.identity.devicePath): \(profile.name) (\(role.rawValue)) is not a dual force plate")
                continue
            }
            if let problem = entry.accessProblem {
                passedOver.append("\(entry.identity.devicePath): \(profile.name): \(problem)")
                continue
            }
            var chosen = profile
            chosen.role = role
            return Outcome(plate: (entry.identity.devicePath, chosen), passedOver: passedOver)
        }
        return Outcome(plate: nil, passedOver: passedOver)
    }
}
