import PopCode

/// Reads experiment keys and values from YAML nodes of one source into an
/// `ExperimentDraft`, checking types, lists and ranges; every error is located at the node
/// (or key) at fault.
struct ExperimentDecoder {
    let source: SourceText

    /// The keys an experiment file knows, in the order the "valid keys" note lists them.
    static let validKeys = ["name", "description"] + RunSpec.CodingKeys.allCases.map(\.rawValue)
        + ["search", "halving"]

    /// The draft of an experiment file whose document is `root`.
    func decodeExperiment(_ root: YAMLNode) throws(ConfigError) -> ExperimentDraft {
        guard case .mapping(let pairs) = root.kind else {
            throw error(at: root, "the top level must be a mapping of keys to values, got \(root.kindName)")
        }
        var draft = ExperimentDraft(origin: location(of: root), displayName: source.displayName)
        for pair in pairs {
            guard let key = pair.key.scalar else {
                throw error(at: pair.key, "keys must be scalars, got \(pair.key.kindName)")
            }
            try apply(key: key.value, at: location(of: pair.key), value: pair.value,
                      to: &draft, isOverride: false)
        }
        return draft
    }

    /// Sets `key` to `value` in `draft`: `name`, `description`, a `RunSpec` key (replacing
    /// it in place if already set), or, in a file, an ignored `x-` key.
    func apply(key: String, at keyLocation: ConfigLocation, value: YAMLNode,
               to draft: inout ExperimentDraft, isOverride: Bool) throws(ConfigError) {
        switch key {
        case "name":
            guard let text = try text(value, for: key) else {
                throw error(at: value, "expected a name for 'name', got null")
            }
            draft.name = text
        case "description":
            draft.description = try text(value, for: key)?.value
        case "search":
            draft.search = try searchBlock(value)
        case "halving":
            draft.halving = try halvingBlock(value)
        case _ where key.hasPrefix("x-") && !isOverride:
            break
        default:
            guard let runKey = RunSpec.CodingKeys(rawValue: key) else {
                throw unknownKey(key, at: keyLocation, isOverride: isOverride)
            }
            draft.set(ExperimentDraft.Parameter(key: runKey, keyLocation: keyLocation,
                                                assignment: try assignment(of: value, for: runKey)))
        }
    }

    private func unknownKey(_ key: String, at location: ConfigLocation,
                            isOverride: Bool) -> ConfigError {
        let keys = Self.validKeys
        let suggestion = KeySuggestion.suggestion(for: key, among: keys)
            .map { " (did you mean '\($0)'?)" } ?? ""
        let list = keys.joined(separator: ", ")
        let note = isOverride
            ? "valid keys are \(list)"
            : "valid keys are \(list), and keys starting with 'x-' (ignored)"
        return location.error("unknown key '\(key)'\(suggestion)", note: note)
    }

    // MARK: - Values

    /// A fixed value (scalar), a sweep (list), or, for integer keys, a sweep over a range
    /// (`{from: 0, to: 9, step: 1}`).
    func assignment(of node: YAMLNode,
                            for key: RunSpec.CodingKeys) throws(ConfigError) -> ExperimentDraft.Assignment {
        let what = "'\(key.rawValue)'"
        switch node.kind {
        case .scalar:
            return .fixed(try value(node, for: key))
        case .sequence(let items):
            guard !items.isEmpty else {
                throw error(at: node, "empty list for \(what): a sweep needs at least one value")
            }
            var values: [Located<SpecValue>] = []
            var seen: [SpecValue: SourceMark] = [:]
            for item in items {
                let value = try value(item, for: key)
                if let first = seen[value.value] {
                    let firstPlace = place(first, from: item.mark)
                    throw error(at: item, "duplicate value \(value.value) in \(what) (first given at \(firstPlace))")
                }
                seen[value.value] = item.mark
                values.append(value)
            }
            return .sweep(values)
        case .mapping(let pairs):
            if let draft = try distribution(node, pairs: pairs, for: key) {
                return .distribution(draft)
            }
            switch key.kind {
            case .integer:
                break
            case .real:
                throw error(at: node, "expected a number, a list of numbers or a distribution for \(what), got a mapping",
                            note: "ranges {from, to, step} are only for integer keys; a real key takes "
                                + "{uniform: [a, b]}, {loguniform: [a, b]} or {choice: [...]}")
            case .choice(let names):
                throw error(at: node, "expected a name or a list of names for \(what), got a mapping",
                            note: Self.choiceNote(key, names))
            }
            return .sweep(try range(node, pairs: pairs, for: key))
        }
    }

