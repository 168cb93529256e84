// The ticket page's knowledge-base tools, with JavaScript: "Insert" puts the text at the cursor
// instead of showing the page again. Without JavaScript the same buttons submit the answer form
// to the compose endpoint, which answers with the page (helpdesk/answer/views.py).
(function () {
  "use strict";

  function replyForm() {
    return document.getElementById("reply-form");
  }

  function insertAtCursor(textarea, text) {
    if (!text) {
      return;
    }
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    var before = value.slice(0, start), after = value.slice(end);
    var glueBefore = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var glueAfter = after && !/^\n/.test(after) ? "\n\n" : "";
    var piece = glueBefore + text + glueAfter;
    textarea.value = before + piece + after;
    var cursor = before.length + piece.length;
    textarea.setSelectionRange(cursor, cursor);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function attach(data) {
    var list = document.getElementById("kb-attached-list");
    if (!list || !data.slug || list.querySelector('input[value="' + CSS.escape(data.slug) + '"]')) {
      return;
    }
    var item = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "articles";
    box.value = data.slug;
    box.checked = true;
    var title = document.createElement("span");
    title.lang = data.language;
    title.dir = "auto";
    title.textContent = data.title;
    label.append(box, " ", title);
    item.append(label);
    if (data.warning) {
      var warning = document.createElement("p");
      warning.className = "kb-fallback notice";
      warning.setAttribute("role", "alert");
      warning.textContent = data.warning;
      item.append(warning);
    }
    list.append(item);
  }

  function say(form, text) {
    var box = form.querySelector(".kb-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "kb-error errorlist";
      box.setAttribute("role", "alert");
      form.prepend(box);
    }
    box.textContent = text;
  }

  function insert(button) {
    var form = replyForm();
    if (!form) {
      return;
    }
    var body = new FormData(form);
    body.delete("attachments");
    body.append(button.name, button.value);
    fetch(button.formAction, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.error) {
          say(form, data.error);
          return;
        }
        var textarea = form.querySelector("textarea[name=body]");
        insertAtCursor(textarea, data.text);
        attach(data);
        if (button.name === "use_canned") {
          form.querySelector("#canned").value = "";
        }
        textarea.focus();
      })
      .catch(function () {
        // The network failed: fall back to the page round trip, which keeps what was typed.
        button.form.requestSubmit(button);
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-insert]");
    if (!button || !window.fetch) {
      return;
    }
    event.preventDefault();
    insert(button);
  });

  // Enter in the canned-response picker inserts the chosen one (instead of sending the answer).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.target.id !== "canned") {
      return;
    }
    event.preventDefault();
    var button = event.target.form.querySelector('button[name="use_canned"]');
    if (button && event.target.value) {
      insert(button);
    }
  });
})();
