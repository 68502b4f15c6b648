import PopCodeSVG
import PopCode

/// One way of colouring the test-set m̂: by one of the task's latents, with its key.
///
/// dipole-3d: x, y (viridis) and θ (a cyclic map); dipole-position: x and y; bars: the class
/// (vertical or horizontal, two categorical colours) and the bar's position.
struct LatentColouring {
    /// What the colour shows, e.g. `θ (orientation)`.
    let title: String
    /// The latent's short name, e.g. `θ`.
    let name: String
    /// One colour per row of m̂ (grey when the latents do not line up with m̂).
    let colors: [RGB?]
    /// The colour key: a colour bar, or a legend for the class.
    let key: Markup

    /// The latent columns of `task` and how each is coloured, in the order the report shows them.
    private enum Kind {
        case position(column: Int, name: String, title: String)
        case angle(column: Int)
        case barClass(column: Int)
    }

    private static func kinds(_ task: TaskKind) -> [Kind] {
        switch task {
        case .dipole3D:
            [.position(column: 0, name: "x", title: "x (horizontal position)"),
             .position(column: 1, name: "y", title: "y (vertical position)"), .angle(column: 2)]
        case .dipolePosition:
            [.position(column: 0, name: "x", title: "x (horizontal position)"),
             .position(column: 1, name: "y", title: "y (vertical position)")]
        case .bars:
            [.barClass(column: 0), .position(column: 1, name: "position", title: "the bar's position")]
        }
    }

    /// Every colouring of `task` for `count` points; `latents` are used only when `usable`.
    static func all(task: TaskKind, latents: Matrix, usable: Bool, count: Int) -> [LatentColouring] {
        kinds(task).map { make($0, latents: latents, usable: usable, count: count) }
    }

    /// The colouring of the 3-D view and the snapshots: θ for dipole-3d, x for
    /// dipole-position, the class for bars.
    static func primary(task: TaskKind, latents: Matrix, usable: Bool, count: Int) -> LatentColouring {
        let kinds = kinds(task)
        return make(task == .dipole3D ? kinds[2] : kinds[0], latents: latents, usable: usable, count: count)
    }

    static let thetaBar = ColorBar(map: .twilight, domain: 0...180,
                                   axis: Axis("θ", unit: "degrees, cyclic", ticks: .fixed(
                                       [0, 45, 90, 135, 180].map { Axis.Tick(Double($0), "\($0)°") })))

    /// The colours of the bar classes: horizontal (0) and vertical (1).
    static let classColors = (horizontal: Palette.color(0), vertical: Palette.color(1))

    private static func make(_ kind: Kind, latents: Matrix, usable: Bool, count: Int) -> LatentColouring {
        let grey = [RGB?](repeating: SVG.muted, count: count)
        switch kind {
        case .position(let column, let name, let title):
            let values = usable ? latents.column(column) : []
            let domain = LinearScale.extent(of: values) ?? 0...1
            let colors = usable && values.count == count ? values.map { ColorMap.viridis.color(of: $0, in: domain) } : grey
            let bar = ColorBar(map: .viridis, domain: domain, axis: Axis(name, unit: "pixels"))
            return LatentColouring(title: title, name: name, colors: colors, key: bar.svg(title: "Colour key: \(title)"))
        case .angle(let column):
            let values = usable ? latents.column(column) : []
            let colors = usable && values.count == count ? values.map { ColorMap.twilight.color(at: $0 / .pi) } : grey
            return LatentColouring(title: "θ (orientation)", name: "θ", colors: colors,
                                   key: thetaBar.svg(title: "Colour key: θ (orientation)"))
        case .barClass(let column):
            let values = usable ? latents.column(column) : []
            let colors: [RGB?] = usable && values.count == count
                ? values.map { $0 == 1 ? classColors.vertical : classColors.horizontal } : grey
            let legend = Legend([Legend.Entry("horizontal bar", color: classColors.horizontal, symbol: .dot),
                                 Legend.Entry("vertical bar", color: classColors.vertical, symbol: .dot)],
                                title: "class", maxWidth: 400)
            return LatentColouring(title: "class (vertical or horizontal bar)", name: "class", colors: colors,
                                   key: legend.svg(title: "Colour key: class"))
        }
    }
}
