// Likely duplicates across regions for the national pilot: the same SIRET, or the same
// normalised name within 200 m, side by side, with the pilot's mark on each pair ("distinct"
// or "same structure", a note, who and when: hub-side metadata, decision 0010). Everyone reads
// the marks; a signed-in pilot sets or clears them. Filter: every pair, to examine, marked.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Delete, Get, Put, Query } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { DistanceLabel } from '/common/labels.js';
import { LoadReferential } from '/common/referential.js';
import { RecordList } from '/common/record.js';
import { CurrentPilot, PilotBox } from './pilot.js';

AddMessages({
  'duplicates.title': { fr: 'Doublons probables entre régions', en: 'Likely duplicates across regions' },
  'duplicates.lead': {
    fr: 'Paires d\'initiatives de deux régions portant le même SIRET, ou le même nom à moins de 200 m. À signaler aux réseaux régionaux concernés. Le pilotage national peut marquer chaque paire : la marque reste au hub et ne change jamais les fiches des régions.',
    en: 'Pairs of initiatives from two regions with the same SIRET, or the same name within 200 m. To be reported to the regional networks concerned. The national pilot can mark each pair: the mark stays at the hub and never changes the regions\' records.',
  },
  'duplicates.none': { fr: 'Aucun doublon probable.', en: 'No likely duplicate.' },
  'duplicates.none.filtered': { fr: 'Aucune paire pour ce filtre.', en: 'No pair for this filter.' },
  'duplicates.count': { fr: '{count} paire(s)', en: '{count} pair(s)' },
  'duplicates.pair': { fr: 'Paire {n} : {reasons}, à {distance}', en: 'Pair {n}: {reasons}, {distance} apart' },
  'duplicates.siret': { fr: 'même SIRET', en: 'same SIRET' },
  'duplicates.name_nearby': { fr: 'même nom à proximité', en: 'same name nearby' },
  'duplicates.open': { fr: 'Voir la fiche', en: 'See the record' },
  'duplicates.filter': { fr: 'Afficher', en: 'Show' },
  'duplicates.filter.all': { fr: 'toutes les paires', en: 'every pair' },
  'duplicates.filter.no': { fr: 'les paires à examiner (non marquées)', en: 'pairs to examine (not marked)' },
  'duplicates.filter.yes': { fr: 'les paires déjà marquées', en: 'pairs already marked' },
  'duplicates.mark.distinct': { fr: 'Structures distinctes', en: 'Distinct organisations' },
  'duplicates.mark.same_structure': { fr: 'Même structure', en: 'Same organisation' },
  'duplicates.mark.none': { fr: 'Pas encore marquée.', en: 'Not marked yet.' },
  'duplicates.mark.by': { fr: 'Marquée « {mark} » par {who}, le {date}.', en: 'Marked "{mark}" by {who} on {date}.' },
  'duplicates.mark.note': { fr: 'Note : {note}', en: 'Note: {note}' },
  'duplicates.mark.legend': { fr: 'Marquer cette paire', en: 'Mark this pair' },
  'duplicates.mark.note.label': { fr: 'Note (facultative, 1 000 caractères au plus)', en: 'Note (optional, at most 1,000 characters)' },
  'duplicates.mark.save': { fr: 'Enregistrer la marque', en: 'Save the mark' },
  'duplicates.mark.clear': { fr: 'Effacer la marque', en: 'Clear the mark' },
  'duplicates.mark.saved': { fr: 'Marque enregistrée.', en: 'Mark saved.' },
  'duplicates.mark.cleared': { fr: 'Marque effacée.', en: 'Mark cleared.' },
});

await StartPage({ site: 'hub', title: 'duplicates.title', active: 'duplicates' });
const content = $('#content');
const referential = await LoadReferential().catch(() => null);
const perPage = 10;
const params = new URLSearchParams(location.search);
let page = Number(params.get('page') ?? 1) || 1;
let marked = ['yes', 'no'].includes(params.get('marked')) ? params.get('marked') : '';
let session = await CurrentPilot();

function Side(item) {
  return h('div', { class: 'card' },
    h('h3', {}, h('a', { href: `/initiative.html?region=${encodeURIComponent(item.region)}&id=${encodeURIComponent(item.id)}`, text: item.name })),
    RecordList(item, referential));
}

const MarkPath = (pair) => ['/api/duplicates', pair.first.region, pair.first.id, pair.second.region, pair.second.id, 'mark']
  .map(encodeURIComponent).join('/').replace(/%2F/g, '/');

