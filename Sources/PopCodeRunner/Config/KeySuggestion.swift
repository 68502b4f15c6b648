/// Finds the key a user probably meant when they wrote an unknown one.
enum KeySuggestion {
    /// The candidate `word` most likely stands for, or `nil` if none is close. In order:
    /// 1. equal ignoring case, `_`, `-` and spaces (`batchSize`, `N-TRAIN`);
    /// 2. the closest by edit distance, if at most 1 for words of up to 3 characters and
    ///    at most 2 otherwise (`lrr`, `sigam`);
    /// 3. a candidate that is a prefix of `word` or has it as a prefix, the shorter being
    ///    at least 2 characters (`lrate` → `lr`, `batch` → `batch_size`).
    /// Ties go to the earlier candidate.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        func normalized(_ text: String) -> String {
            String(text.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
        }
        let target = normalized(word)
        if let match = candidates.first(where: { normalized($0) == target }) {
            return match
        }
        let limit = word.count <= 3 ? 1 : 2
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }
        return candidates.first { candidate in
            let candidate = candidate.lowercased()
            return min(candidate.count, lowered.count) >= 2
                && (candidate.hasPrefix(lowered) || lowered.hasPrefix(candidate))
        }
    }

    /// The Levenshtein distance between `a` and `b` (insertions, deletions and
    /// substitutions of characters, each costing 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
