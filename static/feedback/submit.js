// The intake form's small helpers; a file, not inline, because the CSP allows only script-src 'self'.
(function () {
  var form = document.querySelector(".intake-form");
  var button = document.getElementById("submit-button");
  var website = document.getElementById("id_website");
  if (website) { website.setAttribute("tabindex", "-1"); website.setAttribute("autocomplete", "off"); }
  // One click, one submission (the server also ignores a repeat of the same form).
  form.addEventListener("submit", function () { setTimeout(function () { button.disabled = true; }, 0); });
  var locate = document.getElementById("use-location");
  if (navigator.geolocation && locate) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      });
    });
  }
})();
