/// A Slurm wall-clock limit (`sbatch --time`) written `HH:MM:SS` or `D-HH:MM:SS`, e.g.
/// `00:30:00` or `2-12:00:00`.
public struct SlurmTimeLimit: Sendable, Hashable, CustomStringConvertible {
    public let days: Int
    public let hours: Int
    public let minutes: Int
    public let seconds: Int

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// Reads `HH:MM:SS` or `D-HH:MM:SS`: minutes and seconds of two digits below 60; hours
    /// of two to four digits, or of two below 24 after a day count of one to three digits;
    /// a total above zero.
    public init(parsing text: String) throws(ParseError) {
        let usage = "--time takes HH:MM:SS or D-HH:MM:SS (e.g. 00:30:00 or 1-12:00:00), got '\(text)'"
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { throw ParseError(description: usage) }
        let hasDays = dayParts.count == 2
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3,
              let days = hasDays ? Self.number(dayParts[0], digits: 1...3) : 0,
              let hours = Self.number(clock[0], digits: hasDays ? 2...2 : 2...4),
              let minutes = Self.number(clock[1], digits: 2...2),
              let seconds = Self.number(clock[2], digits: 2...2) else {
            throw ParseError(description: usage)
        }
        guard minutes < 60, seconds < 60, !hasDays || hours < 24 else {
            throw ParseError(description: "\(usage): minutes and seconds go up to 59, and hours after a day count up to 23")
        }
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

    /// The value of `text` if it is `digits` ASCII digits.
    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
