/// A set of Slurm array task ids written the way `sbatch --array` reads them: ascending,
/// consecutive ids merged into ranges, `3,7,9-12`.
///
/// Slurm accepts ids from 0 to `MaxArraySize − 1`, and an `--array` value (with its `%M`
/// suffix) of at most `ArrayIndexList.maxSpecLength` characters.
public struct ArrayIndexList: Sendable, Hashable, CustomStringConvertible {
    /// Disjoint, non-adjacent ranges in ascending order.
    public let ranges: [ClosedRange<Int>]

    /// The longest `--array` value slurmctld accepts: longer ones are refused with "Pathname
    /// of a file, directory or other parameter too long" (its log says `strlen(array_inx)
    /// too big (4097 > 4096)`; Slurm 22.05, measured).
    public static let maxSpecLength = 4096

    /// The list of `ids` (any order, repeats ignored); ids must not be negative.
    public init(_ ids: some Sequence<Int>) {
        var ranges: [ClosedRange<Int>] = []
        for id in Set(ids).sorted() {
            precondition(id >= 0, "Slurm array task ids are not negative")
            if let last = ranges.last, last.upperBound + 1 == id {
                ranges[ranges.count - 1] = last.lowerBound...id
            } else {
                ranges.append(id...id)
            }
        }
        self.ranges = ranges
    }

    private init(ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }

    /// The ids in ascending order.
    public var ids: [Int] { ranges.flatMap { Array($0) } }

    public var count: Int { ranges.reduce(0) { $0 + $1.count } }

    public var isEmpty: Bool { ranges.isEmpty }

    /// `3,7,9-12`: each range as `a` or `a-b`, joined by commas.
    public var description: String {
        ranges.map(Self.text).joined(separator: ",")
    }

    /// This list cut, in order, into lists whose text is at most `maxLength` characters
    /// each; one list when it already fits. `maxLength` must hold any single range (`a-b`).
    public func split(maxLength: Int) -> [ArrayIndexList] {
        var pieces: [ArrayIndexList] = []
        var current: [ClosedRange<Int>] = []
        var length = 0
        for range in ranges {
            let text = Self.text(range)
            precondition(text.count <= maxLength, "the --array limit cannot hold '\(text)'")
            if !current.isEmpty && length + 1 + text.count > maxLength {
                pieces.append(ArrayIndexList(ranges: current))
                current = []
                length = 0
            }
            length += (current.isEmpty ? 0 : 1) + text.count
            current.append(range)
        }
        if !current.isEmpty { pieces.append(ArrayIndexList(ranges: current)) }
        return pieces
    }

    private static func text(_ range: ClosedRange<Int>) -> String {
        range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }
}
