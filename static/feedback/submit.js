// The intake form's small helpers; a file, not inline, because the CSP allows only script-src 'self'.
(function () {
  var form = document.querySelector(".intake-form");
  var button = document.getElementById("submit-button");
  var website = document.getElementById("id_website");
  if (website) { website.setAttribute("tabindex", "-1"); website.setAttribute("autocomplete", "off"); }
  // One click, one submission (the server also ignores a repeat of the same form).
  form.addEventListener("submit", function () { setTimeout(function () { button.disabled = true; }, 0); });
  var locate = document.getElementById("use-location");
  if (navigator.geolocation && locate && !document.getElementById("submit-map")) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      });
    });
  }
})();
// After a failed send: bring the error summary into view and give it focus.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.scrollIntoView(); summary.focus(); }
})();
// Text length: a counter instead of the browser silently cutting at maxlength.
(function () {
  var text = document.getElementById("id_text");
  var counter = document.getElementById("id_text_counter");
  if (!text || !counter) { return; }
  var max = parseInt(text.getAttribute("data-maxlength"), 10);
  function update() {
    var n = Array.from(text.value).length;
    var over = n - max;
    var template = over > 0 ? counter.getAttribute("data-template-over") : counter.getAttribute("data-template");
    counter.textContent = template.replace("{n}", n).replace("{max}", max).replace("{over}", over);
    counter.classList.toggle("over", over > 0);
    text.setAttribute("aria-invalid", over > 0 ? "true" : "false");
  }
  text.addEventListener("input", update);
  update();
})();
