import PopCode

/// Reading distributions and the `search:` and `halving:` blocks.
extension ExperimentDecoder {
    /// The distribution a mapping writes (`{loguniform: [0.01, 1]}`, `{int: [1, 9], log: true}`),
    /// or nil when it names none (then it may be a range).
    func distribution(_ node: YAMLNode, pairs: [YAMLNode.Pair],
                      for key: RunSpec.CodingKeys) throws(ConfigError) -> ExperimentDraft.DistributionDraft? {
        let names = pairs.compactMap { pair in pair.key.scalar.map { (name: $0.value, node: pair.key) } }
        let laws = names.filter { Distribution.names.contains($0.name) }
        guard let law = laws.first else {
            // A mapping for a real key can only be a distribution: say which key is unknown.
            let rangeKeys = ["from", "to", "step"]
            if key.kind == .real, !names.contains(where: { rangeKeys.contains($0.name) }),
               let first = names.first(where: { $0.name != "log" }) ?? names.first {
                let suggestion = KeySuggestion.suggestion(for: first.name, among: Distribution.names)
                    .map { " (did you mean '\($0)'?)" } ?? ""
                throw error(at: first.node, "unknown distribution '\(first.name)' for '\(key.rawValue)'\(suggestion)",
                            note: Self.distributionNote)
            }
            return nil
        }
        let what = "'\(key.rawValue)'"
        if laws.count > 1 {
            throw error(at: laws[1].node, "a distribution takes one law, got both '\(law.name)' and '\(laws[1].name)'",
                        note: Self.distributionNote)
        }
        var log: (value: Bool, node: YAMLNode)?
        var lawNode: YAMLNode?
        for pair in pairs {
            let name = pair.key.scalar?.value ?? ""
            switch name {
            case law.name:
                lawNode = pair.value
            case "log" where law.name == "int":
                guard let scalar = pair.value.scalar, case .bool(let flag) = ScalarValue(scalar) else {
                    throw error(at: pair.value, "expected true or false for 'log' in the distribution for \(what)")
                }
                log = (flag, pair.value)
            default:
                let valid = law.name == "int" ? ["int", "log"] : [law.name]
                let suggestion = KeySuggestion.suggestion(for: name, among: valid).map { " (did you mean '\($0)'?)" } ?? ""
                throw error(at: pair.key, "unknown key '\(name)' in the '\(law.name)' distribution for \(what)\(suggestion)",
                            note: law.name == "int" ? "'int' takes its bounds and an optional 'log: true'" : Self.distributionNote)
            }
        }
        let valueNode = lawNode!
        if law.name == "choice" {
            guard case .sequence = valueNode.kind,
                  case .sweep(let values) = try assignment(of: valueNode, for: key) else {
                throw error(at: valueNode, "expected a list of values for 'choice' of \(what), got \(valueNode.kindName)")
            }
            return .init(distribution: .choice(values.map(\.value)), location: location(of: node), extremes: values)
        }
        // uniform, loguniform, int: two bounds of the right kind.
        let isInteger = law.name == "int"
        if case .choice = key.kind {
            throw error(at: law.node, "'\(law.name)' draws numbers, but \(what) takes names",
                        note: "use {choice: [...]} to draw one of the names")
        }
        if isInteger && key.kind == .real {
            throw error(at: law.node, "'int' draws integers, but \(what) takes real numbers",
                        note: "use {uniform: [a, b]} or {loguniform: [a, b]} (or {choice: [...]})")
        }
        if !isInteger && key.kind == .integer {
            throw error(at: law.node, "'\(law.name)' draws real numbers, but \(what) takes integers",
                        note: "use {int: [a, b]} (with 'log: true' for a log scale) or {choice: [...]}")
        }
        guard case .sequence(let items) = valueNode.kind, items.count == 2 else {
            throw error(at: valueNode, "'\(law.name)' for \(what) takes two bounds [a, b], got "
                            + (valueNode.scalar != nil ? "a scalar" : "\(valueNode.sequenceCount) value\(valueNode.sequenceCount == 1 ? "" : "s")"),
                        note: Self.distributionNote)
        }
        let a = try number(items[0], kind: key.kind, for: "the lower bound of '\(law.name)' for \(what)")
        let b = try number(items[1], kind: key.kind, for: "the upper bound of '\(law.name)' for \(what)")
        let lower = a.value.doubleValue ?? 0, upper = b.value.doubleValue ?? 0
        guard lower < upper else {
            throw error(at: items[1], "the bounds of '\(law.name)' for \(what) must have a < b, got [\(a.value), \(b.value)]")
        }
        let distribution: Distribution
        switch law.name {
        case "uniform":
            distribution = .uniform(lower, upper)
        case "loguniform":
            guard lower > 0 else {
                throw error(at: items[0], "'loguniform' for \(what) needs a lower bound > 0, got \(a.value)")
            }
            distribution = .logUniform(lower, upper)
        default:
            let isLog = log?.value ?? false
            if isLog, let lower = a.value.intValue, lower < 1 {
                throw error(at: items[0], "'int' with 'log: true' for \(what) needs a lower bound ≥ 1, got \(a.value)")
            }
            distribution = .integer(a.value.intValue!, b.value.intValue!, log: isLog)
        }
        return .init(distribution: distribution, location: location(of: node), extremes: [a, b])
    }

