// One record of the back office (GET /api/admin/records/{id}): its fields, status and
// freshness, the reminders sent with their delivery state, its history (events and journal
// revisions). The admin acts on it: a reminder now, a new private link (the older ones
// revoked; mailed to the contact, else shown to hand over), an edit on the owner's behalf
// with its reason, in the registration form (initiative-form.js). A committee member reads it.
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post, Put } from '/common/api.js';
import { ClearErrors, ShowApiError, ShowErrors } from '/common/forms.js';
import { LoadReferential } from '/common/referential.js';
import { RecordList } from '/common/record.js';
import { StatusLabel } from '/common/labels.js';
import { InitiativeForm } from '/initiative-form.js';
import { StartAdmin } from '/admin/admin.js';
import { ActionLabel, ActorLabel, FreshnessLabel, ReminderStateLabel, SourceLabel } from '/admin/records-labels.js';

AddMessages({
  'admin.title.fiche': { fr: 'Fiche', en: 'Record' },
  'record.back': { fr: 'Retour à la liste des fiches', en: 'Back to the list of records' },
  'record.missing': { fr: 'Fiche introuvable.', en: 'Record not found.' },
  'record.state': { fr: 'Où en est la fiche', en: 'Where the record stands' },
  'record.source': { fr: 'Origine', en: 'Source' },
  'record.submitted': { fr: 'Déposée le', en: 'Submitted on' },
  'record.updated': { fr: 'Modifiée le', en: 'Updated on' },
  'record.hide_after': { fr: 'Retirée de la carte le', en: 'Off the map on' },
  'record.contact_email': { fr: 'Courriel du contact (privé)', en: 'Contact\'s e-mail (private)' },
  'record.no_contact_email': { fr: 'aucun : rappels et liens ne peuvent pas lui être envoyés', en: 'none: reminders and links cannot be mailed' },
  'record.reminder_due': { fr: 'Rappel à envoyer', en: 'Reminder due' },
  'record.fields': { fr: 'Contenu de la fiche', en: 'The record\'s content' },
  'record.actions': { fr: 'Actions', en: 'Actions' },
  'record.readonly': { fr: 'Lecture seule : seule l\'administration agit sur les fiches.', en: 'Read only: only the administration acts on records.' },
  'record.remind': { fr: 'Envoyer un rappel maintenant', en: 'Send a reminder now' },
  'record.reminded': { fr: 'Rappel mis en file d\'envoi vers le contact.', en: 'Reminder queued for the contact.' },
  'record.reissue': { fr: 'Émettre un nouveau lien privé', en: 'Issue a new private link' },
  'record.reissue.lead': {
    fr: 'Le nouveau lien remplace tous les précédents, qui cessent de fonctionner. Il est envoyé au courriel du contact s\'il y en a un.',
    en: 'The new link replaces every earlier one, which stop working. It is mailed to the contact\'s e-mail if there is one.',
  },
  'record.reissued.mailed': { fr: 'Nouveau lien envoyé au contact ({revoked} lien(s) précédent(s) révoqué(s)).', en: 'New link mailed to the contact ({revoked} earlier link(s) revoked).' },
  'record.reissued.hand': {
    fr: 'Pas de courriel de contact : remettez vous-même ce lien au porteur ({revoked} lien(s) précédent(s) révoqué(s)). Il ne sera plus affiché.',
    en: 'No contact e-mail: hand this link to the owner yourself ({revoked} earlier link(s) revoked). It will not be shown again.',
  },
  'record.edit': { fr: 'Modifier au nom du porteur', en: 'Edit on the owner\'s behalf' },
  'record.edit.lead': {
    fr: 'La modification est journalisée comme toute autre, avec votre nom et le motif ; le porteur en est informé par courriel. Une fiche admise passe par le comité.',
    en: 'The change is journalled like any other, with your name and the reason; the owner is told by e-mail. An admitted record goes through the committee.',
  },
  'record.edit.reason': { fr: 'Motif de la modification (transmis au porteur)', en: 'Reason for the change (sent to the owner)' },
  'record.edit.reason.hint': { fr: 'De 3 à 500 caractères, par exemple « horaires donnés par téléphone ».', en: '3 to 500 characters, e.g. “opening hours given by phone”.' },
  'record.edit.reason.required': { fr: 'Dites au porteur pourquoi vous modifiez sa fiche.', en: 'Tell the owner why you change their record.' },
  'record.edit.submit': { fr: 'Enregistrer la modification', en: 'Save the change' },
  'record.edited': { fr: 'Modification enregistrée et journalisée.', en: 'Change saved and journalled.' },
  'record.proposed': { fr: 'Modification transmise au comité (la fiche est admise).', en: 'Change sent to the committee (the record is admitted).' },
  'record.told': { fr: 'Le porteur en est informé par courriel, avec le motif.', en: 'The owner is told by e-mail, with the reason.' },
  'record.not_told': { fr: 'Pas de courriel de contact : prévenez le porteur vous-même.', en: 'No contact e-mail: tell the owner yourself.' },
  'record.reminders': { fr: 'Rappels envoyés', en: 'Reminders sent' },
  'record.reminders.none': { fr: 'Aucun rappel envoyé.', en: 'No reminder sent.' },
  'record.reminders.caption': { fr: 'Rappels de mise à jour et leur envoi', en: 'Update reminders and their delivery' },
  'record.reminders.queued_at': { fr: 'Mis en file le', en: 'Queued on' },
  'record.reminders.recipient': { fr: 'Destinataire', en: 'Recipient' },
  'record.reminders.state': { fr: 'Envoi', en: 'Delivery' },
  'record.reminders.attempts': { fr: 'Tentatives', en: 'Attempts' },
  'record.reminders.answer': { fr: 'Réponse du serveur', en: 'Server\'s answer' },
  'record.history': { fr: 'Historique', en: 'History' },
  'record.history.by': { fr: 'par {actor}', en: 'by {actor}' },
  'record.revisions': { fr: 'Révisions journalisées', en: 'Journalled revisions' },
  'record.revisions.caption': { fr: 'Versions publiées dans le journal de la région', en: 'Versions published in the region\'s journal' },
  'record.revisions.version': { fr: 'Version', en: 'Version' },
  'record.revisions.status': { fr: 'Statut', en: 'Status' },
  'record.revisions.index': { fr: 'Position dans le journal', en: 'Position in the journal' },
  'record.revisions.at': { fr: 'Journalisée le', en: 'Journalled on' },
});

