/// A recording the C3D encoder refused, and why; nothing was written. Limits come from the format:
/// parameter dimensions are single bytes (255 channels, events), the parameter section has at most
/// 255 blocks, and names are upper-case ASCII.
public enum C3DError: Error, Equatable, Sendable, CustomStringConvertible {
    case noChannels
    case badRate(Double)
    case badSamplesPerFrame(Int)
    /// The value count is not a whole number of samples.
    case valueCount(values: Int, channels: Int)
    /// The sample count is zero or not a whole number of frames.
    case partialFrame(samples: Int, samplesPerFrame: Int)
    case tooManyFrames(Int)
    /// Recorded plus derived (six per plate) channels exceed 255.
    case tooManyChannels(Int)
    case cellChannels(plate: String, [Int])
    /// The plate's cells all lie on a line: a reader could not orient it from its corners.
    case flatPlate(String)
    case tooManyEvents(Int)
    case eventTime(label: String, seconds: Double)
    case badName(String)
    case textTooLong(String, bytes: Int)
    case dimensionTooLarge(String, [Int])
    case parameterSectionTooLarge(blocks: Int)

    public var description: String {
        switch self {
        case .noChannels: "C3D: a recording needs at least one analog channel"
        case .badRate(let hz): "C3D: analog rate \(hz) Hz is not a positive finite number"
        case .badSamplesPerFrame(let n): "C3D: \(n) analog samples per frame; at least 1 is needed"
        case .valueCount(let values, let channels): "C3D: \(values) values are not a whole number of \(channels)-channel samples"
        case .partialFrame(let samples, let perFrame):
            "C3D: \(samples) samples are not a whole, non-zero number of \(perFrame)-sample frames"
        case .tooManyFrames(let frames): "C3D: \(frames) frames; at most 2147483647 are written"
        case .tooManyChannels(let count): "C3D: \(count) analog channels (six per plate included); at most 255"
        case .cellChannels(let plate, let indices): "C3D: plate '\(plate)' needs 4 cell channels that exist, has \(indices)"
        case .flatPlate(let plate): "C3D: plate '\(plate)' has its cells on a line, so it has no corners"
        case .tooManyEvents(let count): "C3D: \(count) events; at most 255"
        case .eventTime(let label, let seconds): "C3D: event '\(label)' at \(seconds) s is not a finite time ≥ 0"
        case .badName(let name): "C3D: '\(name)' is not a group or parameter name (A–Z, 0–9, _; 1–127 characters)"
        case .textTooLong(let name, let bytes): "C3D: \(name): \(bytes) bytes of text; at most 255"
        case .dimensionTooLarge(let name, let dimensions): "C3D: \(name): dimensions \(dimensions) exceed 255"
        case .parameterSectionTooLarge(let blocks): "C3D: the parameters take \(blocks) blocks; at most 255"
        }
    }
}
