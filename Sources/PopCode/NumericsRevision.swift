/// The revision of the numeric core's arithmetic: which results a given `RunSpec` gives.
///
/// Bump `current` (by one) in the same commit as any change to the core that changes a
/// result of an existing spec by even one bit: the order of a sum, an FMA, a new kernel for
/// `exp`, a different random stream, a fixed bug in a gradient. A change that keeps every
/// result bit-identical (the parity tests pin float64 bit for bit) does not bump it.
///
/// Every metrics.json records the revision that computed it (`numerics_revision`), and a
/// completed run of another revision is never reused by skip-if-done: `popcode run`, `queue
/// add`, `slurm` and `train` refuse until it is retrained (`--force`), and the comparison
/// and report warn when a table mixes revisions. Run ids do not include it, so the folders
/// and ids of existing experiments stay what they are.
///
/// Revision history:
/// - 1: the arithmetic of popcode 0.1.0, pinned bit for bit (float64) to the numpy
///   reference since the first release. metrics.json files written before revisions were
///   recorded carry none and are read as revision 1 (`MetricsDocument.unrecordedNumericsRevision`).
/// - 2: issue 13's speed work (b4a1644): the loss, MSEs and description bits summed in
///   numpy's pairwise order (`NumpyMath.pairwiseSum`) and SLEEF's 3.5-ulp `tanh` instead of
///   the 1.0-ulp one. float64 stays within the parity tolerance of the numpy reference
///   (closer than revision 1 for the sums), but no longer equals revision 1 bit for bit:
///   most test MSEs move by ~1e-8 relative, a chaotic setting (lr 0.47) by up to 20 %.
public enum NumericsRevision {
    /// The revision this build computes.
    public static let current = 2
}
