// Toasts swapped into #toasts by the server (errors and confirmations of htmx requests):
// success/info toasts fade out after a few seconds, error toasts stay until closed.
(function () {
  "use strict";
  var DELAY_MS = 6000;
  function arm(el) {
    if (el.dataset.armed) { return; }
    el.dataset.armed = "1";
    if (el.dataset.autohide === "true") {
      window.setTimeout(function () { el.remove(); }, DELAY_MS);
    }
  }
  function scan() {
    document.querySelectorAll("#toasts .toast").forEach(arm);
  }
  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("htmx:afterSwap", scan);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("#toasts [data-bs-dismiss='toast']");
    if (button) { button.closest(".toast").remove(); }
  });
})();
