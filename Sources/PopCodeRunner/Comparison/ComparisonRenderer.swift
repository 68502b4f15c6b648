import Foundation

/// Renders a `Comparison` as text tables (aligned, valid Markdown), CSV or JSON.
public enum ComparisonRenderer {
    public enum Format: String, CaseIterable, Sendable {
        case table, markdown, csv, json
    }

    public static func render(_ comparison: Comparison, as format: Format) -> String {
        switch format {
        case .table: text(comparison, headings: false)
        case .markdown: text(comparison, headings: true)
        case .csv: csv(comparison)
        case .json: json(comparison)
        }
    }

    // MARK: Text

    static func text(_ c: Comparison, headings: Bool) -> String {
        var sections: [String] = c.warnings.isEmpty ? [] : [c.warnings.joined(separator: "\n")]
        let title = { (t: String) in headings ? "## \(t)" : t }
        let metricHeaders = c.metrics.map(\.header)

        var runRows: [[String]] = []
        for row in c.rows {
            let values = c.metrics.map { m in row.values[m].map { format($0, m) } ?? "—" }
            runRows.append([row.label] + row.swept + [row.status.rawValue] + (row.status == .completed ? values : values.map { _ in "—" }))
        }
        sections.append(title("Runs") + "\n\n" + table(header: ["run"] + c.sweptKeys + ["status"] + metricHeaders, rows: runRows))
        let failures = c.rows.filter { $0.status == .failed }
        if !failures.isEmpty {
            sections.append("Failed runs:\n" + failures.map { "- \($0.label): \($0.failure ?? "unknown reason")" }.joined(separator: "\n"))
        }

        if c.groups.count < c.rows.count {
            let groupTitle = c.groupKeys.isEmpty ? "All runs (seeds as repeats): mean ± sd"
                : "Configurations (by \(c.groupKeys.joined(separator: ", ")); seeds as repeats): mean ± sd"
            let rows = c.groups.map { g -> [String] in
                [g.name, "\(g.n)" + (g.failed > 0 ? " (+\(g.failed) failed)" : "")]
                    + c.metrics.map { m in
                        guard let mean = g.mean[m] else { return "—" }
                        guard let sd = g.sd[m], sd.isFinite else { return format(mean, m) }
                        return "\(format(mean, m)) ± \(format(sd, m))"
                    }
            }
            sections.append(title(groupTitle) + "\n\n" + table(header: ["configuration", "n"] + metricHeaders, rows: rows))
        }

        if let search = c.search { sections.append(searchSection(search, headings: headings)) }
        // A search's section has the statistics that matter; contrasts against its first
        // configuration would only add noise.
        for contrast in c.search == nil ? c.contrasts : [] {
            let hasP = !contrast.p.isEmpty
            let rows = c.metrics.map { m -> [String] in
                var cells = [m.header,
                             contrast.aValues[m].map { format($0, m) } ?? "—",
                             contrast.bValues[m].map { format($0, m) } ?? "—",
                             contrast.difference(m).map { signed(format($0, m)) } ?? "—"]
                if hasP { cells.append(contrast.p[m].map { formatP($0) } ?? "—") }
                return cells
            }
            var header = ["metric", contrast.a, contrast.b, "difference (b − a)"]
            if hasP { header.append("p (Welch t)") }
            var section = title("\(contrast.b) against \(contrast.a)") + "\n\n" + table(header: header, rows: rows)
            if !hasP {
                section += "\n(one run each: a difference, no test; sweep ≥ 2 seeds per configuration for p-values)"
            }
            sections.append(section)
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// A Markdown table whose columns are padded to align on a terminal.
    public static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            "| " + header.indices.map { i in
                let cell = cells.indices.contains(i) ? cells[i] : ""
                return cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    static func format(_ value: Double, _ metric: ComparisonMetric) -> String {
        value.isFinite ? String(format: metric.format, value) : "\(value)"
    }

    static func signed(_ text: String) -> String {
        text.hasPrefix("-") || text.hasPrefix("nan") ? text : "+" + text
    }

    static func formatP(_ p: Double) -> String {
        p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p)
    }

    // MARK: CSV

    static func csv(_ c: Comparison) -> String {
        let header = ["experiment", "run", "id", "status"] + c.sweptKeys.filter { $0 != "experiment" }
            + c.metrics.map(\.rawValue) + ["failure"]
        let sweptWithoutExperiment = c.sweptKeys.enumerated().filter { $0.element != "experiment" }.map(\.offset)
        var lines = [header.map(csvField).joined(separator: ",")]
        for row in c.rows {
            let cells = [row.experiment, row.label, row.id, row.status.rawValue]
                + sweptWithoutExperiment.map { row.swept[$0] }
                + c.metrics.map { m in row.values[m].map { "\($0)" } ?? "" }
                + [row.failure ?? ""]
            lines.append(cells.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting: fields with commas, quotes or line breaks are quoted.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: JSON

    struct JSONComparison: Encodable {
        struct Row: Encodable {
            var experiment: String, run: String, id: String, status: String
            var swept: [String: String]
            var metrics: [String: Double]
            var failure: String?
        }
        struct Group: Encodable {
            var configuration: String, n: Int, failed: Int, runs: [String]
            var mean: [String: Double], sd: [String: Double]
        }
        struct Contrast: Encodable {
            var a: String, b: String
            var difference: [String: Double]
            var p_welch: [String: Double]
        }
        var schema = "popcode.comparison/1"
        var swept_keys: [String], group_keys: [String]
        var runs: [Row], groups: [Group], contrasts: [Contrast]
        var search: SearchState?
        /// `Comparison.warnings`; absent when there are none.
        var warnings: [String]?
    }

    static func json(_ c: Comparison) -> String {
        func named(_ d: [ComparisonMetric: Double]) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: d.map { ($0.rawValue, $1) })
        }
        let value = JSONComparison(
            swept_keys: c.sweptKeys, group_keys: c.groupKeys,
            runs: c.rows.map { r in
                .init(experiment: r.experiment, run: r.label, id: r.id, status: r.status.rawValue,
                      swept: Dictionary(uniqueKeysWithValues: zip(c.sweptKeys, r.swept)),
                      metrics: named(r.values), failure: r.failure)
            },
            groups: c.groups.map { g in
                .init(configuration: g.name, n: g.n, failed: g.failed, runs: g.labels,
                      mean: named(g.mean), sd: named(g.sd.filter { $0.value.isFinite }))
            },
            contrasts: c.contrasts.map { k in
                .init(a: k.a, b: k.b,
                      difference: Dictionary(uniqueKeysWithValues: c.metrics.compactMap { m in k.difference(m).map { (m.rawValue, $0) } }),
                      p_welch: named(k.p))
            },
            search: c.search, warnings: c.warnings.isEmpty ? nil : c.warnings)
        let data = (try? JSONCoding.encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
