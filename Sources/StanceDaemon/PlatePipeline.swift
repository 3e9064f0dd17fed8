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
    private var chain: DualPlateChain
    private let stopRequested = Atomic<Bool>(false)
    private let processed = Atomic<Int>(0)
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
        chain = try DualPlateChain(rateHz: rateHz, calibration: LoadCellCalibration(gainNewtonsPerUnit: SIMD8(repeating: gainNewtonsPerUnit)),
                                   lowpassHz: lowpassHz, swayWindowSeconds: windowSeconds)
        startNanoseconds = MonotonicTime.nanoseconds()
    }

    /// Samples run through the chain so far.
    public var samplesProcessed: Int { processed.load(ordering: .relaxed) }

    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Runs until `stop()`; start it on its own thread.
    public func run() {
        var sequence = 0
        var nextMetrics = 0.0
        while !stopRequested.load(ordering: .relaxed) {
            guard let received = reader.outputs.pop() else {
                MonotonicTime.sleepBriefly()
                continue
            }
            guard case .sample(let sample) = received.value, sample.channelCount == 8 else { continue }
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
