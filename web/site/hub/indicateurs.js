// Indicators for institutions, funders and the national pilot: the national map's counts by
// region, department, ESS family and activity, its freshness, its monthly growth, and the
// status of every initiative the hub knows, narrowed by region, department and period of
// first admission (GET /api/indicators?region=&department=&from=&to=, kept in the address).
// Each chart has its numbers as a table and as a CSV download (';', for French spreadsheet
// software); the list of the initiatives counted downloads as CSV too (dialect=fr, or the
// plain RFC 4180 file for other tools).
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Query } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { ByLabel, FillSelect, LoadReferential } from '/common/referential.js';
import { BarChart, GrowthChart } from '/common/charts.js';

AddMessages({
  'indicators.title': { fr: 'Indicateurs de l\'ESS', en: 'SSE indicators' },
  'indicators.lead': {
    fr: 'Chiffres de la carte nationale, calculés le {date} à partir des fiches admises par les comités d\'éthique des régions.',
    en: 'Figures of the national map, computed on {date} from the records admitted by the regions\' ethics committees.',
  },
  'indicators.filters': { fr: 'Filtrer', en: 'Filter' },
  'indicators.filter.region': { fr: 'Région', en: 'Region' },
  'indicators.filter.department': { fr: 'Département', en: 'Department' },
  'indicators.filter.from': { fr: 'Admises à partir du', en: 'Admitted from' },
  'indicators.filter.to': { fr: 'jusqu\'au (inclus)', en: 'until (included)' },
  'indicators.filter.any.region': { fr: 'Toutes les régions', en: 'Every region' },
  'indicators.filter.any.department': { fr: 'Tous les départements', en: 'Every department' },
  'indicators.filter.apply': { fr: 'Appliquer les filtres', en: 'Apply the filters' },
  'indicators.filter.reset': { fr: 'Effacer les filtres', en: 'Clear the filters' },
  'indicators.filtered': { fr: 'Filtres : {filters}.', en: 'Filters: {filters}.' },
  'indicators.filtered.from': { fr: 'admises à partir du {date}', en: 'admitted from {date}' },
  'indicators.filtered.to': { fr: 'jusqu\'au {date}', en: 'until {date}' },
  'indicators.on_map': { fr: 'Initiatives sur la carte', en: 'Initiatives on the map' },
  'indicators.fresh': { fr: 'À jour', en: 'Up to date' },
  'indicators.to_confirm': { fr: 'À confirmer', en: 'To be confirmed' },
  'indicators.freshness_rate': { fr: 'Taux de fraîcheur', en: 'Freshness rate' },
  'indicators.regions': { fr: 'Régions représentées', en: 'Regions represented' },
  'indicators.by_region': { fr: 'Par région', en: 'By region' },
  'indicators.by_department': { fr: 'Par département', en: 'By department' },
  'indicators.by_family': { fr: 'Par famille de l\'ESS', en: 'By SSE family' },
  'indicators.by_activity': { fr: 'Par activité', en: 'By activity' },
  'indicators.by_status': { fr: 'Par statut (toutes les initiatives connues du hub)', en: 'By status (every initiative the hub knows)' },
  'indicators.by_status.desc': {
    fr: 'Seul le filtre de région s\'applique ici : une fiche jamais admise n\'a ni département ni date d\'admission au hub.',
    en: 'Only the region filter applies here: a record never admitted has no department or admission date at the hub.',
  },
  'indicators.freshness': { fr: 'Fraîcheur des fiches', en: 'Freshness of the records' },
  'indicators.freshness.desc': {
    fr: 'Une fiche « à confirmer » a dépassé sa date de validité sans que ses porteurs la confirment.',
    en: 'A record "to be confirmed" is past its validity date without its owners confirming it.',
  },
  'indicators.growth': { fr: 'Croissance mensuelle', en: 'Monthly growth' },
  'indicators.growth.desc': {
    fr: 'Barres : initiatives admises dans le mois (date d\'admission par la région) ; courbe : total cumulé.',
    en: 'Bars: initiatives admitted in the month (the region\'s admission date); line: running total.',
  },
  'indicators.count': { fr: 'Initiatives', en: 'Initiatives' },
  'indicators.code': { fr: 'Code', en: 'Code' },
  'indicators.empty': { fr: 'Aucune initiative sur la carte nationale pour l\'instant.', en: 'No initiative on the national map yet.' },
  'indicators.empty.filtered': { fr: 'Aucune initiative ne correspond à ces filtres.', en: 'No initiative matches these filters.' },
  'indicators.export': { fr: 'Les initiatives comptées', en: 'The initiatives counted' },
  'indicators.export.fr': { fr: 'Télécharger la liste (CSV pour tableur)', en: 'Download the list (CSV for spreadsheets)' },
  'indicators.export.plain': { fr: 'CSV standard (séparateur virgule, pour d\'autres outils)', en: 'Standard CSV (comma separator, for other tools)' },
  'indicators.export.hint': {
    fr: 'Le fichier pour tableur sépare les colonnes par « ; », commence par une marque UTF-8 et écrit les coordonnées avec une virgule décimale : Excel et LibreOffice en français l\'ouvrent en colonnes. La période ne s\'applique pas à la liste, qui suit la région et le département.',
    en: 'The spreadsheet file separates columns with ";", starts with a UTF-8 mark and writes coordinates with a decimal comma: Excel and LibreOffice in French open it as columns. The period does not apply to the list, which follows the region and department.',
  },
});

