// Filter the findings (errors and warnings, and the info rows inside their rule groups): a
// group with a matching row opens while a filter is on. After load, write what the browser
// laid out into <body data-…> for the browser test to read back with --dump-dom.
function uwFilter() {
  var q = document.getElementById('q').value.toLowerCase();
  var s = document.getElementById('sev').value, r = document.getElementById('rule').value;
  var p = document.getElementById('period').value, active = !!(q || s || r || p), shown = 0;
  document.querySelectorAll('#findings-section tr.finding').forEach(function (t) {
    var ok = (!s || t.dataset.severity === s) && (!r || t.dataset.rule === r) &&
             (!p || t.dataset.period === p) && (!q || t.textContent.toLowerCase().indexOf(q) >= 0);
    t.style.display = ok ? '' : 'none';
    if (ok) shown++;
  });
  document.querySelectorAll('#findings-section details.info-group').forEach(function (d) {
    var visible = d.querySelector('tr.finding:not([style*="none"])') !== null;
    d.style.display = (!active || visible) ? '' : 'none';
    d.open = active && visible;
  });
  document.getElementById('shown').textContent = shown;
}
window.addEventListener('load', function () {
  var n = 0, d = document.body.dataset;
  document.querySelectorAll('svg.chart').forEach(function (c) {
    var b = c.getBBox(); if (b.width > 0 && b.height > 0) n++;
  });
  d.chartsRendered = n;
  var t = document.querySelector('#reconciliation tbody');
  d.reconciliationRows = t ? t.rows.length : 0;
  d.reconciliationHeight = t ? t.getBoundingClientRect().height : 0;
  var page = document.documentElement;
  d.pageWidth = page.scrollWidth; d.viewportWidth = page.clientWidth; d.pageHeight = page.scrollHeight;
});
