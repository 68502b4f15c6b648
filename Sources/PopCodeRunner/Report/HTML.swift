import PopCodeSVG

/// Small helpers for the report's HTML elements, on top of `Markup` (which escapes every
/// string it is given).
package enum HTML {
    /// `<name class=… id=…>children</name>`.
    package static func element(_ name: String, class className: String? = nil, id: String? = nil,
                        attributes: [Markup.Attribute] = [], _ children: [Markup] = []) -> Markup {
        var all: [Markup.Attribute] = []
        if let id { all.append(.init("id", id)) }
        if let className { all.append(.init("class", className)) }
        return Markup(name, all + attributes, children: children)
    }

    /// An element holding only escaped text.
    package static func text(_ name: String, _ string: String, class className: String? = nil) -> Markup {
        element(name, class: className, [.text(string)])
    }

    /// A table with a header row and body rows.
    package static func table(class className: String, header: [Markup], rows: [Markup]) -> Markup {
        element("div", class: "scroll", [
            element("table", class: className, [
                element("thead", [element("tr", header)]),
                element("tbody", rows),
            ]),
        ])
    }

    /// A `<figure>` with its caption below.
    package static func figure(_ content: [Markup], caption: String, class className: String? = nil) -> Markup {
        element("figure", class: className, content + [text("figcaption", caption)])
    }

    /// A complete page: doctype, head with the title and the style sheet, and the body.
    package static func page(title: String, style: Markup, body: [Markup]) -> String {
        let html = Markup("html", ["lang": "en"], children: [
            Markup("head", children: [
                Markup("meta", ["charset": "utf-8"]),
                Markup("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                Markup("meta", ["name": "generator", "content": "popcode report"]),
                text("title", title),
                Markup("style", children: [style]),
            ]),
            Markup("body", children: body),
        ])
        return "<!DOCTYPE html>\n" + html.rendered() + "\n"
    }
}
