/// Two plates side by side, one under each foot: the left plate centred at x = −spacing/2, the
/// right at +spacing/2, y = 0 (the combined frame's origin is midway between the plate centres).
public struct DualPlateLayout: Sendable, Equatable {
    public var left: PlateGeometry
    public var right: PlateGeometry
    /// Centre-to-centre distance of the plates, metres (default 0.450 m).
    public var spacingMetres: Double
    /// Force below which a plate's COP is undefined, newtons (default 20 N).
    public var thresholdNewtons: Double

    public init(
        left: PlateGeometry = .wiiBalanceBoard, right: PlateGeometry = .wiiBalanceBoard,
        spacingMetres: Double = 0.450, thresholdNewtons: Double = 20
    ) {
        self.left = left
        self.right = right
        self.spacingMetres = spacingMetres
        self.thresholdNewtons = thresholdNewtons
    }

    /// Both plates and the whole-body numbers from the eight cell forces (newtons), lanes ordered
    /// left TL, TR, BL, BR, right TL, TR, BL, BR.
    @inlinable
    public func reading(cellForcesNewtons cells: SIMD8<Double>) -> DualPlateReading {
        let left = left.reading(cellForcesNewtons: cells.lowHalf, thresholdNewtons: thresholdNewtons)
        let right = right.reading(cellForcesNewtons: cells.highHalf, thresholdNewtons: thresholdNewtons)
        return DualPlateReading(left: left, right: right, spacingMetres: spacingMetres)
    }
}

/// Both plates at one instant, and what they say together.
public struct DualPlateReading: Sendable, Equatable {
    public var left: PlateReading
    public var right: PlateReading
    /// Centre-to-centre distance of the plates, metres.
    public var spacingMetres: Double
    /// Force-weighted mean of the plates' COPs that are defined, combined frame, metres; `nil` when
    /// neither plate is loaded above the threshold.
    public var combinedCopMetres: SIMD2<Double>?

    @inlinable
    public init(left: PlateReading, right: PlateReading, spacingMetres: Double) {
        self.left = left
        self.right = right
        self.spacingMetres = spacingMetres
        let half = SIMD2(spacingMetres / 2, 0)
        switch (left.copMetres.map { $0 - half }, right.copMetres.map { $0 + half }) {
        case let (l?, r?):
            combinedCopMetres = (l * left.forceNewtons + r * right.forceNewtons)
                / (left.forceNewtons + right.forceNewtons)
        case let (l?, nil): combinedCopMetres = l
        case let (nil, r?): combinedCopMetres = r
        case (nil, nil): combinedCopMetres = nil
        }
    }

    /// Left plate COP in the combined frame, metres (`nil` when undefined).
    public var leftGlobalCopMetres: SIMD2<Double>? { left.copMetres.map { $0 - SIMD2(spacingMetres / 2, 0) } }

    /// Right plate COP in the combined frame, metres (`nil` when undefined).
    public var rightGlobalCopMetres: SIMD2<Double>? { right.copMetres.map { $0 + SIMD2(spacingMetres / 2, 0) } }

    /// Total vertical force, newtons.
    public var totalForceNewtons: Double { left.forceNewtons + right.forceNewtons }

    /// Share of the total force on the left plate, percent (0…100); `nil` when the total is not
    /// positive.
    public var leftPercent: Double? {
        totalForceNewtons > 0 ? 100 * left.forceNewtons / totalForceNewtons : nil
    }

    /// Weight shift: the combined COP's medio-lateral position, metres (positive = towards the
    /// right foot); `nil` when no plate is loaded.
    public var weightShiftMetres: Double? { combinedCopMetres?.x }
}
