/// A tree of XML/HTML elements and text that renders itself with every string escaped.
///
/// Both the SVG figures and the HTML page around them are built from `Markup`; nothing is
/// spliced in as a raw string except compile-time constants (`Markup.trusted`), so no run
/// label or failure reason can break the page.
public struct Markup: Sendable, Hashable {
    /// One attribute; the value is escaped when rendered.
    public struct Attribute: Sendable, Hashable {
        public let name: String
        public let value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }

        /// A numeric attribute, written by `SVGNumber.format`.
        public init(_ name: String, _ value: Double) {
            self.init(name, SVGNumber.format(value))
        }
    }

    enum Node: Sendable, Hashable {
        case element(name: String, attributes: [Attribute], children: [Markup])
        case text(String)
        case trusted(String)
    }

    let node: Node

    /// An element `<name …>children</name>`.
    public init(_ name: String, _ attributes: [Attribute] = [], children: [Markup] = []) {
        node = .element(name: name, attributes: attributes, children: children)
    }

    /// An element with attributes written as a literal, in order.
    public init(_ name: String, _ attributes: KeyValuePairs<String, String>, children: [Markup] = []) {
        self.init(name, attributes.map { Attribute($0.key, $0.value) }, children: children)
    }

    private init(node: Node) { self.node = node }

    /// Escaped character data.
    public static func text(_ string: String) -> Markup { Markup(node: .text(string)) }

    /// A constant written as it is (CSS, a doctype): only literals, never user data.
    public static func trusted(_ string: StaticString) -> Markup {
        Markup(node: .trusted(string.description))
    }

    /// Markup rendered once, to be placed again without rendering it again (a page part a
    /// server caches). Only `Markup.prerendered()` makes one, so it holds escaped output.
    package struct Rendered: Sendable, Hashable {
        package let text: String
        fileprivate init(_ text: String) { self.text = text }
    }

    /// This markup rendered, for `Markup.placing(_:)`.
    package func prerendered() -> Rendered { Rendered(rendered()) }

    /// Markup rendered before, placed as it is.
    package static func placing(_ rendered: Rendered) -> Markup { Markup(node: .trusted(rendered.text)) }

    /// Children without an element around them.
    public static func group(_ children: [Markup]) -> Markup {
        Markup("", [], children: children)
    }

    /// The element's name, or nil for text.
    public var name: String? {
        if case .element(let name, _, _) = node, !name.isEmpty { return name }
        return nil
    }

    /// This element with more children appended.
    public func appending(_ more: [Markup]) -> Markup {
        guard case .element(let name, let attributes, let children) = node else {
            preconditionFailure("appending children to text")
        }
        return Markup(name, attributes, children: children + more)
    }

    /// The markup as text. Empty SVG elements close themselves (`<circle …/>`); empty HTML
    /// void elements (`<meta>`, `<br>`) have no end tag; other empty HTML elements get one.
    public func rendered() -> String {
        var output = ""
        render(into: &output, inForeignContent: false)
        return output
    }

    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ]

    private func render(into output: inout String, inForeignContent: Bool) {
        switch node {
        case .text(let string):
            output += XMLEscape.text(string)
        case .trusted(let string):
            output += string
        case .element(let name, let attributes, let children):
            if name.isEmpty {
                for child in children { child.render(into: &output, inForeignContent: inForeignContent) }
                return
            }
            let foreign = inForeignContent || name == "svg"
            output += "<" + name
            for attribute in attributes {
                output += " " + attribute.name + "=\"" + XMLEscape.attribute(attribute.value) + "\""
            }
            if children.isEmpty {
                if foreign {
                    output += "/>"
                } else {
                    output += Self.voidElements.contains(name) ? ">" : "></" + name + ">"
                }
                return
            }
            output += ">"
            for child in children { child.render(into: &output, inForeignContent: foreign) }
            output += "</" + name + ">"
        }
    }
}
