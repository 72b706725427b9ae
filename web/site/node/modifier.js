// The owner's page behind the private edit link (/modifier/<id>#jeton=<token>): the record's
// state, the one-click "still current" confirmation, re-adherence to a new charter, the edit
// form (checked as the registration's: every error at once, the pin on its map), withdrawal,
// erasure and revoking the link. Every call sends the token in X-Edit-Token. When the
// committee asks for changes, its reasons (the members' words) are shown with the request;
// a proposal waiting for the committee is shown word by word against the published record;
// by the region's rule, contact changes of a published record are published at once.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Api, Get } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { ClearErrors, ShowApiError, ShowErrors } from '/common/forms.js';
import { FreshnessBadge, StatusBadge } from '/common/record.js';
import { WordDiff } from '/common/word_diff.js';
import { InitiativeForm } from '/initiative-form.js';

AddMessages({
  'owner.page': { fr: 'Modifier ma fiche', en: 'Edit my record' },
  'owner.title': { fr: 'Votre fiche : {name}', en: 'Your record: {name}' },
  'owner.invalid': {
    fr: 'Ce lien de modification n\'est pas (ou plus) valide. Demandez un nouveau lien au réseau régional.',
    en: 'This edit link is not (or no longer) valid. Ask the regional network for a new one.',
  },
  'owner.state': { fr: 'Où en est la fiche', en: 'Where the record stands' },
  'owner.public': { fr: 'Voir la fiche publique', en: 'See the public record' },
  'owner.confirm.title': { fr: 'Votre fiche est-elle toujours à jour ?', en: 'Is your record still current?' },
  'owner.confirm.lead': {
    fr: 'Sans confirmation, une fiche passe « à confirmer » après sa date de validité puis quitte la carte.',
    en: 'Unconfirmed, a record becomes "to be confirmed" after its validity date, then leaves the map.',
  },
  'owner.confirm': { fr: 'Oui, la fiche est toujours à jour', en: 'Yes, the record is still current' },
  'owner.confirmed': { fr: 'Merci ! Fiche confirmée, valide jusqu\'au {date}.', en: 'Thank you! Record confirmed, valid until {date}.' },
  'owner.readhere.title': { fr: 'Nouvelle version de la charte', en: 'New version of the charter' },
  'owner.readhere.lead': {
    fr: 'La région a publié la version {version} de sa charte. Lisez-la et adhérez-y pour rester sur la carte.',
    en: 'The region published version {version} of its charter. Read it and adhere to it to stay on the map.',
  },
  'owner.readhere.by': { fr: 'Nom de la personne qui engage l\'initiative', en: 'Name of the person committing the initiative' },
  'owner.readhere.submit': { fr: 'Adhérer à la version {version}', en: 'Adhere to version {version}' },
  'owner.readhered': { fr: 'Adhésion enregistrée.', en: 'Adherence recorded.' },
  'owner.edit.title': { fr: 'Modifier la fiche', en: 'Edit the record' },
  'owner.edit.lead': {
    fr: 'Enregistrer vaut aussi confirmation que la fiche est à jour. Après une demande de modifications du comité, la fiche lui est de nouveau soumise.',
    en: 'Saving also confirms the record is current. After the committee asked for changes, the record goes back to it.',
  },
  'owner.edit.lead.admitted': {
    fr: 'Votre fiche est publiée : vos modifications seront soumises au comité d\'éthique, qui les examine avant de les publier. D\'ici là, la fiche publiée reste telle quelle (pour seulement confirmer qu\'elle est à jour, utilisez le bouton ci-dessus).',
    en: 'Your record is published: your changes will go to the ethics committee, which reviews them before publishing them. Until then the published record stays as it is (to only confirm it is current, use the button above).',
  },
  'owner.edit.submit': { fr: 'Enregistrer les modifications', en: 'Save the changes' },
  'owner.edit.submit.admitted': { fr: 'Proposer ces modifications au comité', en: 'Propose these changes to the committee' },
  'owner.edit.lead.contact': {
    fr: 'Votre fiche est publiée. Dans cette région, un changement des seules coordonnées (courriel, téléphone, site web, contact privé) est publié aussitôt ; toute autre modification est soumise au comité d\'éthique, qui l\'examine avant de la publier. D\'ici là, la fiche publiée reste telle quelle.',
    en: 'Your record is published. In this region, a change of contact details only (email, phone, website, private contact) is published at once; any other change goes to the ethics committee, which reviews it before publishing it. Until then the published record stays as it is.',
  },
  'owner.published': {
    fr: 'Coordonnées publiées sans attendre le comité (règle de la région) : {fields}.',
    en: 'Contact details published without waiting for the committee (the region\'s rule): {fields}.',
  },
  'owner.request.title': { fr: 'Modifications demandées par le comité', en: 'Changes requested by the committee' },
  'owner.request.initiative': {
    fr: 'Le {date}, le comité d\'éthique vous a demandé de revoir votre fiche. Ses membres ont écrit :',
    en: 'On {date}, the ethics committee asked you to revise your record. Its members wrote:',
  },
  'owner.request.edit_proposal': {
    fr: 'Le {date}, le comité d\'éthique vous a demandé de revoir votre proposition de modification (la fiche publiée reste inchangée). Ses membres ont écrit :',
    en: 'On {date}, the ethics committee asked you to revise your proposed changes (the published record stays unchanged). Its members wrote:',
  },
  'owner.request.none': { fr: 'Le comité n\'a pas précisé ses raisons.', en: 'The committee gave no reasons.' },
  'owner.request.next': {
    fr: 'Corrigez la fiche dans le formulaire ci-dessous et enregistrez : elle repartira au comité.',
    en: 'Correct the record in the form below and save: it will go back to the committee.',
  },
  'owner.changes.title': { fr: 'Ce que votre proposition change', en: 'What your proposal changes' },
  'owner.changes.lead': {
    fr: 'Par rapport à la fiche publiée : les passages retirés sont barrés, les ajouts sur fond vert.',
    en: 'Compared with the published record: removed passages are struck through, additions on a green background.',
  },
  'owner.changes.none': { fr: 'Aucune différence avec la fiche publiée.', en: 'No difference from the published record.' },
  'owner.diff.deleted': { fr: 'supprimé :', en: 'removed:' },
  'owner.diff.inserted': { fr: 'ajouté :', en: 'added:' },
  'owner.edited': { fr: 'Modifications enregistrées.', en: 'Changes saved.' },
  'owner.proposed': {
    fr: 'Modifications transmises au comité d\'éthique : la fiche publiée reste inchangée jusqu\'à sa décision.',
    en: 'Changes sent to the ethics committee: the published record stays unchanged until it decides.',
  },
  'owner.proposal.title': { fr: 'Votre proposition de modification', en: 'Your proposed changes' },
  'owner.proposal.under_review': {
    fr: 'Proposée le {date}, elle est examinée par le comité d\'éthique. La fiche publiée reste inchangée jusqu\'à sa décision ; le formulaire ci-dessous montre votre proposition, que vous pouvez encore revoir.',
    en: 'Proposed on {date}, it is being reviewed by the ethics committee. The published record stays unchanged until it decides; the form below shows your proposal, which you can still revise.',
  },
  'owner.proposal.waiting': {
    fr: 'Proposée le {date}, elle sera examinée par le comité d\'éthique dès la fin d\'un examen en cours. La fiche publiée reste inchangée jusque-là.',
    en: 'Proposed on {date}, it will be reviewed by the ethics committee once a review in progress ends. The published record stays unchanged until then.',
  },
  'owner.proposal.changes_requested': {
    fr: 'Le comité d\'éthique vous demande de revoir votre proposition du {date} (ses raisons ci-dessous). Corrigez-la dans le formulaire ci-dessous et proposez-la de nouveau.',
    en: 'The ethics committee asks you to revise your proposal of {date} (its reasons below). Correct it in the form below and propose it again.',
  },
  'owner.danger': { fr: 'Retirer ou effacer la fiche', en: 'Withdraw or erase the record' },
  'owner.withdraw.lead': { fr: 'Retirer : la fiche quitte la carte ; son historique reste.', en: 'Withdraw: the record leaves the map; its history stays.' },
  'owner.withdraw.check': { fr: 'Je confirme vouloir retirer la fiche', en: 'I confirm I want to withdraw the record' },
  'owner.withdraw': { fr: 'Retirer la fiche', en: 'Withdraw the record' },
  'owner.withdrawn': { fr: 'La fiche est retirée de la carte.', en: 'The record was withdrawn from the map.' },
  'owner.erase.lead': {
    fr: 'Effacer : les données de la fiche sont supprimées ici et au niveau national ; c\'est définitif.',
    en: 'Erase: the record\'s data is deleted here and nationally; this cannot be undone.',
  },
  'owner.erase.check': { fr: 'Je confirme vouloir effacer définitivement la fiche', en: 'I confirm I want to erase the record for good' },
  'owner.erase': { fr: 'Effacer la fiche', en: 'Erase the record' },
  'owner.erased': { fr: 'La fiche est effacée.', en: 'The record was erased.' },
  'owner.revoke.lead': { fr: 'Ce lien a fuité ? Révoquez-le ; le réseau régional pourra en envoyer un nouveau.', en: 'Has this link leaked? Revoke it; the regional network can send a new one.' },
  'owner.revoke': { fr: 'Révoquer ce lien', en: 'Revoke this link' },
  'owner.revoked': { fr: 'Lien révoqué : il ne fonctionne plus.', en: 'Link revoked: it no longer works.' },
  'owner.check.required': { fr: 'Cochez la case pour confirmer.', en: 'Tick the box to confirm.' },
});

