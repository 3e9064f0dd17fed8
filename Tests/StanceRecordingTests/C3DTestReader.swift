/// A minimal C3D reader for the tests, written from the C3D User Guide independently of the
/// encoder: header words, every parameter by `GROUP:NAME`, and the float data section.
struct C3DTestReader {
    struct Parameter {
        var elementSize: Int
        var dimensions: [Int]
        var data: [UInt8]
    }

    let bytes: [UInt8]
    private(set) var parameters: [String: Parameter] = [:]
    private(set) var groupDescriptions: [String: String] = [:]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var groupNames: [Int: String] = [:]
        var pending: [(id: Int, name: String, parameter: Parameter)] = []
        var position = (Int(bytes[0]) - 1) * 512 + 4
        while true {
            let nameLength = Int(abs(Int8(bitPattern: bytes[position])))
            if nameLength == 0 { break }
            let id = Int(Int8(bitPattern: bytes[position + 1]))
            let name = String(decoding: bytes[(position + 2)..<(position + 2 + nameLength)], as: UTF8.self)
            let offsetField = position + 2 + nameLength
            let offset = Int(Int16(bitPattern: UInt16(bytes[offsetField]) | UInt16(bytes[offsetField + 1]) << 8))
            var cursor = offsetField + 2
            if id < 0 {
                groupNames[-id] = name
                let length = Int(bytes[cursor])
                groupDescriptions[name] = String(decoding: bytes[(cursor + 1)..<(cursor + 1 + length)], as: UTF8.self)
            } else {
                let size = Int(Int8(bitPattern: bytes[cursor]))
                let dimensionCount = Int(bytes[cursor + 1])
                let dimensions = (0..<dimensionCount).map { Int(bytes[cursor + 2 + $0]) }
                cursor += 2 + dimensionCount
                let count = dimensions.reduce(1, *) * abs(size)
                pending.append((id, name, Parameter(elementSize: size, dimensions: dimensions, data: Array(bytes[cursor..<(cursor + count)]))))
            }
            if offset == 0 { break }
            position = offsetField + offset
        }
        for (id, name, parameter) in pending { parameters["\(groupNames[id]!):\(name)"] = parameter }
    }

    /// Header word `number` (1-based), unsigned.
    func word(_ number: Int) -> Int { Int(UInt16(bytes[(number - 1) * 2]) | UInt16(bytes[(number - 1) * 2 + 1]) << 8) }

    func headerFloat(_ number: Int) -> Float {
        Float(bitPattern: UInt32(word(number)) | UInt32(word(number + 1)) << 16)
    }

    func integers(_ key: String) -> [Int] {
        let p = parameters[key]!
        precondition(p.elementSize == 2, "\(key) is not Int16")
        return stride(from: 0, to: p.data.count, by: 2).map { Int(Int16(bitPattern: UInt16(p.data[$0]) | UInt16(p.data[$0 + 1]) << 8)) }
    }

    func floats(_ key: String) -> [Float] {
        let p = parameters[key]!
        precondition(p.elementSize == 4, "\(key) is not Float")
        return stride(from: 0, to: p.data.count, by: 4).map { Self.float(p.data, at: $0) }
    }

    /// A text parameter's strings, trailing spaces removed.
    func strings(_ key: String) -> [String] {
        let p = parameters[key]!
        precondition(p.elementSize == -1, "\(key) is not text")
        let width = p.dimensions.first ?? 0
        guard width > 0 else { return [] }
        return stride(from: 0, to: p.data.count, by: width).map { start in
            var slice = p.data[start..<(start + width)]
            while slice.last == UInt8(ascii: " ") { slice = slice.dropLast() }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    /// Analog value of `channel` at analog sample `sample` (points: none).
    func analog(sample: Int, channel: Int) -> Float {
        let channels = integers("ANALOG:USED")[0]
        let start = (integers("POINT:DATA_START")[0] - 1) * 512
        return Self.float(bytes, at: start + (sample * channels + channel) * 4)
    }

    static func float(_ bytes: [UInt8], at offset: Int) -> Float {
        Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
    }

    /// The COP a reader computes for plate `plate` at `sample`, lab frame, mm, as ezc3d does
    /// (`src/modules/ForcePlatforms.cpp`): axes from the corners, local (−MY / FZ, MX / FZ, 0)
    /// rotated into the lab and moved to the corners' centre.
    func readerCOP(plate: Int, sample: Int) -> SIMD3<Double> {
        let channels = integers("FORCE_PLATFORM:CHANNEL")[(plate * 6)..<(plate * 6 + 6)].map { $0 - 1 }
        let value = { (k: Int) in Double(analog(sample: sample, channel: channels[k])) }
        let all = floats("FORCE_PLATFORM:CORNERS").map(Double.init)
        let corners = (0..<4).map { SIMD3(all[plate * 12 + $0 * 3], all[plate * 12 + $0 * 3 + 1], all[plate * 12 + $0 * 3 + 2]) }
        func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
        }
        func unit(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
        let x = corners[0] - corners[1]
        let z = cross(x, corners[0] - corners[3])
        let y = cross(z, x)
        let local = SIMD2(-value(4) / value(2), value(3) / value(2))
        let centre = (corners[0] + corners[1] + corners[2] + corners[3]) / 4
        return unit(x) * local.x + unit(y) * local.y + centre
    }
}
