// Small progressive enhancements; every action also works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var liveRegion = function () { return document.getElementById("live-region"); };

  var announce = function (text) {
    var region = liveRegion();
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  };

  // Before an htmx swap, remember which control had focus: the swap may replace it with a fresh copy.
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body && active.id ? active.id : null;
  });

  // After an htmx swap, announce what the new content says it did (data-announce) or the error it shows,
  // and keep focus where the user was: the first invalid field, else the same control, else the part's heading,
  // else the first visible control of the new part (the first field of a form that was just opened in place).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.querySelector) return;
    var pick = function (selector) { return target.matches(selector) ? target : target.querySelector(selector); };
    var said = pick("[data-announce]") || pick("[role=alert]") || pick(".invalid-feedback");
    if (said) announce(said.textContent.replace(/\s+/g, " ").trim());
    var invalid = target.querySelector(".is-invalid");
    if (invalid) { invalid.focus(); return; }
    var active = document.activeElement;
    if (active && active !== document.body) return;
    var same = focusedId && document.getElementById(focusedId);
    var heading = target.querySelector("[tabindex='-1']");
    if (same) { same.focus(); if (document.activeElement === same) return; }  // not if it is hidden now
    if (heading) { heading.focus(); return; }
    var candidates = target.querySelectorAll("textarea, input:not([type=hidden]), select, summary, a[href], button");
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].getClientRects().length === 0) continue;  // hidden, e.g. inside a closed <details>
      candidates[i].focus();
      if (document.activeElement === candidates[i]) return;
    }
  });

  // Stoplight review shortcuts (documented on the page): g/o/r set the light of the item that has focus,
  // j/k move to the next/previous item. Ignored while typing and with modifier keys.
  var SHORTCUTS = { g: "groen", o: "oranje", r: "rood" };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var el = event.target;
    if (!el || !el.closest || el.closest("input, textarea, select, [contenteditable]")) return;
    var row = el.closest("tr.review-row");
    if (!row) return;
    var key = event.key.toLowerCase();
    var button;
    if (SHORTCUTS[key]) {
      button = row.querySelector(".light-picker__button--" + SHORTCUTS[key]);
      if (!button) return;
      event.preventDefault();
      button.focus();
      button.click();
    } else if (key === "j" || key === "k") {
      var rows = Array.prototype.slice.call(document.querySelectorAll("tr.review-row"));
      var next = rows[rows.indexOf(row) + (key === "j" ? 1 : -1)];
      if (!next) return;
      event.preventDefault();
      button = next.querySelector(".light-picker__button[aria-pressed=true]") || next.querySelector(".light-picker__button") ||
        next.querySelector("a, button, textarea, summary");
      if (button) button.focus();
    }
  });

  // Meeting table: when an item's light turns orange or red, open its "new action" form.
  document.addEventListener("htmx:afterSwap", function (event) {
    // With outerHTML swaps, detail.elt is the new cell (detail.target is the removed one).
    var cell = event.detail.elt;
    if (!cell || !cell.matches || !cell.matches("[data-light]")) return;
    var row = cell.closest("tr");
    if (row) row.className = row.className.replace(/review-row--\w+/, "review-row--" + cell.dataset.light);
    var add = row && row.querySelector("details.action-add");
    if (add && (cell.dataset.light === "oranje" || cell.dataset.light === "rood")) add.open = true;
  });

  // Reports: a print button (the browser's own print gives a clean A4).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // A failed request should never fail silently.
  document.addEventListener("htmx:responseError", function () {
    announce(document.documentElement.lang === "en"
      ? "Not saved: the server answered with an error. Please try again."
      : "Niet opgeslagen: de server gaf een fout. Probeer het opnieuw.");
  });
})();
