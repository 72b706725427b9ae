// The records back office's list (GET /api/admin/records): the region's records filtered
// (a form whose values live in the address, so a filtered list can be bookmarked or shared),
// sorted from the column headers (aria-sort), in pages; the admin ticks records and reminds
// them or exports them as CSV (bulk bar). A committee member reads the same list without the
// checkboxes and bulk actions. On a phone each row is a card naming its columns
// (admin/records.css).
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { ApiError, CsrfToken, Get, Post, Query } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { LoadReferential, ByLabel } from '/common/referential.js';
import { StatusLabel } from '/common/labels.js';
import { StartAdmin } from '/admin/admin.js';
import { FreshnessLabel, ReminderStateLabel, SourceLabel } from '/admin/records-labels.js';

AddMessages({
  'admin.title.fiches': { fr: 'Fiches de la région', en: 'The region\'s records' },
  'records.lead': {
    fr: 'Toutes les fiches de la région, quel que soit leur statut. Filtrez, triez en cliquant sur les en-têtes, ouvrez une fiche pour son historique.',
    en: 'Every record of the region, whatever its status. Filter, sort by clicking the headings, open a record for its history.',
  },
  'records.readonly': { fr: 'Lecture seule : seule l\'administration agit sur les fiches.', en: 'Read only: only the administration acts on records.' },
  'records.filters': { fr: 'Filtres', en: 'Filters' },
  'records.q': { fr: 'Recherche (nom, commune, description)', en: 'Search (name, municipality, description)' },
  'records.any': { fr: 'Tous', en: 'Any' },
  'records.any.f': { fr: 'Toutes', en: 'Any' },
  'records.source': { fr: 'Origine', en: 'Source' },
  'records.submitted': { fr: 'Déposée', en: 'Submitted' },
  'records.updated': { fr: 'Modifiée', en: 'Updated' },
  'records.valid': { fr: 'Valable jusqu\'au', en: 'Valid until' },
  'records.from': { fr: '{what} : du', en: '{what}: from' },
  'records.to': { fr: '{what} : au', en: '{what}: to' },
  'records.more': { fr: 'Autres filtres : département, famille, origine, dates', en: 'More filters: department, family, source, dates' },
  'records.per_page': { fr: 'Fiches par page', en: 'Records per page' },
  'records.apply': { fr: 'Filtrer', en: 'Filter' },
  'records.reset': { fr: 'Effacer les filtres', en: 'Clear the filters' },
  'records.stale': { fr: 'Voir les fiches à confirmer', en: 'Show the records to be confirmed' },
  'records.count': { fr: '{count} fiche(s)', en: '{count} record(s)' },
  'records.none': { fr: 'Aucune fiche ne correspond à ces filtres.', en: 'No record matches these filters.' },
  'records.caption': { fr: 'Fiches, page {page} sur {pages}', en: 'Records, page {page} of {pages}' },
  'records.sort': { fr: 'Trier par {column}', en: 'Sort by {column}' },
  'records.col.select': { fr: 'Sélection', en: 'Selection' },
  'records.col.name': { fr: 'Nom', en: 'Name' },
  'records.col.status': { fr: 'Statut', en: 'Status' },
  'records.col.freshness': { fr: 'Fraîcheur', en: 'Freshness' },
  'records.col.department': { fr: 'Département', en: 'Department' },
  'records.col.family': { fr: 'Famille', en: 'Family' },
  'records.col.source': { fr: 'Origine', en: 'Source' },
  'records.col.submitted': { fr: 'Déposée le', en: 'Submitted on' },
  'records.col.updated': { fr: 'Modifiée le', en: 'Updated on' },
  'records.col.valid_until': { fr: 'Valable jusqu\'au', en: 'Valid until' },
  'records.col.reminders': { fr: 'Rappels', en: 'Reminders' },
  'records.select.all': { fr: 'Tout sélectionner sur cette page', en: 'Select all on this page' },
  'records.select.one': { fr: 'Sélectionner « {name} »', en: 'Select “{name}”' },
  'records.reminder_due': { fr: 'rappel à envoyer', en: 'reminder due' },
  'records.reminders.none': { fr: 'aucun', en: 'none' },
  'records.reminders.some': { fr: '{count}, dernier : {state} ({date})', en: '{count}, last: {state} ({date})' },
  'records.no_email': { fr: 'sans courriel', en: 'no e-mail' },
  'records.pages': { fr: 'Pages', en: 'Pages' },
  'records.previous': { fr: 'Page précédente', en: 'Previous page' },
  'records.next': { fr: 'Page suivante', en: 'Next page' },
  'records.page_of': { fr: 'Page {page} sur {pages}', en: 'Page {page} of {pages}' },
  'records.selected': { fr: '{count} fiche(s) sélectionnée(s)', en: '{count} record(s) selected' },
  'records.bulk': { fr: 'Actions sur la sélection', en: 'Actions on the selection' },
  'records.bulk.remind': { fr: 'Envoyer un rappel aux fiches sélectionnées', en: 'Send a reminder to the selected records' },
  'records.bulk.export': { fr: 'Exporter la sélection (CSV)', en: 'Export the selection (CSV)' },
  'records.bulk.empty': { fr: 'Sélectionnez d\'abord des fiches.', en: 'Select records first.' },
  'records.bulk.reminded': { fr: 'Rappels mis en file d\'envoi : {queued} sur {count}.', en: 'Reminders queued: {queued} of {count}.' },
  'records.bulk.refused': { fr: '« {name} » : {message}', en: '“{name}”: {message}' },
  'records.bulk.exported': { fr: 'Export prêt : {count} fiche(s) dans fiches.csv.', en: 'Export ready: {count} record(s) in fiches.csv.' },
});

