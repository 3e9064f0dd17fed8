import Foundation
import StanceDevices
import Testing

/// One rule of `udev-rules/70-stance.rules`: its match keys (`KEY=="value"`) and assignments.
struct UdevRule {
    var line: Int
    var matches: [String: String] = [:]
    var assignments: [String: String] = [:]

    init?(line: Int, text: String) {
        self.line = line
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix("LABEL") else { return nil }
        // KEY{attr}OP"value" pairs separated by ", ".
        let pattern = try? NSRegularExpression(pattern: #"([A-Z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|:=|=)\s*"([^"]*)""#)
        let range = NSRange(trimmed.startIndex..., in: trimmed)
        for match in pattern?.matches(in: trimmed, range: range) ?? [] {
            guard let key = Range(match.range(at: 1), in: trimmed), let op = Range(match.range(at: 2), in: trimmed),
                  let value = Range(match.range(at: 3), in: trimmed) else { continue }
            if trimmed[op] == "==" { matches[String(trimmed[key])] = String(trimmed[value]) } else { assignments[String(trimmed[key])] = String(trimmed[value]) }
        }
    }
}

@Suite("udev rules")
struct UdevRulesTests {
    let rules: [UdevRule] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("udev-rules/70-stance.rules")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap {
            UdevRule(line: $0.offset + 1, text: String($0.element))
        }
    }()

    @Test("each rule that names a profile matches the same devices as that built-in profile")
    func rulesMatchProfiles() throws {
        let naming = rules.filter { $0.assignments["ENV{STANCE_PROFILE}"] != nil }
        #expect(naming.count >= BuiltInProfiles.all.count)
        for rule in naming {
            let name = rule.assignments["ENV{STANCE_PROFILE}"] ?? ""
            let profile = try #require(BuiltInProfiles.all.first { $0.name == name }, "line \(rule.line): no profile \(name)")
            #expect(rule.matches["SUBSYSTEM"] == profile.match.subsystem.rawValue, "line \(rule.line)")
            if let vendor = rule.matches["ATTRS{idVendor}"] {
                #expect(profile.match.vendorIDs.contains(vendor), "line \(rule.line): vendor \(vendor) not in \(name)")
            } else {
                #expect(profile.match.vendorIDs.isEmpty, "line \(rule.line): \(name) matches vendors the rule does not")
            }
            #expect(rule.matches["ATTRS{idProduct}"].map { profile.match.productIDs.contains($0) } ?? profile.match.productIDs.isEmpty,
                    "line \(rule.line)")
            #expect(rule.matches["ATTRS{name}"] == profile.match.namePattern, "line \(rule.line)")
            #expect(rule.assignments["GROUP"] == "stance" && rule.assignments["MODE"] == "0660" && rule.assignments["TAG"] == "systemd")
            #expect(rule.assignments["SYMLINK"]?.hasPrefix("stance/") == true)
        }
        // Every built-in profile has a rule, and every vendor id of a profile is covered.
        for profile in BuiltInProfiles.all {
            let covered = Set(naming.filter { $0.assignments["ENV{STANCE_PROFILE}"] == profile.name }.compactMap { $0.matches["ATTRS{idVendor}"] })
            #expect(covered == Set(profile.match.vendorIDs), "\(profile.name): rules cover \(covered)")
        }
    }
}
