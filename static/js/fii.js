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

  // A save refused as stale (409 with X-FII-Conflict) answers with the form again, the user's input kept and
  // the colleague's version beside it (fii/lib/conflicts.py): swap it in like a normal answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 409 && xhr.getResponseHeader("X-FII-Conflict")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
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
    var forced = pick("[data-focus-on-swap]");  // what the new part asks to be looked at first
    if (forced) { forced.focus(); return; }
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
    // The width the regions were last marked for: the browser tests wait for it instead of sleeping.
    document.documentElement.setAttribute("data-regions-width", String(window.innerWidth));
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

  // ---- Sessions: a failed save is visible, the session's end is announced ahead, input is never lost. ----
  var english = document.documentElement.lang === "en";
  var FAILED_TEXT = english
    ? "Not saved: the server answered with an error. Please try again."
    : "Niet opgeslagen: de server gaf een fout. Probeer het opnieuw.";
  var OFFLINE_TEXT = english
    ? "Not saved: the server could not be reached. Please try again."
    : "Niet opgeslagen: de server was niet bereikbaar. Probeer het opnieuw.";
  var KEPT_TEXT = english ? "Not saved yet; your input is kept." : "Nog niet opgeslagen; uw invoer is bewaard.";

  // Show the message for an ended session ("expired") or an expired page ("csrf"), with its way back:
  // the link reloads this page, which asks for a login first when needed and then saves the kept input.
  var showSessionAlert = function (kind) {
    var box = document.getElementById("session-alert");
    if (!box) return;
    var parts = box.querySelectorAll("[data-session-text], [data-session-action]");
    for (var i = 0; i < parts.length; i++) {
      var own = (parts[i].getAttribute("data-session-text") || parts[i].getAttribute("data-session-action")) === kind;
      parts[i].hidden = !own;
      if (own && parts[i].hasAttribute("data-session-action")) parts[i].href = window.location.pathname + window.location.search;
    }
    box.hidden = false;
    var warning = document.getElementById("idle-warning");
    if (warning && warning.open) warning.close();
    var action = box.querySelector("[data-session-action]:not([hidden])");
    // Nothing more can be saved on this page: the way back gets focus, also after a second failed save.
    if (action) action.focus();
  };

  // A failed save shows its message in the part it would have replaced, not only in the live region.
  var showFailure = function (target, text) {
    announce(text);
    if (!target || !target.querySelector) return;
    var old = target.querySelector(".save-failed");
    if (old) old.parentNode.removeChild(old);
    var note = document.createElement("p");
    note.className = "save-failed alert alert-danger small mt-1 mb-0";
    note.setAttribute("role", "alert");
    note.textContent = text;
    target.appendChild(note);
  };

  var failureKind = function (xhr) {
    var kind = xhr && xhr.getResponseHeader("X-FII-Failure");
    return { "session-expired": "expired", "csrf": "csrf" }[kind] || null;
  };

  document.addEventListener("htmx:responseError", function (event) {
    var kind = failureKind(event.detail.xhr);
    if (kind) {
      showFailure(event.detail.target, KEPT_TEXT);
      showSessionAlert(kind);
    } else {
      showFailure(event.detail.target, FAILED_TEXT);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    showFailure(event.detail.target, OFFLINE_TEXT);
  });

  // The idle logout (WCAG 2.2.1): warn a little before it, with a button that keeps the session alive.
  var body = document.body;
  var warnBefore = parseInt(body.getAttribute("data-idle-warn"), 10);
  var warnTimer = null, endTimer = null, focusBeforeWarning = null;
  var warning = document.getElementById("idle-warning");
  var scheduleIdle = function (secondsLeft) {
    if (!warning || isNaN(secondsLeft)) return;
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () {
      focusBeforeWarning = document.activeElement;
      warning.querySelector(".idle-warning__failed").hidden = true;
      if (!warning.open) warning.showModal();
      warning.querySelector("[data-keep-alive]").focus();
    }, Math.max(0, secondsLeft - warnBefore) * 1000);
    endTimer = window.setTimeout(function () { showSessionAlert("expired"); }, secondsLeft * 1000);
  };
  var csrfToken = function () {
    try { return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  };
  if (warning) {
    scheduleIdle(parseInt(body.getAttribute("data-idle-seconds"), 10));
    warning.addEventListener("click", function (event) {
      if (!event.target.closest("[data-keep-alive]")) return;
      window.fetch(body.getAttribute("data-keepalive-url"), {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) throw response;
        return response.json();
      }).then(function (data) {
        warning.close();
        scheduleIdle(data.idle_seconds_left);
        if (focusBeforeWarning && focusBeforeWarning.focus) focusBeforeWarning.focus();
      }).catch(function () {
        warning.querySelector(".idle-warning__failed").hidden = false;
        window.setTimeout(function () { showSessionAlert("expired"); }, 0);
      });
    });
  }
  // Every htmx answer says how long the session still has (fii.middleware.HtmxSessionMiddleware).
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var left = xhr && xhr.getResponseHeader("X-FII-Idle-Seconds");
    if (left !== null && left !== undefined && left !== "") scheduleIdle(parseInt(left, 10));
  });

  // Unsaved input in a part marked data-draft-scope (a review) is kept in this tab's sessionStorage, keyed by
  // scope and field, until a save succeeds. Back on the page (after logging in again) notes and lights are saved
  // again; a half-filled action form is put back in place for the user to send.
  var DRAFT = "fii-draft|";
  var scopeOf = function (el) {
    var scope = el && el.closest && el.closest("[data-draft-scope]");
    return scope ? scope.getAttribute("data-draft-scope") : null;
  };
  var store = function (key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* storage full or off: nothing to keep */ }
  };
  var forget = function (key) { try { window.sessionStorage.removeItem(key); } catch (e) { /* see store */ } };
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.id || !el.matches("textarea, input[type=text], input[type=date], select")) return;
    var scope = scopeOf(el);
    if (scope) store(DRAFT + scope + "|field|" + el.id, el.value);
  });
  // A request remembers which kept entries it carries; they are dropped once it succeeded. (By then the
  // form may have been swapped out of the page, so the keys are worked out before it is sent.)
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var scope = scopeOf(elt);
    if (!scope) return;
    var keys = [];
    var trigger = event.detail.triggeringEvent;
    var button = trigger && trigger.submitter;
    var target = event.detail.target;
    if (target && target.id) {
      keys.push(DRAFT + scope + "|click|" + target.id);
      if (button && button.id) store(keys[0], button.id);
    }
    var form = elt.tagName === "FORM" ? elt : elt.closest("form");
    for (var i = 0; form && i < form.elements.length; i++) {
      if (form.elements[i].id) keys.push(DRAFT + scope + "|field|" + form.elements[i].id);
    }
    elt.fiiDraftKeys = keys;
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.fiiDraftKeys && event.detail.xhr) event.detail.xhr.fiiDraftKeys = elt.fiiDraftKeys;
  });
  // htmx fires afterRequest on the form and, when the swap removed it, once more on an ancestor still in the
  // page (with that ancestor as detail.elt): the keys travel on the request itself, and each request counts once.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.fiiSeen) return;
    xhr.fiiSeen = true;
    if (event.detail.successful && xhr.fiiDraftKeys) xhr.fiiDraftKeys.forEach(forget);
    window.setTimeout(nextSave, 0);
  });
  var restoreDrafts = function () {
    var scopes = document.querySelectorAll("[data-draft-scope]");
    var seen = {};
    var restored = 0;
    for (var s = 0; s < scopes.length; s++) {
      var scope = scopes[s].getAttribute("data-draft-scope");
      if (seen[scope]) continue;
      seen[scope] = true;
      var prefix = DRAFT + scope + "|";
      var keys = [];
      for (var k = 0; k < window.sessionStorage.length; k++) {
        var key = window.sessionStorage.key(k);
        if (key && key.indexOf(prefix) === 0) keys.push(key);
      }
      keys.forEach(function (key) {
        var value = window.sessionStorage.getItem(key);
        var rest = key.slice(prefix.length);
        if (rest.indexOf("field|") === 0) {
          var field = document.getElementById(rest.slice(6));
          if (!field || field.value === value) { forget(key); return; }
          field.value = value;
          restored++;
          var details = field.closest("details");
          if (details) details.open = true;
          if (field.hasAttribute("data-draft-autosave")) {
            saves.push(function () { field.dispatchEvent(new Event("change", { bubbles: true })); });
          }
        } else if (rest.indexOf("click|") === 0) {
          var button = document.getElementById(value);
          if (!button || button.getAttribute("aria-pressed") === "true") { forget(key); return; }
          restored++;
          saves.push(function () { button.click(); });
        }
      });
    }
    var notice = document.getElementById("drafts-restored");
    if (restored && notice) notice.hidden = false;
    nextSave();
  };
  // The kept saves go one after the other, as a user would make them.
  var saves = [];
  var nextSave = function () {
    var save = saves.shift();
    if (save) save();
  };

  // After htmx has wired up the page's forms (its own DOMContentLoaded handler), so restored saves go through it.
  var restoreSoon = function () { window.setTimeout(restoreDrafts, 0); };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restoreSoon);
  } else {
    restoreSoon();
  }
})();
