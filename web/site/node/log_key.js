// The region's log key on its own site (decision 0010): the fingerprint of the key that signs
// every record of the region, in the footer of the home page, so that anyone can compare it,
// out of band, with the one the national hub shows under « Vérifier » and on its
// synchronisation page.
import { AddMessages, T } from '/common/i18n.js';
import { h } from '/common/dom.js';
import { Get } from '/common/api.js';

AddMessages({
  'logkey.label': { fr: 'Empreinte de la clé qui signe le journal de la région :', en: 'Fingerprint of the key that signs the region\'s log:' },
  'logkey.hint': {
    fr: 'Le hub national affiche la même empreinte pour chaque fiche de la région vérifiée.',
    en: 'The national hub shows the same fingerprint for every verified record of the region.',
  },
});

// Appends the fingerprint to `footer`; says nothing when the node does not answer.
export async function ShowLogKey(footer) {
  const key = await Get('/api/log/key').catch(() => null);
  if (!key || !footer) return;
  footer.append(h('p', { class: 'log-key' },
    h('span', { text: `${T('logkey.label')} ` }),
    h('code', { class: 'hash', id: 'region-key-fingerprint', text: key.fingerprint }),
    h('br'), h('span', { class: 'hint', text: T('logkey.hint') })));
}
