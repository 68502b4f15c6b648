import PopCode

/// An experiment being read: like `ExperimentSpec`, but every value keeps its location so
/// that validation errors point at it. Built from the file, then changed by overrides, then
/// validated into an `ExperimentSpec`.
struct ExperimentDraft {
    struct Parameter {
        let key: RunSpec.CodingKeys
        let keyLocation: ConfigLocation?
        let assignment: Assignment
    }

    enum Assignment {
        case fixed(Located<SpecValue>)
        case sweep([Located<SpecValue>])
        case distribution(DistributionDraft)
    }

    /// A distribution as written: its mapping, and its extreme values (`Distribution.extremes`)
    /// located at the bounds (the list elements for `choice`).
    struct DistributionDraft {
        let distribution: Distribution
        let location: ConfigLocation?
        let extremes: [Located<SpecValue>]
    }

    /// The `search:` block with the places of its keys.
    struct SearchDraft {
        var settings: SearchSettings
        let location: ConfigLocation?
        var keyLocations: [String: ConfigLocation] = [:]
    }

    /// The `halving:` block with the places of its keys (`goal` nil when not given).
    struct HalvingDraft {
        var resource: HalvingSettings.Resource?
        var min: Int?
        var max: Int?
        var eta = 3
        var metric = ComparisonMetric.testMSE
        var goal: HalvingSettings.Goal?
        var alpha = 0.05
        var confirm = 0
        let location: ConfigLocation?
        var keyLocations: [String: ConfigLocation] = [:]
    }

    var search: SearchDraft?
    var halving: HalvingDraft?

    var name: Located<String>?
    var description: String?
    private(set) var parameters: [Parameter] = []
    /// The experiment as a whole (the file's top-level mapping), where a missing `name` is
    /// reported; `nil` for a draft made from an `ExperimentSpec`.
    let origin: ConfigLocation?
    /// What errors without a location name as their file.
    let displayName: String

    init(origin: ConfigLocation?, displayName: String) {
        self.origin = origin
        self.displayName = displayName
    }

    /// A draft of `spec` whose values have no location.
    init(_ spec: ExperimentSpec) {
        origin = nil
        displayName = "experiment '\(spec.name)'"
        name = Located(value: spec.name, location: nil)
        description = spec.description
        search = spec.search.map { SearchDraft(settings: $0, location: nil) }
        halving = spec.halving.map {
            HalvingDraft(resource: $0.resource, min: $0.min, max: $0.max, eta: $0.eta, metric: $0.metric,
                         goal: $0.goal, alpha: $0.alpha, confirm: $0.confirm, location: nil)
        }
        parameters = spec.parameters.map { parameter in
            let assignment: Assignment = switch parameter.assignment {
            case .fixed(let value): .fixed(Located(value: value, location: nil))
            case .sweep(let values): .sweep(values.map { Located(value: $0, location: nil) })
            case .distribution(let law):
                .distribution(DistributionDraft(distribution: law, location: nil,
                                                extremes: law.extremes.map { Located(value: $0, location: nil) }))
            }
            return Parameter(key: parameter.key, keyLocation: nil, assignment: assignment)
        }
    }

    /// Sets `parameter.key`: in place if the key is already set, last otherwise.
    mutating func set(_ parameter: Parameter) {
        if let index = parameters.firstIndex(where: { $0.key == parameter.key }) {
            parameters[index] = parameter
        } else {
            parameters.append(parameter)
        }
    }

    /// The experiment, once it has a valid name, at most `ExperimentSpec.maxRuns` runs, and
    /// every run passes `RunSpec.validate()`.
    ///
    /// When several runs are invalid, the error reported is the one written first (file
    /// before overrides, then by line and column), located at the value that is wrong in
    /// that run: the list element for a swept key. When the key at fault is not given (say
    /// `batch_size` keeps its default 64 but `n_train: 10`), the error points at the first
    /// given value that, put back to its default, removes the error. `RunSpec.validate()`
    /// reports one problem per run (in its own order), so a run with two bad values shows
    /// only one of them; the other appears once that one is fixed.
    func validated() throws(ConfigError) -> ExperimentSpec {
        let name = try validatedName()
        try checkStructure()
        let halving = try validatedHalving()
        try checkSearch()
        try checkRunCount()
        try validateRuns()
        let spec = ExperimentSpec(name: name, description: description, parameters: parameters.map { parameter in
            let kind = parameter.key.kind
            return switch parameter.assignment {
            case .fixed(let value):
                ExperimentSpec.Parameter(key: parameter.key,
                                         assignment: .fixed(value.value.typed(as: kind) ?? value.value))
            case .sweep(let values):
                ExperimentSpec.Parameter(key: parameter.key,
                                         assignment: .sweep(values.map { $0.value.typed(as: kind) ?? $0.value }))
            case .distribution(let draft):
                ExperimentSpec.Parameter(key: parameter.key, assignment: .distribution(draft.distribution))
            }
        }, search: search?.settings, halving: halving)
        try checkSampling(spec)
        return spec
    }

