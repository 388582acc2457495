// Starts Swagger UI for /api/docs from the vendored bundle (no inline script, no external validator).
// Unsafe requests need the X-CSRF-Token header: take the token from POST /api/login or GET /api/me.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    validatorUrl: null,
    deepLinking: true
  });
})();
