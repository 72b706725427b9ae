// An initiative's file for the committee, the application first and then the vote: the
// record (private fields included) with its position on a map, the SIRET's check key and
// the charter's signatory; what changed since the last admitted revision (or the proposed
// change), the reports; then the decision rule's state and the votes of the current round
// (members in conflict left out of the count), the vote form (with its written reason),
// conflicts of interest; and the full history of decisions and events.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { FreshnessBadge, IsApproximate, OffersList, RecordList, StatusBadge } from '/common/record.js';
import { CreateMap, L, PointIcon } from '/common/map.js';
import { CollegeLabel } from '/common/labels.js';
import { StaffSession } from '/staff.js';
import { DecisionLabel, DecisionOutcomeText, OutcomeText, RuleState, RuleSummary, Tally, VoteLabel } from '/comite/committee.js';
import { Voters } from '/comite/outcome.js';
import { WordDiffParts } from '/common/word_diff.js';


AddMessages({
  'file.back': { fr: 'Retour à la file d\'examen', en: 'Back to the review queue' },
  'file.page': { fr: 'Dossier d\'examen', en: 'Review file' },
  'file.rule': { fr: 'Examen en cours', en: 'Current review' },
  'file.review': { fr: 'Examen du comité', en: 'Committee review' },
  'file.application': { fr: 'La demande', en: 'The application' },
  'file.location': { fr: 'Position sur la carte', en: 'Position on the map' },
  'file.location.map': { fr: 'Carte : position de l\'initiative', en: 'Map: the initiative\'s position' },
  'file.checks': { fr: 'Vérifications', en: 'Checks' },
  'file.siret': { fr: 'SIRET {siret} : ', en: 'SIRET {siret}: ' },
  'file.siret.valid': { fr: 'clé de contrôle valide', en: 'check key valid' },
  'file.siret.invalid': { fr: 'clé de contrôle invalide', en: 'check key invalid' },
  'file.siret.none': { fr: 'Aucun SIRET indiqué.', en: 'No SIRET given.' },
  'file.siret.directory': { fr: 'Voir l\'établissement dans l\'annuaire des entreprises', en: 'See the establishment in the business directory' },
  'file.charter.signed': { fr: 'Charte n° {version} signée par {who} le {date}', en: 'Charter #{version} signed by {who} on {date}' },
  'file.charter.signed.unnamed': { fr: 'Charte n° {version} acceptée le {date} (signataire non enregistré)', en: 'Charter #{version} accepted on {date} (signatory not recorded)' },
  'file.charter.none': { fr: 'Pas d\'adhésion à la charte enregistrée (fiche importée).', en: 'No charter adherence recorded (imported record).' },
  'file.round': { fr: 'Examen n° {round}', en: 'Review #{round}' },
  'file.review_reason': { fr: 'Motif de l\'examen : {reason}', en: 'Why it is reviewed: {reason}' },
  'file.not_under_review': { fr: 'Aucun examen en cours pour cette initiative.', en: 'No review is open for this initiative.' },
  'file.votes': { fr: 'Votes de cet examen', en: 'Votes of this review' },
  'file.votes.table': { fr: 'Votes et motifs', en: 'Votes and reasons' },
  'file.votes.none': { fr: 'Aucun vote pour l\'instant.', en: 'No vote yet.' },
  'file.member': { fr: 'Membre', en: 'Member' },
  'file.college': { fr: 'Collège', en: 'College' },
  'file.vote': { fr: 'Vote', en: 'Vote' },
  'file.reason': { fr: 'Motif', en: 'Reason' },
  'file.your_vote': { fr: 'Votre vote', en: 'Your vote' },
  'file.vote.choice': { fr: 'Votre avis', en: 'Your opinion' },
  'file.vote.reason': { fr: 'Motif écrit (obligatoire)', en: 'Written reason (required)' },
  'file.vote.reason.hint': { fr: 'Il figure dans la décision et son historique ; de 3 à 2 000 caractères.', en: 'It goes into the decision and its history; 3 to 2,000 characters.' },
  'file.vote.submit': { fr: 'Voter', en: 'Vote' },
  'file.vote.recorded': { fr: 'Vote enregistré. {rule}', en: 'Vote recorded. {rule}' },
  'file.vote.decided': { fr: 'Vote enregistré : le comité a décidé ({decision}). {rule}', en: 'Vote recorded: the committee decided ({decision}). {rule}' },
  'file.voted': { fr: 'Vous avez voté pour cet examen.', en: 'You have voted in this review.' },
  'file.conflicted': { fr: 'Vous avez déclaré un conflit d\'intérêts : vous ne votez pas sur cette initiative.', en: 'You declared a conflict of interest: you do not vote on this initiative.' },
  'file.admin_only': { fr: 'L\'administration suit l\'examen ; seuls les membres du comité votent.', en: 'Administrators follow the review; only committee members vote.' },
  'file.conflict': { fr: 'Déclarer un conflit d\'intérêts', en: 'Declare a conflict of interest' },
  'file.conflict.reason': { fr: 'Nature du conflit', en: 'Nature of the conflict' },
  'file.conflict.submit': { fr: 'Déclarer le conflit', en: 'Declare the conflict' },
  'file.reopen': { fr: 'Remettre à l\'examen (présidence)', en: 'Reopen a review (chair)' },
  'file.reopen.reason': { fr: 'Pourquoi', en: 'Why' },
  'file.reopen.submit': { fr: 'Ouvrir un examen', en: 'Open a review' },
  'file.record': { fr: 'La fiche', en: 'The record' },
  'file.private': { fr: 'Contact privé', en: 'Private contact' },
  'file.diff': { fr: 'Ce qui a changé depuis la dernière version admise', en: 'What changed since the last admitted revision' },
  'file.diff.first': { fr: 'Jamais admise : c\'est une première inscription, toute la fiche est à examiner.', en: 'Never admitted: a first registration, the whole record is to be reviewed.' },
  'file.diff.none': { fr: 'Aucun changement depuis la version admise n° {version}.', en: 'No change since admitted revision #{version}.' },
  'file.diff.lead': { fr: 'Comparaison avec la version admise n° {version}.', en: 'Compared with admitted revision #{version}.' },
  'file.diff.field': { fr: 'Champ', en: 'Field' },
  'file.diff.before': { fr: 'Version admise', en: 'Admitted revision' },
  'file.diff.after': { fr: 'Maintenant', en: 'Now' },
  'file.proposal': { fr: 'Modification proposée : ce qui changerait', en: 'Proposed change: what would change' },
  'file.proposal.lead': {
    fr: 'Proposée le {date} par {who}. La version admise n° {version} reste publiée (carte régionale et nationale) jusqu\'à la décision du comité.',
    en: 'Proposed on {date} by {who}. Admitted revision #{version} stays published (regional and national maps) until the committee decides.',
  },
  'file.proposal.state.waiting': { fr: 'Elle sera examinée après l\'examen en cours.', en: 'It will be reviewed after the review in progress.' },
  'file.proposal.state.changes_requested': { fr: 'Le comité l\'a renvoyée au porteur, qui peut la revoir.', en: 'The committee sent it back to the owner, who may revise it.' },
  'file.proposal.none': { fr: 'La proposition ne change aucun champ de la version admise.', en: 'The proposal changes no field of the admitted revision.' },
  'file.proposal.before': { fr: 'Version publiée', en: 'Published revision' },
  'file.proposal.after': { fr: 'Proposition', en: 'Proposal' },
  'file.private.contact_name': { fr: 'Contact privé : nom', en: 'Private contact: name' },
  'file.private.contact_email': { fr: 'Contact privé : courriel', en: 'Private contact: email' },
  'file.private.contact_phone': { fr: 'Contact privé : téléphone', en: 'Private contact: phone' },
  'file.reports': { fr: 'Signalements', en: 'Reports' },
  'file.reports.none': { fr: 'Aucun signalement.', en: 'No report.' },
  'file.report.open': { fr: 'ouvert', en: 'open' },
  'file.report.handled': { fr: 'traité', en: 'handled' },
  'file.history': { fr: 'Historique', en: 'History' },
  'file.decisions': { fr: 'Décisions', en: 'Decisions' },
  'file.decisions.none': { fr: 'Aucune décision pour l\'instant.', en: 'No decision yet.' },
  'file.decision': { fr: '{decision} le {date} (examen n° {round})', en: '{decision} on {date} (review #{round})' },
  'file.events': { fr: 'Événements', en: 'Events' },
  'file.when': { fr: 'Date', en: 'Date' },
  'file.what': { fr: 'Action', en: 'Action' },
  'file.who': { fr: 'Par', en: 'By' },
  'file.detail': { fr: 'Détail', en: 'Detail' },
  'event.adhered': { fr: 'Adhésion à la charte', en: 'Adhered to the charter' },
  'event.confirmed': { fr: 'Fiche confirmée à jour', en: 'Confirmed current' },
  'event.conflict_declared': { fr: 'Conflit d\'intérêts déclaré', en: 'Conflict of interest declared' },
  'event.decided': { fr: 'Décision du comité', en: 'Committee decision' },
  'event.edit_link_issued': { fr: 'Lien de modification envoyé', en: 'Edit link sent' },
  'event.edit_links_revoked': { fr: 'Liens de modification révoqués', en: 'Edit links revoked' },
  'event.edited': { fr: 'Fiche modifiée', en: 'Record edited' },
  'event.edit_proposed': { fr: 'Modification proposée', en: 'Change proposed' },
  'event.proposal_decided': { fr: 'Décision sur une modification', en: 'Decision on a change' },
  'event.edit_proposal_discarded': { fr: 'Proposition abandonnée', en: 'Proposal discarded' },
  'event.imported': { fr: 'Importée', en: 'Imported' },
  'event.readhesion_asked': { fr: 'Réadhésion demandée', en: 'Re-adherence asked' },
  'event.reminder_queued': { fr: 'Rappel de mise à jour', en: 'Update reminder' },
  'event.reported': { fr: 'Signalement', en: 'Report' },
  'event.review_opened': { fr: 'Examen ouvert', en: 'Review opened' },
  'event.submitted': { fr: 'Inscription', en: 'Registration' },
  'event.voted': { fr: 'Vote', en: 'Vote' },
  'event.withdrawn': { fr: 'Retrait', en: 'Withdrawal' },
  'actor.owner': { fr: 'porteur (lien privé)', en: 'owner (private link)' },
  'actor.public': { fr: 'public', en: 'public' },
  'actor.committee': { fr: 'comité', en: 'committee' },
  'report.wrong_information': { fr: 'Informations erronées', en: 'Wrong information' },
  'report.closed': { fr: 'Activité cessée', en: 'Closed' },
  'report.charter_breach': { fr: 'Manquement à la charte', en: 'Breach of the charter' },
});