    /// Checks what the decoder ensures for files but a hand-made `ExperimentSpec` may
    /// break: each key once, values of the key's kind, sweeps non-empty and without repeats.
    private func checkStructure() throws(ConfigError) {
        var keys: Set<RunSpec.CodingKeys> = []
        for parameter in parameters {
            let key = parameter.key.rawValue
            guard keys.insert(parameter.key).inserted else {
                throw error(at: parameter.keyLocation, "duplicate key '\(key)'")
            }
            let values: [Located<SpecValue>]
            switch parameter.assignment {
            case .fixed(let value):
                values = [value]
            case .sweep(let sweep):
                guard !sweep.isEmpty else {
                    throw error(at: parameter.keyLocation, "empty list for '\(key)': a sweep needs at least one value")
                }
                values = sweep
            case .distribution(let draft):
                values = draft.extremes
            }
            var seen: Set<SpecValue> = []
            for value in values {
                guard let typed = value.value.typed(as: parameter.key.kind) else {
                    let expected = switch parameter.key.kind {
                    case .integer: "an integer"
                    case .real: "a number"
                    case .choice(let names): "one of " + names.joined(separator: ", ")
                    }
                    throw error(at: value.location, "expected \(expected) for '\(key)', got \(value.value)")
                }
                guard seen.insert(typed).inserted else {
                    throw error(at: value.location, "duplicate value \(typed) in '\(key)'")
                }
            }
        }
    }

    func error(at location: ConfigLocation?, _ message: String,
                       note: String? = nil) -> ConfigError {
        location?.error(message, note: note)
            ?? ConfigError(file: displayName, message: message, note: note)
    }

    private func validatedName() throws(ConfigError) -> String {
        guard let name else {
            throw error(at: origin, "missing required key 'name'",
                        note: "the name says where runs are stored, e.g. 'name: sigma-grid' for runs/sigma-grid/")
        }
        let scalars = name.value.unicodeScalars
        let isValid = scalars.first.map(isNameStart) ?? false
            && scalars.allSatisfy { isNameStart($0) || ".-_".unicodeScalars.contains($0) }
        guard isValid else {
            throw error(at: name.location, "invalid name '\(name.value)'",
                        note: "a name has letters, digits, '.', '_' and '-', and starts with a letter or digit")
        }
        guard scalars.count <= ExperimentSpec.maxNameLength else {
            throw error(at: name.location,
                        "the name has \(scalars.count) characters, more than the limit of "
                            + "\(ExperimentSpec.maxNameLength)")
        }
        return name.value
    }

    private func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// The swept keys with their values, and the sampled keys with their extremes (a valid
    /// range is an interval, so a law whose extremes are valid only gives valid values).
    private var sweeps: [(key: RunSpec.CodingKeys, values: [Located<SpecValue>])] {
        parameters.compactMap { parameter in
            switch parameter.assignment {
            case .fixed: nil
            case .sweep(let values): (parameter.key, values)
            case .distribution(let draft): (parameter.key, draft.extremes)
            }
        }
    }

