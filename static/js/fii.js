// Small progressive enhancements; every action also works without JavaScript.
(function () {
  "use strict";
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

  // A failed request should never fail silently.
  document.addEventListener("htmx:responseError", function () {
    var region = liveRegion();
    if (region) region.textContent = document.documentElement.lang === "en"
      ? "Not saved: the server answered with an error. Please try again."
      : "Niet opgeslagen: de server gaf een fout. Probeer het opnieuw.";
  });
})();