const settings = await StartPage({ site: 'node', title: 'file.page', active: 'committee' });
const content = $('#content');
const principal = await StaffSession(content, 'committee');
const id = new URLSearchParams(location.search).get('id') ?? '';
const enc = encodeURIComponent(id);
const referential = await LoadReferential().catch(() => null);

async function Load() {
  const [item, history, members, proposal, reports, checks] = await Promise.all([
    Get(`/api/initiatives/${enc}`),
    Get(`/api/initiatives/${enc}/history`),
    Get('/api/committee/members'),
    Get(`/api/committee/initiatives/${enc}/proposal`),
    Get(`/api/committee/initiatives/${enc}/reports`),
    Get(`/api/committee/initiatives/${enc}/checks`),
  ]);
  return { item, history, members, admitted: proposal.admitted, proposal: proposal.proposal, reports: reports.reports, checks };
}

let data;
try {
  data = await Load();
} catch (e) {
  Replace(content, h('p', { class: 'notice error', text: e.message }));
  MarkReady();
  throw e;
}
const notice = h('p', { class: 'notice', role: 'status', id: 'file-notice' });

function MemberName(memberId) {
  return data.members.members.find((m) => m.id === memberId)?.name ?? memberId;
}

// "member:<id>" names the member; "admin:<email>", "owner", "public", "committee" stay.
function Actor(actor) {
  const member = /^member:(.+)$/.exec(actor);
  return member ? MemberName(member[1]) : T(`actor.${actor}`) === `actor.${actor}` ? actor : T(`actor.${actor}`);
}

