import Foundation
import Testing
@testable import PopCodeRunner

@Suite("Sobol sequence")
struct SobolTests {
    /// The first 16 points in 40 dimensions, times 16: Joe & Kuo's published sequence as
    /// `scipy.stats.qmc.Sobol(d=40, scramble=False).random(16)` prints it (made once).
    static let first16: [[Int]] = [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8],
        [12, 4, 4, 4, 12, 12, 4, 12, 12, 12, 12, 12, 4, 4, 12, 4, 12, 4, 12, 4, 4, 12, 4, 4, 4, 12, 4, 12, 4, 12, 4, 4, 4, 12, 12, 12, 4, 4, 4, 4],
        [4, 12, 12, 12, 4, 4, 12, 4, 4, 4, 4, 4, 12, 12, 4, 12, 4, 12, 4, 12, 12, 4, 12, 12, 12, 4, 12, 4, 12, 4, 12, 12, 12, 4, 4, 4, 12, 12, 12, 12],
        [6, 6, 10, 14, 6, 2, 6, 14, 14, 10, 14, 6, 6, 10, 6, 14, 6, 14, 14, 2, 2, 2, 6, 14, 14, 14, 6, 10, 2, 2, 6, 2, 14, 14, 10, 10, 10, 14, 6, 14],
        [14, 14, 2, 6, 14, 10, 14, 6, 6, 2, 6, 14, 14, 2, 14, 6, 14, 6, 6, 10, 10, 10, 14, 6, 6, 6, 14, 2, 10, 10, 14, 10, 6, 6, 2, 2, 2, 6, 14, 6],
        [10, 2, 14, 10, 10, 14, 2, 2, 2, 6, 2, 10, 2, 14, 10, 10, 10, 10, 2, 6, 6, 14, 2, 10, 10, 2, 2, 6, 6, 14, 2, 6, 10, 2, 6, 6, 14, 10, 2, 10],
        [2, 10, 6, 2, 2, 6, 10, 10, 10, 14, 10, 2, 10, 6, 2, 2, 2, 2, 10, 14, 14, 6, 10, 2, 2, 10, 10, 14, 14, 6, 10, 14, 2, 10, 14, 14, 6, 2, 10, 2],
        [3, 5, 15, 7, 9, 5, 7, 15, 15, 5, 11, 1, 15, 15, 13, 15, 13, 13, 15, 5, 3, 11, 3, 15, 7, 1, 9, 3, 11, 15, 7, 13, 1, 15, 9, 7, 3, 13, 5, 9],
        [11, 13, 7, 15, 1, 13, 15, 7, 7, 13, 3, 9, 7, 7, 5, 7, 5, 5, 7, 13, 11, 3, 11, 7, 15, 9, 1, 11, 3, 7, 15, 5, 9, 7, 1, 15, 11, 5, 13, 1],
        [15, 1, 11, 3, 5, 9, 3, 3, 3, 9, 7, 13, 11, 11, 1, 11, 1, 9, 3, 1, 7, 7, 7, 11, 3, 13, 13, 15, 15, 3, 3, 9, 5, 3, 5, 11, 7, 9, 1, 13],
        [7, 9, 3, 11, 13, 1, 11, 11, 11, 1, 15, 5, 3, 3, 9, 3, 9, 1, 11, 9, 15, 15, 15, 3, 11, 5, 5, 7, 7, 11, 11, 1, 13, 11, 13, 3, 15, 1, 9, 5],
        [5, 3, 5, 9, 15, 7, 1, 1, 1, 15, 5, 7, 9, 5, 11, 1, 11, 3, 1, 7, 1, 9, 5, 1, 9, 15, 15, 9, 9, 13, 1, 15, 15, 1, 3, 13, 9, 3, 3, 7],
        [13, 11, 13, 1, 7, 15, 9, 9, 9, 7, 13, 15, 1, 13, 3, 9, 3, 11, 9, 15, 9, 1, 13, 9, 1, 7, 7, 1, 1, 5, 9, 7, 7, 9, 11, 5, 1, 11, 11, 15],
        [9, 7, 1, 13, 3, 11, 5, 13, 13, 3, 9, 11, 13, 1, 7, 5, 7, 7, 13, 3, 5, 5, 1, 5, 13, 3, 11, 5, 13, 1, 5, 11, 11, 13, 15, 1, 13, 7, 7, 3],
        [1, 15, 9, 5, 11, 3, 13, 5, 5, 11, 1, 3, 5, 9, 15, 13, 15, 15, 5, 11, 13, 13, 9, 13, 5, 11, 3, 13, 5, 9, 13, 3, 3, 5, 7, 9, 5, 15, 15, 11],

    ]

    /// Points 1000 and 999 999 times 2³², from `Sobol(d=40, scramble=False, bits=32)`
    /// after `fast_forward(n)`: they use the recurrence's later direction numbers.
    static let deep: [Int: [UInt64]] = [
        1000: [943718400, 415236096, 2227175424, 2906652672, 1203765248, 3896508416, 197132288, 3862953984, 2151677952, 297795584, 364904448, 1094713344, 692060160, 1648361472, 616562688, 1589641216, 3091202048, 1480589312, 4257218560, 3116367872, 2243952640, 2361393152, 4081057792, 2319450112, 2503999488, 3896508416, 171966464, 4206886912, 255852544, 1463812096, 633339904, 624951296, 1270874112, 2545942528, 3443523584, 3309305856, 3644850176, 3569352704, 1321205760, 2059403264],
        999_999: [80154624, 3856265216, 1576505344, 152186880, 3673149440, 2643013632, 3330461696, 374116352, 652742656, 3407900672, 1030336512, 2019659776, 2817626112, 3397988352, 1009504256, 4048687104, 2271817728, 2011860992, 969404416, 2950557696, 2152067072, 172830720, 1073778688, 726872064, 2611859456, 1939116032, 2823999488, 3430100992, 1194225664, 1519751168, 151605248, 2828627968, 3946221568, 2407813120, 3814264832, 739938304, 2910531584, 870576128, 204992512, 418099200],
    ]

    @Test func unscrambledPointsEqualThePublishedOnes() {
        let sobol = SobolSequence(dimensions: 40)
        for (n, expected) in Self.first16.enumerated() {
            #expect(sobol.point(n) == expected.map { Double($0) / 16 }, "point \(n)")
        }
        for (n, expected) in Self.deep {
            #expect(sobol.point(n) == expected.map { Double($0) * 0x1p-32 }, "point \(n)")
        }
    }

    @Test func lowerDimensionsArePrefixesOfHigherOnes() {
        let two = SobolSequence(dimensions: 2), forty = SobolSequence(dimensions: 40)
        for n in [0, 1, 7, 100, 4095] { #expect(two.point(n) == Array(forty.point(n).prefix(2))) }
    }

    /// Scrambling keeps the net: the first 2^m points put one point in each of the 2^m
    /// intervals of every coordinate, for every m up to 10; and a seed changes the points.
    @Test func scrambledPointsStayStratifiedAndDependOnTheSeed() {
        let sobol = SobolSequence(dimensions: 12, scrambleSeed: 7)
        let points = sobol.points(1024)
        for m in 0...10 {
            let n = 1 << m
            for d in 0..<12 {
                let cells = Set(points.prefix(n).map { Int($0[d] * Double(n)) })
                #expect(cells.count == n, "m = \(m), dimension \(d)")
            }
        }
        #expect(points.allSatisfy { $0.allSatisfy { (0..<1).contains($0) } })
        #expect(SobolSequence(dimensions: 12, scrambleSeed: 7).points(8) == Array(points.prefix(8)))
        #expect(SobolSequence(dimensions: 12, scrambleSeed: 8).points(8) != Array(points.prefix(8)))
        #expect(points[0] != [Double](repeating: 0, count: 12))
    }
}
