// A box that scrolls (a table wider than the window in .table-responsive, the audit log's change lists, a scheme's
// text) can be scrolled from the keyboard only if it takes focus: such a box gets tabindex="0", role="region" (a list
// stays a list) and a name (WCAG 2.1.1; axe-core's scrollable-region-focusable). Checked at load, on resize and
// after htmx swaps, since whether a box overflows depends on the window's width.
(function () {
  "use strict";
  var SCROLL_BOXES = ".table-responsive, .audit-changes, .error-problems, main pre";
  function mark() {
    document.querySelectorAll(SCROLL_BOXES).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (box.tagName !== "UL" && box.tagName !== "OL") { box.setAttribute("role", "region"); }  // a list stays one
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", box.querySelector("table") ? "表格（可滚动）" : "可滚动区域");
        }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
