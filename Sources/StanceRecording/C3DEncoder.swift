extension C3DRecording {
    /// The whole C3D file: the header block, the parameter section from block 2, then the data
    /// section from the next block to the end of the file. Data are Intel floats: per frame, per analog
    /// sample, every channel (the recorded ones, then FX FY FZ MX MY MZ of each plate), written as
    /// recorded with SCALE 1, OFFSET 0 and GEN_SCALE 1, so a reader's value is the stored one.
    public func encoded() throws(C3DError) -> [UInt8] {
        let layout = try C3DLayout(self)
        var groups = layout.groups(self, dataStartBlock: 0)
        let parameterBlocks = try C3DParameters.encode(groups).count / C3DHeader.blockSize
        let dataStartBlock = 2 + parameterBlocks
        groups = layout.groups(self, dataStartBlock: dataStartBlock)

        var bytes = C3DHeader(
            analogValuesPerFrame: layout.channelCount * analogSamplesPerFrame, frameCount: layout.frameCount,
            dataStartBlock: dataStartBlock, analogSamplesPerFrame: analogSamplesPerFrame, frameRateHz: layout.pointRate
        ).bytes
        bytes += try C3DParameters.encode(groups)
        appendData(layout, to: &bytes)
        return bytes
    }

    private func appendData(_ layout: C3DLayout, to bytes: inout [UInt8]) {
        // Not padded to a whole block: beyond 65535 frames ezc3d counts the frames to the end of
        // the file, and padding would read as extra frames.
        var offset = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: sampleCount * layout.channelCount * 4))
        bytes.withUnsafeMutableBytes { raw in
            func store(_ value: Float) {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
            }
            for sample in 0..<sampleCount {
                for value in samples[(sample * channels.count)..<((sample + 1) * channels.count)] { store(value) }
                for plate in layout.plates {
                    for value in plate.channels(cellForces: plate.cellForces(self, sample: sample)) { store(value) }
                }
            }
        }
    }
}

/// What the encoder derives from a recording once it has checked it: counts, rates, plates.
struct C3DLayout {
    var plates: [C3DType2Plate]
    /// Recorded plus derived channels.
    var channelCount: Int
    var frameCount: Int
    var analogRate: Float
    var pointRate: Float

    init(_ recording: C3DRecording) throws(C3DError) {
        let channels = recording.channels.count
        guard channels > 0 else { throw .noChannels }
        guard recording.analogRateHz.isFinite, recording.analogRateHz > 0 else { throw .badRate(recording.analogRateHz) }
        let perFrame = recording.analogSamplesPerFrame
        guard perFrame >= 1 else { throw .badSamplesPerFrame(perFrame) }
        guard recording.samples.count % channels == 0 else { throw .valueCount(values: recording.samples.count, channels: channels) }
        let samples = recording.sampleCount
        guard samples > 0, samples % perFrame == 0 else { throw .partialFrame(samples: samples, samplesPerFrame: perFrame) }
        frameCount = samples / perFrame
        // TRIAL:ACTUAL_END_FIELD holds the count in two 16-bit words; readers take the high one signed.
        guard frameCount <= Int(Int32.max) else { throw .tooManyFrames(frameCount) }
        plates = []
        for plate in recording.plates { plates.append(try C3DType2Plate(plate, channelCount: channels)) }
        channelCount = channels + 6 * plates.count
        guard channelCount <= 255 else { throw .tooManyChannels(channelCount) }
        guard recording.events.count <= 255 else { throw .tooManyEvents(recording.events.count) }
        for event in recording.events where !(event.seconds.isFinite && event.seconds >= 0) {
            throw .eventTime(label: event.label, seconds: event.seconds)
        }
        analogRate = Float(recording.analogRateHz)
        // Readers take the samples per frame as ANALOG:RATE / POINT:RATE truncated (ezc3d does):
        // nudge the point rate down an ulp if rounding left the quotient a hair under the count.
        var pointRate = Float(Double(analogRate) / Double(perFrame))
        if Int(Double(analogRate) / Double(pointRate)) != perFrame { pointRate = pointRate.nextDown }
        self.pointRate = pointRate
    }

