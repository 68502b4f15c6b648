import Foundation
import Testing

/// The typed options (issue 12, item 3): choices in `--help`, one checkpoint default, and
/// bad values refused by the parser with status 2 and a message naming the option.
@Suite(.serialized) struct CLIOptionsTests {
    static let sweep = "name: tiny\nseed: [0, 1]\n" + CLI.tinyKeys
    static let minSecondsHelp = "--checkpoint-min-seconds <s> Checkpoints at least S seconds of training apart "
        + "(0: every N epochs exactly). (default: 1.0) Spares fast runs checkpoints that cost more than they save"

    @Test func helpShowsTheChoicesAndOneCheckpointDefault() throws {
        let dir = try CLI.workspace()
        let run = try CLI.run(["run", "--help"], in: dir)
        #expect(run.status == 0)
        let help = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--format <format> Format of the table printed at the end. (values: table, markdown, csv, json; default: table)"), "\(help)")
        #expect(help.contains("--checkpoint-every <n> Save a checkpoint every N epochs (0: only when stopped). (default: 10)"), "\(help)")
        #expect(help.contains("-j, --jobs <n>") && help.contains("-q, --quiet") && help.contains("--shard <i/n>"))
        #expect(help.contains(Self.minSecondsHelp), "\(help)")
        for command in [["queue", "run", "--help"], ["train", "--help"]] {
            let other = try CLI.run(command, in: dir).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(other.contains("--checkpoint-every <n> Save a checkpoint every N epochs (0: only when stopped). (default: 10)"), "\(command)")
            #expect(other.contains("-q, --quiet"), "\(command)")
            #expect(other.contains(Self.minSecondsHelp), "\(command)")
        }
        func flat(_ arguments: [String]) throws -> String {
            try CLI.run(arguments, in: dir).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(try flat(["queue", "status", "--help"]).contains("(values: table, json; default: table)"))
        #expect(try flat(["compare", "--help"]).contains("(values: table, markdown, csv, json; default: table)"))
    }

    @Test func badValuesAreRefusedByTheParserWithStatus2() throws {
        let dir = try CLI.workspace(["tiny.yaml": Self.sweep])
        let cases: [([String], String)] = [
            (["run", "tiny.yaml", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'"),
            (["run", "tiny.yaml", "--shard", "3/2"], "The value '3/2' is invalid for '--shard <i/n>'"),
            (["run", "tiny.yaml", "--shard", "x"], "The value 'x' is invalid for '--shard <i/n>'"),
            (["run", "tiny.yaml", "--jobs", "0"], "--jobs must be at least 1, got 0"),
            (["run", "tiny.yaml", "--checkpoint-every=-1"], "--checkpoint-every must be at least 0 (0: only when stopped), got -1"),
            (["run", "tiny.yaml", "--index", "0", "--shard", "0/2"], "--index and --shard cannot be combined"),
            (["compare", "runs/tiny", "--format", "html"], "The value 'html' is invalid for '--format <format>'"),
            (["queue", "status", "--format", "csv"], "The value 'csv' is invalid for '--format <format>'"),
            (["queue", "run", "--jobs", "0"], "--jobs must be at least 1, got 0"),
            (["train", "--checkpoint-every=-2"], "--checkpoint-every must be at least 0 (0: only when stopped), got -2"),
            (["run", "tiny.yaml", "--checkpoint-min-seconds=-1"],
             "--checkpoint-min-seconds must be a number of seconds, at least 0 (0: every --checkpoint-every epochs exactly), got -1.0"),
            (["queue", "run", "--checkpoint-min-seconds", "inf"], "--checkpoint-min-seconds must be a number of seconds, at least 0"),
            (["train", "--checkpoint-min-seconds", "soon"], "The value 'soon' is invalid for '--checkpoint-min-seconds <s>'"),
            (["slurm", "tiny.yaml", "--time", "90s"], "The value '90s' is invalid for '--time <time>': --time takes minutes, "),
            (["slurm", "tiny.yaml", "--time", "00:60:00"],
             "The value '00:60:00' is invalid for '--time <time>': --time takes minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or "
                + "D-HH:MM:SS (e.g. 90, 00:30:00, 1-12), got '00:60:00': minutes after hours go up to 59"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments, in: dir)
            #expect(result.status == 2, "\(arguments): \(result.status)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
        // The choices are named in the error.
        let format = try CLI.run(["run", "tiny.yaml", "--format", "xml"], in: dir)
        #expect(format.stderr.contains("'table'") && format.stderr.contains("'json'"), "\(format.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs").path))
    }

    @Test func aShardSelectsEveryNthRun() throws {
        let dir = try CLI.workspace(["four.yaml": "name: four\nseed: [0, 1, 2, 3]\n" + CLI.tinyKeys])
        let result = try CLI.run(["run", "four.yaml", "--shard", "1/2", "-q", "--format", "csv"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("experiment,run,id,status"))
        #expect(CLI.files(under: dir.appendingPathComponent("runs/four")).filter { $0.hasSuffix("metrics.json") }
                == ["seed=1/metrics.json", "seed=3/metrics.json"])
    }
}
