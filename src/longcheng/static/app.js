// Longcheng page helpers: CSRF header for htmx requests, ECharts charts from inline JSON.
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
