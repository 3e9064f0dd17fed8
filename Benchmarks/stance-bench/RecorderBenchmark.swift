// The session recorder's write path at the load: 2 plates at 1 kHz (4 float32 cells each,
// a swaying 58/42 stance), 4 IMUs at 200 Hz (10 float32 channels each), the 50 Hz metrics stream
// computed from the plates' float32 cells as SessionXDF does (RecordedMetricsChain, 44 double64
// channels) and a marker a second, encoded by XDFWriter in 50 ms chunks with a timestamp per sample
// and written by XDFFile to a real file with fdatasync once per recorded second, as fast as it
// goes. Reports MB/s and the CPU it took per recorded second (user + system).
import StanceDSP
import StanceRecording
import StanceWire

#if canImport(Glibc)
import Glibc
#endif

struct RecorderBenchmarkResult {
    var recordedSeconds: Int
    var megabytes: Double
    var wallSeconds: Double
    var cpuSeconds: Double
    var megabytesPerSecond: Double { megabytes / wallSeconds }
    /// CPU per recorded second, as a share of one core: what recording costs while it runs live.
    var cpuPercentOfOneCoreLive: Double { 100 * cpuSeconds / Double(recordedSeconds) }
}

private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func recorderBenchmark(recordedSeconds: Int, directory: String = "/tmp") throws -> RecorderBenchmarkResult {
    let path = "\(directory)/stance-bench-recorder-\(getpid()).xdf"
    defer { unlink(path) }
    var file = try XDFFile(creating: path)
    var writer = XDFWriter()
    let plates: [UInt32] = [1, 2], imus: [UInt32] = [3, 4, 5, 6], metrics: UInt32 = 7, markers: UInt32 = 8
    for id in plates {
        try writer.addStream(id, XDFStreamInfo(name: "plate \(id)", type: "Force", channelCount: 4, nominalRateHz: 1000, format: .float32,
                                               createdAtSeconds: 0))
    }
    for id in imus {
        try writer.addStream(id, XDFStreamInfo(name: "imu \(id)", type: "IMU", channelCount: 10, nominalRateHz: 200, format: .float32,
                                               createdAtSeconds: 0))
    }
    try writer.addStream(metrics, XDFStreamInfo(name: "metrics", type: "Metrics", channelCount: MetricsChannels.list.count,
                                                nominalRateHz: 50, format: .double64, createdAtSeconds: 0))
    try writer.addStream(markers, XDFStreamInfo(name: "markers", type: "Markers", channelCount: 1, nominalRateHz: 0, format: .string,
                                                createdAtSeconds: 0))
    // The IMUs' chunk is made once (the recorder reuses its buffers too); the plates' cells move.
    let imuValues = (0..<(10 * 10)).map { Float($0) * 0.01 }
    var metricsChain = try RecordedMetricsChain(rateHz: 1000, layout: DualPlateLayout(), lowpassHz: 10, windowSeconds: 30,
                                                metricsRateHz: 50)
    var left = [Float](repeating: 0, count: 50 * 4), right = left
    var metricValues: [Double] = []
    var metricTimes: [Double] = []
    var plateTimes = [Double](repeating: 0, count: 50)
    var imuTimes = [Double](repeating: 0, count: 10)
    var bytes = 0
    let cpuBefore = processCPUSeconds()
    let start = MonotonicClockTime.now()
    for chunk in 0..<(recordedSeconds * 20) {
        let t0 = Double(chunk) * 0.05
        metricValues.removeAll(keepingCapacity: true)
        metricTimes.removeAll(keepingCapacity: true)
        for index in plateTimes.indices {
            let time = t0 + Double(index) / 1000
            plateTimes[index] = time
            let cells = swayingCells(at: time)
            for cell in 0..<4 {
                left[4 * index + cell] = cells[cell]
                right[4 * index + cell] = cells[cell + 4]
            }
            if let snapshot = metricsChain.push(cells: cells, timeSeconds: time, sampleSequence: UInt32(chunk * 50 + index)) {
                MetricsChannels.append(snapshot, to: &metricValues)
                metricTimes.append(time)
            }
        }
        for index in imuTimes.indices { imuTimes[index] = t0 + Double(index) / 200 }
        try writer.appendSamples(plates[0], float32: left, timestamps: .each(plateTimes))
        try writer.appendSamples(plates[1], float32: right, timestamps: .each(plateTimes))
        for id in imus { try writer.appendSamples(id, float32: imuValues, timestamps: .each(imuTimes)) }
        try writer.appendSamples(metrics, double64: metricValues, timestamps: .each(metricTimes))
        if chunk % 20 == 0 { try writer.appendSamples(markers, strings: ["mark: second \(chunk / 20)"], timestamps: .each([t0])) }
        if chunk % 200 == 199 { writer.appendBoundary() }
        try file.append(writer.bytes)
        bytes += writer.bytes.count
        writer.removeAllBytes()
        if chunk % 20 == 19 { try file.sync() }
    }
    try file.sync()
    let wall = MonotonicClockTime.now() - start
    try file.close()
    return RecorderBenchmarkResult(recordedSeconds: recordedSeconds, megabytes: Double(bytes) / 1e6, wallSeconds: wall,
                                   cpuSeconds: processCPUSeconds() - cpuBefore)
}

/// A 75 kg stance at 58/42 whose COP sways (two incommensurate sines a few mm wide), as float32.
private func swayingCells(at time: Double) -> SIMD8<Float> {
    let sway = 0.04 * sin(2 * .pi * 0.31 * time) + 0.03 * sin(2 * .pi * 0.73 * time)
    let leftN = 0.58 * 735.5, rightN = 0.42 * 735.5
    let front = 0.5 + sway, back = 0.5 - sway
    let cells = SIMD8<Double>(leftN * front / 2, leftN * front / 2, leftN * back / 2, leftN * back / 2,
                              rightN * front / 2, rightN * front / 2, rightN * back / 2, rightN * back / 2)
    return SIMD8<Float>(cells)
}

private enum MonotonicClockTime {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