const settings = await StartPage({ site: 'node', title: 'owner.page' });
const content = $('#content');
const id = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const token = new URLSearchParams(location.hash.slice(1)).get('jeton') ?? '';
const headers = { 'X-Edit-Token': token };
const owner = (method, path = '', body) => Api(method, `/api/initiatives/${encodeURIComponent(id)}/owner${path}`, body, { headers });

const [referential, charter] = await Promise.all([
  LoadReferential(),
  Get('/api/charter').catch(() => null),
]);

let item;
try {
  item = await owner('GET');
} catch (e) {
  Replace(content, h('h1', { text: T('owner.page') }),
    h('p', { class: 'notice error', text: e.status === 401 || e.status === 403 ? T('owner.invalid') : e.message }));
  MarkReady();
  throw e;
}

const notice = h('p', { class: 'notice', role: 'status', id: 'owner-notice' });
function Tell(text, kind = 'success') {
  notice.className = `notice ${kind}`;
  notice.textContent = text;
}

// The committee's standing request for changes, with the members' words (never their names).
function ChangesRequested(request) {
  if (!request) return null;
  return h('section', { class: 'notice warning request', id: 'changes-requested', 'aria-labelledby': 'changes-requested-title' },
    h('h2', { id: 'changes-requested-title', text: T('owner.request.title') }),
    h('p', { text: T(`owner.request.${request.subject}`, { date: FormatDate(request.requested_at) }) }),
    request.reasons.length
      ? h('ul', { class: 'reasons' }, request.reasons.map((r) => h('li', {}, h('q', { class: 'prewrap', text: r }))))
      : h('p', { text: T('owner.request.none') }),
    h('p', { text: T('owner.request.next') }));
}

