/// A resolved experiment (file and `--set` overrides applied) written back as an experiment
/// file, for Slurm tasks to read instead of the original.
///
/// A task runs when the scheduler starts it, maybe hours after submission. Reading the
/// user's file then would train whatever the file says by that time: an edit in between
/// changes the expansion, and `--index 7` would silently train another run than the one
/// submitted. The frozen file holds the experiment as submitted, every swept value listed
/// (ranges written out), so it expands to the same runs in the same order with the same ids;
/// `init` checks that by reading the text back. Its name carries a hash of its content, so a
/// later submission of a changed experiment writes a new file and leaves queued tasks theirs.
///
///     name: "seeds"
///     description: "reference configuration, seed 0 against seed 1"
///     seed: [0, 1]
///     epochs: 200
public struct FrozenExperiment: Sendable, Hashable {
    /// The experiment file's text: a comment naming the source, then one line per key.
    public let text: String
    /// `experiment-<16 hex digits>.yaml`, the digits hashing the keys' lines.
    public let fileName: String

    public struct MismatchError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The file for `experiment`, which was read from `source` with `overrides`.
    /// Throws if the text does not read back as `experiment` (a bug, never the user's doing).
    public init(_ experiment: ExperimentSpec, source: String, overrides: [String]) throws(MismatchError) {
        let body = experiment.yamlBody
        let origin = ([source] + overrides.map { "--set \($0)" }).joined(separator: " ")
        text = """
            # The experiment as submitted to Slurm by `popcode slurm`, from: \(Self.oneLine(origin))
            # The array tasks read this file; edit the original and submit again rather than this.

            """ + body
        fileName = "experiment-\(experiment.contentHash).yaml"

        let readBack: ExperimentSpec
        do {
            readBack = try ExperimentLoader.parse(text: text, displayName: fileName)
        } catch {
            throw MismatchError(description: "the frozen experiment does not read back: \(error)")
        }
        guard readBack == experiment else {
            throw MismatchError(description: "the frozen experiment reads back as another experiment")
        }
    }

    /// `text` with line breaks shown as spaces, for a comment.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
