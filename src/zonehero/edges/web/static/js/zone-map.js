// 亩均一张图: draws every element with [data-zone-map="<json url>"] as an ECharts map of the zone's parcels.
// The JSON (zonehero.features.cockpit.zone_map) holds the polygons as a GeoJSON FeatureCollection, registered
// as a custom map (no tiles, nothing from the internet), each parcel's colour per mode, its hover text (escaped by
// the server) and where a click goes, and each mode's legend; this module decides nothing, it only switches
// between the modes the server coloured. data-chart-rendered="1" marks a map once ECharts has drawn it.
(function () {
  "use strict";
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function legend(box, entries) {
    if (!box) { return; }
    box.textContent = "";
    entries.forEach(function (entry) {
      var swatch = document.createElement("span");
      swatch.className = "map-swatch";
      swatch.style.backgroundColor = entry.colour;
      box.appendChild(swatch);
      box.appendChild(document.createTextNode(entry.label));
    });
  }

  function option(data, mapName, mode) {
    return {
      animation: !reducedMotion.matches,
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (p) { return p.data && p.data.tip ? p.data.tip : p.name; }
      },
      series: [{
        type: "map",
        map: mapName,
        roam: true,
        selectedMode: false,
        label: { show: false },
        emphasis: { label: { show: false }, itemStyle: { borderColor: "#212529", borderWidth: 2 } },
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        data: data.parcels.map(function (p) {
          return { name: p.name, value: 1, tip: p.tooltip, href: p.href, itemStyle: { areaColor: p.colours[mode] } };
        })
      }]
    };
  }

  function draw(el) {
    if (el.dataset.mapReady) { return; }
    el.dataset.mapReady = "1";
    fetch(el.dataset.zoneMap, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var mapName = "zone-" + el.id;
        window.echarts.registerMap(mapName, data.geojson);
        var chart = window.echarts.init(el, null, { renderer: "canvas" });
        var legendBox = document.querySelector('[data-map-legend="' + el.id + '"]');
        chart.on("finished", function () { el.dataset.chartRendered = "1"; });
        chart.on("click", function (p) { if (p.data && p.data.href) { window.location.href = p.data.href; } });
        function show(mode) {
          chart.setOption(option(data, mapName, mode), { notMerge: true });
          legend(legendBox, data.legends[mode] || []);
          el.dataset.mapMode = mode;
        }
        document.querySelectorAll('[data-map-modes="' + el.id + '"] [data-map-mode]').forEach(function (button) {
          button.addEventListener("click", function () {
            button.parentNode.querySelectorAll("[data-map-mode]").forEach(function (other) {
              other.classList.toggle("active", other === button);
              other.setAttribute("aria-pressed", other === button ? "true" : "false");
            });
            show(button.dataset.mapMode);
          });
        });
        show("class");
        window.addEventListener("resize", function () { chart.resize(); });
      })
      .catch(function () {
        el.classList.add("text-danger", "small");
        el.textContent = "地图数据加载失败";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-zone-map]").forEach(draw);
  });
})();
