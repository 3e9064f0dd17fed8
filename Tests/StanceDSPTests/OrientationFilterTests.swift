import Foundation
import StanceDSP
import Testing

private let degree = Double.pi / 180

@Suite("Orientation filter (AHRS)")
struct OrientationFilterTests {
    static let g = 9.80665
    /// 50 µT, inclination 65° down, magnetic north along earth x (NWU).
    static let fieldEarth = SIMD3<Double>(50 * cos(65 * degree), 0, -50 * sin(65 * degree))

    /// The readings of a still sensor with orientation `q`: a = Rᵀ(0, 0, g), m = Rᵀ m_earth.
    static func stillReadings(_ q: Quaternion) -> (accelerometer: SIMD3<Double>, magnetometer: SIMD3<Double>) {
        (q.conjugate.rotate(SIMD3(0, 0, OrientationFilterTests.g)), q.conjugate.rotate(fieldEarth))
    }

    /// Angle between true and estimated earth z in the sensor frame, degrees.
    static func tiltErrorDegrees(_ truth: Quaternion, _ estimate: Quaternion) -> Double {
        let a = truth.conjugate.rotate(SIMD3(0, 0, 1))
        let b = estimate.conjugate.rotate(SIMD3(0, 0, 1))
        return acos(min(1, (a * b).sum())) / degree
    }

    @Test("a still sensor tilted 20° about x and 10° about y converges to its tilt")
    func staticTilt() {
        let truth = Quaternion(axis: SIMD3(0, 1, 0), angleRadians: 10 * degree) * Quaternion(axis: SIMD3(1, 0, 0), angleRadians: 20 * degree)
        let (a, _) = Self.stillReadings(truth)
        var filter = OrientationFilter()
        // Start from a wrong first sample (upright), then the true readings.
        filter.update(gyroscope: SIMD3(), accelerometer: SIMD3(0, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.01)
        for _ in 0..<500 { filter.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: nil, deltaSeconds: 0.01) }
        #expect(Self.tiltErrorDegrees(truth, filter.orientation) < 0.05)
    }

    @Test("a constant gyroscope bias of 0.5 °/s per axis is estimated within 0.02 °/s in 40 s (9-axis, 100 Hz)")
    func biasConverges() {
        let truth = Quaternion(axis: SIMD3(1, 1, 0), angleRadians: 15 * degree)
        let (a, m) = Self.stillReadings(truth)
        let bias = SIMD3<Double>(0.5, -0.5, 0.5) * degree
        var filter = OrientationFilter()
        for _ in 0..<4000 { filter.update(gyroscope: bias, accelerometer: a, magnetometer: m, deltaSeconds: 0.01) }
        let error = (filter.gyroscopeBias - bias) / degree
        #expect(max(abs(error.x), abs(error.y), abs(error.z)) < 0.02, "bias error \(error) °/s")
        #expect(filter.orientation.angle(to: truth) / degree < 0.1)
    }

