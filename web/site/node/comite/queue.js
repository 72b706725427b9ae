// The committee's review queue: initiatives under review and those whose re-adherence is
// due, with filters by reason (and their counts) and "à moi de voter" (open for votes, and
// the signed-in member neither voted nor declared a conflict), sorting by submission date,
// name or status, votes against the quorum and the members who may vote, the member's own
// vote, reports and endorsements. On a narrow screen each row reads as a card, every
// column with its heading (site.css, .queue-table).
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, FormatNumber, Language, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';
import { StatusBadge } from '/common/record.js';
import { StaffSession } from '/staff.js';
import { RuleSummary, VoteLabel } from '/comite/committee.js';
import { SortQueue } from '/comite/outcome.js';

AddMessages({
  'queue.title': { fr: 'Comité d\'éthique : file d\'examen', en: 'Ethics committee: review queue' },
  'queue.filters': { fr: 'Filtrer la file', en: 'Filter the queue' },
  'queue.all': { fr: 'Tout', en: 'All' },
  'queue.count': { fr: '{label} ({count})', en: '{label} ({count})' },
  'queue.mine': { fr: 'À moi de voter', en: 'Awaiting my vote' },
  'queue.empty': { fr: 'Rien à examiner pour le moment.', en: 'Nothing to review for now.' },
  'queue.empty.mine': { fr: 'Aucun dossier n\'attend votre vote.', en: 'No file is awaiting your vote.' },
  'queue.name': { fr: 'Initiative', en: 'Initiative' },
  'queue.reason': { fr: 'Motif', en: 'Reason' },
  'queue.submitted': { fr: 'Déposée le', en: 'Submitted on' },
  'queue.votes': { fr: 'Votes', en: 'Votes' },
  'queue.votes.value': { fr: '{votes} / {quorum} requis ({voters} votants)', en: '{votes} / {quorum} required ({voters} voters)' },
  'queue.my_vote': { fr: 'Mon vote', en: 'My vote' },
  'queue.my_vote.todo': { fr: 'À voter', en: 'To vote' },
  'queue.my_vote.conflict': { fr: 'Conflit d\'intérêts déclaré', en: 'Conflict of interest declared' },
  'queue.reports': { fr: 'Signalements', en: 'Reports' },
  'queue.endorsements': { fr: 'Soutiens', en: 'Endorsements' },
  'queue.endorsed': { fr: 'soutenue', en: 'endorsed' },
  'queue.shown': { fr: '{count} initiative(s) affichée(s)', en: '{count} initiative(s) shown' },
  'queue.sort': { fr: 'Trier par', en: 'Sort by' },
  'queue.sort.submitted': { fr: 'Date de dépôt (la plus ancienne d\'abord)', en: 'Submission date (oldest first)' },
  'queue.sort.submitted-desc': { fr: 'Date de dépôt (la plus récente d\'abord)', en: 'Submission date (newest first)' },
  'queue.sort.name': { fr: 'Nom', en: 'Name' },
  'queue.sort.status': { fr: 'Statut', en: 'Status' },
});

await StartPage({ site: 'node', title: 'queue.title', active: 'committee' });
const content = $('#content');
const principal = await StaffSession(content, 'committee');
const isMember = Boolean(principal.member);

const queue = await Get('/api/committee/queue');
const reasonOf = (item) => (item.under_review ? (item.review_reason === 'import' ? 'submission' : item.review_reason) : 'readhesion_due');
const reasons = ['submission', 'changes_made', 'edit_proposed', 'reports', 'chair', 'readhesion_due'];
const counts = new Map(reasons.map((r) => [r, queue.items.filter((i) => reasonOf(i) === r).length]));
const kSorts = ['submitted', 'submitted-desc', 'name', 'status'];
const params = new URLSearchParams(location.search);
let filter = params.get('motif') ?? '';
let mine = isMember && params.get('a_voter') === '1';
let sort = kSorts.includes(params.get('tri')) ? params.get('tri') : 'submitted';

