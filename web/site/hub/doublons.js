// Likely duplicates across regions for the national pilot: the same SIRET, or the same
// normalised name within 200 m, side by side.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Query } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { RecordList } from '/common/record.js';

AddMessages({
  'duplicates.title': { fr: 'Doublons probables entre régions', en: 'Likely duplicates across regions' },
  'duplicates.lead': {
    fr: 'Paires d\'initiatives de deux régions portant le même SIRET, ou le même nom à moins de 200 m. À signaler aux réseaux régionaux concernés.',
    en: 'Pairs of initiatives from two regions with the same SIRET, or the same name within 200 m. To be reported to the regional networks concerned.',
  },
  'duplicates.none': { fr: 'Aucun doublon probable.', en: 'No likely duplicate.' },
  'duplicates.count': { fr: '{count} paire(s)', en: '{count} pair(s)' },
  'duplicates.pair': { fr: 'Paire {n} : {reasons}, à {distance} m', en: 'Pair {n}: {reasons}, {distance} m apart' },
  'duplicates.siret': { fr: 'même SIRET', en: 'same SIRET' },
  'duplicates.name_nearby': { fr: 'même nom à proximité', en: 'same name nearby' },
  'duplicates.open': { fr: 'Voir la fiche', en: 'See the record' },
});

await StartPage({ site: 'hub', title: 'duplicates.title', active: 'duplicates' });
const content = $('#content');
const referential = await LoadReferential().catch(() => null);
const perPage = 10;
let page = Number(new URLSearchParams(location.search).get('page') ?? 1) || 1;

function Side(item) {
  return h('div', { class: 'card' },
    h('h3', {}, h('a', { href: `/initiative.html?region=${encodeURIComponent(item.region)}&id=${encodeURIComponent(item.id)}`, text: item.name })),
    RecordList(item, referential));
}

async function Render() {
  const data = await Get(`/api/duplicates${Query({ page, per_page: perPage })}`);
  const pages = Math.max(1, Math.ceil(data.total / perPage));
  const go = (p) => { page = p; history.replaceState(null, '', `?page=${p}`); Render(); };
  Replace(content,
    h('p', { class: 'lead', text: T('duplicates.lead') }),
    h('p', { class: 'summary', role: 'status', text: T('duplicates.count', { count: FormatNumber(data.total) }) }),
    data.items.length ? data.items.map((pair, i) => h('section', { class: 'pair', 'aria-labelledby': `pair-${i}` },
      h('h2', {
        id: `pair-${i}`,
        text: T('duplicates.pair', {
          n: FormatNumber((page - 1) * perPage + i + 1),
          reasons: pair.reasons.map((r) => T(`duplicates.${r}`)).join(', '),
          distance: FormatNumber(pair.distance_m),
        }),
      }),
      h('div', { class: 'side-by-side' }, Side(pair.first), Side(pair.second)))) : h('p', { class: 'notice', text: T('duplicates.none') }),
    pages > 1 ? h('div', { class: 'pager' },
      h('button', { type: 'button', class: 'secondary', disabled: page <= 1, text: T('search.prev'), onclick: () => go(page - 1) }),
      h('span', { text: T('search.page', { page, pages }) }),
      h('button', { type: 'button', class: 'secondary', disabled: page >= pages, text: T('search.next'), onclick: () => go(page + 1) })) : null);
}

await Render();
MarkReady();