    @Test("heading comes from the magnetometer: a sensor turned 60° about vertical reads 60°")
    func headingFromMagnetometer() {
        let truth = Quaternion(axis: SIMD3(0, 0, 1), angleRadians: 60 * degree)
        let (a, m) = Self.stillReadings(truth)
        var filter = OrientationFilter()
        for _ in 0..<300 { filter.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: m, deltaSeconds: 0.01) }
        #expect(filter.orientation.angle(to: truth) / degree < 0.05)
        // A field disturbed by 40° (a magnet nearby) for 2 s turns heading only, never tilt.
        let disturbed = Quaternion(axis: SIMD3(1, 0.3, 0.5), angleRadians: 40 * degree).rotate(m)
        for _ in 0..<200 {
            filter.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: disturbed, deltaSeconds: 0.01)
            #expect(Self.tiltErrorDegrees(truth, filter.orientation) < 0.01)
        }
    }

    @Test("a 2 g sideways transient for 0.5 s moves the tilt by less than 0.2°")
    func transientAccelerationRejected() {
        var filter = OrientationFilter()
        let upright = SIMD3<Double>(0, 0, OrientationFilterTests.g)
        for _ in 0..<500 { filter.update(gyroscope: SIMD3(), accelerometer: upright, magnetometer: nil, deltaSeconds: 0.01) }
        for _ in 0..<50 {
            filter.update(gyroscope: SIMD3(), accelerometer: SIMD3(2 * OrientationFilterTests.g, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.01)
        }
        #expect(filter.accelerometerIgnored)
        #expect(Self.tiltErrorDegrees(.identity, filter.orientation) < 0.2)
        // With rejection off the same transient tilts the estimate by degrees: the test measures something.
        var plain = OrientationFilter(settings: .init(accelerationMagnitudeTolerance: 1, rotationRateScaleRadiansPerSecond: 0))
        for _ in 0..<500 { plain.update(gyroscope: SIMD3(), accelerometer: upright, magnetometer: nil, deltaSeconds: 0.01) }
        for _ in 0..<50 {
            plain.update(gyroscope: SIMD3(), accelerometer: SIMD3(2 * OrientationFilterTests.g, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.01)
        }
        #expect(Self.tiltErrorDegrees(.identity, plain.orientation) > 5)
    }

    @Test("zero vectors, NaN, infinite and zero steps leave a finite unit quaternion")
    func garbageIn() {
        var filter = OrientationFilter()
        let nan = Double.nan
        let inputs: [(SIMD3<Double>, SIMD3<Double>, SIMD3<Double>?, Double)] = [
            (SIMD3(), SIMD3(), SIMD3(), 0.01),                       // before any usable sample
            (SIMD3(0.1, 0, 0), SIMD3(0, 0, OrientationFilterTests.g), SIMD3(), 0.01),  // zero field
            (SIMD3(0.1, 0, 0), SIMD3(), SIMD3(20, 0, -40), 0.01),    // zero acceleration
            (SIMD3(0.1, 0, 0), SIMD3(0, 0, OrientationFilterTests.g), nil, 0),         // dt = 0
            (SIMD3(0.1, 0, 0), SIMD3(0, 0, OrientationFilterTests.g), nil, 1e9),       // a huge step
            (SIMD3(0.1, 0, 0), SIMD3(0, 0, OrientationFilterTests.g), nil, -1),        // negative step
            (SIMD3(nan, 0, 0), SIMD3(0, 0, OrientationFilterTests.g), nil, 0.01),      // NaN rate
            (SIMD3(0, 0, 0), SIMD3(nan, 0, 1), SIMD3(nan, 1, 1), 0.01),
            (SIMD3(1e30, -1e30, 1e30), SIMD3(0, 0, OrientationFilterTests.g), nil, 0.01),
            (SIMD3(), SIMD3(.infinity, 0, 0), SIMD3(0, .infinity, 0), .nan),
            (SIMD3(), SIMD3(0, 0, OrientationFilterTests.g), SIMD3(0, 0, -50), 0.01),  // field parallel to gravity
        ]
        for (gyroscope, accelerometer, magnetometer, dt) in inputs {
            filter.update(gyroscope: gyroscope, accelerometer: accelerometer, magnetometer: magnetometer, deltaSeconds: dt)
            let q = filter.orientation
            #expect([q.w, q.x, q.y, q.z].allSatisfy { $0.isFinite }, "after \(gyroscope), \(accelerometer), \(String(describing: magnetometer)), \(dt)")
            #expect(abs(q.norm - 1) < 1e-5)
            #expect([filter.gyroscopeBias.x, filter.gyroscopeBias.y, filter.gyroscopeBias.z].allSatisfy { $0.isFinite })
        }
    }

    @Test("a rotation at 90 °/s about x is followed by the gyroscope between accelerometer updates")
    func followsGyroscope() {
        var filter = OrientationFilter(settings: .init(proportionalGain: 0, integralGain: 0, startupSeconds: 0, velocityGain: 0))
        filter.update(gyroscope: SIMD3(), accelerometer: SIMD3(0, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.001)
        for _ in 0..<1000 {
            filter.update(gyroscope: SIMD3(90 * degree, 0, 0), accelerometer: SIMD3(0, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.001)
        }
        let truth = Quaternion(axis: SIMD3(1, 0, 0), angleRadians: 90 * degree)
        #expect(filter.orientation.angle(to: truth) / degree < 0.05)
    }

    /// The plain complementary filter, without velocity aiding: the defaults before 2026-11-26
    /// (docs/imu.md compares them).
    static let plain = OrientationFilter.Settings(proportionalGain: 0.7, integralGain: 0.5, accelerationMagnitudeTolerance: 0.5,
                                                  rotationRateScaleRadiansPerSecond: 0.5, velocityGain: 0)

    /// The largest tilt error over the last `lastSeconds` of `seconds` at 100 Hz, for a still
    /// upright sensor whose accelerometer also reads a horizontal acceleration of `amplitude`
    /// m/s² at `hertz` along x (no rotation: the acceleration is linear, a sway).
    static func swayTiltDegrees(_ settings: OrientationFilter.Settings, amplitude: Double, hertz: Double,
                                seconds: Double = 40, lastSeconds: Double = 20) -> Double {
        var filter = OrientationFilter(settings: settings)
        let dt = 0.01
        var worst = 0.0
        for i in 0...Int(seconds / dt) {
            let t = Double(i) * dt
            let a = SIMD3(amplitude * sin(2 * .pi * hertz * t), 0, OrientationFilterTests.g)
            filter.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: nil, deltaSeconds: dt)
            if t >= seconds - lastSeconds { worst = max(worst, tiltErrorDegrees(.identity, filter.orientation)) }
        }
        return worst
    }

    @Test("velocity aiding alone (k_P = k_I = 0) corrects a 10° tilt error within 30 s")
    func velocityAidingCorrectsTilt() {
        let truth = Quaternion(axis: SIMD3(1, 0, 0), angleRadians: 10 * degree)
        let (a, _) = Self.stillReadings(truth)
        var filter = OrientationFilter(settings: .init(proportionalGain: 0, integralGain: 0, startupSeconds: 0, velocityGain: 0.75))
        // A wrong first sample (upright) sets a 10° error; then the true readings.
        filter.update(gyroscope: SIMD3(), accelerometer: SIMD3(0, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.01)
        #expect(Self.tiltErrorDegrees(truth, filter.orientation) > 9.9)
        for _ in 0..<3000 { filter.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: nil, deltaSeconds: 0.01) }
        #expect(Self.tiltErrorDegrees(truth, filter.orientation) < 0.1)
        // Without it nothing corrects the error: the test measures the velocity loop.
        var plain = OrientationFilter(settings: .init(proportionalGain: 0, integralGain: 0, startupSeconds: 0, velocityGain: 0))
        plain.update(gyroscope: SIMD3(), accelerometer: SIMD3(0, 0, OrientationFilterTests.g), magnetometer: nil, deltaSeconds: 0.01)
        for _ in 0..<3000 { plain.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: nil, deltaSeconds: 0.01) }
        #expect(Self.tiltErrorDegrees(truth, plain.orientation) > 9.9)
    }

    @Test("a 1 Hz sway of ±3 m/s² tilts the velocity loop (k_V 0.75) far less than an equally stiff proportional one (k_P 0.75)")
    func velocityAidingRejectsSway() {
        // Linear acceleration at ω tilts a proportional loop by about k_P/ω × A/g (here 2°), the
        // velocity loop by about k_V/ω² × A/g (0.3°).
        let velocity = Self.swayTiltDegrees(.init(proportionalGain: 0, integralGain: 0, startupSeconds: 0, velocityGain: 0.75),
                                            amplitude: 3, hertz: 1)
        let proportional = Self.swayTiltDegrees(.init(proportionalGain: 0.75, integralGain: 0, startupSeconds: 0, velocityGain: 0),
                                                amplitude: 3, hertz: 1)
        #expect(velocity < 0.5, "velocity loop \(velocity)°")
        #expect(proportional > 1.5, "proportional loop \(proportional)°")
        // The defaults (velocity-aided) sway less than the plain filter.
        let defaults = Self.swayTiltDegrees(.init(), amplitude: 3, hertz: 1)
        let plain = Self.swayTiltDegrees(Self.plain, amplitude: 3, hertz: 1)
        #expect(defaults < 0.75 * plain, "defaults \(defaults)°, plain (k_P 0.7, k_I 0.5) \(plain)°")
    }

    /// For a still sensor tilted 10° whose gyroscope reads a constant bias of (0.2, −0.2, 0.2) °/s
    /// (the simulator's σ per axis), 6-axis at 100 Hz: the largest tilt error from 2 s (after
    /// startup) to 30 s, degrees, and the bias estimate's largest axis error at 10 s, °/s.
    static func stillWithBias(_ settings: OrientationFilter.Settings) -> (worstTilt: Double, biasErrorAt10s: Double) {
        let truth = Quaternion(axis: SIMD3(1, 0, 0), angleRadians: 10 * degree)
        let (a, _) = Self.stillReadings(truth)
        let bias = SIMD3<Double>(0.2, -0.2, 0.2) * degree
        var filter = OrientationFilter(settings: settings)
        var worst = 0.0, biasError = Double.nan
        for i in 0...3000 {
            filter.update(gyroscope: bias, accelerometer: a, magnetometer: nil, deltaSeconds: 0.01)
            if i >= 200 { worst = max(worst, tiltErrorDegrees(truth, filter.orientation)) }
            if i == 1000 {
                // About the vertical the bias is unobservable without a magnetometer: compare the
                // horizontal part only.
                let up = truth.conjugate.rotate(SIMD3(0, 0, 1))
                let error = filter.gyroscopeBias - bias
                let horizontal = error - (error * up).sum() * up
                biasError = max(abs(horizontal.x), abs(horizontal.y), abs(horizontal.z)) / degree
            }
        }
        return (worst, biasError)
    }

    @Test("the settling after startup (step 7) learns a still sensor's gyroscope bias sooner: a smaller tilt error in the first 30 s")
    func settlingLearnsBiasSooner() {
        let settled = Self.stillWithBias(.init())
        let unsettled = Self.stillWithBias(.init(settlingSeconds: 0))
        #expect(settled.worstTilt < 0.75 * unsettled.worstTilt, "largest tilt error \(settled.worstTilt)° with, \(unsettled.worstTilt)° without")
        #expect(settled.biasErrorAt10s < 0.8 * unsettled.biasErrorAt10s,
                "bias error at 10 s \(settled.biasErrorAt10s) °/s with, \(unsettled.biasErrorAt10s) °/s without")
        // A gain factor of 1 is no settling.
        let factorOne = Self.stillWithBias(.init(settlingGainFactor: 1))
        #expect(factorOne.worstTilt == unsettled.worstTilt)
    }

    /// A sensor turning about x at `rate` rad/s from its first sample (exact readings, 100 Hz,
    /// 5 s, no startup), with and without the settling: whether the two end in the same state.
    static func settlingChangesTurningSensor(rate: Double) -> Bool {
        var settled = OrientationFilter(settings: .init(startupSeconds: 0))
        var unsettled = OrientationFilter(settings: .init(startupSeconds: 0, settlingSeconds: 0))
        for i in 0...500 {
            let truth = Quaternion(axis: SIMD3(1, 0, 0), angleRadians: rate * Double(i) * 0.01)
            let (a, _) = Self.stillReadings(truth)
            settled.update(gyroscope: SIMD3(rate, 0, 0), accelerometer: a, magnetometer: nil, deltaSeconds: 0.01)
            unsettled.update(gyroscope: SIMD3(rate, 0, 0), accelerometer: a, magnetometer: nil, deltaSeconds: 0.01)
        }
        return settled.orientation != unsettled.orientation || settled.gyroscopeBias != unsettled.gyroscopeBias
    }

    @Test("the first movement (the gyroscope above 0.2 rad/s) ends the settling: turning from the start, the filter is the one without it")
    func movementEndsSettling() {
        #expect(!Self.settlingChangesTurningSensor(rate: 0.5))
        #expect(Self.settlingChangesTurningSensor(rate: 0.1))
    }

    @Test("after startup, garbage input leaves the velocity loop finite and the filter converging")
    func garbageAfterStartup() {
        var filter = OrientationFilter()
        let upright = SIMD3<Double>(0, 0, OrientationFilterTests.g)
        for _ in 0..<300 { filter.update(gyroscope: SIMD3(), accelerometer: upright, magnetometer: nil, deltaSeconds: 0.01) }
        #expect(!filter.isStartingUp)
        let nan = Double.nan
        let inputs: [(SIMD3<Double>, SIMD3<Double>, Double)] = [
            (SIMD3(nan, 0, 0), upright, 0.01), (SIMD3(1e30, -1e30, 1e30), upright, 0.01),
            (SIMD3(), SIMD3(nan, 0, 1), 0.01), (SIMD3(), SIMD3(.infinity, 0, 0), 0.01),
            (SIMD3(), SIMD3(1e19, 0, 0), 0.01), (SIMD3(), upright, .nan), (SIMD3(), upright, 1e9),
        ]
        for (gyroscope, accelerometer, dt) in inputs {
            filter.update(gyroscope: gyroscope, accelerometer: accelerometer, magnetometer: nil, deltaSeconds: dt)
            let q = filter.orientation
            #expect([q.w, q.x, q.y, q.z].allSatisfy { $0.isFinite } && abs(q.norm - 1) < 1e-5)
        }
        let truth = Quaternion(axis: SIMD3(0, 1, 0), angleRadians: 5 * degree)
        let (a, _) = Self.stillReadings(truth)
        for _ in 0..<3000 { filter.update(gyroscope: SIMD3(), accelerometer: a, magnetometer: nil, deltaSeconds: 0.01) }
        #expect(Self.tiltErrorDegrees(truth, filter.orientation) < 0.1)
    }
}
