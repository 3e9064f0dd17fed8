import StanceDSP

/// A plate of four vertical load cells as a C3D Type-2 force platform (C3D User Guide,
/// https://www.c3d.org/HTML/Documents/, "FORCE_PLATFORM:TYPE", Type-2: six channels FX FY FZ MX MY
/// MZ, forces and the moments about the plate origin, in the plate's frame).
///
/// Why Type 2: a reader computes the centre of pressure as (−MY / FZ, MX / FZ) in the plate frame
/// and adds the centre of the corners (ezc3d `src/modules/ForcePlatforms.cpp`). With FZ = Σ fᵢ,
/// MX = Σ yᵢ fᵢ and MY = −Σ xᵢ fᵢ that is (Σ xᵢ fᵢ / Σ fᵢ, Σ yᵢ fᵢ / Σ fᵢ):
/// `PlateGeometry.reading`'s COP, for any cell layout. Type 3 (Kistler, four FZ channels) would
/// let readers use the cells directly, but its formula assumes cells at (±a, ±b), which
/// `PlateGeometry` does not promise, and readers differ on its ORIGIN and COP corrections. Type 4
/// adds only a calibration matrix the cells do not need.
///
/// Frame: the plate frame is the lab frame moved to the plate centre (x right, y forward, z up), so
/// the corners run +x+y, −x+y, −x−y, +x−y (the guide's quadrant order) and a reader's rotation is
/// the identity. FZ is the vertical ground reaction, positive under load; the cells measure no
/// shear, so FX = FY = 0 and the free moment MZ = 0. ORIGIN is (0, 0, 0): the moments are about
/// the centre of the top surface. Lengths are millimetres (POINT:UNITS `mm`), moments N·mm.
struct C3DType2Plate {
    var plate: C3DForcePlate
    /// Cell positions in the plate frame, millimetres.
    var cellX: SIMD4<Double>
    var cellY: SIMD4<Double>

    static let channelSuffixes = ["Fx", "Fy", "Fz", "Mx", "My", "Mz"]
    static let channelUnits = ["N", "N", "N", "Nmm", "Nmm", "Nmm"]

    init(_ plate: C3DForcePlate, channelCount: Int) throws(C3DError) {
        guard plate.cellChannels.count == 4, plate.cellChannels.allSatisfy({ (0..<channelCount).contains($0) }) else {
            throw .cellChannels(plate: plate.name, plate.cellChannels)
        }
        self.plate = plate
        cellX = plate.geometry.cellXMetres * 1000
        cellY = plate.geometry.cellYMetres * 1000
        guard halfExtent.x > 0, halfExtent.y > 0 else { throw .flatPlate(plate.name) }
    }

    /// Half width and half depth of the corners' rectangle, mm: the smallest centred rectangle that
    /// holds the cells (Stance knows where the cells are, not the plate's outer edge; only the
    /// corners' centre and orientation enter a reader's COP).
    var halfExtent: SIMD2<Double> {
        SIMD2(max(abs(cellX.min()), abs(cellX.max())), max(abs(cellY.min()), abs(cellY.max())))
    }

    /// FORCE_PLATFORM:CORNERS of this plate: four (x, y, z) in the lab frame, mm, quadrant order.
    var corners: [Float] {
        let centre = plate.centreMetres * 1000
        let h = halfExtent
        return [SIMD2(h.x, h.y), SIMD2(-h.x, h.y), SIMD2(-h.x, -h.y), SIMD2(h.x, -h.y)].flatMap { corner -> [Float] in
            let lab = centre + corner
            return [Float(lab.x), Float(lab.y), 0]
        }
    }

    /// FX FY FZ MX MY MZ from the four cell forces (newtons, TL TR BL BR).
    func channels(cellForces f: SIMD4<Double>) -> [Float] {
        [0, 0, Float(f.sum()), Float((cellY * f).sum()), Float(-(cellX * f).sum()), 0]
    }

    /// The cell forces of sample `sample` of `recording`, newtons.
    func cellForces(_ recording: C3DRecording, sample: Int) -> SIMD4<Double> {
        let base = sample * recording.channels.count
        let c = plate.cellChannels
        return SIMD4(
            Double(recording.samples[base + c[0]]), Double(recording.samples[base + c[1]]),
            Double(recording.samples[base + c[2]]), Double(recording.samples[base + c[3]])
        )
    }
}
