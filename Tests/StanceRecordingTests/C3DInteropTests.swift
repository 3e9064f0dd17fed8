import Foundation
import StanceDSP
import StanceRecording
import Testing

/// The recording `scripts/interop/c3d_reads_back.py` reads with ezc3d. The script sets
/// `STANCE_C3D_INTEROP_PATH` and runs this test; it computes the same cell values from the same
/// formula, so a change here needs the same change there.
///
/// - 500 samples at 1000 Hz, 10 per frame (POINT:RATE 100 Hz, 50 frames), the default
///   `DualPlateLayout` (two Wii Balance Boards 450 mm apart).
/// - cell `lane` (left TL TR BL BR, right TL TR BL BR) of sample `i`:
///   `40 + ((37 i + 53 lane) mod 97) × 3.3` N, except the right cells of samples 300..<340, 2.5 N
///   each (10 N in all: below the 20 N COP threshold, so our COP is undefined there).
/// - the four events below.
///
/// Beside the file, `<path>.long.c3d` is one channel `x` (V) at 1000 Hz, one sample per frame,
/// 70000 frames (past the 16-bit frame count) with value `i` at sample `i`, and `<path>.cop.csv` holds the COP `DualPlateLayout.reading` computes for every
/// sample, lab frame, mm (`sample,left_x_mm,left_y_mm,right_x_mm,right_y_mm`, empty where undefined).
@Suite("C3D interop recording")
struct C3DInteropTests {
    static let events = [
        C3DEvent(label: "session start", seconds: 0), C3DEvent(label: #"tare <&> "ok""#, seconds: 0.05),
        C3DEvent(label: "mark é ✓", seconds: 0.125, context: "Left"), C3DEvent(label: "session stop", seconds: 0.499),
    ]

    static func cells() -> [SIMD8<Double>] {
        (0..<500).map { (i: Int) -> SIMD8<Double> in
            SIMD8<Double>((0..<8).map { (lane: Int) -> Double in
                if (300..<340).contains(i) && lane >= 4 { return 2.5 }
                return 40 + Double((37 * i + 53 * lane) % 97) * 3.3
            })
        }
    }

    static func copCSV(_ cells: [SIMD8<Double>], _ layout: DualPlateLayout) -> String {
        func mm(_ cop: SIMD2<Double>?) -> String { cop.map { "\($0.x * 1000),\($0.y * 1000)" } ?? "," }
        var text = "sample,left_x_mm,left_y_mm,right_x_mm,right_y_mm\n"
        for (sample, frame) in cells.enumerated() {
            let reading = layout.reading(cellForcesNewtons: frame)
            text += "\(sample),\(mm(reading.leftGlobalCopMetres)),\(mm(reading.rightGlobalCopMetres))\n"
        }
        return text
    }

    @Test("the interop recording and our COP for it (to STANCE_C3D_INTEROP_PATH when set)")
    func writeRecording() throws {
        let layout = DualPlateLayout()
        let cells = Self.cells()
        let recording = C3DRecording(dualPlate: cells, rateHz: 1000, layout: layout, analogSamplesPerFrame: 10, events: Self.events)
        let path = ProcessInfo.processInfo.environment["STANCE_C3D_INTEROP_PATH"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("stance-interop-\(UUID().uuidString).c3d").path
        try C3DFile.write(recording, to: path)
        try Self.copCSV(cells, layout).write(toFile: path + ".cop.csv", atomically: true, encoding: .utf8)
        #expect(try WholeFile.read(path) == recording.encoded())
        let long = C3DRecording(analogRateHz: 1000, channels: [C3DAnalogChannel(label: "x", unit: "V")], samples: (0..<70000).map { Float($0) })
        try C3DFile.write(long, to: path + ".long.c3d")
    }
}
