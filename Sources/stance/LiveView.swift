import Foundation

/// Renders METRICS objects for `stance watch`: a full-screen frame for a terminal, or one plain
/// line per object when standard output is a file or a pipe.
struct LiveView {
    /// Width of the left/right bars, characters.
    var barWidth = 40
    /// Latest device or session event, shown under the frame.
    var lastEvent: String?

    /// One plain line: time, per-leg force and share, shift, sway path per foot, force asymmetry.
    func line(_ metrics: [String: Any]) -> String {
        let left = metrics["left"] as? [String: Any]
        let right = metrics["right"] as? [String: Any]
        let sway = metrics["sway"] as? [String: Any]
        let force = (metrics["asymmetry"] as? [String: Any])?["force"] as? [String: Any]
        return "t \(number(metrics["t_s"], 2)) s  L \(number(left?["force_N"], 1)) N \(number(metrics["left_pct"], 1)) %"
            + "  R \(number(right?["force_N"], 1)) N \(number(metrics["right_pct"], 1)) %"
            + "  shift \(number(metrics["weight_shift_mm"], 1)) mm"
            + "  sway path L \(number((sway?["left"] as? [String: Any])?["path_length_mm"], 1)) R \(number((sway?["right"] as? [String: Any])?["path_length_mm"], 1)) mm"
            + "  force asymmetry \(number(force?["asymmetry_pct"], 1)) % \(force?["dominant"] as? String ?? "–")"
    }

    /// The full-screen frame (without the escape codes that place it).
    func frame(_ metrics: [String: Any], header: String) -> String {
        let left = metrics["left"] as? [String: Any]
        let right = metrics["right"] as? [String: Any]
        var lines = [header, ""]
        lines.append(bar("Left ", percent: metrics["left_pct"] as? Double) + "  \(pad(number(left?["force_N"], 1), 7)) N  \(pad(number(metrics["left_pct"], 1), 5)) %")
        lines.append(bar("Right", percent: metrics["right_pct"] as? Double) + "  \(pad(number(right?["force_N"], 1), 7)) N  \(pad(number(metrics["right_pct"], 1), 5)) %")
        lines.append("Total \(number(metrics["total_N"], 1)) N    weight shift \(number(metrics["weight_shift_mm"], 1)) mm (combined COP x, + = right)")
        lines.append("")
        let sway = metrics["sway"] as? [String: Any]
        lines.append("Sway over \(number(sway?["window_s"], 0)) s      path mm   velocity mm/s   RMS mm   95% area mm²")
        for side in ["left", "right", "combined"] {
            let values = sway?[side] as? [String: Any]
            lines.append("  " + pad(side, 10, left: true) + pad(number(values?["path_length_mm"], 1), 16) + pad(number(values?["mean_velocity_mm_s"], 2), 16)
                + pad(number(values?["rms_distance_mm"], 2), 9) + pad(number(values?["ellipse95_area_mm2"], 1), 15))
        }
        lines.append("")
        lines.append("Asymmetry         % difference   dominant   symmetry index %")
        let asymmetry = metrics["asymmetry"] as? [String: Any]
        for (key, label) in [("force", "force"), ("sway_path", "sway path"), ("sway_area", "sway area")] {
            let values = asymmetry?[key] as? [String: Any]
            lines.append("  " + pad(label, 10, left: true) + pad(number(values?["asymmetry_pct"], 1), 18)
                + pad(values?["dominant"] as? String ?? "–", 11) + pad(number(values?["symmetry_index_pct"], 1), 19))
        }
        lines.append("")
        lines.append("Last event: \(lastEvent ?? "none")")
        return lines.joined(separator: "\n")
    }

    private func bar(_ label: String, percent: Double?) -> String {
        let filled = percent.map { Int((min(max($0, 0), 100) / 100 * Double(barWidth)).rounded()) } ?? 0
        return label + " " + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled)
    }

    private func number(_ value: Any?, _ digits: Int) -> String {
        guard let value = value as? Double, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(width - text.count, 0))
        return left ? text + padding : padding + text
    }
}
