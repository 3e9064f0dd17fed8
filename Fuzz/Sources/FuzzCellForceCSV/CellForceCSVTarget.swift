// libFuzzer target: any bytes given to the cell-force CSV reader must produce either a recording
// that honours the reader's contract or a located error — never a crash or a hang.
import FuzzSupport
import StanceRecording

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    do {
        let recording = try CellForceCSV.parse(bytes, path: "fuzz.csv")
        precondition(recording.timeSeconds.count == recording.cellsNewtons.count)
        precondition(recording.timeSeconds.count >= CellForceCSV.minimumSamples)
        precondition(zip(recording.timeSeconds, recording.timeSeconds.dropFirst()).allSatisfy { $0 < $1 })
        precondition(recording.rateHz.isFinite && recording.rateHz > 0)
        precondition(recording.cellsNewtons.allSatisfy { frame in (0..<8).allSatisfy { frame[$0].isFinite } })
    } catch {
        precondition(error.line >= 0 && error.column >= 0 && !error.description.isEmpty)
    }
    return 0
}

@_cdecl("FuzzCellForceCSV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
