// Sortable tables for the pcapviz report. Without this script every table is complete and in the
// order the report chose; with it, a header click sorts by the cells' data-sort values.
(function () {
  'use strict';
  var collator = typeof Intl !== 'undefined' ? new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }) : null;

  function textCompare(a, b) {
    return collator ? collator.compare(a, b) : a.localeCompare(b);
  }

  function sortKey(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell ? cell.getAttribute('data-sort') : null;
    if (raw === null) raw = cell ? cell.textContent : '';
    if (!numeric) return raw;
    var n = raw === '' ? NaN : Number(raw);
    return isNaN(n) ? null : n;
  }

  function sortTable(table, col, th) {
    var numeric = th.getAttribute('data-type') === 'number';
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) {
      return { row: row, key: sortKey(row, col, numeric), order: Number(row.getAttribute('data-order') || i) };
    });
    keyed.sort(function (x, y) {
      var c;
      if (numeric) {
        // Empty cells go last whichever the direction.
        if (x.key === null || y.key === null) c = x.key === null ? (y.key === null ? 0 : 1) : -1;
        else c = ascending ? x.key - y.key : y.key - x.key;
      } else {
        c = ascending ? textCompare(x.key, y.key) : textCompare(y.key, x.key);
      }
      return c !== 0 ? c : x.order - y.order;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
    Array.prototype.forEach.call(th.parentNode.cells, function (other) {
      if (other !== th) other.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    // A hierarchy sorted by a column is a list: its indentation would mislead.
    table.classList.add('sorted');
  }

  function setUp(table) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !head.rows[0] || !body) return;
    Array.prototype.forEach.call(body.rows, function (row, i) { row.setAttribute('data-order', String(i)); });
    Array.prototype.forEach.call(head.rows[0].cells, function (th, col) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.title = 'Sort by this column';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () { sortTable(table, col, th); });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), setUp);
})();
