// The staff case page: insert a reply template into the reply, where it is then edited.
(function () {
  var reply = document.querySelector("#action-reply textarea[name=text]");
  if (!reply) { return; }
  document.querySelectorAll(".insert-template").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-template-id")).textContent;
      var start = reply.selectionStart, end = reply.selectionEnd;
      reply.value = reply.value.slice(0, start) + text + reply.value.slice(end);
      reply.focus();
      reply.setSelectionRange(start, start + text.length);
    });
  });
})();
