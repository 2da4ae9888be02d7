/** The report's only script, inlined: sortable tables, a candidate filter, and open/close all. */
export const REPORT_JS = `
(function () {
  function cellValue(row, index) {
    var cell = row.children[index];
    var value = cell ? cell.getAttribute('data-value') : null;
    if (value === null) value = cell ? cell.textContent.trim() : '';
    var number = Number(value);
    return value !== '' && !isNaN(number) ? number : value.toLowerCase();
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headers = table.querySelectorAll('thead th');
    headers.forEach(function (header, index) {
      var button = header.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (left, right) {
          var a = cellValue(left, index), b = cellValue(right, index);
          var order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  var filter = document.getElementById('candidate-filter');
  if (filter) filter.addEventListener('input', function () {
    var needle = filter.value.trim().toLowerCase();
    document.querySelectorAll('[data-candidate]').forEach(function (element) {
      element.hidden = needle !== '' && element.getAttribute('data-candidate').toLowerCase().indexOf(needle) < 0;
    });
  });
  function setAll(open) {
    document.querySelectorAll('details.candidate').forEach(function (details) { details.open = open; });
  }
  var expand = document.getElementById('expand-all');
  var collapse = document.getElementById('collapse-all');
  if (expand) expand.addEventListener('click', function () { setAll(true); });
  if (collapse) collapse.addEventListener('click', function () { setAll(false); });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest('details');
    if (details) { details.open = true; target.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  window.addEventListener('beforeprint', function () { setAll(true); });
})();
`;