const { settings, principal, content } = await StartAdmin('admin.title.fiche', 'records', { need: 'committee' });
const isAdmin = principal.account.role === 'admin';
const id = new URLSearchParams(location.search).get('id') ?? '';
const path = `/api/admin/records/${encodeURIComponent(id)}`;
const referential = await LoadReferential();

let detail;
try {
  detail = await Get(path);
} catch (e) {
  Replace(content, h('p', { class: 'notice error', text: e.status === 404 ? T('record.missing') : e.message }),
    h('p', {}, h('a', { href: '/admin/fiches.html', text: T('record.back') })));
  MarkReady();
  throw e;
}

const notice = h('div', { class: 'notice', role: 'status', id: 'record-notice', hidden: true });
function Tell(text, kind = 'success', extra = null) {
  notice.hidden = false;
  notice.className = `notice ${kind}`;
  Replace(notice, h('p', { text }), extra);
}

const stateBox = h('div', { id: 'record-state' });
const fieldsBox = h('div', { id: 'record-fields' });
const remindersBox = h('div', { id: 'record-reminders' });
const historyBox = h('div', { id: 'record-history' });
const revisionsBox = h('div', { id: 'record-revisions' });
const when = (iso) => h('time', { datetime: iso, text: FormatDate(iso) });

function Render() {
  const { record, summary } = detail;
  $('main h1').textContent = record.name;
  Replace(stateBox,
    h('p', {}, h('span', { class: 'badge', text: StatusLabel(record.status) }), ' ',
      h('span', { class: `badge ${summary.freshness === 'fresh' ? '' : 'warning'}`, text: FreshnessLabel(summary.freshness) }),
      summary.reminder_due ? [' ', h('span', { class: 'badge warning', text: T('record.reminder_due') })] : null),
    h('dl', { class: 'record' },
      h('dt', { text: T('record.source') }), h('dd', { text: SourceLabel(summary.source) }),
      h('dt', { text: T('record.submitted') }), h('dd', {}, when(summary.submitted_at)),
      h('dt', { text: T('record.updated') }), h('dd', {}, when(summary.updated_at)),
      h('dt', { text: T('field.confirmed_at') }), h('dd', {}, when(summary.confirmed_at)),
      h('dt', { text: T('field.valid_until') }), h('dd', {}, when(summary.valid_until)),
      h('dt', { text: T('record.hide_after') }), h('dd', {}, when(summary.hide_after)),
      h('dt', { text: T('record.contact_email') }),
      h('dd', { text: record.private?.contact_email ?? T('record.no_contact_email') })));
  Replace(fieldsBox, RecordList(record, referential));
  Replace(remindersBox, detail.reminders.length
    ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T('record.reminders.caption') },
      h('table', { id: 'reminders-table' },
        h('caption', { class: 'visually-hidden', text: T('record.reminders.caption') }),
        h('thead', {}, h('tr', {}, ['queued_at', 'recipient', 'state', 'attempts', 'answer']
          .map((k) => h('th', { scope: 'col', text: T(`record.reminders.${k}`) })))),
        h('tbody', {}, detail.reminders.map((m) => h('tr', {},
          h('td', {}, when(m.queued_at)), h('td', { text: m.recipient }),
          h('td', {}, h('span', { class: `badge ${m.state === 'failed' ? 'danger' : m.state === 'queued' ? 'warning' : ''}`, text: ReminderStateLabel(m.state) })),
          h('td', { text: String(m.attempts) }), h('td', { text: m.last_error ?? T('none') }))))))
    : h('p', { text: T('record.reminders.none') }));
  Replace(historyBox, h('ol', { class: 'history-list', id: 'history-list', reversed: true },
    [...detail.events].reverse().map((e) => h('li', {},
      when(e.at), ' — ', h('strong', { text: ActionLabel(e.action) }), ' ', T('record.history.by', { actor: ActorLabel(e.actor) }),
      e.detail ? h('p', { class: 'prewrap', text: e.detail }) : null))));
  Replace(revisionsBox, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T('record.revisions.caption') },
    h('table', {},
      h('caption', { class: 'visually-hidden', text: T('record.revisions.caption') }),
      h('thead', {}, h('tr', {}, ['version', 'status', 'index', 'at'].map((k) => h('th', { scope: 'col', text: T(`record.revisions.${k}`) })))),
      h('tbody', {}, detail.revisions.map((r) => h('tr', {},
        h('td', { text: String(r.record_version) }), h('td', { text: r.status ? StatusLabel(r.status) : T('none') }),
        h('td', { text: String(r.log_index) }), h('td', {}, when(r.journalled_at))))))));
}

