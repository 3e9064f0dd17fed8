import StanceDSP
import StanceProtocols

/// What any device's decoding gives the pipeline.
public enum DeviceOutput: Sendable, Equatable {
    /// A line protocol header: the stream (re)started.
    case header(LineHeader)
    /// Raw channel values (plates, and IMUs speaking the line or binary protocol).
    case sample(DeviceSample)
    case imu(ImuSample)
}

extension DeviceProfile {
    /// The ranges a WitMotion IMU is read with: the profile's, else the device's defaults.
    public var witMotionConfiguration: WitMotion.Configuration {
        WitMotion.Configuration(accelerationRangeG: accelerationRangeG ?? 16,
                                angularRateRangeDegreesPerSecond: angularRateRangeDegreesPerSecond ?? 2000)
    }
}

/// The decoder a profile names for a serial device, with the profile's settings: a line decoder
/// that waits for the header when the board resets on open, WitMotion ranges.
public struct ProfileDecoder: ByteStreamDecoder {
    private enum Inner: Sendable {
        case line(LineProtocolDecoder)
        case binary(BinaryProtocolDecoder)
        case witmotion(WitMotionDecoder)
    }

    private var inner: Inner

    /// `nil` for profiles whose protocol is not read from a serial line.
    public init?(profile: DeviceProfile) {
        switch profile.deviceProtocol {
        case .stanceLine: inner = .line(LineProtocolDecoder(requiresHeader: profile.resetOnOpen))
        case .stanceBinary: inner = .binary(BinaryProtocolDecoder())
        case .witmotion:
            inner = .witmotion(WitMotionDecoder(configuration: profile.witMotionConfiguration))
        case .wiimoteEvdev, .hid, .goDirect: return nil
        }
    }

    public var counters: DecoderCounters {
        switch inner {
        case .line(let decoder): decoder.counters
        case .binary(let decoder): decoder.counters
        case .witmotion(let decoder): decoder.counters
        }
    }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (DeviceOutput) -> Void) {
        switch inner {
        case .line(var decoder):
            decoder.decode(bytes) { event in
                switch event {
                case .header(let header): emit(.header(header))
                case .sample(let sample): emit(.sample(sample))
                }
            }
            inner = .line(decoder)
        case .binary(var decoder):
            decoder.decode(bytes) { emit(.sample($0)) }
            inner = .binary(decoder)
        case .witmotion(var decoder):
            decoder.decode(bytes) { emit(.imu($0)) }
            inner = .witmotion(decoder)
        }
    }
}

extension DeviceReader {
    /// A reader for a serial device as its profile describes it: rate, DTR reset, decoder.
    /// `nil` when the profile's protocol is not a serial one.
    public convenience init?(serialPath path: String, profile: DeviceProfile, ringCapacity: Int = 8192)
    where Device == SerialDevice<ProfileDecoder> {
        guard let decoder = ProfileDecoder(profile: profile) else { return nil }
        self.init(serialPath: path, configuration: profile.serialConfiguration, decoder: decoder, ringCapacity: ringCapacity)
    }
}
