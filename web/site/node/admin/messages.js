// The messages the node sends (GET /api/admin/outbox): each with its delivery state
// (queued, sent, failed with the relay's answer), filtered by state from the address
// (?state=failed), in pages; a failed message can be queued again (POST .../retry). Each
// message is a card, so a phone shows every field without a table to scroll.
import { AddMessages, FormatNumber, Language, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post, Query } from '/common/api.js';
import { StartAdmin } from '/admin/admin.js';

AddMessages({
  'admin.title.messages': { fr: 'Messages envoyés', en: 'Sent messages' },
  'messages.lead': {
    fr: 'Les messages que le nœud envoie aux porteurs et aux membres : accusés de dépôt, liens privés, rappels, demandes du comité, invitations. Les liens privés n\'apparaissent jamais ici.',
    en: 'The messages the node sends to owners and members: receipts, private links, reminders, the committee\'s requests, invitations. Private links never appear here.',
  },
  'messages.relay': { fr: 'Envoi par le relais {relay}.', en: 'Sent through the relay {relay}.' },
  'messages.not_configured': {
    fr: 'L\'envoi des messages n\'est pas configuré (aucun relais SMTP, option --smtp-url) : ils restent en file d\'attente et partiront dès qu\'un relais sera configuré.',
    en: 'Sending is not configured (no SMTP relay, option --smtp-url): messages stay queued and will go once a relay is configured.',
  },
  'messages.filter': { fr: 'Afficher', en: 'Show' },
  'messages.all': { fr: 'Tous ({count})', en: 'All ({count})' },
  'messages.state.queued': { fr: 'En attente', en: 'Queued' },
  'messages.state.sent': { fr: 'Envoyé', en: 'Sent' },
  'messages.state.failed': { fr: 'En échec', en: 'Failed' },
  'messages.filter.queued': { fr: 'En attente ({count})', en: 'Queued ({count})' },
  'messages.filter.sent': { fr: 'Envoyés ({count})', en: 'Sent ({count})' },
  'messages.filter.failed': { fr: 'En échec ({count})', en: 'Failed ({count})' },
  'messages.kind.registration': { fr: 'Accusé de dépôt', en: 'Registration receipt' },
  'messages.kind.reminder': { fr: 'Rappel de fraîcheur', en: 'Freshness reminder' },
  'messages.kind.new_link': { fr: 'Nouveau lien privé', en: 'New private link' },
  'messages.kind.edited_on_behalf': { fr: 'Modification pour le porteur', en: 'Edited on the owner\'s behalf' },
  'messages.kind.changes_requested': { fr: 'Demande de modifications', en: 'Changes requested' },
  'messages.kind.member_invitation': { fr: 'Invitation d\'un membre', en: 'Member invitation' },
  'messages.kind.notice': { fr: 'Avis', en: 'Notice' },
  'messages.to': { fr: 'À', en: 'To' },
  'messages.kind': { fr: 'Type', en: 'Type' },
  'messages.state': { fr: 'État', en: 'State' },
  'messages.created': { fr: 'Mis en file', en: 'Queued on' },
  'messages.sent_at': { fr: 'Envoyé le', en: 'Sent on' },
  'messages.attempts': { fr: 'Essais', en: 'Attempts' },
  'messages.next': { fr: 'Prochain essai', en: 'Next attempt' },
  'messages.answer': { fr: 'Réponse du serveur', en: 'Server\'s answer' },
  'messages.body': { fr: 'Texte du message', en: 'Message text' },
  'messages.record': { fr: 'Voir la fiche', en: 'Open the record' },
  'messages.retry': { fr: 'Renvoyer', en: 'Send again' },
  'messages.retry.label': { fr: 'Renvoyer « {subject} » à {to}', en: 'Send “{subject}” to {to} again' },
  'messages.retried': { fr: 'Le message est de nouveau en file d\'attente ; il part au prochain passage.', en: 'The message is queued again; it goes at the next round.' },
  'messages.none': { fr: 'Aucun message.', en: 'No message.' },
  'messages.pages': { fr: 'Pages', en: 'Pages' },
  'messages.previous': { fr: 'Page précédente', en: 'Previous page' },
  'messages.next_page': { fr: 'Page suivante', en: 'Next page' },
  'messages.page_of': { fr: 'Page {page} sur {pages}', en: 'Page {page} of {pages}' },
});

const { content } = await StartAdmin('admin.title.messages', 'messages');
const params = new URLSearchParams(location.search);
const state = ['queued', 'sent', 'failed'].includes(params.get('state')) ? params.get('state') : '';
const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
const notice = h('div', { class: 'notice', role: 'status', id: 'messages-notice' });

function DateTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(Language() === 'en' ? 'en-GB' : 'fr-FR',
    { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function Href(changes) {
  const wanted = { state, page: page > 1 ? page : undefined, lang: params.get('lang') ?? undefined, ...changes };
  for (const key of Object.keys(wanted)) if (!wanted[key]) delete wanted[key];
  const query = Query(wanted);
  return `/admin/messages.html${query ? `?${query}` : ''}`;
}

const kBadge = { queued: 'warning', sent: '', failed: 'danger' };

function Field(label, value) {
  return [h('dt', { text: label }), h('dd', {}, value)];
}

function MessageCard(m) {
  const title = h('h2', { id: `message-${m.id}-title`, text: m.subject });
  const retry = m.state === 'failed'
    ? h('button', {
      type: 'button', class: 'secondary', 'data-retry': String(m.id), text: T('messages.retry'),
      'aria-label': T('messages.retry.label', { subject: m.subject, to: m.recipient }),
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await Post(`/api/admin/outbox/${m.id}/retry`);
          Replace(notice, T('messages.retried'));
          notice.className = 'notice success';
          card.querySelector('[data-state]').replaceWith(StateBadge('queued'));
          e.target.remove();
        } catch (error) {
          e.target.disabled = false;
          Replace(notice, error.message);
          notice.className = 'notice error';
        }
      },
    })
    : null;
  const card = h('article', { class: 'card message', id: `message-${m.id}`, 'data-state': m.state, 'aria-labelledby': title.id },
    title,
    h('dl', { class: 'message-fields' },
      Field(T('messages.to'), m.recipient),
      Field(T('messages.kind'), T(`messages.kind.${m.kind}`)),
      Field(T('messages.state'), StateBadge(m.state)),
      Field(T('messages.created'), h('time', { datetime: m.created_at, text: DateTime(m.created_at) })),
      m.sent_at ? Field(T('messages.sent_at'), h('time', { datetime: m.sent_at, text: DateTime(m.sent_at) })) : null,
      Field(T('messages.attempts'), FormatNumber(m.attempts)),
      m.state === 'queued' && m.next_attempt_at
        ? Field(T('messages.next'), h('time', { datetime: m.next_attempt_at, text: DateTime(m.next_attempt_at) })) : null,
      m.last_error && m.state !== 'sent' ? Field(T('messages.answer'), h('code', { class: 'message-answer', text: m.last_error })) : null),
    h('details', {}, h('summary', { text: T('messages.body') }), h('pre', { class: 'message-body', text: m.body })),
    h('div', { class: 'actions' },
      m.initiative ? h('a', { href: `/admin/fiche.html?id=${encodeURIComponent(m.initiative)}`, text: T('messages.record') }) : null,
      retry));
  return card;
}

function StateBadge(s) {
  return h('span', { class: `badge ${kBadge[s]}`.trim(), 'data-state': s, text: T(`messages.state.${s}`) });
}

async function Show() {
  const out = await Get(`/api/admin/outbox?${Query({ state: state || undefined, page, per_page: 25 })}`);
  const total = out.counts.queued + out.counts.sent + out.counts.failed;
  const filters = h('nav', { class: 'message-filters', 'aria-label': T('messages.filter') },
    h('ul', {}, [['', T('messages.all', { count: FormatNumber(total) })],
      ...['queued', 'sent', 'failed'].map((s) => [s, T(`messages.filter.${s}`, { count: FormatNumber(out.counts[s]) })])]
      .map(([s, label]) => h('li', {}, h('a', { href: Href({ state: s, page: undefined }), 'aria-current': s === state ? 'page' : null, text: label })))));
  const relay = out.delivery.configured
    ? h('p', { id: 'delivery', text: T('messages.relay', { relay: out.delivery.relay }) })
    : h('p', { id: 'delivery', class: 'notice warning', text: T('messages.not_configured') });
  const pages = Math.max(1, Math.ceil(out.total / out.per_page));
  const nav = pages > 1
    ? h('nav', { class: 'message-pages', 'aria-label': T('messages.pages') },
      page > 1 ? h('a', { href: Href({ page: page - 1 }), rel: 'prev', text: T('messages.previous') }) : null,
      h('span', { text: T('messages.page_of', { page, pages }) }),
      page < pages ? h('a', { href: Href({ page: page + 1 }), rel: 'next', text: T('messages.next_page') }) : null)
    : null;
  Replace(content,
    h('p', { class: 'lead', text: T('messages.lead') }),
    relay, filters, notice,
    out.messages.length
      ? h('div', { class: 'message-list' }, out.messages.map(MessageCard))
      : h('p', { id: 'messages-none', text: T('messages.none') }),
    nav);
  MarkReady();
}

await Show();
