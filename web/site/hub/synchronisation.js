// Replication health in words a pilot understands: for each enrolled region, whether the hub
// has everything its node announced ("à jour"), or how far behind it is and since when, when
// the region last got in touch, and every refusal explained. The technical details (log
// entries, tree sizes, root, the key's fingerprint and where to compare it: the footer of the
// region's own home page, decision 0010) are one click away in a <details>.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';

AddMessages({
  'replication.title': { fr: 'Synchronisation des régions', en: 'Replication of the regions' },
  'replication.lead': {
    fr: 'Chaque réseau régional envoie ses fiches au hub, signées, et le hub vérifie chacune avant de la montrer sur la carte nationale. Si le hub refuse un envoi, les fiches suivantes de la région attendent que son réseau corrige le problème.',
    en: 'Each regional network sends its records to the hub, signed, and the hub checks each one before showing it on the national map. If the hub refuses a sending, the region\'s next records wait until its network fixes the problem.',
  },
  'replication.none': { fr: 'Aucune région inscrite au hub (essctl region enrol).', en: 'No region enrolled at the hub (essctl region enrol).' },
  'replication.fork': {
    fr: 'Synchronisation arrêtée pour {name} ({code}) : le journal de la région ne suit plus celui que le hub a déjà reçu. Un administrateur doit intervenir. {reason}',
    en: 'Replication stopped for {name} ({code}): the region\'s log no longer follows what the hub already received. An administrator must act. {reason}',
  },
  'replication.restored': {
    fr: 'Le nœud de {name} ({code}) annonce {node} entrée(s) de journal, le hub en a déjà reçu {hub} : il a sans doute été restauré depuis une sauvegarde plus ancienne. Il bloque son journal (rien n\'est perdu ni divergent) jusqu\'à ce qu\'un administrateur restaure une sauvegarde plus récente ou fasse de son journal la référence : voir le guide d\'administration, « Restaurer un nœud depuis une sauvegarde plus ancienne ».',
    en: 'The node of {name} ({code}) reports {node} log entry(ies), the hub already received {hub}: it was probably restored from an older backup. It blocks its log (nothing is lost or forked) until an administrator restores a newer backup or makes its log the reference: see the admin guide, "Restore a node from an older backup".',
  },
  'replication.restored.badge': { fr: 'Arrêtée : nœud restauré d\'une sauvegarde plus ancienne', en: 'Stopped: node restored from an older backup' },
  'replication.region': { fr: 'Région', en: 'Region' },
  'replication.state': { fr: 'Où en est-on ?', en: 'Where are we?' },
  'replication.last_contact': { fr: 'Dernier contact', en: 'Last contact' },
  'replication.details': { fr: 'Détails', en: 'Details' },
  'replication.received': { fr: '{count} fiche(s) reçue(s)', en: '{count} record(s) received' },
  'replication.uptodate': { fr: 'À jour', en: 'Up to date' },
  'replication.behind': { fr: 'En retard de {count} fiche(s) depuis {since}', en: '{count} record(s) behind since {since}' },
  'replication.behind.unknown': { fr: 'En retard de {count} fiche(s)', en: '{count} record(s) behind' },
  'replication.stopped': { fr: 'Arrêtée : divergence', en: 'Stopped: fork' },
  'replication.waiting': { fr: 'En attente du premier envoi', en: 'Waiting for the first sending' },
  'replication.refusals': { fr: '{count} envoi(s) refusé(s) — voir ci-dessous', en: '{count} sending(s) refused — see below' },
  'replication.ago': { fr: 'il y a {duration}', en: '{duration} ago' },
  'replication.never': { fr: 'jamais', en: 'never' },
  'replication.tech': { fr: 'Détails techniques', en: 'Technical details' },
  'replication.hub_size': { fr: 'Entrées du journal reçues par le hub', en: 'Log entries received by the hub' },
  'replication.node_size': { fr: 'Entrées annoncées par le nœud de la région', en: 'Entries the region\'s node reported' },
  'replication.lag': { fr: 'Retard', en: 'Lag' },
  'replication.lag.value': { fr: '{entries} entrée(s), {seconds}', en: '{entries} entry(ies), {seconds}' },
  'replication.batches': { fr: 'Lots acceptés', en: 'Batches accepted' },
  'replication.root': { fr: 'Racine de l\'arbre de Merkle', en: 'Merkle tree root' },
  'replication.key': { fr: 'Empreinte de la clé de la région', en: 'Fingerprint of the region\'s key' },
  'replication.key.where': {
    fr: 'À comparer avec l\'empreinte affichée en bas de la page d\'accueil du site de la région :',
    en: 'Compare it with the fingerprint shown at the bottom of the home page of the region\'s site:',
  },
  'replication.key.nosite': {
    fr: 'Le site de la région n\'est pas encore connu du hub : demandez l\'empreinte au réseau régional (courrier, téléphone).',
    en: 'The hub does not know the region\'s site yet: ask the regional network for the fingerprint (letter, phone).',
  },
  'replication.rejections.of': { fr: 'Envois refusés de {name} ({code})', en: 'Refused sendings from {name} ({code})' },
  'replication.rejection.line': { fr: 'Le {date}, le hub a refusé un envoi de la région : {reason}', en: 'On {date}, the hub refused a sending from the region: {reason}' },
  'replication.rejection.next': {
    fr: 'Les fiches suivantes de la région attendent que son réseau corrige ce point ; rien n\'a été publié à partir de cet envoi.',
    en: 'The region\'s next records wait until its network fixes this; nothing was published from this sending.',
  },
  'replication.rejection.tech': { fr: 'Code {code}, entrée {index}, pièces gardées : {evidence}', en: 'Code {code}, entry {index}, evidence kept: {evidence}' },
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
const Ago = (iso) => (iso ? T('replication.ago', { duration: Duration(Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))) }) : T('replication.never'));

