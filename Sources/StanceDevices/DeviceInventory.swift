#if canImport(Glibc)
import Glibc
#endif

/// One attached device as `stance devices` shows it: who it is, which profile took it (or why
/// none did), its role, and whether this process may open it.
public struct InventoryEntry: Sendable, Equatable {
    public var identity: DeviceIdentity
    public var match: ProfileMatch
    /// `nil` when the device can be opened for reading and writing; otherwise why not.
    public var accessProblem: String?

    public init(identity: DeviceIdentity, match: ProfileMatch, accessProblem: String?) {
        self.identity = identity
        self.match = match
        self.accessProblem = accessProblem
    }

    public var role: DeviceRole? {
        if case .matched(_, let role) = match { role } else { nil }
    }
}

/// The devices of ours that are attached now, kept up to date by hotplug events.
public struct DeviceInventory: Sendable {
    public let profiles: ProfileSet
    public private(set) var entries: [String: InventoryEntry] = [:]

    public init(profiles: ProfileSet) {
        self.profiles = profiles
    }

    /// An entry for `identity`, with the access check done now.
    public func entry(for identity: DeviceIdentity) -> InventoryEntry {
        var problem: String?
        if access(identity.devicePath, R_OK | W_OK) != 0 {
            let code = errno
            problem = code == EACCES
                ? "permission denied: install the udev rules (make install) and join group stance"
                : String(cString: strerror(code))
        }
        return InventoryEntry(identity: identity, match: profiles.match(identity), accessProblem: problem)
    }

    /// Replaces the inventory with an enumeration.
    public mutating func refresh(with identities: [DeviceIdentity]) {
        entries = Dictionary(identities.map { ($0.devicePath, entry(for: $0)) }, uniquingKeysWith: { first, _ in first })
    }

    /// What a hotplug event changed.
    public enum Change: Sendable, Equatable {
        /// A device a profile matched appeared.
        case attached(InventoryEntry)
        /// A device no profile matched (or several equally) appeared: shown, not used.
        case ignored(InventoryEntry)
        /// A known device went away.
        case detached(path: String)
        /// Nothing of ours.
        case none
    }

    /// Applies a hotplug event.
    public mutating func apply(_ event: HotplugEvent) -> Change {
        switch event.action {
        case .add:
            let entry = entry(for: event.identity)
            entries[event.identity.devicePath] = entry
            if case .matched = entry.match { return .attached(entry) }
            return .ignored(entry)
        case .remove:
            return entries.removeValue(forKey: event.identity.devicePath) == nil ? .none : .detached(path: event.identity.devicePath)
        }
    }

    /// Entries sorted by path.
    public var sortedEntries: [InventoryEntry] { entries.values.sorted { $0.identity.devicePath < $1.identity.devicePath } }
}
