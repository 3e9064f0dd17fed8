import Foundation
import StanceDSP
import Testing

@Suite("per-plate force and centre of pressure")
struct PlateTests {
    let board = PlateGeometry.wiiBalanceBoard

    @Test("equal cells put the COP at the plate centre; force is the sum of the cells")
    func centred() throws {
        let reading = board.reading(cellForcesNewtons: SIMD4(100, 100, 100, 100))
        #expect(reading.forceNewtons == 400)
        let cop = try #require(reading.copMetres)
        #expect(abs(cop.x) < 1e-15 && abs(cop.y) < 1e-15)
    }

    @Test("all load on the top-right cell puts the COP on that cell: x = +216.5 mm, y = +119 mm")
    func cornerLoad() throws {
        let cop = try #require(board.reading(cellForcesNewtons: SIMD4(0, 300, 0, 0)).copMetres)
        #expect(abs(cop.x - 0.2165) < 1e-15)
        #expect(abs(cop.y - 0.119) < 1e-15)
    }

    @Test("COP is the force-weighted mean of the cell positions")
    func weightedMean() throws {
        let f = SIMD4<Double>(120, 80, 150, 50)
        let cop = try #require(board.reading(cellForcesNewtons: f).copMetres)
        let expectedX = (-120 + 80 - 150 + 50) * 0.2165 / 400
        let expectedY = (120 + 80 - 150 - 50) * 0.119 / 400
        #expect(abs(cop.x - expectedX) < 1e-15)
        #expect(abs(cop.y - expectedY) < 1e-15)
    }

    @Test("below the 20 N threshold the COP is undefined, not NaN")
    func threshold() {
        let light = board.reading(cellForcesNewtons: SIMD4(5, 4.9, 5, 5))
        #expect(light.copMetres == nil)
        #expect(abs(light.forceNewtons - 19.9) < 1e-12)
        let empty = board.reading(cellForcesNewtons: SIMD4(0, 0, 0, 0))
        #expect(empty.copMetres == nil)
        #expect(board.reading(cellForcesNewtons: SIMD4(5, 5, 5, 5)).copMetres != nil)
    }

    @Test("dual plates: left centred at −225 mm, right at +225 mm; combined COP and weight shift")
    func dualPlates() throws {
        let layout = DualPlateLayout()
        let reading = layout.reading(cellForcesNewtons: SIMD8(lowHalf: SIMD4(110, 110, 110, 110), highHalf: SIMD4(90, 90, 90, 90)))
        #expect(reading.left.forceNewtons == 440)
        #expect(reading.right.forceNewtons == 360)
        #expect(reading.leftGlobalCopMetres == SIMD2(-0.225, 0))
        #expect(reading.rightGlobalCopMetres == SIMD2(0.225, 0))
        #expect(abs((reading.leftPercent ?? 0) - 55) < 1e-12)
        // (440·(−0.225) + 360·0.225) / 800 = −0.0225 m: the weight is shifted 22.5 mm to the left.
        #expect(abs((reading.weightShiftMetres ?? 0) + 0.0225) < 1e-15)
        #expect(reading.totalForceNewtons == 800)
    }

    @Test("one foot lifted: the combined COP is the loaded plate's COP, distribution 100/0")
    func singleLegStance() throws {
        let layout = DualPlateLayout(spacingMetres: 0.5)
        let reading = layout.reading(cellForcesNewtons: SIMD8(lowHalf: SIMD4(1, 0.5, 0.2, 0), highHalf: SIMD4(200, 180, 190, 170)))
        #expect(reading.left.copMetres == nil)
        let right = try #require(reading.rightGlobalCopMetres)
        #expect(reading.combinedCopMetres == right)
        #expect(right.x > 0.25 - 0.2165 && right.x < 0.25 + 0.2165)
        #expect((reading.leftPercent ?? 100) < 0.3)
    }

    @Test("no load at all: no COP, no distribution, no weight shift")
    func unloaded() {
        let reading = DualPlateLayout().reading(cellForcesNewtons: SIMD8())
        #expect(reading.combinedCopMetres == nil)
        #expect(reading.leftPercent == nil)
        #expect(reading.weightShiftMetres == nil)
    }
}

@Suite("calibration and tare")
struct CalibrationTests {
    @Test("force = gain × (raw − offset) − tare, per cell")
    func linear() {
        let calibration = LoadCellCalibration<SIMD4<Double>>(
            gainNewtonsPerUnit: SIMD4(2, 2, 0.5, 1), offsetUnits: SIMD4(10, 0, 4, 0), tareNewtons: SIMD4(0, 1, 0, 0))
        #expect(calibration.forceNewtons(raw: SIMD4(20, 5, 8, 3)) == SIMD4(20, 9, 2, 3))
    }

    @Test("Wii Balance Board units of 0.01 kg: 7500 units are 735.5 N")
    func kilograms() {
        let calibration = LoadCellCalibration<SIMD4<Double>>.kilograms(perUnit: 0.01)
        #expect(abs(calibration.forceNewtons(raw: SIMD4(repeating: 7500))[0] - 735.49875) < 1e-9)
    }

