/// The per-sample path for a dual force plate, as the daemon's pipeline runs it:
/// raw cells → calibration and tare → causal low-pass (SIMD across the eight cells) → force and
/// COP of each plate → combined COP, weight distribution and shift → sliding sway windows.
///
/// `process(rawCells:)` allocates nothing and takes no lock; all storage is sized at `init`.
public struct DualPlateChain: Sendable {
    public var calibration: LoadCellCalibration<SIMD8<Double>>
    public let layout: DualPlateLayout
    /// The causal low-pass; no sections when filtering is off.
    public private(set) var filter: SOSCascade<SIMD8<Double>>
    /// Sway of the combined COP over the window.
    public private(set) var combinedSway: SlidingSwayWindow
    /// Whether the per-plate windows are fed.
    public let perPlateSway: Bool
    /// Sway of each plate's own COP over the window (empty when `perPlateSway` is off).
    public private(set) var leftSway: SlidingSwayWindow
    public private(set) var rightSway: SlidingSwayWindow
    private var settled = false

    /// - Parameters:
    ///   - rateHz: sample rate of the plates, hertz.
    ///   - lowpassHz: causal Butterworth cutoff, hertz; 0 = no filter.
    ///   - order: Butterworth order, 1…8.
    ///   - swayWindowSeconds: length of the sliding sway windows, seconds.
    ///   - perPlateSway: also keep a sway window for each plate's own COP (per-leg sway).
    public init(
        rateHz: Double, calibration: LoadCellCalibration<SIMD8<Double>> = .identity,
        layout: DualPlateLayout = DualPlateLayout(), lowpassHz: Double = 10, order: Int = 4,
        swayWindowSeconds: Double = 30, perPlateSway: Bool = true
    ) throws(FilterDesignError) {
        self.calibration = calibration
        self.layout = layout
        filter = SOSCascade(sections: lowpassHz > 0
            ? try Butterworth.sections(order: order, cutoffHz: lowpassHz, rateHz: rateHz, type: .lowpass)
            : [])
        let capacity = Int((swayWindowSeconds * rateHz).rounded())
        combinedSway = SlidingSwayWindow(capacity: capacity, rateHz: rateHz)
        self.perPlateSway = perPlateSway
        let plateCapacity = perPlateSway ? capacity : SwayMetrics.minimumSamples
        leftSway = SlidingSwayWindow(capacity: plateCapacity, rateHz: rateHz)
        rightSway = SlidingSwayWindow(capacity: plateCapacity, rateHz: rateHz)
    }

    /// Runs one sample of the eight raw cells (left TL TR BL BR, right TL TR BL BR) through the
    /// chain and returns the reading. The filter starts settled on the first sample, so a plate
    /// that is already loaded does not ring at start-up.
    public mutating func process(rawCells: SIMD8<Double>) -> DualPlateReading {
        let forces = calibration.forceNewtons(raw: rawCells)
        if !settled {
            filter.settle(at: forces)
            settled = true
        }
        let reading = layout.reading(cellForcesNewtons: filter.process(forces))
        if perPlateSway {
            leftSway.push(reading.left.copMetres)
            rightSway.push(reading.right.copMetres)
        }
        combinedSway.push(reading.combinedCopMetres)
        return reading
    }
}
