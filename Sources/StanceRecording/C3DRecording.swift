import StanceDSP

/// A trial for a C3D file: analog channels sampled at one rate, the force plates whose cells are
/// among those channels, and labelled events. `encoded()` gives the file's bytes; `C3DFile`
/// writes them. The layout and its sources are in `docs/recording.md`, "C3D layout".
public struct C3DRecording: Sendable, Equatable {
    /// Analog sampling rate, hertz (> 0).
    public var analogRateHz: Double
    /// Analog samples per C3D frame (≥ 1): POINT:RATE = `analogRateHz / analogSamplesPerFrame`.
    /// The sample count must be a whole number of frames.
    public var analogSamplesPerFrame: Int
    /// The recorded channels, in file order. The encoder appends six Type-2 channels per plate.
    public var channels: [C3DAnalogChannel]
    /// Sample-major values: sample `i`, channel `c` is `samples[i * channels.count + c]`, in the
    /// channel's unit.
    public var samples: [Float]
    public var plates: [C3DForcePlate]
    public var events: [C3DEvent]

    public init(
        analogRateHz: Double, analogSamplesPerFrame: Int = 1, channels: [C3DAnalogChannel], samples: [Float],
        plates: [C3DForcePlate] = [], events: [C3DEvent] = []
    ) {
        self.analogRateHz = analogRateHz
        self.analogSamplesPerFrame = analogSamplesPerFrame
        self.channels = channels
        self.samples = samples
        self.plates = plates
        self.events = events
    }

    /// Analog samples per channel.
    public var sampleCount: Int { channels.isEmpty ? 0 : samples.count / channels.count }
}

/// One analog channel as C3D labels it.
public struct C3DAnalogChannel: Sendable, Equatable {
    /// ANALOG:LABELS entry, e.g. `left_tl`.
    public var label: String
    /// ANALOG:UNITS entry, e.g. `N`.
    public var unit: String
    /// ANALOG:DESCRIPTIONS entry.
    public var description: String

    public init(label: String, unit: String, description: String = "") {
        self.label = label
        self.unit = unit
        self.description = description
    }
}

/// A plate of four vertical load cells, written as a C3D Type-2 force platform.
public struct C3DForcePlate: Sendable, Equatable {
    /// Prefix of the plate's derived channel labels (`left` → `left_Fx` … `left_Mz`).
    public var name: String
    /// Cell positions in the plate's frame (origin at the plate centre).
    public var geometry: PlateGeometry
    /// The plate centre in the lab frame (x to the subject's right, y forward, z up), metres.
    public var centreMetres: SIMD2<Double>
    /// Indices into `C3DRecording.channels` of the TL, TR, BL, BR cell forces, newtons.
    public var cellChannels: [Int]

    public init(name: String, geometry: PlateGeometry, centreMetres: SIMD2<Double>, cellChannels: [Int]) {
        self.name = name
        self.geometry = geometry
        self.centreMetres = centreMetres
        self.cellChannels = cellChannels
    }
}

/// A labelled instant, written to the EVENT group.
public struct C3DEvent: Sendable, Equatable {
    public var label: String
    /// Time from the first sample (frame 1 is 0 s), seconds, ≥ 0.
    public var seconds: Double
    /// EVENT:CONTEXTS entry: `General`, `Left` or `Right` by the usual convention.
    public var context: String
    public var description: String

    public init(label: String, seconds: Double, context: String = "General", description: String = "") {
        self.label = label
        self.seconds = seconds
        self.context = context
        self.description = description
    }
}

extension C3DRecording {
    /// A dual-plate trial: the eight cell channels `left_tl` … `right_br` (newtons) and a force
    /// platform per plate, centred at x = ∓ spacing / 2 as `DualPlateLayout` places them, so that
    /// a reader's lab frame is the combined frame of `DualPlateReading`.
    /// - Parameter cellsNewtons: one frame per sample, left TL TR BL BR, right TL TR BL BR.
    public init(
        dualPlate cellsNewtons: [SIMD8<Double>], rateHz: Double, layout: DualPlateLayout = DualPlateLayout(),
        analogSamplesPerFrame: Int = 1, events: [C3DEvent] = []
    ) {
        let cellNames = ["tl", "tr", "bl", "br"]
        var channels: [C3DAnalogChannel] = []
        for side in ["left", "right"] {
            for cell in cellNames {
                channels.append(C3DAnalogChannel(label: "\(side)_\(cell)", unit: "N", description: "\(side) plate \(cell.uppercased()) cell force"))
            }
        }
        var samples: [Float] = []
        samples.reserveCapacity(cellsNewtons.count * 8)
        for frame in cellsNewtons {
            for lane in 0..<8 { samples.append(Float(frame[lane])) }
        }
        let half = layout.spacingMetres / 2
        self.init(
            analogRateHz: rateHz, analogSamplesPerFrame: analogSamplesPerFrame, channels: channels, samples: samples,
            plates: [
                C3DForcePlate(name: "left", geometry: layout.left, centreMetres: SIMD2(-half, 0), cellChannels: [0, 1, 2, 3]),
                C3DForcePlate(name: "right", geometry: layout.right, centreMetres: SIMD2(half, 0), cellChannels: [4, 5, 6, 7]),
            ],
            events: events
        )
    }
}