function MarkStatus(pair) {
  const m = pair.mark;
  if (!m) return h('p', { class: 'mark-status', text: T('duplicates.mark.none') });
  return h('div', { class: 'mark-status' },
    h('p', {}, h('span', { class: `badge ${m.mark === 'same_structure' ? 'warning' : ''}`, text: T(`duplicates.mark.${m.mark}`) }), ' ',
      h('span', { text: T('duplicates.mark.by', { mark: T(`duplicates.mark.${m.mark}`), who: m.marked_by, date: FormatDate(m.marked_at) }) })),
    m.note ? h('p', { class: 'prewrap', text: T('duplicates.mark.note', { note: m.note }) }) : null);
}

function MarkForm(pair, i) {
  const id = `mark-${i}`;
  const status = h('p', { class: 'mark-result', role: 'status' });
  const form = h('form', { class: 'mark-form', novalidate: true },
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('fieldset', { 'data-field': 'mark' },
      h('legend', { text: T('duplicates.mark.legend') }),
      ['distinct', 'same_structure'].map((value) => h('div', { class: 'field checkbox' },
        h('input', { type: 'radio', id: `${id}-${value}`, name: 'mark', value, checked: pair.mark?.mark === value }),
        h('label', { for: `${id}-${value}`, text: T(`duplicates.mark.${value}`) })))),
    h('div', { class: 'field' },
      h('label', { for: `${id}-note`, text: T('duplicates.mark.note.label') }),
      h('textarea', { id: `${id}-note`, name: 'note', 'data-field': 'note', rows: 2, maxlength: 1000, text: pair.mark?.note ?? '' })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', text: T('duplicates.mark.save') }),
      pair.mark ? h('button', {
        type: 'button', class: 'secondary', text: T('duplicates.mark.clear'),
        onclick: async () => {
          ClearErrors(form);
          try {
            await Delete(MarkPath(pair));
            await Render(T('duplicates.mark.cleared'));
          } catch (error) { ShowApiError(form, error); }
        },
      }) : null),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    try {
      await Put(MarkPath(pair), { mark: form.elements.mark.value || undefined, note: form.elements.note.value });
      await Render(T('duplicates.mark.saved'));
    } catch (error) { ShowApiError(form, error); }
  });
  return form;
}

function FilterForm() {
  const select = h('select', { id: 'marked-filter', name: 'marked' },
    [['', 'all'], ['no', 'no'], ['yes', 'yes']].map(([value, key]) => h('option', { value, selected: value === marked, text: T(`duplicates.filter.${key}`) })));
  select.addEventListener('change', () => {
    marked = select.value;
    page = 1;
    Render();
  });
  return h('div', { class: 'field inline' }, h('label', { for: 'marked-filter', text: T('duplicates.filter') }), select);
}

async function Render(announce) {
  const data = await Get(`/api/duplicates${Query({ page, per_page: perPage, marked })}`);
  const pages = Math.max(1, Math.ceil(data.total / perPage));
  history.replaceState(null, '', Query({ page: page > 1 ? page : '', marked }) || location.pathname);
  const go = (p) => { page = p; Render(); };
  PilotBox($('#pilot'), session, (next) => { session = next; Render(); });
  Replace(content,
    h('p', { class: 'lead', text: T('duplicates.lead') }),
    FilterForm(),
    h('p', { class: 'summary', role: 'status', text: [T('duplicates.count', { count: FormatNumber(data.total) }), announce].filter(Boolean).join(' · ') }),
    data.items.length ? data.items.map((pair, i) => h('section', { class: 'pair', 'aria-labelledby': `pair-${i}`, dataset: { marked: pair.mark ? pair.mark.mark : 'none' } },
      h('h2', {
        id: `pair-${i}`,
        text: T('duplicates.pair', {
          n: FormatNumber((page - 1) * perPage + i + 1),
          reasons: pair.reasons.map((r) => T(`duplicates.${r}`)).join(', '),
          distance: DistanceLabel(pair.distance_m),
        }),
      }),
      MarkStatus(pair),
      session ? MarkForm(pair, i) : null,
      h('div', { class: 'side-by-side' }, Side(pair.first), Side(pair.second)))) : h('p', { class: 'notice', text: T(marked ? 'duplicates.none.filtered' : 'duplicates.none') }),
    pages > 1 ? h('div', { class: 'pager' },
      h('button', { type: 'button', class: 'secondary', disabled: page <= 1, text: T('search.prev'), onclick: () => go(page - 1) }),
      h('span', { text: T('search.page', { page, pages }) }),
      h('button', { type: 'button', class: 'secondary', disabled: page >= pages, text: T('search.next'), onclick: () => go(page + 1) })) : null);
}

await Render();
MarkReady();
