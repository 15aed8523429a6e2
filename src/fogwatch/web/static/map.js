// fogwatch map: Leaflet over Natural Earth country outlines (vendored; no tile server, works offline).
// The markers come from the page's JSON data block (#map-data); each one sits at its place and is a link
// to its event. Nearby markers cluster; a cluster opens on click (zoom, or spread at the deepest zoom).
"use strict";

(function () {
  const KIND = { ASSAULT: "red", KILL: "red", CEASEFIRE: "green", AGREE: "green", EVACUATE: "blue", AID: "blue" };

  function markerIcon(m) {
    const link = document.createElement("a");
    link.href = "/events/" + encodeURIComponent(m.id);
    link.className = "marker mk-" + (KIND[m.type] || "grey") + (m.coarse ? " coarse" : "");
    link.dataset.event = String(m.id);
    link.title = m.type + " · " + m.when + " · " + m.place;
    link.setAttribute("aria-label", link.title);
    return L.divIcon({ html: link, className: "mk-wrap", iconSize: [16, 16], iconAnchor: [8, 8] });
  }

  function unwrap(ring) {
    for (let i = 1; i < ring.length; i++) {
      const jump = ring[i][0] - ring[i - 1][0];
      if (jump > 180) ring[i][0] -= 360;
      else if (jump < -180) ring[i][0] += 360;
    }
  }

  function eachRing(geometry, fn) {
    if (!geometry) return;
    if (geometry.type === "Polygon") geometry.coordinates.forEach(fn);
    else if (geometry.type === "MultiPolygon") geometry.coordinates.forEach((poly) => poly.forEach(fn));
  }

  function drawOutlines(map, url) {
    return fetch(url)
      .then((r) => r.json())
      .then((topo) => {
        const land = topojson.feature(topo, topo.objects.countries);
        // Antarctica is left out (no stripe along the map's foot); rings crossing the antimeridian
        // (Russia, Fiji) are unwrapped so that a flat map draws no line across the world.
        land.features = land.features.filter((f) => f.properties.name !== "Antarctica");
        land.features.forEach((f) => eachRing(f.geometry, unwrap));
        L.geoJSON(land, {
          interactive: false,
          style: { color: "#8c9aa8", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
        }).addTo(map);
        document.getElementById("map").dataset.outlinesDrawn = String(land.features.length);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("map");
    const data = document.getElementById("map-data");
    if (!el || !data || typeof L === "undefined") return;
    const markers = JSON.parse(data.textContent);
    const map = L.map(el, { worldCopyJump: false, minZoom: 1, maxZoom: 12, zoomSnap: 0.5, attributionControl: true });
    el.fogwatchMap = map; // for the browser tests and the console: the page holds no other global
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Outlines: Natural Earth");
    map.getContainer().style.background = "#dfe9f3";
    const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true });
    markers.forEach((m) => {
      const marker = L.marker([m.lat, m.lon], { icon: markerIcon(m), keyboard: false, title: "" });
      marker.on("click", () => { window.location.href = "/events/" + encodeURIComponent(m.id); });
      clusters.addLayer(marker);
    });
    if (markers.length) {
      const bounds = L.latLngBounds(markers.map((m) => [m.lat, m.lon]));
      map.fitBounds(bounds.pad(0.3), { maxZoom: 7 });
    } else {
      map.setView([20, 0], 1.5);
    }
    drawOutlines(map, el.dataset.outlines)
      .catch(() => { el.dataset.outlinesDrawn = "0"; })
      .finally(() => {
        clusters.addTo(map);
        el.dataset.ready = "1";
      });
  });
})();
