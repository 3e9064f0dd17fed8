import ArgumentParser
import Foundation
import StanceDSP
import StanceRecording
import StanceSimulation

/// `stance simulate`: emulated devices on pseudo-terminals, playing a simulated trial.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Emulate force plates or IMUs on pseudo-terminals, playing a simulated exercise.",
        discussion: """
        Prints one line per emulated device (name, terminal, stable link) and streams the trial in
        real time, or as fast as it is read with --fast. Faults can be injected. With --csv, writes
        the dual-plate cell forces as a CSV for `stance analyze` instead of emulating devices; with
        --imu-csv, one IMU's exact orientation and its noisy gyroscope, accelerometer and
        magnetometer readings (docs/imu.md).
        """
    )

    @Flag(help: "List the scenarios and protocols, then exit.")
    var list = false

    @Option(help: "Exercise to simulate (see --list).")
    var scenario: String = Scenario.quietStance.rawValue

    @Option(name: .customLong("protocol"), help: "Wire format: stance-line, stance-binary, stance-line-pair (two single plates), wiimote-evdev or witmotion.")
    var wireProtocol: String = SimulatedProtocol.stanceLine.rawValue

    @Option(name: .customLong("rate-hz"), help: "Samples per second.")
    var rateHz: Double = 100

    @Option(name: .customLong("left-share"), help: "Share of body weight on the left foot, 0–1.")
    var leftShare: Double = 0.5

    @Option(name: .customLong("left-share-change"), help: "Change of the left share per repetition (squats).")
    var leftShareChange: Double = 0

    @Option(name: .customLong("body-mass-kg"), help: "Body mass in kg.")
    var bodyMassKilograms: Double = 75

    @Option(name: .customLong("sway-rms-mm"), help: "RMS distance of each foot's COP from its mean, mm.")
    var swayRmsMillimetres: Double = 4

    @Option(name: .customLong("left-sway-rms-mm"), help: "Left foot's sway RMS, mm (overrides --sway-rms-mm).")
    var leftSwayRmsMillimetres: Double?

    @Option(name: .customLong("right-sway-rms-mm"), help: "Right foot's sway RMS, mm (overrides --sway-rms-mm).")
    var rightSwayRmsMillimetres: Double?

    @Option(name: .customLong("sway-time-constant-s"), help: "Sway random walk time constant, s: smaller is faster sway.")
    var swayTimeConstantSeconds: Double = 1

    @Option(help: "Repetitions (squats, step-ups).")
    var reps: Int = 5

    @Option(name: .customLong("rep-s"), help: "Seconds per repetition.")
    var repetitionSeconds: Double = 3

    @Option(name: .customLong("depth-m"), help: "Squat depth: drop of the centre of mass, m.")
    var depthMetres: Double = 0.35

    @Option(name: .customLong("left-rom-ratio"), help: "Left shank and thigh sagittal range of motion as a fraction of the right's (squats, step-ups).")
    var leftRangeOfMotionRatio: Double = 1

    @Option(help: "Leading leg (step-ups) or stance leg (single-leg stance): left or right.")
    var leg: String = Leg.left.rawValue

    @Option(name: .customLong("duration-s"), help: "Length of static trials, seconds (with --imu-csv: of any trial).")
    var durationSeconds: Double = 30

    @Option(help: "Random seed: the same seed plays the same trial.")
    var seed: UInt64 = 1

    @Option(name: .customLong("clock-ppm"), parsing: .upToNextOption,
            help: "Each device's clock error, parts per million, in device order (e.g. 0 250: the second runs 250 ppm fast).")
    var clockPartsPerMillion: [Double] = []

    @Flag(help: "Do not wait for the clock: stream as fast as the reader takes the bytes.")
    var fast = false

    @Option(name: .customLong("link-dir"), help: "Keep a stable symbolic link per device in this directory.")
    var linkDirectory: String?

    @Option(name: .customLong("garbage-every"), help: "Fault: a burst of random bytes every N samples.")
    var garbageEvery: Int = 0

    @Option(name: .customLong("drop-every"), help: "Fault: skip a sample every N samples.")
    var dropEvery: Int = 0

    @Option(name: .customLong("corrupt-every"), help: "Fault: corrupt a sample every N samples.")
    var corruptEvery: Int = 0

    @Option(name: .customLong("unplug-after"), help: "Fault: unplug after N samples, replug 1 s later.")
    var unplugAfter: Int = 0

    @Option(help: "Write the dual-plate cell forces to this CSV instead of emulating devices.")
    var csv: String?

    @Option(name: .customLong("imu-csv"), help: "Write one IMU's truth and readings to this CSV instead of emulating devices.")
    var imuCSV: String?

    @Option(help: "IMU for --imu-csv: \(ImuSegment.allCases.map(\.rawValue).joined(separator: ", ")).")
    var segment: String = ImuSegment.leftShank.rawValue

    @Option(name: .customLong("imu-noise"), help: "IMU error model: default (consumer MEMS) or none (exact readings).")
    var imuNoise: String = "default"

    func validate() throws {
        guard list || Scenario(rawValue: scenario) != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; known: \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard list || SimulatedProtocol(rawValue: wireProtocol) != nil else {
            throw ValidationError("unknown protocol '\(wireProtocol)'; known: \(SimulatedProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ImuSegment(rawValue: segment) != nil else {
            throw ValidationError("unknown segment '\(segment)'; known: \(ImuSegment.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["default", "none"].contains(imuNoise) else { throw ValidationError("--imu-noise must be default or none, got '\(imuNoise)'") }
        guard Leg(rawValue: leg) != nil else { throw ValidationError("--leg must be left or right, got '\(leg)'") }
        guard rateHz.isFinite, rateHz > 0, rateHz <= 10_000 else { throw ValidationError("--rate-hz must be in (0, 10000] Hz, got \(rateHz)") }
        guard (0...1).contains(leftShare) else { throw ValidationError("--left-share must be 0…1, got \(leftShare)") }
        guard bodyMassKilograms > 0, bodyMassKilograms < 400 else { throw ValidationError("--body-mass-kg must be in (0, 400) kg") }
        guard swayTimeConstantSeconds > 0, swayRmsMillimetres >= 0 else {
            throw ValidationError("--sway-time-constant-s must be positive and --sway-rms-mm not negative")
        }
        guard clockPartsPerMillion.allSatisfy({ abs($0) < 10_000 }) else { throw ValidationError("--clock-ppm values must be within ±10000 ppm") }
        guard reps >= 1, repetitionSeconds > 0, durationSeconds > 0 else {
            throw ValidationError("--reps, --rep-s and --duration-s must be positive")
        }
    }

    func run() throws {
        if list {
            print("scenarios:")
            for scenario in Scenario.allCases { print("  \(scenario.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(scenario.summary)") }
            print("protocols: \(SimulatedProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
            return
        }
        let scenario = Scenario(rawValue: scenario) ?? .quietStance
        var parameters = ScenarioParameters()
        parameters.bodyMassKilograms = bodyMassKilograms
        parameters.leftShare = leftShare
        parameters.leftShareChangePerRepetition = leftShareChange
        parameters.swayRmsMillimetres = swayRmsMillimetres
        parameters.leftSwayRmsMillimetres = leftSwayRmsMillimetres ?? swayRmsMillimetres
        parameters.rightSwayRmsMillimetres = rightSwayRmsMillimetres ?? swayRmsMillimetres
        parameters.swayTimeConstantSeconds = swayTimeConstantSeconds
        parameters.repetitions = reps
        parameters.repetitionSeconds = repetitionSeconds
        parameters.squatDepthMetres = depthMetres
        parameters.leftRangeOfMotionRatio = leftRangeOfMotionRatio
        parameters.leg = Leg(rawValue: leg) ?? .left
        parameters.staticSeconds = durationSeconds
        parameters.seed = seed

        var noise = SensorNoise()
        if imuNoise == "none" { noise.imu = .none }
        if let csv {
            try writeCSV(path: csv, scenario: scenario, parameters: parameters)
            return
        }
        if let imuCSV {
            let segment = ImuSegment(rawValue: segment) ?? .leftShank
            // The comparison scripts ask for a length whatever the task: --duration-s sets it here.
            let text = ImuCSV.text(scenario: scenario, parameters: parameters, segment: segment, rateHz: rateHz, noise: noise.imu,
                                   durationSeconds: durationSeconds)
            try write(text, to: imuCSV)
            print("wrote \(Int((durationSeconds * rateHz).rounded())) samples of the \(segment.rawValue) IMU in "
                  + "\(scenario.rawValue) at \(rateHz) Hz (\(imuNoise) noise) to \(imuCSV)")
            return
        }
        let devices = SimulatedDevices.make(protocol: SimulatedProtocol(rawValue: wireProtocol) ?? .stanceLine,
                                            scenario: scenario, parameters: parameters, rateHz: rateHz, noise: noise)
        let faults = EmulatorFaults(garbageEvery: garbageEvery, dropEvery: dropEvery, corruptEvery: corruptEvery, unplugAfter: unplugAfter)
        var emulators: [DeviceEmulator] = []
        for (index, device) in devices.enumerated() {
            let link = linkDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(device.name).path }
            let samples = device.samples
            let emulator = try DeviceEmulator(
                // A device whose clock runs fast sends its nominal rate's samples faster in host time.
                configuration: .init(rateHz: rateHz * (1 + (index < clockPartsPerMillion.count ? clockPartsPerMillion[index] : 0) * 1e-6),
                                     fast: fast, faults: faults, linkPath: link, seed: seed &+ UInt64(index)),
                preamble: device.preamble
            ) { index in index < samples.count ? samples[index] : nil }
            emulators.append(emulator)
            print("\(device.name) \(emulator.secondaryPath)\(link.map { " \($0)" } ?? "")")
        }
        print("streaming \(scenario.rawValue) as \(wireProtocol) at \(rateHz) Hz for \(String(format: "%.1f", Double(devices[0].samples.count) / rateHz)) s")
        fflush(nil)  // all streams: the terminal paths must reach a pipe reader now
        let finished = DispatchGroup()
        for emulator in emulators {
            finished.enter()
            Thread {
                do { try emulator.run() } catch { FileHandle.standardError.write(Data("stance simulate: \(error)\n".utf8)) }
                finished.leave()
            }.start()
        }
        finished.wait()
        for (device, emulator) in zip(devices, emulators) {
            let statistics = emulator.currentStatistics
            print("\(device.name): \(statistics.samplesSent) samples sent, \(statistics.samplesDropped) dropped, "
                  + "\(statistics.samplesCorrupted) corrupted, \(statistics.garbageBursts) garbage bursts, "
                  + "\(statistics.unplugs) unplugs, \(statistics.bytesLost) bytes lost (no reader)")
        }
    }

    /// The trial's dual-plate cell forces in the `stance analyze` CSV schema.
    private func writeCSV(path: String, scenario: Scenario, parameters: ScenarioParameters) throws {
        var simulator = TrialSimulator(scenario: scenario, parameters: parameters, rateHz: rateHz)
        var plates = DualPlateSignal(seed: parameters.seed &+ 100)
        var text = CellForceCSV.header + "\n"
        for index in 0..<simulator.sampleCount {
            let cells = plates.cells(for: simulator.next())
            text += String(format: "%.6f", Double(index) / rateHz)
            for lane in 0..<8 { text += String(format: ",%.3f", cells[lane]) }
            text += "\n"
        }
        try write(text, to: path)
        print("wrote \(simulator.sampleCount) samples of \(scenario.rawValue) at \(rateHz) Hz to \(path)")
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("stance simulate: cannot write \(path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }
}
