// File pickers (templates/partials/forms.html): the names of the chosen files beside the 选择文件 button, in place of
// the browser's own English "No file chosen".
(function () {
  "use strict";
  function show(input) {
    var chosen = document.getElementById(input.id + "-chosen");
    if (!chosen) { return; }
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    if (names.length === 0) { chosen.textContent = chosen.dataset.empty; }
    else if (names.length === 1) { chosen.textContent = names[0]; }
    else { chosen.textContent = "已选择 " + names.length + " 个文件：" + names.join("、"); }
  }
  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("file-picker-input")) { show(event.target); }
  });
  document.addEventListener("reset", function (event) {
    setTimeout(function () { event.target.querySelectorAll(".file-picker-input").forEach(show); }, 0);
  });
})();
