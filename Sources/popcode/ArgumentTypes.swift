import ArgumentParser
import PopCodeRunner

// Values of options, parsed by ArgumentParser: their choices show in `--help`, and a bad
// value is refused with status 2 and a message naming the option.

/// `--shard i/n`: every n-th run of the expansion, starting at run i (0 ≤ i < n).
struct Shard: ExpressibleByArgument, Sendable, Hashable {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
            return nil
        }
        index = i
        count = n
    }

    var defaultValueDescription: String { "\(index)/\(count)" }

    /// Whether the run with plan index `runIndex` is in the shard.
    func contains(_ runIndex: Int) -> Bool { runIndex % count == index }
}

extension ComparisonRenderer.Format: ExpressibleByArgument {}
extension QueueStatusRenderer.Format: ExpressibleByArgument {}

