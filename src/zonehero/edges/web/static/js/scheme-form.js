// The scheme form (方案表单): each group's weight sum live as one types, and adding or removing indicator rows.
// The server validates everything again on save (the sum must be 100 per group); this only shows it early.
(function () {
  function plain(x) {
    return String(Math.round(x * 1e6) / 1e6);
  }

  function refresh(group) {
    var total = 0;
    var valid = true;
    group.querySelectorAll("tbody input[data-weight]").forEach(function (input) {
      var text = input.value.trim();
      if (text === "") { return; }
      var value = Number(text);
      if (!isFinite(value)) { valid = false; return; }
      total += value;
    });
    var target = Number(group.dataset.total);
    var output = group.querySelector(".weight-sum");
    var state = group.querySelector(".weight-sum-state");
    var ok = valid && Math.abs(total - target) < 1e-6;
    output.textContent = valid ? plain(total) : "—";
    output.dataset.ok = ok ? "true" : "false";
    output.classList.toggle("text-danger", !ok);
    output.classList.toggle("text-success", ok);
    if (state) {
      var gap = target - total;
      state.textContent = ok ? "✓" : (!valid ? "有权重不是数字"
        : "须为 " + plain(target) + (gap > 0 ? "，还差 " + plain(gap) : "，多了 " + plain(-gap)));
      state.classList.toggle("text-danger", !ok);
    }
  }

  function addRow(group) {
    var template = group.querySelector("template.indicator-template");
    var index = Number(group.dataset.next || "0");
    group.dataset.next = String(index + 1);
    var html = template.innerHTML.split("__INDEX__").join(String(index));
    var body = group.querySelector("tbody");
    body.insertAdjacentHTML("beforeend", html);
    applyModes();
    var row = body.lastElementChild;
    var first = row.querySelector("input, select");
    if (first) { first.focus(); }
    refresh(group);
  }

  // An input that matters only for one choice of a select (固定基准值, 按比例 / 按分数线) is folded away for the
  // others, unless it carries a problem; hidden inputs are still posted, so nothing is lost by switching.
  function applyModes() {
    document.querySelectorAll("#scheme-form [data-used-when]").forEach(function (el) {
      var select = document.querySelector('#scheme-form [name="' + el.dataset.usedWhen + '"]');
      if (!select) { return; }
      var invalid = el.querySelector(".is-invalid, .field-error");
      el.hidden = select.value !== el.dataset.usedValue && !invalid;
    });
    // A column head stays while any cell below it is shown (a cell with a problem).
    document.querySelectorAll("#scheme-form th[data-column]").forEach(function (th) {
      var shown = th.closest("table").querySelector("td.ind-" + th.dataset.column + ":not([hidden])");
      if (shown) { th.hidden = false; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("scheme-form");
    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.matches("select")) { applyModes(); }
      });
      applyModes();
    }
    document.querySelectorAll(".indicator-group").forEach(function (group) {
      group.addEventListener("input", function (event) {
        if (event.target.matches("input[data-weight]")) { refresh(group); }
      });
      group.addEventListener("click", function (event) {
        var remove = event.target.closest(".remove-indicator");
        var move = event.target.closest(".move-indicator");
        if (move) {
          // The server keeps the rows in the order the page posts them, so moving the row is enough.
          var row = move.closest("tr");
          if (move.dataset.move === "up" && row.previousElementSibling) {
            row.parentNode.insertBefore(row, row.previousElementSibling);
          } else if (move.dataset.move === "down" && row.nextElementSibling) {
            row.parentNode.insertBefore(row.nextElementSibling, row);
          }
          move.focus();
        } else if (remove) {
          remove.closest("tr").remove();
          refresh(group);
        } else if (event.target.closest(".add-indicator")) {
          addRow(group);
        }
      });
      refresh(group);
    });
  });
})();