    @Test("a quiet window gives the per-cell mean as the tare, and the tare zeroes the plate")
    func quietTare() throws {
        var estimator = TareEstimator<SIMD4<Double>>()
        var generator = 1.0
        for n in 0..<200 {
            generator = (generator * 16807).truncatingRemainder(dividingBy: 2147483647)
            let noise = (generator / 2147483647 - 0.5) * 0.4
            estimator.add(SIMD4(12.0 + noise, 8.0 - noise, 3.0, Double(n % 2) * 0.2))
        }
        let tare = try estimator.result().get()
        #expect(abs(tare[0] - 12) < 0.05 && abs(tare[3] - 0.1) < 1e-12)
        var calibration = LoadCellCalibration<SIMD4<Double>>.identity
        calibration.tareNewtons = tare
        #expect(abs(calibration.forceNewtons(raw: SIMD4(12, 8, 3, 0.1)).sum()) < 0.1)
    }

    @Test("tare is refused, naming the cell and the figure, when the window is not quiet")
    func refusals() throws {
        var moving = TareEstimator<SIMD4<Double>>()
        for n in 0..<100 { moving.add(SIMD4(0, 0, Double(n % 10) * 1.0, 0)) }
        guard case .failure(.unsteady(let cell, let sd, let limit)) = moving.result() else {
            Issue.record("expected an unsteady refusal, got \(moving.result())")
            return
        }
        #expect(cell == 2 && sd > limit)

        var spike = TareEstimator<SIMD4<Double>>()
        for n in 0..<100 { spike.add(SIMD4(n == 50 ? 8 : 0, 0, 0, 0)) }
        guard case .failure(.rangeTooLarge(let spikeCell, _, _)) = spike.result() else {
            Issue.record("expected a range refusal, got \(spike.result())")
            return
        }
        #expect(spikeCell == 0)

        var standing = TareEstimator<SIMD4<Double>>()
        for _ in 0..<100 { standing.add(SIMD4(180, 190, 175, 185)) }
        guard case .failure(.loaded(cell: 0, meanNewtons: 180, limitNewtons: 100)) = standing.result() else {
            Issue.record("expected a loaded refusal, got \(standing.result())")
            return
        }

        var short = TareEstimator<SIMD4<Double>>()
        short.add(SIMD4())
        #expect(throws: TareRefusal.tooFewSamples(got: 1, needed: 50)) { try short.result().get() }

        var broken = TareEstimator<SIMD4<Double>>()
        for n in 0..<100 { broken.add(SIMD4(0, n == 3 ? .nan : 0, 0, 0)) }
        #expect(throws: TareRefusal.notFinite(cell: 1)) { try broken.result().get() }
        #expect(TareRefusal.unsteady(cell: 2, standardDeviationNewtons: 3, limitNewtons: 1).description.contains("cell 2"))
    }
}

@Suite("dual-plate per-sample chain")
struct ChainTests {
    @Test("a steady 55/45 stance reads 55 % left at once (the filter starts settled)")
    func steadyStance() throws {
        var chain = try DualPlateChain(rateHz: 100, swayWindowSeconds: 2)
        let frame = SIMD8<Double>(lowHalf: SIMD4(repeating: 412.5 / 4), highHalf: SIMD4(repeating: 337.5 / 4))
        for _ in 0..<300 {
            let reading = chain.process(rawCells: frame)
            #expect(abs((reading.leftPercent ?? 0) - 55) < 1e-9)
        }
        let sway = try #require(chain.combinedSway.metrics)
        #expect(sway.samples == 200)
        #expect(sway.pathLengthMetres < 1e-12)
    }

    @Test("the streaming chain's sway equals the batch sway of the same causally filtered COP")
    func chainMatchesBatch() throws {
        let rate = 100.0
        var chain = try DualPlateChain(rateHz: rate, lowpassHz: 8, order: 2, swayWindowSeconds: 1)
        var cascade = SOSCascade<SIMD8<Double>>(sections: try Butterworth.sections(order: 2, cutoffHz: 8, rateHz: rate, type: .lowpass))
        var combined: [SIMD2<Double>] = []
        for n in 0..<500 {
            let t = Double(n) / rate
            let shift = 20 * sin(2 * Double.pi * 0.7 * t)
            let lean = 15 * cos(2 * Double.pi * 0.45 * t)
            let frame = SIMD8<Double>(lowHalf: SIMD4(100 + shift, 90 + lean, 110, 100 - lean),
                                      highHalf: SIMD4(80 + lean, 90 - shift, 85 - lean, 95))
            if n == 0 { cascade.settle(at: frame) }
            combined.append(try #require(DualPlateLayout().reading(cellForcesNewtons: cascade.process(frame)).combinedCopMetres))
            _ = chain.process(rawCells: frame)
        }
        let batch = try #require(SwayMetrics(copMetres: Array(combined.suffix(100)), rateHz: rate))
        let streaming = try #require(chain.combinedSway.metrics)
        #expect(relativeError(streaming.pathLengthMetres, batch.pathLengthMetres) < 1e-9)
        #expect(relativeError(streaming.ellipse95AreaSquareMetres, batch.ellipse95AreaSquareMetres) < 1e-9)
    }
}
