// libFuzzer target: any bytes given to the XDF reader must give a recording whose streams and
// problems are consistent with the input, or the one error for a file that is not XDF; bytes that
// are not XDF go to the XML reader, which must give a tree or an error inside them. Never a crash
// or a hang.
import FuzzSupport
import StanceRecording

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    do {
        let recording = try XDFReader.read(bytes)
        for stream in recording.streams {
            precondition(stream.values.count == stream.sampleCount * stream.info.channelCount)
            precondition(stream.info.channelCount >= 1 && stream.info.nominalRateHz.isFinite)
        }
        precondition(Set(recording.streams.map(\.id)).count == recording.streams.count)
        for problem in recording.problems {
            switch problem {
            case .truncated(let chunk, let fileSize):
                precondition(fileSize == size && chunk < size || size < 4)
            case .skipped(let offset, let count, _, _):
                precondition(offset >= 4 && count > 0 && offset + count <= size)
            case .ignoredChunk(let offset, _, _):
                precondition(offset >= 4 && offset < size)
            }
        }
        // Everything before a truncation reads the same without the cut chunk's bytes (compared as
        // text: a NaN value is not == to itself, but prints the same, payload included).
        if case .truncated(let chunk, _) = recording.problems.last, chunk >= 4 {
            let before = try XDFReader.read(Array(bytes[..<chunk]))
            precondition("\(before.streams)" == "\(recording.streams)" && before.fileHeader == recording.fileHeader)
        }
    } catch {
        precondition(error == .notXDF(firstBytes: Array(bytes.prefix(4))))
        do {
            _ = try XMLReader.parse(bytes[...])
        } catch {
            precondition(error.offset >= 0 && error.offset <= size && !error.expected.isEmpty)
        }
    }
    return 0
}

@_cdecl("FuzzXDFReader_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
