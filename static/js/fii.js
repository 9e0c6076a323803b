// Small progressive enhancements; every action also works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var liveRegion = function () { return document.getElementById("live-region"); };

  // After an htmx swap, announce what the new content says it did (data-announce).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.querySelector) return;
    var region = liveRegion();
    var announce = target.matches && target.matches("[data-announce]") ? target : target.querySelector("[data-announce]");
    if (region && announce) {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = announce.textContent.trim(); }, 50);
    }
    // Errors: move focus to the first invalid field so keyboard users land on it.
    var invalid = target.querySelector(".is-invalid");
    if (invalid) invalid.focus();
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
    var region = liveRegion();
    if (region) region.textContent = document.documentElement.lang === "en"
      ? "Not saved: the server answered with an error. Please try again."
      : "Niet opgeslagen: de server gaf een fout. Probeer het opnieuw.";
  });
})();
