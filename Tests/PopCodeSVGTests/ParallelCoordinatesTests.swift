import Foundation
import Testing
@testable import PopCodeSVG

/// Logarithmic ticks and the parallel-coordinates plot of a search.
struct ParallelCoordinatesTests {
    @Test func logarithmicTicksSitAtOneTwoFiveTimesPowersOfTen() {
        let axis = Axis("lr", ticks: .logarithmic)
        let ticks = axis.resolvedTicks(in: log10(0.01)...log10(1))
        #expect(ticks.map(\.label) == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        for tick in ticks {
            #expect(abs(pow(10, tick.value) - Double(tick.label)!) < 1e-12)
        }
        // Over more than two decades only the powers of ten; large and tiny ones in powers.
        #expect(axis.resolvedTicks(in: -3...1).map(\.label) == ["0.001", "0.01", "0.1", "1", "10"])
        #expect(axis.resolvedTicks(in: -7...(-4)).map(\.label) == ["10⁻⁷", "10⁻⁶", "10⁻⁵", "0.0001"])
        #expect(axis.resolvedTicks(in: 5...7).map(\.label) == ["100000", "200000", "500000", "10⁶", "2×10⁶", "5×10⁶", "10⁷"])
        // A narrow domain (0.3 to 0.9) would hold one of 1, 2, 5: then 1 … 9.
        #expect(axis.resolvedTicks(in: log10(0.3)...log10(0.9)).map(\.label)
                == ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
    }

    @Test func oneLinePerItemThroughItsFiniteValuesColouredByItsValue() {
        let plot = ParallelCoordinates(
            title: "search", width: 600, height: 320,
            dimensions: [
                .init(axis: Axis("lr", ticks: .logarithmic), values: [-2, -1, 0, -1.5], domain: -2...0),
                .init(axis: Axis("sigma"), values: [0.1, .nan, 0.3, 0.2], domain: 0.1...0.4),
                .init(axis: Axis("test_mse"), values: [0.01, 0.02, 0.03, .nan]),
            ],
            colorValues: [0.01, 0.02, 0.03, nil], colorAxis: Axis("mean test_mse"),
            labels: ["cfg=00", "cfg=01", "cfg=02", "cfg=03"])
        let svg = plot.svg().rendered()
        let lines = Array(svg.components(separatedBy: "<polyline ").dropFirst())
        #expect(lines.count == 4)
        // Points per line: the finite values only.
        let points = lines.map { $0.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }.split(separator: " ").count }
        #expect(points == [3, 2, 3, 2])
        // Colours: viridis' ends for the smallest and largest value, grey for none.
        #expect(lines[0].contains("stroke=\"\(ColorMap.viridis.color(at: 0)!.css)\""))
        #expect(lines[2].contains("stroke=\"\(ColorMap.viridis.color(at: 1)!.css)\""))
        #expect(lines[3].contains("stroke=\"\(ParallelCoordinates.missingColor.css)\""))
        #expect(lines[1].contains("<title>cfg=01</title>"))
        // The first line starts on the lr axis at 0.01 (the bottom) and the lr axis is labelled logarithmically.
        let first = lines[0].components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }.split(separator: " ")[0]
        #expect(first == "\(SVGNumber.format(plot.axisX(0))),\(SVGNumber.format(320 - 20 - ColorBar.height))")
        #expect(svg.contains(">0.02</text>") && svg.contains(">0.5</text>") && !svg.contains("NaN"))
    }
}
