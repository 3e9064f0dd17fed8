/// The parameter section of a C3D file, as the C3D User Guide (Motion Lab Systems,
/// https://www.c3d.org/HTML/Documents/, "The Parameter Section", "Group Format", "Parameter
/// Format") describes it, Intel byte order.
///
/// The section starts on a 512-byte block with four bytes: two the guide says to ignore (written
/// `01 50`), the number of 512-byte blocks the section takes, and the processor type (84, Intel).
/// Records follow. A group is `[name length: Int8][id: Int8 < 0][name][offset: Int16]
/// [description length: UInt8][description]`; a parameter is `[name length][id of its group > 0]
/// [name][offset][element size: Int8, −1 text, 1 byte, 2 Int16, 4 Float][dimension count: UInt8]
/// [dimensions: UInt8 each][values, first dimension fastest][description length][description]`.
/// `offset` counts the bytes from itself to the next record; 0 on the last record ends the list.
public enum C3DParameters {
    /// Processor type 84: Intel, little-endian integers and IEEE floats.
    public static let intelProcessor: UInt8 = 84

    /// The values of one parameter. Dimensions are the C3D ones (first varies fastest), each at
    /// most 255.
    public enum Value: Sendable, Equatable {
        case integers([Int16], dimensions: [Int])
        case floats([Float], dimensions: [Int])
        /// Strings padded with spaces to the longest: dimensions `[length]` for one string,
        /// `[length, count]` for a list.
        case text([String])
        case string(String)
    }

    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var description: String
        public var value: Value

        public init(_ name: String, _ value: Value, description: String = "") {
            self.name = name
            self.value = value
            self.description = description
        }

        public static func integer(_ name: String, _ value: Int16, description: String = "") -> Parameter {
            Parameter(name, .integers([value], dimensions: []), description: description)
        }

        public static func float(_ name: String, _ value: Float, description: String = "") -> Parameter {
            Parameter(name, .floats([value], dimensions: []), description: description)
        }
    }

    public struct Group: Sendable, Equatable {
        /// 1…127; written negated on the group, positive on its parameters.
        public var id: Int8
        public var name: String
        public var description: String
        public var parameters: [Parameter]

        public init(id: Int8, _ name: String, description: String = "", _ parameters: [Parameter]) {
            self.id = id
            self.name = name
            self.description = description
            self.parameters = parameters
        }
    }

    /// The whole section, padded with zeros to whole 512-byte blocks.
    public static func encode(_ groups: [Group]) throws(C3DError) -> [UInt8] {
        var bytes: [UInt8] = [0x01, 0x50, 0, intelProcessor]
        var lastOffset = 0
        for group in groups {
            lastOffset = try appendRecord(name: group.name, id: -group.id, body: [], description: group.description, to: &bytes)
            for parameter in group.parameters {
                let body = try encodeBody(parameter)
                lastOffset = try appendRecord(name: parameter.name, id: group.id, body: body, description: parameter.description, to: &bytes)
            }
        }
        bytes[lastOffset] = 0
        bytes[lastOffset + 1] = 0
        let blocks = (bytes.count + C3DHeader.blockSize - 1) / C3DHeader.blockSize
        guard blocks <= 255 else { throw .parameterSectionTooLarge(blocks: blocks) }
        bytes[2] = UInt8(blocks)
        bytes.append(contentsOf: repeatElement(0, count: blocks * C3DHeader.blockSize - bytes.count))
        return bytes
    }

    /// Appends one record and returns where its offset field is (the last one is zeroed).
    private static func appendRecord(name: String, id: Int8, body: [UInt8], description: String, to bytes: inout [UInt8]) throws(C3DError) -> Int {
        let nameBytes = Array(name.utf8)
        let descriptionBytes = Array(description.utf8)
        guard (1...127).contains(nameBytes.count), nameBytes.allSatisfy(isNameByte) else { throw .badName(name) }
        guard descriptionBytes.count <= 255 else { throw .textTooLong(name, bytes: descriptionBytes.count) }
        bytes.append(UInt8(nameBytes.count))
        bytes.append(UInt8(bitPattern: id))
        bytes.append(contentsOf: nameBytes)
        let offsetField = bytes.count
        XDFChunk.appendLittleEndian(Int16(2 + body.count + 1 + descriptionBytes.count), to: &bytes)
        bytes.append(contentsOf: body)
        bytes.append(UInt8(descriptionBytes.count))
        bytes.append(contentsOf: descriptionBytes)
        return offsetField
    }

    /// Element size, dimensions and values of a parameter.
    private static func encodeBody(_ parameter: Parameter) throws(C3DError) -> [UInt8] {
        var bytes: [UInt8] = []
        func header(size: Int8, _ dimensions: [Int]) throws(C3DError) {
            guard dimensions.allSatisfy({ (0...255).contains($0) }) else { throw .dimensionTooLarge(parameter.name, dimensions) }
            bytes.append(UInt8(bitPattern: size))
            bytes.append(UInt8(dimensions.count))
            bytes.append(contentsOf: dimensions.map { UInt8($0) })
        }
        switch parameter.value {
        case .integers(let values, let dimensions):
            try header(size: 2, dimensions)
            for value in values { XDFChunk.appendLittleEndian(value, to: &bytes) }
        case .floats(let values, let dimensions):
            try header(size: 4, dimensions)
            for value in values { XDFChunk.appendLittleEndian(value.bitPattern, to: &bytes) }
        case .string(let text):
            try header(size: -1, [text.utf8.count])
            bytes.append(contentsOf: text.utf8)
        case .text(let strings):
            let width = max(1, strings.map(\.utf8.count).max() ?? 0)
            try header(size: -1, [width, strings.count])
            for string in strings {
                bytes.append(contentsOf: string.utf8)
                bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - string.utf8.count))
            }
        }
        return bytes
    }

    /// Group and parameter names: upper-case ASCII letters, digits and `_` (the guide's rule).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_")
    }
}
