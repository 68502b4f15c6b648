/// The dashboard's only script and its few styles beyond the report's, inline constants
/// (the pages load nothing from anywhere).
enum DashboardScript {
    /// Sorts tables by any column (click a header; again to reverse) and, on pages whose
    /// `<main>` has `data-live`, asks that address every 2 seconds for fresh parts of the page
    /// (`{"v": version, "parts": {id: html}}`) and puts them in place, keeping the sort.
    static let source: StaticString = """
        (function () {
          'use strict';
          var main = document.querySelector('main');
          var status = document.getElementById('live-state');
          var sorts = {};
          function value(row, column) {
            var cells = row.children, i = 0, position = 0;
            for (; i < cells.length; i++) {
              var span = cells[i].colSpan || 1;
              if (position === column) break;
              if (position + span > column) return null;
              position += span;
            }
            if (i >= cells.length || cells[i].classList.contains('reason')) return null;
            var text = cells[i].textContent.trim().replace(/\\u2212/g, '-');
            if (text === '' || text === '\\u2014') return null;
            var number = /^[-+]?(\\d|\\.\\d)/.test(text) ? parseFloat(text) : NaN;
            return isNaN(number) ? text.toLowerCase() : number;
          }
          function compare(a, b) {
            if (a === b) return 0;
            if (a === null) return 1;
            if (b === null) return -1;
            if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
            return a < b ? -1 : 1;
          }
          function key(table) {
            var holder = table.closest('[id]');
            return (holder ? holder.id : '') + ':' + table.className;
          }
          function apply(table) {
            var sort = sorts[key(table)], body = table.tBodies[0];
            if (!sort || !body) return;
            var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
              return { row: row, index: index, value: value(row, sort.column) };
            });
            rows.sort(function (a, b) {
              var order = compare(a.value, b.value);
              if (sort.descending && a.value !== null && b.value !== null) order = -order;
              return order || a.index - b.index;
            });
            rows.forEach(function (entry) { body.appendChild(entry.row); });
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, i) {
              cell.setAttribute('aria-sort', i === sort.column ? (sort.descending ? 'descending' : 'ascending') : 'none');
            });
          }
          function sortable() {
            document.querySelectorAll('main table').forEach(function (table) {
              if (!table.tHead || table.dataset.sortable) { apply(table); return; }
              table.dataset.sortable = 'yes';
              Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, column) {
                cell.classList.add('sort');
                cell.title = 'sort by this column';
                cell.addEventListener('click', function () {
                  var old = sorts[key(table)];
                  sorts[key(table)] = { column: column, descending: !!old && old.column === column && !old.descending };
                  apply(table);
                });
              });
              apply(table);
            });
          }
          sortable();
          if (!main || !main.dataset.live) return;
          var version = main.dataset.version || '';
          function tick() {
            if (document.hidden) { setTimeout(tick, 2000); return; }
            var address = main.dataset.live + (version ? '?v=' + encodeURIComponent(version) : '');
            fetch(address, { cache: 'no-store' })
              .then(function (response) {
                if (!response.ok) throw new Error('the server answered ' + response.status);
                return response.json();
              })
              .then(function (data) {
                version = data.v;
                Object.keys(data.parts).forEach(function (id) {
                  var element = document.getElementById(id);
                  if (element) element.innerHTML = data.parts[id];
                });
                sortable();
                if (status) status.textContent = 'live, updated ' + new Date().toLocaleTimeString();
              })
              .catch(function (error) {
                if (status) status.textContent = 'not updating (' + error.message + '), retrying';
              })
              .then(function () { setTimeout(tick, 2000); });
          }
          setTimeout(tick, 2000);
        })();
        """

    static let style: StaticString = """
        th.sort { cursor: pointer; }
        th[aria-sort=ascending]::after { content: ' \\25B2'; font-size: 10px; }
        th[aria-sort=descending]::after { content: ' \\25BC'; font-size: 10px; }
        .live { display: inline-block; font-size: 12px; color: #1a7f37; }
        .counts td, .counts th { text-align: center; }
        ul.failures { margin: 4px 0; padding-left: 20px; }
        ul.failures li { color: var(--bad); }
        a { color: #0b5cad; }
        pre.search { font-size: 12px; background: #fafafa; border: 1px solid var(--rule); padding: 8px 10px; overflow-x: auto; }
        """
}
