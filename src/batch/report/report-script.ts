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
  var scores = Array.prototype.slice.call(document.querySelectorAll('input.override-score'));
  var notes = {};
  document.querySelectorAll('input.override-note').forEach(function (note) {
    notes[note.getAttribute('data-candidate') + '\\t' + note.getAttribute('data-question')] = note;
  });
  var download = document.getElementById('download-overrides');
  var counter = document.getElementById('override-count');
  function noteOf(input) { return notes[input.getAttribute('data-candidate') + '\\t' + input.getAttribute('data-question')]; }
  function changed() {
    return scores.filter(function (input) {
      var note = noteOf(input);
      return input.value !== '' && (Number(input.value) !== Number(input.getAttribute('data-original')) || (note && note.value.trim() !== ''));
    });
  }
  function refresh() {
    var edited = changed();
    if (counter) counter.textContent = String(edited.length);
    if (download) download.disabled = edited.length === 0;
    scores.forEach(function (input) { input.classList.toggle('changed', edited.indexOf(input) >= 0); });
  }
  function cell(value) {
    var text = /^[=+\\-@\\t\\r]/.test(value) && !/^-?\\d+(\\.\\d+)?$/.test(value) ? "'" + value : value;
    return /[",\\r\\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  scores.concat(Object.keys(notes).map(function (key) { return notes[key]; })).forEach(function (input) { input.addEventListener('input', refresh); });
  if (download) download.addEventListener('click', function () {
    var lines = [['candidate_id', 'question_id', 'score', 'note']].concat(changed().map(function (input) {
      var note = noteOf(input);
      return [input.getAttribute('data-candidate'), input.getAttribute('data-question'), input.value, note ? note.value.trim() : ''];
    }));
    var text = lines.map(function (line) { return line.map(cell).join(','); }).join('\\r\\n') + '\\r\\n';
    var link = document.createElement('a');
    // A data: link, so the page stays one file that fetches nothing.
    link.href = 'data:text/csv;charset=utf-8,' + encodeURIComponent(text);
    link.download = 'overrides.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  refresh();
})();
`;
