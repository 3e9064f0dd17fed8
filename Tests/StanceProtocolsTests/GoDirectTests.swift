import StanceDSP
import StanceProtocols
import Testing

@Suite("Vernier Go Direct over USB HID")
struct GoDirectTests {
    @Test("host packets: 0x58, length, rolling counter from 0xFE down, checksum of the other bytes")
    func commands() {
        var encoder = GoDirectCommandEncoder()
        let initialise = encoder.initialise()
        #expect(initialise.count == 25 && initialise[0] == 0x58 && initialise[1] == 25 && initialise[2] == 0xFE && initialise[4] == 0x1A)
        let otherBytes = initialise.enumerated().filter { $0.offset != 3 }.map(\.element)
        #expect(initialise[3] == otherBytes.reduce(0, &+))
        let period = encoder.setMeasurementPeriod(microseconds: 10_000)
        #expect(period[2] == 0xFD && Array(period[5...10]) == [0xFF, 0x00, 0x10, 0x27, 0x00, 0x00])
        let start = encoder.startMeasurements(mask: 0b101)
        #expect(start[2] == 0xFC && start[4] == 0x18 && Array(start[5...10]) == [0xFF, 0x01, 0x05, 0, 0, 0] && start.count == 19)
        let report = GoDirectCommandEncoder.outputReport(start)
        #expect(report.count == 65 && report[0] == 0 && report[1] == 19 && Array(report[2..<21]) == start)
    }

    /// A measurement input report: count byte, then `20 LEN CTR CS 06 maskLo maskHi sets 00 floats`.
    func measurementReport(mask: UInt16, sets: [[Float]]) -> [UInt8] {
        var packet: [UInt8] = [0x20, 0, 0x7F, 0, 0x06, UInt8(mask & 0xFF), UInt8(mask >> 8), UInt8(sets.count), 0]
        for set in sets { for value in set { withUnsafeBytes(of: value.bitPattern.littleEndian) { packet += $0 } } }
        packet[1] = UInt8(packet.count)
        return ([UInt8(packet.count)] + packet + [UInt8](repeating: 0, count: 64)).prefix(64).map { $0 }
    }

    @Test("a real32 measurement report gives one sample per set, a channel per enabled sensor")
    func measurements() {
        var decoder = GoDirectReportDecoder()
        var samples: [DeviceSample] = []
        measurementReport(mask: 0b101, sets: [[612.5, -3.25], [613.0, -3.5]]).withUnsafeBytes { decoder.decode(report: $0) { samples.append($0) } }
        #expect(samples.map(\.channels) == [[612.5, -3.25], [613.0, -3.5]])
        // A command response is counted, not decoded.
        var response: [UInt8] = [6, 0x58, 6, 0xFE, 0, 0x18, 0]
        response += [UInt8](repeating: 0, count: 64 - response.count)
        response.withUnsafeBytes { decoder.decode(report: $0) { samples.append($0) } }
        #expect(decoder.responses == 1 && samples.count == 2)
    }

    @Test("reports that lie about their length, or carry NaN, are refused and counted")
    func malformed() {
        var decoder = GoDirectReportDecoder()
        var samples: [DeviceSample] = []
        var tooLong = measurementReport(mask: 1, sets: [[1]])
        tooLong[0] = 200
        tooLong.withUnsafeBytes { decoder.decode(report: $0) { samples.append($0) } }
        var tooManySets = measurementReport(mask: 1, sets: [[1]])
        tooManySets[8] = 40  // 40 sets of one float cannot fit
        tooManySets.withUnsafeBytes { decoder.decode(report: $0) { samples.append($0) } }
        measurementReport(mask: 1, sets: [[.nan], [2]]).withUnsafeBytes { decoder.decode(report: $0) { samples.append($0) } }
        #expect(samples.map(\.channels) == [[2]])
        #expect(decoder.counters.badFrames == 3)
    }
}