function Detail(event) {
  if (event.action === 'voted') return VoteLabel(event.detail, null);
  if (event.action === 'decided') return DecisionLabel(event.detail);
  if (event.action === 'proposal_decided') return DecisionLabel(event.detail, 'edit_proposal');
  if (event.action === 'reported') return T(`report.${event.detail}`);
  return event.detail;
}

// A table that may scroll sideways on a narrow screen: a named region the keyboard reaches.
const ScrollBox = (labelKey, table) => h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T(labelKey) }, table);

function VotesTable(votes, status) {
  if (!votes.length) return h('p', { text: T('file.votes.none') });
  return ScrollBox('file.votes.table', h('table', {},
    h('thead', {}, h('tr', {}, ['file.member', 'file.college', 'file.vote', 'file.reason'].map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, votes.map((v) => h('tr', {},
      h('td', { text: MemberName(v.member) }), h('td', { text: CollegeLabel(v.college) }),
      h('td', { text: VoteLabel(v.vote, status) }), h('td', { class: 'prewrap', text: v.reason }))))));
}

function VoteForm(status) {
  const form = h('form', { id: 'vote-form', novalidate: true },
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('fieldset', { 'data-field': 'vote' },
      h('legend', { text: T('file.vote.choice') }),
      ['admit', 'reject', 'request_changes', 'abstain'].map((v) => h('div', { class: 'checkbox' },
        h('input', { type: 'radio', name: 'vote', id: `vote-${v}`, value: v }),
        h('label', { for: `vote-${v}`, text: VoteLabel(v, status) })))),
    h('div', { class: 'field' },
      h('label', { for: 'vote-reason', text: T('file.vote.reason') }),
      h('textarea', { id: 'vote-reason', name: 'reason', 'data-field': 'reason', maxlength: '2000', required: true, 'aria-describedby': 'vote-reason-hint' }),
      h('span', { id: 'vote-reason-hint', class: 'hint', text: T('file.vote.reason.hint') })),
    h('button', { type: 'submit', text: T('file.vote.submit') }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    const vote = form.elements.vote.value;
    try {
      const outcome = await Post(`/api/committee/initiatives/${enc}/votes`, { vote, reason: form.elements.reason.value.trim() });
      data = await Load();
      Render();
      notice.className = 'notice success';
      notice.textContent = outcome.decision
        ? T('file.vote.decided', { decision: DecisionLabel(outcome.decision.decision, outcome.decision.subject), rule: OutcomeText(outcome.outcome, data.members.rule) })
        : T('file.vote.recorded', { rule: OutcomeText(outcome.outcome, data.members.rule) });
      notice.focus();
    } catch (error) {
      ShowApiError(form, error.field ? error : { ...error, message: error.message, field: vote ? null : 'vote' });
    }
  });
  return form;
}

function SmallForm(id, labelKey, submitKey, path, okText) {
  const form = h('form', { id, novalidate: true },
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'field' },
      h('label', { for: `${id}-reason`, text: T(labelKey) }),
      h('textarea', { id: `${id}-reason`, name: 'reason', 'data-field': 'reason', maxlength: '2000', required: true })),
    h('button', { type: 'submit', class: 'secondary', text: T(submitKey) }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    try {
      await Post(path, { reason: form.elements.reason.value.trim() });
      data = await Load();
      Render();
      notice.className = 'notice success';
      notice.textContent = okText;
    } catch (error) { ShowApiError(form, error); }
  });
  return form;
}

