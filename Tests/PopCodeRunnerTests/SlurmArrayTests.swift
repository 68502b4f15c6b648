import Testing
@testable import PopCodeRunner

@Suite("Slurm array index lists, time limits and command output")
struct SlurmArrayTests {
    @Test func consecutiveIdsBecomeRanges() {
        #expect(ArrayIndexList([3, 7, 9, 10, 11, 12]).description == "3,7,9-12")
        #expect(ArrayIndexList([12, 3, 10, 9, 7, 11, 3]).description == "3,7,9-12")
        #expect(ArrayIndexList(0..<4).description == "0-3")
        #expect(ArrayIndexList([5]).description == "5")
        #expect(ArrayIndexList([0, 2, 4]).description == "0,2,4")
        #expect(ArrayIndexList([1, 2, 4, 5]).description == "1-2,4-5")
        #expect(ArrayIndexList([Int]()).description == "")
        #expect(ArrayIndexList([Int]()).isEmpty)
        let list = ArrayIndexList([3, 7, 9, 10, 11, 12])
        #expect(list.count == 6)
        #expect(list.ids == [3, 7, 9, 10, 11, 12])
        #expect(list.ranges == [3...3, 7...7, 9...12])
    }

    @Test func aListLongerThanTheLimitIsCutInOrder() {
        let list = ArrayIndexList([0, 2, 4, 6, 8, 10, 11, 12, 20])
        #expect(list.description == "0,2,4,6,8,10-12,20")
        #expect(list.split(maxLength: 100) == [list])
        let pieces = list.split(maxLength: 7)
        #expect(pieces.map(\.description) == ["0,2,4,6", "8,10-12", "20"])
        #expect(pieces.allSatisfy { $0.description.count <= 7 })
        #expect(pieces.flatMap(\.ids) == list.ids)
        // Every other id below 10 000: far past Slurm's 4096 characters.
        let sparse = ArrayIndexList(stride(from: 0, to: 10_000, by: 2))
        let cut = sparse.split(maxLength: ArrayIndexList.maxSpecLength)
        #expect(cut.count == 6)
        #expect(cut.allSatisfy { $0.description.count <= 4096 && !$0.isEmpty })
        #expect(cut.flatMap(\.ids) == sparse.ids)
    }

    @Test func timeLimitsInSlurmsFormats() throws {
        // Every form sbatch takes, written back as HH:MM:SS or D-HH:MM:SS.
        let forms = ["00:30:00": "00:30:00", "120:00:00": "120:00:00", "2-12:00:05": "2-12:00:05",
                     "90": "01:30:00", "30": "00:30:00", "59:30": "00:59:30", "150:05": "02:30:05",
                     "1-12": "1-12:00:00", "3-4:05": "3-04:05:00", "0-0:0:1": "00:00:01", "1:2:3": "01:02:03"]
        for (text, written) in forms {
            #expect(try SlurmTimeLimit(parsing: text).description == written, "\(text)")
        }
        let limit = try SlurmTimeLimit(parsing: "1-02:03:04")
        #expect([limit.days, limit.hours, limit.minutes, limit.seconds] == [1, 2, 3, 4])
        let usage = "--time takes \(SlurmTimeLimit.forms), got"
        for bad in ["", "-", "1-", "-1", ":30", "30:", "a-01:00:00", "1-2-03:00:00", " 00:30:00", "01:00:00:00",
                    "1-01:00:00:00", "1.5", "+30", "1234567"] {
            #expect(throws: SlurmTimeLimit.ParseError(description: "\(usage) '\(bad)'"), "\(bad)") {
                try SlurmTimeLimit(parsing: bad)
            }
        }
        for (bad, why) in [("00:60:00", "minutes after hours go up to 59"), ("1-2:60", "minutes after hours go up to 59"),
                           ("30:60", "seconds go up to 59"), ("00:00:60", "seconds go up to 59"),
                           ("1-24", "hours after a day count go up to 23")] {
            #expect(throws: SlurmTimeLimit.ParseError(description: "\(usage) '\(bad)': \(why)"), "\(bad)") {
                try SlurmTimeLimit(parsing: bad)
            }
        }
        for zero in ["0", "00:00:00", "0-0", "0:00"] {
            #expect(throws: SlurmTimeLimit.ParseError(description: "--time must be longer than zero, got '\(zero)'")) {
                try SlurmTimeLimit(parsing: zero)
            }
        }
    }

    @Test func readingSbatchScontrolAndSqueue() {
        #expect(SlurmClient.jobID(parsable: "1234\n") == "1234")
        #expect(SlurmClient.jobID(parsable: "1234;cluster2\n") == "1234")
        #expect(SlurmClient.jobID(parsable: "Submitted batch job 12\n") == nil)
        #expect(SlurmClient.jobID(parsable: "") == nil)

        let config = """
            Configuration data as of 2026-11-29T12:00:00
            MailProg                = /bin/true
            MaxArraySize            = 3
            MaxJobCount             = 10000
            """
        #expect(SlurmClient.maxArraySize(showConfig: config) == 3)
        #expect(SlurmClient.maxArraySize(showConfig: "MaxJobCount = 10000\n") == nil)
        #expect(SlurmClient.maxArraySize(showConfig: "MaxArraySize = 0\n") == nil)

        let queue = """
            12|/runs/a/slurm/sweep-1.sbatch
            12|/runs/a/slurm/sweep-1.sbatch
            13|/runs/a/slurm/compare.sbatch
            14|/runs/ab/slurm/sweep.sbatch
            15|/home/me/other.sh
            """
        #expect(SlurmClient.jobIDs(squeue: queue, scriptsIn: "/runs/a/slurm") == ["12", "13"])
        #expect(SlurmClient.jobIDs(squeue: "", scriptsIn: "/runs/a/slurm").isEmpty)
    }
}
