/// Reading a parsed element: children by name and text, as XDF headers are read (pyxdf's
/// `info['name'][0]`). Names compare exactly.
extension XMLTag {
    /// The first child element called `name`; nil for a text element or when there is none.
    public func child(_ name: String) -> XMLTag? {
        guard case .children(let children) = content else { return nil }
        return children.first { $0.name == name }
    }

    /// Every child element called `name`, in document order.
    public func children(named name: String) -> [XMLTag] {
        guard case .children(let children) = content else { return [] }
        return children.filter { $0.name == name }
    }

    /// The child elements; empty for a text element.
    public var children: [XMLTag] {
        guard case .children(let children) = content else { return [] }
        return children
    }

    /// The element's text; nil when it holds elements (`<a/>` reads as the empty text).
    public var text: String? {
        guard case .text(let text) = content else { return nil }
        return text
    }

    /// The text of the first child called `name`, nil when there is none or it holds elements.
    public func childText(_ name: String) -> String? {
        child(name)?.text
    }
}
