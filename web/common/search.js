// The search of both sites: a filter form, a result list and the map's server-side clusters,
// kept in step. Every change of the filters or of the map's view asks the server for the
// matching page of results (limited to the visible area when the box is checked) and for the
// clusters of the visible area, with the same filters. The filters live in the page's URL,
// so a search can be bookmarked and shared.
import { Get, Query } from './api.js';
import { h, Replace } from './dom.js';
import { FormatNumber, T } from './i18n.js';
import { BoundingBox, DrawClusters, L } from './map.js';

const kFilterNames = ['q', 'region', 'department', 'family', 'activity'];

export class MapSearch {
  // map: Leaflet map; form: the filter form (inputs named as the API's parameters, plus a
  // checkbox named in_view); list, summary, pager: elements; linkFor(item): the page of a
  // result or a single-point cluster; describe(item): a line of details under its name.
  constructor({ map, form, list, summary, pager, linkFor, describe, perPage = 20, onRefresh }) {
    Object.assign(this, { map, form, list, summary, pager, linkFor, describe, perPage, onRefresh });
    this.page = 1;
    this.sequence = 0;
    this.layer = L.layerGroup().addTo(map);
    this.lastClusters = [];
  }

  Start() {
    const url = new URLSearchParams(location.search);
    for (const name of kFilterNames) {
      const input = this.form.elements.namedItem(name);
      if (input && url.get(name)) input.value = url.get(name);
    }
    if (url.get('in_view') === '0' && this.form.elements.in_view) this.form.elements.in_view.checked = false;
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.Refresh(true); });
    this.form.addEventListener('change', (e) => { if (e.target.name !== 'q') this.Refresh(true); });
    this.form.addEventListener('reset', () => setTimeout(() => this.Refresh(true)));
    let typing = null;
    this.form.elements.q?.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => this.Refresh(true), 350);
    });
    this.map.on('moveend', () => this.Refresh(false));
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
    return this.form.elements.in_view ? this.form.elements.in_view.checked : true;
  }

  async Refresh(resetPage) {
    if (resetPage) this.page = 1;
    const sequence = ++this.sequence;
    const filters = this.Filters();
    const bbox = BoundingBox(this.map);
    const listQuery = { ...filters, page: this.page, per_page: this.perPage };
    if (this.InView()) listQuery.bbox = bbox;
    const clusterQuery = { ...filters, bbox, zoom: Math.max(0, Math.min(20, Math.floor(this.map.getZoom()))) };
    const state = new URLSearchParams(Query(filters));
    if (!this.InView()) state.set('in_view', '0');
    history.replaceState(null, '', `${location.pathname}${state.toString() ? `?${state}` : ''}`);
    this.summary.textContent = T('loading');
    try {
      const [results, clusters] = await Promise.all([
        Get(`/api/initiatives${Query(listQuery)}`),
        Get(`/api/map/clusters${Query(clusterQuery)}`),
      ]);
      if (sequence !== this.sequence) return;  // a newer search answered first
      this.lastClusters = clusters.clusters;
      DrawClusters(this.map, this.layer, clusters.clusters, {
        linkFor: this.linkFor, clusterLabel: (count) => T('map.cluster', { count }),
      });
      this.RenderList(results);
      this.onRefresh?.({ filters, results, clusters });
    } catch (e) {
      if (sequence !== this.sequence) return;
      this.summary.textContent = T('error.load', { message: e.message });
    }
  }

  RenderList(results) {
    this.summary.textContent = T('search.count', { count: FormatNumber(results.total) });
    if (results.items.length === 0) {
      Replace(this.list, h('li', { class: 'empty', text: T('search.none') }));
    } else {
      Replace(this.list, results.items.map((item) => h('li', {},
        h('a', { href: this.linkFor(item), text: item.name }),
        h('div', { class: 'meta' }, this.describe(item),
          item.freshness === 'to_confirm' ? [' ', h('span', { class: 'badge warning', text: T('freshness.to_confirm') })] : null))));
    }
    const pages = Math.max(1, Math.ceil(results.total / this.perPage));
    const go = (page) => { this.page = page; this.Refresh(false); };
    Replace(this.pager,
      h('button', { type: 'button', class: 'secondary', disabled: this.page <= 1, text: T('search.prev'), onclick: () => go(this.page - 1) }),
      h('span', { text: T('search.page', { page: this.page, pages }) }),
      h('button', { type: 'button', class: 'secondary', disabled: this.page >= pages, text: T('search.next'), onclick: () => go(this.page + 1) }));
  }
}
