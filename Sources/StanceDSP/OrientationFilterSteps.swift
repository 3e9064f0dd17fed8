// The parts of OrientationFilter.update: one step with its feedback terms (accelerometer,
// magnetometer, velocity aiding), the rejection rule, the quaternion step, and the start from the
// first usable sample.
//
// The update is latency-bound: each sample's quaternion depends on the previous one, so its speed
// is the length of the chain q → residual → half-step → product and norm → q, not its instruction
// count (docs/imu.md, "Speed"). The step is written in scalars and arranged so that everything
// that does not depend on q (norms, weights, rejection state) runs beside that chain, and so that
// the chain waits on nothing it need not (the accelerometer's weight, the new bias, the
// magnetometer's angle test; its square root overlaps its cross product). Its branches are the ones a stream takes
// the same way for seconds (startup, an unusable vector, the bias at its limit, a long step).
extension OrientationFilter {
    /// One update from an initialised state. `hasMagnetometer` and `velocityAided` are constants
    /// at each call site, so each combination gets its own copy without the others' code.
    @inline(__always)
    mutating func step(_ g: SIMD3<Float>, _ a: SIMD3<Float>, _ m: SIMD3<Float>, hasMagnetometer: Bool,
                       velocityAided: Bool, deltaSeconds: Float) {
        var gx = g.x, gy = g.y, gz = g.z
        let maximumDelta = settings.maximumDeltaSeconds
        let dt = deltaSeconds > 0 ? (maximumDelta < deltaSeconds ? maximumDelta : deltaSeconds) : 0
        let startingUp = startupRemainingSeconds > 0
        // w_ω = 1 / (1 + |ω|²/ω₀²), from the gyroscope as measured: how fast the sensor turns.
        let rateSquared = gx * gx + gy * gy + gz * gz
        let rateWeight = 1 / (1 + rateSquared * thresholds.inverseRateScaleSquared)
        if velocityAided {
            // Velocity aiding (the type's documentation; docs/imu.md, step 5): the rate gains
            // 2 k_V / g × w_ω × P, from the P of the previous update, so nothing here waits for
            // this update's q. During startup P is held at 0.
            if startingUp {
                (pvx, pvy, pvz) = (0, 0, 0)
            } else {
                let scale = 2 * thresholds.velocityGainOverGravity * (rateWeight >= 0 ? rateWeight : 0)  // NaN rate: 0
                gx += scale * pvx
                gy += scale * pvy
                gz += scale * pvz
            }
        }
        if gainsScheduled {
            scheduleGains(rateSquared: rateSquared, deltaSeconds: dt)
        }
        let gain = proportionalGainNow
        let qw = qw, qx = qx, qy = qy, qz = qz
        // Half-scaled residuals, as in Fusion: |e| = ½ sin(error angle).
        let hgx = qx * qz - qw * qy, hgy = qy * qz + qw * qx, hgz = qw * qw - 0.5 + qz * qz
        let timeout = settings.rejectionTimeoutSeconds
        let triggerFall = -9 * dt
        // The half-step's feedback scale K (below, where the bias is updated): known before q, so
        // each feedback term is scaled as it is formed, (sx, sy, sz) = K × halfError beside
        // (ex, ey, ez) = halfError, and h does not wait for a multiplication by K.
        let halfDelta = 0.5 * dt
        let rate = twiceIntegralGainNow * dt
        let foldedScale = gain * dt + (startingUp ? 0 : halfDelta * rate)
        var ex: Float = 0, ey: Float = 0, ez: Float = 0
        var sx: Float = 0, sy: Float = 0, sz: Float = 0

        // The accelerometer: ½ (â × v̂), weighted, or zero when ignored (not usable, or the error
        // above the rejection angle outside startup and recovery). The weight falls linearly from 1
        // at |a| = g to 0 at |a| = g (1 ± tolerance): linear acceleration, which makes â a wrong
        // gravity, shows as |a| ≠ g, so the accelerometer counts less the faster the movement (also
        // for the bias estimate, which sees the same residual); and as 1 / (1 + |ω|²/ω₀²) with rate.
        let aSquared = a.x * a.x + a.y * a.y + a.z * a.z
        if aSquared > .leastNormalMagnitude, aSquared.isFinite {
            // Everything but the cross product is independent of q, so it runs beside the previous
            // update's chain; the coefficient multiplies the residual last.
            let inverseNorm = 1 / aSquared.squareRoot()
            let ux = a.x * inverseNorm, uy = a.y * inverseNorm, uz = a.z * inverseNorm
            let rx = uy * hgz - uz * hgy, ry = uz * hgx - ux * hgz, rz = ux * hgy - uy * hgx
            let deviation = abs(aSquared * inverseNorm - Self.standardGravity)
            let linear = 1 - deviation * thresholds.inverseMagnitudeTolerance
            let weight = startingUp ? 1 : (linear >= 0 ? linear : 0) * rateWeight
            var plausible = weight > 0
            if thresholds.accelerationResidualSquared < .greatestFiniteMagnitude {
                // The angle test, off by default: a branch, so that without it the weight does not
                // wait for the residual.
                plausible = plausible && rx * rx + ry * ry + rz * rz <= thresholds.accelerationResidualSquared
            }
            let used = startingUp || Self.admit(plausible, trigger: &accelerationTrigger, recovering: &accelerationRecovering,
                                                fall: triggerFall, rise: dt, timeout: timeout)
            accelerometerIgnored = !used
            // In a recovery the accelerometer counts fully, whatever |a|.
            let coefficient: Float = used ? (plausible ? weight : 1) : 0
            ex = coefficient * rx
            ey = coefficient * ry
            ez = coefficient * rz
            let scaled = coefficient * foldedScale
            sx = scaled * rx
            sy = scaled * ry
            sz = scaled * rz
        } else {
            accelerometerIgnored = true
        }

        if velocityAided, !startingUp {
            // P ← (1 − λ dt) P + ½ (a × v̂) dt while g (1 − τ) < |a| < g (1 + τ): the
            // accelerometer's horizontal part integrated in sensor axes (gravity drops out of the
            // cross product), from the estimate before this update. It is next update's, so it
            // runs beside the chain.
            let leak = 1 - thresholds.velocityLeakRate * dt
            let decay: Float = leak > 0 ? leak : 0
            // A branch, not a select: 0 × a non-finite reading would still poison P.
            if aSquared > thresholds.velocityLowerSquared, aSquared < thresholds.velocityUpperSquared {
                pvx = pvx * decay + dt * (a.y * hgz - a.z * hgy)
                pvy = pvy * decay + dt * (a.z * hgx - a.x * hgz)
                pvz = pvz * decay + dt * (a.x * hgy - a.y * hgx)
            } else {
                pvx *= decay
                pvy *= decay
                pvz *= decay
            }
        }

        // The magnetometer: ½ (ŵ × v̂_west), or zero when ignored. The measured west is the
        // estimated gravity × the field, so it is horizontal in the estimate's frame, as is the
        // estimated west: their cross product lies along gravity and turns heading only. A
        // disturbed field can therefore never tilt the estimate.
        if hasMagnetometer {
            let wx = hgy * m.z - hgz * m.y, wy = hgz * m.x - hgx * m.z, wz = hgx * m.y - hgy * m.x
            let westSquared = wx * wx + wy * wy + wz * wz
            if westSquared > .leastNormalMagnitude, westSquared.isFinite {
                // ŵ × v̂ = (w × v̂) / |w|: the cross product and the angle test, |w × v̂|² against
                // the threshold × |w|², run while the square root and division do.
                let hwx = qx * qy + qw * qz, hwy = qw * qw - 0.5 + qy * qy, hwz = qy * qz - qw * qx
                let cx = wy * hwz - wz * hwy, cy = wz * hwx - wx * hwz, cz = wx * hwy - wy * hwx
                let inverseNorm = 1 / westSquared.squareRoot()
                let plausible = cx * cx + cy * cy + cz * cz <= thresholds.magneticResidualSquared * westSquared
                let used = startingUp || Self.admit(plausible, trigger: &magneticTrigger, recovering: &magneticRecovering,
                                                    fall: triggerFall, rise: dt, timeout: timeout)
                magnetometerIgnored = !used
                let coefficient: Float = used ? inverseNorm : 0
                ex += coefficient * cx
                ey += coefficient * cy
                ez += coefficient * cz
                let scaled = coefficient * foldedScale
                sx += scaled * cx
                sy += scaled * cy
                sz += scaled * cz
            } else {
                magnetometerIgnored = true
            }
        } else {
            magnetometerIgnored = true
        }

        // Step 6 (6-axis only): the mean vertical, and no bias learning along it.
        let holdingMeanVertical = !hasMagnetometer && thresholds.inverseVerticalAveragingSeconds > 0
        if holdingMeanVertical {
            // The mean vertical, m += α (v̂ − m), α = dt / τ_v (at most 1). Only the stored bias
            // depends on it, not this update's q, so it runs beside the chain.
            let alpha = min(dt * thresholds.inverseVerticalAveragingSeconds, 1)
            mvx += alpha * (2 * hgx - mvx)
            mvy += alpha * (2 * hgy - mvy)
            mvz += alpha * (2 * hgz - mvz)
        }

        // q̇ = ½ q ⊗ (ω − b + k_P e): with e = 2 × halfError, the half-step vector is
        // h = ½ dt (ω − b) + k_P dt × halfError, with b the bias after this update's integral step.
        // The gyroscope's part of h, known before q: the normalisation below takes |h|² from it.
        let gyroX = halfDelta * (gx - bx), gyroY = halfDelta * (gy - by), gyroZ = halfDelta * (gz - bz)
        var hx = gyroX + sx, hy = gyroY + sy, hz = gyroZ + sz
        if !startingUp {
            // Mahony's integral term: the bias follows the full error (2 × half) at k_I, each
            // axis within ± the limit. Within the limit h = ½ dt (ω − b_before) + (k_P dt + k_I dt²)
            // × halfError, the same sum: h need not wait for the new bias, which shortens the
            // update's loop-carried path. A bias beyond the limit takes the branch that clamps.
            let limit = settings.maximumBiasRadiansPerSecond
            var (baseX, baseY, baseZ) = (bx, by, bz)
            if holdingMeanVertical {
                // Without a magnetometer the bias learns nothing along the mean vertical m (the
                // type's documentation says why): the step takes back rate × (e·m / |m|²) m. It
                // takes it back one update late, added to the bias before this update's error is
                // known, so that the projection runs beside the loop-carried path (q → e → b →
                // the next update's h) and not on it; this update's h takes the unprojected
                // integral step (k_I dt² × e, 5e-5 of the proportional step at 100 Hz).
                (baseX, baseY, baseZ) = (bx + alongX, by + alongY, bz + alongZ)
                let along = rate * (ex * mvx + ey * mvy + ez * mvz) / max(mvx * mvx + mvy * mvy + mvz * mvz, 1e-6)
                (alongX, alongY, alongZ) = (along * mvx, along * mvy, along * mvz)
            }
            let x = baseX - rate * ex, y = baseY - rate * ey, z = baseZ - rate * ez
            if abs(x) <= limit, abs(y) <= limit, abs(z) <= limit {
                (bx, by, bz) = (x, y, z)
            } else {
                // h waits for the clamped bias: ½ dt (ω − b) + k_P dt × halfError.
                bx = min(max(x, -limit), limit)
                by = min(max(y, -limit), limit)
                bz = min(max(z, -limit), limit)
                let proportional = gain * dt
                hx = halfDelta * (gx - bx) + proportional * ex
                hy = halfDelta * (gy - by) + proportional * ey
                hz = halfDelta * (gz - bz) + proportional * ez
            }
        }

        // q ← normalise(q + q ⊗ (0, h)): first-order integration. |q + q ⊗ (0, h)|² =
        // |q|² (1 + |h|²), which is 1 + O(|h|²), so one Newton step from 1 normalises it to Float
        // precision without a square root: 1.5 − ½ |q|² (1 + |h|²). Both |q|² and |h|² are taken
        // before the feedback is known, so the scale is ready when the product is: |h|² from the
        // gyroscope's part of h alone. The feedback's part, k_P dt e, is about 4e-5 rad at 100 Hz
        // after startup, against the gyroscope's 5e-3 at 1 rad/s, so the norm comes out within
        // 1e-6 of 1; any excess shows in the next update's |q|², which is outside 1 ± 1e-4 long
        // before it matters and then takes the exact path. Startup (a gain up to 10), a long step or
        // a garbage rate take the exact path, and a non-finite result is dropped (the estimate
        // keeps its last good value).
        let qSquared = (qw * qw + qx * qx) + (qy * qy + qz * qz)
        let w = (qw - qx * hx) - (qy * hy + qz * hz)
        let x = (qx + qw * hx) + (qy * hz - qz * hy)
        let y = (qy + qw * hy) - (qx * hz - qz * hx)
        let z = (qz + qw * hz) + (qx * hy - qy * hx)
        let hSquared = (gyroX * gyroX + gyroY * gyroY) + gyroZ * gyroZ
        let halfQSquared = 0.5 * qSquared
        let scale: Float
        if !startingUp, hSquared < 0.0009, qSquared > 0.9999, qSquared < 1.0001 {
            // |n² − 1| < 0.001, relative error 0.375 (n² − 1)² < 4e-7
            scale = (1.5 - halfQSquared) - halfQSquared * hSquared
        } else {
            let normSquared = (w * w + x * x) + (y * y + z * z)
            guard normSquared > .leastNormalMagnitude, normSquared.isFinite else { return }
            scale = 1 / normSquared.squareRoot()
        }
        self.qw = w * scale
        self.qx = x * scale
        self.qy = y * scale
        self.qz = z * scale
    }

