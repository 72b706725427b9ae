// Places for the search of both sites: the place box (a combobox over the service's
// /api/places: communes, postcodes, departments, regions), the browser's position ("autour
// de moi"), a department's outline drawn on the map, distances as people read them, and the
// place names drawn on the plain background so that the map reads without a tile server.
import { Get, Query } from './api.js';
import { h, Replace } from './dom.js';
import { AddMessages, Language, T } from './i18n.js';
import { L } from './map.js';

AddMessages({
  'place.label': { fr: 'Commune, code postal ou département', en: 'Town, postcode or department' },
  'place.hint': { fr: 'Ex. : Marseille, 13001, Var ou 83', en: 'E.g. Marseille, 13001, Var or 83' },
  'place.options': { fr: 'Lieux proposés', en: 'Suggested places' },
  'place.count': { fr: '{count} lieu(x) proposé(s)', en: '{count} place(s) suggested' },
  'place.none': { fr: 'Aucun lieu ne correspond à « {text} ».', en: 'No place matches “{text}”.' },
  'place.kind.commune': { fr: 'commune', en: 'town' },
  'place.kind.department': { fr: 'département', en: 'department' },
  'place.kind.region': { fr: 'région', en: 'region' },
  'place.approximate': { fr: 'position approchée', en: 'approximate position' },
  'place.near_me': { fr: 'Autour de moi', en: 'Near me' },
  'place.my_position': { fr: 'Ma position', en: 'My position' },
  'place.locating': { fr: 'Recherche de votre position…', en: 'Finding your position…' },
  'place.located': { fr: 'Initiatives classées de la plus proche à la plus lointaine de votre position.', en: 'Initiatives from the nearest to the farthest from your position.' },
  'place.denied': {
    fr: 'La localisation n\'a pas été autorisée : saisissez plutôt une commune ou un code postal.',
    en: 'Location was not allowed: type a town or a postcode instead.',
  },
  'place.unavailable': {
    fr: 'Votre position n\'a pas pu être déterminée : saisissez plutôt une commune ou un code postal.',
    en: 'Your position could not be found: type a town or a postcode instead.',
  },
  'place.sorted': { fr: 'Initiatives classées de la plus proche à la plus lointaine de {name}.', en: 'Initiatives from the nearest to the farthest from {name}.' },
  'place.distance': { fr: 'à {distance}', en: '{distance} away' },
  'place.radius': { fr: 'Dans un rayon de', en: 'Within' },
});

