import Foundation
import Testing

/// Compares two decoded JSON values: same keys at every level, equal strings and nulls, numbers
/// within `tolerance` relative. Returns the paths that differ.
func jsonDifferences(_ actual: Any, _ expected: Any, path: String = "", tolerance: Double) -> [String] {
    switch (actual, expected) {
    case let (a as [String: Any], e as [String: Any]):
        var differences: [String] = []
        if Set(a.keys) != Set(e.keys) {
            differences.append("\(path): keys \(a.keys.sorted()) vs expected \(e.keys.sorted())")
        }
        for key in Set(a.keys).intersection(e.keys).sorted() {
            differences += jsonDifferences(a[key]!, e[key]!, path: path + "." + key, tolerance: tolerance)
        }
        return differences
    case let (a as String, e as String):
        return a == e ? [] : ["\(path): \(a) vs \(e)"]
    case (is NSNull, is NSNull):
        return []
    case let (a as NSNumber, e as NSNumber):
        let x = a.doubleValue
        let y = e.doubleValue
        let error = y == 0 ? abs(x) : abs(x - y) / abs(y)
        return error <= tolerance ? [] : ["\(path): \(x) vs \(y) (relative error \(error))"]
    default:
        return ["\(path): \(actual) vs expected \(expected)"]
    }
}

@Suite("stance analyze (the real binary)")
struct AnalyzeCommandTests {
    func expected(_ fixture: String) throws -> Any {
        let url = try #require(Bundle.module.url(forResource: fixture, withExtension: "json", subdirectory: "Fixtures"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require(object["expected"])
    }

    @Test("--json on the example trial equals the NumPy/SciPy reference within 1e-9, key for key",
          arguments: [
              ("quiet-stance-dual.analyze", [String]()),
              ("quiet-stance-dual.analyze-nofilter", ["--lowpass-hz", "0"]),
          ])
    func jsonMatchesReference(fixture: String, options: [String]) throws {
        let result = try runStance(["analyze", "Examples/quiet-stance-dual.csv", "--json"] + options)
        #expect(result.status == 0, "\(result.standardError)")
        let actual = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        let differences = jsonDifferences(actual, try expected(fixture), tolerance: 1e-9)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    @Test("the table names every unit and the asymmetry formulas")
    func humanTable() throws {
        let result = try runStance(["analyze", "Examples/quiet-stance-dual.csv"])
        #expect(result.status == 0)
        for text in ["Mean force (N)", "Sway path (mm)", "95% ellipse area (mm²)", "Mean frequency (Hz)",
                     "Weight distribution (%)", "Robinson", "Bishop", "left", "3000 samples at 100.000 Hz"] {
            #expect(result.standardOutput.contains(text), "missing \(text)")
        }
    }

    @Test("a malformed file: exit status 2, and the message names the file, line and column")
    func malformedFile() throws {
        let header = "time_s,left_tl_N,left_tr_N,left_bl_N,left_br_N,right_tl_N,right_tr_N,right_bl_N,right_br_N"
        let path = try temporaryFile(named: "broken.csv", contents: """
            \(header)
            0.00,1,2,3,4,5,6,7,8
            0.01,1,2,3,4,5,six,7,8
            0.02,1,2,3,4,5,6,7,8
            """)
        let result = try runStance(["analyze", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(path):3:7"), "\(result.standardError)")
        #expect(result.standardError.contains("right_tr_N"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("a missing file: exit status 2 naming it")
    func missingFile() throws {
        let result = try runStance(["analyze", "/nonexistent/trial.csv"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("/nonexistent/trial.csv"))
    }

    @Test("a cutoff at or above the file's Nyquist frequency is refused with the figures")
    func cutoffAboveNyquist() throws {
        let result = try runStance(["analyze", "Examples/quiet-stance-dual.csv", "--lowpass-hz", "60"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("Nyquist frequency 50.0 Hz"), "\(result.standardError)")
    }

    @Test("a bad option value is a usage error naming the option")
    func badOption() throws {
        let result = try runStance(["analyze", "Examples/quiet-stance-dual.csv", "--order", "9"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--order"))
    }
}
