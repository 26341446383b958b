/* Reloads the dashboard every few minutes while it is visible (no inline script: CSP-safe). */
(function () {
  "use strict";
  var marker = document.getElementById("autorefresh");
  var seconds = marker ? parseInt(marker.dataset.seconds || "0", 10) : 0;
  if (!seconds) { return; }
  setInterval(function () { if (!document.hidden) { window.location.reload(); } }, seconds * 1000);
})();
