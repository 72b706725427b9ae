// The committee's review queue: initiatives under review and those whose re-adherence is
// due, with filters by reason (and their counts), votes against the quorum, reports and
// endorsements.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';
import { StatusBadge } from '/common/record.js';
import { StaffSession } from '/staff.js';
import { RuleSummary } from '/comite/committee.js';

AddMessages({
  'queue.title': { fr: 'Comité d\'éthique : file d\'examen', en: 'Ethics committee: review queue' },
  'queue.filters': { fr: 'Filtrer la file', en: 'Filter the queue' },
  'queue.all': { fr: 'Tout', en: 'All' },
  'queue.count': { fr: '{label} ({count})', en: '{label} ({count})' },
  'queue.empty': { fr: 'Rien à examiner pour le moment.', en: 'Nothing to review for now.' },
  'queue.name': { fr: 'Initiative', en: 'Initiative' },
  'queue.reason': { fr: 'Motif', en: 'Reason' },
  'queue.votes': { fr: 'Votes', en: 'Votes' },
  'queue.reports': { fr: 'Signalements', en: 'Reports' },
  'queue.endorsements': { fr: 'Soutiens', en: 'Endorsements' },
  'queue.endorsed': { fr: 'soutenue', en: 'endorsed' },
  'queue.shown': { fr: '{count} initiative(s) affichée(s)', en: '{count} initiative(s) shown' },
});

await StartPage({ site: 'node', title: 'queue.title', active: 'committee' });
const content = $('#content');
await StaffSession(content, 'committee');

const queue = await Get('/api/committee/queue');
const reasonOf = (item) => (item.under_review ? (item.review_reason === 'import' ? 'submission' : item.review_reason) : 'readhesion_due');
const reasons = ['submission', 'changes_made', 'edit_proposed', 'reports', 'chair', 'readhesion_due'];
const counts = new Map(reasons.map((r) => [r, queue.items.filter((i) => reasonOf(i) === r).length]));
let filter = new URLSearchParams(location.search).get('motif') ?? '';

const list = h('div', {});
const status = h('p', { role: 'status', class: 'summary' });
const buttons = h('ul', { class: 'tag-list' });

function Render() {
  Replace(buttons, ['', ...reasons].map((r) => h('li', {}, h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': String(filter === r),
    text: T('queue.count', { label: r ? T(`reason.${r}`) : T('queue.all'), count: r ? counts.get(r) : queue.items.length }),
    onclick: () => {
      filter = r;
      history.replaceState(null, '', r ? `?motif=${r}` : location.pathname);
      Render();
    },
  }))));
  const items = queue.items.filter((i) => !filter || reasonOf(i) === filter);
  status.textContent = T('queue.shown', { count: FormatNumber(items.length) });
  if (!items.length) {
    Replace(list, h('p', { class: 'notice', text: T('queue.empty') }));
    return;
  }
  Replace(list, h('div', { class: 'table-wrap' }, h('table', { id: 'queue' },
    h('thead', {}, h('tr', {}, ['queue.name', 'field.commune', 'field.status', 'queue.reason', 'queue.votes', 'queue.reports', 'queue.endorsements']
      .map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, items.map((i) => h('tr', { dataset: { id: i.id } },
      h('td', {}, h('a', { href: `/comite/initiative.html?id=${encodeURIComponent(i.id)}`, text: i.name })),
      h('td', { text: i.commune_name }),
      h('td', {}, StatusBadge(i.status)),
      h('td', { text: T(`reason.${reasonOf(i)}`) }),
      h('td', { text: i.under_review ? `${FormatNumber(i.votes)} / ${FormatNumber(queue.rule.quorum)}` : T('none') }),
      h('td', { text: FormatNumber(i.open_reports) }),
      h('td', {}, FormatNumber(i.endorsements), i.endorsed ? [' ', h('span', { class: 'badge', text: T('queue.endorsed') })] : null)))))));
}

Replace(content,
  h('p', { class: 'hint', text: RuleSummary(queue.rule) }),
  h('nav', { 'aria-label': T('queue.filters') }, buttons),
  status, list);
Render();
MarkReady();
