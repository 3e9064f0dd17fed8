import StanceDevices
import StanceDSP
import StanceProtocols
import StanceWire
import Synchronization

/// How the pairing is going, for STATUS: written by the pipeline thread after each frame (relaxed
/// atomic stores, no lock), read by the hub's.
final class AlignmentCounters: Sendable {
    private let skew = Atomic<UInt64>(Double.nan.bitPattern)
    private let leftDrift = Atomic<UInt64>(Double.nan.bitPattern)
    private let rightDrift = Atomic<UInt64>(Double.nan.bitPattern)
    private let paired = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)

    func update(_ aligner: PlatePairAligner) {
        skew.store((aligner.skewSeconds ?? .nan).bitPattern, ordering: .relaxed)
        leftDrift.store((aligner.left.driftPartsPerMillion ?? .nan).bitPattern, ordering: .relaxed)
        rightDrift.store((aligner.right.driftPartsPerMillion ?? .nan).bitPattern, ordering: .relaxed)
        paired.store(aligner.framesPaired, ordering: .relaxed)
        skipped.store(aligner.instantsSkipped, ordering: .relaxed)
    }

    var report: StatusReport.Alignment {
        func value(_ atomic: borrowing Atomic<UInt64>) -> Double? {
            let number = Double(bitPattern: atomic.load(ordering: .relaxed))
            return number.isNaN ? nil : number
        }
        return StatusReport.Alignment(skewMilliseconds: value(skew).map { $0 * 1000 }, leftDriftPartsPerMillion: value(leftDrift),
                                      rightDriftPartsPerMillion: value(rightDrift), framesPaired: paired.load(ordering: .relaxed),
                                      instantsSkipped: skipped.load(ordering: .relaxed))
    }
}

extension PlatePipeline {
    /// How the two plates' clocks compare (meaningful when `isPaired`).
    public var alignmentReport: StatusReport.Alignment { alignment.report }
}

/// The pipeline thread's side of the devices: headers, samples and device events, for one
/// dual-plate device or two paired single plates.
extension PlatePipeline {
    func handle(_ received: Received<DeviceOutput>, side: Int, state: inout StreamState) {
        switch received.value {
        case .header(let header):
            state.sides[side].lastSequence = nil
            state.sides[side].index = -1
            state.sides[side].declaredRateHz = header.rateHz
            if isPaired, let other = state.sides[1 - side].declaredRateHz, abs(other - header.rateHz) > 1e-9 * other {
                // The two plates must sample at one rate: refuse this one's samples until they agree.
                state.sides[side].servingStream = false
                return
            }
            state.sides[side].servingStream = adopt(header)
            aligner?.restart(PlatePairAligner.Side(rawValue: side) ?? .left)
        case .sample(let sample):
            guard state.sides[side].servingStream else {
                refusedSamples.add(1, ordering: .relaxed)
                return
            }
            state.lastReceivedNanoseconds = received.hostNanoseconds
            let time = seconds(received.hostNanoseconds)
            let step = advance(&state.sides[side], sequence: sample.sequence, path: readers[side].path, time: time)
            if isPaired {
                guard sample.channelCount == 4 else {
                    refusedSamples.add(1, ordering: .relaxed)
                    return
                }
                pair(sample.plateCells, side: side, time: time, state: &state)
            } else if sample.channelCount == 8 {
                process(raw: sample.dualPlateCells, time: time, sequence: sample.sequence, step: step, device: readers[side].path, state: &state)
            } else {
                refusedSamples.add(1, ordering: .relaxed)
            }
        default:
            return
        }
    }

    /// Counts the device's samples (gaps included) and reports a gap; returns the step.
    private func advance(_ side: inout StreamState.Side, sequence: UInt32?, path: String, time: Double) -> Int {
        var step = 1
        if let sequence {
            if let last = side.lastSequence {
                let delta = Int(sequence &- last)
                if delta > 1, delta < 1 << 20 {
                    step = delta
                    publish(.sampleGap(path: path, missing: delta - 1), at: time)
                }
            }
            side.lastSequence = sequence
        }
        side.index += step
        return step
    }

    /// One plate's sample into the aligner; every frame it completes goes down the chain.
    private func pair(_ cells: SIMD4<Double>, side: Int, time: Double, state: inout StreamState) {
        aligner?.push(PlatePairAligner.Side(rawValue: side) ?? .left, index: state.sides[side].index, hostSeconds: time, cells: cells)
        while let frame = aligner?.nextFrame() {
            process(raw: frame.cells, time: frame.hostSeconds, sequence: nil, step: 1, device: "pair", state: &state)
        }
        if let aligner { alignment.update(aligner) }
    }

    /// A device event, as an EVENT for clients and a note in the session; a plate that comes
    /// back starts its clock afresh.
    func publish(_ event: DeviceEvent, side: Int, state: inout StreamState) {
        if case .reopened = event {
            state.sides[side].index = -1
            state.sides[side].lastSequence = nil
            aligner?.restart(PlatePairAligner.Side(rawValue: side) ?? .left)
        }
        publish(event.wireEvent(devicePath: readers[side].path), at: seconds(event.hostNanoseconds ?? MonotonicTime.nanoseconds()))
    }
}
