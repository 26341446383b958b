// The operator console: look up the caller, suggest while typing (debounced), one key to act.
(function () {
  "use strict";
  var form = document.getElementById("call");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var msg = form.dataset;
  var number = $("number"), title = $("title"), text = $("text"), kind = $("kind");
  var timer = null, lastQuery = "", assistSeq = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }

  function caseLine(c) {
    var badge = el("span", { "class": "badge" + (c.open ? " warn" : ""), text: c.status });
    return el("li", {}, [
      el("strong", { text: c.tracking_number + " " }), document.createTextNode(c.title + " "), badge,
      el("span", { "class": "muted", text: " " + c.created + (c.department ? " · " + c.department : "") }),
    ]);
  }

  function lookUp() {
    $("call-error").textContent = "";
    getJSON(msg.callerUrl + "?number=" + encodeURIComponent(number.value)).then(function (res) {
      var history = $("history");
      history.replaceChildren();
      if (!res.ok) { $("caller-status").textContent = ""; $("call-error").textContent = res.body.error; number.focus(); return; }
      $("call_token").value = res.body.token;
      number.value = res.body.number;
      $("caller-status").textContent = res.body.repeat_caller ? msg.msgRepeat : msg.msgFirst;
      res.body.history.forEach(function (c) { history.appendChild(caseLine(c)); });
      title.focus();
    }).catch(function () { $("call-error").textContent = msg.msgError; });
  }

  function choose(select, value) {
    if (value && !select.dataset.touched) select.value = value;
  }

  function showAssist(body) {
    var box = $("suggested");
    box.replaceChildren();
    body.departments.forEach(function (d, i) {
      var input = el("input", { type: "radio", name: "suggested_department", value: d.id, id: "sugg-" + (i + 1) });
      input.addEventListener("change", function () { $("department").value = d.id; });
      box.appendChild(el("label", { "class": "choice", "for": "sugg-" + (i + 1) }, [
        input, el("kbd", { text: "Alt+" + (i + 1) }), document.createTextNode(" " + d.name),
      ]));
    });
    if (!body.departments.length) box.appendChild(el("p", { "class": "muted", text: msg.msgNone }));
    if (body.departments.length && !$("department").dataset.touched) {
      $("department").value = body.departments[0].id; $("sugg-1").checked = true;
    }
    choose($("category"), body.category && body.category.code);
    choose($("district"), body.district && body.district.code);
    var articles = $("articles");
    articles.replaceChildren();
    body.articles.forEach(function (a, i) {
      var input = el("input", { type: "radio", name: "article", value: a.id, id: "article-" + a.id });
      if (i === 0) input.checked = true;
      articles.appendChild(el("label", { "class": "choice", "for": "article-" + a.id }, [
        input, el("span", {}, [el("strong", { text: a.title }), el("small", { text: a.department + " · " + a.excerpt })]),
      ]));
    });
    if (!body.articles.length) articles.appendChild(el("p", { "class": "muted", text: msg.msgNoarticle }));
    var repeats = $("repeats");
    if (body.repeats.length) {
      repeats.hidden = false;
      repeats.textContent = msg.msgSame + " " + body.repeats.map(function (c) { return c.tracking_number + " " + c.title; }).join("; ");
      $("repeat_of").value = body.repeats[0].id;
    } else { repeats.hidden = true; $("repeat_of").value = ""; }
  }

  function assistSoon() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = "title=" + encodeURIComponent(title.value) + "&text=" + encodeURIComponent(text.value) +
        "&kind=" + encodeURIComponent(kind.value) + "&number=" + encodeURIComponent(number.value);
      if (q === lastQuery || !(title.value.trim() || text.value.trim())) return;
      lastQuery = q;
      var seq = ++assistSeq;
      getJSON(msg.assistUrl + "?" + q).then(function (res) {
        if (res.ok && seq === assistSeq) showAssist(res.body);
      }).catch(function () {});
    }, 450);
  }

  function submit(outcome) {
    clearTimeout(timer);
    var data = new FormData(form);
    data.set("outcome", outcome);
    $("call-error").textContent = "";
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { $("call-error").textContent = res.body.error; return; }
        var done = el("div", { "class": "done" }, [
          el("p", { text: res.body.message }),
          el("p", {}, [document.createTextNode(msg.msgCode + " "), el("code", { id: "done-secret", text: res.body.secret })]),
          el("p", {}, [el("a", { href: res.body.track_url, id: "done-link", text: res.body.tracking_number })]),
        ]);
        $("call-done").replaceChildren(done);
        reset();
      }).catch(function () { $("call-error").textContent = msg.msgError; });
  }

  function reset() {
    ["number", "title", "text", "call_token", "repeat_of"].forEach(function (id) { $(id).value = ""; });
    ["department", "category", "district"].forEach(function (id) { $(id).value = ""; delete $(id).dataset.touched; });
    kind.selectedIndex = 0;
    $("history").replaceChildren(); $("suggested").replaceChildren(); $("articles").replaceChildren();
    $("caller-status").textContent = ""; $("repeats").hidden = true; lastQuery = "";
    number.focus();
  }

  number.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); lookUp(); }
  });
  [title, text].forEach(function (input) { input.addEventListener("input", assistSoon); });
  kind.addEventListener("change", assistSoon);
  ["department", "category", "district"].forEach(function (id) {
    $(id).addEventListener("change", function () { $(id).dataset.touched = "1"; });
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    submit(e.submitter ? e.submitter.value : "dispatched");
  });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    var key = e.key.toLowerCase(), code = e.code;
    var digit = /^Digit([123])$/.exec(code);
    if (digit) {
      var pick = $("sugg-" + digit[1]);
      if (pick) { pick.checked = true; $("department").value = pick.value; $("department").dataset.touched = "1"; }
      e.preventDefault(); return;
    }
    var outcome = { KeyD: "dispatched", KeyT: "triage", KeyK: "answered" }[code] || { d: "dispatched", t: "triage", k: "answered" }[key];
    if (outcome) { e.preventDefault(); submit(outcome); }
  });
})();
