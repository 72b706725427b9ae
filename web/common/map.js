// The map of both sites: Leaflet (from npm, served at /vendor/leaflet/), points and
// clusters computed by the server for the visible box and zoom, and a plain background with
// region outlines drawn beneath the tiles, so that with no tile server reachable the map
// still shows France, its regions and the points: never a blank grey box.
import * as L from '/vendor/leaflet/leaflet-src.esm.js';
import { h } from './dom.js';
import { AddMessages, Escape, T } from './i18n.js';
import { LoadReferential } from './referential.js';
import { IsApproximate, RememberSearch } from './record.js';

export { L };

// Every control of the map in the page's language (Leaflet's own texts are English).
AddMessages({
  'map.zoom_in': { fr: 'Zoom avant', en: 'Zoom in' },
  'map.zoom_out': { fr: 'Zoom arrière', en: 'Zoom out' },
  'map.leaflet': { fr: 'Une bibliothèque JavaScript de cartes interactives', en: 'A JavaScript library for interactive maps' },
  'map.popup.close': { fr: 'Fermer l\'aperçu', en: 'Close the preview' },
  'map.card.open': { fr: 'Voir la fiche', en: 'See the record' },
  'map.card.open.label': { fr: 'Voir la fiche de {name}', en: 'See the record of {name}' },
  'map.card.open.label.new_tab': { fr: 'Voir la fiche de {name} (nouvel onglet)', en: 'See the record of {name} (new tab)' },
  'map.approximate': { fr: 'Position approximative (centre de la commune)', en: 'Approximate position (centre of the commune)' },
  'map.point.to_confirm': { fr: '{name} (à confirmer)', en: '{name} (to be confirmed)' },
  'map.point.approximate': { fr: '{name} (position approximative)', en: '{name} (approximate position)' },
  'map.legend': { fr: 'Légende de la carte', en: 'Map legend' },
  'map.legend.fresh': { fr: 'Initiative à jour', en: 'Up-to-date initiative' },
  'map.legend.to_confirm': { fr: 'À confirmer (fiche non confirmée depuis un an)', en: 'To be confirmed (record not confirmed for a year)' },
  'map.legend.approximate': { fr: 'Position approximative (centre de la commune)', en: 'Approximate position (centre of the commune)' },
  'map.legend.cluster': { fr: 'Plusieurs initiatives : zoomer', en: 'Several initiatives: zoom in' },
});

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
  const map = L.map(element, { zoomSnap: 0.5, zoomControl: false, attributionControl: false });
  L.control.zoom({ zoomInTitle: T('map.zoom_in'), zoomOutTitle: T('map.zoom_out') }).addTo(map);
  // Leaflet's prefix without its flag, its title translated (the prefix is HTML: escaped).
  L.control.attribution({
    prefix: `<a href="https://leafletjs.com" title="${Escape(T('map.leaflet'))}">Leaflet</a>`,
  }).addTo(map);
  map.on('popupopen', (e) => {
    e.popup.getElement()?.querySelector('.leaflet-popup-close-button')?.setAttribute('aria-label', T('map.popup.close'));
  });
  // Escape closes a card from inside it too (Leaflet listens only while the map has the focus).
  element.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && e.target instanceof Element && e.target.closest('.leaflet-popup')) map.closePopup();
  });
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

// A point's marker: a round marker when fresh, a hatched diamond when "à confirmer" (shape
// and pattern, not colour alone), with a dashed ring when its position is approximate (the
// commune's point rather than the initiative's own: location_precision "commune" or
// "approximate"; absent reads as "placed": record.js IsApproximate).
export function PointIcon({ freshness, location_precision: precision } = {}) {
  const classes = ['point-marker'];
  if (freshness === 'to_confirm') classes.push('stale');
  if (IsApproximate(precision)) classes.push('approximate');
  return L.divIcon({ className: classes.join(' '), iconSize: [18, 18] });
}

// The title (accessible name) of a point: its name, and what its marker's look says.
function PointTitle(c) {
  let title = c.name ?? '';
  if (c.freshness === 'to_confirm') title = T('map.point.to_confirm', { name: title });
  if (IsApproximate(c.location_precision)) title = T('map.point.approximate', { name: title });
  return title;
}