// The region's state in a sentence, and the badge's kind.
function State(r) {
  if (r.status === 'forked') return { text: T('replication.stopped'), kind: 'danger' };
  if (r.node_behind_entries > 0) return { text: T('replication.restored.badge'), kind: 'danger' };
  if (r.lag_entries > 0) {
    const since = r.last_accepted_at ?? r.last_contact_at;
    return {
      text: since ? T('replication.behind', { count: FormatNumber(r.lag_entries), since: When(since) })
        : T('replication.behind.unknown', { count: FormatNumber(r.lag_entries) }),
      kind: 'warning',
    };
  }
  if (r.tree_size === 0 && !r.last_contact_at) return { text: T('replication.waiting'), kind: '' };
  return { text: T('replication.uptodate'), kind: '' };
}

function Details(r) {
  const row = (key, value, cls) => [h('dt', { text: T(key) }), h('dd', { class: cls, text: value })];
  return h('details', { class: 'tech-details' },
    h('summary', { text: T('replication.tech') }),
    h('dl', {},
      row('replication.hub_size', FormatNumber(r.tree_size)),
      row('replication.node_size', r.node_tree_size === null ? T('none') : FormatNumber(r.node_tree_size)),
      row('replication.lag', T('replication.lag.value', { entries: FormatNumber(r.lag_entries), seconds: Duration(r.lag_seconds) })),
      row('replication.batches', `${FormatNumber(r.accepted_batches)} (${FormatNumber(r.accepted_entries)})`),
      row('replication.root', r.root ?? T('none'), 'hash'),
      row('replication.key', r.key_fingerprint ?? T('none'), 'hash key-fingerprint')),
    r.site_url ? h('p', { class: 'hint' }, h('span', { text: `${T('replication.key.where')} ` }),
      h('a', { href: r.site_url, text: r.site_url }))
      : h('p', { class: 'hint', text: T('replication.key.nosite') }));
}

await StartPage({ site: 'hub', title: 'replication.title', active: 'replication' });
const content = $('#content');
const { regions } = await Get('/api/regions');

const forks = regions.filter((r) => r.status === 'forked');
Replace(content,
  h('p', { class: 'lead', text: T('replication.lead') }),
  forks.map((r) => h('p', { class: 'notice error', role: 'alert', text: T('replication.fork', { name: r.name, code: r.region, reason: r.status_reason ?? '' }) })),
  regions.filter((r) => r.status !== 'forked' && r.node_behind_entries > 0).map((r) => h('p', {
    class: 'notice error restored', role: 'alert', dataset: { region: r.region },
    text: T('replication.restored', { name: r.name, code: r.region, node: FormatNumber(r.node_tree_size), hub: FormatNumber(r.tree_size) }),
  })),
  regions.length === 0 ? h('p', { class: 'notice', text: T('replication.none') }) : h('div', { class: 'table-wrap' }, h('table', { id: 'regions' },
    h('thead', {}, h('tr', {}, ['replication.region', 'replication.state', 'replication.last_contact', 'replication.details']
      .map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, regions.map((r) => {
      const state = State(r);
      return h('tr', { class: r.status === 'forked' ? 'alert-row' : null, dataset: { region: r.region } },
        h('th', { scope: 'row', text: `${r.name} (${r.region})` }),
        h('td', { class: 'state' },
          h('span', { class: `badge ${state.kind}`, text: state.text }),
          h('br'), h('span', { text: T('replication.received', { count: FormatNumber(r.tree_size) }) }),
          r.rejected_count ? [h('br'), h('span', { class: 'refusals', text: T('replication.refusals', { count: FormatNumber(r.rejected_count) }) })] : null),
        h('td', { title: When(r.last_contact_at), text: Ago(r.last_contact_at) }),
        h('td', {}, Details(r)));
    })))),
  regions.filter((r) => r.latest_rejections?.length).map((r) => h('section', { class: 'card', 'aria-labelledby': `rej-${r.region}` },
    h('h2', { id: `rej-${r.region}`, text: T('replication.rejections.of', { name: r.name, code: r.region }) }),
    h('ul', {}, r.latest_rejections.map((j) => h('li', {},
      h('p', { class: 'prewrap', text: T('replication.rejection.line', { date: When(j.at), reason: j.reason }) }),
      h('p', { class: 'hint', text: T('replication.rejection.next') }),
      h('details', {}, h('summary', { text: T('replication.tech') }),
        h('p', {
          text: T('replication.rejection.tech', {
            code: j.code,
            index: j.log_index === null ? T('none') : FormatNumber(j.log_index),
            evidence: [j.quarantined_entry ? T('replication.quarantined') : null, j.fork_evidence ? T('replication.fork_evidence') : null].filter(Boolean).join(', ') || T('none'),
          }),
        }))))))));
MarkReady();
