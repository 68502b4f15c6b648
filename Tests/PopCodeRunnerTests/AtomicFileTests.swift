import Foundation
import Testing
@testable import PopCodeRunner

struct AtomicFileTests {
    @Test func writesReplaceTheWholeFileAndLeaveNoTemporary() throws {
        let folder = temporaryFolder()
        let file = folder.appendingPathComponent("sub/dir/x.json")
        try AtomicFile.write(Data("first".utf8), to: file)
        try AtomicFile.write(Data("second, longer".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second, longer")
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["x.json"])
    }

    @Test func anUnwritablePlaceIsAnErrorNamingIt() throws {
        let folder = temporaryFolder()
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        // A file where a folder should be: the message names it and says why.
        let error = #expect(throws: AtomicFile.WriteError.self) {
            try AtomicFile.write(Data("x".utf8), to: blocker.appendingPathComponent("sub/inside.json"))
        }
        let sub = blocker.appendingPathComponent("sub").path
        #expect(error?.path == sub)
        #expect(error?.description == "cannot write \(sub): Not a directory")
        // A folder where the file should be: the message names the file, and no temporary is left.
        let occupied = folder.appendingPathComponent("metrics.json")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        let replaced = #expect(throws: AtomicFile.WriteError.self) {
            try AtomicFile.writeJSON(["a": 1], to: occupied)
        }
        #expect(replaced?.description.hasPrefix("cannot write \(occupied.path): ") == true, "\(String(describing: replaced))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["file", "metrics.json"])
    }

    @Test func onlyLeftoversOfDeadWritersAreRemoved() throws {
        let folder = temporaryFolder()
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let host = AtomicFile.hostTag
        let names = [".metrics.json.tmp-\(host)-\(dead)-7", ".metrics.json.tmp-\(host)-\(getpid())-8",
                     ".a.json.tmp-othernode-\(dead)-9", ".b.json.tmp-othernode-\(dead)-10", "keep.json"]
        for name in names {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        // Another node's file: removed only once it is an hour old.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)],
                                              ofItemAtPath: folder.appendingPathComponent(names[3]).path)
        AtomicFile.removeLeftovers(in: folder)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == [".a.json.tmp-othernode-\(dead)-9", ".metrics.json.tmp-\(host)-\(getpid())-8", "keep.json"])
    }
}
