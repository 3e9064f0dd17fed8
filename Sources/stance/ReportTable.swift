import Foundation
import StanceDSP

/// The human-readable form of a ``TrialReport``: every number with its unit, every asymmetry
/// with its formula.
struct ReportTable {
    let report: TrialReport
    let file: String
    let options: TrialAnalysisOptions

    var text: String {
        var lines: [String] = []
        let filter = options.lowpassHz > 0
            ? "low-pass \(number(options.lowpassHz, 1)) Hz, order \(options.order), zero-phase"
            : "no filter"
        lines.append("\(file): \(report.samples) samples at \(number(report.rateHz, 3)) Hz, \(number(report.durationSeconds, 2)) s; \(filter)")
        lines.append("")
        lines.append(row("", "Left", "Right", "Combined"))
        lines.append(row("Mean force (N)", number(report.left.meanForceNewtons, 1), number(report.right.meanForceNewtons, 1),
                         number(report.combined.meanForceNewtons, 1)))
        lines.append(row("Peak force (N)", number(report.left.peakForceNewtons, 1), number(report.right.peakForceNewtons, 1), ""))
        lines.append(row("Weight distribution (%)", number(report.weightDistribution.leftPercent, 2),
                         number(report.weightDistribution.rightPercent, 2), ""))
        let sways = [report.left.sway, report.right.sway, report.combined.sway]
        let swayRows: [(String, (SwayReport) -> Double?, Int)] = [
            ("Sway path (mm)", { $0.pathLengthMillimetres }, 1),
            ("Mean velocity (mm/s)", { $0.meanVelocityMillimetresPerSecond }, 2),
            ("Mean distance (mm)", { $0.meanDistanceMillimetres }, 2),
            ("RMS distance (mm)", { $0.rmsDistanceMillimetres }, 2),
            ("Range ML (mm)", { $0.rangeMLMillimetres }, 2),
            ("Range AP (mm)", { $0.rangeAPMillimetres }, 2),
            ("95% ellipse area (mm²)", { $0.ellipse95AreaSquareMillimetres }, 1),
            ("Mean frequency (Hz)", { $0.meanFrequencyHz }, 3),
        ]
        for (label, value, digits) in swayRows {
            let cells = sways.map { sway in number(sway.flatMap(value), digits) }
            lines.append(row(label, cells[0], cells[1], cells[2]))
        }
        lines.append("")
        lines.append("Weight shift (combined COP x, positive = right): mean \(number(report.weightShift.meanMillimetres, 1)) mm, "
                     + "range \(number(report.weightShift.rangeMillimetres, 1)) mm")
        lines.append("")
        lines.append(row("Asymmetry", "% diff", "dominant", "SI"))
        let asymmetries: [(String, Asymmetry?)] = [
            ("Mean force", report.asymmetry.force),
            ("Sway path", report.asymmetry.swayPath),
            ("Sway ellipse area", report.asymmetry.swayArea),
        ]
        for (label, asymmetry) in asymmetries {
            guard let asymmetry else {
                lines.append(row(label, "—", "—", "—"))
                continue
            }
            let sign = asymmetry.symmetryIndexPercent > 0 ? "+" : ""
            lines.append(row(label, number(asymmetry.asymmetryPercent, 2) + " %", asymmetry.dominant.rawValue,
                             sign + number(asymmetry.symmetryIndexPercent, 2) + " %"))
        }
        lines.append("")
        lines.append("% diff = 100·(max − min)/max, larger side dominant (Bishop et al. 2018);")
        lines.append("SI = 100·(L − R)/(0.5·(L + R)), positive = left greater (Robinson et al. 1987).")
        lines.append("Sway after Prieto et al. (1996), over the samples where that COP is defined (plate ≥ "
                     + "\(number(options.layout.thresholdNewtons, 0)) N).")
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ label: String, _ a: String, _ b: String, _ c: String) -> String {
        let line = pad(label, 26, left: true) + pad(a, 12) + pad(b, 12) + pad(c, 12)
        return String(line.reversed().drop(while: { $0 == " " }).reversed())
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(width - text.count, 0))
        return left ? text + padding : padding + text
    }

    private func number(_ value: Double?, _ digits: Int) -> String {
        guard let value else { return "—" }
        return String(format: "%.\(digits)f", value)
    }
}