let labels = null;  // the referential's labels, for the cards (loaded once, cached)

// The preview card of a single point: name, family, commune, freshness, its page's link (in
// a new tab with `newTab`).
export function PointCard(c, link, { newTab = false } = {}) {
  const family = labels?.Label('families', c.family) ?? c.family;
  return h('div', { class: 'point-card' },
    h('p', { class: 'point-card-name', text: c.name ?? '' }),
    h('p', { class: 'meta', text: [family, c.commune_name].filter(Boolean).join(' · ') }),
    c.freshness ? h('p', {}, h('span', {
      class: `badge ${c.freshness === 'to_confirm' ? 'warning' : ''}`, text: T(`freshness.${c.freshness}`),
    })) : null,
    IsApproximate(c.location_precision) ? h('p', { class: 'meta', text: T('map.approximate') }) : null,
    h('p', {}, h('a', {
      href: link, text: T('map.card.open'), ...(newTab ? { target: '_blank', rel: 'noopener' } : {}),
      'aria-label': T(newTab ? 'map.card.open.label.new_tab' : 'map.card.open.label', { name: c.name ?? '' }),
    })));
}

// The map's legend, once per map, right under it (over the map it would hide points, on a
// phone most of all): the three kinds of markers and the clusters.
function AddLegend(map) {
  if (map.legend) return;
  const item = (className, key) => h('li', {}, h('span', { class: `legend-marker ${className}`, 'aria-hidden': 'true' }), T(key));
  map.legend = h('ul', { class: 'map-legend', 'aria-label': T('map.legend') },
    item('point', 'map.legend.fresh'),
    item('point stale', 'map.legend.to_confirm'),
    item('point approximate', 'map.legend.approximate'),
    item('cluster-sample', 'map.legend.cluster'));
  map.getContainer().after(map.legend);
}

// Draws server clusters: [{latitude, longitude, count, id?, name?, family?, commune_name?,
// freshness?, location_precision?}]. A single point opens its preview card (a popup, on click
// or Enter) with a link to its page `linkFor(point)`, without leaving the map; a cluster zooms
// in. Both are focusable and answer Enter. `clusterLabel(count)` names a cluster for assistive
// technologies; `newTab`: the cards' links open a new tab. A point whose card is open, or that has the focus, stays as it is through the
// redraws that follow moves of the map (the card's own panning among them).
export function DrawClusters(map, layer, clusters, { linkFor, clusterLabel = (n) => `${n}`, newTab = false }) {
  if (!labels) LoadReferential().then((r) => { labels = r; }).catch(() => {});
  AddLegend(map);
  RememberSearch();
  // Kept: the points still drawn whose card is open or that have the focus (moving the focus
  // to a point pans the map to it, which redraws).
  const points = new Set(clusters.filter((c) => c.count === 1 && c.id).map((c) => c.id));
  const kept = new Set();
  for (const m of layer.getLayers()) {
    const active = m.isPopupOpen?.() || (m.getElement() && m.getElement() === document.activeElement);
    if (m.point && active && points.has(m.point.id)) kept.add(m.point.id);
    else layer.removeLayer(m);
  }
  for (const c of clusters) {
    let marker;
    if (c.count === 1 && c.id) {
      if (kept.has(c.id)) continue;
      marker = L.marker([c.latitude, c.longitude], { icon: PointIcon(c), keyboard: true, title: PointTitle(c) });
      marker.point = c;
      // Leaflet opens a bound popup on click and on Enter; the card is built when it opens.
      marker.bindPopup(() => PointCard(c, linkFor(c), { newTab }), { maxWidth: 260, minWidth: 180 });
      marker.on('popupopen', (e) => {
        // Opened from the keyboard: the focus goes into the card, and back to the point after.
        if (document.activeElement === marker.getElement()) {
          e.popup.getElement()?.querySelector('.point-card a')?.focus({ preventScroll: true });
        }
      });
      marker.on('popupclose', (e) => {
        if (e.popup.getElement()?.contains(document.activeElement)) marker.getElement()?.focus({ preventScroll: true });
      });
    } else {
      // At most 58 pixels: node and hub keep markers 60 pixels apart (core/map_clusters.h).
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
