// Small keyboard helpers for people who answer calls all day. No framework, no inline script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter (or Cmd+Enter) saves the form the cursor is in.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = event.target.form || event.target.closest && event.target.closest("form");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    // A single-key shortcut (like "/" for search) when the cursor is not in a field.
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.ctrlKey || event.metaKey || event.altKey || ["input", "textarea", "select"].includes(tag)) {
      return;
    }
    var target = document.querySelector('[data-shortcut="' + CSS.escape(event.key) + '"]');
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
  // Selects marked data-autosubmit (the language switch) submit when changed.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
})();
