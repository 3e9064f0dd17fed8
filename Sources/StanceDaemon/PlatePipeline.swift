#if canImport(Glibc)
import Glibc
#endif
import StanceDevices
import StanceDSP
import StanceProtocols
import StanceWire
import Synchronization

/// The pipeline thread for one dual-plate device, or for two single plates paired onto one grid
/// (`PlatePairAligner`: each plate's clock placed on host time, drift measured, samples
/// interpolated): takes the readers' samples, runs the per-sample
/// chain (calibration and tare, filter, COP, combined COP, sway windows), and hands out what
/// clients and the session ask for: SAMPLE objects (only while someone watches `samples`),
/// METRICS at the fastest rate a client watches, EVENTs, and rows for the recording session.
///
/// It never waits for a client or the disk: publishing is a push into the hub's lock-free ring,
/// recording a push into the session's. Commands (tare, config, sessions, marks) arrive through a
/// mailbox it checks with one atomic load per wake.
public final class PlatePipeline: @unchecked Sendable {
    /// One dual-plate device, or two single plates (left, then right).
    public let readers: [DeviceReader<SerialDevice<ProfileDecoder>>]
    public let hub: ClientHub
    /// Pairs the two single plates (nil for a dual-plate device).
    var aligner: PlatePairAligner?
    let alignment = AlignmentCounters()
    /// Called on the pipeline thread on every wake (at least every 100 ms) with the monotonic
    /// time, ns: where the systemd watchdog is fed, so a stalled pipeline stops the pings.
    public var heartbeat: (@Sendable (UInt64) -> Void)?
    /// Called on the pipeline thread for every event (device, gap, tare, session, mark): where the
    /// daemon logs them.
    public var eventLog: (@Sendable (WireEvent) -> Void)?
    let mailbox = PipelineMailbox()
    /// The profile's calibration, newtons per device unit.
    public let gainNewtonsPerUnit: Double
    /// Where the plates' cells sit (fixed for the pipeline's life).
    public let layout: DualPlateLayout
    /// The live parameters as the pipeline thread uses them, and as atomics for other threads.
    var liveWindowSeconds: Double
    var liveLowpassHz: Double
    private let windowBits: Atomic<UInt64>
    private let lowpassBits: Atomic<UInt64>
    var chain: DualPlateChain
    var quietHistory: QuietHistory
    /// The session being fed (pipeline thread), and the same for other threads to read.
    var recorder: SessionRecorder?
    let recorderForStatus = Mutex<SessionRecorder?>(nil)
    private let stopRequested = Atomic<Bool>(false)
    /// The servicing thread's state between rounds (see `service()`).
    private var streamState: StreamState
    let processed = Atomic<Int>(0)
    let refusedSamples = Atomic<Int>(0)
    private let rateBits: Atomic<UInt64>
    private let startNanoseconds: UInt64

    /// Seconds of quiet signal a tare averages.
    public static let tarePeriodSeconds = 1.0

    /// - Parameters:
    ///   - rateHz: the device's sample rate, hertz (a stream header may declare another).
    ///   - gainNewtonsPerUnit: the profile's calibration (1 for devices that send newtons).
    ///   - lowpassHz: causal Butterworth cutoff, hertz; 0 = none.
    ///   - windowSeconds: sliding sway window, seconds.
    ///   - startNanoseconds: the daemon's start on `CLOCK_MONOTONIC` (times on the wire count from it).
    ///   - readers: one dual-plate device, or two single plates (left, right) to pair.
    public init(readers: [DeviceReader<SerialDevice<ProfileDecoder>>], hub: ClientHub, rateHz: Double, gainNewtonsPerUnit: Double = 1,
                lowpassHz: Double = 10, windowSeconds: Double = 30,
                startNanoseconds: UInt64 = MonotonicTime.nanoseconds()) throws(FilterDesignError) {
        precondition(readers.count == 1 || readers.count == 2, "one dual plate or two single plates")
        self.readers = readers
        aligner = readers.count == 2 ? PlatePairAligner(rateHz: rateHz) : nil
        streamState = StreamState(sides: readers.count)
        self.hub = hub
        self.gainNewtonsPerUnit = gainNewtonsPerUnit
        liveWindowSeconds = windowSeconds
        liveLowpassHz = lowpassHz
        windowBits = Atomic(windowSeconds.bitPattern)
        lowpassBits = Atomic(lowpassHz.bitPattern)
        rateBits = Atomic(rateHz.bitPattern)
        chain = try Self.chain(rateHz: rateHz, calibration: Self.calibration(gainNewtonsPerUnit), lowpassHz: lowpassHz,
                               windowSeconds: windowSeconds)
        layout = chain.layout
        quietHistory = QuietHistory(capacity: Int((Self.tarePeriodSeconds * rateHz).rounded()))
        self.startNanoseconds = startNanoseconds
    }

