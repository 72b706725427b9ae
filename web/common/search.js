// The search of both sites: a filter form, a place box, a result list and the map's
// server-side clusters, kept in step. Every change of the filters asks the server for the
// matching page of results and for the clusters of the visible area, with the same filters;
// moving the map redraws the clusters (and the list too when it is limited to the visible
// area, an option off by default that says when it hides results). A place picked in the
// box (common/places.js) moves the map: a commune or the visitor's position sorts the
// results by distance (the API's near=lat,lon), a department zooms to it, draws its outline
// and sets the department filter. The filters and the place live in the page's URL, so a
// search can be bookmarked and shared. A search that finds nothing says which filters are
// active and offers to widen it: without each filter, the whole territory, and on a node the
// national site when its address is known.
import { Get, Query } from './api.js';
import { h, Replace } from './dom.js';
import { AddMessages, T } from './i18n.js';
import { BoundingBox, DrawClusters, L } from './map.js';
import { CurrentPosition, DepartmentOutline, FormatDistance, PlaceBox, PlaceLabel } from './places.js';
import { CountText, HiddenText, PagerText } from './search_count.js';

AddMessages({
  'search.show_all': { fr: 'Afficher tout', en: 'Show all' },
  'search.none.filters': { fr: 'Aucune initiative ne correspond à ces critères : {filters}.', en: 'No initiative matches these criteria: {filters}.' },
  'search.none.widen': { fr: 'Élargir la recherche :', en: 'Widen the search:' },
  'search.filter.in_view': { fr: 'dans la zone visible de la carte', en: 'within the visible area of the map' },
  'search.drop': { fr: 'Sans « {filter} »', en: 'Without “{filter}”' },
  'search.drop.in_view': { fr: 'Aussi hors de la zone visible', en: 'Outside the visible area too' },
  'search.whole.region': { fr: 'Chercher dans toute la région', en: 'Search the whole region' },
  'search.whole.france': { fr: 'Chercher dans toute la France', en: 'Search all of France' },
  'search.whole.france.hint': { fr: 'sur la carte nationale', en: 'on the national map' },
  'search.filter.named': { fr: '{label} : {value}', en: '{label}: {value}' },
  'search.filter.place': { fr: 'à moins de {km} km de {place}', en: 'within {km} km of {place}' },
  'search.drop.place': { fr: 'Sans le lieu « {place} »', en: 'Without the place “{place}”' },
  'search.widen.radius': { fr: 'Jusqu\'à {km} km', en: 'Up to {km} km' },
  'link.new_tab': { fr: ' (nouvel onglet)', en: ' (new tab)' },
});

const kFilterNames = ['q', 'region', 'department', 'family', 'activity'];

// "lat,lon" of the URL, or null.
function ParseNear(text) {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(text ?? '');
  if (!m) return null;
  const [latitude, longitude] = [Number(m[1]), Number(m[2])];
  return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 ? { latitude, longitude } : null;
}

export class MapSearch {
  // map: Leaflet map; form: the filter form (inputs named as the API's parameters, plus a
  // checkbox named in_view); list, summary, pager, notice: elements (notice: under the
  // summary, for the hidden results and the ways to widen a search); linkFor(item): the page
  // of a result or a single-point cluster; describe(item): a line of details under its name.
  // place: {input, list, status, nearButton, message} of the place box, or none;
  // departments: the departments' outlines (GeoJSON); territory: 'region' (a node) or
  // 'france' (the hub), what "all" means; franceUrl: on a node, the national site's address.
  // newTab: the links to records (list, map cards, the national site) open a new tab, as from
  // a frame of another site (the embed page).
  constructor({ map, form, list, summary, pager, notice, linkFor, describe, perPage = 20, onRefresh,
    place, departments, territory = 'region', franceUrl, newTab = false }) {
    Object.assign(this, { map, form, list, summary, pager, notice, linkFor, describe, perPage, onRefresh,
      territory, franceUrl, newTab });
    this.page = 1;
    this.sequence = 0;
    this.layer = L.layerGroup().addTo(map);
    this.lastClusters = [];
    this.home = map.getBounds();  // where "Effacer les filtres" brings the map back
    this.near = null;  // {latitude, longitude, label} when results are sorted by distance
    this.nearMarker = null;
    this.outline = new DepartmentOutline(map, departments);
    this.placeElements = place;
    if (place) {
      this.placeBox = new PlaceBox({
        input: place.input, list: place.list, status: place.status,
        onPick: (p) => this.PickPlace(p),
        onNotFound: (text) => this.Say(T('place.none', { text }), 'error'),
      });
    }
  }

