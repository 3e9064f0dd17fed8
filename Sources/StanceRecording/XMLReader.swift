/// Reads the XML that XDF files carry in their FileHeader, StreamHeader and StreamFooter chunks, as
/// Stance's `XDFWriter` and LabRecorder (liblsl's pugixml output, indented) write it: elements, text,
/// CDATA, the five predefined entities and numeric character references, comments and processing
/// instructions (skipped). No DTDs (an error, so no entity expansion can blow up).
///
/// It builds `XMLTag`s, so what the writer writes reads back equal. As pyxdf does, attributes are
/// skipped and the text between the child elements of an element is dropped (it is LabRecorder's
/// indentation); an element without children keeps its text exactly, whitespace included.
/// Bounds-checked throughout: any bytes give a tree or an error naming a byte offset.
public enum XMLReader {
    /// Elements nest at most this deep: deeper input is an error rather than a deep recursion
    /// (XDF headers nest 4 or 5 deep).
    public static let maximumDepth = 64

    /// The root element of `text`; error offsets count UTF-8 bytes from its start.
    public static func parse(_ text: String) throws(XMLReadError) -> XMLTag {
        try parse(Array(text.utf8)[...])
    }

    /// The root element of `bytes`; error offsets are indices of `bytes` (for a slice of a file,
    /// offsets in the file).
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(XMLReadError) -> XMLTag {
        let result = bytes.withUnsafeBytes { raw in
            var scanner = XMLScanner(bytes: raw, base: bytes.startIndex)
            return Result { () throws(XMLReadError) in try scanner.document() }
        }
        return try result.get()
    }

    /// The root element of `bytes[range]`, error offsets in `bytes` (the XDF reader's entry).
    static func parse(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(XMLReadError) -> XMLTag {
        var scanner = XMLScanner(bytes: UnsafeRawBufferPointer(rebasing: bytes[range]), base: range.lowerBound)
        return try scanner.document()
    }
}

/// The reader's cursor. Positions are offsets in `bytes`; errors add `base`.
private struct XMLScanner {
    let bytes: UnsafeRawBufferPointer
    let base: Int
    var position = 0

    init(bytes: UnsafeRawBufferPointer, base: Int) {
        self.bytes = bytes
        self.base = base
    }

    func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    func starts(with literal: String) -> Bool {
        var index = position
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    func error(_ expected: String, at offset: Int? = nil) -> XMLReadError {
        XMLReadError(offset: base + (offset ?? position), expected: expected)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    mutating func skipWhitespace() {
        while let byte = peek(), Self.isWhitespace(byte) { position += 1 }
    }

    /// Moves past the next `terminator`, or fails naming it.
    mutating func skipPast(_ terminator: String, expected: String) throws(XMLReadError) {
        while position < bytes.count {
            if starts(with: terminator) {
                position += terminator.utf8.count
                return
            }
            position += 1
        }
        throw error(expected)
    }

    mutating func document() throws(XMLReadError) -> XMLTag {
        if starts(with: "\u{FEFF}") { position += 3 }
        try skipMisc()
        guard peek() == UInt8(ascii: "<") else { throw error("'<' starting the root element") }
        let root = try element(depth: 1)
        try skipMisc()
        guard position == bytes.count else { throw error("the end of the XML after the root element") }
        return root
    }

    /// Whitespace, comments and processing instructions (the XML declaration) around the root.
    mutating func skipMisc() throws(XMLReadError) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skipPast("?>", expected: "'?>' closing a processing instruction")
            } else if starts(with: "<!--") {
                try skipPast("-->", expected: "'-->' closing a comment")
            } else if starts(with: "<!") {
                throw error("an element (DTDs are not read)")
            } else {
                return
            }
        }
    }

