import Foundation
import StanceDSP
import Testing

/// A small deterministic generator for arrival jitter (tests only).
private struct Jitter {
    var state: UInt64
    mutating func next(upTo limit: Double) -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) * limit
    }
}

@Suite("pairing two single plates with independent clocks")
struct PlatePairingTests {
    @Test("a device clock 200 ppm fast is measured within 20 ppm from 10 s of arrivals with 2 ms of jitter; none is claimed before 2 s")
    func clockDrift() {
        var fit = DeviceClockFit(nominalRateHz: 100)
        var jitter = Jitter(state: 7)
        let truePeriod = 0.01 / (1 + 200e-6)
        for index in 0..<1000 {
            fit.add(index: index + 40, hostSeconds: 5 + Double(index) * truePeriod + jitter.next(upTo: 0.002))
            if index == 150 { #expect(fit.driftPartsPerMillion == nil, "1.5 s is too short to fit a period") }
        }
        #expect(abs((fit.hostSeconds(atIndex: 540) ?? .nan) - (5 + 500 * truePeriod)) < 0.0005, "sampling instants: the earliest arrivals")
        let drift = fit.driftPartsPerMillion ?? .nan
        #expect(abs(drift - 200) < 20, "measured \(drift) ppm")
        // The mapping inverts itself.
        let host = fit.hostSeconds(atIndex: 540.25) ?? .nan
        #expect(abs((fit.index(atHostSeconds: host) ?? .nan) - 540.25) < 1e-9)
    }

    @Test("two plates, one 300 ppm fast and 3.7 ms out of phase: frames on one 100 Hz grid carry both signals at the same instant, within 0.2 % of full scale")
    func pairing() {
        var aligner = PlatePairAligner(rateHz: 100)
        var jitter = Jitter(state: 11)
        let latency = 0.0   // the clocks are fitted to the earliest arrivals: the jitter's minimum
        func leftSignal(_ t: Double) -> Double { 500 + 100 * sin(2 * .pi * 0.5 * t) }
        func rightSignal(_ t: Double) -> Double { 400 + 100 * cos(2 * .pi * 0.7 * t) }
        let leftPeriod = 0.01
        let rightPeriod = 0.01 / (1 + 300e-6)
        var leftIndex = 0
        var rightIndex = 0
        var frames: [PlatePairAligner.Frame] = []
        // Interleave the two plates' arrivals in host-time order for 12 s.
        while Double(leftIndex) * leftPeriod < 12 {
            let leftTime = Double(leftIndex) * leftPeriod
            let rightTime = 0.0037 + Double(rightIndex) * rightPeriod
            if leftTime <= rightTime {
                aligner.push(.left, index: leftIndex, hostSeconds: leftTime + jitter.next(upTo: 0.001), cells: SIMD4(repeating: leftSignal(leftTime) / 4))
                leftIndex += 1
            } else {
                aligner.push(.right, index: rightIndex, hostSeconds: rightTime + jitter.next(upTo: 0.001), cells: SIMD4(repeating: rightSignal(rightTime) / 4))
                rightIndex += 1
            }
            while let frame = aligner.nextFrame() { frames.append(frame) }
        }
        #expect(frames.count >= 1190 && frames.count <= 1200, "\(frames.count) frames in 12 s at 100 Hz")
        let intervals = zip(frames, frames.dropFirst()).map { $1.hostSeconds - $0.hostSeconds }
        #expect(intervals.allSatisfy { abs($0 - 0.01) < 1e-9 }, "one grid")
        // After the fits have 2 s of samples, each frame holds both signals at its instant.
        var worst = 0.0
        for frame in frames where frame.hostSeconds > 3 {
            let instant = frame.hostSeconds - latency
            worst = max(worst, abs(frame.cells.lowHalf.sum() - leftSignal(instant)), abs(frame.cells.highHalf.sum() - rightSignal(instant)))
        }
        #expect(worst < 1.0, "worst error \(worst) N of a 100 N swing")
        #expect(abs((aligner.right.driftPartsPerMillion ?? .nan) - 300) < 30 && abs(aligner.left.driftPartsPerMillion ?? .nan) < 30,
                "left \(aligner.left.driftPartsPerMillion ?? .nan) ppm, right \(aligner.right.driftPartsPerMillion ?? .nan) ppm")
        #expect(abs(aligner.skewSeconds ?? .nan) <= 0.005 && aligner.instantsSkipped == 0)
    }

    @Test("a backlog read in one burst at open does not bend the clock: the fit follows the earliest arrivals")
    func backlog() {
        var fit = DeviceClockFit(nominalRateHz: 100)
        // 80 samples taken before the reader opened arrive together at 0.8 s; then live, 1 ms late.
        for index in 0..<80 { fit.add(index: index, hostSeconds: 0.8) }
        for index in 80..<600 { fit.add(index: index, hostSeconds: Double(index) * 0.01 + 0.001) }
        #expect(abs(fit.driftPartsPerMillion ?? .nan) < 5, "\(fit.driftPartsPerMillion ?? .nan) ppm")
        #expect(abs((fit.hostSeconds(atIndex: 300) ?? .nan) - 3.001) < 1e-6)
    }

    @Test("a plate that stops: no frames until it is back; then the grid restarts and the gap is counted")
    func missingPlate() {
        var aligner = PlatePairAligner(rateHz: 100)
        for index in 0..<300 {
            let time = Double(index) * 0.01
            aligner.push(.left, index: index, hostSeconds: time, cells: SIMD4(repeating: 1))
            if index < 100 || index >= 250 { aligner.push(.right, index: index, hostSeconds: time + 0.002, cells: SIMD4(repeating: 2)) }
            while aligner.nextFrame() != nil {}
        }
        #expect(aligner.framesPaired > 140 && aligner.framesPaired < 160, "\(aligner.framesPaired)")
        #expect(aligner.instantsSkipped >= 140, "\(aligner.instantsSkipped)")
    }
}