    /// Sets this update's gains in the startup or the settling (step 7), k_P in 1/s and 2 k_I in
    /// 1/s², and takes `dt` off the time left in either; the first update after both sets the
    /// settings' gains and ends the schedule. Out of line, and the gains kept in the state: a
    /// stream takes it for its first seconds only, and the rest of the update reads the gains as
    /// it would constants.
    @inline(never)
    mutating func scheduleGains(rateSquared: Float, deltaSeconds dt: Float) {
        let gain = settings.proportionalGain, twiceIntegralGain = thresholds.twiceIntegralGain
        if startupRemainingSeconds > 0 {
            // k_P falls linearly from the startup gain to the settling's start; the bias is held.
            let fraction = startupRemainingSeconds / settings.startupSeconds
            startupRemainingSeconds -= dt
            proportionalGainNow = gain + thresholds.settlingProportionalExcess + thresholds.startupGainExcess * fraction
            twiceIntegralGainNow = twiceIntegralGain
        } else if settlingRemainingSeconds > 0, !(rateSquared >= thresholds.settlingEndRateSquared) {
            // The settling: both gains fall linearly to k_P and k_I. The first movement ends it
            // for good (the else branch; not a NaN rate: that is no movement).
            let fraction = settlingRemainingSeconds / settings.settlingSeconds
            settlingRemainingSeconds -= dt
            proportionalGainNow = gain + thresholds.settlingProportionalExcess * fraction
            twiceIntegralGainNow = twiceIntegralGain + thresholds.settlingTwiceIntegralExcess * fraction
        } else {
            settlingRemainingSeconds = 0
            (proportionalGainNow, twiceIntegralGainNow) = (gain, twiceIntegralGain)
            gainsScheduled = false
        }
    }

    /// Fusion's recovery rule in seconds: the trigger rises 1 s per second rejected and falls 9 s
    /// per second accepted, within 0…timeout. Reaching the timeout (rejected > 90 % of the time for
    /// that long) starts a recovery, in which the sensor is used, until the trigger is back at 0.
    /// `fall` is −9 dt, `rise` dt. Written with selects, not branches.
    @inline(__always)
    static func admit(_ plausible: Bool, trigger: inout Float, recovering: inout Bool, fall: Float, rise: Float,
                      timeout: Float) -> Bool {
        let raised = trigger + (plausible ? fall : rise)
        let floored = 0 >= raised ? 0 : raised
        let clamped = timeout < floored ? timeout : floored
        trigger = clamped
        recovering = clamped >= timeout || (recovering && !(clamped <= 0))
        return plausible || recovering
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
        (mvx, mvy, mvz) = (up.x, up.y, up.z)
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