const { settings, principal, content } = await StartAdmin('admin.title.fiches', 'records', { need: 'committee' });
const isAdmin = principal.account.role === 'admin';
const referential = await LoadReferential();
const params = new URLSearchParams(location.search);
const kSortable = [['name', 'name'], ['status', 'status'], ['department', 'department'], ['family', 'family'],
  ['submitted', 'submitted'], ['updated', 'updated'], ['valid_until', 'valid_until']];

const notice = h('div', { class: 'notice', role: 'status', id: 'records-notice', hidden: true });
function Tell(text, kind = 'success', extra = null) {
  notice.hidden = false;
  notice.className = `notice ${kind}`;
  Replace(notice, h('p', { text }), extra);
}

function Select(name, labelKey, options, anyKey = 'records.any') {
  const select = h('select', { id: `filter-${name}`, name, 'data-field': name },
    h('option', { value: '', text: T(anyKey) }),
    options.map(([value, label]) => h('option', { value, text: label })));
  select.value = params.get(name) ?? '';
  return h('div', { class: 'field' }, h('label', { for: select.id, text: T(labelKey) }), select);
}

function DateField(name, labelKey, what) {
  const input = h('input', { type: 'date', id: `filter-${name}`, name, 'data-field': name, value: params.get(name) ?? '' });
  return h('div', { class: 'field' }, h('label', { for: input.id, text: T(labelKey, { what: T(what) }) }), input);
}

const kMoreFilters = ['department', 'family', 'source', 'submitted_from', 'submitted_to', 'updated_from', 'updated_to',
  'valid_from', 'valid_to', 'per_page'];
const departments = [...referential.departments.values()].filter((d) => d.region === settings.region).sort(ByLabel);
const families = [...referential.families.values()].sort(ByLabel);
const statuses = ['pending', 'changes_requested', 'admitted', 'rejected', 'suspended', 'withdrawn'];
const q = h('input', { type: 'search', id: 'filter-q', name: 'q', 'data-field': 'q', value: params.get('q') ?? '', maxlength: '200' });
const perPage = h('select', { id: 'filter-per_page', name: 'per_page', 'data-field': 'per_page' },
  ['25', '50', '100'].map((n) => h('option', { value: n, text: n })));
perPage.value = params.get('per_page') ?? '25';

