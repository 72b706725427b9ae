// The map of both sites: Leaflet (from npm, served at /vendor/leaflet/), points and
// clusters computed by the server for the visible box and zoom, and a plain background with
// region outlines drawn beneath the tiles, so that with no tile server reachable the map
// still shows France, its regions and the points: never a blank grey box.
import * as L from '/vendor/leaflet/leaflet-src.esm.js';

export { L };

const kFrance = [[41.2, -5.3], [51.2, 9.7]];

// options: {tileUrl, tileAttribution, outlinesUrl, label}
export async function CreateMap(element, options = {}) {
  element.classList.add('map');
  const map = L.map(element, { zoomSnap: 0.5, attributionControl: true });
  map.fitBounds(kFrance);
  map.createPane('outlines');
  map.getPane('outlines').style.zIndex = 150;  // beneath tiles (200) and points (400+)
  const outlines = await fetch(options.outlinesUrl ?? '/generated/regions.geojson')
    .then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (outlines) {
    L.geoJSON(outlines, {
      pane: 'outlines', interactive: false,
      style: { color: '#5b6b7a', weight: 1, fillColor: '#f4f1e8', fillOpacity: 1 },
    }).addTo(map);
  }
  if (options.tileUrl) {
    L.tileLayer(options.tileUrl, { attribution: options.tileAttribution ?? '', maxZoom: 18 }).addTo(map);
  }
  element.setAttribute('role', 'region');
  element.setAttribute('aria-label', options.label ?? 'Carte');
  return map;
}

// Draws server clusters: [{latitude, longitude, count, id?, name?}]. A single point links to
// its page through `linkFor(point)`; a cluster zooms in when activated.
export function DrawClusters(map, layer, clusters, linkFor) {
  layer.clearLayers();
  for (const c of clusters) {
    if (c.count === 1 && c.id) {
      const marker = L.circleMarker([c.latitude, c.longitude], {
        radius: 7, color: '#0b5d3b', weight: 2, fillColor: '#1f9d6b', fillOpacity: 0.9,
      });
      marker.bindTooltip(c.name ?? '');
      marker.on('click', () => { location.href = linkFor(c); });
      marker.addTo(layer);
    } else {
      const size = 26 + Math.min(30, Math.log2(c.count) * 5);
      const icon = L.divIcon({
        className: 'cluster', iconSize: [size, size],
        html: `<span>${c.count}</span>`,
      });
      const marker = L.marker([c.latitude, c.longitude], { icon, keyboard: true, title: `${c.count}` });
      marker.on('click', () => map.setView([c.latitude, c.longitude], Math.min(map.getZoom() + 2, 18)));
      marker.addTo(layer);
    }
  }
}

// "south,west,north,east" of the visible map.
export function BoundingBox(map) {
  const b = map.getBounds();
  return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((v) => v.toFixed(5)).join(',');
}
