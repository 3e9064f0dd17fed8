import StanceDSP
import StanceProtocols
import Testing

private func decodeAll(_ chunks: [[UInt8]], into decoder: inout LineProtocolDecoder) -> [LineProtocolEvent] {
    var events: [LineProtocolEvent] = []
    for chunk in chunks {
        chunk.withUnsafeBytes { decoder.decode($0) { events.append($0) } }
    }
    return events
}

private func decodeAll(_ text: String) -> ([LineProtocolEvent], LineProtocolDecoder) {
    var decoder = LineProtocolDecoder()
    let events = decodeAll([Array(text.utf8)], into: &decoder)
    return (events, decoder)
}

private func samples(_ events: [LineProtocolEvent]) -> [DeviceSample] {
    events.compactMap { if case .sample(let sample) = $0 { sample } else { nil } }
}

@Suite("Stance line protocol v1")
struct LineProtocolTests {
    let header = LineHeader(channels: 8, rateHz: 100, units: .newtons, layout: .dualPlate, id: "WBB-0042")

    func randomSample(_ sequence: UInt32, using random: inout TestRandom) -> DeviceSample {
        var values = SIMD16<Double>()
        for channel in 0..<8 {
            switch Int.random(in: 0..<5, using: &random) {
            case 0: values[channel] = Double(Int.random(in: -100_000...100_000, using: &random))
            case 1: values[channel] = Double.random(in: -1e300...1e300, using: &random)
            case 2: values[channel] = Double.random(in: -1e-300...1e-300, using: &random)
            default: values[channel] = Double.random(in: -2000...2000, using: &random)
            }
        }
        return DeviceSample(sequence: sequence, deviceTimeMicroseconds: UInt64(sequence) &* 10_000 % (1 << 32),
                            channelCount: 8, values: values)
    }

    @Test("encode → split at random points → decode is the identity (exact values), 200 trials")
    func roundTrip() {
        var random = TestRandom(seed: 0x11AE)
        for trial in 0..<200 {
            let encoder = LineProtocolEncoder(checksums: trial % 2 == 0, carriageReturns: trial % 3 == 0)
            var bytes: [UInt8] = []
            encoder.encode(header, into: &bytes)
            let sent = (0..<50).map { randomSample(UInt32(trial * 50 + $0), using: &random) }
            for sample in sent { encoder.encode(sample, into: &bytes) }
            var decoder = LineProtocolDecoder()
            let events = decodeAll(randomChunks(bytes, longest: 40, using: &random), into: &decoder)
            #expect(events.first == .header(header))
            #expect(samples(events) == sent, "trial \(trial)")
            #expect(decoder.counters.bytesDiscarded == 0)
            #expect(decoder.counters.samplesDecoded == 50)
            #expect(decoder.counters.sequenceGaps == 0)
        }
    }

    @Test("a wrong checksum drops the line and counts it; upper- and lower-case hex both verify")
    func checksums() {
        // XOR of "1,2,3" = 0x31 ^ 0x2C ^ 0x32 ^ 0x2C ^ 0x33 = 0x30; of "3,0,1.5,1.5" 0x2F; of "4,0,1.5,0.125" 0x2A.
        let (events, decoder) = decodeAll("$1,2,3*30\n$2,3,4*00\n$3,0,1.5,1.5*2f\n$4,0,1.5,0.125*2A\n")
        #expect(samples(events).map { $0.sequence } == [1, 3, 4])
        #expect(decoder.counters.checksumErrors == 1)
        #expect(decoder.counters.bytesDiscarded == UInt64("$2,3,4*00\n".utf8.count))
    }

    @Test("garbage, comments and bad lines are counted; every byte is either decoded or discarded")
    func garbage() {
        let text = "\u{01}\u{FF}noise\n#stance-line/1 channels=4 rate_hz=80 units=kg layout=plate\n# a comment\n"
            + "$1,10,1,2,3,4\n$2,20,1,2,3\n$x,30,1,2,3,4\n$3,30,1,2,3,inf\n\n$4,40,1.5e3,-2,0.25,+7\n"
        let (events, decoder) = decodeAll(text)
        #expect(samples(events).map { $0.sequence } == [1, 4])
        #expect(samples(events).last?.channels == [1500, -2, 0.25, 7])
        #expect(decoder.counters.badFrames == 4)  // noise, short row, bad SEQ, inf
        #expect(decoder.commentLines == 1)
        #expect(decoder.header?.units == .kilograms)
        let accepted = ["#stance-line/1 channels=4 rate_hz=80 units=kg layout=plate\n", "# a comment\n",
                        "$1,10,1,2,3,4\n", "$4,40,1.5e3,-2,0.25,+7\n"].map { $0.utf8.count }.reduce(0, +)
        #expect(decoder.counters.bytesDiscarded + UInt64(accepted) == decoder.counters.bytesReceived)
    }