// A field as the owner reads it (labels, not codes), for the comparison.
function Readable(field, record) {
  const label = (kind, code) => referential?.Label(kind, code) ?? code;
  const value = field.startsWith('private.') ? record.private?.[field.slice(8)] : record[field];
  if (value === undefined || value === null || value === '') return '';
  switch (field) {
    case 'family': return label('families', value);
    case 'legal_form': return label('legalForms', value);
    case 'activities': return value.map((a) => label('activities', a)).join(', ');
    case 'commune': return record.commune_name ? `${record.commune_name} (${value})` : value;
    case 'employer': return value ? T('yes') : T('no');
    case 'offers': return value.map((o) => [o.title, o.description, o.conditions, o.lead_time, o.guarantees].filter(Boolean).join(' — ')).join('\n');
    default: return String(value);
  }
}
const kCompared = [['name', 'field.name'], ['family', 'field.family'], ['legal_form', 'field.legal_form'],
  ['activities', 'field.activities'], ['description', 'field.description'], ['address', 'field.address'],
  ['postcode', 'field.postcode'], ['commune', 'field.commune'], ['latitude', 'field.latitude'],
  ['longitude', 'field.longitude'], ['email', 'field.email'], ['phone', 'field.phone'], ['website', 'field.website'],
  ['siret', 'field.siret'], ['employer', 'field.employer'], ['offers', 'field.offers'],
  ['private.contact_name', 'form.contact_name'], ['private.contact_email', 'form.contact_email'],
  ['private.contact_phone', 'form.contact_phone']];

