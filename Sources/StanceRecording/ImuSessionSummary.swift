import StanceDSP

/// What a session's IMU streams say over the whole session, read back from `session.xdf`: each
/// shank's sagittal range of motion and their asymmetry, and single-leg stance on the left against
/// the right (the trunk's sway when there is a trunk IMU, else the stance shank's) over each leg's
/// latest trial.
///
/// Computed as `stanced` computes IMU_METRICS live: `OrientationFilter` (6-axis, at the stream's
/// nominal rate) on the recorded float32 acceleration and angular velocity, the stance leg from the
/// shanks' and thighs' sagittal angles (`SingleLegSway.stance`). Where live each IMU reads the
/// others' latest angles as their threads happen to run, here the streams' samples are taken in
/// timestamp order (ties: stream order), so the summary is a function of the file alone.
public struct ImuSessionSummary: Sendable, Equatable {
    /// Sagittal range of motion over the session after the filter's first second, degrees; nil
    /// without that shank's IMU.
    public var leftShankROMDegrees: Double?
    public var rightShankROMDegrees: Double?
    /// The segment the single-leg comparison comes from: `trunk` or `shank`; nil when the session
    /// has neither a trunk IMU nor both shank IMUs.
    public var singleLegSegment: String?
    /// Its sway on each leg, each side's latest trial (the window is the whole session).
    public var singleLeg: SingleLegSwayReport?

    /// Shank ROM asymmetry (nil without both shanks).
    public var shankROMAsymmetry: Asymmetry? {
        guard let left = leftShankROMDegrees, let right = rightShankROMDegrees else { return nil }
        return Asymmetry(left: left, right: right)
    }

    /// Nil for a recording without IMU streams (type `IMU`, named by role, at least 6 float32
    /// channels: ax, ay, az in m/s², gx, gy, gz in rad/s).
    public init?(recording: XDFRecording) {
        let roles = ["imu-left-shank", "imu-right-shank", "imu-left-thigh", "imu-right-thigh", "imu-trunk"]
        var inputs: [Input] = []
        for (index, role) in roles.enumerated() {
            guard let stream = recording.streams.first(where: { $0.info.type == "IMU" && $0.info.name == role }),
                  case .float32(let values) = stream.values, stream.info.channelCount >= 6, stream.info.nominalRateHz > 0,
                  stream.sampleCount > 0 else { continue }
            inputs.append(Input(slot: index, values: values, width: stream.info.channelCount, timestamps: stream.timestamps,
                                rateHz: stream.info.nominalRateHz))
        }
        guard !inputs.isEmpty else { return nil }
        self.init(inputs)
    }

    /// One IMU stream: `slot` indexes left shank, right shank, left thigh, right thigh, trunk.
    struct Input {
        var slot: Int
        var values: [Float]
        var width: Int
        var timestamps: [Double]
        var rateHz: Double
    }

    private init(_ inputs: [Input]) {
        let hasTrunk = inputs.contains { $0.slot == 4 }
        let hasShanks = inputs.contains { $0.slot == 0 } && inputs.contains { $0.slot == 1 }
        singleLegSegment = hasTrunk ? "trunk" : hasShanks ? "shank" : nil
        let first = inputs.compactMap(\.timestamps.first).min() ?? 0, last = inputs.compactMap(\.timestamps.last).max() ?? 0
        let windowSeconds = last - first + 1
        var filters = inputs.map { _ in OrientationFilter() }
        var angles = [Double?](repeating: nil, count: 5)
        var minimum = [Double](repeating: .infinity, count: 2), maximum = [Double](repeating: -.infinity, count: 2)
        var trunkLegs = inputs.first { $0.slot == 4 }.map { SingleLegSway(windowSeconds: windowSeconds, rateHz: $0.rateHz) }
        var shankTrials = inputs.map { input in
            input.slot < 2 && !hasTrunk ? StanceTrialSway(windowSeconds: windowSeconds, rateHz: input.rateHz) : nil
        }
        var next = [Int](repeating: 0, count: inputs.count)
        while true {
            // The stream whose next sample is earliest (the first such stream on a tie).
            var chosen = -1
            for index in inputs.indices where next[index] < inputs[index].timestamps.count {
                if chosen < 0 || inputs[index].timestamps[next[index]] < inputs[chosen].timestamps[next[chosen]] { chosen = index }
            }
            guard chosen >= 0 else { break }
            let input = inputs[chosen], sample = next[chosen]
            next[chosen] += 1
            let at = sample * input.width
            let acceleration = SIMD3(input.values[at], input.values[at + 1], input.values[at + 2])
            filters[chosen].update(gyroscope: SIMD3(input.values[at + 3], input.values[at + 4], input.values[at + 5]),
                                   accelerometer: acceleration, magnetometer: nil, deltaSeconds: Float(1 / input.rateHz))
            guard filters[chosen].isInitialised else { continue }
            let orientation = filters[chosen].orientation
            let sagittal = SegmentAngles(orientation: orientation).sagittalDegrees
            angles[input.slot] = sagittal
            if input.slot < 2, !filters[chosen].isStartingUp {
                minimum[input.slot] = min(minimum[input.slot], sagittal)
                maximum[input.slot] = max(maximum[input.slot], sagittal)
            }
            guard input.slot == 4 || shankTrials[chosen] != nil else { continue }
            let stance = SingleLegSway.stance(leftShank: angles[0], leftThigh: angles[2], rightShank: angles[1], rightThigh: angles[3])
            let force = SIMD3<Double>(acceleration)
            if input.slot == 4 {
                trunkLegs?.update(stance: stance, orientation: orientation, specificForceMetresPerSecondSquared: force)
            } else {
                shankTrials[chosen]?.update(standing: stance == (input.slot == 0 ? .left : .right), orientation: orientation,
                                            specificForceMetresPerSecondSquared: force)
            }
        }
        func range(_ slot: Int) -> Double? { maximum[slot] >= minimum[slot] ? maximum[slot] - minimum[slot] : nil }
        leftShankROMDegrees = range(0)
        rightShankROMDegrees = range(1)
        if let trunkLegs {
            singleLeg = trunkLegs.report
        } else if let left = inputs.firstIndex(where: { $0.slot == 0 }).flatMap({ shankTrials[$0] }),
                  let right = inputs.firstIndex(where: { $0.slot == 1 }).flatMap({ shankTrials[$0] }) {
            singleLeg = SingleLegSwayReport(left: left.report, right: right.report, leftSeconds: left.seconds, rightSeconds: right.seconds)
        }
    }
}
