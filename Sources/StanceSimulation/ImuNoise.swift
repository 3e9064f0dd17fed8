import StanceDSP

/// The error model of a consumer MEMS IMU (WitMotion WT901 class: an MPU-9250 / ICM-20948 with a
/// magnetometer): white noise on every axis, a constant bias per axis drawn from the seed, a
/// bias random walk (drift) on the gyroscope and the accelerometer, optional scale errors.
/// Defaults are from the InvenSense datasheets (MPU-9250 product specification rev. 1.1,
/// ICM-20948 datasheet rev. 1.3) where they give a figure, and say so where they do not.
public struct ImuNoise: Sendable, Equatable {
    /// Gyroscope white-noise density, rad/s/√Hz per axis. MPU-9250: rate noise spectral density
    /// 0.01 °/s/√Hz (ICM-20948: 0.015). Per sample σ = density · √(rate/2).
    public var gyroscopeNoiseDensity = 0.01 * degree
    /// Accelerometer white-noise density, m/s²/√Hz per axis. MPU-9250: 300 µg/√Hz (ICM-20948: 230).
    public var accelerometerNoiseDensity = 300e-6 * standardGravity
    /// Magnetometer noise per sample, µT RMS per axis: a few counts of the 0.15 µT/LSB of the
    /// AK8963 / AK09916 (the datasheets give the resolution, not a noise figure).
    public var magnetometerNoiseMicroteslas = 0.4
    /// Standard deviation of each axis' constant gyroscope bias, rad/s: what is left after the
    /// device's zero-rate calibration (uncalibrated, the MPU-9250 allows ±5 °/s); 0.2 °/s.
    public var gyroscopeBiasSigma = 0.2 * degree
    /// Gyroscope bias random walk, rad/s/√s: the bias wanders by K·√t. 2·10⁻⁴ °/s/√s drifts
    /// ~6 °/h in a minute and ~40 °/h in an hour, the span of the bias instabilities (a few to
    /// tens of °/h) that Allan-variance studies report for these parts (not a datasheet figure).
    public var gyroscopeBiasRandomWalk = 2e-4 * degree
    /// Standard deviation of each axis' constant accelerometer bias, m/s² (0.05 ≈ 5 mg after
    /// calibration; uncalibrated, the MPU-9250 allows ±60 mg on x and y, ±80 mg on z).
    public var accelerometerBiasSigma = 0.05
    /// Accelerometer bias random walk, m/s²/√s (about 1 mg in an hour; not a datasheet figure).
    public var accelerometerBiasRandomWalk = 2e-4
    /// Standard deviation of each axis' constant magnetometer bias, µT (residual hard iron after
    /// calibration).
    public var magnetometerBiasSigma = 1.0
    /// Standard deviation of each axis' scale-factor error, as a fraction (0.01 = 1 %). The
    /// datasheets allow ±3 % before calibration; the defaults assume a calibrated device (0).
    public var gyroscopeScaleSigma = 0.0
    public var accelerometerScaleSigma = 0.0

    private static let degree = Double.pi / 180

    public init() {}

    /// The consumer MEMS defaults.
    public static let consumerMEMS = ImuNoise()

    /// No errors at all: the IMU reports the exact motion.
    public static let none: ImuNoise = {
        var noise = ImuNoise()
        noise.gyroscopeNoiseDensity = 0
        noise.accelerometerNoiseDensity = 0
        noise.magnetometerNoiseMicroteslas = 0
        noise.gyroscopeBiasSigma = 0
        noise.gyroscopeBiasRandomWalk = 0
        noise.accelerometerBiasSigma = 0
        noise.accelerometerBiasRandomWalk = 0
        noise.magnetometerBiasSigma = 0
        return noise
    }()

    /// Per-sample white-noise standard deviation of the gyroscope at `rateHz`, rad/s (noise
    /// band-limited at the Nyquist frequency).
    public func gyroscopeNoiseSigma(rateHz: Double) -> Double { gyroscopeNoiseDensity * (rateHz / 2).squareRoot() }
    /// Per-sample white-noise standard deviation of the accelerometer at `rateHz`, m/s².
    public func accelerometerNoiseSigma(rateHz: Double) -> Double { accelerometerNoiseDensity * (rateHz / 2).squareRoot() }
}

/// A random walk per axis: each step adds N(0, (K·√Δt)²), so after t seconds its standard
/// deviation is K·√t. Starts at zero.
public struct RandomWalk: Sendable {
    public let stepSigma: Double
    public private(set) var value = SIMD3<Double>()