    /// The element starting at the `<` under the cursor.
    mutating func element(depth: Int) throws(XMLReadError) -> XMLTag {
        let open = position
        position += 1
        let name = try elementName()
        try skipAttributes(of: name)
        if starts(with: "/>") {
            position += 2
            return XMLTag(name, "")
        }
        position += 1  // '>', checked by skipAttributes
        var text: [UInt8] = []
        var children: [XMLTag] = []
        while true {
            guard let byte = peek() else { throw error("'</\(name)>' closing the element opened at byte \(base + open)") }
            if byte == UInt8(ascii: "&") {
                try reference(into: &text)
            } else if byte != UInt8(ascii: "<") {
                text.append(byte)
                position += 1
            } else if starts(with: "</") {
                try closingTag(of: name, openedAt: open)
                break
            } else if starts(with: "<!--") {
                try skipPast("-->", expected: "'-->' closing a comment")
            } else if starts(with: "<![CDATA[") {
                position += 9
                let start = position
                try skipPast("]]>", expected: "']]>' closing a CDATA section")
                text.append(contentsOf: bytes[start..<(position - 3)])
            } else if starts(with: "<?") {
                try skipPast("?>", expected: "'?>' closing a processing instruction")
            } else if starts(with: "<!") {
                throw error("an element, text or comment inside <\(name)> (DTDs are not read)")
            } else {
                guard depth < XMLReader.maximumDepth else {
                    throw error("elements nested at most \(XMLReader.maximumDepth) deep")
                }
                children.append(try element(depth: depth + 1))
            }
        }
        return children.isEmpty ? XMLTag(name, String(decoding: text, as: UTF8.self)) : XMLTag(name, children: children)
    }

    /// A name as `XMLTag` accepts it: ASCII letters, digits, `_`, `-`, `.`, not starting with a
    /// digit, `-` or `.`.
    mutating func elementName() throws(XMLReadError) -> String {
        let start = position
        while let byte = peek(), !Self.isWhitespace(byte), byte != UInt8(ascii: "/"), byte != UInt8(ascii: ">"),
              byte != UInt8(ascii: "<"), byte != UInt8(ascii: "=") {
            position += 1
        }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        guard XMLTag.isValidName(name) else {
            throw error("an element name (ASCII letters, digits, '_', '-', '.')", at: start)
        }
        return name
    }

    /// Skips `name="value"` pairs up to the `>` or `/>` ending a start tag, leaving the cursor on it.
    mutating func skipAttributes(of element: String) throws(XMLReadError) {
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw error("'>' ending the start tag of <\(element)>") }
            if byte == UInt8(ascii: ">") || starts(with: "/>") { return }
            let nameStart = position
            while let byte = peek(), !Self.isWhitespace(byte), byte != UInt8(ascii: "="), byte != UInt8(ascii: ">"),
                  byte != UInt8(ascii: "/"), byte != UInt8(ascii: "<") {
                position += 1
            }
            guard position > nameStart else { throw error("an attribute name or '>' in the start tag of <\(element)>") }
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else { throw error("'=' after an attribute name in <\(element)>") }
            position += 1
            skipWhitespace()
            guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw error("a quoted attribute value in <\(element)>")
            }
            position += 1
            while let byte = peek(), byte != quote { position += 1 }
            guard peek() == quote else { throw error("the quote closing an attribute value in <\(element)>") }
            position += 1
        }
    }

    mutating func closingTag(of name: String, openedAt open: Int) throws(XMLReadError) {
        let start = position
        position += 2
        let closing = String(decoding: bytes[position..<min(position + name.utf8.count, bytes.count)], as: UTF8.self)
        guard closing == name else {
            throw error("'</\(name)>' closing the element opened at byte \(base + open)", at: start)
        }
        position += name.utf8.count
        skipWhitespace()
        guard peek() == UInt8(ascii: ">") else {
            throw error("'>' ending '</\(name)'", at: position)
        }
        position += 1
    }

    /// An entity or character reference under the cursor, appended as UTF-8.
    mutating func reference(into text: inout [UInt8]) throws(XMLReadError) {
        let start = position
        var end = position + 1
        while end < bytes.count, end - start <= 10, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";") else {
            throw error("an entity: &amp; &lt; &gt; &quot; &apos; or &#N; ending in ';'", at: start)
        }
        let entity = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        switch entity {
        case "amp": text.append(UInt8(ascii: "&"))
        case "lt": text.append(UInt8(ascii: "<"))
        case "gt": text.append(UInt8(ascii: ">"))
        case "quot": text.append(UInt8(ascii: "\""))
        case "apos": text.append(UInt8(ascii: "'"))
        default:
            var code: UInt32?
            if entity.hasPrefix("#x") {
                code = UInt32(entity.dropFirst(2), radix: 16)
            } else if entity.hasPrefix("#") {
                code = UInt32(entity.dropFirst(), radix: 10)
            }
            guard let code, let scalar = Unicode.Scalar(code) else {
                throw error("a known entity or a Unicode character reference, not '&\(entity);'", at: start)
            }
            UTF8.encode(scalar) { text.append($0) }
        }
        position = end + 1
    }
}
