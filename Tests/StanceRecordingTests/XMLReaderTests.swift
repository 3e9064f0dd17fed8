import StanceRecording
import Testing

@Suite("XML reader")
struct XMLReaderTests {
    @Test("what XMLTag writes reads back equal, escapes and all")
    func writerRoundTrip() throws {
        let tag = XMLTag("info", children: [
            XMLTag("name", #"left <plate> & "co" 'x'"#),
            XMLTag("empty", ""),
            XMLTag("desc", children: [XMLTag("channel", children: [XMLTag("label", "é ✓"), XMLTag("unit", " newtons ")])]),
        ])
        #expect(try XMLReader.parse(#"<?xml version="1.0"?>"# + tag.xml) == tag)
    }

    @Test("the five entities and decimal and hex character references")
    func entities() throws {
        let tag = try XMLReader.parse("<t>&amp;&lt;&gt;&quot;&apos; &#233;&#x2713;&#x41;</t>")
        #expect(tag.text == #"&<>"' é✓A"#)
    }

    @Test("LabRecorder's indented XML: whitespace between elements dropped, attributes, comments and CDATA")
    func labRecorderStyle() throws {
        let xml = """
            <?xml version="1.0"?>
            <!-- written by liblsl -->
            <info>
            \t<name>BioSemi</name>
            \t<v4address />
            \t<desc version="2" kind='x'>
            \t\t<note><![CDATA[a <raw> & note]]></note>
            \t</desc>
            </info>

            """
        let tag = try XMLReader.parse(xml)
        #expect(tag == XMLTag("info", children: [
            XMLTag("name", "BioSemi"), XMLTag("v4address", ""),
            XMLTag("desc", children: [XMLTag("note", "a <raw> & note")]),
        ]))
        #expect(tag.childText("name") == "BioSemi")
        #expect(tag.child("desc")?.children(named: "note").count == 1)
        #expect(tag.child("missing") == nil)
    }

    @Test("errors name the byte offset and what was expected", arguments: [
        ("<a><b></a>", 6, "'</b>' closing the element opened at byte 3"),
        ("<a>&nbsp;</a>", 3, "a known entity or a Unicode character reference, not '&nbsp;'"),
        ("<a>&#xD800;</a>", 3, "a known entity or a Unicode character reference, not '&#xD800;'"),
        ("<!DOCTYPE a><a/>", 0, "an element (DTDs are not read)"),
        ("<a></a>junk", 7, "the end of the XML after the root element"),
        ("<a>text", 7, "'</a>' closing the element opened at byte 0"),
        ("<1a/>", 1, "an element name (ASCII letters, digits, '_', '-', '.')"),
        ("", 0, "'<' starting the root element"),
        ("<a b=c/>", 5, "a quoted attribute value in <a>"),
    ])
    func errors(xml: String, offset: Int, expected: String) {
        #expect(throws: XMLReadError(offset: offset, expected: expected)) { try XMLReader.parse(xml) }
    }

    @Test("nesting deeper than the limit is an error, not a deep recursion")
    func depthLimit() throws {
        let depth = XMLReader.maximumDepth
        let fits = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        _ = try XMLReader.parse(fits)
        let deep = String(repeating: "<a>", count: depth + 1) + String(repeating: "</a>", count: depth + 1)
        #expect(throws: XMLReadError(offset: 3 * depth, expected: "elements nested at most \(depth) deep")) {
            try XMLReader.parse(deep)
        }
    }
}
