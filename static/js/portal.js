// The portal's few behaviours, kept in a file so the Content-Security-Policy allows no inline
// script and no eval (htmx's hx-on attributes would need eval).
(function () {
  "use strict";

  // htmx leaves 4xx answers unswapped. Inside data-swap-statuses="400 409 422", these answers
  // are shown: 422 is the form with its errors, 409 the refusal with its reason, 400 a request
  // refused before any view (a form over the upload limit), retargeted to #messages.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var zone = event.target.closest("[data-swap-statuses]");
    if (!zone) {
      return;
    }
    var statuses = zone.dataset.swapStatuses.split(/\s+/).map(Number);
    if (statuses.indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A form loaded into the page with data-autofocus puts the cursor on its first field in
  // error; after an edit conflict, on the first "which value to keep" choice, else on the
  // conflict notice (so it is read first); else on its first field.
  document.addEventListener("htmx:load", function (event) {
    var loaded = event.detail.elt;
    var form = loaded.matches("[data-autofocus]") ? loaded : loaded.querySelector("[data-autofocus]");
    if (!form) {
      return;
    }
    var field =
      form.querySelector("[aria-invalid=true]") ||
      form.querySelector(".merge-choice input") ||
      form.querySelector(".conflict[tabindex]") ||
      form.querySelector("select, input:not([type=hidden]), textarea");
    if (field) {
      field.focus();
    }
  });

  // After "Batal" empties the editor, the keyboard goes back to the link that opened it:
  // the person carries on where they were, not at the top of the page.
  var editorOpener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "editor" && !target.contains(event.detail.elt)) {
      editorOpener = event.detail.elt;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "editor" && !target.children.length) {
      if (editorOpener && document.body.contains(editorOpener)) {
        editorOpener.focus();
      }
      editorOpener = null;
    }
  });

  // While htmx sends a file, the form's <progress data-upload-progress> shows how much has gone
  // (its paragraph stays hidden without JavaScript, where the browser shows its own progress).
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    var bar = form ? form.querySelector("progress[data-upload-progress]") : null;
    if (!bar || !event.detail.lengthComputable || !event.detail.total) {
      return;
    }
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.value = percent;
    bar.textContent = percent + "%";
    if (bar.parentElement) {
      bar.parentElement.hidden = false;
    }
    if (percent >= 100) {
      // Sent: the rows are now checked and stored by the server, of unknown duration.
      bar.removeAttribute("value");
      var checking = form.querySelector("[data-upload-checking]");
      if (checking) {
        checking.hidden = false;
      }
    }
  });

  // An estimate's basis is asked for only when "Estimate" is the evidence chosen; without
  // JavaScript every basis field shows (and the server still requires it for an estimate).
  function showBasis(group) {
    var choice = group.querySelector("select");
    var basis = group.querySelector("[data-evidence-basis]");
    if (!choice || !basis) {
      return;
    }
    var wrong = basis.querySelector("[aria-invalid=true]");
    basis.hidden = choice.value !== "estimate" && !wrong;
  }
  function showBases(root) {
    var groups = root.querySelectorAll ? root.querySelectorAll("[data-evidence-group]") : [];
    Array.prototype.forEach.call(groups, showBasis);
  }
  document.addEventListener("change", function (event) {
    var group = event.target.closest ? event.target.closest("[data-evidence-group]") : null;
    if (group && event.target.tagName === "SELECT") {
      showBasis(group);
    }
  });
  document.addEventListener("htmx:load", function (event) {
    showBases(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () {
    showBases(document);
  });
})();