    @Test("a line over 512 bytes is discarded to its newline and counted; 512 bytes plus CRLF is fine")
    func oversize() {
        let long = "$1,1," + String(repeating: "1", count: 600) + "\n"
        let exact = "$2,2," + String(repeating: "0", count: 507) + "\r\n"  // 512 bytes before CRLF
        let (events, decoder) = decodeAll(long + exact + "$3,3,7\n")
        #expect(samples(events).map { $0.sequence } == [2, 3])
        #expect(decoder.counters.oversizeLines == 1)
        #expect(decoder.counters.bytesDiscarded == UInt64(long.utf8.count))
        let (_, oneTooMany) = decodeAll("$2,2," + String(repeating: "0", count: 508) + "\n$3,3,1\n")
        #expect(oneTooMany.counters.oversizeLines == 1)
        #expect(oneTooMany.counters.samplesDecoded == 1)
    }

    @Test("counter jumps are gaps, not errors; the counter wraps at 2³²; a header resets it")
    func sequenceGaps() {
        let text = "$4294967294,0,1\n$4294967295,0,1\n$0,0,1\n$1,0,1\n$5,0,1\n$5,0,1\n"
            + "#stance-line/1 channels=1 rate_hz=10 units=counts layout=plate\n"
        var (_, decoder) = decodeAll(text)
        #expect(decoder.counters.samplesDecoded == 6)
        #expect(decoder.counters.sequenceGaps == 2)  // 1 → 5 (3 missed) and 5 → 5 (repeat)
        #expect(decoder.counters.samplesMissed == 3)
        #expect(decoder.counters.badFrames == 1)  // layout=plate needs 4 channels
        Array("#stance-line/1 channels=1 rate_hz=10 units=counts layout=imu6\n".utf8).withUnsafeBytes { decoder.decode($0) { _ in } }
        #expect(decoder.counters.badFrames == 2)
        Array("#stance-line/1 channels=6 rate_hz=10 units=counts layout=imu6\n$900,0,1,2,3,4,5,6\n".utf8).withUnsafeBytes { decoder.decode($0) { _ in } }
        #expect(decoder.counters.sequenceGaps == 2, "a header starts the counter afresh")
    }

    @Test("a decoder that requires a header discards the samples before it (a board resetting on open)")
    func requiresHeader() {
        var decoder = LineProtocolDecoder(requiresHeader: true)
        var events: [LineProtocolEvent] = []
        Array("$7,0,1\n#stance-line/1 channels=1 rate_hz=10 units=N layout=plate\n".utf8).withUnsafeBytes { decoder.decode($0) { events.append($0) } }
        #expect(events.isEmpty && decoder.counters.badFrames == 2)  // the early sample, and the 1-channel plate header
        Array("#stance-line/1 channels=4 rate_hz=10 units=N layout=plate\n$0,0,1,2,3,4\n".utf8).withUnsafeBytes { decoder.decode($0) { events.append($0) } }
        #expect(samples(events).count == 1)
    }

    @Test("once a header is in force, a sample with another channel count is refused")
    func channelCountFollowsHeader() {
        let (events, decoder) = decodeAll("#stance-line/1 channels=4 rate_hz=80 units=N layout=plate\n$1,0,1,2,3\n$2,0,1,2,3,4\n")
        #expect(samples(events).count == 1)
        #expect(decoder.counters.badFrames == 1)
    }

    @Test("numbers: exact decimals, exponents, long mantissas and subnormals parse correctly rounded")
    func numbers() {
        let texts = ["0", "-0", "12345.678", "1e-05", "-2.5E+3", "0.1", "123456789012345678901234567890",
                     "3.141592653589793238462643383279", "5e-324", "1.7976931348623157e308", "0.000000000000000000001"]
        let line = "$1,0," + texts.joined(separator: ",") + "\n"
        let (events, _) = decodeAll(line)
        let values = samples(events).first?.channels ?? []
        #expect(values == texts.map { Double($0)! })
        let (rejected, decoder) = decodeAll("$1,0,nan\n$2,0,0x10\n$3,0,1e\n$4,0,.\n$5,0,1e400\n$6,0, 1\n")
        #expect(samples(rejected).isEmpty)
        #expect(decoder.counters.badFrames == 6)
    }
}

@Suite("Stance line protocol v1: the documented example")
struct LineProtocolDocumentationTests {
    @Test("the example of docs/protocols.md decodes as documented")
    func documentedExample() throws {
        let text = "#stance-line/1 channels=8 rate_hz=100 units=N layout=dual-plate id=WBB-0042\n"
            + "$0,0,101.5,99.25,100,98.75,80.5,79,81.25,82*05\n"
        var decoder = LineProtocolDecoder()
        var events: [LineProtocolEvent] = []
        Array(text.utf8).withUnsafeBytes { decoder.decode($0) { events.append($0) } }
        #expect(events.first == .header(LineHeader(channels: 8, rateHz: 100, units: .newtons, layout: .dualPlate, id: "WBB-0042")))
        guard case .sample(let sample) = try #require(events.last) else {
            Issue.record("no sample")
            return
        }
        #expect(sample.channels == [101.5, 99.25, 100, 98.75, 80.5, 79, 81.25, 82])
        #expect(decoder.counters.checksumErrors == 0 && decoder.counters.bytesDiscarded == 0)
        // A leading or trailing dot alone is a number; a dot alone is not.
        var dots = LineProtocolDecoder()
        var values: [Double] = []
        Array("$1,0,.5,5.\n$2,0,.\n".utf8).withUnsafeBytes { dots.decode($0) { if case .sample(let s) = $0 { values = s.channels } } }
        #expect(values == [0.5, 5] && dots.counters.badFrames == 1)
    }
}
