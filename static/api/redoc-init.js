// Starts ReDoc on /api/redoc/ from data attributes: the page has no inline script (CSP).
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  if (!container || !window.Redoc) {
    return;
  }
  var settings = {};
  try {
    settings = JSON.parse(container.getAttribute("data-settings") || "null") || {};
  } catch (error) {
    settings = {};
  }
  window.Redoc.init(container.getAttribute("data-schema-url"), settings, container);
})();