    /// A pipeline for one dual-plate device.
    public convenience init(reader: DeviceReader<SerialDevice<ProfileDecoder>>, hub: ClientHub, rateHz: Double, gainNewtonsPerUnit: Double = 1,
                            lowpassHz: Double = 10, windowSeconds: Double = 30,
                            startNanoseconds: UInt64 = MonotonicTime.nanoseconds()) throws(FilterDesignError) {
        try self.init(readers: [reader], hub: hub, rateHz: rateHz, gainNewtonsPerUnit: gainNewtonsPerUnit, lowpassHz: lowpassHz,
                      windowSeconds: windowSeconds, startNanoseconds: startNanoseconds)
    }

    /// Whether two single plates are paired.
    public var isPaired: Bool { readers.count == 2 }

    /// Samples (paired frames, for two plates) run through the chain so far.
    public var samplesProcessed: Int { processed.load(ordering: .relaxed) }

    /// The rate the chain runs at, Hz: the profile's until a stream header declares another.
    public var rateHz: Double { Double(bitPattern: rateBits.load(ordering: .relaxed)) }

    /// The live parameters: sway window (s) and low-pass cutoff (Hz, 0 = none).
    public var windowSeconds: Double { Double(bitPattern: windowBits.load(ordering: .relaxed)) }
    public var lowpassHz: Double { Double(bitPattern: lowpassBits.load(ordering: .relaxed)) }

    /// Samples not processed because their stream's declared rate could not be served (for
    /// example a low-pass cutoff at or above its Nyquist frequency); they wait for a good header.
    public var samplesRefused: Int { refusedSamples.load(ordering: .relaxed) }

    /// The session being recorded, if any (for STATUS).
    public var session: SessionRecorder? { recorderForStatus.withLock { $0 } }

    private static func calibration(_ gain: Double) -> LoadCellCalibration<SIMD8<Double>> {
        LoadCellCalibration(gainNewtonsPerUnit: SIMD8(repeating: gain))
    }

    private static func chain(rateHz: Double, calibration: LoadCellCalibration<SIMD8<Double>>, lowpassHz: Double,
                              windowSeconds: Double) throws(FilterDesignError) -> DualPlateChain {
        try DualPlateChain(rateHz: rateHz, calibration: calibration, lowpassHz: lowpassHz, swayWindowSeconds: windowSeconds)
    }

    /// Designs the chain again (filters, window lengths) keeping the calibration and tare.
    /// Allocates, but only at a header or a config command.
    func redesign(rateHz: Double, lowpassHz: Double, windowSeconds: Double) -> Result<Void, FilterDesignError> {
        do {
            chain = try Self.chain(rateHz: rateHz, calibration: chain.calibration, lowpassHz: lowpassHz, windowSeconds: windowSeconds)
        } catch {
            return .failure(error)
        }
        if abs(rateHz - self.rateHz) > 1e-9 * rateHz {
            quietHistory = QuietHistory(capacity: Int((Self.tarePeriodSeconds * rateHz).rounded()))
            if aligner != nil { aligner = PlatePairAligner(rateHz: rateHz) }
            rateBits.store(rateHz.bitPattern, ordering: .relaxed)
            hub.maximumRateHz = rateHz
        }
        liveWindowSeconds = windowSeconds
        liveLowpassHz = lowpassHz
        windowBits.store(windowSeconds.bitPattern, ordering: .relaxed)
        lowpassBits.store(lowpassHz.bitPattern, ordering: .relaxed)
        return .success(())
    }

