import StanceRecording
import Testing

@Suite("XML for XDF headers")
struct XMLTagTests {
    @Test("the five markup characters become entities; tab, newline and non-ASCII pass through")
    func escaping() {
        #expect(XMLTag("note", "a<b & \"c\" 'd' > é\t\n").xml == "<note>a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt; é\t\n</note>")
    }

    @Test("control characters XML 1.0 cannot carry become U+FFFD")
    func controlCharacters() {
        #expect(XMLTag("note", "x\u{0}y\u{1B}z").xml == "<note>x\u{FFFD}y\u{FFFD}z</note>")
    }

    @Test("empty text and no children write an empty element")
    func emptyElements() {
        #expect(XMLTag("desc", children: []).xml == "<desc/>")
        #expect(XMLTag("notes", "").xml == "<notes/>")
    }

    @Test("numbers are written as the shortest text that reads back the same")
    func numbers() {
        #expect(XMLTag("nominal_srate", 1000.0).xml == "<nominal_srate>1000.0</nominal_srate>")
        #expect(XMLTag("t", 0.1 + 0.2).xml == "<t>0.30000000000000004</t>")
        #expect(XMLTag("sample_count", 42).xml == "<sample_count>42</sample_count>")
    }

    @Test("children nest in order")
    func nesting() {
        let tag = XMLTag("channel", children: [XMLTag("label", "left_tl"), XMLTag("unit", "newtons")])
        #expect(tag.xml == "<channel><label>left_tl</label><unit>newtons</unit></channel>")
    }
}