const form = h('form', { class: 'card records-filters', id: 'records-filters', novalidate: true, 'aria-labelledby': 'filters-title' },
  h('h2', { id: 'filters-title', text: T('records.filters') }),
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('div', { class: 'field' }, h('label', { for: q.id, text: T('records.q') }), q),
  h('div', { class: 'grid-2' },
    Select('status', 'records.col.status', statuses.map((s) => [s, StatusLabel(s)])),
    Select('freshness', 'records.col.freshness', ['fresh', 'reminder_due', 'to_confirm', 'hidden'].map((f) => [f, FreshnessLabel(f)]), 'records.any.f')),
  // The other filters fold away (open when one of them is set).
  h('details', { id: 'more-filters', open: kMoreFilters.some((k) => params.get(k)) },
    h('summary', { text: T('records.more') }),
    h('div', { class: 'grid-2' },
      Select('department', 'records.col.department', departments.map((d) => [d.code, `${d.label ?? d.name} (${d.code})`])),
      Select('family', 'records.col.family', families.map((f) => [f.code, f.label]), 'records.any.f'),
      Select('source', 'records.source', ['form', 'import'].map((s) => [s, SourceLabel(s)]), 'records.any.f')),
    h('div', { class: 'grid-dates' },
      DateField('submitted_from', 'records.from', 'records.submitted'), DateField('submitted_to', 'records.to', 'records.submitted'),
      DateField('updated_from', 'records.from', 'records.updated'), DateField('updated_to', 'records.to', 'records.updated'),
      DateField('valid_from', 'records.from', 'records.valid'), DateField('valid_to', 'records.to', 'records.valid')),
    h('div', { class: 'field' }, h('label', { for: perPage.id, text: T('records.per_page') }), perPage)),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', text: T('records.apply') }),
    h('a', { href: '/admin/fiches.html', class: 'button secondary', text: T('records.reset') }),
    h('a', { href: '/admin/fiches.html?freshness=to_confirm&sort=valid_until', id: 'stale-link', text: T('records.stale') })));

// The form's values and the current sort and page, as the address's query.
function Wanted(changes = {}) {
  const wanted = {};
  for (const el of form.elements) if (el.name && el.value) wanted[el.name] = el.value;
  for (const key of ['sort', 'order', 'page', 'lang']) if (params.get(key)) wanted[key] = params.get(key);
  if (wanted.per_page === '25') delete wanted.per_page;
  return { ...wanted, ...changes };
}
function Go(changes) { location.search = Query(Wanted(changes)); }
form.addEventListener('submit', (e) => { e.preventDefault(); Go({ page: undefined }); });

const selected = new Set();
const selectedCount = h('span', { id: 'selected-count', role: 'status' });
const bulkStatus = h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' });
const names = new Map();
function ShowSelection() { selectedCount.textContent = T('records.selected', { count: FormatNumber(selected.size) }); }

async function RemindSelected() {
  if (!selected.size) return Tell(T('records.bulk.empty'), 'error');
  try {
    const out = await Post('/api/admin/records/reminders', { ids: [...selected] });
    const refused = out.results.filter((r) => !r.queued);
    Tell(T('records.bulk.reminded', { queued: out.queued, count: out.results.length }), refused.length ? 'warning' : 'success',
      refused.length ? h('ul', {}, refused.map((r) => h('li', { text: T('records.bulk.refused', { name: names.get(r.id) ?? r.id, message: r.message }) }))) : null);
  } catch (e) { Tell(e.message, 'error'); }
}

async function ExportSelected() {
  if (!selected.size) return Tell(T('records.bulk.empty'), 'error');
  const response = await fetch('/api/admin/records/export', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': CsrfToken() },
    body: JSON.stringify({ ids: [...selected] }),
  });
  if (!response.ok) {
    const error = await response.json().catch(() => ({ message: response.statusText }));
    return Tell(error.message, 'error');
  }
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: 'fiches.csv', id: 'export-link', text: 'fiches.csv' });
  Tell(T('records.bulk.exported', { count: selected.size }), 'success', h('p', {}, link));
  link.click();
}

function ReminderCell(item) {
  const r = item.reminders;
  const text = r.count
    ? T('records.reminders.some', { count: r.count, state: ReminderStateLabel(r.last_state), date: FormatDate(r.last_at) })
    : T('records.reminders.none');
  return [h('span', {}, text, item.has_contact_email ? [' ', h('span', { class: 'badge warning', text: T('records.no_email') })] : null)];
}

