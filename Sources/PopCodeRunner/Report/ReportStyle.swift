/// The report's style sheet: readable on screen, printable (figures are not split across
/// pages, tables lose their scroll boxes), no web fonts.
enum ReportStyle {
    static let css: StaticString = """
        :root { --ink: #222; --muted: #666; --rule: #ddd; --bad: #b42318; --bad-bg: #fdecea; --warn-bg: #fff6db; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff;
               font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 20px 28px 48px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 15px; margin: 22px 0 6px; }
        p { margin: 6px 0; }
        .sub, figcaption, .note { color: var(--muted); }
        figcaption { font-size: 12.5px; margin-top: 4px; max-width: 900px; }
        nav { margin: 10px 0 0; font-size: 13px; }
        nav a { margin-right: 14px; color: #0b5cad; text-decoration: none; }
        figure { margin: 10px 0 18px; break-inside: avoid; page-break-inside: avoid; }
        svg { max-width: 100%; height: auto; display: block; }
        .grid { display: grid; gap: 10px 18px; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
        .grid3 { display: grid; gap: 8px 14px; grid-template-columns: repeat(3, minmax(0, 1fr)); }
        .multiples { display: flex; flex-wrap: wrap; gap: 6px 10px; }
        .row { display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: flex-start; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 13px; margin: 6px 0 4px; }
        th, td { padding: 4px 9px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
        th { font-weight: 600; border-bottom: 2px solid #bbb; background: #fafafa; white-space: normal;
             vertical-align: bottom; }
        th .unit { display: block; font-weight: 400; font-size: 11.5px; color: var(--muted); }
        th.name, td.name, td.status, td.reason, th.status { text-align: left; }
        td.reason { white-space: normal; color: var(--bad); min-width: 260px; }
        tr.failed td, tr.unreadable td { background: var(--bad-bg); }
        tr.unfinished td { background: var(--warn-bg); }
        td.status { font-weight: 600; }
        tr.failed td.status, tr.unreadable td.status { color: var(--bad); }
        .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px;
                  vertical-align: -1px; }
        .best { font-weight: 600; }
        details.runs > summary { cursor: pointer; font-size: 14px; margin: 6px 0; color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13px; margin: 6px 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        .callout { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: 8px 12px; margin: 8px 0; }
        .missing { border-left: 4px solid #c7a100; background: var(--warn-bg); padding: 8px 12px; margin: 8px 0; }
        footer { margin-top: 40px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
        @media (max-width: 900px) { .grid3 { grid-template-columns: 1fr; } }
        @media print {
            main { max-width: none; padding: 0; }
            nav { display: none; }
            .scroll { overflow: visible; }
            h2 { break-after: avoid; page-break-after: avoid; }
            .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
        }
        @page { size: A4; margin: 12mm; }
        """
}
