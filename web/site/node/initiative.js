// An initiative of the regional map: every public field, its offers, charter adherence,
// status and last confirmation, a route to it; anyone may endorse it or report a problem to the
// committee (the report form opens from its button). "Retour à la carte" finds the search as
// the visitor left it (common/record.js BackToSearch).
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { BackToSearch, FreshnessBadge, IsApproximate, OffersList, RecordList, RouteLink, StatusBadge } from '/common/record.js';
import { CreateMap, L, PointIcon } from '/common/map.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';

AddMessages({
  'back.map': { fr: 'Retour à la carte', en: 'Back to the map' },
  'initiative.page': { fr: 'Initiative', en: 'Initiative' },
  'initiative.missing': {
    fr: 'Cette initiative n\'est pas (ou plus) sur la carte publique.',
    en: 'This initiative is not (or no longer) on the public map.',
  },
  'initiative.erased': { fr: 'Cette initiative a été effacée à la demande de ses porteurs.', en: 'This initiative was erased at its owners\' request.' },
  'initiative.location': { fr: 'Localisation', en: 'Location' },
  'initiative.staff': { fr: 'Ouvrir le dossier au comité d\'éthique', en: 'Open the file in the ethics committee' },
  'participate.title': { fr: 'Participer', en: 'Take part' },
  'participate.lead': {
    fr: 'Vous connaissez cette initiative ? Soutenez-la, ou signalez au comité d\'éthique une information erronée.',
    en: 'Do you know this initiative? Endorse it, or tell the ethics committee about wrong information.',
  },
  'endorse.button': { fr: 'Soutenir cette initiative', en: 'Endorse this initiative' },
  'endorse.done': { fr: 'Merci ! Cette initiative compte {count} soutien(s).', en: 'Thank you! This initiative has {count} endorsement(s).' },
  'report.title': { fr: 'Signaler un problème', en: 'Report a problem' },
  'report.open': { fr: 'Signaler une erreur', en: 'Report an error' },
  'report.reason': { fr: 'Motif du signalement', en: 'Reason for the report' },
  'report.wrong_information': { fr: 'Informations erronées', en: 'Wrong information' },
  'report.closed': { fr: 'L\'initiative a cessé son activité', en: 'The initiative has closed' },
  'report.charter_breach': { fr: 'Manquement à la charte', en: 'Breach of the charter' },
  'report.comment': { fr: 'Précisions (facultatif)', en: 'Details (optional)' },
  'report.comment.hint': { fr: 'Ce que vous avez constaté ; 2 000 caractères au plus.', en: 'What you noticed; 2,000 characters at most.' },
  'report.submit': { fr: 'Envoyer le signalement', en: 'Send the report' },
  'report.done': { fr: 'Signalement transmis au comité d\'éthique. Merci.', en: 'Report sent to the ethics committee. Thank you.' },
});

const settings = await StartPage({ site: 'node', title: 'initiative.page', active: 'map' });
BackToSearch($('#back-to-map'));
const content = $('#content');
const id = new URLSearchParams(location.search).get('id') ?? '';
const referential = await LoadReferential().catch(() => null);

let item;
try {
  item = await Get(`/api/initiatives/${encodeURIComponent(id)}`);
} catch (e) {
  Replace(content, h('p', { class: 'notice error', text: e.status === 410 ? T('initiative.erased') : e.status === 404 ? T('initiative.missing') : e.message }));
  MarkReady();
  throw e;
}
document.title = `${item.name} · ${document.title}`;
const session = await Get('/api/session').catch(() => null);

