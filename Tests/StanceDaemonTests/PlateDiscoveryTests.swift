import StanceDaemon
import StanceDevices
import Testing

@Suite("finding a dual plate among the attached devices")
struct PlateDiscoveryTests {
    private func entry(_ path: String, vendor: String, product: String, access: String? = nil) -> InventoryEntry {
        let identity = DeviceIdentity(subsystem: .tty, devicePath: path, vendorID: vendor, productID: product)
        return InventoryEntry(identity: identity, match: ProfileSet().match(identity), accessProblem: access)
    }

    @Test("the first usable Arduino plate (by path) is chosen; an IMU and an unreadable plate are passed over with the reason")
    func choice() {
        let entries = [
            entry("/dev/ttyACM0", vendor: "2341", product: "0043", access: "permission denied: install the udev rules (make install) and join group stance"),
            entry("/dev/ttyACM1", vendor: "2341", product: "0043"),
            entry("/dev/ttyUSB0", vendor: "1a86", product: "7523"),
        ]
        let outcome = PlateDiscovery.choose(from: entries)
        #expect(outcome.plate?.path == "/dev/ttyACM1" && outcome.plate?.profile.name == "arduino-hx711-plate")
        #expect(outcome.passedOver.count == 1 && outcome.passedOver[0].contains("/dev/ttyACM0") && outcome.passedOver[0].contains("join group stance"))
    }

    @Test("no plate: nothing chosen, and an IMU is named as not a dual force plate")
    func none() {
        let outcome = PlateDiscovery.choose(from: [entry("/dev/ttyUSB0", vendor: "1a86", product: "7523")])
        #expect(outcome.plate == nil)
        #expect(outcome.passedOver == ["/dev/ttyUSB0: witmotion-ch340 (imu-trunk) is not a dual force plate"], "\(outcome.passedOver)")
    }
}
