import Foundation
import StanceDSP
import StanceRecording

/// A session's plates as its `session.xdf` holds them (`docs/recording.md`): the eight cell
/// forces per sample, the rate, where the plates and their cells were, and the markers.
public struct SessionPlates: Sendable {
    /// One frame per sample: left TL TR BL BR, right TL TR BL BR, newtons.
    public var frames: [SIMD8<Double>]
    public var rateHz: Double
    public var layout: DualPlateLayout
    /// Marks, tares, gaps and unplugs, seconds from the first sample.
    public var events: [C3DEvent]
    /// Whether the file ended inside a chunk (a recording cut short by a crash).
    public var truncated: Bool

    public init(recording: XDFRecording, path: String) throws {
        func plate(_ side: String) throws -> XDFRecordedStream {
            guard let stream = recording.streams.first(where: { $0.info.name == "\(side) plate" }) else {
                throw SessionPlatesError("\(path): no '\(side) plate' stream (streams: \(recording.streams.map(\.info.name).joined(separator: ", ")))")
            }
            guard stream.info.channelCount == 4, case .float32 = stream.values else {
                throw SessionPlatesError("\(path): the '\(side) plate' stream is not 4 float32 channels")
            }
            return stream
        }
        let left = try plate("left"), right = try plate("right")
        guard case .float32(let leftValues) = left.values, case .float32(let rightValues) = right.values else {
            throw SessionPlatesError("\(path): plate streams are not float32")
        }
        rateHz = left.info.nominalRateHz
        guard rateHz > 0 else { throw SessionPlatesError("\(path): the plate streams have no nominal rate") }
        let count = min(left.sampleCount, right.sampleCount)
        guard count >= 1 else { throw SessionPlatesError("\(path): the plates hold no samples") }
        frames = (0..<count).map { index in
            var frame = SIMD8<Double>()
            for cell in 0..<4 {
                frame[cell] = Double(leftValues[4 * index + cell])
                frame[cell + 4] = Double(rightValues[4 * index + cell])
            }
            return frame
        }
        layout = Self.layout(left: left, right: right, fallback: DualPlateLayout())
        let start = left.timestamps.first ?? 0
        events = []
        if let markers = recording.streams.first(where: { $0.info.name == "markers" }), case .string(let texts) = markers.values {
            for (text, time) in zip(texts, markers.timestamps) {
                let kind = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
                guard ["mark", "tare", "gap", "device.unplugged", "device.reopened"].contains(kind) else { continue }
                let label = kind == "mark" ? String(text.dropFirst(kind.count + 1)).trimmingCharacters(in: .whitespaces) : kind
                events.append(C3DEvent(label: label.isEmpty ? kind : label, seconds: max(0, time - start), description: text))
            }
        }
        truncated = recording.truncatedAt != nil
    }

    /// The plates' cell positions and spacing from the streams' `<desc>`; `fallback` where absent.
    private static func layout(left: XDFRecordedStream, right: XDFRecordedStream, fallback: DualPlateLayout) -> DualPlateLayout {
        func geometry(_ stream: XDFRecordedStream) -> (PlateGeometry, Double)? {
            guard let plate = stream.info.desc.first(where: { $0.name == "plate" }),
                  let centre = plate.childText("centre_x_mm").flatMap(Double.init),
                  let cells = plate.child("cells")?.children(named: "cell"), cells.count == 4 else { return nil }
            let xs = cells.compactMap { $0.childText("x_mm").flatMap(Double.init) }
            let ys = cells.compactMap { $0.childText("y_mm").flatMap(Double.init) }
            guard xs.count == 4, ys.count == 4 else { return nil }
            return (PlateGeometry(cellXMetres: SIMD4(xs) / 1000, cellYMetres: SIMD4(ys) / 1000), centre / 1000)
        }
        guard let (leftGeometry, leftCentre) = geometry(left), let (rightGeometry, rightCentre) = geometry(right) else { return fallback }
        return DualPlateLayout(left: leftGeometry, right: rightGeometry, spacingMetres: rightCentre - leftCentre,
                               thresholdNewtons: fallback.thresholdNewtons)
    }

    /// The cell-force CSV `stance analyze` reads: seconds from the first sample, newtons.
    public func cellForceCSV() -> String {
        var text = CellForceCSV.header + "\n"
        for (index, frame) in frames.enumerated() {
            text += CellForceCSV.row(timeSeconds: Double(index) / rateHz, cellsNewtons: frame)
        }
        return text
    }
}

/// Why a session's plates could not be taken from its file: the message names the file.
public struct SessionPlatesError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