    private static let rangeNote = "a range takes 'from', 'to' and an optional 'step' (> 0), e.g. {from: 0, to: 9}"

    /// The values `from, from + step, …` up to `to` inclusive. The first value is located
    /// at `from` and the others at `to`: `RunSpec`'s limits are intervals, so a value out of
    /// range means `from` is too small or `to` too large.
    private func range(_ node: YAMLNode, pairs: [YAMLNode.Pair],
                       for key: RunSpec.CodingKeys) throws(ConfigError) -> [Located<SpecValue>] {
        let what = "the range for '\(key.rawValue)'"
        var bounds: [String: (value: Int, node: YAMLNode)] = [:]
        for pair in pairs {
            guard let name = pair.key.scalar?.value else {
                throw error(at: pair.key, "keys must be scalars, got \(pair.key.kindName)")
            }
            guard ["from", "to", "step"].contains(name) else {
                let suggestion = KeySuggestion.suggestion(for: name, among: ["from", "to", "step"])
                    .map { " (did you mean '\($0)'?)" } ?? ""
                throw error(at: pair.key, "unknown key '\(name)' in \(what)\(suggestion)", note: Self.rangeNote)
            }
            guard case .int(let value) = try number(pair.value, kind: .integer,
                                                    for: "'\(name)' in \(what)").value else {
                preconditionFailure("an integer-kind number is always .int")
            }
            bounds[name] = (value, pair.value)
        }
        guard let from = bounds["from"] else {
            throw error(at: node, "\(what) needs 'from'", note: Self.rangeNote)
        }
        guard let to = bounds["to"] else {
            throw error(at: node, "\(what) needs 'to'", note: Self.rangeNote)
        }
        let step = bounds["step"]?.value ?? 1
        if let stepNode = bounds["step"]?.node, step <= 0 {
            throw error(at: stepNode, "'step' in \(what) must be greater than 0, got \(step)")
        }
        guard to.value >= from.value else {
            throw error(at: to.node, "\(what) is empty: 'to' (\(to.value)) is less than 'from' (\(from.value))")
        }
        let (span, overflow) = to.value.subtractingReportingOverflow(from.value)
        guard !overflow, span / step < ExperimentSpec.maxRuns else {
            let count = overflow ? "more than \(Int.max)" : "\(span / step + 1)"
            throw error(at: node, "\(what) has \(count) values, more than the limit of \(ExperimentSpec.maxRuns)")
        }
        return stride(from: from.value, through: to.value, by: step).map { value in
            Located(value: .int(value), location: location(of: value == from.value ? from.node : to.node))
        }
    }

    private static func choiceNote(_ key: RunSpec.CodingKeys, _ names: [String]) -> String {
        "'\(key.rawValue)' is one of " + names.joined(separator: ", ")
    }

