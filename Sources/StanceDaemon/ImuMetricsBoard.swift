import StanceDevices
import StanceDSP
import StanceWire
import Synchronization

/// Where the IMUs' reader threads meet: each posts its segment's latest report at the metrics
/// rate (a lock then, never per sample), and the IMU that publishes assembles IMU_METRICS from
/// all of them. A report older than a second (an IMU unplugged) is left out.
public final class ImuMetricsBoard: Sendable {
    enum Report: Sendable {
        /// A leg segment's kinematics; a shank's also its sway while its leg is the stance leg.
        case segment(ImuMetricsSnapshot.Segment, SegmentKinematicsReport, stance: (report: TrunkSwayReport?, seconds: Double)?)
        case trunk(TrunkSwayReport, singleLeg: SingleLegSwayReport)
    }

    /// Sliding window of the kinematics and the trunk's sway, seconds.
    public let windowSeconds: Double
    private let latest = Mutex<[DeviceRole: (report: Report, timeSeconds: Double)]>([:])
    private let published = Atomic<Int>(0)
    /// Which IMU sends IMU_METRICS, when it last did (host seconds), and the stream's own time.
    private let publishing = Mutex<(publisher: Int, lastHostSeconds: Double, streamSeconds: Double)>((-1, -.infinity, 0))
    /// Each leg segment's sagittal angle now (degrees, as Double bits; NaN: no IMU yet), stored by
    /// its IMU's thread on every sample and read by the trunk's: which leg the subject stands on.
    private let leftShank = Atomic<UInt64>(Double.nan.bitPattern)
    private let leftThigh = Atomic<UInt64>(Double.nan.bitPattern)
    private let rightShank = Atomic<UInt64>(Double.nan.bitPattern)
    private let rightThigh = Atomic<UInt64>(Double.nan.bitPattern)

    public init(windowSeconds: Double) {
        self.windowSeconds = windowSeconds
    }

    /// The segment an IMU in `role` is on: nil for the trunk and for plate roles.
    static func segment(_ role: DeviceRole) -> ImuMetricsSnapshot.Segment? {
        switch role {
        case .imuLeftShank: .leftShank
        case .imuRightShank: .rightShank
        case .imuLeftThigh: .leftThigh
        case .imuRightThigh: .rightThigh
        default: nil
        }
    }

    /// A leg segment's sagittal angle now, degrees (per sample, one relaxed store).
    func store(sagittalDegrees: Double, segment: ImuMetricsSnapshot.Segment) {
        let bits = sagittalDegrees.bitPattern
        switch segment {
        case .leftShank: leftShank.store(bits, ordering: .relaxed)
        case .leftThigh: leftThigh.store(bits, ordering: .relaxed)
        case .rightShank: rightShank.store(bits, ordering: .relaxed)
        case .rightThigh: rightThigh.store(bits, ordering: .relaxed)
        }
    }

    /// The leg the subject stands on now, from the leg IMUs (`SingleLegSway.stance`).
    var stance: SingleLegSway.Stance? {
        func angle(_ atomic: borrowing Atomic<UInt64>) -> Double? {
            let value = Double(bitPattern: atomic.load(ordering: .relaxed))
            return value.isNaN ? nil : value
        }
        return SingleLegSway.stance(leftShank: angle(leftShank), leftThigh: angle(leftThigh),
                                    rightShank: angle(rightShank), rightThigh: angle(rightThigh))
    }

    func post(_ report: Report, role: DeviceRole, timeSeconds: Double) {
        latest.withLock { $0[role] = (report, timeSeconds) }
    }

    /// Whether IMU `index`'s thread sends the IMU_METRICS due now, and if so their time on the
    /// stream's own grid (seconds; one period on from the last, so clients decimate them as they
    /// do METRICS). One IMU sends them; another takes over when none went out for 1.5 periods
    /// (that IMU unplugged). A lock at the metrics rate, never per sample.
    func claimPublishing(index: Int, hostSeconds: Double, periodSeconds: Double) -> Double? {
        publishing.withLock { state in
            guard state.publisher == index || hostSeconds - state.lastHostSeconds > 1.5 * periodSeconds else { return nil }
            state.publisher = index
            state.lastHostSeconds = hostSeconds
            state.streamSeconds += periodSeconds
            return state.streamSeconds
        }
    }

    /// IMU_METRICS at `timeSeconds` (seconds since the daemon started) from the fresh reports.
    func snapshot(timeSeconds: Double) -> ImuMetricsSnapshot {
        let reports = latest.withLock { $0 }
        var segments: [(segment: ImuMetricsSnapshot.Segment, report: SegmentKinematicsReport)] = []
        var trunk: TrunkSwayReport?
        var singleLeg: SingleLegSwayReport?
        var shankStance: [ImuMetricsSnapshot.Segment: (report: TrunkSwayReport?, seconds: Double)] = [:]
        for (_, entry) in reports where timeSeconds - entry.timeSeconds <= 1 {
            switch entry.report {
            case .segment(let segment, let report, let stance):
                segments.append((segment, report))
                shankStance[segment] = stance
            case .trunk(let report, let legs):
                trunk = report
                singleLeg = legs
            }
        }
        var shanks: SingleLegSwayReport?
        if let left = shankStance[.leftShank], let right = shankStance[.rightShank] {
            shanks = SingleLegSwayReport(left: left.report, right: right.report, leftSeconds: left.seconds, rightSeconds: right.seconds)
        }
        let order = ImuMetricsSnapshot.Segment.allCases
        segments.sort { order.firstIndex(of: $0.segment)! < order.firstIndex(of: $1.segment)! }
        return ImuMetricsSnapshot(timeSeconds: timeSeconds, sequence: published.add(1, ordering: .relaxed).oldValue,
                                  windowSeconds: windowSeconds, segments: segments, trunk: trunk, singleLeg: singleLeg,
                                  singleLegShanks: shanks)
    }
}
