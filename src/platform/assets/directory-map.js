// The service directory's map: the located facilities listed on the page, as markers on the tiles the
// deployment configured. The page says everything without it (the list has each place and coordinates);
// the map only shows where. Reads its settings and markers from <script type="application/json" id="facility-map-data">.
(function () {
  'use strict';
  var data = document.getElementById('facility-map-data');
  var box = document.getElementById('facility-map');
  if (!data || !box || typeof L === 'undefined') return;
  var settings = JSON.parse(data.textContent || '{}');
  var markers = Array.isArray(settings.markers) ? settings.markers : [];
  if (markers.length === 0 || typeof settings.tileUrl !== 'string') return;

  // Leaflet writes the attribution as HTML; ours is text.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(settings.tileUrl, { attribution: escapeHtml(settings.attribution || ''), maxZoom: 19 }).addTo(map);
  var points = [];
  markers.forEach(function (marker) {
    var point = [marker.lat, marker.lon];
    var link = document.createElement('a');
    link.href = marker.href;
    link.textContent = marker.name;
    L.circleMarker(point, { radius: 8, color: '#7a0f12', weight: 2, fillColor: '#a4161a', fillOpacity: 0.75 })
      .bindPopup(link)
      .bindTooltip(marker.name)
      .addTo(map);
    points.push(point);
  });
  if (points.length === 1) map.setView(points[0], 16);
  else map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
})();
