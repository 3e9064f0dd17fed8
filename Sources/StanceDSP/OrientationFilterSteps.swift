// The parts of OrientationFilter.update: the two feedback terms, the rejection rule, the
// quaternion step, and the start from the first usable sample.
extension OrientationFilter {
    /// The accelerometer's half-scaled residual ½ (â × v̂), weighted, or zero when it is ignored:
    /// not usable, or the error above the rejection angle (outside startup and recovery). The
    /// weight falls linearly from 1 at |a| = g to 0 at |a| = g (1 ± tolerance): linear
    /// acceleration, which makes â a wrong gravity, shows as |a| ≠ g, so the accelerometer counts
    /// less the faster the movement (also for the bias estimate, which sees the same residual).
    @inline(__always)
    mutating func accelerometerResidual(_ a: SIMD3<Float>, gyroscope: SIMD3<Float>, halfGravity: SIMD3<Float>, dt: Float,
                                        startingUp: Bool) -> SIMD3<Float> {
        let normSquared = (a * a).sum()
        guard normSquared > .leastNormalMagnitude, normSquared.isFinite else {
            accelerometerIgnored = true
            return SIMD3()
        }
        let inverseNorm = 1 / normSquared.squareRoot()
        let residual = Self.cross(a * inverseNorm, halfGravity)
        let deviation = abs(normSquared * inverseNorm - Self.standardGravity)
        let rateWeight = 1 / (1 + (gyroscope * gyroscope).sum() * thresholds.inverseRateScaleSquared)
        let weight = startingUp ? 1 : max(0, 1 - deviation * thresholds.inverseMagnitudeTolerance) * rateWeight
        let plausible = weight > 0 && (residual * residual).sum() <= thresholds.accelerationResidualSquared
        let used = startingUp || Self.admit(plausible, trigger: &accelerationTrigger, recovering: &accelerationRecovering,
                                            dt: dt, timeout: settings.rejectionTimeoutSeconds)
        accelerometerIgnored = !used
        // In a recovery the accelerometer counts fully, whatever |a|.
        return used ? (plausible ? weight : 1) * residual : SIMD3()
    }

    /// The magnetometer's half-scaled residual ½ (ŵ × v̂_west), or zero when it is ignored. The
    /// measured west is the estimated gravity × the field, so it is horizontal in the estimate's
    /// frame, as is the estimated west: their cross product lies along gravity and turns heading
    /// only. A disturbed field can therefore never tilt the estimate.
    @inline(__always)
    mutating func magnetometerResidual(_ m: SIMD3<Float>, halfGravity: SIMD3<Float>, dt: Float,
                                       startingUp: Bool) -> SIMD3<Float> {
        let west = Self.cross(halfGravity, m)
        let westSquared = (west * west).sum()
        guard westSquared > .leastNormalMagnitude, westSquared.isFinite else {
            magnetometerIgnored = true
            return SIMD3()
        }
        let halfWest = SIMD3<Float>(qx * qy + qw * qz, qw * qw - 0.5 + qy * qy, qy * qz - qw * qx)
        let residual = Self.cross(west * (1 / westSquared.squareRoot()), halfWest)
        let plausible = (residual * residual).sum() <= thresholds.magneticResidualSquared
        let used = startingUp || Self.admit(plausible, trigger: &magneticTrigger, recovering: &magneticRecovering,
                                            dt: dt, timeout: settings.rejectionTimeoutSeconds)
        magnetometerIgnored = !used
        return used ? residual : SIMD3()
    }

    /// Fusion's recovery rule in seconds: the trigger rises 1 s per second rejected and falls 9 s
    /// per second accepted, within 0…timeout. Reaching the timeout (rejected > 90 % of the time for
    /// that long) starts a recovery, in which the sensor is used, until the trigger is back at 0.
    @inline(__always)
    static func admit(_ plausible: Bool, trigger: inout Float, recovering: inout Bool, dt: Float, timeout: Float) -> Bool {
        trigger = min(max(trigger + (plausible ? -9 * dt : dt), 0), timeout)
        if trigger >= timeout {
            recovering = true
        } else if trigger <= 0 {
            recovering = false
        }
        return plausible || recovering
    }

    /// q ← normalise(q + q ⊗ (0, h)), h = ½ ω dt: first-order integration. The norm after a step is
    /// 1 + O(|h|²), so one Newton step from 1 normalises it to Float precision without a square
    /// root; a long step or a garbage rate takes the exact path, and a non-finite result is
    /// dropped (the estimate keeps its last good value).
    @inline(__always)
    mutating func integrate(_ h: SIMD3<Float>) {
        let w = qw - qx * h.x - qy * h.y - qz * h.z
        let x = qx + qw * h.x + qy * h.z - qz * h.y
        let y = qy + qw * h.y - qx * h.z + qz * h.x
        let z = qz + qw * h.z + qx * h.y - qy * h.x
        let normSquared = w * w + x * x + y * y + z * z
        let scale: Float
        if normSquared > 0.999, normSquared < 1.001 {
            scale = 1.5 - 0.5 * normSquared  // relative error 0.375 (n² − 1)² < 4e-7
        } else if normSquared > .leastNormalMagnitude, normSquared.isFinite {
            scale = 1 / normSquared.squareRoot()
        } else {
            return
        }
        qw = w * scale
        qx = x * scale
        qy = y * scale
        qz = z * scale
    }

    /// The orientation from one accelerometer sample (tilt: the shortest rotation taking the
    /// measured gravity to +z) and, when usable, one magnetometer sample (heading: the horizontal
    /// field turned to +x, magnetic north). Without a magnetometer the heading is 0.
    mutating func initialise(accelerometer a: SIMD3<Float>, magnetometer m: SIMD3<Float>?) {
        let normSquared = (a * a).sum()
        guard normSquared > .leastNormalMagnitude, normSquared.isFinite else {
            accelerometerIgnored = true
            magnetometerIgnored = true
            return
        }
        let up = a * (1 / normSquared.squareRoot())
        // Shortest arc from `up` to z: (1 + up·z, up × z), normalised; upside down, π about x.
        var tilt = up.z > -0.999_999 ? SIMD4<Float>(1 + up.z, up.y, -up.x, 0) : SIMD4<Float>(0, 1, 0, 0)
        tilt /= (tilt * tilt).sum().squareRoot()
        (qw, qx, qy, qz) = (tilt[0], tilt[1], tilt[2], tilt[3])
        initialised = true
        accelerometerIgnored = false
        magnetometerIgnored = true
        guard let m else { return }
        // The field in the earth frame of the tilt alone; turn its horizontal part onto +x.
        let vector = SIMD3<Float>(qx, qy, qz)
        let t = 2 * Self.cross(vector, m)
        let earth = m + qw * t + Self.cross(vector, t)
        let horizontalSquared = earth.x * earth.x + earth.y * earth.y
        guard horizontalSquared > .leastNormalMagnitude, horizontalSquared.isFinite else { return }
        let north = SIMD2<Float>(earth.x, earth.y) / horizontalSquared.squareRoot()
        var turn = north.x > -0.999_999 ? SIMD2<Float>(1 + north.x, -north.y) : SIMD2<Float>(0, 1)  // (w, z)
        turn /= (turn * turn).sum().squareRoot()
        (qw, qx, qy, qz) = (turn.x * qw - turn.y * qz, turn.x * qx - turn.y * qy,
                            turn.x * qy + turn.y * qx, turn.x * qz + turn.y * qw)
        magnetometerIgnored = false
    }

    @inline(__always)
    static func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
}
