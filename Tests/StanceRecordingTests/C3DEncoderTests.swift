import Foundation
import StanceDSP
import StanceRecording
import Testing

@Suite("C3D file structure")
struct C3DEncoderTests {
    /// 2 plates, 100 samples at 1000 Hz, 10 per frame; cell c of sample i holds i + 0.25 c.
    static func dualPlate(events: [C3DEvent] = []) -> C3DRecording {
        let cells = (0..<100).map { i in SIMD8<Double>((0..<8).map { Double(i) + 0.25 * Double($0) }) }
        return C3DRecording(dualPlate: cells, rateHz: 1000, analogSamplesPerFrame: 10, events: events)
    }

    @Test("header: parameters at block 2, key 0x50, float scale, frame count, rate and data block")
    func header() throws {
        let file = C3DTestReader(try Self.dualPlate().encoded())
        #expect(file.bytes[0] == 2)
        #expect(file.bytes[1] == 0x50)
        #expect(file.word(2) == 0)
        #expect(file.word(3) == 20 * 10)
        #expect(file.word(4) == 1)
        #expect(file.word(5) == 10)
        #expect(file.headerFloat(7) == -1)
        #expect(file.word(10) == 10)
        #expect(file.headerFloat(11) == 100)
        #expect(file.word(150) == 12345)
        #expect(file.word(151) == 0)
    }

    @Test("parameter section: 4-byte header with its block count and processor 84; data start after it")
    func parameterSection() throws {
        let bytes = try Self.dualPlate().encoded()
        let file = C3DTestReader(bytes)
        #expect(bytes[512 + 3] == 84)
        let blocks = Int(bytes[512 + 2])
        #expect(blocks >= 1)
        #expect(file.word(9) == 2 + blocks)
        #expect(file.integers("POINT:DATA_START") == [2 + blocks])
        #expect(bytes.count == (1 + blocks) * 512 + 100 * 20 * 4)
        #expect(Set(file.groupDescriptions.keys) == ["POINT", "ANALOG", "FORCE_PLATFORM", "TRIAL", "EVENT", "MANUFACTURER"])
    }

