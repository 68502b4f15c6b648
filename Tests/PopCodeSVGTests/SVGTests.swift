import Foundation
import Testing
@testable import PopCodeSVG

/// The SVG layer on its own: scales, ticks, number and text formatting, escaping, colour
/// maps, and that non-finite data leaves gaps instead of "NaN" in the drawing.
struct SVGTests {
    // MARK: Scales and ticks

    @Test func linearScaleMapsDomainOntoRangeEitherWay() {
        let scale = LinearScale(domain: 0...10, range: 100, 200)
        #expect(scale(0) == 100)
        #expect(scale(10) == 200)
        #expect(scale(2.5) == 125)
        let flipped = LinearScale(domain: -1...1, range: 300, 100)
        #expect(flipped(-1) == 300)
        #expect(flipped(1) == 100)
        #expect(flipped(0) == 200)
        #expect(scale(.nan).isNaN)
    }

    @Test func tickStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(LinearScale.tickStep(span: 1, count: 5) == 0.2)
        #expect(LinearScale.tickStep(span: 10, count: 10) == 1)
        #expect(LinearScale.tickStep(span: 200, count: 5) == 50)
        #expect(LinearScale.tickStep(span: 0.003, count: 5) == 0.0005)
        #expect(LinearScale.tickStep(span: 7, count: 5) == 1)  // 1.4 per tick: below √2, so 1
        #expect(LinearScale.tickStep(span: 7.5, count: 5) == 2)
    }

    @Test func ticksAreExactMultiplesInsideTheDomain() {
        #expect(LinearScale.ticks(in: 0...1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(LinearScale.ticks(in: 0...200, count: 4) == [0, 50, 100, 150, 200])
        #expect(LinearScale.ticks(in: -0.35...0.35, count: 5) == [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3])
        // 0.1 + 0.2 must not come out as 0.30000000000000004.
        #expect(LinearScale.ticks(in: 0...0.5, count: 5).contains(0.3))
        #expect(LinearScale.ticks(in: 0.0093...0.0121, count: 5) == [0.0095, 0.01, 0.0105, 0.011, 0.0115, 0.012])
    }

    @Test func niceDomainsEndOnTicks() {
        #expect(LinearScale.nice(0.013...0.987, count: 5) == 0...1)
        #expect(LinearScale.nice(1...200, count: 5) == 0...200)
        #expect(LinearScale.nice(-62.3...(-29.1), count: 5) == -70...(-20))
    }

    @Test func degenerateAndNonFiniteDomainsAreWidened() {
        #expect(LinearScale.widened(3...3) == 2.7...3.3)
        #expect(LinearScale.widened(0...0) == -0.5...0.5)
        #expect(LinearScale.extent(of: [.nan, 2, .infinity, -1, -.infinity]) == -1...2)
        #expect(LinearScale.extent(of: [Double.nan]) == nil)
        let scale = LinearScale(domain: 5...5, range: 0, 100)
        #expect(scale(5) == 50)
    }

    @Test func tickLabelsUseTheStepsDecimalsAndATrueMinus() {
        #expect(TickFormat.label(0.2, step: 0.2) == "0.2")
        #expect(TickFormat.label(0.5, step: 0.01) == "0.50")
        #expect(TickFormat.label(0.0105, step: 0.0005) == "0.0105")
        #expect(TickFormat.label(150, step: 50) == "150")
        #expect(TickFormat.label(-60, step: 10) == "−60")
        #expect(TickFormat.label(0, step: 0.1) == "0")
        #expect(TickFormat.label(2e-5, step: 1e-5) == "2×10⁻⁵")
        #expect(TickFormat.label(3e7, step: 1e7) == "3×10⁷")
        #expect(TickFormat.label(.nan, step: 1) == "")
        #expect(TickFormat.number(6.2345) == "6.23")
        #expect(TickFormat.number(.infinity) == "—")
    }

    @Test func axisResolvesAutomaticAndFixedTicks() {
        let automatic = Axis("MSE", unit: "per pixel").resolvedTicks(in: 0...0.03)
        #expect(automatic.map(\.label) == ["0", "0.005", "0.010", "0.015", "0.020", "0.025", "0.030"])
        #expect(Axis("MSE", unit: "per pixel").caption == "MSE (per pixel)")
        let fixed = Axis("c", ticks: .fixed([.init(0, "a"), .init(1, "b"), .init(5, "far")])).resolvedTicks(in: -0.5...1.5)
        #expect(fixed.map(\.label) == ["a", "b"])
    }

    // MARK: Numbers, escaping, markup

    @Test func svgNumbersAreShortAndNeverNaN() {
        #expect(SVGNumber.format(12) == "12")
        #expect(SVGNumber.format(3.5) == "3.5")
        #expect(SVGNumber.format(-0.25) == "-0.25")
        #expect(SVGNumber.format(0.004) == "0")
        #expect(SVGNumber.format(-0.004) == "0")
        #expect(SVGNumber.format(1.005) == "1" || SVGNumber.format(1.005) == "1.01")
        #expect(SVGNumber.format(7.07) == "7.07")
        #expect(SVGNumber.format(1e300) == "1000000000")
    }

    @Test func textAndAttributesAreEscaped() {
        #expect(XMLEscape.text("a<b & c>d \"q\"") == "a&lt;b &amp; c&gt;d \"q\"")
        #expect(XMLEscape.attribute("x\"y'z<&>") == "x&quot;y&#39;z&lt;&amp;&gt;")
        // Entity-like input is escaped too, not passed through.
        #expect(XMLEscape.text("&lt;") == "&amp;lt;")
        // Characters XML forbids become U+FFFD; tab and newline stay.
        #expect(XMLEscape.text("a\u{0}b\u{1B}c\td\n") == "a\u{FFFD}b\u{FFFD}c\td\n")
        #expect(XMLEscape.text("plain σ m̂") == "plain σ m̂")
    }

    @Test func markupEscapesEveryStringAndClosesElementsTheHTMLWay() {
        let page = Markup("div", ["class": "a\"b"], children: [
            .text("<script>alert(1)</script>"),
            Markup("br"),
            Markup("span"),
            Markup("svg", children: [Markup("circle", [.init("r", 2.5)]), Markup("title", children: [.text("t&t")])]),
        ])
        #expect(page.rendered() == "<div class=\"a&quot;b\">&lt;script&gt;alert(1)&lt;/script&gt;<br><span></span>"
                + "<svg><circle r=\"2.5\"/><title>t&amp;t</title></svg></div>")
        #expect(Markup.group([.text("x"), .trusted("<b>")]).rendered() == "x<b>")
    }

    @Test func chartTitlesAndLabelsAreEscaped() {
        let chart = Chart(title: "<evil> & \"quoted\"", x: Axis("x<1"), y: Axis("y", unit: "a&b"),
                          marks: [LineMark(x: [0, 1], y: [0, 1], color: Palette.color(0), label: "run <1>")])
        let svg = chart.svg().rendered()
        #expect(svg.contains("&lt;evil&gt; &amp; \"quoted\""))
        #expect(svg.contains("aria-label=\"&lt;evil&gt; &amp; &quot;quoted&quot;\""))
        #expect(svg.contains("x&lt;1"))
        #expect(svg.contains("y (a&amp;b)"))
        #expect(svg.contains("run &lt;1&gt;"))
        #expect(!svg.contains("<evil>"))
    }

    // MARK: Non-finite data

    @Test func aLineBreaksAtNonFiniteValuesInsteadOfDrawingThem() {
        let area = PlotArea(left: 0, top: 0, width: 100, height: 100, xDomain: 0...4, yDomain: 0...4)
        let line = LineMark(x: [0, 1, 2, 3, 4], y: [0, 1, .nan, 3, 4], color: Palette.color(0))
        #expect(line.pathData(in: area) == "M0 100L25 75M75 25L100 0")
        let rendered = line.markup(in: area).rendered()
        #expect(!rendered.lowercased().contains("nan"))
        #expect(!rendered.lowercased().contains("inf"))
    }

    @Test func aPointBetweenTwoGapsIsStillShownAsADot() {
        let area = PlotArea(left: 0, top: 0, width: 100, height: 100, xDomain: 0...4, yDomain: 0...4)
        let line = LineMark(x: [0, 1, 2], y: [.nan, 2, .infinity], color: Palette.color(0))
        #expect(line.pathData(in: area) == "")
        #expect(line.markup(in: area).rendered().contains("<circle cx=\"25\" cy=\"50\""))
    }

    @Test func linesLeavingThePlotAreClippedAtItsEdge() {
        let area = PlotArea(left: 0, top: 0, width: 100, height: 100, xDomain: 0...2, yDomain: 0...1)
        // The second point is 1e249 high: the segment is cut where it leaves the top.
        let line = LineMark(x: [0, 1, 2], y: [0.5, 2.9e249, 0.5], color: Palette.color(0))
        let data = line.pathData(in: area)
        #expect(data.hasPrefix("M0 50L"))
        #expect(!data.contains("e"))
        for number in data.split(whereSeparator: { "ML ".contains($0) }) {
            #expect(Double(number)! >= -0.01 && Double(number)! <= 100.01)
        }
    }

    @Test func clippingKeepsInsideSegmentsAndDropsOutsideOnes() {
        let area = PlotArea(left: 10, top: 10, width: 80, height: 80, xDomain: 0...1, yDomain: 0...1)
        let inside = area.clip((20, 20), (80, 80))
        #expect(inside.map { [$0.start.x, $0.start.y, $0.end.x, $0.end.y] } == [20, 20, 80, 80])
        let crossing = area.clip((0, 50), (100, 50))
        #expect(crossing.map { [$0.start.x, $0.start.y, $0.end.x, $0.end.y] } == [10, 50, 90, 50])
        #expect(area.clip((0, 0), (5, 100)) == nil)
    }

    @Test func bandsBreakWhereABoundIsMissing() {
        let area = PlotArea(left: 0, top: 0, width: 100, height: 100, xDomain: 0...5, yDomain: 0...10)
        let band = BandMark(x: [0, 1, 2, 3, 4, 5], lower: [1, 1, .nan, 1, 1, 1], upper: [2, 2, 2, 2, 2, .infinity],
                            color: Palette.color(1))
        let rendered = band.markup(in: area).rendered()
        #expect(rendered.components(separatedBy: "<polygon").count - 1 == 2)
        #expect(!rendered.lowercased().contains("nan"))
        #expect(band.yExtent == 1...2)
    }

    @Test func pointsAndErrorBarsSkipNonFiniteValues() {
        let area = PlotArea(left: 0, top: 0, width: 100, height: 100, xDomain: 0...1, yDomain: 0...1)
        let points = PointMark(x: [0.5, .nan, 0.2, 0.3], y: [0.5, 0.1, .infinity, 0.3],
                               colors: [Palette.color(0), Palette.color(1), Palette.color(2), nil])
        #expect(points.markup(in: area).rendered().components(separatedBy: "<circle").count - 1 == 1)
        let bars = ErrorBarMark(x: [0.2, 0.5, 0.8], center: [0.5, .nan, 0.5], spread: [0.1, 0.1, .nan],
                                colors: [Palette.color(0)])
        let rendered = bars.markup(in: area).rendered()
        #expect(rendered.components(separatedBy: "<rect").count - 1 == 2)
        #expect(rendered.components(separatedBy: "<path").count - 1 == 1)
        #expect(!rendered.lowercased().contains("nan"))
    }

    @Test func aChartOfOnlyNonFiniteDataStillDrawsItsAxes() {
        let chart = Chart(title: "empty", x: Axis("epoch"), y: Axis("loss"),
                          marks: [LineMark(x: [0, 1], y: [.nan, .infinity], color: Palette.color(0))])
        #expect(chart.domains().y == 0...1)
        let svg = chart.svg().rendered()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!svg.lowercased().contains("nan"))
        #expect(!svg.contains("inf"))
    }

    @Test func contextMarksDoNotStretchTheAxes() {
        let chart = Chart(title: "t", x: Axis("x"), y: Axis("y"), marks: [
            LineMark(x: [0, 10], y: [0, 1], color: Palette.color(0)),
            LineMark(x: [0, 1], y: [0, 5e121], color: Palette.color(1), definesDomain: false),
        ])
        #expect(chart.domains().y == 0...1)
        #expect(chart.domains().x == 0...10)
    }

    // MARK: Colour

    @Test func colourMapsHaveTheirPublishedEndpoints() {
        #expect(ColorMap.viridis.color(at: 0)?.css == "#440154")
        #expect(ColorMap.viridis.color(at: 1)?.css == "#fde725")
        #expect(ColorMap.viridis.color(at: -3)?.css == "#440154")
        #expect(ColorMap.viridis.color(at: 7)?.css == "#fde725")
        #expect(ColorMap.blueRed.color(at: 0)?.css == "#053061")
        #expect(ColorMap.blueRed.color(at: 1)?.css == "#67001f")
        #expect(ColorMap.blueRed.color(of: 0, in: -1...1)?.css == "#f7f6f6")
        #expect(ColorMap.twilight.color(at: 0)?.css == "#e2d9e2")
        #expect(ColorMap.viridis.color(at: .nan) == nil)
    }

    @Test func aCyclicMapWrapsAround() {
        let map = ColorMap.twilight
        #expect(map.color(at: 0) == map.color(at: 1))
        #expect(map.color(at: 0.25) == map.color(at: 1.25))
        #expect(map.color(at: -0.25) == map.color(at: 0.75))
        // Just below 1 it is close to the colour at 0: no seam.
        let a = map.color(at: 0.999)!, b = map.color(at: 0)!
        #expect(abs(Int(a.red) - Int(b.red)) <= 2 && abs(Int(a.green) - Int(b.green)) <= 2)
    }

    @Test func sequentialMapsGetLighterMonotonically() {
        let luminances = stride(from: 0.0, through: 1.0, by: 0.05).map { ColorMap.viridis.color(at: $0)!.luminance }
        #expect(zip(luminances, luminances.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func thePaletteIsOkabeItoAndRepeatsWithDashes() {
        #expect(Palette.color(0).css == "#0072b2")
        #expect(Palette.color(1).css == "#e69f00")
        #expect(Palette.color(8) == Palette.color(0))
        #expect(Palette.dash(for: 0) == nil)
        #expect(Palette.dash(for: 8) != nil)
        #expect(Set(Palette.okabeIto).count == 8)
        #expect(RGB(hex: 0x0a0b0c).css == "#0a0b0c")
    }

    // MARK: Figures

    @Test func heatmapsUseASymmetricDomainAndGreyForMissingPixels() {
        #expect(Heatmap.symmetricDomain([0.2, -0.7, .nan, 0.5]) == -0.7...0.7)
        #expect(Heatmap.symmetricDomain([Double.nan]) == -1...1)
        let values = [1.0, -1.0, .nan, 0.0]
        let rendered = Heatmap(values: values, rows: 2, columns: 2, domain: -1...1, cellSize: 5).markup(x: 0, y: 0).rendered()
        #expect(rendered.contains(ColorMap.blueRed.color(at: 1)!.css))
        #expect(rendered.contains(ColorMap.blueRed.color(at: 0)!.css))
        #expect(rendered.contains(Heatmap.missing.css))
        #expect(rendered.components(separatedBy: "<rect").count - 1 == 5)
    }

    @Test func theThreeDViewDrawsFarPointsFirst() {
        let view = Projection3D(title: "m", coordinates: [[0, 1, 0.5, .nan], [0, 1, 0.5, 0], [0, 1, 0.5, 0]],
                                colors: [RGB(hex: 0x111111), RGB(hex: 0x222222), RGB(hex: 0x333333), RGB(hex: 0x444444)],
                                axisTitles: ["a", "b", "c"], domains: [0...1, 0...1, 0...1])
        // With azimuth and elevation both positive, the corner (0,0,0) is nearer than (1,1,1).
        let near = view.project([-0.5, -0.5, -0.5]).depth, far = view.project([0.5, 0.5, 0.5]).depth
        #expect(near < far)
        let svg = view.svg().rendered()
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        let order = ["#222222", "#333333", "#111111"].map { svg.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(!svg.lowercased().contains("nan"))
    }

    @Test func legendsAndColourBarsListTheirEntries() {
        let legend = Legend([.init("sigma=0.12", color: Palette.color(0), symbol: .lineWithBand),
                             .init("failed <run>", color: Palette.color(1), symbol: .line(dash: "5 3", thick: false))],
                            maxWidth: 1000)
        let svg = legend.svg(title: "key").rendered()
        #expect(svg.contains("sigma=0.12") && svg.contains("failed &lt;run&gt;"))
        #expect(svg.contains("stroke-dasharray=\"5 3\""))
        #expect(legend.size.height < 40)
        let wrapped = Legend(legend.entries, maxWidth: 0)
        #expect(wrapped.size.height > legend.size.height)

        let bar = ColorBar(map: .viridis, domain: 0...1, axis: Axis("x", unit: "pixels"), segments: 10).svg(title: "x").rendered()
        #expect(bar.contains("x (pixels)"))
        #expect(bar.components(separatedBy: "<rect").count - 1 == 10)
    }
}
