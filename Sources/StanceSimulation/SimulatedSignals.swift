import StanceDSP

/// Turns ground truth into what sensors report: load-cell forces with noise, and IMU readings
/// through `ImuNoise`. Deterministic for a seed.
public struct SensorNoise: Sendable, Equatable {
    /// Standard deviation of each load cell's noise, newtons.
    public var cellNewtons = 0.5
    /// The IMUs' error model.
    public var imu = ImuNoise.consumerMEMS

    public init() {}

    /// No noise at all: sensors report the ground truth exactly.
    public static var none: SensorNoise {
        var noise = SensorNoise()
        noise.cellNewtons = 0
        noise.imu = .none
        return noise
    }
}

/// The eight cells of a dual plate for a simulated instant: each foot's force split over its
/// plate's cells so that they reproduce the foot's COP exactly (bilinear weights), plus noise.
public struct DualPlateSignal: Sendable {
    public let geometry: PlateGeometry
    public let noise: SensorNoise
    private var random: SplitMix64

    public init(geometry: PlateGeometry = .wiiBalanceBoard, noise: SensorNoise = SensorNoise(), seed: UInt64 = 7) {
        self.geometry = geometry
        self.noise = noise
        random = SplitMix64(seed: seed)
    }

    /// The four cell forces (TL, TR, BL, BR, newtons) that put `forceNewtons` at `copMetres`.
    public func cells(forceNewtons: Double, copMetres: SIMD2<Double>) -> SIMD4<Double> {
        let u = copMetres.x / geometry.cellXMetres[1]
        let v = copMetres.y / geometry.cellYMetres[0]
        return forceNewtons / 4 * SIMD4((1 - u) * (1 + v), (1 + u) * (1 + v), (1 - u) * (1 - v), (1 + u) * (1 - v))
    }

    /// Cells of both plates, newtons: left TL TR BL BR, right TL TR BL BR.
    public mutating func cells(for instant: SimulatedInstant) -> SIMD8<Double> {
        var frame = SIMD8(lowHalf: cells(forceNewtons: instant.leftForceNewtons, copMetres: instant.leftCopMetres),
                          highHalf: cells(forceNewtons: instant.rightForceNewtons, copMetres: instant.rightCopMetres))
        if noise.cellNewtons > 0 {
            for lane in 0..<8 { frame[lane] += noise.cellNewtons * random.nextGaussian() }
        }
        return frame
    }
}
