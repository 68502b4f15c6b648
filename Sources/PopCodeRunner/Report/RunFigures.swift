import PopCodeSVG
import Foundation
import PopCode

/// The pictures drawn from one run's artifacts. Each figure checks the shapes it needs
/// and says what is missing instead of drawing from inconsistent data.
///
/// Task-aware: m̂ is coloured by the task's latents (`LatentColouring`: the class for bars);
/// with K > 3 the pictures show m̂'s top three principal components (PC₁…PC₃, as the R²
/// fits use them); the singular-value spectrum has all K values.
struct RunFigures {
    let artifacts: RunArtifacts
    /// The singular values recorded in metrics.json, when the run completed.
    let recordedSingularValues: [Double]?
    /// The run's task (dipole-3d for runs that do not say).
    var task: TaskKind = .dipole3D

    /// Dimensions of m̂ shown (at most three).
    private var shownDimensions: Int { min(3, artifacts.testImplicit.columns) }

    /// Whether the pictures show principal components rather than m̂'s own coordinates.
    private var showsComponents: Bool { artifacts.testImplicit.columns > 3 }

    /// What is drawn of `m`: m̂ itself, or its top three principal components when K > 3.
    private func shown(_ m: Matrix) -> Matrix {
        m.columns > 3 && m.rows >= 2 ? Metrics.principalComponents(m, count: 3) : m
    }