    /// A header restarts the stream: when it declares a rate other than the chain's, the chain is
    /// designed again for it.
    func adopt(_ header: LineHeader) -> Bool {
        let declared = header.rateHz
        if abs(declared - rateHz) <= 1e-9 * declared { return true }
        return (try? redesign(rateHz: declared, lowpassHz: liveLowpassHz, windowSeconds: liveWindowSeconds).get()) != nil
    }

    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        mailbox.doorbell.ring()
    }

    func seconds(_ hostNanoseconds: UInt64) -> Double { Double(hostNanoseconds &- startNanoseconds) / 1e9 }

    /// Runs until `stop()`; start it on its own thread.
    public func run() {
        var waits = readers.map { pollfd(fd: $0.doorbell.descriptor, events: Int16(POLLIN), revents: 0) }
        waits.append(pollfd(fd: mailbox.doorbell.descriptor, events: Int16(POLLIN), revents: 0))
        let timeout: Int32 = readers.allSatisfy(\.doorbell.wakesWaiters) ? 100 : 1
        while !stopRequested.load(ordering: .relaxed) {
            if service() { continue }
            // Nothing waits: sleep until a reader or a client rings (the timeout paces the
            // heartbeat and the stop check).
            for index in waits.indices { waits[index].revents = 0 }
            if poll(&waits, nfds_t(waits.count), timeout) > 0 {
                for side in readers.indices where waits[side].revents != 0 { readers[side].doorbell.clear() }
                if waits[readers.count].revents != 0 { mailbox.doorbell.clear() }
            }
        }
    }

    /// The pipeline's work on the first reader's own thread, run after each of its wakes (one
    /// thread hop fewer per sample than `run()` on a thread of its own): start the first reader
    /// with it instead of starting `run()`. A second plate's reader runs on its own thread and
    /// wakes this one through its doorbell.
    public var companion: ReaderCompanion {
        ReaderCompanion(doorbells: [mailbox.doorbell] + readers.dropFirst().map(\.doorbell)) { [self] in
            guard !stopRequested.load(ordering: .relaxed) else { return 0 }
            while service() {}
            return deviceNotNeededBefore()
        }
    }

    /// When a dual plate's next bytes are next needed, monotonic ns (0: at once): a little before
    /// the sample that completes the next METRICS is due, when no client watches `samples`. The
    /// samples in between wait in the kernel's buffer and are read in one batch, so the reader
    /// wakes about three times per METRICS period instead of once per sample, and each METRICS
    /// leaves as soon after its last sample as before. Paired plates are read at once: their
    /// frames depend on both readers.
    func deviceNotNeededBefore() -> UInt64 {
        guard readers.count == 1, !hub.samplesWatched, let last = streamState.lastReceivedNanoseconds else { return 0 }
        let period = 1 / rateHz
        // At most 32 samples wait (and never longer than the reader's own cap).
        var seconds = 32 * period
        let metricsRate = min(hub.fastestMetricsRateHz, rateHz)
        if metricsRate > 0 {
            // Samples from the next one to the one whose stream time reaches the next METRICS
            // instant (the test in `process`), then that sample's expected arrival after the
            // newest one read, (samples + 1) periods; less one period, since the newest sample of a
            // batch may have arrived up to a period before it was read, and 0.5 ms for wake-up jitter.
            let untilDue = streamState.metricsGrid.nextSeconds - 0.01 / metricsRate - streamState.metricsGrid.streamSeconds
            let samplesBeforeDue = max(0, (untilDue * rateHz).rounded(.up))
            seconds = min(seconds, samplesBeforeDue * period - 0.0005)
        }
        guard seconds > 0 else { return 0 }
        return last + UInt64(seconds * 1e9)
    }

    /// One round: the heartbeat, device events and every sample waiting in the readers' rings,
    /// then a waiting command (so a session stopped or a tare asked for covers every sample read
    /// before it, a batch included). Returns whether it processed anything.
    private func service() -> Bool {
        // The state lives in the instance between rounds; swapping it out (no copy) keeps the
        // per-sample code on a local value.
        var state = StreamState(sides: 0)
        swap(&state, &streamState)
        defer { swap(&state, &streamState) }
        heartbeat?(MonotonicTime.nanoseconds())
        var drained = false
        for side in readers.indices {
            while let event = readers[side].events.pop() { publish(event, side: side, state: &state) }
            while let received = readers[side].outputs.pop() {
                handle(received, side: side, state: &state)
                drained = true
            }
        }
        if mailbox.hasCommand { mailbox.serve { serve($0, state: &state) } }
        if let recorder {
            if recorder.hasFailed { endFailedSession(recorder) } else { reportRowsLost(recorder, state: &state) }
        }
        return drained
    }

    /// The pipeline thread's state: per device, and for the output streams.
    struct StreamState {
        struct Side {
            var servingStream = true
            var lastSequence: UInt32?
            /// Samples since the stream started, gaps included (the clock fit's index).
            var index = -1
            var declaredRateHz: Double?
        }

        var sides: [Side]
        var metricsSequence = 0
        /// Which samples complete a METRICS, on the samples' own grid: host receive times would
        /// not do, as samples read in one batch share one.
        var metricsGrid = MetricsGrid()
        /// Samples since the session started, on the device's grid (gaps included).
        var sessionSamples = 0
        /// When the newest sample processed was read, monotonic ns.
        var lastReceivedNanoseconds: UInt64?
        /// The session's lost rows last reported, and when the next report may go, monotonic ns.
        var sessionRowsLostReported = 0
        var nextRowsLostReportNanoseconds: UInt64 = 0

        init(sides count: Int) {
            sides = [Side](repeating: Side(), count: count)
        }
    }

    /// The per-sample path: no lock, no allocation (but for the messages clients asked for).
    /// - Parameters:
    ///   - raw: the eight cells as the devices sent them (left TL TR BL BR, right TL TR BL BR).
    ///   - time: host time of the sample (paired: of the grid instant), seconds since daemon start.
    ///   - step: samples since the previous one on the device's grid (more than 1 after a gap).
    func process(raw: SIMD8<Double>, time: Double, sequence: UInt32?, step: Int, device: String, state: inout StreamState) {
        let untared = chain.calibration.gainNewtonsPerUnit * (raw - chain.calibration.offsetUnits)
        quietHistory.push(untared)
        let reading = chain.process(rawCells: raw)
        processed.add(1, ordering: .relaxed)
        let cells = untared - chain.calibration.tareNewtons
        if hub.samplesWatched {
            hub.publish(ClientHub.Outbound(stream: .samples, timeSeconds: time,
                                           bytes: WireMessage.sample(timeSeconds: time, device: device, sequence: sequence, cellsNewtons: cells)))
        }
        if let recorder {
            state.sessionSamples += state.sessionSamples == 0 ? 1 : step
            let percent = reading.leftPercent ?? .nan
            recorder.record(SessionRecorder.Row(
                deviceSeconds: Double(state.sessionSamples - 1) / rateHz, hostSeconds: time,
                sequence: sequence.map { Int64($0) } ?? -1, cellsNewtons: cells,
                leftNewtons: reading.left.forceNewtons, rightNewtons: reading.right.forceNewtons, leftPercent: percent,
                copMillimetres: reading.combinedCopMetres.map { $0 * 1000 } ?? SIMD2(repeating: .nan)))
        }
        // The same even grid as each client's (ClientSession.offer).
        guard state.metricsGrid.advance(periodSeconds: 1 / rateHz, metricsRateHz: min(hub.fastestMetricsRateHz, rateHz)) else { return }
        let snapshot = MetricsSnapshot(timeSeconds: time, sequence: state.metricsSequence, reading: reading,
                                       windowSeconds: liveWindowSeconds,
                                       leftSway: chain.leftSway.metrics, rightSway: chain.rightSway.metrics,
                                       combinedSway: chain.combinedSway.metrics, sampleSequence: sequence)
        state.metricsSequence += 1
        hub.publish(ClientHub.Outbound(stream: .metrics, timeSeconds: state.metricsGrid.sampleSeconds, bytes: WireMessage.metrics(snapshot)))
    }
}
