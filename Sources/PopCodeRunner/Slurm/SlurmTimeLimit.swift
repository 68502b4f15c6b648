/// A Slurm wall-clock limit (`sbatch --time`), read in any of the forms `sbatch` takes:
/// `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M` and `D-H:M:S` (e.g. `90` for ninety minutes,
/// `00:30:00`, `1-12`), and written back as `HH:MM:SS` or `D-HH:MM:SS`.
public struct SlurmTimeLimit: Sendable, Hashable, CustomStringConvertible {
    public let days: Int
    public let hours: Int
    public let minutes: Int
    public let seconds: Int

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// The forms, as `--help` and the error messages name them.
    public static let forms = "minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 00:30:00, 1-12)"

    /// Reads the forms `sbatch --time` takes (its manual: "minutes", "minutes:seconds",
    /// "hours:minutes:seconds", "days-hours", "days-hours:minutes", "days-hours:minutes:seconds").
    /// Each field is one to six ASCII digits. A lone count of minutes may be any size (90 is
    /// 01:30:00); after hours, minutes and seconds go up to 59, and hours after a day count up to
    /// 23. The total must be above zero.
    public init(parsing text: String) throws(ParseError) {
        let usage = "--time takes \(Self.forms), got '\(text)'"
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { throw ParseError(description: usage) }
        let hasDays = dayParts.count == 2
        let fields = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = fields.compactMap(Self.number)
        guard (1...3).contains(fields.count), numbers.count == fields.count,
              let days = hasDays ? Self.number(dayParts[0]) : 0 else { throw ParseError(description: usage) }
        var hours = 0, minutes = 0, seconds = 0
        if hasDays || numbers.count == 3 {
            // Hours first; missing minutes and seconds are zero.
            let clock = numbers + [0, 0]
            (hours, minutes, seconds) = (clock[0], clock[1], clock[2])
        } else {
            // Minutes, or minutes:seconds: whole hours carried out of the minutes.
            (hours, minutes) = numbers[0].quotientAndRemainder(dividingBy: 60)
            seconds = numbers.count > 1 ? numbers[1] : 0
        }
        if seconds >= 60 { throw ParseError(description: "\(usage): seconds go up to 59") }
        if (hasDays || numbers.count == 3), minutes >= 60 {
            throw ParseError(description: "\(usage): minutes after hours go up to 59")
        }
        if hasDays, hours >= 24 { throw ParseError(description: "\(usage): hours after a day count go up to 23") }
        guard days + hours + minutes + seconds > 0 else {
            throw ParseError(description: "--time must be longer than zero, got '\(text)'")
        }
        self.days = days
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
    }

    /// The limit as `sbatch --time` reads it: `HH:MM:SS`, or `D-HH:MM:SS` with days.
    public var description: String {
        let clock = [hours, minutes, seconds].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        return days > 0 ? "\(days)-\(clock)" : clock
    }

    /// The value of `text` if it is one to six ASCII digits.
    private static func number(_ text: Substring) -> Int? {
        guard (1...6).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