async function Reload() {
  detail = await Get(path);
  Render();
}

let actions = h('p', { class: 'notice', text: T('record.readonly') });
let editSection = null;
let SetUpEditForm = () => {};
if (isAdmin) {
  const linkBox = h('div', { id: 'new-link' });
  actions = h('div', {},
    h('div', { class: 'record-actions' },
      h('button', {
        type: 'button', id: 'remind-now', text: T('record.remind'),
        onclick: async () => {
          try {
            await Post(`${path}/reminders`);
            Tell(T('record.reminded'));
            await Reload();
          } catch (e) { Tell(e.message, 'error'); }
        },
      })),
    h('p', { class: 'hint', text: T('record.reissue.lead') }),
    h('div', { class: 'record-actions' },
      h('button', {
        type: 'button', class: 'secondary', id: 'reissue-link', text: T('record.reissue'),
        onclick: async () => {
          try {
            const link = await Post(`/api/admin/initiatives/${encodeURIComponent(id)}/edit-links`);
            if (link.mailed) {
              Replace(linkBox);
              Tell(T('record.reissued.mailed', { revoked: link.revoked }));
            } else {
              const url = `${settings.public_url || location.origin}/modifier/${encodeURIComponent(id)}#jeton=${link.edit_token}`;
              Tell(T('record.reissued.hand', { revoked: link.revoked }), 'warning', h('p', { class: 'secret', id: 'handed-link', text: url }));
            }
            await Reload();
          } catch (e) { Tell(e.message, 'error'); }
        },
      })),
    linkBox);

  const reason = h('textarea', { id: 'edit-reason', name: 'reason', 'data-field': 'reason', rows: '3', maxlength: '500', required: true, 'aria-required': 'true', 'aria-describedby': 'edit-reason-hint' });
  const editForm = h('form', { novalidate: true, id: 'edit-form' },
    h('div', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('div', { id: 'edit-fields' }),
    h('div', { class: 'field' },
      h('label', { for: reason.id }, T('record.edit.reason'), h('span', { class: 'hint', text: ` ${T('form.required')}` })),
      reason,
      h('span', { class: 'hint', id: 'edit-reason-hint', text: T('record.edit.reason.hint') })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: T('record.edit.submit') })));
  editSection = h('section', { class: 'card', 'aria-labelledby': 'edit-title', id: 'edit-section' },
    h('h2', { id: 'edit-title', text: T('record.edit') }),
    h('p', { class: 'hint', text: T('record.edit.lead') }),
    editForm);
  // Built once the section is in the page (its pin map needs a size).
  SetUpEditForm = () => {
    const form = new InitiativeForm($('#edit-fields'), referential, settings.region,
      { tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution });
    const current = detail.record;
    form.Fill(current.proposal
      ? { ...current.proposal.payload, private: current.proposal.private, commune_name: current.proposal.commune_name }
      : current);
    editForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      ClearErrors(editForm);
      const errors = form.Check();
      if (reason.value.trim().length < 3) errors.push({ field: 'reason', message: T('record.edit.reason.required') });
      if (errors.length) {
        ShowErrors(editForm, errors);
        return;
      }
      try {
        const edited = await Put(`/api/admin/initiatives/${encodeURIComponent(id)}`, { ...form.Read(), reason: reason.value.trim() });
        reason.value = '';
        await Reload();
        const told = detail.record.private?.contact_email ? 'record.told' : 'record.not_told';
        Tell(`${T(edited.proposal ? 'record.proposed' : 'record.edited')} ${T(told)}`, told === 'record.told' ? 'success' : 'warning');
        notice.scrollIntoView({ block: 'center' });
      } catch (error) { ShowApiError(editForm, error); }
    });
  };
}

Replace(content,
  h('p', {}, h('a', { href: '/admin/fiches.html', text: T('record.back') })),
  notice,
  h('section', { class: 'card', 'aria-labelledby': 'state-title' }, h('h2', { id: 'state-title', text: T('record.state') }), stateBox),
  h('section', { class: 'card', 'aria-labelledby': 'actions-title' }, h('h2', { id: 'actions-title', text: T('record.actions') }), actions),
  h('section', { 'aria-labelledby': 'reminders-title' }, h('h2', { id: 'reminders-title', text: T('record.reminders') }), remindersBox),
  h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title', text: T('record.history') }), historyBox),
  h('section', { 'aria-labelledby': 'revisions-title' }, h('h2', { id: 'revisions-title', text: T('record.revisions') }), revisionsBox),
  h('section', { 'aria-labelledby': 'fields-title' }, h('h2', { id: 'fields-title', text: T('record.fields') }), fieldsBox),
  editSection);
Render();
SetUpEditForm();
MarkReady();
