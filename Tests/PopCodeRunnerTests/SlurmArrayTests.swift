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
        #expect(try SlurmTimeLimit(parsing: "00:30:00").description == "00:30:00")
        #expect(try SlurmTimeLimit(parsing: "120:00:00").description == "120:00:00")
        #expect(try SlurmTimeLimit(parsing: "2-12:00:05").description == "2-12:00:05")
        let limit = try SlurmTimeLimit(parsing: "1-02:03:04")
        #expect([limit.days, limit.hours, limit.minutes, limit.seconds] == [1, 2, 3, 4])
        let usage = "--time takes HH:MM:SS or D-HH:MM:SS (e.g. 00:30:00 or 1-12:00:00), got"
        for bad in ["30", "1:00:00", "00:30", "00:60:00", "1-24:00:00", "a-01:00:00", "00:00:00", "1-2-03:00:00", " 00:30:00", "01:00:00:00", ""] {
            #expect(throws: SlurmTimeLimit.ParseError.self, "\(bad)") { try SlurmTimeLimit(parsing: bad) }
        }
        #expect(throws: SlurmTimeLimit.ParseError(description: "\(usage) '1:00:00'")) {
            try SlurmTimeLimit(parsing: "1:00:00")
        }
        #expect(throws: SlurmTimeLimit.ParseError(description: "\(usage) '00:60:00': minutes and seconds go up to 59, and hours after a day count up to 23")) {
            try SlurmTimeLimit(parsing: "00:60:00")
        }
        #expect(throws: SlurmTimeLimit.ParseError(description: "--time must be longer than zero, got '00:00:00'")) {
            try SlurmTimeLimit(parsing: "00:00:00")
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
