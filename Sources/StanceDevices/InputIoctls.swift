import CStanceSystem

/// An input device's bus and ids (`EVIOCGID`, `HIDIOCGRAWINFO`).
public struct InputIdentity: Sendable, Equatable {
    public var bustype: UInt32
    public var vendor: UInt16
    public var product: UInt16
    public var version: UInt16

    public init(bustype: UInt32, vendor: UInt16, product: UInt16, version: UInt16 = 0) {
        self.bustype = bustype
        self.vendor = vendor
        self.product = product
        self.version = version
    }
}

/// An absolute axis's state and range (`EVIOCGABS`): its current value seeds the decoder, its
/// range goes into the calibration checks.
public struct AbsoluteAxis: Sendable, Equatable {
    public var value: Int32
    public var minimum: Int32
    public var maximum: Int32
    public var fuzz: Int32
    public var flat: Int32
    public var resolution: Int32

    public init(value: Int32, minimum: Int32, maximum: Int32, fuzz: Int32 = 0, flat: Int32 = 0, resolution: Int32 = 0) {
        self.value = value
        self.minimum = minimum
        self.maximum = maximum
        self.fuzz = fuzz
        self.flat = flat
        self.resolution = resolution
    }
}

/// The ioctls Stance makes on evdev and hidraw nodes. This is the seam the tests fake: this
/// machine has neither device, so tests drive the layers above with recorded answers and real
/// descriptors, over real file descriptors.
public protocol DeviceIoctls: Sendable {
    func inputName(_ descriptor: Int32, path: String) throws(DeviceError) -> String
    func inputIdentity(_ descriptor: Int32, path: String) throws(DeviceError) -> InputIdentity
    func absoluteAxis(_ descriptor: Int32, code: UInt16, path: String) throws(DeviceError) -> AbsoluteAxis
    func grab(_ descriptor: Int32, _ grab: Bool, path: String) throws(DeviceError)
    func hidrawIdentity(_ descriptor: Int32, path: String) throws(DeviceError) -> InputIdentity
    func hidrawName(_ descriptor: Int32, path: String) throws(DeviceError) -> String
    func hidrawReportDescriptor(_ descriptor: Int32, path: String) throws(DeviceError) -> [UInt8]
    func hidrawSendFeatureReport(_ descriptor: Int32, _ report: [UInt8], path: String) throws(DeviceError)
}

/// The real ioctls, through `CStanceSystem`.
public struct LinuxDeviceIoctls: DeviceIoctls {
    public init() {}

    public func inputName(_ descriptor: Int32, path: String) throws(DeviceError) -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard stance_evdev_name(descriptor, &name, UInt(name.count)) == 0 else { throw .lastSystemError("ioctl(EVIOCGNAME)", path) }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func inputIdentity(_ descriptor: Int32, path: String) throws(DeviceError) -> InputIdentity {
        var bus: UInt16 = 0, vendor: UInt16 = 0, product: UInt16 = 0, version: UInt16 = 0
        guard stance_evdev_id(descriptor, &bus, &vendor, &product, &version) == 0 else { throw .lastSystemError("ioctl(EVIOCGID)", path) }
        return InputIdentity(bustype: UInt32(bus), vendor: vendor, product: product, version: version)
    }

    public func absoluteAxis(_ descriptor: Int32, code: UInt16, path: String) throws(DeviceError) -> AbsoluteAxis {
        var value: Int32 = 0, minimum: Int32 = 0, maximum: Int32 = 0, fuzz: Int32 = 0, flat: Int32 = 0, resolution: Int32 = 0
        guard stance_evdev_abs(descriptor, UInt32(code), &value, &minimum, &maximum, &fuzz, &flat, &resolution) == 0 else {
            throw .lastSystemError("ioctl(EVIOCGABS \(code))", path)
        }
        return AbsoluteAxis(value: value, minimum: minimum, maximum: maximum, fuzz: fuzz, flat: flat, resolution: resolution)
    }

    public func grab(_ descriptor: Int32, _ grab: Bool, path: String) throws(DeviceError) {
        guard stance_evdev_grab(descriptor, grab ? 1 : 0) == 0 else { throw .lastSystemError("ioctl(EVIOCGRAB)", path) }
    }

    public func hidrawIdentity(_ descriptor: Int32, path: String) throws(DeviceError) -> InputIdentity {
        var bus: UInt32 = 0, vendor: Int16 = 0, product: Int16 = 0
        guard stance_hidraw_info(descriptor, &bus, &vendor, &product) == 0 else { throw .lastSystemError("ioctl(HIDIOCGRAWINFO)", path) }
        return InputIdentity(bustype: bus, vendor: UInt16(bitPattern: vendor), product: UInt16(bitPattern: product))
    }

    public func hidrawName(_ descriptor: Int32, path: String) throws(DeviceError) -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard stance_hidraw_name(descriptor, &name, UInt(name.count)) == 0 else { throw .lastSystemError("ioctl(HIDIOCGRAWNAME)", path) }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func hidrawReportDescriptor(_ descriptor: Int32, path: String) throws(DeviceError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let size = stance_hidraw_descriptor(descriptor, &bytes, UInt(bytes.count))
        guard size >= 0 else { throw .lastSystemError("ioctl(HIDIOCGRDESC)", path) }
        return Array(bytes.prefix(Int(size)))
    }

    public func hidrawSendFeatureReport(_ descriptor: Int32, _ report: [UInt8], path: String) throws(DeviceError) {
        guard stance_hidraw_send_feature(descriptor, report, UInt(report.count)) == 0 else {
            throw .lastSystemError("ioctl(HIDIOCSFEATURE)", path)
        }
    }
}
