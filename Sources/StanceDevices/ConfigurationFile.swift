/// A small TOML subset for device profiles and daemon configuration: `[table]` and
/// `[table.subtable]` headers, `key = value` with strings ("…", with \" \\ \n \t escapes),
/// integers (decimal or 0x hex, optional sign), floats, booleans, and one-line arrays of those;
/// `#` comments. Every value remembers its line and column, so errors can name them.
public struct ConfigurationFile: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case array([Value])

        /// A number as Double (integers widen).
        public var number: Double? {
            switch self {
            case .integer(let value): return Double(value)
            case .float(let value): return value
            default: return nil
            }
        }

        public var typeName: String {
            switch self {
            case .string: return "string"
            case .integer: return "integer"
            case .float: return "float"
            case .boolean: return "boolean"
            case .array: return "array"
            }
        }
    }

    /// A value and where it was written.
    public struct Entry: Sendable, Equatable {
        public var value: Value
        public var line: Int
        public var column: Int
    }

    /// What is wrong, and where.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var column: Int
        public var message: String

        public init(path: String, line: Int, column: Int, message: String) {
            self.path = path
            self.line = line
            self.column = column
            self.message = message
        }

        public var description: String { "\(path):\(line):\(column): \(message)" }
    }

    public let path: String
    /// Entries by full key: "table.subtable.key".
    public private(set) var entries: [String: Entry] = [:]
    /// Keys in the order they were written.
    public private(set) var keys: [String] = []

    public init(text: String, path: String) throws(ParseError) {
        self.path = path
        var table = ""
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            var scanner = Scanner(Array(rawLine.utf8), path: path, line: lineNumber)
            scanner.skipSpaces()
            guard let first = scanner.peek, first != UInt8(ascii: "#"), first != UInt8(ascii: "\r") else { continue }
            if first == UInt8(ascii: "[") {
                scanner.advance()
                let name = try scanner.bareKey(allowDots: true)
                guard scanner.peek == UInt8(ascii: "]") else { throw scanner.error("expected ']' after the table name") }
                scanner.advance()
                try scanner.expectEndOfLine()
                table = name
                continue
            }
            let column = scanner.column
            let key = try scanner.bareKey(allowDots: false)
            scanner.skipSpaces()
            guard scanner.peek == UInt8(ascii: "=") else { throw scanner.error("expected '=' after '\(key)'") }
            scanner.advance()
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEndOfLine()
            let fullKey = table.isEmpty ? key : table + "." + key
            guard entries[fullKey] == nil else {
                throw ParseError(path: path, line: lineNumber, column: column, message: "'\(fullKey)' is set twice")
            }
            entries[fullKey] = Entry(value: value, line: lineNumber, column: column)
            keys.append(fullKey)
        }
    }
}

/// Reads one line of a configuration file.
private struct Scanner {
    let bytes: [UInt8]
    let path: String
    let line: Int
    var index = 0

    init(_ bytes: [UInt8], path: String, line: Int) {
        self.bytes = bytes
        self.path = path
        self.line = line
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    var column: Int { index + 1 }
    mutating func advance() { index += 1 }

    mutating func skipSpaces() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
    }

    func error(_ message: String) -> ConfigurationFile.ParseError {
        ConfigurationFile.ParseError(path: path, line: line, column: column, message: message)
    }

    mutating func expectEndOfLine() throws(ConfigurationFile.ParseError) {
        skipSpaces()
        guard let byte = peek, byte != UInt8(ascii: "#"), byte != UInt8(ascii: "\r") else { return }
        throw error("unexpected '\(Character(Unicode.Scalar(byte)))' after the value")
    }

    mutating func bareKey(allowDots: Bool) throws(ConfigurationFile.ParseError) -> String {
        let start = index
        while let byte = peek, isKeyByte(byte) || (allowDots && byte == UInt8(ascii: ".")) { advance() }
        guard index > start else { throw error("expected a name (letters, digits, '_' or '-')") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isKeyByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    mutating func value() throws(ConfigurationFile.ParseError) -> ConfigurationFile.Value {
        guard let byte = peek else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            advance()
            var items: [ConfigurationFile.Value] = []
            while true {
                skipSpaces()
                if peek == UInt8(ascii: "]") {
                    advance()
                    return .array(items)
                }
                items.append(try value())
                skipSpaces()
                if peek == UInt8(ascii: ",") {
                    advance()
                } else if peek != UInt8(ascii: "]") {
                    throw error("expected ',' or ']' in the array")
                }
            }
        default:
            let start = index
            while let next = peek, next != UInt8(ascii: ","), next != UInt8(ascii: "]"), next != UInt8(ascii: " "),
                  next != UInt8(ascii: "\t"), next != UInt8(ascii: "#"), next != UInt8(ascii: "\r") { advance() }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
            let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.dropFirst()) : text
            let negative = text.hasPrefix("-")
            if unsigned.hasPrefix("0x"), let value = Int(unsigned.dropFirst(2).replacingUnderscores, radix: 16) {
                return .integer(negative ? -value : value)
            }
            if let value = Int(text.replacingUnderscores) { return .integer(value) }
            if let value = Double(text.replacingUnderscores), value.isFinite { return .float(value) }
            index = start
            throw error("'\(text)' is not a string, number, boolean or array")
        }
    }

    mutating func string() throws(ConfigurationFile.ParseError) -> String {
        let opening = index
        advance()
        var result: [UInt8] = []
        while let byte = peek {
            advance()
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { throw error("unfinished escape") }
                advance()
                switch escaped {
                case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): result.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): result.append(escaped)
                default: throw error("unknown escape '\\\(Character(Unicode.Scalar(escaped)))'")
                }
            default:
                result.append(byte)
            }
        }
        index = opening
        throw error("string not closed on this line")
    }
}

private extension StringProtocol {
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