    /// Whether the latents line up with the test-set m̂ (one row of the task's latents per row).
    private var latentsUsable: Bool {
        artifacts.testLatents.columns >= task.latentCount && artifacts.testLatents.rows == artifacts.testImplicit.rows
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
                let (first, second): (String, String) = switch task {
                case .dipole3D: ("x \(Self.one(latent[0])) y \(Self.one(latent[1]))", "θ \(Self.degrees(latent[2]))")
                case .dipolePosition: ("x \(Self.one(latent[0]))", "y \(Self.one(latent[1]))")
                case .bars: (latent[0] == 1 ? "vertical" : "horizontal", "at \(Self.one(latent[1]))")
                }
                children.append(SVG.text(first, x: x, y: top - 16, anchor: .middle, size: 8.5, color: SVG.muted))
                children.append(SVG.text(second, x: x, y: top - 5, anchor: .middle, size: 8.5, color: SVG.muted))
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
                           + "Above each: " + Self.latentCaption(task) + ".")
    }

    // MARK: - Projections

    /// What the labels above the sample images say.
    static func latentCaption(_ task: TaskKind) -> String {
        switch task {
        case .dipole3D: "the dipole's centre (x, y, in pixels) and orientation θ"
        case .dipolePosition: "the dipole's centre (x, y, in pixels; θ is 0)"
        case .bars: "the bar's class (vertical or horizontal) and position (in pixels)"
        }
    }

    private func colourings(count: Int) -> [LatentColouring] {
        LatentColouring.all(task: task, latents: artifacts.testLatents, usable: latentsUsable, count: count)
    }

    private func primaryColouring(count: Int) -> LatentColouring {
        LatentColouring.primary(task: task, latents: artifacts.testLatents, usable: latentsUsable, count: count)
    }

    /// `m̂₁`… or, for K > 3, `PC₁`….
    private func axisName(_ k: Int) -> String {
        showsComponents ? "PC" + Self.subscripted(k + 1) : Self.implicitName(k)
    }

    private var whatIsShown: String {
        showsComponents ? "the top three principal components of the test-set m̂ (K = \(artifacts.testImplicit.columns))"
            : "test-set m̂"
    }

    /// The shared domain of the shown m̂ dimensions (final and snapshots), niced to tenths
    /// of its span so that the points fill the plots.
    private var implicitDomain: ClosedRange<Double> {
        var values: [Double] = []
        let final = shown(artifacts.testImplicit)
        for k in 0..<shownDimensions { values += final.column(k) }
        for snapshot in artifacts.snapshots where snapshot.implicit.columns == artifacts.testImplicit.columns {
            let m = shown(snapshot.implicit)
            for k in 0..<min(shownDimensions, m.columns) { values += m.column(k) }
        }
        return LinearScale.nice(LinearScale.extent(of: values) ?? 0...1, count: 10)
    }

    func projections() -> [Markup] {
        let m = shown(artifacts.testImplicit)
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
        for colouring in colourings(count: m.rows) {
            let colors = colouring.colors
            let charts = pairs.map { a, b in
                var chart = Chart(title: "\(axisName(b)) against \(axisName(a))", width: 340, height: 330,
                                  x: Axis(axisName(a), ticks: .automatic(4)),
                                  y: Axis(axisName(b), ticks: .automatic(4)),
                                  marks: [PointMark(x: m.column(a), y: m.column(b), colors: colors, radius: 2.2,
                                                    opacity: 0.9, outline: Self.outline)])
                chart.xDomain = domain
                chart.yDomain = domain
                chart.equalAspect = true
                return chart.svg()
            }
            let cyclic = colouring.title.hasPrefix("θ") ? " θ is cyclic (0° and 180° are the same colour)." : ""
            figures.append(HTML.figure([HTML.element("div", class: pairs.count == 1 ? "row" : "grid3", charts),
                                        colouring.key],
                                       caption: "\(whatIsShown.prefix(1).uppercased() + whatIsShown.dropFirst()) "
                                           + "(\(m.rows) images), coloured by \(colouring.title).\(cyclic)"))
        }
        return figures
    }

    func threeD() -> Markup {
        let m = shown(artifacts.testImplicit)
        guard shownDimensions >= 3, m.rows > 0 else {
            return note("A 3-D view needs m̂ with three dimensions; this run's has \(m.columns).")
        }
        let colouring = primaryColouring(count: m.rows)
        let view = Projection3D(title: (showsComponents ? "PC₁–PC₃" : "m̂") + " in 3-D, coloured by \(colouring.name)",
                                coordinates: (0..<3).map { m.column($0) },
                                colors: colouring.colors, axisTitles: (0..<3).map(axisName),
                                domains: Array(repeating: implicitDomain, count: 3), size: 440, radius: 2.2)
        return HTML.figure([view.svg(), colouring.key],
                           caption: "An oblique view of \(whatIsShown); nearer points are drawn over farther ones.")
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
        let dimension = Metrics.effectiveDimension(singularValues: values)
        return HTML.figure([chart.svg()],
                           caption: "How many dimensions the code really uses: all \(values.count) singular values; "
                               + "effective dimension (participation ratio) \(String(format: "%.2f", dimension.ratio)), "
                               + "\(dimension.used) of \(values.count) at least 10 % of the largest.")
    }

    // MARK: - Snapshots

    func snapshots() -> Markup {
        let snapshots = artifacts.snapshots.sorted { $0.epoch < $1.epoch }
        guard !snapshots.isEmpty else { return note("This run saved no snapshots of m̂ during training.") }
        guard shownDimensions >= 2 else { return note("Snapshots need m̂ with at least two dimensions.") }
        let domain = implicitDomain
        let key = primaryColouring(count: artifacts.testImplicit.rows)
        let views = snapshots.map { snapshot -> Markup in
            let m = shown(snapshot.implicit)
            let colors = primaryColouring(count: m.rows).colors
            let title = "epoch \(snapshot.epoch)"
            if m.columns >= 3 {
                return Projection3D(title: title, coordinates: (0..<3).map { m.column($0) }, colors: colors,
                                    axisTitles: (0..<3).map(axisName),
                                    domains: Array(repeating: domain, count: 3), size: 228, radius: 1.5).svg()
            }
            guard m.columns >= 2 else { return note("\(title): m̂ has \(m.columns) column(s).") }
            var chart = Chart(title: title, width: 228, height: 228, x: Axis(axisName(0), ticks: .automatic(3)),
                              y: Axis(axisName(1), ticks: .automatic(3)),
                              marks: [PointMark(x: m.column(0), y: m.column(1), colors: colors, radius: 1.6,
                                                outline: Self.outline)])
            chart.xDomain = domain
            chart.yDomain = domain
            chart.equalAspect = true
            return chart.svg()
        }
        return HTML.figure([HTML.element("div", class: "multiples", views), key.key],
                           caption: "\(whatIsShown.prefix(1).uppercased() + whatIsShown.dropFirst()) after 0 (initial weights), "
                               + "1, 2, 5, … epochs, in the same view and scale as above, coloured by \(key.title)"
                               + (showsComponents ? " (each snapshot on its own principal components)." : "."))
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
