// Replication health for the national pilot and admins: one row per enrolled region with the hub's
// copy against what the node reported (lag in entries and seconds), the last contact, the
// refused entries with their reasons, and an alert for any region stopped on a fork.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';

AddMessages({
  'replication.title': { fr: 'Santé de la synchronisation des régions', en: 'Health of the regions\' replication' },
  'replication.lead': {
    fr: 'Chaque région envoie son journal signé au hub, qui vérifie chaque entrée. Une entrée refusée arrête la synchronisation de sa région jusqu\'à correction ; une divergence (fork) l\'arrête jusqu\'à l\'intervention d\'un administrateur.',
    en: 'Each region sends its signed log to the hub, which checks every entry. A refused entry stops its region\'s sync until fixed; a fork stops it until an administrator acts.',
  },
  'replication.none': { fr: 'Aucune région inscrite au hub (essctl region enrol).', en: 'No region enrolled at the hub (essctl region enrol).' },
  'replication.fork': { fr: 'Divergence détectée pour {name} ({code}) : synchronisation arrêtée. {reason}', en: 'Fork detected for {name} ({code}): replication stopped. {reason}' },
  'replication.region': { fr: 'Région', en: 'Region' },
  'replication.status': { fr: 'État', en: 'Status' },
  'replication.status.active': { fr: 'active', en: 'active' },
  'replication.status.forked': { fr: 'divergence', en: 'forked' },
  'replication.hub_size': { fr: 'Entrées au hub', en: 'Entries at the hub' },
  'replication.node_size': { fr: 'Entrées annoncées par le nœud', en: 'Entries the node reported' },
  'replication.lag': { fr: 'Retard', en: 'Lag' },
  'replication.lag.value': { fr: '{entries} entrée(s), {seconds}', en: '{entries} entry(ies), {seconds}' },
  'replication.uptodate': { fr: 'à jour', en: 'up to date' },
  'replication.last_contact': { fr: 'Dernier contact', en: 'Last contact' },
  'replication.never': { fr: 'jamais', en: 'never' },
  'replication.rejected': { fr: 'Entrées refusées', en: 'Refused entries' },
  'replication.key': { fr: 'Empreinte de la clé', en: 'Key fingerprint' },
  'replication.rejections': { fr: 'Refus récents', en: 'Recent refusals' },
  'replication.rejections.of': { fr: '{name} ({code}) : {count} refus', en: '{name} ({code}): {count} refusal(s)' },
  'replication.at': { fr: 'Date', en: 'Date' },
  'replication.code': { fr: 'Motif', en: 'Reason' },
  'replication.reason': { fr: 'Explication', en: 'Explanation' },
  'replication.index': { fr: 'Entrée', en: 'Entry' },
  'replication.evidence': { fr: 'Pièces gardées', en: 'Evidence kept' },
  'replication.quarantined': { fr: 'entrée en quarantaine', en: 'quarantined entry' },
  'replication.fork_evidence': { fr: 'preuve de divergence', en: 'fork evidence' },
  'duration.s': { fr: '{n} s', en: '{n} s' },
  'duration.min': { fr: '{n} min', en: '{n} min' },
  'duration.h': { fr: '{n} h', en: '{n} h' },
  'duration.d': { fr: '{n} j', en: '{n} d' },
});

function Duration(seconds) {
  if (seconds < 120) return T('duration.s', { n: FormatNumber(seconds) });
  if (seconds < 7200) return T('duration.min', { n: FormatNumber(Math.round(seconds / 60)) });
  if (seconds < 172800) return T('duration.h', { n: FormatNumber(Math.round(seconds / 3600)) });
  return T('duration.d', { n: FormatNumber(Math.round(seconds / 86400)) });
}

const When = (iso) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'fr-FR') : T('replication.never'));

await StartPage({ site: 'hub', title: 'replication.title', active: 'sync' });
const content = $('#content');
const { regions } = await Get('/api/regions');

const forks = regions.filter((r) => r.status === 'forked');
Replace(content,
  h('p', { class: 'lead', text: T('replication.lead') }),
  forks.map((r) => h('p', { class: 'notice error', role: 'alert', text: T('replication.fork', { name: r.name, code: r.region, reason: r.status_reason ?? '' }) })),
  regions.length === 0 ? h('p', { class: 'notice', text: T('replication.none') }) : h('div', { class: 'table-wrap' }, h('table', { id: 'regions' },
    h('thead', {}, h('tr', {}, ['replication.region', 'replication.status', 'replication.hub_size', 'replication.node_size', 'replication.lag', 'replication.last_contact', 'replication.rejected', 'replication.key']
      .map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, regions.map((r) => h('tr', { class: r.status === 'forked' ? 'alert-row' : null, dataset: { region: r.region } },
      h('th', { scope: 'row', text: `${r.name} (${r.region})` }),
      h('td', {}, h('span', { class: `badge ${r.status === 'active' ? '' : 'danger'}`, text: T(`sync.status.${r.status}`) === `sync.status.${r.status}` ? r.status : T(`sync.status.${r.status}`) })),
      h('td', { text: FormatNumber(r.tree_size) }),
      h('td', { text: r.node_tree_size === null ? T('none') : FormatNumber(r.node_tree_size) }),
      h('td', { class: 'lag' }, r.lag_entries === 0 && r.lag_seconds === 0 ? h('span', { class: 'badge', text: T('replication.uptodate') })
        : h('span', { class: 'badge warning', text: T('replication.lag.value', { entries: FormatNumber(r.lag_entries), seconds: Duration(r.lag_seconds) }) })),
      h('td', { text: When(r.last_contact_at) }),
      h('td', {}, r.rejected_count ? h('span', { class: 'badge danger', text: FormatNumber(r.rejected_count) }) : '0'),
      h('td', { class: 'hash', text: r.key_fingerprint ?? T('none') })))))),
  regions.filter((r) => r.latest_rejections?.length).map((r) => h('section', { class: 'card', 'aria-labelledby': `rej-${r.region}` },
    h('h2', { id: `rej-${r.region}`, text: T('replication.rejections.of', { name: r.name, code: r.region, count: FormatNumber(r.rejected_count) }) }),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['replication.at', 'replication.code', 'replication.reason', 'replication.index', 'replication.evidence'].map((k) => h('th', { scope: 'col', text: T(k) })))),
      h('tbody', {}, r.latest_rejections.map((j) => h('tr', {},
        h('td', { text: When(j.at) }), h('td', { text: j.code }), h('td', { class: 'prewrap', text: j.reason }),
        h('td', { text: j.log_index === null ? T('none') : FormatNumber(j.log_index) }),
        h('td', { text: [j.quarantined_entry ? T('replication.quarantined') : null, j.fork_evidence ? T('replication.fork_evidence') : null].filter(Boolean).join(', ') || T('none') })))))))));
MarkReady();
