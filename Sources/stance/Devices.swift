import ArgumentParser
import Foundation
import StanceDevices

/// `stance devices`: what is attached, which profile took it, and whether Stance may open it.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List attached devices: identity, matched profile (or why none), role, access.",
        discussion: """
        Enumerates tty, hidraw and input event devices through libudev and matches them against the
        built-in profiles and those in \(ProfileSet.userDirectory). By default lists devices with USB
        ids or a matching profile; --all lists every node.
        """
    )

    @Flag(help: "List every tty, hidraw and input event node, not only likely candidates.")
    var all = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .customLong("profiles-dir"), help: "Directory of user profiles.")
    var profilesDirectory: String = ProfileSet.userDirectory

    @Option(help: "After the list, print hotplug events for this many seconds.")
    var watch: Double?

    func run() throws {
        let profiles = ProfileSet.loading(directory: profilesDirectory)
        var inventory = DeviceInventory(profiles: profiles)
        guard let udev = UdevDevices() else {
            FileHandle.standardError.write(Data("stance devices: libudev could not be initialised\n".utf8))
            throw ExitCode(1)
        }
        inventory.refresh(with: udev.enumerate())
        let entries = inventory.sortedEntries.filter { entry in
            if all { return true }
            if case .unmatched = entry.match { return entry.identity.vendorID != nil }
            return true
        }
        if json {
            try printJSON(entries, profiles: profiles)
        } else {
            printTable(entries, profiles: profiles, hidden: inventory.entries.count - entries.count)
        }
        if let watch { try watchEvents(seconds: watch, inventory: &inventory) }
    }

    /// Prints each add/remove of a device of ours as it happens, for `seconds`.
    private func watchEvents(seconds: Double, inventory: inout DeviceInventory) throws {
        guard let monitor = UdevMonitor() else {
            FileHandle.standardError.write(Data("stance devices: cannot open the netlink monitor\n".utf8))
            throw ExitCode(1)
        }
        print("\nwatching \(monitor.source.rawValue) events for \(seconds) s")
        fflush(nil)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var poller = pollfd(fd: monitor.descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0, let event = monitor.receive() else { continue }
            let identity = event.identity
            let ids = identity.vendorID.map { "\($0):\(identity.productID ?? "????")" } ?? "-"
            switch inventory.apply(event) {
            case .attached(let entry):
                print("add \(identity.devicePath) \(identity.subsystem.rawValue) \(ids) \"\(identity.name ?? "")\" -> \(describe(entry.match)) (\(entry.role?.rawValue ?? "-"))")
            case .ignored(let entry):
                print("add \(identity.devicePath) \(identity.subsystem.rawValue) \(ids) \"\(identity.name ?? "")\" -> \(describe(entry.match))")
            case .detached(let path):
                print("remove \(path)")
            case .none:
                break
            }
            fflush(nil)
        }
    }

    private func describe(_ match: ProfileMatch) -> String {
        switch match {
        case .matched(let profile, _): return profile.name
        case .ambiguous(let names): return "ambiguous: " + names.joined(separator: ", ")
        case .unmatched: return "none"
        }
    }

    private func printTable(_ entries: [InventoryEntry], profiles: ProfileSet, hidden: Int) {
        if UdevDevices.isRunning {
            print("udev: running")
        } else {
            print("udev: not running here: devices come from sysfs, without udev's properties (serial numbers, USB ports);")
            print("      the daemon falls back to polling configured paths")
        }
        let userProfiles = profiles.profiles.filter { !$0.source.hasPrefix("built-in") }.count
        print("profiles: \(profiles.profiles.count - userProfiles) built-in, \(userProfiles) from \(profilesDirectory)")
        for problem in profiles.problems { print("profile problem: \(problem)") }
        print("")
        let rows = [["PATH", "SUBSYSTEM", "VENDOR:PRODUCT", "NAME", "SERIAL", "PROFILE", "ROLE", "ACCESS"]] + entries.map { entry in
            let identity = entry.identity
            let usb = identity.vendorID.map { "\($0):\(identity.productID ?? "????")" } ?? "-"
            return [identity.devicePath, identity.subsystem.rawValue, usb, identity.name ?? "-", identity.serial ?? "-",
                    describe(entry.match), entry.role?.rawValue ?? "-", entry.accessProblem.map { "no: \($0)" } ?? "ok"]
        }
        let widths = (0..<8).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { index, text in
                index == row.count - 1 ? text : text.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
        if entries.isEmpty { print("(no candidate devices attached)") }
        // Why the candidates no profile took were not matched: each profile of their subsystem.
        for entry in entries where entry.match == .unmatched {
            let reasons = profiles.profiles.filter { $0.match.subsystem == entry.identity.subsystem }
                .compactMap { profile in profile.mismatch(for: entry.identity).map { "\(profile.name) \($0)" } }
            print("\(entry.identity.devicePath): no profile matches: " + (reasons.isEmpty ? "none for \(entry.identity.subsystem.rawValue) devices" : reasons.joined(separator: "; ")))
        }
        if hidden > 0 { print("\n\(hidden) other tty/hidraw/input nodes without USB ids or a profile; --all lists them") }
    }

    private func printJSON(_ entries: [InventoryEntry], profiles: ProfileSet) throws {
        let objects: [[String: Any]] = entries.map { entry in
            let identity = entry.identity
            return [
                "path": identity.devicePath, "subsystem": identity.subsystem.rawValue,
                "vendor_id": identity.vendorID ?? NSNull(), "product_id": identity.productID ?? NSNull(),
                "name": identity.name ?? NSNull(), "serial": identity.serial ?? NSNull(), "port_path": identity.portPath ?? NSNull(),
                "profile": describe(entry.match), "role": entry.role?.rawValue ?? NSNull(),
                "accessible": entry.accessProblem == nil, "access_problem": entry.accessProblem ?? NSNull(),
                "unmatched_because": entry.match == .unmatched
                    ? profiles.profiles.filter { $0.match.subsystem == identity.subsystem }
                        .compactMap { profile in profile.mismatch(for: identity).map { "\(profile.name) \($0)" } }
                    : [],
            ]
        }
        let document: [String: Any] = ["udev_running": UdevDevices.isRunning, "profile_problems": profiles.problems, "devices": objects]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
