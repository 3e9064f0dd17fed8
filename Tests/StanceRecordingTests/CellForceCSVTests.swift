import Foundation
import StanceDSP
import StanceRecording
import Testing

@Suite("cell-force CSV reader")
struct CellForceCSVTests {
    let header = CellForceCSV.header

    func row(_ t: Double, _ value: Double = 100) -> String {
        "\(t)," + Array(repeating: "\(value)", count: 8).joined(separator: ",")
    }

    @Test("reads a well-formed file with CRLF line ends, a BOM and a trailing blank line")
    func wellFormed() throws {
        let text = "\u{FEFF}" + header + "\r\n" + (0..<5).map { row(Double($0) * 0.01, Double($0)) }.joined(separator: "\r\n") + "\r\n\r\n"
        let recording = try CellForceCSV.parse(text, path: "t.csv")
        #expect(recording.timeSeconds.count == 5)
        #expect(recording.cellsNewtons[3] == SIMD8(repeating: 3))
        #expect(abs(recording.rateHz - 100) < 1e-9)
    }

    @Test("a non-numeric field is reported with its line, column and name")
    func badNumber() {
        let text = [header, row(0), "0.01,1,2,3,x,5,6,7,8", row(0.02)].joined(separator: "\n")
        #expect(throws: CellForceCSVError(path: "f.csv", line: 3, column: 5, reason: .notANumber(field: "left_br_N", text: "x"))) {
            try CellForceCSV.parse(text, path: "f.csv")
        }
    }

    @Test("a short row is reported with its line")
    func shortRow() {
        let text = [header, row(0), "0.01,1,2", row(0.02)].joined(separator: "\n")
        #expect(throws: CellForceCSVError(path: "f.csv", line: 3, column: 0, reason: .wrongFieldCount(expected: 9, found: 3))) {
            try CellForceCSV.parse(text, path: "f.csv")
        }
    }

    @Test("a wrong header is refused on line 1")
    func wrongHeader() throws {
        let text = ["time,a,b", row(0)].joined(separator: "\n")
        let error = #expect(throws: CellForceCSVError.self) { try CellForceCSV.parse(text, path: "f.csv") }
        #expect(error?.line == 1)
        #expect(error?.description.contains("f.csv:1") == true)
    }

    @Test("time that goes backwards, and a gap in sampling, are refused at their line")
    func timeProblems() {
        let backwards = [header, row(0), row(0.01), row(0.005), row(0.02)].joined(separator: "\n")
        let error = #expect(throws: CellForceCSVError.self) { try CellForceCSV.parse(backwards, path: "f.csv") }
        #expect(error?.line == 4)
        let gap = [header, row(0), row(0.01), row(0.02), row(0.08), row(0.09), row(0.10)].joined(separator: "\n")
        let gapError = #expect(throws: CellForceCSVError.self) { try CellForceCSV.parse(gap, path: "f.csv") }
        #expect(gapError?.line == 5)
    }

    @Test("NaN and infinity are not numbers a plate can read")
    func nonFinite() {
        let text = [header, row(0), "0.01,nan,2,3,4,5,6,7,8", row(0.02)].joined(separator: "\n")
        let error = #expect(throws: CellForceCSVError.self) { try CellForceCSV.parse(text, path: "f.csv") }
        #expect(error?.column == 2)
    }

    @Test("a missing file is reported with its path")
    func missingFile() {
        let error = #expect(throws: CellForceCSVError.self) { try CellForceCSV.read(path: "/nonexistent/trial.csv") }
        #expect(error?.description.hasPrefix("/nonexistent/trial.csv") == true)
    }
}

@Suite("cell-force CSV reader: short and empty files")
struct CellForceCSVShortFileTests {
    @Test("an empty file, a header alone, and two rows are refused")
    func tooShort() {
        #expect(throws: CellForceCSVError(path: "e.csv", line: 0, column: 0, reason: .empty)) {
            try CellForceCSV.parse("", path: "e.csv")
        }
        #expect(throws: CellForceCSVError(path: "h.csv", line: 0, column: 0, reason: .tooFewSamples(found: 0, needed: 3))) {
            try CellForceCSV.parse(CellForceCSV.header + "\n", path: "h.csv")
        }
        let two = [CellForceCSV.header, "0,1,1,1,1,1,1,1,1", "0.01,1,1,1,1,1,1,1,1"].joined(separator: "\n")
        #expect(throws: CellForceCSVError(path: "t.csv", line: 0, column: 0, reason: .tooFewSamples(found: 2, needed: 3))) {
            try CellForceCSV.parse(two, path: "t.csv")
        }
    }
}