// What the proposal waiting for the committee changes, word by word against the published record.
function ProposalChanges(record) {
  if (!record.proposal || record.status !== 'admitted') return null;
  const proposed = { ...record.proposal.payload, private: record.proposal.private, commune_name: record.proposal.commune_name };
  const said = { deleted: T('owner.diff.deleted'), inserted: T('owner.diff.inserted') };
  const rows = kCompared.map(([field, key]) => [key, Readable(field, record), Readable(field, proposed)])
    .filter(([, before, after]) => before !== after);
  return h('section', { id: 'proposal-changes', 'aria-labelledby': 'proposal-changes-title' },
    h('h3', { id: 'proposal-changes-title', text: T('owner.changes.title') }),
    rows.length ? [h('p', { class: 'hint', text: T('owner.changes.lead') }),
      h('dl', { class: 'record diff' }, rows.map(([key, before, after]) => [
        h('dt', { text: T(key) }), h('dd', { class: 'prewrap' }, WordDiff(before, after, said))]))]
      : h('p', { text: T('owner.changes.none') }));
}

const stateBox = h('div', {});
const requestBox = h('div', {});  // first on the page: what the committee asks
const editLead = h('p', {});
const editButton = h('button', { type: 'submit' });
function RenderState() {
  const admitted = item.status === 'admitted';
  const contactRule = admitted && item.contact_edits_without_vote;
  editLead.textContent = T(contactRule ? 'owner.edit.lead.contact' : admitted ? 'owner.edit.lead.admitted' : 'owner.edit.lead');
  editButton.textContent = T(admitted && !contactRule ? 'owner.edit.submit.admitted' : 'owner.edit.submit');
  Replace(stateBox,
    h('p', {}, StatusBadge(item.status), ' ', FreshnessBadge(item.freshness)),
    h('dl', { class: 'record' },
      h('dt', { text: T('field.confirmed_at') }), h('dd', { text: FormatDate(item.confirmed_at) || T('none') }),
      h('dt', { text: T('field.valid_until') }), h('dd', { text: FormatDate(item.valid_until) || T('none') }),
      h('dt', { text: T('field.charter') }), h('dd', {
        text: item.charter_version ? T('charter.adhered', { version: item.charter_version, date: FormatDate(item.charter_adhered_at) }) : T('charter.none'),
      })),
    item.status === 'admitted' ? h('p', {}, h('a', { href: `/initiative.html?id=${encodeURIComponent(id)}`, text: T('owner.public') })) : null,
    item.proposal ? h('div', { class: `notice ${item.proposal.state === 'changes_requested' ? 'warning' : ''}`, id: 'proposal-state' },
      h('strong', { text: T('owner.proposal.title') }), ' ',
      T(`owner.proposal.${item.proposal.state}`, { date: FormatDate(item.proposal.proposed_at) })) : null,
    ProposalChanges(item));
  Replace(requestBox, ChangesRequested(item.changes_requested));
  $('h1', content).textContent = T('owner.title', { name: item.name });
}

const confirmButton = h('button', {
  type: 'button', id: 'confirm-current', text: T('owner.confirm'),
  onclick: async () => {
    try {
      item = { ...item, ...(await owner('POST', '/confirm')) };
      RenderState();
      Tell(T('owner.confirmed', { date: FormatDate(item.valid_until) }));
    } catch (e) { Tell(e.message, 'error'); }
  },
});

// Re-adherence, when the current charter is newer than the one adhered to.
let readhere = null;
if (charter && item.charter_version !== charter.version) {
  const form = h('form', { novalidate: true },
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'charter-text', tabindex: '0', role: 'region', 'aria-label': T('owner.readhere.title'), text: charter.text }),
    h('div', { class: 'field' },
      h('label', { for: 'readhere-by', text: T('owner.readhere.by') }),
      h('input', { id: 'readhere-by', name: 'adhered_by', 'data-field': 'adhered_by', type: 'text', maxlength: '200', required: true })),
    h('button', { type: 'submit', text: T('owner.readhere.submit', { version: charter.version }) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    try {
      item = { ...item, ...(await owner('POST', '/adhere', { charter_version: charter.version, adhered_by: form.elements.adhered_by.value.trim() })) };
      RenderState();
      readhere.remove();
      Tell(T('owner.readhered'));
    } catch (error) { ShowApiError(form, error); }
  });
  readhere = h('section', { class: 'card', 'aria-labelledby': 'readhere-title' },
    h('h2', { id: 'readhere-title', text: T('owner.readhere.title') }),
    h('p', { text: T('owner.readhere.lead', { version: charter.version }) }), form);
}

