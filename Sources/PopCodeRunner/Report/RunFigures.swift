import Foundation
import PopCode

/// The pictures drawn from one run's artifacts. Each figure checks the shapes it needs
/// and says what is missing instead of drawing from inconsistent data.
struct RunFigures {
    let artifacts: RunArtifacts
    /// The singular values recorded in metrics.json, when the run completed.
    let recordedSingularValues: [Double]?

    /// Dimensions of m̂ shown (at most three).
    private var shownDimensions: Int { min(3, artifacts.testImplicit.columns) }

    /// Whether the latents line up with the test-set m̂ (x, y, θ per row).
    private var latentsUsable: Bool {
        artifacts.testLatents.columns >= 3 && artifacts.testLatents.rows == artifacts.testImplicit.rows
    }

    func sections() -> [Markup] {
        var parts = [HTML.element("h3", id: "images", [.text("Inputs and reconstructions")])]
        parts.append(images())
        parts.append(HTML.element("h3", id: "implicit", [.text("The implicit space m̂ of the test set")]))
        parts += projections()
        parts.append(HTML.element("div", class: "row", [threeD(), singularValues()]))
        parts.append(HTML.element("h3", id: "snapshots", [.text("How m̂ organises during training")]))
        parts.append(snapshots())
        return parts
    }

    // MARK: - Images

    static let cell = 6.0

