// Progress bars: the width comes from data-percent (the CSP forbids inline style attributes).
(function () {
  function paint(root) {
    root.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { paint(document); });
  document.body.addEventListener("htmx:afterSettle", function (event) { paint(event.target); });
})();
