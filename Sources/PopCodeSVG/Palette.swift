/// Categorical colours for lines and groups: the Okabe–Ito palette (Okabe & Ito, 2008),
/// distinguishable with every common colour-vision deficiency. Yellow and black come last:
/// yellow is weak on white, black reads as "axis".
public enum Palette {
    public static let okabeIto: [RGB] = [
        0x0072B2, // blue
        0xE69F00, // orange
        0x009E73, // bluish green
        0xD55E00, // vermillion
        0xCC79A7, // reddish purple
        0x56B4E9, // sky blue
        0xF0E442, // yellow
        0x000000, // black
    ].map(RGB.init(hex:))

    /// The colour of category `index`; past the eighth the colours repeat and
    /// `dash(for:)` tells the repeats apart.
    public static func color(_ index: Int) -> RGB {
        okabeIto[Int(index.magnitude % UInt(okabeIto.count))]
    }

    /// A stroke dash pattern for category `index`: solid for the first eight, then dashed,
    /// dotted, dash-dotted, … for each further round of colours.
    public static func dash(for index: Int) -> String? {
        let patterns: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]
        return patterns[(Int(index.magnitude) / okabeIto.count) % patterns.count]
    }
}