    func images() -> Markup {
        let inputs = artifacts.sampleImages, outputs = artifacts.sampleReconstructions
        let side = Int(Double(inputs.columns).squareRoot().rounded())
        guard inputs.rows > 0, side > 0, side * side == inputs.columns, outputs.columns == inputs.columns else {
            return note("The saved sample images are not square images with matching reconstructions "
                        + "(\(inputs.rows)×\(inputs.columns) and \(outputs.rows)×\(outputs.columns)).")
        }
        let count = min(16, inputs.rows, outputs.rows)
        let residuals = (0..<count).map { i in zip(outputs.row(i), inputs.row(i)).map { $0 - $1 } }
        let domain = Heatmap.symmetricDomain((0..<count).flatMap { inputs.row($0) + outputs.row($0) } + residuals.flatMap { $0 })
        let size = Double(side) * Self.cell
        let rows: [(String, (Int) -> [Double])] = [("input", inputs.row), ("reconstruction", outputs.row),
                                                     ("difference", { residuals[$0] })]
        let labelWidth = (rows.map { TextMetrics.width($0.0, fontSize: 11) }.max() ?? 0) + 14
        let pitch = size + 14, top = 30.0, rowPitch = size + 12
        var children: [Markup] = []
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * rowPitch
            children.append(SVG.text(row.0, x: labelWidth - 8, y: y + size / 2 + 4, anchor: .end, size: 11))
            for i in 0..<count {
                children.append(Heatmap(values: row.1(i), rows: side, columns: side, domain: domain, cellSize: Self.cell)
                    .markup(x: labelWidth + Double(i) * pitch, y: y))
            }
        }
        if latentsUsable && artifacts.testLatents.rows >= count {
            for i in 0..<count {
                let x = labelWidth + Double(i) * pitch + size / 2
                let latent = artifacts.testLatents.row(i)
                children.append(SVG.text("x \(Self.one(latent[0])) y \(Self.one(latent[1]))", x: x, y: top - 16,
                                         anchor: .middle, size: 8.5, color: SVG.muted))
                children.append(SVG.text("θ \(Self.degrees(latent[2]))", x: x, y: top - 5, anchor: .middle, size: 8.5,
                                         color: SVG.muted))
            }
        }
        let barTop = top + 3 * rowPitch + 6
        children.append(ColorBar(map: .blueRed, domain: domain, axis: Axis("pixel value"), width: 220)
            .markup(x: labelWidth, y: barTop))
        let width = labelWidth + Double(count) * pitch
        let svg = SVG.root(width: width, height: barTop + ColorBar.height, title: "Inputs and reconstructions",
                           children: children)
        return HTML.figure([svg], caption: "The first \(count) test images (\(side)×\(side), row 0 at the top), their "
                           + "reconstructions and the difference (reconstruction − input), on one diverging colour scale centred at 0. "
                           + "Above each: the dipole's centre (x, y, in pixels) and orientation θ.")
    }

    // MARK: - Projections

    /// The latent a scatter is coloured by.
    enum Colouring: CaseIterable {
        case x, y, theta

        var title: String {
            switch self {
            case .x: "x (horizontal position)"
            case .y: "y (vertical position)"
            case .theta: "θ (orientation)"
            }
        }
    }

    func colors(_ colouring: Colouring, count: Int) -> (colors: [RGB?], bar: ColorBar) {
        let latents = artifacts.testLatents
        switch colouring {
        case .x, .y:
            let column = colouring == .x ? 0 : 1
            let values = latentsUsable ? latents.column(column) : []
            let domain = LinearScale.extent(of: values) ?? 0...1
            let axis = Axis(colouring == .x ? "x" : "y", unit: "pixels")
            let colors = latentsUsable && values.count == count
                ? values.map { ColorMap.viridis.color(of: $0, in: domain) } : Array(repeating: SVG.muted, count: count)
            return (colors, ColorBar(map: .viridis, domain: domain, axis: axis))
        case .theta:
            let values = latentsUsable ? latents.column(2) : []
            let colors = latentsUsable && values.count == count
                ? values.map { ColorMap.twilight.color(at: $0 / .pi) } : Array(repeating: SVG.muted, count: count)
            return (colors, Self.thetaBar)
        }
    }

    static let thetaBar = ColorBar(map: .twilight, domain: 0...180,
                                   axis: Axis("θ", unit: "degrees, cyclic", ticks: .fixed(
                                       [0, 45, 90, 135, 180].map { Axis.Tick(Double($0), "\($0)°") })))

    /// The shared domain of the shown m̂ dimensions (final and snapshots), niced to tenths
    /// of its span so that the points fill the plots.
    private var implicitDomain: ClosedRange<Double> {
        var values: [Double] = []
        for k in 0..<shownDimensions { values += artifacts.testImplicit.column(k) }
        for snapshot in artifacts.snapshots where snapshot.implicit.columns >= shownDimensions {
            for k in 0..<shownDimensions { values += snapshot.implicit.column(k) }
        }
        return LinearScale.nice(LinearScale.extent(of: values) ?? 0...1, count: 10)
    }

    func projections() -> [Markup] {
        let m = artifacts.testImplicit
        guard shownDimensions >= 2, m.rows > 0 else {
            return [note("m̂ has \(m.columns) dimension\(m.columns == 1 ? "" : "s") and \(m.rows) rows: "
                         + "a 2-D projection needs at least two.")]
        }
        var pairs: [(Int, Int)] = [(0, 1)]
        if shownDimensions >= 3 { pairs += [(0, 2), (1, 2)] }
        let domain = implicitDomain
        var figures: [Markup] = []
        if !latentsUsable {
            figures.append(note("The saved latents do not match m̂ (\(artifacts.testLatents.rows)×\(artifacts.testLatents.columns) "
                                + "for \(m.rows) rows), so the points are grey."))
        }
        for colouring in Colouring.allCases {
            let (colors, bar) = colors(colouring, count: m.rows)
            let charts = pairs.map { a, b in
                var chart = Chart(title: "\(Self.implicitName(b)) against \(Self.implicitName(a))", width: 340, height: 330,
                                  x: Axis(Self.implicitName(a), ticks: .automatic(4)),
                                  y: Axis(Self.implicitName(b), ticks: .automatic(4)),
                                  marks: [PointMark(x: m.column(a), y: m.column(b), colors: colors, radius: 2.2,
                                                    opacity: 0.9, outline: Self.outline)])
                chart.xDomain = domain
                chart.yDomain = domain
                chart.equalAspect = true
                return chart.svg()
            }
            figures.append(HTML.figure([HTML.element("div", class: "grid3", charts),
                                        bar.svg(title: "Colour key: \(colouring.title)")],
                                       caption: "Test-set m̂ (\(m.rows) images), coloured by the dipole's \(colouring.title)."
                                           + (colouring == .theta ? " θ is cyclic (0° and 180° are the same colour)." : "")))
        }
        return figures
    }

    func threeD() -> Markup {
        let m = artifacts.testImplicit
        guard shownDimensions >= 3, m.rows > 0 else {
            return note("A 3-D view needs m̂ with three dimensions; this run's has \(m.columns).")
        }
        let (colors, _) = colors(.theta, count: m.rows)
        let view = Projection3D(title: "m̂ in 3-D, coloured by θ", coordinates: (0..<3).map { m.column($0) },
                                colors: colors, axisTitles: (0..<3).map(Self.implicitName),
                                domains: Array(repeating: implicitDomain, count: 3), size: 440, radius: 2.2)
        return HTML.figure([view.svg(), Self.thetaBar.svg(title: "Colour key: θ")],
                           caption: "An oblique view of the test-set m̂; nearer points are drawn over farther ones.")
    }

    func singularValues() -> Markup {
        let m = artifacts.testImplicit
        let values = recordedSingularValues ?? (m.rows >= 2 && m.columns >= 1 ? Metrics.centredSingularValues(m) : [])
        guard !values.isEmpty else { return note("Too few rows in m̂ for singular values.") }
        let ticks = values.indices.map { Axis.Tick(Double($0), "s" + Self.subscripted($0 + 1)) }
        var chart = Chart(title: "Singular values of centred m̂", width: 320, height: 300,
                          x: Axis("component", ticks: .fixed(ticks), grid: false), y: Axis("singular value"),
                          marks: [BarMark(x: values.indices.map(Double.init), height: values, color: Palette.color(0))])
        chart.xDomain = -0.6...(Double(values.count) - 0.4)
        chart.yIncludesZero = true
        return HTML.figure([chart.svg()],
                           caption: "How many dimensions the code really uses: a small last value means m̂ lies near a plane.")
    }

    // MARK: - Snapshots

    func snapshots() -> Markup {
        let snapshots = artifacts.snapshots.sorted { $0.epoch < $1.epoch }
        guard !snapshots.isEmpty else { return note("This run saved no snapshots of m̂ during training.") }
        guard shownDimensions >= 2 else { return note("Snapshots need m̂ with at least two dimensions.") }
        let domain = implicitDomain
        let views = snapshots.map { snapshot -> Markup in
            let m = snapshot.implicit
            let (colors, _) = colors(.theta, count: m.rows)
            let title = "epoch \(snapshot.epoch)"
            if m.columns >= 3 {
                return Projection3D(title: title, coordinates: (0..<3).map { m.column($0) }, colors: colors,
                                    axisTitles: (0..<3).map(Self.implicitName),
                                    domains: Array(repeating: domain, count: 3), size: 228, radius: 1.5).svg()
            }
            guard m.columns >= 2 else { return note("\(title): m̂ has \(m.columns) column(s).") }
            var chart = Chart(title: title, width: 228, height: 228, x: Axis(Self.implicitName(0), ticks: .automatic(3)),
                              y: Axis(Self.implicitName(1), ticks: .automatic(3)),
                              marks: [PointMark(x: m.column(0), y: m.column(1), colors: colors, radius: 1.6,
                                                outline: Self.outline)])
            chart.xDomain = domain
            chart.yDomain = domain
            chart.equalAspect = true
            return chart.svg()
        }
        return HTML.figure([HTML.element("div", class: "multiples", views), Self.thetaBar.svg(title: "Colour key: θ")],
                           caption: "Test-set m̂ after 0 (initial weights), 1, 2, 5, … epochs, in the same view and "
                               + "scale as above, coloured by θ.")
    }

    // MARK: - Helpers

    /// The outline of scatter points.
    static let outline = RGB(hex: 0x000000)

    private func note(_ text: String) -> Markup {
        HTML.element("p", class: "missing", [.text(text)])
    }

    /// `m̂₁`, `m̂₂`, … for dimension index `k` (0-based).
    static func implicitName(_ k: Int) -> String { "m̂" + subscripted(k + 1) }

    static func subscripted(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return String(String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    static func one(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f", value) : "—"
    }

    static func degrees(_ radians: Double) -> String {
        radians.isFinite ? "\(Int((radians * 180 / .pi).rounded()))°" : "—"
    }
}
