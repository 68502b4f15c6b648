import PopCode

/// One run of an expanded experiment.
public struct PlannedRun: Sendable, Hashable, Codable, Identifiable {
    /// Position in the experiment's run order, from 0.
    public let index: Int
    /// The fully resolved spec: the experiment's values over `RunSpec`'s defaults.
    public let spec: RunSpec
    /// `spec.id`: 16 hex digits, the same for the same spec in any experiment.
    public let id: String
    /// A readable, filesystem-safe name from the swept values, `seed=0,sigma=0.18`, or `run`
    /// when nothing is swept. See `ExperimentSpec.expand()`.
    public let label: String
    /// This run's value on each axis, in axis order.
    public let sweptValues: [ParameterValue]

    public init(index: Int, spec: RunSpec, id: String, label: String, sweptValues: [ParameterValue]) {
        self.index = index
        self.spec = spec
        self.id = id
        self.label = label
        self.sweptValues = sweptValues
    }
}