// "850 m", "3,2 km", "27 km" (French decimal comma in French).
export function FormatDistance(metres) {
  const locale = Language() === 'en' ? 'en-GB' : 'fr-FR';
  if (metres < 1000) return `${new Intl.NumberFormat(locale).format(Math.max(10, Math.round(metres / 10) * 10))} m`;
  const km = metres / 1000;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: km < 10 ? 1 : 0 }).format(km)} km`;
}

// How a place reads in the box and in the page's messages.
export function PlaceLabel(place) {
  if (place.kind === 'commune') return place.department ? `${place.name} (${place.department})` : place.name;
  if (place.kind === 'department') return `${place.name} (${place.code})`;
  return place.name;
}

// The combobox (ARIA 1.2) of the place box: suggestions from /api/places as one types, up and
// down to move, Enter to pick the active suggestion or, with none active, the best match of
// what was typed (a postcode and Enter is enough), Escape to close. `onPick(place)` receives
// a place of the API (contract: {kind, code, name, department?, region, latitude, longitude,
// bbox?, approximate?}); `onNotFound(text)` when nothing matches.
export class PlaceBox {
  constructor({ input, list, status, onPick, onNotFound, limit = 8 }) {
    Object.assign(this, { input, list, status, onPick, onNotFound, limit });
    this.suggested = [];
    this.suggestedFor = null;
    this.active = -1;
    this.requests = 0;
    this.picked = null;  // the label of the place in force, so Enter on it changes nothing
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    input.addEventListener('input', () => this.Suggest());
    input.addEventListener('keydown', (e) => this.Key(e));
    input.addEventListener('blur', () => setTimeout(() => this.Close(), 150));
  }

  async Fetch(text) {
    // The API takes at most 100 bytes of UTF-8.
    let q = text;
    while (new TextEncoder().encode(q).length > 100) q = q.slice(0, -1);
    const answer = await Get(`/api/places${Query({ q, limit: this.limit })}`);
    return answer.places ?? [];
  }

  Suggest() {
    clearTimeout(this.timer);
    const text = this.input.value.trim();
    const request = ++this.requests;
    if (!text || text === this.picked) {
      this.Close();
      return;
    }
    this.timer = setTimeout(async () => {
      const found = await this.Fetch(text).catch(() => []);
      if (request !== this.requests) return;
      this.Show(found, text);
    }, 150);
  }

  Show(found, text) {
    this.suggested = found;
    this.suggestedFor = text;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    Replace(this.list, found.map((p, i) => h('li', {
      role: 'option', id: `${this.list.id}-${i}`, 'aria-selected': 'false',
      onmousedown: (e) => { e.preventDefault(); this.Pick(i); },
    }, PlaceLabel(p), ' ', h('span', { class: 'hint', text: `· ${T(`place.kind.${p.kind}`)}` }),
    /^\d{5}$/.test(text) && p.kind === 'commune' ? h('span', { class: 'hint', text: ` · ${text}` }) : null)));
    this.list.hidden = !found.length;
    this.input.setAttribute('aria-expanded', String(found.length > 0));
    this.status.textContent = found.length ? T('place.count', { count: found.length }) : T('place.none', { text });
  }

  Close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  Pick(index) {
    const place = this.suggested[index];
    if (!place) return;
    this.Close();
    this.Set(place);
    this.onPick(place);
  }

  // Shows a place in the box as the one in force (null: empties the box).
  Set(place, label = place ? PlaceLabel(place) : '') {
    ++this.requests;
    this.input.value = label;
    this.picked = label || null;
  }

  // Enter without an active suggestion: the first match of what was typed.
  async Resolve() {
    const text = this.input.value.trim();
    if (!text || text === this.picked) return false;
    const found = this.suggestedFor === text ? this.suggested : await this.Fetch(text).catch(() => []);
    if (!found.length) {
      this.Close();
      this.onNotFound?.(text);
      return true;
    }
    this.suggested = found;
    this.Pick(0);
    return true;
  }

  Key(e) {
    const open = !this.list.hidden;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && open) {
      e.preventDefault();
      const n = this.suggested.length;
      this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
      [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
      this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
    } else if (e.key === 'Enter') {
      const text = this.input.value.trim();
      if (open && this.active >= 0) {
        e.preventDefault();
        this.Pick(this.active);
      } else if (text && text !== this.picked) {
        e.preventDefault();
        clearTimeout(this.timer);
        this.Resolve();
      }
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      this.Close();
    }
  }
}

// The browser's position: resolves {latitude, longitude} or rejects with an Error whose
// `reason` is 'denied' or 'unavailable' (no geolocation, no fix, too slow).
export function CurrentPosition({ timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const fail = (reason) => reject(Object.assign(new Error(reason), { reason }));
    if (!navigator.geolocation) {
      fail('unavailable');
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      (e) => fail(e.code === 1 ? 'denied' : 'unavailable'),
      { timeout: timeoutMs, maximumAge: 60000 });
  });
}

// A department's outline drawn over the map (not interactive), one at a time.
export class DepartmentOutline {
  constructor(map, outlines) {
    this.map = map;
    this.outlines = outlines;
    this.layer = null;
  }

  // Draws department `code` and returns its bounds (null if unknown).
  Show(code) {
    this.Clear();
    const feature = this.outlines?.features?.find((f) => f.properties?.code === code);
    if (!feature) return null;
    this.layer = L.geoJSON(feature, {
      interactive: false, className: 'department-outline',
      style: { color: '#0b5d3b', weight: 3, opacity: 0.9, fillColor: '#0b5d3b', fillOpacity: 0.06 },
    }).addTo(this.map);
    return this.layer.getBounds();
  }

  Clear() {
    if (this.layer) this.map.removeLayer(this.layer);
    this.layer = null;
  }
}

// The zoom from which names of each rank show (deploy/referential/build-places.mjs).
const kRankZoom = [0, 6.5, 8.5, 10, 11];
const kDetailZoom = 10;

// Place names on the plain background: non-interactive labels in a pane of their own, hidden
// from assistive technologies (the result list says the same in words), larger places first,
// a name skipped where it would overlap one already placed. Not drawn when tiles are shown:
// their names would double.
export function ShowPlaceNames(map, { url = '/generated/places.geojson', detailUrl = '/generated/places-detail.geojson' } = {}) {
  const pane = map.createPane('placeNames');
  pane.style.zIndex = 380;  // over outlines and choropleths, under points and popups
  pane.style.pointerEvents = 'none';
  pane.setAttribute('aria-hidden', 'true');
  const layer = L.layerGroup().addTo(map);
  const load = (u) => fetch(u).then((r) => (r.ok ? r.json() : null)).then((d) => d?.features ?? []).catch(() => []);
  const main = load(url);
  let detail = null;
  const draw = async () => {
    const zoom = map.getZoom();
    if (zoom >= kDetailZoom) detail ??= load(detailUrl);
    const features = [...await main, ...(zoom >= kDetailZoom ? await detail : [])];
    if (map.getZoom() !== zoom) return;  // a newer view will draw
    layer.clearLayers();
    const size = map.getSize();
    const placed = [];
    for (const f of features) {
      const { name, rank } = f.properties;
      if (zoom < (kRankZoom[rank] ?? 99)) continue;
      const [lon, lat] = f.geometry.coordinates;
      const p = map.latLngToContainerPoint([lat, lon]);
      const width = name.length * (rank <= 1 ? 7.5 : 6.5) + 8, height = rank <= 1 ? 18 : 16;
      const box = [p.x - width / 2, p.y - height, p.x + width / 2, p.y + 4];
      // Whole names only: none cut by the map's edge.
      if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) continue;
      if (placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
      placed.push(box);
      const icon = L.divIcon({ className: `place-name rank-${rank}`, html: '', iconSize: null });
      const marker = L.marker([lat, lon], { icon, pane: 'placeNames', interactive: false, keyboard: false });
      marker.on('add', () => {
        const el = marker.getElement();
        el.textContent = name;
        el.setAttribute('aria-hidden', 'true');
      });
      marker.addTo(layer);
    }
  };
  map.on('moveend', draw);
  draw();
  return layer;
}
