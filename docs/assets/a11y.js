/* Accessibility: Material's search dialog has role="dialog" but no accessible name. */
(function () {
  "use strict";
  document.querySelectorAll(".md-search[role='dialog']").forEach(function (dialog) {
    if (!dialog.getAttribute("aria-label") && !dialog.getAttribute("aria-labelledby")) {
      dialog.setAttribute("aria-label", "Search");
    }
  });
})();
