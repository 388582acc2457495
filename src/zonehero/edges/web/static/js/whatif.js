// 方案调整试算: the live weight total of each group, a stop before a form the server would refuse, and a sign of work.
// Each .weight-group card carries data-weight-total (100 in a standard scheme); its sum is shown as the user types
// and a total that differs is marked beside the group, in Chinese, and keeps the form from being sent. Once the
// form goes, #whatif-working (role=status) says the zone is being evaluated again and the buttons wait. The server
// checks the same rule (features/decision), so without JS nothing wrong is computed either.
(function () {
  "use strict";
  var TOLERANCE = 1e-6;
  function number(text) {
    var value = Number(String(text).trim());
    return String(text).trim() === "" ? NaN : value;
  }
  function show(value) {
    return String(Math.round(value * 1e6) / 1e6);
  }
  function check(group) {
    var wanted = number(group.dataset.weightTotal);
    var total = 0;
    var readable = true;
    group.querySelectorAll(".weight-input").forEach(function (input) {
      var value = number(input.value);
      if (!isFinite(value)) { readable = false; } else { total += value; }
    });
    var sum = group.querySelector(".weight-sum");
    var error = group.querySelector(".weight-sum-error");
    var ok = readable && Math.abs(total - wanted) <= TOLERANCE;
    if (sum) { sum.textContent = readable ? show(total) : "—"; sum.classList.toggle("text-danger", !ok); }
    if (error) {
      error.textContent = ok ? "" : (readable
        ? group.dataset.groupLabel + "企业各指标权重合计应为 " + show(wanted) + "，现为 " + show(total)
        : group.dataset.groupLabel + "企业各指标权重应为数字");
      error.classList.toggle("d-block", !ok);
    }
    group.querySelectorAll(".weight-input").forEach(function (input) {
      input.setAttribute("aria-invalid", ok && isFinite(number(input.value)) ? "false" : "true");
      if (error && !ok) { input.setAttribute("aria-describedby", error.id); }
    });
    return ok;
  }
  function groupsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll(".weight-group"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("variant-form");
    if (!form) { return; }
    groupsOf(form).forEach(function (group) {
      check(group);
      group.addEventListener("input", function () { check(group); });
    });
    form.addEventListener("submit", function (event) {
      var wrong = groupsOf(form).filter(function (group) { return !check(group); });
      if (wrong.length) {
        event.preventDefault();
        var first = wrong[0].querySelector(".weight-input");
        if (first) { first.focus(); }
        return;
      }
      var working = document.getElementById(form.dataset.working);
      if (working) { working.hidden = false; }
      // After this turn of the event loop, so the browser has already taken the clicked button's formaction.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
        document.querySelectorAll("button[form='" + form.id + "']").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