    /// Refuses a grid of more than `ExperimentSpec.maxRuns` runs, at the key of the axis
    /// that takes the count over the limit.
    private func checkRunCount() throws(ConfigError) {
        var count = 1
        var factors: [String] = []
        if let samples = search?.settings.samples, search?.settings.method != .grid {
            count = samples
            factors.append("samples (\(samples))")
        }
        for parameter in parameters {
            guard case .sweep(let values) = parameter.assignment else { continue }
            if halving?.resource == .seeds && parameter.key == .seed { continue }
            factors.append("\(parameter.key.rawValue) (\(values.count))")
            let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
            guard !overflow, product <= ExperimentSpec.maxRuns else {
                throw error(at: parameter.keyLocation,
                            "the sweep has more than \(ExperimentSpec.maxRuns) runs",
                            note: "runs = " + factors.joined(separator: " × ") + (overflow ? "" : " = \(product)"))
            }
            count = product
        }
    }

    /// Validates every run of the grid; throws the earliest-written error. A key that applies
    /// to no run (`code_weight` when every run has `model: bottleneck`) is an error at the
    /// key; one that applies to some runs of a sweep over `model` is ignored by the others
    /// (`RunSpec.normalized`).
    private func validateRuns() throws(ConfigError) {
        var base = RunSpec()
        for parameter in parameters {
            if case .fixed(let value) = parameter.assignment { base.set(parameter.key, to: value.value) }
        }
        let sweeps = self.sweeps
        let runCount = sweeps.reduce(1) { $0 * $1.values.count }
        var indices = [Int](repeating: 0, count: sweeps.count)
        var first: (error: ConfigError, rank: ConfigLocation.Rank)?
        var unused = Set(parameters.map(\.key).filter { $0.onlyFor != nil })
        for _ in 0..<runCount {
            var spec = base
            for (sweep, index) in zip(sweeps, indices) {
                spec.set(sweep.key, to: sweep.values[index].value)
            }
            unused = unused.filter { !spec.applies($0) }
            spec = spec.normalized
            do throws(RunSpecError) {
                try spec.validate()
            } catch {
                let found = locate(error, in: spec, indices: indices)
                if first.map({ found.rank < $0.rank }) ?? true { first = found }
            }
            // Advance the mixed-radix counter, last axis fastest.
            for axis in indices.indices.reversed() {
                indices[axis] += 1
                if indices[axis] < sweeps[axis].values.count { break }
                indices[axis] = 0
            }
        }
        if let parameter = parameters.first(where: { unused.contains($0.key) }) {
            let key = parameter.key
            let model = key.onlyFor!.rawValue
            let keys = RunSpec.CodingKeys.allCases.filter { $0.onlyFor == key.onlyFor }.map { "'\($0.rawValue)'" }
            throw error(at: parameter.keyLocation,
                        "'\(key.rawValue)' does not apply to model \(base.model.rawValue)",
                        note: "\(keys.joined(separator: ", ")) are keys of model \(model): set 'model: \(model)' "
                            + "(or sweep 'model'), or remove '\(key.rawValue)'")
        }
        if let first { throw first.error }
    }

    /// `error` of the run `spec` (at `indices` of the sweeps) as a located error.
    private func locate(_ error: RunSpecError, in spec: RunSpec,
                        indices: [Int]) -> (error: ConfigError, rank: ConfigLocation.Rank) {
        var sweepIndex = 0
        var given: [(key: RunSpec.CodingKeys, value: Located<SpecValue>)] = []
        for parameter in parameters {
            switch parameter.assignment {
            case .fixed(let value):
                given.append((parameter.key, value))
            case .sweep(let values):
                given.append((parameter.key, values[indices[sweepIndex]]))
                sweepIndex += 1
            case .distribution(let draft):
                given.append((parameter.key, draft.extremes[indices[sweepIndex]]))
                sweepIndex += 1
            }
        }
        let message = "'\(error.key.rawValue)' \(error.message)"
        if let own = given.first(where: { $0.key == error.key }) {
            return (self.error(at: own.value.location, message), own.value.location?.rank ?? .unlocated)
        }
        let defaults = RunSpec()
        let note = "'\(error.key.rawValue)' is not given, so it has its default value \(defaults.value(for: error.key))"
        for (key, value) in given {
            let reverted = spec.setting(key, to: defaults.value(for: key))
            let cleared: Bool
            do throws(RunSpecError) {
                try reverted.validate()
                cleared = true
            } catch let other {
                cleared = other != error
            }
            if cleared {
                return (self.error(at: value.location, message, note: note), value.location?.rank ?? .unlocated)
            }
        }
        return (self.error(at: nil, message, note: note), .unlocated)
    }
}
