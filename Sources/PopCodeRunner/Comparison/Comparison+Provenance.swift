import PopCode

extension Comparison {
    /// One warning line for each way the runs' provenance differs: popcode versions, numerics
    /// revisions (`NumericsRevision`), or source commits (a commit with uncommitted changes
    /// counts apart; a run whose commit is unknown counts apart when others' are known).
    /// Differences between such runs may come from the program, not from the hyperparameters,
    /// so the comparison files and the report show these lines above the tables. Empty when
    /// every run was computed alike (or nothing is known of any commit).
    public static func provenanceWarnings(_ documents: [MetricsDocument]) -> [String] {
        var warnings: [String] = []
        func mixture(_ keys: [String]) -> String? {
            var counts: [String: Int] = [:], order: [String] = []
            for key in keys {
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            guard order.count > 1 else { return nil }
            return order.map { "\($0): \(counts[$0]!) run\(counts[$0]! == 1 ? "" : "s")" }.joined(separator: "; ")
        }
        if let mix = mixture(documents.map { "revision \($0.numericsRevision)" }) {
            warnings.append("warning: these runs were computed by different numerics revisions (\(mix)); "
                            + "differences between them may come from the arithmetic, not the hyperparameters")
        }
        if let mix = mixture(documents.map { "popcode \($0.environment.popcodeVersion)" }) {
            warnings.append("warning: these runs were computed by different popcode versions (\(mix))")
        }
        let commits = documents.map { document -> String in
            guard let commit = document.environment.gitCommit else { return "commit unknown" }
            let short = "commit \(commit.prefix(10))"
            return document.environment.gitDirty == true ? short + " with uncommitted changes" : short
        }
        if commits.contains(where: { $0 != "commit unknown" }), let mix = mixture(commits) {
            warnings.append("warning: these runs were computed from different sources (\(mix))")
        }
        return warnings
    }
}