const kDiffFields = ['name', 'family', 'legal_form', 'activities', 'description', 'address', 'postcode', 'commune',
  'latitude', 'longitude', 'email', 'phone', 'website', 'siret', 'employer', 'offers', 'charter_version'];

// `communeName`: the name the server gave with the revision (the page loads no communes).
function Readable(field, value, communeName) {
  if (value === undefined || value === null || value === '') return '';
  const label = (kind, code) => referential?.Label(kind, code) ?? code;
  switch (field) {
    case 'family': return label('families', value);
    case 'legal_form': return label('legalForms', value);
    case 'activities': return value.map((a) => label('activities', a)).join(', ');
    case 'commune': return communeName ? `${communeName} (${value})` : value;
    case 'employer': return value ? T('yes') : T('no');
    case 'offers': return value.map((o) => [o.title, o.description, o.conditions, o.lead_time, o.guarantees].filter(Boolean).join(' — ')).join('\n');
    default: return String(value);
  }
}

// Rows [label, before, after] of what differs; `fields` [key, read(side) -> value, name of the
// commune on that side].
function DiffRows(before, after) {
  const rows = [];
  for (const field of kDiffFields) {
    const a = Readable(field, before.payload[field], before.commune_name);
    const b = Readable(field, after.payload[field], after.commune_name);
    const key = field === 'charter_version' ? 'field.charter' : `field.${field}`;
    if (a !== b) rows.push([T(key), a, b]);
  }
  for (const field of ['contact_name', 'contact_email', 'contact_phone']) {
    const a = before.private?.[field] ?? '';
    const b = after.private?.[field] ?? '';
    if (a !== b) rows.push([T(`file.private.${field}`), a, b]);
  }
  return rows;
}

