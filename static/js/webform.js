// The question form and the private page. Everything here is an extra: without it the form is
// still filled in and sent, and the server checks everything again.
// - knowledge-base suggestions while the question is typed (debounced; one polite announcement);
// - an opened suggestion is recorded without personal data (the page's random visit id);
// - file limits checked as soon as files are chosen; no double sending; focus on the errors.
(function () {
  "use strict";

  var VISITS_KEY = "infolijn.webform.visits";
  var MIN_QUERY = 12;
  var DELAY = 400;

  function storedVisits() {
    try {
      var visits = JSON.parse(window.sessionStorage.getItem(VISITS_KEY) || "[]");
      return Array.isArray(visits) ? visits.filter(function (v) { return typeof v === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function rememberVisit(token) {
    // Earlier visits of this tab (a reload, another language) that opened suggestions: sent with
    // the question so that they do not count as "answered by the knowledge base".
    try {
      var visits = storedVisits().filter(function (v) { return v !== token; });
      visits.push(token);
      window.sessionStorage.setItem(VISITS_KEY, JSON.stringify(visits.slice(-5)));
    } catch (error) { /* storage disabled: the count is a little less exact, nothing breaks */ }
  }

  function plainText(html) {
    // The API may mark matches up; show its text only, never its markup.
    return new DOMParser().parseFromString(String(html || ""), "text/html").body.textContent || "";
  }

  function sameOriginUrl(url) {
    // Only our own pages (relative or absolute): never a javascript: or another site's link.
    try {
      var parsed = new URL(String(url), window.location.href);
      return parsed.origin === window.location.origin ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function setUpSuggestions(form) {
    var question = form.querySelector("textarea[name=question]");
    var box = document.getElementById("kb-suggestions");
    var status = document.getElementById("kb-status");
    var tokenInput = form.querySelector("input[name=form_token]");
    if (!question || !box || !status || !tokenInput || !window.fetch) {
      return;
    }
    var list = box.querySelector("ul");
    var timer = null;
    var controller = null;
    var lastQuery = "";
    var opened = {};

    function clear() {
      list.replaceChildren();
      box.hidden = true;
      status.textContent = "";
    }

    function show(results) {
      list.replaceChildren();
      results.forEach(function (result) {
        var href = result && result.slug ? sameOriginUrl(result.url) : null;
        if (!href) {
          return;
        }
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = plainText(result.title);
        link.dataset.slug = result.slug;
        link.dataset.language = result.language || "";
        if (result.language) {
          link.lang = result.language;
          link.hreflang = result.language;
        }
        link.dir = "auto";
        item.appendChild(link);
        var snippet = plainText(result.snippet);
        if (snippet) {
          var text = document.createElement("p");
          text.className = "snippet";
          text.dir = "auto";
          text.textContent = snippet;
          item.appendChild(text);
        }
        list.appendChild(item);
      });
      var count = list.children.length;
      box.hidden = count === 0;
      // Announce once per new set of results, not every keystroke.
      status.textContent = count ? status.dataset.found.replace("{count}", String(count)) : "";
    }

    function search() {
      var query = question.value.replace(/\s+/g, " ").trim().slice(0, 300);
      if (query.length < MIN_QUERY) {
        lastQuery = "";
        clear();
        return;
      }
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var params = new URLSearchParams({ q: query, lang: form.dataset.kbLang || "" });
      fetch(form.dataset.kbSearch + "?" + params.toString(), {
        signal: controller.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(Array.isArray(data && data.results) ? data.results.slice(0, 5) : []); })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            clear(); // no suggestions is fine: the form works without them
          }
        });
    }

    function recordOpen(event) {
      var link = event.target.closest && event.target.closest("a[data-slug]");
      if (!link || (event.type === "auxclick" && event.button !== 1)) {
        return;
      }
      var key = link.dataset.slug + "|" + link.dataset.language;
      if (opened[key]) {
        return;
      }
      opened[key] = true;
      rememberVisit(tokenInput.value);
      var data = new FormData();
      data.append("form_token", tokenInput.value);
      data.append("slug", link.dataset.slug);
      data.append("language", link.dataset.language);
      if (!(navigator.sendBeacon && navigator.sendBeacon(form.dataset.kbOpened, data))) {
        fetch(form.dataset.kbOpened, { method: "POST", body: data, keepalive: true, credentials: "same-origin" })
          .catch(function () { /* a lost count, never a lost question */ });
      }
    }

    question.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    list.addEventListener("click", recordOpen);
    list.addEventListener("auxclick", recordOpen);
    if (question.value) {
      search(); // a form sent back with errors: suggest for what is already there
    }
  }

  function setUpEarlierVisits(form) {
    var holder = form.querySelector("[data-earlier-visits]");
    var tokenInput = form.querySelector("input[name=form_token]");
    if (!holder || !tokenInput) {
      return;
    }
    storedVisits().forEach(function (token) {
      if (token === tokenInput.value) {
        return;
      }
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "earlier_visits";
      input.value = token;
      holder.appendChild(input);
    });
  }

  function setUpFileChecks(root) {
    root.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      var message = document.createElement("p");
      message.className = "errors";
      message.id = input.id + "_check";
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
      input.addEventListener("change", function () {
        var problems = [];
        var maxBytes = Number(input.dataset.maxBytes);
        var maxFiles = Number(input.dataset.maxFiles);
        if (maxFiles && input.files.length > maxFiles) {
          problems.push(input.dataset.tooMany);
        }
        Array.prototype.forEach.call(input.files, function (file) {
          if (maxBytes && file.size > maxBytes) {
            problems.push(input.dataset.tooLarge.replace("{name}", file.name));
          }
        });
        message.textContent = problems.join(" ");
        var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== message.id;
        });
        if (problems.length) {
          input.value = ""; // choose again, rather than upload what will be refused
          input.setAttribute("aria-invalid", "true");
          described.push(message.id);
        } else {
          input.removeAttribute("aria-invalid");
        }
        input.setAttribute("aria-describedby", described.join(" "));
      });
    });
  }

  function setUpSending(form) {
    // One question, one ticket: a second click while the first is on its way does nothing.
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
    window.addEventListener("pageshow", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
    });
  }

  function focusProblems() {
    var summary = document.getElementById("form-problem") || document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-kb-search]");
    if (form) {
      setUpEarlierVisits(form);
      setUpSuggestions(form);
      setUpSending(form);
    }
    setUpFileChecks(document);
    focusProblems();
  });
})();
