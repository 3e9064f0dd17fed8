import ArgumentParser
import Foundation
import StanceDSP
import StanceRecording

/// `stance tare`: zero the plates (they must be empty and still).
struct Tare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Zero the plates from the last second of signal (step off and keep them still first).")

    @OptionGroup var daemon: DaemonOptions

    func run() throws {
        let reply = try daemon.request("tare", "{\"cmd\":\"tare\"}", expecting: "TARE").object
        let offsets = reply["offsets_N"] as? [Double] ?? []
        let names = ["left TL", "left TR", "left BL", "left BR", "right TL", "right TR", "right BL", "right BR"]
        print("tared over \(reply["samples"] as? Int ?? 0) samples (\(reply["period_s"] as? Double ?? 0) s); offsets now subtracted:")
        for (name, offset) in zip(names, offsets) { print("  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%8.3f", offset)) N") }
    }
}

/// `stance mark LABEL`: a labelled moment in the event stream and the recording.
struct Mark: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark this moment with a label (in the events and the session).")

    @OptionGroup var daemon: DaemonOptions

    @Argument(help: "What happens now, e.g. \"eyes closed\".")
    var label: String

    func run() throws {
        let reply = try daemon.request("mark", "{\"cmd\":\"mark\",\"label\":\(jsonString(label))}", expecting: "MARK").object
        let session = (reply["session"] as? String).map { " in session \($0)" } ?? " (no session is recording)"
        print("marked \"\(label)\" at \(String(format: "%.3f", reply["t_s"] as? Double ?? 0)) s\(session)")
    }
}

/// `stance session start|stop`.
struct Session: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a session, or stop recording and print its summary.",
        subcommands: [Start.self, Stop.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start recording (samples, metrics and events go to the daemon's sessions directory).")

        @OptionGroup var daemon: DaemonOptions
        @Option(help: "Who is on the plates (an identifier).") var subject: String?
        @Option(help: "What they do, e.g. squat.") var exercise: String?
        @Option(name: .customLong("body-mass-kg"), help: "Body mass, kg.") var bodyMassKilograms: Double?
        @Option(help: "Free text.") var notes: String?

        func validate() throws {
            if let bodyMassKilograms, !(bodyMassKilograms > 0 && bodyMassKilograms < 400) {
                throw ValidationError("--body-mass-kg must be in (0, 400) kg, got \(bodyMassKilograms)")
            }
        }

        func run() throws {
            var fields = ["\"cmd\":\"session.start\""]
            if let subject { fields.append("\"subject\":\(jsonString(subject))") }
            if let exercise { fields.append("\"exercise\":\(jsonString(exercise))") }
            if let bodyMassKilograms { fields.append("\"body_mass_kg\":\(bodyMassKilograms)") }
            if let notes { fields.append("\"notes\":\(jsonString(notes))") }
            let reply = try daemon.request("session start", "{" + fields.joined(separator: ",") + "}", expecting: "SESSION").object
            print("recording session \(reply["id"] as? String ?? "?") in \(reply["path"] as? String ?? "?")")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop recording; print where the session is and, when its files are readable here, its analysis.")

        @OptionGroup var daemon: DaemonOptions

        func run() throws {
            let reply = try daemon.request("session stop", "{\"cmd\":\"session.stop\"}", expecting: "SESSION").object
            let path = reply["path"] as? String ?? "?"
            print("session \(reply["id"] as? String ?? "?") stopped: \(reply["samples"] as? Int ?? 0) plate samples, "
                + "\(String(format: "%.2f", reply["duration_s"] as? Double ?? 0)) s, \(reply["rows_lost"] as? Int ?? 0) rows lost")
            Status.imuCountLines(reply).forEach { print($0) }
            print("file: \(path)/session.xdf (export: stance export \(path) --format csv|c3d; replay: stance replay \(path))")
            if let failure = reply["failure"] as? String {
                FileHandle.standardError.write(Data("stance session stop: the recording lost data: \(failure)\n".utf8))
                throw ExitCode(1)
            }
            let file = "\(path)/session.xdf"
            guard FileManager.default.isReadableFile(atPath: file) else {
                print("(the file is not readable from here: no summary)")
                return
            }
            do {
                let (recording, plates) = try SessionPlates.readWithOptionalPlates(contentsOf: file)
                if let plates {
                    let options = plates.trialAnalysisOptions
                    let report = try TrialAnalysis.analyse(cellsNewtons: plates.frames, rateHz: plates.rateHz, options: options)
                    print("")
                    print(ReportTable(report: report, file: file, options: options).text, terminator: "")
                }
                if let imus = ImuSessionSummary(recording: recording) {
                    print("")
                    print(Self.imuSummary(imus), terminator: "")
                }
            } catch {
                print("(no summary: \(error))")
            }
        }

        /// The IMUs' part of the summary: shank ROM and its asymmetry, single-leg stance per leg.
        static func imuSummary(_ imus: ImuSessionSummary) -> String {
            func degrees(_ value: Double?) -> String { value.map { String(format: "%.1f°", $0) } ?? "-" }
            func percent(_ value: Double) -> String { String(format: "%.1f %%", value) }
            func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }
            var lines = ["IMUs over the session:",
                         "  shank ROM left \(degrees(imus.leftShankROMDegrees)), right \(degrees(imus.rightShankROMDegrees))"
                            + (imus.shankROMAsymmetry.map { ", asymmetry \(percent($0.asymmetryPercent)) (\($0.dominant.rawValue) larger)" } ?? "")]
            if let segment = imus.singleLegSegment, let legs = imus.singleLeg {
                var line = "  single-leg stance (\(segment) sway): \(seconds(legs.leftSeconds)) on the left, \(seconds(legs.rightSeconds)) on the right"
                if let path = legs.pathAsymmetry {
                    line += "; path asymmetry \(percent(path.asymmetryPercent)) (\(path.dominant.rawValue) larger)"
                }
                lines.append(line)
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