    static let distributionNote = "a distribution is {uniform: [a, b]}, {loguniform: [a, b]} (a > 0), "
        + "{int: [a, b]} (optional 'log: true') or {choice: [v1, v2, ...]}"

    /// The `search:` block: `{method: grid|random|sobol, samples: N, seed: S}`.
    func searchBlock(_ node: YAMLNode) throws(ConfigError) -> ExperimentDraft.SearchDraft {
        var draft = ExperimentDraft.SearchDraft(settings: SearchSettings(), location: location(of: node))
        for (name, keyNode, value) in try blockPairs(node, block: "search", keys: SearchSettings.keys) {
            draft.keyLocations[name] = location(of: value)
            switch name {
            case "method":
                draft.settings.method = try word(value, for: "'method' in 'search'", among: SearchSettings.Method.self)
            case "samples":
                draft.settings.samples = try integer(value, for: "'samples' in 'search'")
            default:
                let seed = try integer(value, for: "'seed' in 'search'")
                guard seed >= 0, seed <= Int(UInt32.max) else {
                    throw error(at: value, "'seed' in 'search' must be between 0 and \(UInt32.max), got \(seed)")
                }
                draft.settings.seed = seed
            }
            _ = keyNode
        }
        return draft
    }

    /// The `halving:` block (values checked here; their combination with the experiment in
    /// `ExperimentDraft.validatedHalving()`).
    func halvingBlock(_ node: YAMLNode) throws(ConfigError) -> ExperimentDraft.HalvingDraft {
        var draft = ExperimentDraft.HalvingDraft(location: location(of: node))
        for (name, _, value) in try blockPairs(node, block: "halving", keys: HalvingSettings.keys) {
            draft.keyLocations[name] = location(of: value)
            let what = "'\(name)' in 'halving'"
            switch name {
            case "resource": draft.resource = try word(value, for: what, among: HalvingSettings.Resource.self)
            case "goal": draft.goal = try word(value, for: what, among: HalvingSettings.Goal.self)
            case "min": draft.min = try integer(value, for: what)
            case "max": draft.max = try integer(value, for: what)
            case "eta": draft.eta = try integer(value, for: what)
            case "confirm": draft.confirm = try integer(value, for: what)
            case "alpha":
                guard case .double(let alpha) = try number(value, kind: .real, for: what).value else {
                    preconditionFailure("a real-kind number is always .double")
                }
                draft.alpha = alpha
            default:
                let names = HalvingSettings.rankableMetrics.map(\.rawValue)
                guard let scalar = value.scalar, let metric = ComparisonMetric(rawValue: scalar.value),
                      HalvingSettings.rankableMetrics.contains(metric) else {
                    let text = value.scalar?.value ?? value.kindName
                    let suggestion = KeySuggestion.suggestion(for: text, among: names).map { " (did you mean '\($0)'?)" } ?? ""
                    throw error(at: value, "unknown metric '\(text)' for \(what)\(suggestion)",
                                note: "the metrics are " + names.joined(separator: ", "))
                }
                draft.metric = metric
            }
        }
        return draft
    }

    /// The pairs of a block mapping, every key known and given once.
    private func blockPairs(_ node: YAMLNode, block: String,
                            keys: [String]) throws(ConfigError) -> [(String, YAMLNode, YAMLNode)] {
        guard case .mapping(let pairs) = node.kind else {
            throw error(at: node, "expected a mapping for '\(block)', got \(node.kindName)",
                        note: "valid keys are " + keys.joined(separator: ", "))
        }
        var result: [(String, YAMLNode, YAMLNode)] = []
        for pair in pairs {
            guard let name = pair.key.scalar?.value else {
                throw error(at: pair.key, "keys must be scalars, got \(pair.key.kindName)")
            }
            guard keys.contains(name) else {
                let suggestion = KeySuggestion.suggestion(for: name, among: keys).map { " (did you mean '\($0)'?)" } ?? ""
                throw error(at: pair.key, "unknown key '\(name)' in '\(block)'\(suggestion)",
                            note: "valid keys are " + keys.joined(separator: ", "))
            }
            result.append((name, pair.key, pair.value))
        }
        return result
    }

    private func integer(_ node: YAMLNode, for what: String) throws(ConfigError) -> Int {
        guard case .int(let value) = try number(node, kind: .integer, for: what).value else {
            preconditionFailure("an integer-kind number is always .int")
        }
        return value
    }

    /// One of the raw values of `Choice`, from a plain scalar.
    private func word<Choice: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, for what: String, among _: Choice.Type
    ) throws(ConfigError) -> Choice where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard let scalar = node.scalar else {
            throw error(at: node, "expected one of \(names.joined(separator: ", ")) for \(what), got \(node.kindName)")
        }
        guard let choice = Choice(rawValue: scalar.value) else {
            let suggestion = KeySuggestion.suggestion(for: scalar.value, among: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw error(at: node, "unknown value '\(scalar.value)' for \(what)\(suggestion)",
                        note: "\(what) is one of " + names.joined(separator: ", "))
        }
        return choice
    }
}

extension YAMLNode {
    /// The number of items of a list (0 for other nodes).
    var sequenceCount: Int {
        if case .sequence(let items) = kind { return items.count }
        return 0
    }
}