const editForm = h('form', { novalidate: true, id: 'edit-form' },
  h('div', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('div', { id: 'edit-fields' }),
  h('div', { class: 'actions' }, editButton));

// A destructive action behind a confirmation box.
function Guarded(name, leadKey, checkKey, buttonKey, run) {
  const form = h('form', { novalidate: true, class: 'guarded' },
    h('p', { text: T(leadKey) }),
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'checkbox field' },
      h('input', { type: 'checkbox', id: `${name}-check`, name: 'confirm', 'data-field': 'confirm' }),
      h('label', { for: `${name}-check`, text: T(checkKey) })),
    h('button', { type: 'submit', class: 'danger', text: T(buttonKey) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    if (!form.elements.confirm.checked) {
      ShowApiError(form, { field: 'confirm', message: T('owner.check.required') });
      return;
    }
    try { await run(); } catch (error) { ShowApiError(form, error); }
  });
  return form;
}

Replace(content,
  h('h1', { text: T('owner.title', { name: item.name }) }),
  notice,
  requestBox,
  h('section', { 'aria-labelledby': 'state-title', class: 'card' },
    h('h2', { id: 'state-title', text: T('owner.state') }), stateBox,
    h('h3', { text: T('owner.confirm.title') }),
    h('p', { class: 'hint', text: T('owner.confirm.lead') }),
    confirmButton),
  readhere,
  h('section', { 'aria-labelledby': 'edit-title' },
    h('h2', { id: 'edit-title', text: T('owner.edit.title') }),
    editLead, editForm),
  h('section', { 'aria-labelledby': 'danger-title', class: 'card danger-zone' },
    h('h2', { id: 'danger-title', text: T('owner.danger') }),
    Guarded('withdraw', 'owner.withdraw.lead', 'owner.withdraw.check', 'owner.withdraw', async () => {
      await owner('POST', '/withdraw');
      item = await owner('GET');
      RenderState();
      Tell(T('owner.withdrawn'));
    }),
    Guarded('erase', 'owner.erase.lead', 'owner.erase.check', 'owner.erase', async () => {
      await owner('POST', '/erase');
      Replace(content, h('h1', { text: T('owner.page') }), h('p', { class: 'notice success', role: 'status', text: T('owner.erased') }));
    }),
    h('p', { text: T('owner.revoke.lead') }),
    h('button', {
      type: 'button', class: 'secondary', text: T('owner.revoke'),
      onclick: async () => {
        try { await owner('DELETE', '/link'); Tell(T('owner.revoked')); } catch (e) { Tell(e.message, 'error'); }
      },
    })));
RenderState();

// The form shows the proposal waiting for the committee, if any, else the record.
const ProposedOrCurrent = (record) => (record.proposal
  ? { ...record.proposal.payload, private: record.proposal.private, commune_name: record.proposal.commune_name }
  : record);
const form = new InitiativeForm($('#edit-fields'), referential, settings.region,
  { tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution });
form.Fill(ProposedOrCurrent(item));
editForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(editForm);
  // Every error the node would find, at once, before any round trip.
  const errors = form.Check();
  if (errors.length) {
    ShowErrors(editForm, errors);
    return;
  }
  try {
    const saved = await owner('PUT', '', form.Read());
    // The owner's view again: the request for changes answered, the rule in force.
    item = await owner('GET');
    RenderState();
    const published = saved.published_without_vote ?? [];
    const labels = published.map((f) => T(kCompared.find(([field]) => field === f)?.[1] ?? f).toLocaleLowerCase());
    Tell(published.length ? T('owner.published', { fields: labels.join(', ') })
      : T(saved.proposal ? 'owner.proposed' : 'owner.edited'));
    notice.scrollIntoView({ block: 'center' });
  } catch (error) { ShowApiError(editForm, error); }
});
MarkReady();
