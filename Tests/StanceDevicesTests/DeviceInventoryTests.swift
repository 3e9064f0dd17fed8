import Foundation
import StanceDevices
import Testing

@Suite("device inventory and hotplug")
struct DeviceInventoryTests {
    @Test("synthetic hotplug events: a matched device attaches, an unknown one is shown but ignored, removal detaches")
    func hotplug() {
        var inventory = DeviceInventory(profiles: ProfileSet())
        let board = DeviceIdentity(subsystem: .input, devicePath: "/dev/input/event7", name: "Nintendo Wii Remote Balance Board")
        let mouse = DeviceIdentity(subsystem: .input, devicePath: "/dev/input/event3", name: "Logitech USB Optical Mouse")
        guard case .attached(let entry) = inventory.apply(HotplugEvent(action: .add, identity: board)) else {
            Issue.record("the board should attach")
            return
        }
        #expect(entry.role == .left)
        #expect(entry.accessProblem != nil, "/dev/input/event7 does not exist here")
        #expect(inventory.apply(HotplugEvent(action: .add, identity: mouse)) == .ignored(inventory.entry(for: mouse)))
        #expect(inventory.entries.count == 2)
        #expect(inventory.apply(HotplugEvent(action: .remove, identity: board)) == .detached(path: "/dev/input/event7"))
        #expect(inventory.apply(HotplugEvent(action: .remove, identity: board)) == .none)
        #expect(inventory.sortedEntries.map(\.identity.devicePath) == ["/dev/input/event3"])
    }

    @Test("access is checked on the real node: a pseudo-terminal we may open has no access problem")
    func access() throws {
        let inventory = DeviceInventory(profiles: ProfileSet())
        let entry = inventory.entry(for: DeviceIdentity(subsystem: .tty, devicePath: "/dev/ptmx"))
        #expect(entry.accessProblem == nil)
        #expect(entry.match == .unmatched)
    }

    @Test("enumeration reads this machine's devices through libudev (sysfs, plus udev's database where it runs)")
    func enumeration() throws {
        let udev = try #require(UdevDevices())
        let devices = udev.enumerate(subsystems: [.tty])
        #expect(devices.contains { $0.devicePath == "/dev/ptmx" } || devices.contains { $0.devicePath.hasPrefix("/dev/tty") })
        #expect(devices.allSatisfy { $0.subsystem == .tty })
    }
}
