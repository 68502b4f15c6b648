import PopCode

extension ExperimentSpec {
    /// The experiment as an experiment file that loads back to this exact value: the
    /// resolved sweep (overrides applied), written beside its runs as `experiment.yaml` so
    /// `popcode run runs/<name>/experiment.yaml` reproduces it.
    ///
    ///     name: sigma-lr-grid
    ///     description: "a small grid"
    ///     epochs: 200
    ///     sigma: [0.12, 0.18, 0.24]
    public var yamlText: String {
        "# The resolved experiment (overrides applied), written by popcode.\n" + yamlBody
    }

    /// The key lines of `yamlText`, without the comment: `name` and `description` as
    /// double-quoted strings, every swept value listed (ranges written out).
    public var yamlBody: String {
        var lines = ["name: \(Self.quoted(name))"]
        if let description {
            lines.append("description: \(Self.quoted(description))")
        }
        for parameter in parameters {
            switch parameter.assignment {
            case .fixed(let value):
                lines.append("\(parameter.key.rawValue): \(value)")
            case .sweep(let values):
                lines.append("\(parameter.key.rawValue): [\(values.map(\.description).joined(separator: ", "))]")
            case .distribution(let law):
                lines.append("\(parameter.key.rawValue): \(law.yamlText)")
            }
        }
        if let search { lines.append("search: \(search.yamlText)") }
        if let halving { lines.append("halving: \(halving.yamlText)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A hash of `yamlBody`: equal for equal experiments.
    public var contentHash: String { FNV1a.hex(yamlBody) }

    /// A YAML double-quoted scalar: backslash, quote and control characters escaped (also
    /// how error messages show a string the file gave).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
