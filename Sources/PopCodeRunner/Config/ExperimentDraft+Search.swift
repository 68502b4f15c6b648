import PopCode

/// The checks that combine the `search:` and `halving:` blocks with the keys.
extension ExperimentDraft {
    private var distributions: [(key: RunSpec.CodingKeys, draft: DistributionDraft)] {
        parameters.compactMap { parameter in
            guard case .distribution(let draft) = parameter.assignment else { return nil }
            return (parameter.key, draft)
        }
    }

    private var searchNote: String {
        "a distribution is drawn by a sampled search: add 'search: {method: sobol, samples: 16}' "
            + "(or method: random); method: grid, the default, takes only lists"
    }

    /// Distributions need `random` or `sobol` and those need distributions and `samples`.
    func checkSearch() throws(ConfigError) {
        let method = search?.settings.method ?? .grid
        let laws = distributions
        if method == .grid {
            if let first = laws.first {
                throw error(at: first.draft.location,
                            "a distribution for '\(first.key.rawValue)' needs a sampled search, but the method is grid",
                            note: searchNote)
            }
            if let samples = search?.keyLocations["samples"] {
                throw error(at: samples, "'samples' is for method random or sobol; method grid takes every combination")
            }
            return
        }
        let methodLocation = search?.keyLocations["method"]
        guard !laws.isEmpty else {
            throw error(at: methodLocation, "method \(method.rawValue) draws configurations, but no key has a distribution",
                        note: "give a key a distribution, e.g. 'lr: {loguniform: [0.01, 1]}'")
        }
        guard let samples = search?.settings.samples else {
            throw error(at: search?.location, "method \(method.rawValue) needs 'samples', the number of configurations to draw",
                        note: "e.g. 'search: {method: \(method.rawValue), samples: 16}'")
        }
        guard (1...SearchSettings.maxSamples).contains(samples) else {
            throw error(at: search?.keyLocations["samples"],
                        "'samples' must be between 1 and \(SearchSettings.maxSamples), got \(samples)")
        }
        if method == .sobol && laws.count > SobolSequence.maxDimensions {
            throw error(at: laws[SobolSequence.maxDimensions].draft.location,
                        "sobol draws at most \(SobolSequence.maxDimensions) keys, this is key \(laws.count)")
        }
        let counts = laws.map(\.draft.distribution.distinctCount)
        if counts.allSatisfy({ $0 != nil }) {
            var distinct = 1
            for count in counts {
                distinct = distinct.multipliedReportingOverflow(by: count!).overflow ? .max : distinct * count!
            }
            if samples > distinct {
                throw error(at: search?.keyLocations["samples"],
                            "'samples' is \(samples), but the distributions allow only \(distinct) distinct configurations",
                            note: "configurations are never repeated; ask for at most \(distinct), or use method: grid to take them all")
            }
        }
    }

    /// Draws the configurations once, so that a law too narrow to give `samples` distinct
    /// configurations is an error here rather than a hang later.
    func checkSampling(_ spec: ExperimentSpec) throws(ConfigError) {
        guard spec.method != .grid, spec.sampledPoints() == nil else { return }
        throw error(at: search?.keyLocations["samples"],
                    "could not draw \(spec.search?.samples ?? 0) distinct configurations in "
                        + "\(ExperimentSpec.drawAttemptsPerSample) draws each",
                    note: "the distributions make some values very rare; ask for fewer samples")
    }

    /// The `halving:` block as settings, checked against the experiment's keys.
    func validatedHalving() throws(ConfigError) -> HalvingSettings? {
        guard let halving else { return nil }
        let at = { (key: String) in halving.keyLocations[key] ?? halving.location }
        guard let resource = halving.resource else {
            throw error(at: halving.location, "the halving block needs 'resource' (seeds or epochs)")
        }
        guard let min = halving.min else { throw error(at: halving.location, "the halving block needs 'min'") }
        guard let max = halving.max else { throw error(at: halving.location, "the halving block needs 'max'") }
        guard min >= 1 else { throw error(at: at("min"), "'min' in 'halving' must be at least 1, got \(min)") }
        guard max >= min else {
            throw error(at: at("max"), "'max' in 'halving' must be at least 'min' (\(min)), got \(max)")
        }
        let limit = resource == .seeds ? HalvingSettings.maxSeeds : RunSpec.maxCount
        guard max <= limit else { throw error(at: at("max"), "'max' in 'halving' must be at most \(limit), got \(max)") }
        guard (2...HalvingSettings.maxEta).contains(halving.eta) else {
            throw error(at: at("eta"), "'eta' in 'halving' must be between 2 and \(HalvingSettings.maxEta), got \(halving.eta)")
        }
        guard halving.alpha > 0, halving.alpha < 1 else {
            throw error(at: at("alpha"), "'alpha' in 'halving' must be between 0 and 1 (exclusive), got \(halving.alpha)")
        }
        guard (0...HalvingSettings.maxConfirm).contains(halving.confirm) else {
            throw error(at: at("confirm"),
                        "'confirm' in 'halving' must be between 0 and \(HalvingSettings.maxConfirm), got \(halving.confirm)")
        }
        let goal: HalvingSettings.Goal
        if let given = halving.goal {
            goal = given
        } else if let larger = halving.metric.largerIsBetter {
            goal = larger ? .maximize : .minimize
        } else {
            throw error(at: at("metric"), "say whether to minimize or maximize '\(halving.metric.rawValue)'",
                        note: "add 'goal: minimize' or 'goal: maximize' to the halving block")
        }
        let key: RunSpec.CodingKeys = resource == .seeds ? .seed : .epochs
        if let parameter = parameters.first(where: { $0.key == key }) {
            switch (resource, parameter.assignment) {
            case (.seeds, .fixed):
                break  // a fixed seed is the first seed of the race
            case (.seeds, _):
                throw error(at: parameter.keyLocation, "'seed' is the halving resource: the search chooses the seeds",
                            note: "remove the list; a fixed 'seed: S' makes the race use seeds S, S+1, …")
            case (.epochs, _):
                throw error(at: parameter.keyLocation, "'epochs' is the halving resource: rounds train \(min) … \(max) epochs",
                            note: "remove 'epochs'; 'min' and 'max' in 'halving' set the epochs")
            }
        }
        if resource == .seeds {
            var first = RunSpec().seed
            if let parameter = parameters.first(where: { $0.key == .seed }), case .fixed(let value) = parameter.assignment {
                first = value.value.intValue ?? first
            }
            if first + max + halving.confirm - 1 > Int(UInt32.max) {
                throw error(at: at("max"), "the race would use seeds up to \(first + max + halving.confirm - 1), "
                                + "more than \(UInt32.max)")
            }
        }
        return HalvingSettings(resource: resource, min: min, max: max, eta: halving.eta, metric: halving.metric,
                               goal: goal, alpha: halving.alpha, confirm: halving.confirm)
    }
}
