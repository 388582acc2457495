// The idle-timeout warning (会话即将超时): the server says in <meta name="session-expires-in"> how many seconds
// the session has left unless used, and <meta name="session-warn-before"> how early to warn. Shortly before the
// end a box offers 「继续」, which asks POST /api/session/keepalive (with the CSRF token) to count the idle time
// from now. At the end the page goes to the log-in form, since the server has ended the session anyway.
// htmx requests made on this page count as activity too, less a minute: the server notes activity at most once
// a minute, so its deadline may be up to that much earlier than the request.
(function () {
  "use strict";
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? parseInt(el.getAttribute("content"), 10) : NaN;
  }
  var expiresIn = meta("session-expires-in");
  var warnBefore = meta("session-warn-before");
  if (isNaN(expiresIn) || isNaN(warnBefore)) { return; }
  var box = document.getElementById("session-warning");
  var left = document.getElementById("session-warning-left");
  var button = document.getElementById("session-keepalive");
  var deadline = Date.now() + expiresIn * 1000;
  var timer = null;

  function csrf() {
    var el = document.querySelector('meta[name="csrf-token"]');
    return el ? el.getAttribute("content") : "";
  }
  function toLogin() {
    window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }
  function words(seconds) {
    if (seconds >= 60) { return Math.ceil(seconds / 60) + " 分钟"; }
    return Math.max(0, seconds) + " 秒";
  }
  function tick() {
    var remaining = Math.round((deadline - Date.now()) / 1000);
    if (remaining <= 0) { toLogin(); return; }
    if (remaining <= warnBefore) {
      left.textContent = words(remaining);
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }
  function restart(seconds) {
    deadline = Date.now() + seconds * 1000;
    tick();
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    fetch("/api/session/keepalive", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) { toLogin(); return null; }
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (body) {
        warnBefore = body.warn_before;
        restart(body.expires_in);
      }
    }).catch(function () { /* the next tick tries the deadline again */ }).then(function () {
      button.disabled = false;
    });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.xhr && event.detail.xhr.status !== 401) { restart(Math.max(0, expiresIn - 60)); }
  });
  timer = window.setInterval(tick, 1000);
  tick();
  window.addEventListener("pagehide", function () { window.clearInterval(timer); });
})();
