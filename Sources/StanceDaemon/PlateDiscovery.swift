import StanceDevices

/// Finds a dual force plate among the attached devices: a serial device whose matched profile
/// speaks a plate protocol with the `pair` role. What it passes over, it says why (for the log).
public enum PlateDiscovery {
    /// A plate found, and the devices that looked like candidates but were passed over.
    public struct Outcome: Sendable {
        public var plate: (path: String, profile: DeviceProfile)?
        public var passedOver: [String]
    }

    /// Serial protocols the dual-plate pipeline reads.
    public static let plateProtocols: Set<DeviceProtocol> = [.stanceLine, .stanceBinary]

    /// Enumerates through libudev now (nil when libudev cannot be initialised).
    public static func scan(profiles: ProfileSet) -> Outcome? {
        guard let udev = UdevDevices() else { return nil }
        var inventory = DeviceInventory(profiles: profiles)
        inventory.refresh(with: udev.enumerate(subsystems: [.tty]))
        return choose(from: inventory.sortedEntries)
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
