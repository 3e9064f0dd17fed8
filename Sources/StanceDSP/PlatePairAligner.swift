/// Pairs two single force plates whose clocks are independent into dual-plate frames on one grid:
/// each plate's samples are placed on host time by its own `DeviceClockFit` (which also measures
/// its drift), and both are linearly interpolated at grid instants `1 / rateHz` apart. A frame is
/// given as soon as both plates have a sample at or after its instant, so the pairing adds about
/// one sample period of delay.
///
/// `push` and `nextFrame` are O(1) (a short search of the recent samples) and allocate nothing.
public struct PlatePairAligner: Sendable {
    public enum Side: Int, Sendable {
        case left = 0
        case right = 1
    }

    /// One paired frame: its grid instant and the eight cells (left TL TR BL BR, right TL TR BL BR).
    public struct Frame: Sendable, Equatable {
        /// Host time of the instant, seconds (the clock `push` was given).
        public var hostSeconds: Double
        public var cells: SIMD8<Double>
    }

    /// The grid's rate, hertz (the plates' declared rate).
    public let rateHz: Double
    public private(set) var left: DeviceClockFit
    public private(set) var right: DeviceClockFit
    private var leftHistory: SampleHistory
    private var rightHistory: SampleHistory
    private var nextInstant: Double?
    /// Frames given so far.
    public private(set) var framesPaired = 0
    /// Grid instants given up because a plate had no samples around them (a plate missing or
    /// restarting), or because the grid restarted.
    public private(set) var instantsSkipped = 0
    /// At the last frame: how far the right plate's sampling instants lie after the left's, seconds,
    /// within ±half a period (what the interpolation corrects).
    public private(set) var skewSeconds: Double?

    /// - Parameter rateHz: the rate both plates declare, hertz.
    public init(rateHz: Double) {
        self.rateHz = rateHz
        left = DeviceClockFit(nominalRateHz: rateHz)
        right = DeviceClockFit(nominalRateHz: rateHz)
        leftHistory = SampleHistory()
        rightHistory = SampleHistory()
    }

    /// A plate's sample `index` (counting from its stream's start, gaps included), received at
    /// `hostSeconds`, with its four cells in newtons.
    public mutating func push(_ side: Side, index: Int, hostSeconds: Double, cells: SIMD4<Double>) {
        switch side {
        case .left:
            left.add(index: index, hostSeconds: hostSeconds)
            leftHistory.push(index: index, cells: cells)
        case .right:
            right.add(index: index, hostSeconds: hostSeconds)
            rightHistory.push(index: index, cells: cells)
        }
    }

    /// A plate's stream restarted (a header, a reopen): its clock and samples start afresh.
    public mutating func restart(_ side: Side) {
        switch side {
        case .left:
            left = DeviceClockFit(nominalRateHz: rateHz)
            leftHistory = SampleHistory()
        case .right:
            right = DeviceClockFit(nominalRateHz: rateHz)
            rightHistory = SampleHistory()
        }
        nextInstant = nil
    }

    /// The next frame, when both plates have samples at or after its instant.
    public mutating func nextFrame() -> Frame? {
        guard let leftNewest = leftHistory.newestIndex, let rightNewest = rightHistory.newestIndex,
              let leftNewestHost = left.hostSeconds(atIndex: Double(leftNewest)),
              let rightNewestHost = right.hostSeconds(atIndex: Double(rightNewest)) else { return nil }
        let period = 1 / rateHz
        // Start (or restart, when the grid fell more than a second behind) at the later plate's newest sample.
        if nextInstant == nil || min(leftNewestHost, rightNewestHost) - nextInstant! > 1 {
            if let behind = nextInstant { instantsSkipped += Int((min(leftNewestHost, rightNewestHost) - behind) * rateHz) }
            nextInstant = max(leftNewestHost, rightNewestHost)
        }
        while true {
            let instant = nextInstant!
            guard let leftIndex = left.index(atHostSeconds: instant), let rightIndex = right.index(atHostSeconds: instant),
                  leftIndex <= Double(leftNewest), rightIndex <= Double(rightNewest) else { return nil }
            guard let leftCells = leftHistory.interpolate(at: leftIndex), let rightCells = rightHistory.interpolate(at: rightIndex) else {
                // Older than what is kept: skip this instant.
                nextInstant = instant + period
                instantsSkipped += 1
                continue
            }
            nextInstant = instant + period
            framesPaired += 1
            var phase = (leftIndex - leftIndex.rounded(.down)) - (rightIndex - rightIndex.rounded(.down))
            if phase >= 0.5 { phase -= 1 } else if phase < -0.5 { phase += 1 }
            skewSeconds = phase * period
            return Frame(hostSeconds: instant, cells: SIMD8(lowHalf: leftCells, highHalf: rightCells))
        }
    }
}

/// The last 64 samples of one plate, for interpolation.
struct SampleHistory: Sendable {
    private static let capacity = 64
    private var indices = [Int](repeating: .min, count: capacity)
    private var cells = [SIMD4<Double>](repeating: SIMD4(), count: capacity)
    private var next = 0
    private(set) var count = 0

    var newestIndex: Int? { count == 0 ? nil : indices[(next + Self.capacity - 1) % Self.capacity] }

    mutating func push(index: Int, cells frame: SIMD4<Double>) {
        indices[next] = index
        cells[next] = frame
        next = (next + 1) % Self.capacity
        count = min(count + 1, Self.capacity)
    }

    /// Cells at fractional `index`, linear between the kept samples around it; nil when `index`
    /// is older than the oldest kept or newer than the newest.
    func interpolate(at index: Double) -> SIMD4<Double>? {
        guard count > 0 else { return nil }
        var later: Int?
        for back in 1...count {
            let slot = (next + Self.capacity - back) % Self.capacity
            if Double(indices[slot]) <= index {
                guard let after = later else { return Double(indices[slot]) == index ? cells[slot] : nil }
                let fraction = (index - Double(indices[slot])) / Double(indices[after] - indices[slot])
                return cells[slot] + (cells[after] - cells[slot]) * fraction
            }
            later = slot
        }
        return nil
    }
}
