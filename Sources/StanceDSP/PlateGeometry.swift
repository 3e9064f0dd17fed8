/// Where a plate's four load cells sit, in the plate's own frame: origin at the plate centre,
/// x medio-lateral (positive to the subject's right), y antero-posterior (positive forward), metres.
/// Lanes are ordered top-left, top-right, bottom-left, bottom-right (TL, TR, BL, BR).
public struct PlateGeometry: Sendable, Equatable {
    /// x of TL, TR, BL, BR, metres.
    public var cellXMetres: SIMD4<Double>
    /// y of TL, TR, BL, BR, metres.
    public var cellYMetres: SIMD4<Double>

    public init(cellXMetres: SIMD4<Double>, cellYMetres: SIMD4<Double>) {
        self.cellXMetres = cellXMetres
        self.cellYMetres = cellYMetres
    }

    /// A rectangle of cells at x = ±`halfWidthMetres`, y = ±`halfDepthMetres`.
    public init(halfWidthMetres: Double, halfDepthMetres: Double) {
        self.init(
            cellXMetres: SIMD4(-halfWidthMetres, halfWidthMetres, -halfWidthMetres, halfWidthMetres),
            cellYMetres: SIMD4(halfDepthMetres, halfDepthMetres, -halfDepthMetres, -halfDepthMetres)
        )
    }

    /// The Wii Balance Board: cells at x = ±216.5 mm, y = ±119 mm.
    public static let wiiBalanceBoard = PlateGeometry(halfWidthMetres: 0.2165, halfDepthMetres: 0.119)
}

/// One plate at one instant: its vertical force and, when loaded enough, its centre of pressure.
public struct PlateReading: Sendable, Equatable {
    /// Vertical force, newtons (sum of the cells; may be slightly negative from noise after tare).
    public var forceNewtons: Double
    /// Centre of pressure in the plate's frame, metres; `nil` while the force is below the
    /// threshold (the COP of an unloaded plate is noise divided by nearly zero).
    public var copMetres: SIMD2<Double>?

    public init(forceNewtons: Double, copMetres: SIMD2<Double>?) {
        self.forceNewtons = forceNewtons
        self.copMetres = copMetres
    }
}

extension PlateGeometry {
    /// Force and COP from the four cell forces (newtons, TL TR BL BR).
    /// - Parameter thresholdNewtons: below this total the COP is undefined (default 20 N).
    @inlinable
    public func reading(cellForcesNewtons f: SIMD4<Double>, thresholdNewtons: Double = 20) -> PlateReading {
        let force = f.sum()
        guard force >= thresholdNewtons else { return PlateReading(forceNewtons: force, copMetres: nil) }
        let cop = SIMD2((f * cellXMetres).sum(), (f * cellYMetres).sum()) / force
        return PlateReading(forceNewtons: force, copMetres: cop)
    }
}
