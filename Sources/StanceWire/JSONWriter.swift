/// Writes one JSON object into a byte buffer without intermediate objects: the daemon encodes
/// each message once, however many clients receive it. Keys are written as given (ASCII, no
/// escaping needed); string values are escaped.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = [false]

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// The finished object followed by a newline (one line of the protocol).
    public mutating func finishLine() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private mutating func key(_ name: String) {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: "\":".utf8)
    }

    public mutating func string(_ name: String, _ value: String?) {
        key(name)
        guard let value else { return appendNull() }
        appendString(value)
    }

    /// A number; non-finite values and `nil` are written as `null` (JSON has no NaN).
    public mutating func number(_ name: String, _ value: Double?) {
        key(name)
        appendNumber(value)
    }

    public mutating func integer(_ name: String, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func boolean(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `[x, y]`, or `null`.
    public mutating func pair(_ name: String, _ value: SIMD2<Double>?) {
        key(name)
        guard let value else { return appendNull() }
        bytes.append(UInt8(ascii: "["))
        appendNumber(value.x)
        bytes.append(UInt8(ascii: ","))
        appendNumber(value.y)
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of numbers (non-finite ones as `null`).
    public mutating func numbers(_ name: String, _ values: some Sequence<Double>) {
        array(name, values) { $0.appendNumber($1) }
    }

    public mutating func strings(_ name: String, _ values: [String]) {
        array(name, values) { $0.appendString($1) }
    }

    /// An array with one object per element, each written by `body`.
    public mutating func objects<Element>(_ name: String, _ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        array(name, elements) { writer, element in writer.nestedObject { body(&$0, element) } }
    }

    /// `"name":[…]` with each element written by `append`, commas between.
    private mutating func array<Elements: Sequence>(_ name: String, _ elements: Elements,
                                                    _ append: (inout JSONWriter, Elements.Element) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            append(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A nested object written by `body`, or `null` when `present` is false.
    public mutating func object(_ name: String, present: Bool = true, _ body: (inout JSONWriter) -> Void) {
        key(name)
        guard present else { return appendNull() }
        nestedObject(body)
    }

    /// `{…}` written by `body`, with its own comma state.
    private mutating func nestedObject(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func appendNull() { bytes.append(contentsOf: "null".utf8) }

    private mutating func appendNumber(_ value: Double?) {
        guard let value, value.isFinite else { return appendNull() }
        bytes.append(contentsOf: value.description.utf8)
    }

    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: "\\\"".utf8)
            case "\\": bytes.append(contentsOf: "\\\\".utf8)
            case "\n": bytes.append(contentsOf: "\\n".utf8)
            case "\r": bytes.append(contentsOf: "\\r".utf8)
            case "\t": bytes.append(contentsOf: "\\t".utf8)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
