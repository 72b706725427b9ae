// Indicators for institutions and funders: the national map's counts by region, ESS family
// and activity, its freshness, its monthly growth, and the status of every initiative the
// hub knows. Each chart has its numbers as a table and as a CSV download.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';
import { BarChart, GrowthChart } from '/common/charts.js';

AddMessages({
  'indicators.title': { fr: 'Indicateurs de l\'ESS', en: 'SSE indicators' },
  'indicators.lead': {
    fr: 'Chiffres de la carte nationale, calculés le {date} à partir des fiches admises par les comités d\'éthique des régions.',
    en: 'Figures of the national map, computed on {date} from the records admitted by the regions\' ethics committees.',
  },
  'indicators.on_map': { fr: 'Initiatives sur la carte', en: 'Initiatives on the map' },
  'indicators.fresh': { fr: 'À jour', en: 'Up to date' },
  'indicators.to_confirm': { fr: 'À confirmer', en: 'To be confirmed' },
  'indicators.freshness_rate': { fr: 'Taux de fraîcheur', en: 'Freshness rate' },
  'indicators.regions': { fr: 'Régions représentées', en: 'Regions represented' },
  'indicators.by_region': { fr: 'Par région', en: 'By region' },
  'indicators.by_family': { fr: 'Par famille de l\'ESS', en: 'By SSE family' },
  'indicators.by_activity': { fr: 'Par activité', en: 'By activity' },
  'indicators.by_status': { fr: 'Par statut (toutes les initiatives connues du hub)', en: 'By status (every initiative the hub knows)' },
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
});

await StartPage({ site: 'hub', title: 'indicators.title', active: 'indicators' });
const content = $('#content');
const ind = await Get('/api/indicators');

const stat = (key, value, id) => h('div', { class: 'stat', id }, h('strong', { text: value }), h('span', { text: T(key) }));
const rows = (list) => list.map((c) => ({ label: c.label || c.code, code: c.code, value: c.count }))
  .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'fr'));
const count = T('indicators.count');
const code = T('indicators.code');

Replace(content,
  h('p', { class: 'lead', text: T('indicators.lead', { date: FormatDate(ind.computed_at) }) }),
  h('div', { class: 'stats' },
    stat('indicators.on_map', FormatNumber(ind.on_map), 'stat-on-map'),
    stat('indicators.fresh', FormatNumber(ind.fresh), 'stat-fresh'),
    stat('indicators.to_confirm', FormatNumber(ind.to_confirm), 'stat-to-confirm'),
    stat('indicators.freshness_rate', `${FormatNumber(Math.round((ind.freshness_rate ?? 0) * 100))} %`, 'stat-rate'),
    stat('indicators.regions', FormatNumber(ind.by_region.length), 'stat-regions')),
  ind.on_map === 0 ? h('p', { class: 'notice', text: T('indicators.empty') }) : null,
  h('div', { class: 'charts' },
    BarChart({ id: 'chart-region', title: T('indicators.by_region'), rows: rows(ind.by_region), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-region.csv' }),
    BarChart({ id: 'chart-family', title: T('indicators.by_family'), rows: rows(ind.by_family), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-famille.csv' }),
    BarChart({ id: 'chart-activity', title: T('indicators.by_activity'), rows: rows(ind.by_activity), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-activite.csv' }),
    BarChart({
      id: 'chart-freshness', title: T('indicators.freshness'), description: T('indicators.freshness.desc'), valueHeader: count, csvName: 'fraicheur.csv',
      rows: [{ label: T('freshness.fresh'), value: ind.fresh }, { label: T('freshness.to_confirm'), value: ind.to_confirm }],
    }),
    GrowthChart({ id: 'chart-growth', title: T('indicators.growth'), description: T('indicators.growth.desc'), rows: ind.monthly_growth, csvName: 'croissance-mensuelle.csv' }),
    BarChart({
      id: 'chart-status', title: T('indicators.by_status'), valueHeader: count, codeHeader: code, csvName: 'initiatives-par-statut.csv',
      rows: ind.by_status.map((s) => ({ label: T(`status.${s.status}`), code: s.status, value: s.count })),
    })));
MarkReady();
