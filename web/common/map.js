// The map of both sites: Leaflet (from npm, served at /vendor/leaflet/), points and
// clusters computed by the server for the visible box and zoom, and a plain background with
// region outlines drawn beneath the tiles, so that with no tile server reachable the map
// still shows France, its regions and the points: never a blank grey box.
import * as L from '/vendor/leaflet/leaflet-src.esm.js';

export { L };

const kFrance = [[41.2, -5.3], [51.2, 9.7]];

let outlineCache = new Map();
export function LoadOutlines(url = '/generated/regions.geojson') {
  if (!outlineCache.has(url)) {
    outlineCache.set(url, fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return outlineCache.get(url);
}

// The bounds of one region's outline (features carry `properties.code`), or null.
export function RegionBounds(outlines, code) {
  const feature = outlines?.features?.find((f) => f.properties?.code === code);
  return feature ? L.geoJSON(feature).getBounds() : null;
}

// options: {tileUrl, tileAttribution, outlinesUrl, label, focusRegion}
// Returns {map, outlines (the GeoJSON data or null)}.
export async function CreateMap(element, options = {}) {
  element.classList.add('map');
  const map = L.map(element, { zoomSnap: 0.5, attributionControl: true });
  map.fitBounds(kFrance);
  map.createPane('outlines');
  map.getPane('outlines').style.zIndex = 150;  // beneath tiles (200) and points (400+)
  const outlines = await LoadOutlines(options.outlinesUrl);
  if (outlines) {
    L.geoJSON(outlines, {
      pane: 'outlines', interactive: false,
      // The region in focus (a node's own) stands out from its neighbours.
      style: (feature) => ({
        color: '#8d99a6', weight: 1, fillOpacity: 1,
        fillColor: !options.focusRegion || feature.properties?.code === options.focusRegion ? '#f4f1e8' : '#e4e7ea',
      }),
    }).addTo(map);
    const focus = options.focusRegion && RegionBounds(outlines, options.focusRegion);
    if (focus) map.fitBounds(focus, { padding: [10, 10], animate: false });
  }
  if (options.tileUrl) {
    L.tileLayer(options.tileUrl, { attribution: options.tileAttribution ?? '', maxZoom: 18 }).addTo(map);
  }
  element.setAttribute('role', 'region');
  element.setAttribute('aria-label', options.label ?? 'Carte');
  return { map, outlines };
}

// Draws server clusters: [{latitude, longitude, count, id?, name?}]. A single point opens its
// page through `linkFor(point)`; a cluster zooms in. Both are focusable and answer Enter.
// `clusterLabel(count)` names a cluster for assistive technologies.
export function DrawClusters(map, layer, clusters, { linkFor, clusterLabel = (n) => `${n}` }) {
  layer.clearLayers();
  for (const c of clusters) {
    let marker;
    if (c.count === 1 && c.id) {
      const icon = L.divIcon({ className: 'point-marker', iconSize: [18, 18] });
      marker = L.marker([c.latitude, c.longitude], { icon, keyboard: true, title: c.name ?? '' });
      const open = () => { location.href = linkFor(c); };
      marker.on('click', open);
      marker.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') open(); });
    } else {
      const size = 28 + Math.min(30, Math.log2(c.count) * 5);
      const icon = L.divIcon({ className: 'cluster', iconSize: [size, size], html: `<span>${Number(c.count)}</span>` });
      marker = L.marker([c.latitude, c.longitude], { icon, keyboard: true, title: clusterLabel(c.count) });
      const zoom = () => {
        if (Array.isArray(c.bounds) && c.bounds[0] !== c.bounds[2]) {
          map.fitBounds([[c.bounds[1], c.bounds[0]], [c.bounds[3], c.bounds[2]]], { maxZoom: 18, padding: [20, 20] });
        } else {
          map.setView([c.latitude, c.longitude], Math.min(map.getZoom() + 2, 18));
        }
      };
      marker.on('click', zoom);
      marker.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') zoom(); });
    }
    marker.addTo(layer);
  }
}

// "minLon,minLat,maxLon,maxLat" of the visible map (the APIs' bbox, Leaflet's toBBoxString order).
export function BoundingBox(map) {
  const b = map.getBounds();
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
    clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(5)).join(',');
}