    /// A value for `key` from a scalar node: a number of its kind, or one of its names.
    private func value(_ node: YAMLNode, for key: RunSpec.CodingKeys) throws(ConfigError) -> Located<SpecValue> {
        let what = "'\(key.rawValue)'"
        guard case .choice(let names) = key.kind else { return try number(node, kind: key.kind, for: what) }
        guard let scalar = node.scalar else {
            throw error(at: node, "expected a name for \(what), got \(node.kindName)", note: Self.choiceNote(key, names))
        }
        guard ScalarValue(scalar) != nil else {
            throw error(at: node, "unsupported tag '\(scalar.tag ?? "")'")
        }
        guard names.contains(scalar.value) else {
            let suggestion = KeySuggestion.suggestion(for: scalar.value, among: names)
                .map { " (did you mean '\($0)'?)" } ?? ""
            let got = scalar.value.isEmpty && scalar.style.isPlain ? "no value" : ExperimentSpec.quoted(scalar.value)
            throw error(at: node, "unknown \(key.rawValue) \(got)\(suggestion)", note: Self.choiceNote(key, names))
        }
        return Located(value: .string(scalar.value), location: location(of: node))
    }

    /// A number of `kind` from a scalar node; `what` names the key in messages (`'lr'`).
    func number(_ node: YAMLNode, kind: ParameterKind,
                        for what: String) throws(ConfigError) -> Located<SpecValue> {
        let expected = kind == .integer ? "an integer" : "a number"
        guard let scalar = node.scalar else {
            throw error(at: node, "expected \(expected) for \(what), got \(node.kindName)")
        }
        guard let meaning = ScalarValue(scalar) else {
            throw error(at: node, "unsupported tag '\(scalar.tag ?? "")'")
        }
        let value: SpecValue
        switch (meaning, kind) {
        case (.integer(let int?, _), .integer):
            value = .int(int)
        case (.integer(nil, _), .integer):
            throw error(at: node, "expected \(expected) for \(what), got \(scalar.value), which is out of range")
        case (.integer(_, let double), .real), (.float(let double), .real):
            value = .double(double)
        case (.float, .integer):
            throw error(at: node, "expected \(expected) for \(what), got \(scalar.value)")
        case (.bool, _):
            throw error(at: node, "expected \(expected) for \(what), got the boolean \(scalar.value)")
        case (.null, _):
            let got = scalar.value.isEmpty ? "no value" : "null"
            throw error(at: node, "expected \(expected) for \(what), got \(got)")
        case (_, .choice):
            preconditionFailure("number(_:kind:for:) is not for choice keys")
        case (.string, _):
            let string = ExperimentSpec.quoted(scalar.value) + stringHint(scalar)
            throw error(at: node, "expected \(expected) for \(what), got the string \(string)")
        }
        return Located(value: value, location: location(of: node))
    }

    /// Why a string that reads like a number is a string.
    private func stringHint(_ scalar: YAMLNode.Scalar) -> String {
        switch ScalarValue.inferred(from: scalar.value) {
        case .integer, .float:
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: " (quoted scalars are strings)"
            case .literal, .folded: " (block scalars are strings)"
            case .plain: scalar.tag.map { " (it is tagged '\($0)')" } ?? ""
            }
        default:
            ""
        }
    }

    /// The text of a scalar for `name` or `description` (any style: `name: 2024` is the
    /// text "2024"), or `nil` for null.
    private func text(_ node: YAMLNode, for key: String) throws(ConfigError) -> Located<String>? {
        guard let scalar = node.scalar else {
            throw error(at: node, "expected text for '\(key)', got \(node.kindName)")
        }
        if scalar.style.isPlain, ScalarValue(scalar) == .null { return nil }
        return Located(value: scalar.value, location: location(of: node))
    }

    // MARK: - Helpers

    func location(of node: YAMLNode) -> ConfigLocation {
        ConfigLocation(source: source, mark: node.mark)
    }

    func error(at node: YAMLNode, _ message: String, note: String? = nil) -> ConfigError {
        source.error(at: node.mark, message, note: note)
    }

    /// `"line 3"`, or `"line 3, column 7"` when `mark` is on the same line as `other`.
    func place(_ mark: SourceMark, from other: SourceMark) -> String {
        mark.line == other.line ? "line \(mark.line), column \(mark.column)" : "line \(mark.line)"
    }
}
