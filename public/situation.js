// Lägesbild map: hexagon cells coloured by Gi* class (or by trend), a KDE heat layer and
// clustered markers for the reports, over the page's server-rendered data. The tables,
// filters and meeting forms work without this script; it only draws the map.
//
// Data: <script id="situation-data"> (the analysis) and <script id="situation-settings">
// (tiles and start view). Markers come from the URL in the map's data-points, loaded
// when the layer is first switched on. The map works without tiles (offline, no net).
(function () {
  'use strict';

  var CLASS_COLOURS = { '3': '#b2182b', '2': '#ef8a62', '1': '#fddbc7', '0': '#bdbdbd',
    '-1': '#d1e5f0', '-2': '#67a9cf', '-3': '#2166ac' };
  var TREND_COLOURS = { new: '#6a3d9a', intensifying: '#e31a1c', persistent: '#ff7f00',
    diminishing: '#33a02c', sporadic: '#fb9a99' };
  var sv = (document.documentElement.lang || 'sv') !== 'en';
  function t(svText, enText) { return sv ? svText : enText; }

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function aggregatedColour(count, max) {
    var share = max > 3 ? (count - 3) / (max - 3) : 1;
    var light = Math.round(85 - share * 55);
    return 'hsl(200, 70%, ' + light + '%)';
  }

  function start() {
    var element = document.getElementById('situation-map');
    if (!element || !window.L || element.dataset.ready) return;
    var data = readJson('situation-data');
    var settings = readJson('situation-settings') || {};
    var map = L.map(element, { preferCanvas: true })
      .setView([settings.center_lat || 59.5, settings.center_lng || 17.69], settings.zoom || 12);
    if (settings.tile_url) {
      L.tileLayer(settings.tile_url, { attribution: settings.tile_attribution, maxZoom: 19 }).addTo(map);
    }

    var maxCount = data.cells.reduce(function (m, c) { return Math.max(m, c.count); }, 0);
    var polygons = {};
    var hexLayer = L.featureGroup();
    data.cells.forEach(function (cell) {
      var polygon = L.polygon(cell.boundary, { weight: 0.6, color: '#555', fillOpacity: 0.6 });
      var text = cell.count + ' ' + t('rapporter', 'reports');
      if (!data.aggregated) {
        text += ' · z = ' + (cell.z || 0).toFixed(2) + ' · ' + t('före', 'before') + ': ' + cell.previous;
        if (cell.trend) text += ' · ' + cell.trend;
      }
      polygon.bindTooltip(text);
      polygon.cell = cell;
      polygons[cell.h3] = polygon;
      hexLayer.addLayer(polygon);
    });
    function colourHexes(byTrend) {
      Object.keys(polygons).forEach(function (h3) {
        var cell = polygons[h3].cell;
        var colour = data.aggregated ? aggregatedColour(cell.count, maxCount)
          : byTrend ? (TREND_COLOURS[cell.trend] || '#eeeeee')
          : CLASS_COLOURS[String(cell.class)];
        polygons[h3].setStyle({ fillColor: colour });
      });
      element.dataset.colouring = byTrend ? 'trend' : 'class';
    }
    colourHexes(false);
    hexLayer.addTo(map);
    if (data.cells.length) map.fitBounds(hexLayer.getBounds(), { maxZoom: 15 });

    var heatLayer = null;
    var markerLayer = null;
    var markersLoaded = null;

    function toggle(id, on, off) {
      var box = document.getElementById(id);
      if (!box) return;
      var apply = function () { (box.checked ? on : off)(); };
      box.addEventListener('change', apply);
      apply();
    }
    toggle('layer-hex', function () { map.addLayer(hexLayer); element.dataset.hex = 'on'; },
      function () { map.removeLayer(hexLayer); element.dataset.hex = 'off'; });
    toggle('layer-trend', function () { colourHexes(true); }, function () { colourHexes(false); });
    toggle('layer-heat', function () {
      if (!heatLayer && L.heatLayer) {
        heatLayer = L.heatLayer(data.heat, { radius: 20, blur: 15, max: 1, minOpacity: 0.25 });
      }
      if (heatLayer) { map.addLayer(heatLayer); element.dataset.heat = 'on'; }
    }, function () {
      if (heatLayer) map.removeLayer(heatLayer);
      element.dataset.heat = 'off';
    });

    function loadPoints() {
      if (!markersLoaded) {
        element.dataset.markers = 'loading';
        markersLoaded = fetch(element.dataset.points, { credentials: 'same-origin' })
          .then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          });
      }
      return markersLoaded;
    }
    toggle('layer-markers', function () {
      loadPoints().then(function (points) {
        if (!markerLayer) {
          markerLayer = L.markerClusterGroup ? L.markerClusterGroup() : L.featureGroup();
          points.forEach(function (p) {
            markerLayer.addLayer(L.marker([p.lat, p.lng], { title: p.category }));
          });
        }
        var box = document.getElementById('layer-markers');
        if (box && box.checked) { map.addLayer(markerLayer); element.dataset.markers = 'on'; }
      }).catch(function () {
        element.dataset.markers = 'error';
        showDrill(t('Rapporterna kunde inte hämtas. Försök igen.', 'The reports could not be fetched. Try again.'));
        markersLoaded = null;
      });
    }, function () {
      if (markerLayer) map.removeLayer(markerLayer);
      if (element.dataset.points) element.dataset.markers = 'off';
    });

    function showDrill(message, items) {
      var box = document.getElementById('drilldown');
      if (!box) return;
      box.textContent = '';
      var p = document.createElement('p');
      p.textContent = message;
      box.appendChild(p);
      if (!items) return;
      var list = document.createElement('ul');
      list.className = 'drill-list';
      items.forEach(function (text) {
        var li = document.createElement('li');
        li.textContent = text;
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    document.querySelectorAll('button.drill').forEach(function (button) {
      button.addEventListener('click', function () {
        var h3 = button.dataset.h3;
        if (polygons[h3]) map.fitBounds(polygons[h3].getBounds(), { maxZoom: 16 });
        showDrill(t('Hämtar rapporter…', 'Fetching reports…'));
        loadPoints().then(function (points) {
          var inCell = points.filter(function (p) { return p.h3 === h3; });
          var items = inCell.map(function (p) {
            var at = new Date(p.observed_at).toLocaleString(sv ? 'sv-SE' : 'en-GB', { timeZone: 'Europe/Stockholm' });
            return at + ' · ' + p.category + ' · ' + t('strategiområde ', 'strategy area ') + p.strategy_area;
          });
          showDrill(inCell.length + ' ' + t('rapporter i cellen', 'reports in the cell'), items);
        }).catch(function () {
          showDrill(t('Rapporterna kunde inte hämtas. Försök igen.', 'The reports could not be fetched. Try again.'));
          markersLoaded = null;
        });
      });
    });
    element.dataset.cells = String(data.cells.length);
    element.dataset.ready = '1';
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
