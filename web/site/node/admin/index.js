// The admin's overview: replication to the national hub, the region's rules (decision rule,
// validity period, thresholds) as configured, and the exports.
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';
import { StartAdmin } from '/admin/admin.js';

AddMessages({
  'admin.title.overview': { fr: 'Administration du nœud régional', en: 'Regional node administration' },
  'sync.title': { fr: 'Synchronisation avec le hub national', en: 'Sync with the national hub' },
  'sync.none': { fr: 'Pas encore de contact avec le hub (ou synchronisation non configurée).', en: 'No contact with the hub yet (or sync not configured).' },
  'sync.log_size': { fr: 'Entrées du journal régional', en: 'Entries in the regional log' },
  'sync.hub_size': { fr: 'Entrées reçues par le hub', en: 'Entries the hub holds' },
  'sync.lag': { fr: 'Retard', en: 'Lag' },
  'sync.lag.value': { fr: '{count} entrée(s)', en: '{count} entry(ies)' },
  'sync.uptodate': { fr: 'à jour', en: 'up to date' },
  'sync.last_contact': { fr: 'Dernier contact', en: 'Last contact' },
  'sync.receipt': { fr: 'Dernier reçu contresigné', en: 'Latest countersigned receipt' },
  'sync.receipt.value': { fr: 'taille {size}', en: 'size {size}' },
  'sync.hub_status': { fr: 'État de la région au hub', en: 'Region status at the hub' },
  'sync.error': { fr: 'Dernière erreur', en: 'Last error' },
  'sync.blocked': {
    fr: 'Journal bloqué : {reason}. Voir docs/replication.md (« Nœud restauré depuis une ancienne sauvegarde »).',
    en: 'Log blocked: {reason}. See docs/replication.md ("Node restored from an old backup").',
  },
  'rules.title': { fr: 'Règles de la région', en: 'The region\'s rules' },
  'rules.lead': {
    fr: 'Ces réglages viennent du fichier de configuration du nœud (voir deploy/node.example.conf) ; ils s\'appliquent dès le redémarrage.',
    en: 'These settings come from the node\'s configuration file (see deploy/node.example.conf); they apply on restart.',
  },
  'rules.decision': { fr: 'Règle de décision du comité', en: 'Committee decision rule' },
  'rules.decision.value': {
    fr: 'quorum {quorum} votes, au moins {colleges} collèges, majorité au-delà de {majority} %',
    en: 'quorum {quorum} votes, at least {colleges} colleges, majority beyond {majority}%',
  },
  'rules.colleges': { fr: 'Collèges', en: 'Colleges' },
  'rules.validity': { fr: 'Durée de validité d\'une fiche', en: 'Validity period of a record' },
  'rules.validity.value': {
    fr: '{validity} jours, puis {grace} jours de grâce avant de quitter la carte ; rappel {reminder} jours avant',
    en: '{validity} days, then {grace} days of grace before leaving the map; reminder {reminder} days before',
  },
  'rules.reports': { fr: 'Signalements remettant à l\'examen', en: 'Reports reopening a review' },
  'rules.endorsements': { fr: 'Soutiens signalés au comité', en: 'Endorsements shown to the committee' },
  'rules.edit_link': { fr: 'Durée d\'un lien de modification', en: 'Lifetime of an edit link' },
  'rules.days': { fr: '{days} jours', en: '{days} days' },
  'exports.title': { fr: 'Exports de la carte publique', en: 'Exports of the public map' },
  'exports.csv': { fr: 'Initiatives admises (CSV)', en: 'Admitted initiatives (CSV)' },
  'exports.geojson': { fr: 'Initiatives admises (GeoJSON)', en: 'Admitted initiatives (GeoJSON)' },
});

const { content } = await StartAdmin('admin.title.overview', 'overview');
const [sync, rules] = await Promise.all([Get('/api/admin/sync'), Get('/api/admin/settings')]);

const row = (key, value) => [h('dt', { text: T(key) }), h('dd', {}, value)];
const hub = sync.hub;
const lag = hub?.tree_size !== null && hub?.tree_size !== undefined ? sync.log_size - hub.tree_size : null;
Replace(content,
  h('section', { class: 'card', 'aria-labelledby': 'sync-title', id: 'sync' },
    h('h2', { id: 'sync-title', text: T('sync.title') }),
    hub?.append_blocked ? h('p', { class: 'notice error', text: T('sync.blocked', { reason: hub.append_blocked_reason ?? '' }) }) : null,
    h('dl', { class: 'record' },
      row('sync.log_size', FormatNumber(sync.log_size)),
      hub ? [
        row('sync.hub_size', hub.tree_size === null ? T('none') : FormatNumber(hub.tree_size)),
        row('sync.lag', lag === null ? T('none') : lag <= 0 ? h('span', { class: 'badge', text: T('sync.uptodate') })
          : h('span', { class: 'badge warning', text: T('sync.lag.value', { count: FormatNumber(lag) }) })),
        row('sync.hub_status', hub.region_status ?? T('none')),
        row('sync.last_contact', hub.last_contact_at ? new Date(hub.last_contact_at).toLocaleString() : T('none')),
        row('sync.receipt', hub.last_receipt_size === null ? T('none') : T('sync.receipt.value', { size: FormatNumber(hub.last_receipt_size) })),
        hub.last_error ? row('sync.error', h('span', { class: 'error', text: `${hub.last_error} (${FormatDate(hub.last_error_at)})` })) : null,
      ] : null),
    hub ? null : h('p', { class: 'hint', text: T('sync.none') })),
  h('section', { class: 'card', 'aria-labelledby': 'rules-title', id: 'rules' },
    h('h2', { id: 'rules-title', text: T('rules.title') }),
    h('p', { class: 'hint', text: T('rules.lead') }),
    h('dl', { class: 'record' },
      row('rules.decision', T('rules.decision.value', {
        quorum: rules.decision_rule.quorum, colleges: rules.decision_rule.min_colleges,
        majority: Math.round(rules.decision_rule.majority * 100),
      })),
      row('rules.colleges', rules.colleges.join(', ')),
      row('rules.validity', T('rules.validity.value', {
        validity: rules.freshness.validity_days, grace: rules.freshness.grace_days, reminder: rules.freshness.reminder_days,
      })),
      row('rules.reports', FormatNumber(rules.report_threshold)),
      row('rules.endorsements', FormatNumber(rules.endorsement_threshold)),
      row('rules.edit_link', T('rules.days', { days: rules.edit_link_days })))),
  h('section', { class: 'card', 'aria-labelledby': 'exports-title' },
    h('h2', { id: 'exports-title', text: T('exports.title') }),
    h('ul', {},
      h('li', {}, h('a', { href: '/api/export/initiatives.csv', download: 'initiatives.csv', text: T('exports.csv') })),
      h('li', {}, h('a', { href: '/api/export/initiatives.geojson', download: 'initiatives.geojson', text: T('exports.geojson') })))));
MarkReady();
