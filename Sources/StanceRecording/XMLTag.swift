/// One XML element of the small kind XDF headers and footers hold: a name and either escaped text
/// or child elements, no attributes (pyxdf and LabRecorder read XDF metadata as attribute-less
/// elements). Callers build a stream's `<desc>` from these; the writer escapes all text.
///
/// ```swift
/// XMLTag("channel", children: [XMLTag("label", "left_tl"), XMLTag("unit", "newtons")])
/// ```
public struct XMLTag: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case text(String)
        case children([XMLTag])
    }

    /// The element name: ASCII letters, digits, `_`, `-` and `.`, not starting with a digit,
    /// `-` or `.` (checked: a bad name is a programming error, not data).
    public var name: String
    public var content: Content

    public init(_ name: String, _ text: String) {
        precondition(XMLTag.isValidName(name), "'\(name)' is not an XML element name this writer accepts")
        self.name = name
        self.content = .text(text)
    }

    public init(_ name: String, children: [XMLTag]) {
        precondition(XMLTag.isValidName(name), "'\(name)' is not an XML element name this writer accepts")
        self.name = name
        self.content = .children(children)
    }

    /// A number as its shortest text that reads back to the same `Double` (`0.001`, `1000.0`).
    public init(_ name: String, _ number: Double) {
        self.init(name, number.description)
    }

    public init(_ name: String, _ number: Int) {
        self.init(name, number.description)
    }

    /// The element as UTF-8 XML, with no whitespace between elements.
    public var xml: String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the element as UTF-8 XML. An element with empty text or no children is written
    /// `<name/>`.
    public func write(into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        if content == .text("") || content == .children([]) {
            bytes.append(contentsOf: "/>".utf8)
            return
        }
        switch content {
        case .text(let text):
            bytes.append(UInt8(ascii: ">"))
            XMLTag.appendEscaped(text, to: &bytes)
        case .children(let children):
            bytes.append(UInt8(ascii: ">"))
            for child in children { child.write(into: &bytes) }
        }
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Appends `text` as XML character data: `&`, `<`, `>`, `"` and `'` as entities, and the
    /// control characters XML 1.0 cannot carry at all (U+0000–U+001F except tab, line feed and
    /// carriage return) as U+FFFD, so a stray byte in a user's note cannot make the file unreadable.
    public static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&apos;".utf8)
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0x00..<0x20: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: bytes.append(byte)
            }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isNameStart(first) else { return false }
        return name.utf8.allSatisfy { isNameStart($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }
}