function Table(page) {
  const sort = params.get('sort') ?? 'name';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const pages = Math.max(1, Math.ceil(page.total / page.per_page));
  const Header = (key, sortKey) => {
    const label = T(`records.col.${key}`);
    if (!sortKey) return h('th', { scope: 'col', class: 'cell-label', text: label });
    const active = sort === sortKey;
    return h('th', { scope: 'col', 'aria-sort': active ? (order === 'desc' ? 'descending' : 'ascending') : 'none' },
      h('button', {
        type: 'button', class: 'sort', 'data-sort': sortKey, text: label, title: T('records.sort', { column: label }),
        onclick: () => Go({ sort: sortKey, order: active && order === 'asc' ? 'desc' : 'asc', page: undefined }),
      }));
  };
  const sortKeyOf = new Map(kSortable);
  const columns = ['name', 'status', 'freshness', 'department', 'family', 'source', 'submitted', 'updated', 'valid_until', 'reminders'];
  const all = isAdmin ? h('input', { type: 'checkbox', id: 'select-all', 'aria-label': T('records.select.all') }) : null;
  const boxes = [];
  const rows = page.items.map((item) => {
    names.set(item.id, item.name);
    const cell = (key, ...children) => h('td', { 'data-label': T(`records.col.${key}`) }, ...children);
    let box = null;
    if (isAdmin) {
      box = h('input', { type: 'checkbox', value: item.id, 'aria-label': T('records.select.one', { name: item.name }), checked: selected.has(item.id) });
      box.addEventListener('change', () => { if (box.checked) selected.add(item.id); else selected.delete(item.id); ShowSelection(); });
      boxes.push(box);
    }
    return h('tr', { 'data-id': item.id },
      isAdmin ? cell('select', box) : null,
      cell('name', h('a', { href: `/admin/fiche.html?id=${encodeURIComponent(item.id)}`, text: item.name })),
      cell('status', StatusLabel(item.status)),
      cell('freshness', h('span', {}, FreshnessLabel(item.freshness), item.reminder_due ? [' ', h('span', { class: 'badge warning', text: T('records.reminder_due') })] : null)),
      cell('department', `${referential.Label('departments', item.department)} (${item.department})`),
      cell('family', referential.Label('families', item.family)),
      cell('source', SourceLabel(item.source)),
      cell('submitted', FormatDate(item.submitted_at)),
      cell('updated', FormatDate(item.updated_at)),
      cell('valid_until', FormatDate(item.valid_until)),
      cell('reminders', ...ReminderCell(item)));
  });
  all?.addEventListener('change', () => {
    for (const box of boxes) {
      box.checked = all.checked;
      if (all.checked) selected.add(box.value); else selected.delete(box.value);
    }
    ShowSelection();
  });
  const table = h('table', { class: 'records-table', id: 'records-table' },
    h('caption', { class: 'visually-hidden', text: T('records.caption', { page: page.page, pages }) }),
    h('thead', {}, h('tr', {},
      isAdmin ? h('th', { scope: 'col' }, all) : null,
      columns.map((key) => Header(key, sortKeyOf.get(key))))),
    h('tbody', {}, rows));
  const pageLink = (n, key) => (n >= 1 && n <= pages && n !== page.page
    ? h('a', { href: Query(Wanted({ page: n })) || '?', rel: key === 'previous' ? 'prev' : 'next', text: T(`records.${key}`) })
    : null);
  const nav = h('nav', { class: 'records-pages', 'aria-label': T('records.pages') },
    h('ul', {}, [pageLink(page.page - 1, 'previous'), pageLink(page.page + 1, 'next')].filter(Boolean).map((a) => h('li', {}, a))),
    h('span', { text: T('records.page_of', { page: page.page, pages }) }));
  return [table, nav];
}

let page;
try {
  const asked = Object.fromEntries(params);
  delete asked.lang;  // the page's language, not a filter
  page = await Get(`/api/admin/records${Query(asked)}`);
} catch (e) {
  if (!(e instanceof ApiError)) throw e;
  Replace(content, h('p', { text: T('records.lead') }), form);
  ClearErrors(form);
  ShowApiError(form, e);
  MarkReady();
  throw e;
}

const bulk = isAdmin ? h('section', { class: 'records-bulk', id: 'records-bulk', 'aria-label': T('records.bulk') },
  selectedCount,
  h('button', { type: 'button', id: 'bulk-remind', text: T('records.bulk.remind'), onclick: RemindSelected }),
  h('button', { type: 'button', class: 'secondary', id: 'bulk-export', text: T('records.bulk.export'), onclick: () => ExportSelected().catch((e) => Tell(e.message, 'error')) }),
  bulkStatus) : null;
ShowSelection();

Replace(content,
  h('p', { text: T('records.lead') }),
  isAdmin ? null : h('p', { class: 'notice', text: T('records.readonly') }),
  form,
  notice,
  h('h2', { id: 'records-count', text: T('records.count', { count: FormatNumber(page.total) }) }),
  page.items.length ? Table(page) : h('p', { text: T('records.none') }),
  page.items.length ? bulk : null);
MarkReady();
$('#records-count')?.setAttribute('tabindex', '-1');
