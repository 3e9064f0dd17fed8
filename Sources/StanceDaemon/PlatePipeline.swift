import StanceDevices
import StanceDSP
import StanceProtocols
import StanceWire
import Synchronization

/// The pipeline thread for one dual-plate device: takes the reader's samples, runs the per-sample
/// chain (calibration, filter, COP, combined COP, sway windows), and publishes METRICS to the hub
/// at `metricsRateHz`. It never blocks on a client: publishing is a push into a lock-free ring.
public final class PlatePipeline: @unchecked Sendable {
    public let reader: DeviceReader<SerialDevice<ProfileDecoder>>
    public let hub: ClientHub
    /// METRICS per second (the hub decimates further per client).
    public let metricsRateHz: Double
    public let windowSeconds: Double
    public let lowpassHz: Double
    private let gainNewtonsPerUnit: Double
    private var chain: DualPlateChain
    private let stopRequested = Atomic<Bool>(false)
    private let processed = Atomic<Int>(0)
    private let refusedSamples = Atomic<Int>(0)
    private let rateBits: Atomic<UInt64>
    private let startNanoseconds: UInt64

    /// - Parameters:
    ///   - rateHz: the device's sample rate, hertz.
    ///   - gainNewtonsPerUnit: the profile's calibration (1 for devices that send newtons).
    public init(reader: DeviceReader<SerialDevice<ProfileDecoder>>, hub: ClientHub, rateHz: Double, gainNewtonsPerUnit: Double = 1,
                lowpassHz: Double = 10, windowSeconds: Double = 30, metricsRateHz: Double = 50) throws(FilterDesignError) {
        self.reader = reader
        self.hub = hub
        self.metricsRateHz = metricsRateHz
        self.windowSeconds = windowSeconds
        self.lowpassHz = lowpassHz
        self.gainNewtonsPerUnit = gainNewtonsPerUnit
        rateBits = Atomic(rateHz.bitPattern)
        chain = try Self.chain(rateHz: rateHz, gainNewtonsPerUnit: gainNewtonsPerUnit, lowpassHz: lowpassHz, windowSeconds: windowSeconds)
        startNanoseconds = MonotonicTime.nanoseconds()
    }

    /// Samples run through the chain so far.
    public var samplesProcessed: Int { processed.load(ordering: .relaxed) }

    /// The rate the chain runs at, Hz: the profile's until a stream header declares another.
    public var rateHz: Double { Double(bitPattern: rateBits.load(ordering: .relaxed)) }

    /// Samples not processed because their stream's declared rate could not be served (for
    /// example a low-pass cutoff at or above its Nyquist frequency); they wait for a good header.
    public var samplesRefused: Int { refusedSamples.load(ordering: .relaxed) }

    private static func chain(rateHz: Double, gainNewtonsPerUnit: Double, lowpassHz: Double,
                              windowSeconds: Double) throws(FilterDesignError) -> DualPlateChain {
        try DualPlateChain(rateHz: rateHz, calibration: LoadCellCalibration(gainNewtonsPerUnit: SIMD8(repeating: gainNewtonsPerUnit)),
                           lowpassHz: lowpassHz, swayWindowSeconds: windowSeconds)
    }

    /// A header restarts the stream: when it declares a rate other than the chain's, the chain is
    /// designed again for it (filters, window lengths). Allocates, but only at a header.
    private func adopt(_ header: LineHeader) -> Bool {
        let declared = header.rateHz
        if abs(declared - rateHz) <= 1e-9 * declared { return true }
        guard let redesigned = try? Self.chain(rateHz: declared, gainNewtonsPerUnit: gainNewtonsPerUnit, lowpassHz: lowpassHz,
                                               windowSeconds: windowSeconds) else { return false }
        chain = redesigned
        rateBits.store(declared.bitPattern, ordering: .relaxed)
        return true
    }

    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Runs until `stop()`; start it on its own thread.
    public func run() {
        var sequence = 0
        var nextMetrics = 0.0
        var servingStream = true
        while !stopRequested.load(ordering: .relaxed) {
            guard let received = reader.outputs.pop() else {
                MonotonicTime.sleepBriefly()
                continue
            }
            if case .header(let header) = received.value {
                servingStream = adopt(header)
                continue
            }
            guard case .sample(let sample) = received.value, sample.channelCount == 8 else { continue }
            guard servingStream else {
                refusedSamples.add(1, ordering: .relaxed)
                continue
            }
            let reading = chain.process(rawCells: sample.dualPlateCells)
            processed.add(1, ordering: .relaxed)
            let time = Double(received.hostNanoseconds &- startNanoseconds) / 1e9
            guard time >= nextMetrics else { continue }
            nextMetrics = max(nextMetrics + 1 / metricsRateHz, time)
            let snapshot = MetricsSnapshot(timeSeconds: time, sequence: sequence, reading: reading, windowSeconds: windowSeconds,
                                           leftSway: chain.leftSway.metrics, rightSway: chain.rightSway.metrics,
                                           combinedSway: chain.combinedSway.metrics)
            sequence += 1
            hub.publish(ClientHub.Outbound(stream: .metrics, timeSeconds: time, bytes: WireMessage.metrics(snapshot)))
        }
    }
}
