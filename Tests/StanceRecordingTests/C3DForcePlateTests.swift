import StanceDSP
import StanceRecording
import Testing

/// The COP a C3D reader computes from the Type-2 channels and corners (`C3DTestReader.readerCOP`,
/// ezc3d's formula) against the cell positions and against `PlateGeometry.reading`.
@Suite("C3D force platforms")
struct C3DForcePlateTests {
    static let layout = DualPlateLayout()

    /// Largest coordinate difference, mm (z ignored when comparing with a 2-D COP).
    func gap(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { max(abs(a.x - b.x), abs(a.y - b.y), abs(a.z - b.z)) }
    func gap(_ a: SIMD3<Double>, _ b: SIMD2<Double>) -> Double { max(abs(a.x - b.x), abs(a.y - b.y)) }

    static func file(_ cells: [SIMD8<Double>]) throws -> C3DTestReader {
        C3DTestReader(try C3DRecording(dualPlate: cells, rateHz: 100, layout: layout).encoded())
    }

    @Test("all load on one cell: the reader's COP is that cell, in the lab frame, to 1e-9 mm")
    func oneCell() throws {
        // left TL, TR, BL, BR then right TL, TR, BL, BR: 500 N on one cell, 0 on the rest.
        let cells = (0..<8).map { lane in SIMD8<Double>((0..<8).map { $0 == lane ? 500 : 0 }) }
        let file = try Self.file(cells)
        let x: [Double] = [-216.5, 216.5, -216.5, 216.5], y: [Double] = [119, 119, -119, -119]
        for lane in 0..<8 {
            let plate = lane / 4, cell = lane % 4
            let cop = file.readerCOP(plate: plate, sample: lane)
            let centreX: Double = plate == 0 ? -225 : 225
            let expected = SIMD3(centreX + x[cell], y[cell], 0)
            #expect(gap(cop, expected) < 1e-9, "lane \(lane): \(cop) vs \(expected)")
        }
    }

    @Test("equal load on the four cells: the reader's COP is the plate centre")
    func centre() throws {
        let file = try Self.file([SIMD8(repeating: 123.25)])
        #expect(gap(file.readerCOP(plate: 0, sample: 0), SIMD3(-225, 0, 0)) < 1e-9)
        #expect(gap(file.readerCOP(plate: 1, sample: 0), SIMD3(225, 0, 0)) < 1e-9)
    }

    @Test("uneven loads (the interop recording's first 300 samples): the reader's COP equals DualPlateReading's global COPs within 1e-3 mm")
    func uneven() throws {
        let cells = Array(C3DInteropTests.cells().prefix(300))
        let file = try Self.file(cells)
        for (sample, frame) in cells.enumerated() {
            let reading = Self.layout.reading(cellForcesNewtons: frame)
            let left = reading.leftGlobalCopMetres! * 1000, right = reading.rightGlobalCopMetres! * 1000
            let readerLeft = file.readerCOP(plate: 0, sample: sample), readerRight = file.readerCOP(plate: 1, sample: sample)
            #expect(gap(readerLeft, left) < 1e-3, "sample \(sample)")
            #expect(gap(readerRight, right) < 1e-3, "sample \(sample)")
        }
    }

    @Test("a plate whose cells are not a centred rectangle: the reader's COP still equals PlateGeometry.reading")
    func irregularLayout() throws {
        let geometry = PlateGeometry(cellXMetres: SIMD4(-0.2, 0.25, -0.18, 0.22), cellYMetres: SIMD4(0.1, 0.13, -0.12, -0.09))
        let centre = SIMD2(0.4, -0.3)
        let loads: [SIMD4<Double>] = [SIMD4(100, 0, 0, 0), SIMD4(10, 20, 30, 40), SIMD4(250, 80, 5, 400), SIMD4(1, 1, 1, 1)]
        let recording = C3DRecording(
            analogRateHz: 50, channels: (0..<4).map { C3DAnalogChannel(label: "c\($0)", unit: "N") },
            samples: loads.flatMap { load in (0..<4).map { Float(load[$0]) } },
            plates: [C3DForcePlate(name: "odd", geometry: geometry, centreMetres: centre, cellChannels: [0, 1, 2, 3])]
        )
        let file = C3DTestReader(try recording.encoded())
        for (sample, load) in loads.enumerated() {
            let ours = (geometry.reading(cellForcesNewtons: load, thresholdNewtons: 0).copMetres! + centre) * 1000
            let reader = file.readerCOP(plate: 0, sample: sample)
            #expect(gap(reader, ours) < 1e-3, "sample \(sample): \(reader) vs \(ours)")
        }
    }
}
