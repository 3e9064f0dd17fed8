// The session recorder's write path at the load: 2 plates at 1 kHz (4 float32 cells each),
// 4 IMUs at 200 Hz (10 float32 channels each), a 50 Hz metrics stream (40 double64 channels) and
// a marker a second, encoded by XDFWriter in 50 ms chunks with a timestamp per sample and written
// by XDFFile to a real file with fdatasync once per recorded second, as SessionXDF does, as fast
// as it goes. Reports MB/s and the CPU it took per recorded second (user + system).
import StanceRecording

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
    try writer.addStream(metrics, XDFStreamInfo(name: "metrics", type: "Metrics", channelCount: 40, nominalRateHz: 50,
                                                format: .double64, createdAtSeconds: 0))
    try writer.addStream(markers, XDFStreamInfo(name: "markers", type: "Markers", channelCount: 1, nominalRateHz: 0, format: .string,
                                                createdAtSeconds: 0))
    // One 50 ms chunk's values and timestamps, made once (the recorder reuses its buffers too).
    let plateValues = (0..<(50 * 4)).map { Float($0) * 0.25 }
    let imuValues = (0..<(10 * 10)).map { Float($0) * 0.01 }
    // Metrics go out every other chunk: 100 ms at 50 Hz is 5 rows of 40.
    let metricValues = (0..<(5 * 40)).map { Double($0) * 0.1 }
    var plateTimes = [Double](repeating: 0, count: 50)
    var imuTimes = [Double](repeating: 0, count: 10)
    var metricTimes = [Double](repeating: 0, count: metricValues.count / 40)
    var bytes = 0
    let cpuBefore = processCPUSeconds()
    let start = MonotonicClockTime.now()
    for chunk in 0..<(recordedSeconds * 20) {
        let t0 = Double(chunk) * 0.05
        for index in plateTimes.indices { plateTimes[index] = t0 + Double(index) / 1000 }
        for index in imuTimes.indices { imuTimes[index] = t0 + Double(index) / 200 }
        for index in metricTimes.indices { metricTimes[index] = t0 + Double(index) / 50 }
        for id in plates { try writer.appendSamples(id, float32: plateValues, timestamps: .each(plateTimes)) }
        for id in imus { try writer.appendSamples(id, float32: imuValues, timestamps: .each(imuTimes)) }
        if chunk % 2 == 0 { try writer.appendSamples(metrics, double64: metricValues, timestamps: .each(metricTimes)) }
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

private enum MonotonicClockTime {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
