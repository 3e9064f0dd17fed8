/// Takes the chunks of an XDF file one at a time, once framed, and builds the recording. It decides
/// what a chunk's content means: read, left out (sound framing, content of no use), or damaged (the
/// content does not fit its length, so the framing cannot be trusted either).
struct XDFRecordingBuilder {
    enum Outcome {
        case read
        case ignored(String)
        case damaged(String)
    }

    private(set) var fileHeader: XMLTag?
    private var streams: [XDFRecordedStream] = []
    private var stores: [XDFSampleStore] = []
    private var indices: [UInt32: Int] = [:]

    var recording: (fileHeader: XMLTag?, streams: [XDFRecordedStream]) {
        (fileHeader, zip(streams, stores).map { stream, store in
            var stream = stream
            stream.values = store.values
            stream.timestamps = store.timestamps
            return stream
        })
    }

    /// Applies the chunk with `tag` whose content (after the tag) is `bytes[content]`.
    mutating func apply(tag: UInt16, _ bytes: UnsafeRawBufferPointer, _ content: Range<Int>) -> Outcome {
        var cursor = XDFByteCursor(bytes, from: content.lowerBound, to: content.upperBound)
        switch XDFChunk.Tag(rawValue: tag) {
        case nil:
            return .damaged("tag \(tag) is not one of XDF 1.0's 1…6")
        case .boundary:
            return content.count == 16 && XDFChunk.boundaryUUID.elementsEqual(bytes[content])
                ? .read : .damaged("a boundary chunk without the boundary UUID")
        case .fileHeader:
            guard fileHeader == nil else { return .ignored("a second file header") }
            switch Result(catching: { () throws(XMLReadError) in try XMLReader.parse(bytes, content) }) {
            case .success(let info): fileHeader = info
            case .failure(let error): return .ignored("file header: \(error)")
            }
            return .read
        case .streamHeader:
            guard let id = cursor.integer(UInt32.self) else { return .damaged("a stream header without a stream id") }
            guard indices[id] == nil else { return .ignored("a second header for stream \(id)") }
            let header: XMLTag
            let info: XDFStreamInfo
            do throws(XMLReadError) {
                header = try XMLReader.parse(bytes, cursor.offset..<content.upperBound)
            } catch {
                return .ignored("stream \(id) header: \(error)")
            }
            do throws(XDFChunkDamage) {
                info = try XDFStreamInfo(header: header)
            } catch {
                return .ignored("stream \(id) header: \(error.reason)")
            }
            indices[id] = streams.count
            streams.append(XDFRecordedStream(id: id, info: info, header: header, values: .float32([]), timestamps: [],
                                             clockOffsets: [], footer: nil))
            stores.append(XDFSampleStore(info))
            return .read
        case .samples:
            guard let id = cursor.integer(UInt32.self) else { return .damaged("a samples chunk without a stream id") }
            guard let index = indices[id] else { return .ignored("samples of stream \(id), which has no header before them") }
            do throws(XDFChunkDamage) {
                try stores[index].appendChunk(&cursor)
            } catch {
                return .damaged("samples of stream \(id): \(error.reason)")
            }
            return .read
        case .clockOffset:
            guard content.count == 20, let id = cursor.integer(UInt32.self), let time = cursor.float64(),
                  let offset = cursor.float64() else { return .damaged("a clock offset of \(content.count) bytes, not 20") }
            guard let index = indices[id] else { return .ignored("clock offset of stream \(id), which has no header before it") }
            streams[index].clockOffsets.append(.init(collectionTimeSeconds: time, offsetSeconds: offset))
            return .read
        case .streamFooter:
            guard let id = cursor.integer(UInt32.self) else { return .damaged("a stream footer without a stream id") }
            guard let index = indices[id] else { return .ignored("footer of stream \(id), which has no header before it") }
            guard streams[index].footer == nil else { return .ignored("a second footer for stream \(id)") }
            switch Result(catching: { () throws(XMLReadError) in try XMLReader.parse(bytes, cursor.offset..<content.upperBound) }) {
            case .success(let info): streams[index].footer = XDFStreamFooter(info: info)
            case .failure(let error): return .ignored("stream \(id) footer: \(error)")
            }
            return .read
        }
    }
}
