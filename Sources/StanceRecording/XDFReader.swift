/// Reads an XDF 1.0 file (https://github.com/sccn/xdf/wiki/Specifications) whole: what Stance's
/// `XDFWriter` writes and what LabRecorder writes. Made for files a crash cut short or damaged:
///
/// - A file that ends inside a chunk (`kill -9`, a power cut) reads up to its last complete chunk,
///   with `XDFReadProblem.truncated` saying where.
/// - A chunk whose framing cannot be right (a length-size byte other than 1, 4 or 8, a length too
///   short for the tag, an unknown tag, content that does not fit its length) is skipped by scanning
///   forward to the next Boundary chunk's UUID, as the specification intends, and reading resumes
///   after it (`XDFReadProblem.skipped`, with the byte count). A length that runs past the end of
///   the file is truncation when no Boundary follows, and damage otherwise.
///
/// Every read is bounds-checked and every step moves forward, so no input crashes or hangs it; it
/// throws only for a file that is not XDF at all.
public enum XDFReader {
    /// The recording in `bytes`, a whole file.
    public static func read(_ bytes: [UInt8]) throws(XDFReadError) -> XDFRecording {
        let head = bytes.prefix(XDFChunk.magic.count)
        guard head.elementsEqual(XDFChunk.magic.prefix(head.count)) else { throw .notXDF(firstBytes: Array(head)) }
        guard bytes.count >= XDFChunk.magic.count else {
            return XDFRecording(fileHeader: nil, streams: [], problems: [.truncated(chunkOffset: 0, fileSize: bytes.count)])
        }
        return bytes.withUnsafeBytes { raw in
            var walk = ChunkWalk(bytes: raw)
            walk.run()
            let (fileHeader, streams) = walk.builder.recording
            return XDFRecording(fileHeader: fileHeader, streams: streams, problems: walk.problems)
        }
    }

    /// The recording in the file at `path`.
    public static func read(contentsOf path: String) throws(XDFReadError) -> XDFRecording {
        let bytes: [UInt8]
        do throws(WholeFile.Failure) {
            bytes = try WholeFile.read(path)
        } catch {
            throw .unreadable(path: path, code: error.code)
        }
        return try read(bytes)
    }

    /// The offset just past the first Boundary UUID at or after `start`, nil when there is none.
    static func endOfBoundary(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let uuid = XDFChunk.boundaryUUID
        var index = max(start, 0)
        while index + uuid.count <= bytes.count {
            if bytes[index] == uuid[0], uuid.indices.allSatisfy({ bytes[index + $0] == uuid[$0] }) {
                return index + uuid.count
            }
            index += 1
        }
        return nil
    }
}

/// The framing loop: chunk after chunk from after the magic, resynchronising at boundaries.
private struct ChunkWalk {
    let bytes: UnsafeRawBufferPointer
    var builder = XDFRecordingBuilder()
    var problems: [XDFReadProblem] = []
    /// The start of the next chunk; nil once reading has stopped.
    var offset: Int? = XDFChunk.magic.count

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func run() {
        while let start = offset, start < bytes.count {
            var cursor = XDFByteCursor(bytes, from: start, to: bytes.count)
            let lengthSize = cursor.integer(UInt8.self) ?? 0
            guard lengthSize == 1 || lengthSize == 4 || lengthSize == 8 else {
                skip(from: start, scanningFrom: start + 1, reason: "a length of \(lengthSize) bytes, not 1, 4 or 8")
                continue
            }
            cursor.offset = start
            guard let length = cursor.variableLength(), length <= cursor.remaining else {
                // The length bytes, or what they count, run past the end of the file.
                if let resume = XDFReader.endOfBoundary(in: bytes, from: start + 1) {
                    problems.append(.skipped(offset: start, byteCount: resume - start,
                                             reason: "a length past the end of the file", resumedAtBoundary: true))
                    offset = resume
                } else {
                    problems.append(.truncated(chunkOffset: start, fileSize: bytes.count))
                    offset = nil
                }
                continue
            }
            guard length >= 2, let tag = cursor.integer(UInt16.self) else {
                skip(from: start, scanningFrom: start + 1, reason: "a length of \(length), too short for a tag")
                continue
            }
            let content = cursor.offset..<(cursor.offset + length - 2)
            switch builder.apply(tag: tag, bytes, content) {
            case .read:
                offset = content.upperBound
            case .ignored(let reason):
                problems.append(.ignoredChunk(offset: start, tag: tag, reason: reason))
                offset = content.upperBound
            case .damaged(let reason):
                skip(from: start, scanningFrom: content.lowerBound - 2, reason: reason)
            }
        }
    }

    /// Skips from the damaged chunk at `start` to the end of the next Boundary chunk, or to the end.
    mutating func skip(from start: Int, scanningFrom scanStart: Int, reason: String) {
        if let resume = XDFReader.endOfBoundary(in: bytes, from: scanStart) {
            problems.append(.skipped(offset: start, byteCount: resume - start, reason: reason, resumedAtBoundary: true))
            offset = resume
        } else {
            problems.append(.skipped(offset: start, byteCount: bytes.count - start, reason: reason, resumedAtBoundary: false))
            offset = nil
        }
    }
}
