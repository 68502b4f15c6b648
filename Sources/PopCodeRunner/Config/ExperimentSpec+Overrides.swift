extension ExperimentSpec {
    /// This experiment with `overrides` applied in order and validated again.
    ///
    /// Each override is `key=value`, with the value read as YAML by the rules of experiment
    /// files (`lr=1e-2`, `seed=[0,1,2]`, `seed={from: 0, to: 9}`, `name=quick`). A key already
    /// set is replaced in place, whether fixed or swept; a new key is added last. Errors are
    /// located in the argument, shown as the file `--set key=value`, line 1.
    ///
    /// Values of `self` have no location, so an error they cause alone names the experiment
    /// without a line; use `ExperimentLoader` to keep the file's locations.
    public func applying(overrides: [String]) throws(ConfigError) -> ExperimentSpec {
        var draft = ExperimentDraft(self)
        for (index, override) in overrides.enumerated() {
            try draft.apply(override: override, order: index + 1)
        }
        return try draft.validated()
    }
}

extension ExperimentDraft {
    /// Applies one `key=value` override; `order` ranks its errors after the file's.
    mutating func apply(override argument: String, order: Int) throws(ConfigError) {
        let source = SourceText(displayName: "--set \(argument)", text: argument, order: order)
        let scalars = Array(argument.unicodeScalars)
        func mark(_ index: Int) -> SourceMark { SourceMark(line: 1, column: index + 1) }

        guard let equals = scalars.firstIndex(of: "=") else {
            throw source.error(at: mark(0), "expected key=value, got '\(argument)'",
                               note: "for example --set lr=0.05 or --set seed=[0,1,2]")
        }
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        guard let keyStart = scalars[..<equals].firstIndex(where: { !isBlank($0) }) else {
            throw source.error(at: mark(0), "missing key before '='",
                               note: "for example --set lr=0.05 or --set seed=[0,1,2]")
        }
        let keyEnd = scalars[..<equals].lastIndex(where: { !isBlank($0) })! + 1
        let key = String(String.UnicodeScalarView(scalars[keyStart..<keyEnd]))
        let valueScalars = scalars[(equals + 1)...]
        guard valueScalars.contains(where: { !isBlank($0) }) else {
            throw source.error(at: mark(equals + 1), "missing value after '=' for '\(key)'")
        }
        let value = try YAMLParser.parse(String(String.UnicodeScalarView(valueScalars)),
                                         source: source, columnOffset: equals + 1)
        try ExperimentDecoder(source: source).apply(
            key: key, at: ConfigLocation(source: source, mark: mark(keyStart)), value: value,
            to: &self, isOverride: true)
    }
}
