// Irreversible actions ask first (templates/partials/confirm.html): a submit button with data-confirm="<dialog id>"
// opens that <dialog> instead of posting; 取消 (or Esc) closes it and nothing is sent, 确认… posts the form with the
// same button. Without JS (or without <dialog>) the form posts directly and the server's checks decide.
(function () {
  "use strict";
  var CONFIRMED = "confirmed";
  function dialogOf(button) {
    var dialog = document.getElementById(button.dataset.confirm);
    return dialog && typeof dialog.showModal === "function" ? dialog : null;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (form.dataset[CONFIRMED]) { delete form.dataset[CONFIRMED]; return; }
    if (!button || !button.dataset.confirm) { return; }
    var dialog = dialogOf(button);
    if (!dialog) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    dialog.showModal();
  }, true);
  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-confirm-accept], [data-confirm-cancel]");
    if (!choice) { return; }
    var dialog = choice.closest("dialog");
    var button = document.querySelector("[data-confirm='" + dialog.id + "']");
    var accepted = choice.hasAttribute("data-confirm-accept");
    dialog.close(accepted ? "accept" : "cancel");
    if (!accepted || !button || !button.form) { return; }
    choice.disabled = true;
    button.form.dataset[CONFIRMED] = "1";
    if (typeof button.form.requestSubmit === "function") { button.form.requestSubmit(button); } else { button.click(); }
  });
})();
