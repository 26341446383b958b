// The maps (issue 19): one file for every page that has a map; a file, not inline, because the CSP allows only 'self'.
// Storage is WGS-84. With MAPS_TILE_CRS=gcj02 (Chinese tile providers) points are shifted for display and
// a pin dropped on the map is shifted back before it is stored (the same formulas as portal/geo.py).
(function () {
  "use strict";
  if (!window.L) { return; }
  var A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lat, lng) { return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271); }
  function tLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    return r + (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
  }
  function tLng(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    return r + (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
  }
  function toGcj(lat, lng) {
    if (outOfChina(lat, lng)) { return [lat, lng]; }
    var dLat = tLat(lng - 105.0, lat - 35.0), dLng = tLng(lng - 105.0, lat - 35.0);
    var rad = lat / 180.0 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLng = (dLng * 180.0) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  function fromGcj(lat, lng) {
    var w = [lat, lng];
    for (var i = 0; i < 30; i++) { var g = toGcj(w[0], w[1]); w = [w[0] - (g[0] - lat), w[1] - (g[1] - lng)]; }
    return w;
  }

  // A map in ``el`` with the city's outlines and roads (offline) and, when configured, raster tiles.
  function cityMap(el) {
    var gcj = el.getAttribute("data-crs") === "gcj02";
    var view = function (lat, lng) { return gcj ? toGcj(lat, lng) : [lat, lng]; };
    var store = function (latlng) { return gcj ? fromGcj(latlng.lat, latlng.lng) : [latlng.lat, latlng.lng]; };
    var map = L.map(el, { scrollWheelZoom: false, keyboard: true });
    var bounds = JSON.parse(el.getAttribute("data-bounds"));
    map.fitBounds([view(bounds[0][0], bounds[0][1]), view(bounds[1][0], bounds[1][1])]);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) { L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "", maxZoom: 19 }).addTo(map); }
    var ready = fetch(el.getAttribute("data-city"), { headers: jsonHeaders() })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          coordsToLatLng: function (c) { var p = view(c[1], c[0]); return L.latLng(p[0], p[1]); },
          style: function (f) {
            return f.properties.kind === "road"
              ? { color: "#b0884b", weight: 3, opacity: 0.9 }
              : { color: "#3d6b8f", weight: 1.5, fillColor: "#dce9f2", fillOpacity: 0.45 };
          },
          onEachFeature: function (f, layer) {
            if (f.properties.kind === "district") {
              layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "district-label" });
            }
          },
          interactive: true
        }).addTo(map);
        el.setAttribute("data-layers", String(data.features.length));
        return map;
      });
    return { map: map, view: view, store: store, ready: ready };
  }
  // The API answers in the Accept-Language it is sent (third-party clients); the map speaks the page's language.
  function jsonHeaders() {
    return { Accept: "application/json", "Accept-Language": document.documentElement.lang || "zh-hans" };
  }
  function getJson(url) {
    return fetch(url, { headers: jsonHeaders(), credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  }
  function text(tag, value, cls) { var e = document.createElement(tag); e.textContent = value; if (cls) { e.className = cls; } return e; }

  // ---- the submit form: pin, district, nearby cases ----------------------------------------------------------
  var submitEl = document.getElementById("submit-map");
  if (submitEl) {
    var m = cityMap(submitEl);
    var latIn = document.getElementById("id_latitude"), lngIn = document.getElementById("id_longitude");
    var district = document.getElementById("id_district"), category = document.getElementById("id_category");
    var status = document.getElementById("map-status"), nearby = document.getElementById("nearby");
    var sameAs = document.querySelector("input[name=same_as]");
    var marker = null;
    function place(lat, lng, fromMap) {
      latIn.value = lat.toFixed(6); lngIn.value = lng.toFixed(6);
      var p = m.view(lat, lng);
      if (!marker) {
        marker = L.marker(p, { draggable: true, keyboard: true, title: submitEl.getAttribute("data-pin-title") }).addTo(m.map);
        marker.on("dragend", function () { var s = m.store(marker.getLatLng()); place(s[0], s[1], true); });
      } else { marker.setLatLng(p); }
      if (!fromMap) { m.map.setView(p, Math.max(m.map.getZoom(), 14)); }
      locate(lat, lng);
    }
    function locate(lat, lng) {
      var q = "?lat=" + lat.toFixed(6) + "&lng=" + lng.toFixed(6);
      getJson(submitEl.getAttribute("data-locate") + q).then(function (found) {
        if (found.district) {
          district.value = found.district;
          status.textContent = submitEl.getAttribute("data-in-district").replace("{name}", found.district_name);
        } else {
          status.textContent = submitEl.getAttribute("data-outside");
        }
      });
      var c = category && category.value ? "&category=" + encodeURIComponent(category.value) : "";
      getJson(submitEl.getAttribute("data-nearby") + q + c).then(showNearby);
    }
    function showNearby(cases) {
      nearby.replaceChildren();
      sameAs.value = "";
      if (!cases.length) { nearby.hidden = true; return; }
      nearby.hidden = false;
      var fs = document.createElement("fieldset");
      fs.appendChild(text("legend", submitEl.getAttribute("data-nearby-title")));
      fs.appendChild(text("p", submitEl.getAttribute("data-nearby-help"), "help"));
      var none = document.createElement("label"); none.className = "choice nearby-case";
      var r0 = document.createElement("input"); r0.type = "radio"; r0.name = "nearby_choice"; r0.value = ""; r0.checked = true;
      none.appendChild(r0); none.appendChild(document.createTextNode(" " + submitEl.getAttribute("data-nearby-none")));
      cases.forEach(function (c) {
        var l = document.createElement("label"); l.className = "choice nearby-case";
        var r = document.createElement("input"); r.type = "radio"; r.name = "nearby_choice"; r.value = c.token;
        l.appendChild(r);
        var what = c.title.indexOf(c.category) < 0 ? c.title + " — " + c.category : c.title;
        l.appendChild(document.createTextNode(" " + what + ", " + c.status + ", " + c.submitted_on + " · "));
        l.appendChild(text("span", submitEl.getAttribute("data-metres").replace("{m}", c.distance_m), "muted"));
        fs.appendChild(l);
      });
      fs.appendChild(none);
      fs.addEventListener("change", function (e) { sameAs.value = e.target.value; });
      nearby.appendChild(fs);
    }
    m.map.on("click", function (e) { var s = m.store(e.latlng); place(s[0], s[1], true); });
    [latIn, lngIn].forEach(function (input) {
      input.addEventListener("change", function () {
        var lat = parseFloat(latIn.value), lng = parseFloat(lngIn.value);
        if (isFinite(lat) && isFinite(lng)) { place(lat, lng, false); }
      });
    });
    if (category) { category.addEventListener("change", function () { if (marker) { locate(parseFloat(latIn.value), parseFloat(lngIn.value)); } }); }
    var locateButton = document.getElementById("use-location");
    if (navigator.geolocation && locateButton) {
      locateButton.hidden = false;
      locateButton.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) { place(pos.coords.latitude, pos.coords.longitude, false); });
      });
    }
    if (latIn.value && lngIn.value) { place(parseFloat(latIn.value), parseFloat(lngIn.value), false); }
    window.minshengSubmitMap = { map: m.map, place: place };
  }

  // ---- hot spots (supervisors) ------------------------------------------------------------------------------
  var hotEl = document.getElementById("hotspot-map");
  if (hotEl) {
    var h = cityMap(hotEl);
    var table = document.getElementById("hotspot-cells");
    getJson(hotEl.getAttribute("data-source")).then(function (data) {
      var max = 1;
      data.cells.forEach(function (c) { max = Math.max(max, c.open); });
      var top = data.cells.slice().sort(function (a, b) { return b.overdue - a.overdue || b.open - a.open; }).slice(0, 15);
      data.cells.forEach(function (c) {
        var sw = h.view(c.south, c.west), ne = h.view(c.south + c.size, c.west + c.size);
        var url = hotEl.getAttribute("data-cases") + "?south=" + c.south + "&west=" + c.west + "&size=" + c.size;
        var rect = L.rectangle([sw, ne], {
          weight: c.overdue ? 2 : 0.5, color: c.overdue ? "#b3261e" : "#7a5b00",
          fillColor: "#d9822b", fillOpacity: 0.15 + 0.6 * c.open / max
        }).addTo(h.map);
        rect.bindPopup(hotEl.getAttribute("data-cell-label").replace("{open}", c.open).replace("{overdue}", c.overdue) +
          ' <a href="' + url + '">' + hotEl.getAttribute("data-open-cases") + "</a>");
      });
      data.alerts.forEach(function (a) {
        L.circleMarker(h.view(a.lat, a.lng), { radius: 8 + Math.min(a.count, 20), color: "#6a1b9a", weight: 3, fillOpacity: 0.2 })
          .addTo(h.map).bindPopup(hotEl.getAttribute("data-alert-label").replace("{count}", a.count) +
            ' <a href="' + hotEl.getAttribute("data-alert-url").replace("0", a.alert) + '">#' + a.alert + "</a>");
      });
      top.forEach(function (c) {
        var tr = document.createElement("tr");
        var a = document.createElement("a");
        a.href = hotEl.getAttribute("data-cases") + "?south=" + c.south + "&west=" + c.west + "&size=" + c.size;
        a.textContent = c.south.toFixed(3) + ", " + c.west.toFixed(3);
        var td = document.createElement("td"); td.appendChild(a); tr.appendChild(td);
        tr.appendChild(text("td", String(c.open), "num")); tr.appendChild(text("td", String(c.overdue), "num"));
        table.appendChild(tr);
      });
      hotEl.setAttribute("data-cells", String(data.cells.length));
    });
  }

  // ---- the public board's map -------------------------------------------------------------------------------
  var boardEl = document.getElementById("board-map");
  if (boardEl) {
    var b = cityMap(boardEl);
    getJson(boardEl.getAttribute("data-source")).then(function (points) {
      points.forEach(function (p) {
        var link = document.createElement("a");
        link.href = boardEl.getAttribute("data-detail").replace("NUMBER", encodeURIComponent(p.tracking_number));
        link.textContent = p.title;
        L.circleMarker(b.view(p.lat, p.lng), { radius: 7, color: "#1f6f43", fillOpacity: 0.6 }).addTo(b.map).bindPopup(link);
      });
      boardEl.setAttribute("data-points", String(points.length));
    });
  }

  // ---- the staff case page: one point --------------------------------------------------------------------
  var caseEl = document.getElementById("case-map");
  if (caseEl) {
    var c = cityMap(caseEl);
    var p = c.view(parseFloat(caseEl.getAttribute("data-lat")), parseFloat(caseEl.getAttribute("data-lng")));
    L.marker(p, { keyboard: false }).addTo(c.map);
    c.map.setView(p, 13);  // close enough to see the street, far enough to see the roads around it
  }
})();
