/// Linear calibration of a group of load cells, one lane per cell:
/// `force = gain × (raw − offset) − tare`.
///
/// `gain` is in newtons per raw unit (counts, kg-units, volts…), `offset` in raw units (the reading
/// at zero load from the calibration), `tare` in newtons (set by ``TareEstimator``).
public struct LoadCellCalibration<Lanes: SIMD>: Equatable where Lanes.Scalar == Double {
    public var gainNewtonsPerUnit: Lanes
    public var offsetUnits: Lanes
    public var tareNewtons: Lanes

    /// - Parameters:
    ///   - gainNewtonsPerUnit: newtons per raw unit, per cell.
    ///   - offsetUnits: raw reading at zero load, per cell.
    ///   - tareNewtons: force subtracted after scaling, per cell; zero until a tare is taken.
    public init(gainNewtonsPerUnit: Lanes, offsetUnits: Lanes = Lanes(), tareNewtons: Lanes = Lanes()) {
        self.gainNewtonsPerUnit = gainNewtonsPerUnit
        self.offsetUnits = offsetUnits
        self.tareNewtons = tareNewtons
    }

    /// Cells that already read newtons: gain 1, no offset, no tare.
    public static var identity: LoadCellCalibration {
        LoadCellCalibration(gainNewtonsPerUnit: Lanes(repeating: 1))
    }

    /// Cells that read kilograms (as the Wii Balance Board through `hid-wiimote`, in units of
    /// 0.01 kg): newtons per unit = `kilogramsPerUnit` × standard gravity (9.80665 m/s²).
    public static func kilograms(perUnit kilogramsPerUnit: Double) -> LoadCellCalibration {
        LoadCellCalibration(gainNewtonsPerUnit: Lanes(repeating: kilogramsPerUnit * standardGravity))
    }

    /// Calibrated force of every cell, in newtons.
    @inlinable @inline(__always)
    public func forceNewtons(raw: Lanes) -> Lanes {
        (raw - offsetUnits) * gainNewtonsPerUnit - tareNewtons
    }
}

/// Standard gravity, m/s² (CGPM 1901).
public let standardGravity = 9.80665

extension LoadCellCalibration: Sendable where Lanes: Sendable {}
