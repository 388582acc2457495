// Sends the session's CSRF token (from <meta name="csrf-token">) with every htmx request.
// The server refuses unsafe requests without it; forms also carry a hidden csrf_token field.
(function () {
  "use strict";
  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token();
  });
})();