    @Test("POINT and ANALOG: no points, float scale, rates 100 and 1000 Hz, labels and units of 20 channels")
    func pointAndAnalog() throws {
        let file = C3DTestReader(try Self.dualPlate().encoded())
        #expect(file.integers("POINT:USED") == [0])
        #expect(file.floats("POINT:RATE") == [100])
        #expect(file.integers("POINT:FRAMES") == [10])
        #expect(file.floats("POINT:SCALE") == [-1])
        #expect(file.strings("POINT:UNITS") == ["mm"])
        #expect(file.integers("ANALOG:USED") == [20])
        #expect(file.floats("ANALOG:RATE") == [1000])
        let labels = file.strings("ANALOG:LABELS")
        #expect(labels.prefix(8) == ["left_tl", "left_tr", "left_bl", "left_br", "right_tl", "right_tr", "right_bl", "right_br"])
        #expect(labels.suffix(12) == ["left_Fx", "left_Fy", "left_Fz", "left_Mx", "left_My", "left_Mz",
                                      "right_Fx", "right_Fy", "right_Fz", "right_Mx", "right_My", "right_Mz"])
        #expect(file.strings("ANALOG:UNITS") == Array(repeating: "N", count: 8) + Array(repeating: ["N", "N", "N", "Nmm", "Nmm", "Nmm"], count: 2).flatMap { $0 })
        #expect(file.floats("ANALOG:SCALE") == Array(repeating: 1, count: 20))
        #expect(file.integers("ANALOG:OFFSET") == Array(repeating: 0, count: 20))
        #expect(file.floats("ANALOG:GEN_SCALE") == [1])
        #expect(file.strings("ANALOG:FORMAT") == ["SIGNED"])
    }

    @Test("data: every sample's cells as recorded, then each plate's FZ as their sum")
    func data() throws {
        let file = C3DTestReader(try Self.dualPlate().encoded())
        for sample in [0, 9, 10, 57, 99] {
            for cell in 0..<8 { #expect(file.analog(sample: sample, channel: cell) == Float(sample) + 0.25 * Float(cell)) }
            #expect(file.analog(sample: sample, channel: 10) == 4 * Float(sample) + 1.5)
            #expect(file.analog(sample: sample, channel: 16) == 4 * Float(sample) + 5.5)
            #expect(file.analog(sample: sample, channel: 8) == 0)
            #expect(file.analog(sample: sample, channel: 13) == 0)
        }
    }

    @Test("FORCE_PLATFORM: two Type-2 plates, channels 9–20, Wii Balance Board corners at x ∓ 225 mm")
    func forcePlatform() throws {
        let file = C3DTestReader(try Self.dualPlate().encoded())
        #expect(file.integers("FORCE_PLATFORM:USED") == [2])
        #expect(file.integers("FORCE_PLATFORM:TYPE") == [2, 2])
        #expect(file.integers("FORCE_PLATFORM:CHANNEL") == Array(9...20))
        #expect(file.parameters["FORCE_PLATFORM:CHANNEL"]?.dimensions == [6, 2])
        #expect(file.parameters["FORCE_PLATFORM:CORNERS"]?.dimensions == [3, 4, 2])
        #expect(file.floats("FORCE_PLATFORM:ORIGIN") == Array(repeating: 0, count: 6))
        let left: [Float] = [-225 + 216.5, 119, 0, -225 - 216.5, 119, 0, -225 - 216.5, -119, 0, -225 + 216.5, -119, 0]
        let right: [Float] = [225 + 216.5, 119, 0, 225 - 216.5, 119, 0, 225 - 216.5, -119, 0, 225 + 216.5, -119, 0]
        #expect(file.floats("FORCE_PLATFORM:CORNERS") == left + right)
    }

    @Test("EVENT: labels, contexts and times as [minutes, seconds] from frame 1")
    func events() throws {
        let events = [C3DEvent(label: "session start", seconds: 0), C3DEvent(label: "mark é", seconds: 75.5, context: "Left")]
        let file = C3DTestReader(try Self.dualPlate(events: events).encoded())
        #expect(file.integers("EVENT:USED") == [2])
        #expect(file.strings("EVENT:LABELS") == ["session start", "mark é"])
        #expect(file.strings("EVENT:CONTEXTS") == ["General", "Left"])
        #expect(file.floats("EVENT:TIMES") == [0, 0, 1, 15.5])
        #expect(file.parameters["EVENT:TIMES"]?.dimensions == [2, 2])
    }

    @Test("no events: EVENT holds USED = 0 only")
    func noEvents() throws {
        let file = C3DTestReader(try Self.dualPlate().encoded())
        #expect(file.integers("EVENT:USED") == [0])
        #expect(file.parameters["EVENT:LABELS"] == nil)
    }

    @Test("40000 frames: POINT:FRAMES and header word 5 unsigned")
    func unsignedFrames() throws {
        let frames = 40000
        let recording = C3DRecording(analogRateHz: 1000, channels: [C3DAnalogChannel(label: "x", unit: "V")],
                                     samples: (0..<frames).map { Float($0) })
        let file = C3DTestReader(try recording.encoded())
        #expect(file.integers("POINT:FRAMES").map { UInt16(truncatingIfNeeded: $0) } == [40000])
        #expect(file.word(5) == 40000)
        #expect(file.integers("TRIAL:ACTUAL_END_FIELD").map { UInt16(truncatingIfNeeded: $0) } == [40000, 0])
    }

    @Test("70000 frames: POINT:FRAMES and header word 5 at 65535, TRIAL fields as low and high words")
    func longTrial() throws {
        let recording = C3DRecording(analogRateHz: 1000, channels: [C3DAnalogChannel(label: "x", unit: "V")],
                                     samples: (0..<70000).map { Float($0) })
        let bytes = try recording.encoded()
        let file = C3DTestReader(bytes)
        #expect(file.integers("POINT:FRAMES").map { UInt16(truncatingIfNeeded: $0) } == [65535])
        #expect(bytes.count == (file.word(9) - 1) * 512 + 70000 * 4)
        #expect(file.word(5) == 65535)
        #expect(file.integers("TRIAL:ACTUAL_START_FIELD") == [1, 0])
        #expect(file.integers("TRIAL:ACTUAL_END_FIELD").map { UInt16(truncatingIfNeeded: $0) } == [UInt16(70000 & 0xFFFF), 1])
        #expect(file.analog(sample: 69999, channel: 0) == 69999)
        #expect(file.integers("FORCE_PLATFORM:USED") == [0])
    }

    @Test("a rate whose quotient rounds low still gives readers the samples per frame")
    func awkwardRate() throws {
        for rate in [96.15, 100.0 / 3, 1000, 80, 1234.567] {
            let recording = C3DRecording(analogRateHz: rate, analogSamplesPerFrame: 10,
                                         channels: [C3DAnalogChannel(label: "x", unit: "V")], samples: Array(repeating: 1, count: 20))
            let file = C3DTestReader(try recording.encoded())
            let analog = Double(file.floats("ANALOG:RATE")[0]), point = Double(file.floats("POINT:RATE")[0])
            #expect(Int(analog / point) == 10, "\(rate) Hz")
            #expect(abs(point - rate / 10) < 1e-5 * rate)
        }
    }

    @Test("recordings the format cannot hold are refused with the reason")
    func refusals() {
        let channel = C3DAnalogChannel(label: "x", unit: "N")
        #expect(throws: C3DError.partialFrame(samples: 15, samplesPerFrame: 10)) {
            try C3DRecording(analogRateHz: 100, analogSamplesPerFrame: 10, channels: [channel], samples: Array(repeating: 0, count: 15)).encoded()
        }
        #expect(throws: C3DError.valueCount(values: 3, channels: 2)) {
            try C3DRecording(analogRateHz: 100, channels: [channel, channel], samples: [1, 2, 3]).encoded()
        }
        let plate = C3DForcePlate(name: "p", geometry: .wiiBalanceBoard, centreMetres: .zero, cellChannels: [0, 1, 2, 4])
        #expect(throws: C3DError.cellChannels(plate: "p", [0, 1, 2, 4])) {
            try C3DRecording(analogRateHz: 100, channels: Array(repeating: channel, count: 4), samples: Array(repeating: 0, count: 4), plates: [plate]).encoded()
        }
        let line = C3DForcePlate(name: "line", geometry: PlateGeometry(halfWidthMetres: 0.2, halfDepthMetres: 0), centreMetres: .zero, cellChannels: [0, 1, 2, 3])
        #expect(throws: C3DError.flatPlate("line")) {
            try C3DRecording(analogRateHz: 100, channels: Array(repeating: channel, count: 4), samples: Array(repeating: 0, count: 4), plates: [line]).encoded()
        }
        #expect(throws: C3DError.eventTime(label: "early", seconds: -1)) {
            try C3DRecording(analogRateHz: 100, channels: [channel], samples: [0], events: [C3DEvent(label: "early", seconds: -1)]).encoded()
        }
    }

    @Test("C3DFile writes the encoded bytes, and never over an existing file: the error names path and reason")
    func file() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-c3d-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("trial.c3d").path
        let recording = Self.dualPlate()
        try C3DFile.write(recording, to: path)
        #expect(try WholeFile.read(path) == recording.encoded())
        let error = #expect(throws: C3DFileError.self) { try C3DFile.write(recording, to: path) }
        #expect(error?.description == "\(path): create failed: File exists")
    }
}
