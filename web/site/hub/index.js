// The national map: a choropleth of the initiatives by region (by department once zoomed
// in), the server's clusters of points on top, and the national search with the same
// filters as the regions' (common/search.js).
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';
import { CreateMap, L, LoadOutlines, RegionBounds } from '/common/map.js';
import { MapSearch } from '/common/search.js';
import { ShowPlaceNames } from '/common/places.js';
import { ByLabel, FillSelect, LoadReferential } from '/common/referential.js';

AddMessages({
  'national.title': { fr: 'La carte nationale de l\'économie sociale et solidaire', en: 'The national map of the social and solidarity economy' },
  'national.lead': {
    fr: 'Les initiatives admises par les comités d\'éthique des régions, consolidées à partir de leurs journaux signés. Chaque fiche peut être vérifiée.',
    en: 'The initiatives admitted by the regions\' ethics committees, consolidated from their signed logs. Every record can be verified.',
  },
  'national.page': { fr: 'Carte nationale', en: 'National map' },
  'national.counts': { fr: 'Nombre d\'initiatives par territoire', en: 'Number of initiatives by territory' },
  'national.territory': { fr: 'Territoire', en: 'Territory' },
  'national.count': { fr: 'Initiatives', en: 'Initiatives' },
  'legend.title.region': { fr: 'Initiatives par région', en: 'Initiatives by region' },
  'legend.title.department': { fr: 'Initiatives par département', en: 'Initiatives by department' },
  'legend.none': { fr: 'aucune', en: 'none' },
  'choropleth.tooltip': { fr: '{name} : {count} initiative(s)', en: '{name}: {count} initiative(s)' },
});

const kColours = ['#e3f2ea', '#b5dcc6', '#7cc29e', '#3f9f72', '#17704a'];
const kNone = '#f4f1e8';
const kDepartmentZoom = 7;

const settings = await StartPage({ site: 'hub', title: 'national.page', active: 'map' });
const [referential, indicators, departmentOutlines] = await Promise.all([
  LoadReferential().catch(() => null),
  Get('/api/indicators'),
  LoadOutlines('/generated/departments.geojson'),
]);

if (referential) {
  FillSelect($('#region'), [...referential.regions.values()].sort(ByLabel));
  const fillDepartments = () => FillSelect($('#department'), referential.DepartmentsOf($('#region').value)
    .map((d) => ({ code: d.code, label: `${d.name} (${d.code})` })), { emptyKey: 'search.any.m' });
  fillDepartments();
  $('#region').addEventListener('change', fillDepartments);
  FillSelect($('#family'), [...referential.families.values()].sort(ByLabel));
  FillSelect($('#activity'), [...referential.activities.values()].sort(ByLabel));
}

const { map, outlines } = await CreateMap($('#map'), {
  tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution, label: T('map.label'),
});
map.createPane('choropleth');
map.getPane('choropleth').style.zIndex = 350;  // over tiles, under the points

// Class breaks on the counts: colour i for counts up to breaks[i].
function Breaks(values) {
  const max = Math.max(0, ...values);
  if (max === 0) return [];
  const steps = Math.min(kColours.length, max);
  return Array.from({ length: steps }, (_, i) => Math.ceil((max * (i + 1)) / steps));
}

function Choropleth(data, counts, level) {
  if (!data) return null;
  const byCode = new Map(counts.map((c) => [c.code, c.count]));
  const breaks = Breaks(counts.map((c) => c.count));
  const colour = (n) => (!n ? kNone : kColours[Math.max(0, breaks.findIndex((b) => n <= b))]);
  const layer = L.geoJSON(data, {
    pane: 'choropleth',
    style: (f) => ({ color: '#4a5866', weight: level === 'region' ? 1.2 : 0.6, fillOpacity: 0.75, fillColor: colour(byCode.get(f.properties.code) ?? 0) }),
    onEachFeature: (f, l) => {
      // An element, not a string: Leaflet would take a string as HTML.
      l.bindTooltip(h('span', { text: T('choropleth.tooltip', { name: f.properties.name, count: FormatNumber(byCode.get(f.properties.code) ?? 0) }) }), { sticky: true });
      l.on('click', () => map.fitBounds(l.getBounds(), { maxZoom: level === 'region' ? kDepartmentZoom : 10 }));
    },
  });
  layer.legend = { level, breaks };
  return layer;
}

const regionLayer = Choropleth(outlines, indicators.by_region, 'region');
const departmentLayer = Choropleth(departmentOutlines, indicators.by_department, 'department');

function Legend({ level, breaks }) {
  const items = [h('li', {}, h('span', { class: 'swatch', dataset: { colour: kNone } }), T('legend.none'))];
  breaks.forEach((b, i) => {
    const from = i === 0 ? 1 : breaks[i - 1] + 1;
    items.push(h('li', {}, h('span', { class: 'swatch', dataset: { colour: kColours[i] } }), from === b ? FormatNumber(b) : `${FormatNumber(from)}–${FormatNumber(b)}`));
  });
  const list = h('ul', { class: 'legend', 'aria-label': T(`legend.title.${level}`) }, items);
  for (const swatch of list.querySelectorAll('.swatch')) swatch.style.background = swatch.dataset.colour;
  Replace($('#legend'), h('p', { class: 'hint', text: T(`legend.title.${level}`) }), list);
}

function ShowLevel() {
  const departments = map.getZoom() >= kDepartmentZoom && departmentLayer;
  const show = departments ? departmentLayer : regionLayer;
  const hide = departments ? regionLayer : departmentLayer;
  if (hide && map.hasLayer(hide)) map.removeLayer(hide);
  if (show && !map.hasLayer(show)) map.addLayer(show);
  if (show) Legend(show.legend);
}
map.on('zoomend', ShowLevel);
ShowLevel();

Replace($('#counts-table'), h('table', {},
  h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: T('national.territory') }), h('th', { scope: 'col', text: T('national.count') }))),
  h('tbody', {}, indicators.by_region.map((r) => h('tr', {}, h('th', { scope: 'row', text: r.label || r.code }), h('td', { text: FormatNumber(r.count) }))))));

// Choosing a region also brings it into view (the overseas regions included).
$('#region').addEventListener('change', () => {
  const bounds = RegionBounds(outlines, $('#region').value);
  if (bounds) map.fitBounds(bounds, { padding: [10, 10] });
});

if (!settings.tile_url) ShowPlaceNames(map);
const search = new MapSearch({
  map, form: $('#filters'), list: $('#results'), summary: $('#summary'), pager: $('#pager'), notice: $('#search-notice'),
  place: { input: $('#place'), list: $('#place-options'), status: $('#place-status'), nearButton: $('#near-me'), message: $('#place-message') },
  departments: departmentOutlines, territory: 'france',
  linkFor: (item) => `/initiative.html?region=${encodeURIComponent(item.region)}&id=${encodeURIComponent(item.id)}`,
  describe: (item) => [item.commune_name, referential?.Label('regions', item.region), referential?.Label('families', item.family)]
    .filter(Boolean).join(' · '),
});
await search.Start();
MarkReady();