await StartPage({ site: 'hub', title: 'indicators.title', active: 'indicators' });
const content = $('#content');
const form = $('#indicator-filters');
const referential = await LoadReferential().catch(() => null);
const params = new URLSearchParams(location.search);
const filters = Object.fromEntries(['region', 'department', 'from', 'to'].map((k) => [k, params.get(k) ?? '']));

function FillDepartments() {
  const region = form.elements.region.value;
  FillSelect(form.elements.department, (referential?.DepartmentsOf(region) ?? [])
    .map((d) => ({ code: d.code, label: `${d.name} (${d.code})` })), { emptyLabel: T('indicators.filter.any.department') });
}

if (referential) {
  FillSelect(form.elements.region, [...referential.regions.values()].map((r) => ({ code: r.code, label: r.name ?? r.label })).sort(ByLabel),
    { emptyLabel: T('indicators.filter.any.region') });
}
form.elements.region.value = filters.region;
FillDepartments();
form.elements.department.value = filters.department;
form.elements.from.value = filters.from;
form.elements.to.value = filters.to;
form.elements.region.addEventListener('change', FillDepartments);

const stat = (key, value, id) => h('div', { class: 'stat', id }, h('strong', { text: value }), h('span', { text: T(key) }));
const rows = (list) => list.map((c) => ({ label: c.label || c.code, code: c.code, value: c.count }))
  .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'fr'));
const count = T('indicators.count');
const code = T('indicators.code');

function Summary(f) {
  const parts = [];
  if (f.region) parts.push(referential?.Label('regions', f.region) ?? f.region);
  if (f.department) parts.push(referential?.Label('departments', f.department) ?? f.department);
  if (f.from) parts.push(T('indicators.filtered.from', { date: FormatDate(f.from) }));
  if (f.to) parts.push(T('indicators.filtered.to', { date: FormatDate(f.to) }));
  return parts.length ? h('p', { class: 'summary', id: 'filter-summary', text: T('indicators.filtered', { filters: parts.join(', ') }) }) : null;
}

async function Render() {
  ClearErrors(form);
  let ind;
  try {
    ind = await Get(`/api/indicators${Query(filters)}`);
  } catch (error) {
    ShowApiError(form, error);
    return false;
  }
  const filtered = Object.values(filters).some(Boolean);
  const listQuery = { region: filters.region, department: filters.department };
  Replace(content,
    h('p', { class: 'lead', text: T('indicators.lead', { date: FormatDate(ind.computed_at) }) }),
    Summary(filters),
    h('div', { class: 'stats' },
      stat('indicators.on_map', FormatNumber(ind.on_map), 'stat-on-map'),
      stat('indicators.fresh', FormatNumber(ind.fresh), 'stat-fresh'),
      stat('indicators.to_confirm', FormatNumber(ind.to_confirm), 'stat-to-confirm'),
      stat('indicators.freshness_rate', `${FormatNumber(Math.round((ind.freshness_rate ?? 0) * 100))} %`, 'stat-rate'),
      stat('indicators.regions', FormatNumber(ind.by_region.length), 'stat-regions')),
    ind.on_map === 0 ? h('p', { class: 'notice', text: T(filtered ? 'indicators.empty.filtered' : 'indicators.empty') }) : null,
    h('section', { class: 'card', id: 'export', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title', text: T('indicators.export') }),
      h('div', { class: 'actions' },
        h('a', { class: 'button', id: 'export-fr', href: `/api/export/initiatives.csv${Query({ ...listQuery, dialect: 'fr' })}`, download: 'initiatives.csv', text: T('indicators.export.fr') }),
        h('a', { class: 'button secondary', id: 'export-plain', href: `/api/export/initiatives.csv${Query(listQuery)}`, download: 'initiatives-rfc4180.csv', text: T('indicators.export.plain') })),
      h('p', { class: 'hint', text: T('indicators.export.hint') })),
    h('div', { class: 'charts' },
      BarChart({ id: 'chart-region', title: T('indicators.by_region'), rows: rows(ind.by_region), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-region.csv' }),
      BarChart({ id: 'chart-department', title: T('indicators.by_department'), rows: rows(ind.by_department), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-departement.csv' }),
      BarChart({ id: 'chart-family', title: T('indicators.by_family'), rows: rows(ind.by_family), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-famille.csv' }),
      BarChart({ id: 'chart-activity', title: T('indicators.by_activity'), rows: rows(ind.by_activity), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-activite.csv' }),
      BarChart({
        id: 'chart-freshness', title: T('indicators.freshness'), description: T('indicators.freshness.desc'), valueHeader: count, csvName: 'fraicheur.csv',
        rows: [{ label: T('freshness.fresh'), value: ind.fresh }, { label: T('freshness.to_confirm'), value: ind.to_confirm }],
      }),
      GrowthChart({ id: 'chart-growth', title: T('indicators.growth'), description: T('indicators.growth.desc'), rows: ind.monthly_growth, csvName: 'croissance-mensuelle.csv' }),
      BarChart({
        id: 'chart-status', title: T('indicators.by_status'), description: T('indicators.by_status.desc'), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-statut.csv',
        rows: ind.by_status.map((s) => ({ label: T(`status.${s.status}`), code: s.status, value: s.count })),
      })));
  return true;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  for (const k of Object.keys(filters)) filters[k] = form.elements[k].value;
  if (await Render()) history.replaceState(null, '', Query(filters) || location.pathname);
});
form.addEventListener('reset', () => {
  setTimeout(async () => {
    for (const k of Object.keys(filters)) filters[k] = '';
    FillDepartments();
    await Render();
    history.replaceState(null, '', location.pathname);
  });
});

await Render();
MarkReady();
