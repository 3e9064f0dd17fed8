import StanceDSP

/// WitMotion WT901/JY901/HWT901B serial frames (WITMOTION/WitStandardProtocol_JY901): `0x55`, a
/// type byte, four little-endian int16 words, and the low byte of the sum of the first ten bytes.
public enum WitMotion {
    public static let frameLength = 11
    public static let header: UInt8 = 0x55

    /// Frame types this decoder understands (others are checked, counted and skipped).
    public enum FrameType: UInt8, Sendable, CaseIterable {
        /// YY MM DD hh mm ss, milliseconds (u16).
        case time = 0x50
        /// ax ay az, temperature (raw/100 °C).
        case acceleration = 0x51
        /// gx gy gz.
        case angularVelocity = 0x52
        /// roll pitch yaw, firmware version.
        case angle = 0x53
        /// mx my mz (raw; WitMotion documents no serial unit).
        case magneticField = 0x54
        /// q0 q1 q2 q3, raw/32768.
        case quaternion = 0x59
    }

    /// Element order of the quaternion frame (documents disagree).
    public enum QuaternionOrder: String, Sendable, CaseIterable {
        /// q0..q3 = w, x, y, z (the default).
        case wxyz
        /// q0..q3 = x, y, z, w.
        case xyzw
    }

    /// Ranges the device is set to (registers 0x21 ACCRANGE, 0x20 GYRORANGE), and conventions.
    public struct Configuration: Sendable, Equatable {
        /// Full scale of the accelerometer, g (2, 4, 8 or 16; default 16).
        public var accelerationRangeG: Double
        /// Full scale of the gyroscope, °/s (250, 500, 1000 or 2000; default 2000).
        public var angularRateRangeDegreesPerSecond: Double
        public var quaternionOrder: QuaternionOrder

        public init(accelerationRangeG: Double = 16, angularRateRangeDegreesPerSecond: Double = 2000,
                    quaternionOrder: QuaternionOrder = .wxyz) {
            self.accelerationRangeG = accelerationRangeG
            self.angularRateRangeDegreesPerSecond = angularRateRangeDegreesPerSecond
            self.quaternionOrder = quaternionOrder
        }

        /// m/s² per raw unit.
        var accelerationScale: Double { accelerationRangeG / 32768 * standardGravity }
        /// rad/s per raw unit.
        var angularRateScale: Double { angularRateRangeDegreesPerSecond / 32768 * Double.pi / 180 }
        /// rad per raw unit (±180° full scale).
        static let angleScale = Double.pi / 32768
        /// °C per raw unit of the temperature word.
        static let temperatureScale = 0.01
        static let quaternionScale = 1.0 / 32768
    }
}