    /// The groups POINT, ANALOG, FORCE_PLATFORM, TRIAL, EVENT and MANUFACTURER.
    func groups(_ recording: C3DRecording, dataStartBlock: Int) -> [C3DParameters.Group] {
        typealias P = C3DParameters.Parameter
        // Beyond 32767 the guide reads FRAMES as unsigned; beyond 65535 it is 65535 and TRIAL holds the count.
        let frames: P = .integer("FRAMES", Int16(bitPattern: UInt16(min(frameCount, 0xFFFF))), description: "Number of frames")
        let point = C3DParameters.Group(id: 1, "POINT", description: "3D point parameters", [
            .integer("USED", 0, description: "Number of 3D points"),
            .float("RATE", pointRate, description: "Frame rate, Hz"),
            frames,
            .float("SCALE", -1, description: "Negative: floating-point data"),
            .integer("DATA_START", Int16(dataStartBlock), description: "First block of the data section"),
            P("UNITS", .string("mm"), description: "Length unit"),
        ])

        var labels = recording.channels.map(\.label)
        var units = recording.channels.map(\.unit)
        var descriptions = recording.channels.map(\.description)
        for plate in plates {
            labels += C3DType2Plate.channelSuffixes.map { "\(plate.plate.name)_\($0)" }
            units += C3DType2Plate.channelUnits
            descriptions += C3DType2Plate.channelSuffixes.map { "\(plate.plate.name) plate \($0), from its cells" }
        }
        let n = channelCount
        let analog = C3DParameters.Group(id: 2, "ANALOG", description: "Analog data parameters", [
            .integer("USED", Int16(n), description: "Number of analog channels"),
            P("LABELS", .text(labels), description: "Channel labels"),
            P("DESCRIPTIONS", .text(descriptions), description: "Channel descriptions"),
            P("UNITS", .text(units), description: "Channel units"),
            P("SCALE", .floats(Array(repeating: 1, count: n), dimensions: [n]), description: "Channel scale"),
            P("OFFSET", .integers(Array(repeating: 0, count: n), dimensions: [n]), description: "Channel offset"),
            .float("GEN_SCALE", 1, description: "General scale"),
            .float("RATE", analogRate, description: "Analog sample rate, Hz"),
            P("FORMAT", .string("SIGNED"), description: "Integer format (data are floats)"),
        ])

        var platform: [P] = [.integer("USED", Int16(plates.count), description: "Number of force platforms")]
        if !plates.isEmpty {
            let count = plates.count
            let first = recording.channels.count + 1
            platform += [
                P("TYPE", .integers(Array(repeating: 2, count: count), dimensions: [count]), description: "Type 2: FX FY FZ MX MY MZ"),
                P("ZERO", .integers([0, 0], dimensions: [2]), description: "Both 0: no baseline correction (cells are tared)"),
                P("CORNERS", .floats(plates.flatMap(\.corners), dimensions: [3, 4, count]), description: "Corners in the lab frame, mm"),
                P("ORIGIN", .floats(Array(repeating: 0, count: 3 * count), dimensions: [3, count]), description: "Moments are about the surface centre"),
                P("CHANNEL", .integers((0..<(6 * count)).map { Int16(first + $0) }, dimensions: [6, count]), description: "Analog channels, 1-based"),
            ]
        }
        let forcePlatform = C3DParameters.Group(id: 3, "FORCE_PLATFORM", description: "Force platforms", platform)

        let trial = C3DParameters.Group(id: 4, "TRIAL", description: "Frame range beyond 65535", [
            P("ACTUAL_START_FIELD", .integers([1, 0], dimensions: [2]), description: "First frame, low and high words"),
            P("ACTUAL_END_FIELD", .integers([Int16(truncatingIfNeeded: frameCount & 0xFFFF), Int16(truncatingIfNeeded: frameCount >> 16)], dimensions: [2]),
              description: "Last frame, low and high words"),
            .float("CAMERA_RATE", pointRate, description: "Frame rate, Hz"),
        ])

        let events = recording.events
        var event: [P] = [.integer("USED", Int16(events.count), description: "Number of events")]
        if !events.isEmpty {
            let count = events.count
            event += [
                P("CONTEXTS", .text(events.map(\.context)), description: "Event contexts"),
                P("LABELS", .text(events.map(\.label)), description: "Event labels"),
                P("DESCRIPTIONS", .text(events.map(\.description)), description: "Event descriptions"),
                P("SUBJECTS", .text(Array(repeating: "", count: count)), description: "Event subjects"),
                P("TIMES", .floats(events.flatMap(Self.minutesAndSeconds), dimensions: [2, count]), description: "Minutes, seconds from frame 1"),
                P("ICON_IDS", .integers(Array(repeating: 0, count: count), dimensions: [count]), description: "Event icons"),
                P("GENERIC_FLAGS", .integers(Array(repeating: 0, count: count), dimensions: [count]), description: "Event flags"),
            ]
        }
        let eventGroup = C3DParameters.Group(id: 5, "EVENT", description: "Events", event)

        let manufacturer = C3DParameters.Group(id: 6, "MANUFACTURER", description: "Writer of this file", [
            P("COMPANY", .string("Stance"), description: "Company"),
            P("SOFTWARE", .string("Stance StanceRecording"), description: "Software"),
        ])
        return [point, analog, forcePlatform, trial, eventGroup, manufacturer]
    }

    /// EVENT:TIMES stores a time as whole minutes and the seconds left over, both floats, so that
    /// a long trial keeps sub-millisecond resolution in single precision.
    static func minutesAndSeconds(_ event: C3DEvent) -> [Float] {
        let minutes = (event.seconds / 60).rounded(.down)
        return [Float(minutes), Float(event.seconds - minutes * 60)]
    }
}
