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

  // Wide data tables scroll inside their own region, never the page (WCAG 1.4.10). Every table in <main> gets a
  // wrapper; only while the table is wider than the wrapper does it become a named, focusable region, so a
  // keyboard user can scroll it and screen readers do not meet a landmark around every small table.
  var regionLabel = function (table) {
    var caption = table.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text || document.body.getAttribute("data-table-text") || "Tabel";
  };
  var markScroller = function (wrapper) {
    var wide = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (wide && wrapper.getAttribute("role") !== "region") {
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("tabindex", "0");
      if (!wrapper.hasAttribute("aria-label")) {
        var table = wrapper.querySelector("table");
        wrapper.setAttribute("aria-label", table ? regionLabel(table) : "");
        wrapper.setAttribute("data-label-added", "");
      }
    } else if (!wide && wrapper.hasAttribute("data-scroll-added")) {
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("tabindex");
      if (wrapper.hasAttribute("data-label-added")) {
        wrapper.removeAttribute("aria-label");
        wrapper.removeAttribute("data-label-added");
      }
    }
  };
  var wrapTables = function (root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("main table:not(.review-table)") : [];
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.parentElement.closest("table")) continue;  // a table inside a table scrolls with its parent
      var wrapper = table.parentElement.closest(".scroll-region, .table-responsive");
      if (!wrapper) {
        wrapper = document.createElement("div");
        wrapper.className = "scroll-region";
        table.parentNode.insertBefore(wrapper, table);
        wrapper.appendChild(table);
      }
      if (wrapper.getAttribute("role") !== "region") wrapper.setAttribute("data-scroll-added", "");
      markScroller(wrapper);
    }
  };
  var rewrapAll = function () {
    var wrappers = document.querySelectorAll("[data-scroll-added]");
    for (var i = 0; i < wrappers.length; i++) markScroller(wrappers[i]);
  };
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(rewrapAll, 100);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { wrapTables(document); });
  } else {
    wrapTables(document);
  }
  document.addEventListener("htmx:load", function (event) { wrapTables(event.detail.elt.parentNode || document); });

  // Phones: the main menu folds behind a "Menu" button; Escape closes it again and returns focus to the button.
  var toggler = document.querySelector(".site-nav__toggler");
  var menu = toggler && document.getElementById(toggler.getAttribute("aria-controls"));
  if (toggler && menu) {
    toggler.hidden = false;
    var setOpen = function (open) {
      menu.classList.toggle("is-open", open);
      toggler.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggler.addEventListener("click", function () { setOpen(!menu.classList.contains("is-open")); });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("is-open") && window.getComputedStyle(toggler).display !== "none") {
        setOpen(false);
        toggler.focus();
      }
    });
  }

  // Busy: while an htmx request runs, its target says so (aria-busy) and shows a short visible note.
  var busyText = function () { return document.body.getAttribute("data-busy-text") || "…"; };
  var busyTarget = function (event) { return event.detail.target || event.detail.elt; };
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = busyTarget(event);
    if (!target || !target.setAttribute) return;
    target.setAttribute("aria-busy", "true");
    // Elements that bring their own indicator (hx-indicator) need no extra note.
    if (event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[hx-indicator]")) return;
    if (!target.querySelector(":scope > .busy-note")) {
      var note = document.createElement("span");
      note.className = "busy-note";
      note.textContent = busyText();
      target.appendChild(note);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var target = busyTarget(event);
    if (!target || !target.removeAttribute) return;
    target.removeAttribute("aria-busy");
    var note = target.querySelector && target.querySelector(":scope > .busy-note");
    if (note) note.remove();
  });

  // PDF downloads take seconds: fetch the file, show a busy state until it arrives, then hand it to the browser.
  // Without JavaScript (or if fetching fails in an old browser) the link is an ordinary download link.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-pdf-download]");
    if (!link || !window.fetch || !window.URL || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    event.preventDefault();
    var status = document.getElementById(link.getAttribute("data-pdf-download"));
    var say = function (text, busy) {
      if (status) { status.textContent = text; status.classList.toggle("busy-note", !!busy); }
    };
    link.setAttribute("aria-busy", "true");
    say(link.getAttribute("data-busy-text"), true);
    var done = function () { link.removeAttribute("aria-busy"); };
    window.fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      var disposition = response.headers.get("Content-Disposition") || "";
      var match = /filename="([^"]+)"/.exec(disposition);
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = match ? match[1] : "rapport.pdf";
        document.body.appendChild(a);
        a.click();
        a.remove();
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        done();
        say(link.getAttribute("data-done-text"), false);
      });
    }).catch(function () {
      done();
      say(link.getAttribute("data-error-text"), false);
    });
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
