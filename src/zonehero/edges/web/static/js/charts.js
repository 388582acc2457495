// Renders every element with [data-chart] as an Apache ECharts chart. The option comes either from
//   data-chart-src="/api/..."     a JSON URL (same origin), or
//   data-chart-data="some-id"     the id of a <script type="application/json"> block (data, not code).
// The JSON is a complete ECharts option object; the server builds it (class colours included), so this
// module decides nothing. Charts resize with the window and re-render after htmx swaps. A reader who asks the
// system for reduced motion gets no animation; data-chart-rendered="1" marks a chart once ECharts has drawn it.
(function () {
  "use strict";
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  function readInline(id) {
    var block = document.getElementById(id);
    if (!block) { return Promise.reject(new Error("missing data block " + id)); }
    return Promise.resolve(JSON.parse(block.textContent));
  }
  function readUrl(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }
  function render(el) {
    if (el.dataset.chartReady) { return; }
    el.dataset.chartReady = "1";
    var source = el.dataset.chartData ? readInline(el.dataset.chartData) : readUrl(el.dataset.chartSrc);
    source.then(function (option) {
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      if (reducedMotion.matches) { option.animation = false; }
      chart.on("finished", function () { el.dataset.chartRendered = "1"; });
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () {
      el.classList.add("text-danger", "small");
      el.textContent = "图表数据加载失败";
    });
  }
  function scan(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(render);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSettle", function (event) { scan(event.target); });
})();
