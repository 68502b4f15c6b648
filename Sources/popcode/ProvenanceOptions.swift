import ArgumentParser
import PopCodeRunner

/// `--require-clean`, for the commands that train.
struct ProvenanceOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Refuse to train unless popcode's git work tree (the checkout holding this executable) is known to be clean.",
        discussion: "Each metrics.json records the commit, whether the tree had uncommitted changes, and the executable's SHA-256."))
    var requireClean = false

    /// Ends the command with status 2 when `--require-clean` is set and the work tree is not
    /// known to be clean; says why.
    func check() throws {
        guard requireClean, let reason = BuildProvenance.current.uncleanReason else { return }
        printError("error: --require-clean: \(reason)")
        throw ExitStatus.usage.exitCode
    }
}