    /// - Parameters:
    ///   - density: K, units per √s (≥ 0).
    ///   - stepSeconds: Δt between steps, seconds (> 0).
    public init(density: Double, stepSeconds: Double) {
        stepSigma = density * stepSeconds.squareRoot()
    }

    public mutating func step(_ random: inout SplitMix64) {
        guard stepSigma > 0 else { return }
        value += random.nextGaussian3() * stepSigma
    }
}

/// What an IMU on a segment reports, sample by sample: the exact motion through `ImuNoise`.
/// Deterministic for a seed. Its angle and quaternion outputs (a WitMotion's on-board fusion)
/// are the exact orientation.
public struct ImuSignal: Sendable {
    public let noise: ImuNoise
    public let rateHz: Double
    private var random: SplitMix64
    private let constantBias: (gyroscope: SIMD3<Double>, accelerometer: SIMD3<Double>, magnetometer: SIMD3<Double>)
    private let scale: (gyroscope: SIMD3<Double>, accelerometer: SIMD3<Double>)
    private var gyroscopeDrift: RandomWalk
    private var accelerometerDrift: RandomWalk
    private var samples = 0

    /// - Parameters:
    ///   - rateHz: samples per second (the simulator's 100–1000 Hz; > 0).
    public init(noise: ImuNoise = .consumerMEMS, rateHz: Double, seed: UInt64 = 11) {
        self.noise = noise
        self.rateHz = rateHz
        var random = SplitMix64(seed: seed)
        func draw(_ sigma: Double) -> SIMD3<Double> { sigma > 0 ? random.nextGaussian3() * sigma : SIMD3() }
        constantBias = (draw(noise.gyroscopeBiasSigma), draw(noise.accelerometerBiasSigma), draw(noise.magnetometerBiasSigma))
        scale = (1 + draw(noise.gyroscopeScaleSigma), 1 + draw(noise.accelerometerScaleSigma))
        self.random = random
        gyroscopeDrift = RandomWalk(density: noise.gyroscopeBiasRandomWalk, stepSeconds: 1 / rateHz)
        accelerometerDrift = RandomWalk(density: noise.accelerometerBiasRandomWalk, stepSeconds: 1 / rateHz)
    }

    /// The gyroscope's bias now (constant + drift), rad/s.
    public var gyroscopeBiasRadiansPerSecond: SIMD3<Double> { constantBias.gyroscope + gyroscopeDrift.value }
    /// The accelerometer's bias now (constant + drift), m/s².
    public var accelerometerBiasMetresPerSecondSquared: SIMD3<Double> { constantBias.accelerometer + accelerometerDrift.value }

    /// The next sample: the sensor's reading of `motion` at `timeSeconds`. Gyroscope rad/s,
    /// accelerometer m/s², magnetometer µT; angles are roll (frontal), pitch, yaw of the z-y-x
    /// sequence, radians; orientation (w, x, y, z) sensor → earth.
    public mutating func sample(for motion: SegmentMotion, timeSeconds: Double) -> ImuSample {
        if samples > 0 {
            gyroscopeDrift.step(&random)
            accelerometerDrift.step(&random)
        }
        samples += 1
        func white(_ sigma: Double) -> SIMD3<Double> { sigma > 0 ? random.nextGaussian3() * sigma : SIMD3() }
        let gyroscope = scale.gyroscope * (motion.angularVelocityRadiansPerSecond + gyroscopeBiasRadiansPerSecond)
            + white(noise.gyroscopeNoiseSigma(rateHz: rateHz))
        let accelerometer = scale.accelerometer * (motion.specificForceMetresPerSecondSquared + accelerometerBiasMetresPerSecondSquared)
            + white(noise.accelerometerNoiseSigma(rateHz: rateHz))
        let magnetometer = motion.magneticFieldMicroteslas + constantBias.magnetometer + white(noise.magnetometerNoiseMicroteslas)
        let q = motion.orientation
        return ImuSample(accelerationMetresPerSecondSquared: accelerometer, angularVelocityRadiansPerSecond: gyroscope,
                         magneticField: magnetometer, eulerAnglesRadians: q.rollPitchYawRadians,
                         orientation: SIMD4(q.w, q.x, q.y, q.z), temperatureCelsius: 31.5,
                         deviceTimeMicroseconds: UInt64((timeSeconds * 1e6).rounded()))
    }
}

extension SplitMix64 {
    /// Three independent standard normal deviates.
    mutating func nextGaussian3() -> SIMD3<Double> { SIMD3(nextGaussian(), nextGaussian(), nextGaussian()) }
}
