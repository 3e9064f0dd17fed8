#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import StanceDSP

/// A dual-plate trial read from the cell-force CSV that `stance analyze` takes (and that
/// `stance export --format csv` will write): header
/// `time_s,left_tl_N,left_tr_N,left_bl_N,left_br_N,right_tl_N,right_tr_N,right_bl_N,right_br_N`,
/// one row per sample, time in seconds, forces in newtons.
public struct CellForceRecording: Sendable, Equatable {
    /// Sample times, seconds, strictly increasing.
    public var timeSeconds: [Double]
    /// One frame per sample: left TL TR BL BR, right TL TR BL BR, newtons.
    public var cellsNewtons: [SIMD8<Double>]

    /// Sampling rate from the time column: (N − 1) / (t_last − t_first), hertz.
    public var rateHz: Double {
        Double(timeSeconds.count - 1) / (timeSeconds[timeSeconds.count - 1] - timeSeconds[0])
    }
}

/// What is wrong with a cell-force CSV, and where. Lines and columns are 1-based.
public struct CellForceCSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case unreadable(String)
        case empty
        case wrongHeader(expected: String, found: String)
        case wrongFieldCount(expected: Int, found: Int)
        case notANumber(field: String, text: String)
        case timeNotIncreasing(previousSeconds: Double, seconds: Double)
        case irregularSampling(intervalSeconds: Double, nominalSeconds: Double)
        case tooFewSamples(found: Int, needed: Int)
    }

    public var path: String
    /// Line of the file at fault (0 when the fault is the whole file).
    public var line: Int
    /// Column at fault (0 when the fault is the whole line).
    public var column: Int
    public var reason: Reason

    public init(path: String, line: Int, column: Int, reason: Reason) {
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        let location = line == 0 ? path : (column == 0 ? "\(path):\(line)" : "\(path):\(line):\(column)")
        switch reason {
        case .unreadable(let why): return "\(location): cannot read the file: \(why)"
        case .empty: return "\(location): the file is empty"
        case .wrongHeader(let expected, let found):
            return "\(location): header must be '\(expected)', found '\(found)'"
        case .wrongFieldCount(let expected, let found):
            return "\(location): expected \(expected) comma-separated fields, found \(found)"
        case .notANumber(let field, let text):
            return "\(location): \(field) is not a finite number: '\(text)'"
        case .timeNotIncreasing(let previous, let seconds):
            return "\(location): time_s \(seconds) s does not increase (previous sample \(previous) s)"
        case .irregularSampling(let interval, let nominal):
            return "\(location): sample interval \(interval) s departs from the nominal \(nominal) s by more than half"
        case .tooFewSamples(let found, let needed):
            return "\(location): \(found) samples; at least \(needed) are needed"
        }
    }
}

/// Reader of the cell-force CSV.
public enum CellForceCSV {
    /// The header line, exactly.
    public static let columns = [
        "time_s", "left_tl_N", "left_tr_N", "left_bl_N", "left_br_N",
        "right_tl_N", "right_tr_N", "right_bl_N", "right_br_N",
    ]
    public static let header = columns.joined(separator: ",")

    /// One data row with its newline: time (seconds) and the eight cells (newtons, left TL TR BL
    /// BR, right TL TR BL BR) in Swift's shortest round-trip form; a non-finite value is left
    /// empty (no reading), so a reader never sees `nan` as a number.
    public static func row(timeSeconds: Double, cellsNewtons: SIMD8<Double>) -> String {
        func number(_ value: Double) -> String { value.isFinite ? value.description : "" }
        var line = number(timeSeconds)
        for cell in 0..<8 {
            line += ","
            line += number(cellsNewtons[cell])
        }
        return line + "\n"
    }

    /// Fewest rows accepted.
    public static let minimumSamples = 3

    /// Reads and validates a file. Accepts `\n` or `\r\n` line ends, a UTF-8 byte-order mark, blank
    /// trailing lines, and spaces around fields.
    public static func read(path: String) throws(CellForceCSVError) -> CellForceRecording {
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path)
        } catch {
            throw CellForceCSVError(path: path, line: 0, column: 0, reason: .unreadable(error.reason))
        }
        return try parse(bytes, path: path)
    }

    /// Parses the text of a file; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(CellForceCSVError) -> CellForceRecording {
        try parse(Array(text.utf8), path: path)
    }

    /// Parses the bytes of a file (UTF-8 or ASCII); `path` names it in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws(CellForceCSVError) -> CellForceRecording {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
        while let last = lines.last, last.allSatisfy({ $0 == UInt8(ascii: " ") }) { lines.removeLast() }
        guard var header = lines.first else {
            throw CellForceCSVError(path: path, line: 0, column: 0, reason: .empty)
        }
        if header.starts(with: [0xEF, 0xBB, 0xBF]) { header = header.dropFirst(3) }
        let headerFields = header.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(trimmedText)
        guard headerFields == columns else {
            throw CellForceCSVError(path: path, line: 1, column: 0,
                                    reason: .wrongHeader(expected: Self.header, found: String(decoding: header, as: UTF8.self)))
        }

        var times: [Double] = []
        var frames: [SIMD8<Double>] = []
        times.reserveCapacity(lines.count - 1)
        frames.reserveCapacity(lines.count - 1)
        var values = [Double](repeating: 0, count: columns.count)
        for (offset, line) in lines.enumerated().dropFirst() {
            let lineNumber = offset + 1
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw CellForceCSVError(path: path, line: lineNumber, column: 0,
                                        reason: .wrongFieldCount(expected: columns.count, found: fields.count))
            }
            for (column, field) in fields.enumerated() {
                let text = trimmedText(field)
                guard let value = Double(text), value.isFinite else {
                    throw CellForceCSVError(path: path, line: lineNumber, column: column + 1,
                                            reason: .notANumber(field: columns[column], text: text))
                }
                values[column] = value
            }
            if let previous = times.last, values[0] <= previous {
                throw CellForceCSVError(path: path, line: lineNumber, column: 1,
                                        reason: .timeNotIncreasing(previousSeconds: previous, seconds: values[0]))
            }
            times.append(values[0])
            frames.append(SIMD8(values[1...8]))
        }
        guard times.count >= minimumSamples else {
            throw CellForceCSVError(path: path, line: 0, column: 0, reason: .tooFewSamples(found: times.count, needed: minimumSamples))
        }
        try checkRegularSampling(times, path: path)
        return CellForceRecording(timeSeconds: times, cellsNewtons: frames)
    }

    private static func trimmedText(_ field: ArraySlice<UInt8>) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = field.firstIndex(where: { !isSpace($0) }), let last = field.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: field[first...last], as: UTF8.self)
    }

    /// The analysis assumes a fixed rate: reject a file whose intervals stray by more than half the
    /// nominal interval (a gap or a duplicated block), naming the first line that does.
    private static func checkRegularSampling(_ times: [Double], path: String) throws(CellForceCSVError) {
        let nominal = (times[times.count - 1] - times[0]) / Double(times.count - 1)
        for index in 1..<times.count {
            let interval = times[index] - times[index - 1]
            if abs(interval - nominal) > 0.5 * nominal {
                throw CellForceCSVError(path: path, line: index + 2, column: 1,
                                        reason: .irregularSampling(intervalSeconds: interval, nominalSeconds: nominal))
            }
        }
    }
}
