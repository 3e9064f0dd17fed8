import Foundation

/// Renders METRICS and IMU_METRICS objects for `stance watch`: a full-screen frame for a
/// terminal, or one plain line per object when standard output is a file or a pipe.
struct LiveView {
    /// Width of the left/right bars, characters.
    var barWidth = 40
    /// Latest device or session event, shown under the frame.
    var lastEvent: String?
    /// Latest IMU_METRICS, shown under the plates (or alone, without plates).
    var lastImuMetrics: [String: Any]?

    /// One plain line of IMU_METRICS: each segment's angle and ROM, the shank and thigh ROM
    /// asymmetry, the trunk's lean and tilt sway.
    func imuLine(_ metrics: [String: Any]) -> String {
        var parts = ["IMU t \(number(metrics["t_s"], 2)) s"]
        let segments = metrics["segments"] as? [String: [String: Any]] ?? [:]
        for name in ["left_shank", "right_shank", "left_thigh", "right_thigh"] {
            guard let segment = segments[name] else { continue }
            parts.append("\(name) \(number(segment["sagittal_deg"], 1))° ROM \(number(segment["rom_deg"], 1))°")
        }
        let asymmetry = metrics["asymmetry"] as? [String: Any]
        for pair in ["shank", "thigh"] {
            guard let rom = (asymmetry?[pair] as? [String: Any])?["rom"] as? [String: Any] else { continue }
            parts.append("\(pair) ROM asymmetry \(number(rom["asymmetry_pct"], 1)) % \(rom["dominant"] as? String ?? "–")")
        }
        if let trunk = metrics["trunk"] as? [String: Any] {
            let tilt = trunk["tilt_sway"] as? [String: Any]
            parts.append("trunk lean \(number(trunk["lean_deg"], 1))° (+ = right) sway \(number(tilt?["ellipse95_area_deg2"], 2)) deg²")
        }
        parts += singleLegTexts(metrics)
        return parts.joined(separator: "  ")
    }

    /// Per segment of IMU_METRICS' `single_leg`: `single-leg SEGMENT path L / R deg over S / S s`, and
    /// the path asymmetry once both legs have a trial.
    func singleLegTexts(_ metrics: [String: Any]) -> [String] {
        guard let singleLeg = metrics["single_leg"] as? [String: Any] else { return [] }
        return ["trunk", "shank"].compactMap { segment in
            guard let legs = singleLeg[segment] as? [String: Any] else { return nil }
            let left = legs["left_stance"] as? [String: Any], right = legs["right_stance"] as? [String: Any]
            guard left != nil || right != nil else { return nil }
            var text = "single-leg \(segment) path \(number(left?["path_length_deg"], 1)) / \(number(right?["path_length_deg"], 1)) deg "
                + "over \(number(left?["seconds"], 1)) / \(number(right?["seconds"], 1)) s (left / right)"
            if let path = legs["sway_path"] as? [String: Any] {
                text += " asymmetry \(number(path["asymmetry_pct"], 1)) % (\(path["dominant"] as? String ?? "–") larger)"
            }
            return text
        }
    }

    /// The IMU part of the terminal frame.
    func imuLines() -> [String] {
        guard let metrics = lastImuMetrics else { return [] }
        var lines = ["IMUs over \(number(metrics["window_s"], 0)) s   sagittal °   frontal °   ROM °   peak °/s"]
        let segments = metrics["segments"] as? [String: [String: Any]] ?? [:]
        for name in ["left_shank", "right_shank", "left_thigh", "right_thigh"] {
            guard let segment = segments[name] else { continue }
            lines.append("  " + pad(name, 12, left: true) + pad(number(segment["sagittal_deg"], 1), 10) + pad(number(segment["frontal_deg"], 1), 12)
                + pad(number(segment["rom_deg"], 1), 8) + pad(number(segment["peak_angular_velocity_deg_s"], 1), 11))
        }
        let asymmetry = metrics["asymmetry"] as? [String: Any]
        for pair in ["shank", "thigh"] {
            guard let rom = (asymmetry?[pair] as? [String: Any])?["rom"] as? [String: Any] else { continue }
            lines.append("  \(pair) ROM asymmetry \(number(rom["asymmetry_pct"], 1)) % (\(rom["dominant"] as? String ?? "–") larger)")
        }
        if let trunk = metrics["trunk"] as? [String: Any] {
            let tilt = trunk["tilt_sway"] as? [String: Any]
            lines.append("  trunk lean \(number(trunk["lean_deg"], 1))° (+ = right), tilt sway RMS \(number(tilt?["rms_distance_deg"], 2))°, "
                + "95% area \(number(tilt?["ellipse95_area_deg2"], 2)) deg²")
        }
        lines += singleLegTexts(metrics).map { "  " + $0 }
        return lines + [""]
    }

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
    func frame(_ metrics: [String: Any]?, header: String) -> String {
        guard let metrics else {
            return ([header, ""] + imuLines() + ["Last event: \(lastEvent ?? "none")"]).joined(separator: "\n")
        }
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
        lines += imuLines()
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
