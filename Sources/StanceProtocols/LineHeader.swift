import StanceDSP

/// The announcement of a Stance line protocol v1 stream:
/// `#stance-line/1 channels=N rate_hz=R units=N|kg|counts layout=… [id=SERIAL]`.
public struct LineHeader: Sendable, Equatable {
    /// What the channel values measure.
    public enum Units: String, Sendable, CaseIterable {
        case newtons = "N"
        case kilograms = "kg"
        case counts
    }

    /// How the channels are arranged.
    public enum Layout: String, Sendable, CaseIterable {
        /// Left TL, TR, BL, BR, right TL, TR, BL, BR: 8 channels.
        case dualPlate = "dual-plate"
        /// TL, TR, BL, BR of one plate (its side from the device profile): 4 channels.
        case plate
        /// ax ay az (m/s²), gx gy gz (rad/s): 6 channels.
        case imu6
        /// imu6 followed by mx my mz (µT): 9 channels.
        case imu9

        /// The channel count this layout requires.
        public var channelCount: Int {
            switch self {
            case .dualPlate: return 8
            case .plate: return 4
            case .imu6: return 6
            case .imu9: return 9
            }
        }
    }

    /// Channels per sample, 1…16.
    public var channels: Int
    /// Nominal sample rate, hertz (> 0).
    public var rateHz: Double
    public var units: Units
    public var layout: Layout
    /// The device's serial number or other identity, if given.
    public var id: String?

    public init(channels: Int, rateHz: Double, units: Units, layout: Layout, id: String? = nil) {
        self.channels = channels
        self.rateHz = rateHz
        self.units = units
        self.layout = layout
        self.id = id
    }

    /// The marker that starts a header line.
    static let marker = Array("#stance-line/1".utf8)

    /// Parses the text after the marker: space-separated `key=value` pairs. Missing or bad
    /// required keys fail.
    static func parse(_ text: UnsafeRawBufferPointer) -> LineHeader? {
        var channels: Int?
        var rateHz: Double?
        var units: Units?
        var layout: Layout?
        var id: String?
        var index = 0
        // Scanned in place (no arrays of fields): a header costs no heap unless its id is long.
        while index < text.count {
            if text[index] == UInt8(ascii: " ") {
                index += 1
                continue
            }
            var end = index
            while end < text.count, text[end] != UInt8(ascii: " ") { end += 1 }
            let field = UnsafeRawBufferPointer(rebasing: text[index..<end])
            index = end
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: field[..<equals])
            let valueBytes = UnsafeRawBufferPointer(rebasing: field[(equals + 1)...])
            let value = String(decoding: valueBytes, as: UTF8.self)
            if key.elementsEqual("channels".utf8) {
                channels = Int(value)
            } else if key.elementsEqual("rate_hz".utf8) {
                rateHz = DecimalNumber.double(valueBytes)
            } else if key.elementsEqual("units".utf8) {
                units = Units(rawValue: value)
            } else if key.elementsEqual("layout".utf8) {
                layout = Layout(rawValue: value)
            } else if key.elementsEqual("id".utf8) {
                id = value.isEmpty ? nil : value
            }
            // Unknown keys are ignored: later minor versions may add some.
        }
        guard let channels, (1...DeviceSample.maximumChannels).contains(channels),
              let rateHz, rateHz > 0, let units, let layout, layout.channelCount == channels
        else { return nil }
        return LineHeader(channels: channels, rateHz: rateHz, units: units, layout: layout, id: id)
    }

    /// The header line, without the line end.
    public var line: String {
        var text = "#stance-line/1 channels=\(channels) rate_hz=\(rateHz) units=\(units.rawValue) layout=\(layout.rawValue)"
        if let id { text += " id=\(id)" }
        return text
    }
}