const endorseStatus = h('p', { class: 'notice', role: 'status' });
const reportForm = h('form', { class: 'card report-form', id: 'report-form', novalidate: true, hidden: true, 'aria-labelledby': 'report-title' },
  h('h3', { id: 'report-title', tabindex: '-1', text: T('report.title') }),
  h('p', { class: 'form-alert', tabindex: '-1', role: 'alert' }),
  h('fieldset', { 'data-field': 'reason' },
    h('legend', { text: T('report.reason') }),
    ['wrong_information', 'closed', 'charter_breach'].map((r, i) => h('div', { class: 'checkbox' },
      h('input', { type: 'radio', name: 'reason', id: `reason-${r}`, value: r, checked: i === 0 }),
      h('label', { for: `reason-${r}`, text: T(`report.${r}`) })))),
  h('div', { class: 'field' },
    h('label', { for: 'comment', text: T('report.comment') }),
    h('textarea', { id: 'comment', name: 'comment', maxlength: '2000', 'aria-describedby': 'comment-hint' }),
    h('span', { id: 'comment-hint', class: 'hint', text: T('report.comment.hint') })),
  h('button', { type: 'submit', text: T('report.submit') }),
  h('p', { class: 'notice', role: 'status', id: 'report-status' }));

reportForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(reportForm);
  const status = $('#report-status', reportForm);
  try {
    const r = await Post(`/api/initiatives/${encodeURIComponent(id)}/reports`,
      { reason: reportForm.elements.reason.value, comment: reportForm.elements.comment.value.trim() });
    // One report per visitor and period: a second one is answered, not counted.
    status.className = r.counted === false ? 'notice' : 'notice success';
    status.textContent = r.counted === false ? r.message : T('report.done');
    reportForm.elements.comment.value = '';
  } catch (error) {
    ShowApiError(reportForm, error);
  }
});

// The report form stays closed until asked for.
const reportOpen = h('button', {
  type: 'button', class: 'secondary', id: 'report-open', text: T('report.open'),
  'aria-expanded': 'false', 'aria-controls': 'report-form',
  onclick: () => {
    const opening = reportForm.hidden;
    reportForm.hidden = !opening;
    reportOpen.setAttribute('aria-expanded', String(opening));
    if (opening) $('#report-title', reportForm).focus();
  },
});

const endorse = h('button', {
  type: 'button', class: 'secondary', text: T('endorse.button'),
  onclick: async () => {
    try {
      const r = await Post(`/api/initiatives/${encodeURIComponent(id)}/endorsements`, {});
      endorseStatus.className = r.counted === false ? 'notice' : 'notice success';
      endorseStatus.textContent = r.counted === false ? r.message : T('endorse.done', { count: FormatNumber(r.endorsements) });
    } catch (error) {
      endorseStatus.className = 'notice error';
      endorseStatus.textContent = error.message;
    }
  },
});

const mapBox = h('div', { id: 'location-map', class: 'map small-map' });
const staff = session && (session.account.role === 'admin' || session.member?.active);
Replace(content,
  h('h1', { text: item.name }),
  h('p', {}, StatusBadge(item.status), ' ', FreshnessBadge(item.freshness),
    item.endorsements ? [' ', h('span', { class: 'meta', text: `${T('field.endorsements')} : ${FormatNumber(item.endorsements)}` })] : null),
  staff ? h('p', {}, h('a', { href: `/comite/initiative.html?id=${encodeURIComponent(id)}`, text: T('initiative.staff') })) : null,
  h('div', { class: 'layout-record' },
    h('section', { 'aria-labelledby': 'record-title' },
      h('h2', { id: 'record-title', class: 'visually-hidden', text: T('initiative.page') }),
      RecordList(item, referential),
      item.offers?.length ? [h('h2', { text: T('field.offers') }), OffersList(item.offers)] : null),
    h('section', { 'aria-labelledby': 'location-title' },
      h('h2', { id: 'location-title', text: T('initiative.location') }), mapBox,
      IsApproximate(item.location_precision) ? h('p', { class: 'hint', text: T('record.position.approximate') }) : null,
      h('p', { class: 'location-links' }, RouteLink(item)))),
  h('section', { 'aria-labelledby': 'participate-title' },
    h('h2', { id: 'participate-title', text: T('participate.title') }),
    h('p', { text: T('participate.lead') }),
    h('div', { class: 'actions' }, endorse, reportOpen), endorseStatus,
    reportForm));

const { map } = await CreateMap(mapBox, { tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution, label: T('initiative.location') });
map.setView([item.latitude, item.longitude], 9);
L.marker([item.latitude, item.longitude], { icon: PointIcon(item), keyboard: false, interactive: false }).addTo(map);
MarkReady();