  Start() {
    const url = new URLSearchParams(location.search);
    for (const name of kFilterNames) {
      const input = this.form.elements.namedItem(name);
      if (input && url.get(name)) input.value = url.get(name);
    }
    if (this.form.elements.in_view) this.form.elements.in_view.checked = url.get('in_view') === '1';
    const radius = this.form.elements.radius_km;
    if (radius && [...radius.options].some((o) => o.value === url.get('radius_km'))) radius.value = url.get('radius_km');
    const near = ParseNear(url.get('near'));
    const label = url.get('place') ?? '';
    if (near) this.SetNear({ ...near, label: label || T('place.my_position') }, { move: true });
    if (this.placeBox && label) this.placeBox.Set(null, label);
    const department = this.Filters().department;
    if (department) this.ShowDepartment(department, { move: !near });

    this.form.addEventListener('submit', async (e) => {
      e.preventDefault();
      // A place typed but not picked is looked up first (its pick refreshes).
      if (await this.placeBox?.Resolve()) return;
      this.Refresh(true);
    });
    this.form.addEventListener('change', (e) => {
      if (e.target.name === 'q' || e.target === this.placeElements?.input) return;
      if (e.target.name === 'department') this.ShowDepartment(e.target.value, { move: true });
      if (e.target.name === 'radius_km') this.FitRadius();
      this.Refresh(true);
    });
    this.form.addEventListener('reset', () => setTimeout(() => this.Reset()));
    let typing = null;
    this.form.elements.q?.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => this.Refresh(true), 350);
    });
    this.placeElements?.input.addEventListener('input', () => {
      // Emptying the box drops the place.
      if (!this.placeElements.input.value.trim() && this.near) {
        this.SetNear(null);
        this.Refresh(true);
      }
    });
    this.placeElements?.nearButton?.addEventListener('click', () => this.NearMe());
    // The view's zoom, readable by tests (the map keeps no global object).
    const showZoom = () => { this.map.getContainer().dataset.zoom = String(this.map.getZoom()); };
    showZoom();
    this.map.on('moveend', () => { showZoom(); this.Refresh(false, { list: this.InView() }); });
    return this.Refresh(true);
  }

  Filters() {
    const out = {};
    for (const name of kFilterNames) {
      const input = this.form.elements.namedItem(name);
      if (input && input.value.trim()) out[name] = input.value.trim();
    }
    return out;
  }

  InView() {
    return this.form.elements.in_view ? this.form.elements.in_view.checked : false;
  }

  Say(text, kind = 'info') {
    const message = this.placeElements?.message;
    if (!message) return;
    message.className = text ? `notice ${kind}` : '';
    message.textContent = text;
  }

  // Sorts by distance from `near` ({latitude, longitude, label}) within the chosen radius, or
  // stops (null); the radius shows only with a place.
  SetNear(near, { move = false } = {}) {
    this.near = near;
    const radiusField = this.form.elements.radius_km?.closest('.field');
    if (radiusField) radiusField.hidden = !near;
    if (this.nearMarker) this.map.removeLayer(this.nearMarker);
    this.nearMarker = null;
    if (!near) return;
    this.nearMarker = L.circleMarker([near.latitude, near.longitude], {
      radius: 7, weight: 3, color: '#1a5fb4', fillColor: '#ffffff', fillOpacity: 1, interactive: false,
    }).addTo(this.map);
    // The place named on the map (an element: Leaflet would take a string as HTML).
    this.nearMarker.bindTooltip(h('span', { text: near.label }),
      { permanent: true, direction: 'top', offset: [0, -8], className: 'near-label' });
    if (move) this.FitRadius();
  }

  // The map shows the circle of the chosen radius around the place.
  FitRadius() {
    if (!this.near) return;
    const metres = Number(this.Radius()) * 1000;
    this.map.fitBounds(L.latLng(this.near.latitude, this.near.longitude).toBounds(2 * metres), { animate: false });
  }

  // Draws department `code` (or nothing for '') and, with `move`, brings it into view.
  ShowDepartment(code, { move = false, bbox } = {}) {
    const bounds = code ? this.outline.Show(code) : (this.outline.Clear(), null);
    if (!move || !code) return;
    if (bounds) this.map.fitBounds(bounds, { padding: [10, 10], animate: false });
    else if (Array.isArray(bbox)) this.map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { animate: false });
  }

  // A select's value set as the visitor would (its change listeners run), if it offers it.
  Choose(name, value) {
    const select = this.form.elements.namedItem(name);
    if (!select || select.value === value) return;
    if (value && ![...select.options].some((o) => o.value === value)) return;
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }

  PickPlace(place) {
    this.Say('');
    if (place.kind === 'commune') {
      this.SetNear({ latitude: place.latitude, longitude: place.longitude, label: PlaceLabel(place) }, { move: true });
      // A territory filter the commune lies outside of would hide what is near it.
      const { department, region } = this.Filters();
      if (department && department !== place.department) { this.Choose('department', ''); this.outline.Clear(); }
      if (region && region !== place.region) this.Choose('region', '');
      this.Say(T('place.sorted', { name: PlaceLabel(place) }));
    } else if (place.kind === 'department') {
      this.SetNear(null);
      this.Choose('region', place.region);
      this.Choose('department', place.code);
      this.ShowDepartment(place.code, { move: true, bbox: place.bbox });
    } else if (place.kind === 'region') {
      this.SetNear(null);
      this.Choose('department', '');
      this.Choose('region', place.code);
      if (!this.form.elements.namedItem('region')) this.map.fitBounds(this.home, { animate: false });
    }
    this.Refresh(true);
  }

  async NearMe() {
    this.Say(T('place.locating'));
    try {
      const position = await CurrentPosition();
      // Three decimals (about 100 m) are enough to sort, and all the URL keeps.
      const near = { latitude: +position.latitude.toFixed(3), longitude: +position.longitude.toFixed(3), label: T('place.my_position') };
      this.placeBox?.Set(null, near.label);
      this.SetNear(near, { move: true });
      this.Say(T('place.located'));
      await this.Refresh(true);
    } catch (e) {
      this.Say(T(e.reason === 'denied' ? 'place.denied' : 'place.unavailable'), 'error');
    }
  }

  // "Effacer les filtres": the form is reset by the browser; the place goes, the map returns.
  Reset() {
    this.SetNear(null);
    this.placeBox?.Set(null);
    this.outline.Clear();
    this.Say('');
    this.map.fitBounds(this.home, { animate: false });
    // The emptied region's listeners run (the hub lists every department again).
    this.form.elements.namedItem('region')?.dispatchEvent(new Event('change', { bubbles: true }));
    return this.Refresh(true);
  }

  // Widening: drops the department, the place and the visible-area limit.
  Whole() {
    this.SetNear(null);
    this.placeBox?.Set(null);
    this.outline.Clear();
    const department = this.form.elements.namedItem('department');
    if (department) department.value = '';
    this.Choose('region', '');  // as the visitor would: the hub lists every department again
    if (this.form.elements.in_view) this.form.elements.in_view.checked = false;
    this.Say('');
    this.map.fitBounds(this.home, { animate: false });
    return this.Refresh(true);
  }

  Drop(name) {
    if (name === 'in_view') {
      this.form.elements.in_view.checked = false;
    } else if (name === 'place') {
      this.SetNear(null);
      this.placeBox?.Set(null);
      this.Say('');
    } else if (name === 'region') {
      this.Choose('region', '');
    } else {
      this.form.elements.namedItem(name).value = '';
      if (name === 'department') this.outline.Clear();
    }
    return this.Refresh(true);
  }

  UrlState(filters) {
    const state = new URLSearchParams(Query(filters));
    if (this.near) {
      state.set('near', `${this.near.latitude},${this.near.longitude}`);
      state.set('place', this.near.label);
      state.set('radius_km', this.Radius());
    } else if (this.placeElements?.input.value.trim() && filters.department) {
      state.set('place', this.placeElements.input.value.trim());
    }
    if (this.InView()) state.set('in_view', '1');
    return state.toString();
  }

  Radius() {
    return this.form.elements.radius_km?.value || '20';
  }

  // Asks for the clusters of the view and, with `list`, the page of results.
  async Refresh(resetPage, { list = true } = {}) {
    if (resetPage) this.page = 1;
    const sequence = ++this.sequence;
    const filters = this.Filters();
    const bbox = BoundingBox(this.map);
    const near = this.near ? { near: `${this.near.latitude},${this.near.longitude}`, radius_km: this.Radius() } : {};
    const listQuery = { ...filters, ...near, page: this.page, per_page: this.perPage };
    if (this.InView()) listQuery.bbox = bbox;
    const clusterQuery = { ...filters, bbox, zoom: Math.max(0, Math.min(20, Math.floor(this.map.getZoom()))) };
    const state = this.UrlState(filters);
    history.replaceState(null, '', `${location.pathname}${state ? `?${state}` : ''}`);
    if (list) this.summary.textContent = T('loading');
    try {
      const [results, clusters, everywhere] = await Promise.all([
        list ? Get(`/api/initiatives${Query(listQuery)}`) : null,
        Get(`/api/map/clusters${Query(clusterQuery)}`),
        // What the visible-area limit hides: the same search without it.
        list && this.InView() ? Get(`/api/initiatives${Query({ ...filters, ...near, page: 1, per_page: 1 })}`) : null,
      ]);
      if (sequence !== this.sequence) return;  // a newer search answered first
      this.lastClusters = clusters.clusters;
      DrawClusters(this.map, this.layer, clusters.clusters, {
        linkFor: this.linkFor, clusterLabel: (count) => T('map.cluster', { count }), newTab: this.newTab,
      });
      if (list) {
        this.RenderList(results);
        this.RenderNotice(filters, results, everywhere);
      }
      this.onRefresh?.({ filters, results, clusters });
    } catch (e) {
      if (sequence !== this.sequence) return;
      this.summary.textContent = T('error.load', { message: e.message });
    }
  }

  RenderList(results) {
    this.summary.textContent = CountText(results);
    if (results.items.length === 0) {
      Replace(this.list, h('li', { class: 'empty', text: T('search.none') }));
    } else {
      Replace(this.list, results.items.map((item) => h('li', {},
        h('a', { href: this.linkFor(item), ...this.LinkTarget() }, item.name, this.NewTabHint()),
        h('div', { class: 'meta' }, this.describe(item),
          typeof item.distance_m === 'number'
            ? [' · ', h('span', { class: 'distance', text: T('place.distance', { distance: FormatDistance(item.distance_m) }) })] : null,
          item.freshness === 'to_confirm' ? [' ', h('span', { class: 'badge warning', text: T('freshness.to_confirm') })] : null))));
    }
    const { pages, text } = PagerText(results, this.page, this.perPage);
    const go = (page) => { this.page = page; this.Refresh(false); };
    Replace(this.pager,
      h('button', { type: 'button', class: 'secondary', disabled: this.page <= 1, text: T('search.prev'), onclick: () => go(this.page - 1) }),
      h('span', { text }),
      h('button', { type: 'button', class: 'secondary', disabled: this.page >= pages, text: T('search.next'), onclick: () => go(this.page + 1) }));
  }

  LinkTarget() {
    return this.newTab ? { target: '_blank', rel: 'noopener' } : {};
  }

  // Said to screen readers after a link that opens a new tab.
  NewTabHint() {
    return this.newTab ? h('span', { class: 'visually-hidden', text: T('link.new_tab') }) : null;
  }

  // The label of a filter as the form shows it, and its value as the visitor chose it.
  Described(name) {
    const input = this.form.elements.namedItem(name);
    const label = this.form.querySelector(`label[for="${input.id}"]`)?.textContent.trim() ?? name;
    const value = input.tagName === 'SELECT' ? input.selectedOptions[0]?.textContent ?? input.value : input.value.trim();
    return T('search.filter.named', { label, value });
  }

  RenderNotice(filters, results, everywhere) {
    if (!this.notice) return;
    const parts = [];
    const hidden = HiddenText(results, everywhere);
    if (hidden) {
      parts.push(h('p', { class: 'notice info in-view-notice' },
        hidden, ' ',
        h('button', { type: 'button', class: 'secondary', text: T('search.show_all'), onclick: () => this.Drop('in_view') })));
    }
    const active = Object.keys(filters);
    if (results.total === 0 && (active.length || this.InView() || this.near)) {
      const described = active.map((name) => this.Described(name));
      if (this.near) described.push(T('search.filter.place', { km: this.Radius(), place: this.near.label }));
      if (this.InView()) described.push(T('search.filter.in_view'));
      const buttons = active.map((name) => h('button', {
        type: 'button', class: 'secondary', text: T('search.drop', { filter: this.Described(name) }), onclick: () => this.Drop(name),
      }));
      if (this.near) {
        const radius = this.form.elements.radius_km;
        const farther = radius ? [...radius.options].find((o) => Number(o.value) > Number(this.Radius())) : null;
        if (farther) {
          buttons.push(h('button', {
            type: 'button', class: 'secondary', text: T('search.widen.radius', { km: farther.value }),
            onclick: () => { radius.value = farther.value; this.FitRadius(); this.Refresh(true); },
          }));
        }
        buttons.push(h('button', {
          type: 'button', class: 'secondary', text: T('search.drop.place', { place: this.near.label }), onclick: () => this.Drop('place'),
        }));
      }
      if (this.InView() && hidden <= 0) {
        buttons.push(h('button', { type: 'button', class: 'secondary', text: T('search.drop.in_view'), onclick: () => this.Drop('in_view') }));
      }
      const narrowed = filters.department || filters.region || this.near || this.InView();
      if (narrowed) {
        buttons.push(h('button', { type: 'button', class: 'secondary', text: T(`search.whole.${this.territory}`), onclick: () => this.Whole() }));
      }
      let france = null;
      if (this.territory === 'region' && this.franceUrl) {
        const { q, family, activity } = filters;
        const href = `${this.franceUrl.replace(/\/+$/, '')}/${Query({ q, family, activity })}`;
        france = h('a', { class: 'button secondary', href, ...this.LinkTarget() }, T('search.whole.france'), this.NewTabHint(),
          h('span', { class: 'visually-hidden', text: ` ${T('search.whole.france.hint')}` }));
      }
      parts.push(h('div', { class: 'widen' },
        h('p', { text: T('search.none.filters', { filters: described.join(', ') }) }),
        h('p', { class: 'widen-title', text: T('search.none.widen') }),
        h('ul', { class: 'widen-actions' }, [...buttons, france].filter(Boolean).map((b) => h('li', {}, b)))));
    }
    Replace(this.notice, parts);
  }
}
