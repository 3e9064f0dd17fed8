import ArgumentParser
import Foundation
import StanceDSP
import StanceRecording

/// `stance analyze FILE.csv`: a whole recorded trial analysed offline.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse a recorded dual-plate trial (cell forces in a CSV).",
        discussion: """
        FILE has the header
          \(CellForceCSV.header)
        (time in seconds, cell forces in newtons); the rate comes from the time column. Every cell
        is low-pass filtered zero-phase, then per-plate force and COP, weight distribution and
        shift, Prieto sway metrics and left/right asymmetry are reported. Exit status 2 when the
        file cannot be analysed (the message names the file, line and column).
        """
    )

    @Argument(help: "The trial's cell-force CSV file.")
    var file: String

    @Option(name: .customLong("lowpass-hz"), help: "Zero-phase Butterworth low-pass cutoff in Hz; 0 = no filter.")
    var lowpassHz: Double = 10

    @Option(help: "Butterworth order, 1–8 (applied forwards and backwards).")
    var order: Int = 4

    @Option(name: .customLong("plate-spacing-mm"), help: "Centre-to-centre distance of the plates in mm.")
    var plateSpacingMillimetres: Double = 450

    @Option(name: .customLong("cop-threshold-n"), help: "Force below which a plate's COP is undefined, in N.")
    var copThresholdNewtons: Double = 20

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard lowpassHz.isFinite, lowpassHz >= 0 else {
            throw ValidationError("--lowpass-hz must be 0 (no filter) or a positive frequency in Hz, got \(lowpassHz)")
        }
        guard (1...Butterworth.maximumOrder).contains(order) else {
            throw ValidationError("--order must be 1…\(Butterworth.maximumOrder), got \(order)")
        }
        guard plateSpacingMillimetres.isFinite, plateSpacingMillimetres > 0 else {
            throw ValidationError("--plate-spacing-mm must be a positive distance in mm, got \(plateSpacingMillimetres)")
        }
        guard copThresholdNewtons.isFinite, copThresholdNewtons > 0 else {
            throw ValidationError("--cop-threshold-n must be a positive force in N, got \(copThresholdNewtons)")
        }
    }

    func run() throws {
        let recording: CellForceRecording
        do {
            recording = try CellForceCSV.read(path: file)
        } catch {
            throw failure("\(error)")
        }
        let options = TrialAnalysisOptions(
            lowpassHz: lowpassHz, order: order,
            layout: DualPlateLayout(spacingMetres: plateSpacingMillimetres / 1000, thresholdNewtons: copThresholdNewtons)
        )
        let report: TrialReport
        do {
            report = try TrialAnalysis.analyse(cellsNewtons: recording.cellsNewtons, rateHz: recording.rateHz, options: options)
        } catch {
            throw failure("\(file): \(error)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(ReportTable(report: report, file: file, options: options).text, terminator: "")
        }
    }

    /// Prints the message to standard error and ends with exit status 2 (the data is at fault).
    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("stance analyze: \(message)\n".utf8))
        return ExitCode(2)
    }
}
