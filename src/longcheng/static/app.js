// Longcheng page helpers: CSRF header for htmx requests, ECharts charts from inline JSON, and
// the small behaviours pages ask for with data- attributes (the Content-Security-Policy allows
// no inline script, so templates never use onclick=/onchange= or javascript: links):
//   <select data-autosubmit>          submits its form when changed
//   <input type=checkbox data-check-all="uscc">   ticks every checkbox named "uscc"
//   <a href="/" data-back>            goes back a page (falls back to the link)
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) {
    if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
  }
  if (el.matches && el.matches("[data-check-all]")) {
    document.querySelectorAll('input[type=checkbox][name="' + el.dataset.checkAll + '"]').forEach(function (box) {
      box.checked = el.checked;
    });
  }
});
document.addEventListener("click", function (e) {
  var link = e.target.closest ? e.target.closest("a[data-back]") : null;
  if (link && window.history.length > 1) { e.preventDefault(); window.history.back(); }
});
document.addEventListener("DOMContentLoaded", function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (meta) { e.detail.headers["X-CSRF-Token"] = meta.content; }
  });
  drawCharts(document);
  document.body.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });
});

function drawCharts(root) {
  if (typeof echarts === "undefined") { return; }
  root.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    var chart = echarts.init(el);
    chart.setOption(spec);
    el.dataset.rendered = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  });
}
