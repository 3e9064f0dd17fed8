import StanceDSP

/// Writes WitMotion frames for a sample (for the IMU emulator): each value is divided by the
/// frame's scale, rounded and clamped to int16, so samples made of representable values decode
/// back exactly.
public struct WitMotionEncoder: Sendable {
    public let configuration: WitMotion.Configuration

    public init(configuration: WitMotion.Configuration = WitMotion.Configuration()) {
        self.configuration = configuration
    }

    /// The frames of one output cycle, in the device's order: time (if the sample has a device
    /// time), acceleration, angular velocity, then angle, magnetic field and quaternion if present.
    public func encode(_ sample: ImuSample, into bytes: inout [UInt8]) {
        if let time = sample.deviceTimeMicroseconds {
            // The decoder keeps the time of day; the date is sent as 2000-01-01.
            let milliseconds = time / 1000 % 1000
            let seconds = time / 1_000_000
            appendFrame(.time, bytes: &bytes, payload: [
                0, 1, 1, UInt8(seconds / 3600 % 24), UInt8(seconds / 60 % 60), UInt8(seconds % 60),
                UInt8(milliseconds & 0xFF), UInt8(milliseconds >> 8),
            ])
        }
        let a = sample.accelerationMetresPerSecondSquared / configuration.accelerationScale
        appendFrame(.acceleration, bytes: &bytes, raw: [a.x, a.y, a.z,
                                                        (sample.temperatureCelsius ?? 0) / WitMotion.Configuration.temperatureScale])
        let g = sample.angularVelocityRadiansPerSecond / configuration.angularRateScale
        appendFrame(.angularVelocity, bytes: &bytes, raw: [g.x, g.y, g.z, 0])
        if let angles = sample.eulerAnglesRadians {
            let r = angles / WitMotion.Configuration.angleScale
            appendFrame(.angle, bytes: &bytes, raw: [r.x, r.y, r.z, 0])
        }
        if let field = sample.magneticField {
            appendFrame(.magneticField, bytes: &bytes, raw: [field.x, field.y, field.z, 0])
        }
        if let q = sample.orientation {
            let ordered = configuration.quaternionOrder == .wxyz ? q : SIMD4(q[1], q[2], q[3], q[0])
            let r = ordered / WitMotion.Configuration.quaternionScale
            appendFrame(.quaternion, bytes: &bytes, raw: [r[0], r[1], r[2], r[3]])
        }
    }

    /// A frame of four int16 words, each rounded and clamped.
    private func appendFrame(_ type: WitMotion.FrameType, bytes: inout [UInt8], raw: [Double]) {
        var payload: [UInt8] = []
        for value in raw {
            let word = UInt16(bitPattern: Int16(value.isNaN ? 0 : min(max(value.rounded(), -32768), 32767)))
            payload += [UInt8(word & 0xFF), UInt8(word >> 8)]
        }
        appendFrame(type, bytes: &bytes, payload: payload)
    }

    private func appendFrame(_ type: WitMotion.FrameType, bytes: inout [UInt8], payload: [UInt8]) {
        let frame = [WitMotion.header, type.rawValue] + payload
        bytes += frame
        bytes.append(frame.reduce(0, &+))
    }
}