// One side of a changed value at word level (common/word_diff.js): the words kept as text,
// only the removed (before) or added (after) words marked; a value added or removed whole.
function DiffSide(before, after, side) {
  const value = side === 'del' ? before : after;
  if (!value) return T('none');
  if (!before || !after) return h(side, { text: value });
  return WordDiffParts(before, after)
    .filter((p) => p.op === 'same' || p.op === side)
    .map((p) => (p.op === 'same' ? p.text : h(side, { text: p.text })));
}

function DiffTable(rows, beforeKey, afterKey) {
  return ScrollBox('file.diff.field', h('table', { class: 'diff-table', id: 'diff' },
    h('thead', {}, h('tr', {}, ['file.diff.field', beforeKey, afterKey].map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, rows.map(([label, before, after]) => h('tr', {},
      h('th', { scope: 'row', text: label }),
      h('td', { class: 'prewrap' }, DiffSide(before, after, 'del')),
      h('td', { class: 'prewrap changed' }, DiffSide(before, after, 'ins')))))));
}

// What the committee decides on: an edit proposal against the revision it would replace, or
// the record as it stands against its last admitted revision.
function Diff(item, admitted, proposal) {
  if (proposal && admitted) {
    const rows = DiffRows({ ...admitted, private: item.private }, proposal);
    const lead = [T('file.proposal.lead', { date: FormatDate(proposal.proposed_at), who: Actor(proposal.proposed_by), version: AdmittedNumber(admitted) })];
    if (proposal.state !== 'under_review') lead.push(T(`file.proposal.state.${proposal.state}`));
    return [h('p', { id: 'proposal-lead', text: lead.join(' ') }),
      rows.length ? DiffTable(rows, 'file.proposal.before', 'file.proposal.after') : h('p', { text: T('file.proposal.none') })];
  }
  if (!admitted) return h('p', { class: 'notice', text: T('file.diff.first') });
  const rows = DiffRows(admitted, { payload: item, commune_name: item.commune_name, private: admitted.private });
  if (!rows.length) return h('p', { text: T('file.diff.none', { version: AdmittedNumber(admitted) }) });
  return [h('p', { text: T('file.diff.lead', { version: AdmittedNumber(admitted) }) }), DiffTable(rows, 'file.diff.before', 'file.diff.after')];
}

// The admitted revision's number as the committee counts them (1: the first admission), not
// the journal's record version (which counts the pending revisions too).
function AdmittedNumber(admitted) {
  return admitted.admitted_number ?? admitted.record_version;
}

// The SIRET's check key with a link to the public directory, and who adhered to the charter.
function Checks(checks) {
  const siret = checks.siret;
  const charter = checks.charter;
  return h('ul', { class: 'checks', id: 'checks' },
    h('li', { id: 'siret-check' }, siret
      ? [T('file.siret', { siret: siret.value }),
        h('span', { class: `badge ${siret.valid ? '' : 'warning'}`, text: T(siret.valid ? 'file.siret.valid' : 'file.siret.invalid') }), ' ',
        h('a', { href: `https://annuaire-entreprises.data.gouv.fr/etablissement/${encodeURIComponent(siret.value)}`, rel: 'noopener', target: '_blank', text: T('file.siret.directory') })]
      : T('file.siret.none')),
    h('li', { id: 'charter-signatory' }, charter
      ? T(charter.adhered_by ? 'file.charter.signed' : 'file.charter.signed.unnamed',
        { version: charter.version, who: charter.adhered_by ?? '', date: FormatDate(charter.adhered_at) })
      : T('file.charter.none')));
}

function Render() {
  const { item, history, members, admitted, proposal, reports, checks } = data;
  // Votes on an edit proposal mean something else: admit it, reject it, send it back.
  const voteContext = history.under_review && item.review_reason === 'edit_proposed' ? 'edit_proposed' : item.status;
  const rule = members.rule;
  const { voters, conflicted: inConflict } = Voters(members.members, history.conflicts);
  const me = principal.member;
  const voted = me && history.current_votes.some((v) => v.member === me.id);
  const conflicted = me && history.conflicts.some((c) => c.member === me.id);
  let action = null;
  if (history.under_review) {
    if (!me) action = h('p', { class: 'hint', text: T('file.admin_only') });
    else if (conflicted) action = h('p', { class: 'notice', text: T('file.conflicted') });
    else if (voted) action = h('p', { class: 'notice', text: T('file.voted') });
    else {
      action = [h('h3', { text: T('file.your_vote') }), VoteForm(voteContext),
        h('details', {}, h('summary', { text: T('file.conflict') }),
          SmallForm('conflict-form', 'file.conflict.reason', 'file.conflict.submit', `/api/committee/initiatives/${enc}/conflicts`, T('file.conflicted')))];
    }
  } else if (me?.role === 'chair' && (item.status === 'admitted' || item.status === 'suspended')) {
    action = h('details', {}, h('summary', { text: T('file.reopen') }),
      SmallForm('reopen-form', 'file.reopen.reason', 'file.reopen.submit', `/api/committee/initiatives/${enc}/reviews`, T('file.round', { round: history.review_round + 1 })));
  }
  const priv = item.private ?? {};
  const mapBox = h('div', { class: 'small-map', id: 'position-map' });
  Replace(content,
    h('h1', { text: item.name }),
    h('p', {}, StatusBadge(item.status), ' ', FreshnessBadge(item.freshness)),
    history.under_review ? h('p', { id: 'review-reason', text: T('file.review_reason', { reason: T(`reason.${item.review_reason === 'import' ? 'submission' : item.review_reason || 'submission'}`) }) }) : null,
    notice,
    h('section', { 'aria-labelledby': 'record-title', id: 'application' },
      h('h2', { id: 'record-title', text: T('file.application') }),
      h('div', { class: 'layout-record' },
        h('div', {},
          RecordList(item, referential),
          h('h3', { text: T('file.private') }),
          h('dl', { class: 'record' },
            h('dt', { text: T('field.name') }), h('dd', { text: priv.contact_name ?? T('none') }),
            h('dt', { text: T('field.email') }), h('dd', { text: priv.contact_email ?? T('none') }),
            h('dt', { text: T('field.phone') }), h('dd', { text: priv.contact_phone ?? T('none') })),
          item.offers?.length ? [h('h3', { text: T('field.offers') }), OffersList(item.offers)] : null),
        h('div', {},
          h('h3', { text: T('file.checks') }), Checks(checks),
          h('h3', { text: T('file.location') }), mapBox,
          IsApproximate(item.location_precision) ? h('p', { class: 'hint', text: T('record.position.approximate') }) : null))),
    h('section', { 'aria-labelledby': 'diff-title' },
      h('h2', { id: 'diff-title', text: T(proposal ? 'file.proposal' : 'file.diff') }), Diff(item, admitted, proposal)),
    h('section', { 'aria-labelledby': 'reports-title' },
      h('h2', { id: 'reports-title', text: `${T('file.reports')} (${FormatNumber(reports.length)})` }),
      reports.length ? h('ul', { id: 'reports' }, reports.map((r) => h('li', {},
        h('strong', { text: T(`report.${r.reason}`) }), ` · ${FormatDate(r.created_at)} · `,
        h('span', { class: r.handled ? 'meta' : 'badge warning', text: T(r.handled ? 'file.report.handled' : 'file.report.open') }),
        r.comment ? h('p', { class: 'prewrap', text: r.comment }) : null))) : h('p', { text: T('file.reports.none') })),
    h('section', { 'aria-labelledby': 'rule-title', class: 'card', id: 'review' },
      h('h2', { id: 'rule-title', text: history.under_review ? `${T('file.rule')} · ${T('file.round', { round: history.review_round })}` : T('file.review') }),
      history.under_review ? [
        h('p', { class: 'rule-state', id: 'rule-state', text: RuleState(history.current_votes, rule, voters, inConflict) }),
        history.current_votes.length ? h('p', { text: T('rule.tally', { tally: Tally(history.current_votes, voteContext) }) }) : null,
        h('p', { class: 'hint', text: RuleSummary(rule) }),
        h('h3', { text: T('file.votes') }), VotesTable(history.current_votes, voteContext),
      ] : h('p', { text: T('file.not_under_review') }),
      action),
    h('section', { 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title', text: T('file.history') }),
      h('h3', { text: T('file.decisions') }),
      history.decisions.length ? history.decisions.map((d) => h('div', { class: 'card decision' },
        h('p', {}, h('strong', { text: T('file.decision', { decision: DecisionLabel(d.decision, d.subject), date: FormatDate(d.decided_at), round: d.review_round }) })),
        h('p', { class: 'decision-outcome', text: DecisionOutcomeText(d.votes, d.rule) }),
        VotesTable(d.votes, null))) : h('p', { text: T('file.decisions.none') }),
      h('h3', { text: T('file.events') }),
      ScrollBox('file.events', h('table', {},
        h('thead', {}, h('tr', {}, ['file.when', 'file.what', 'file.who', 'file.detail'].map((k) => h('th', { scope: 'col', text: T(k) })))),
        h('tbody', {}, history.events.map((e) => h('tr', {},
          h('td', { text: new Date(e.at).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'fr-FR') }),
          h('td', { text: T(`event.${e.action}`) === `event.${e.action}` ? e.action : T(`event.${e.action}`) }), h('td', { text: Actor(e.actor) }), h('td', { class: 'prewrap', text: Detail(e) }))))))));
  document.title = `${item.name} · ${T('file.page')}`;
  return ShowPosition(mapBox, item);
}

// The record's position, read-only, as the listing pages draw it.
async function ShowPosition(mapBox, item) {
  if (typeof item.latitude !== 'number' || typeof item.longitude !== 'number') return;
  const { map } = await CreateMap(mapBox, { tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution, label: T('file.location.map') });
  map.setView([item.latitude, item.longitude], 11);
  L.marker([item.latitude, item.longitude], { icon: PointIcon(item), keyboard: false, interactive: false }).addTo(map);
}

notice.setAttribute('tabindex', '-1');
await Render();
MarkReady();