const list = h('div', {});
const status = h('p', { role: 'status', class: 'summary' });
const buttons = h('ul', { class: 'tag-list' });
const sortSelect = h('select', { id: 'queue-sort' },
  kSorts.map((k) => h('option', { value: k, text: T(`queue.sort.${k}`), selected: k === sort })));
sortSelect.addEventListener('change', () => {
  sort = sortSelect.value;
  Remember();
  Render();
});

function Remember() {
  const p = new URLSearchParams();
  if (filter) p.set('motif', filter);
  if (mine) p.set('a_voter', '1');
  if (sort !== 'submitted') p.set('tri', sort);
  const query = p.toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

function MyVote(i) {
  if (i.my_conflict) return T('queue.my_vote.conflict');
  if (i.my_vote) return VoteLabel(i.my_vote, i.review_reason === 'edit_proposed' ? 'edit_proposed' : i.status);
  if (i.needs_my_vote) return h('span', { class: 'badge warning', text: T('queue.my_vote.todo') });
  return T('none');
}

// A cell with its column's heading, which a narrow screen shows beside the value.
const Cell = (key, ...children) => h('td', { 'data-label': T(key) }, ...children);

function Render() {
  const reasonButton = (r) => h('li', {}, h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': String(filter === r),
    text: T('queue.count', { label: r ? T(`reason.${r}`) : T('queue.all'), count: r ? counts.get(r) : queue.items.length }),
    onclick: () => { filter = r; Remember(); Render(); },
  }));
  Replace(buttons, ['', ...reasons].map(reasonButton),
    isMember ? h('li', {}, h('button', {
      type: 'button', class: 'secondary', id: 'filter-mine', 'aria-pressed': String(mine),
      text: T('queue.count', { label: T('queue.mine'), count: queue.items.filter((i) => i.needs_my_vote).length }),
      onclick: () => { mine = !mine; Remember(); Render(); },
    })) : null);
  const shown = queue.items.filter((i) => (!filter || reasonOf(i) === filter) && (!mine || i.needs_my_vote));
  const [key, descending] = sort === 'submitted-desc' ? ['submitted', true] : [sort, false];
  const items = SortQueue(shown, key, descending, Language());
  status.textContent = T('queue.shown', { count: FormatNumber(items.length) });
  if (!items.length) {
    Replace(list, h('p', { class: 'notice', text: T(mine ? 'queue.empty.mine' : 'queue.empty') }));
    return;
  }
  const columns = ['queue.name', 'field.commune', 'field.status', 'queue.reason', 'queue.submitted', 'queue.votes',
    ...(isMember ? ['queue.my_vote'] : []), 'queue.reports', 'queue.endorsements'];
  Replace(list, h('div', { class: 'table-wrap' }, h('table', { id: 'queue', class: 'queue-table' },
    h('thead', {}, h('tr', {}, columns.map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, items.map((i) => h('tr', { dataset: { id: i.id } },
      Cell('queue.name', h('a', { href: `/comite/initiative.html?id=${encodeURIComponent(i.id)}`, text: i.name })),
      Cell('field.commune', i.commune_name),
      Cell('field.status', StatusBadge(i.status)),
      Cell('queue.reason', T(`reason.${reasonOf(i)}`)),
      Cell('queue.submitted', h('time', { datetime: i.submitted_at, text: FormatDate(i.submitted_at) })),
      Cell('queue.votes', i.under_review
        ? T('queue.votes.value', { votes: FormatNumber(i.votes), quorum: FormatNumber(queue.rule.quorum), voters: FormatNumber(i.voters) })
        : T('none')),
      isMember ? Cell('queue.my_vote', MyVote(i)) : null,
      Cell('queue.reports', FormatNumber(i.open_reports)),
      Cell('queue.endorsements', FormatNumber(i.endorsements), i.endorsed ? [' ', h('span', { class: 'badge', text: T('queue.endorsed') })] : null)))))));
}

Replace(content,
  h('p', { class: 'hint', text: RuleSummary(queue.rule) }),
  h('nav', { 'aria-label': T('queue.filters') }, buttons),
  h('div', { class: 'field queue-sort' }, h('label', { for: 'queue-sort', text: T('queue.sort') }), sortSelect),
  status, list);
Render();
MarkReady();
