// An initiative of the national map, and "Vérifier": the browser fetches the record with
// its proof and checks it itself (common/verify.js), trusting neither the hub nor this page's
// server: the region's signed checkpoint (Ed25519 via WebCrypto), the entry's inclusion in
// the signed tree, and the payload against its commitment. It shows the region, the key's
// fingerprint (to compare with the one the region publishes) and the record's hash.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { BackToSearch, FreshnessBadge, IsApproximate, OffersList, RecordList, RouteLink } from '/common/record.js';
import { CreateMap, L, PointIcon } from '/common/map.js';
import { BytesToHex, DecodeEntry, HexToBytes, LeafHash, ParseCheckpoint, ParseNote, VerifyRecordProof } from '/common/verify.js';

AddMessages({
  'back.national': { fr: 'Retour à la carte nationale', en: 'Back to the national map' },
  'national.initiative': { fr: 'Initiative', en: 'Initiative' },
  'national.missing': { fr: 'Cette initiative n\'est pas (ou plus) sur la carte nationale.', en: 'This initiative is not (or no longer) on the national map.' },
  'national.location': { fr: 'Localisation', en: 'Location' },
  'national.admitted': { fr: 'Admise par le comité d\'éthique de la région ; version {version} de la fiche.', en: 'Admitted by the region\'s ethics committee; record version {version}.' },
  'verify.title': { fr: 'Vérifier cette fiche', en: 'Verify this record' },
  'verify.lead': {
    fr: 'Votre navigateur vérifie lui-même que cette fiche est bien celle que la région a signée et journalisée : aucune confiance n\'est accordée au serveur national.',
    en: 'Your browser checks by itself that this record is the one the region signed and journalled: no trust is placed in the national server.',
  },
  'verify.button': { fr: 'Vérifier', en: 'Verify' },
  'verify.running': { fr: 'Vérification en cours…', en: 'Verifying…' },
  'verify.ok': { fr: 'Fiche vérifiée : signée par la région et incluse dans son journal.', en: 'Record verified: signed by the region and included in its log.' },
  'verify.failed': { fr: 'Échec de la vérification : cette fiche ne correspond pas au journal signé de la région.', en: 'Verification failed: this record does not match the region\'s signed log.' },
  'verify.region': { fr: 'Région', en: 'Region' },
  'verify.fingerprint': { fr: 'Empreinte de la clé de la région', en: 'Fingerprint of the region\'s key' },
  'verify.fingerprint.hint': {
    fr: 'Comparez-la à celle que la région publie en bas de la page d\'accueil de son site (ou par courrier) : c\'est elle qui garantit l\'origine.',
    en: 'Compare it with the one the region publishes at the bottom of its site\'s home page (or by letter): it vouches for the origin.',
  },
  'verify.hash': { fr: 'Empreinte de l\'enregistrement (SHA-256)', en: 'Record hash (SHA-256)' },
  'verify.entry': { fr: 'Entrée du journal', en: 'Log entry' },
  'verify.entry.value': { fr: 'n° {index} sur {size} (journal « {origin} »)', en: '#{index} of {size} (log "{origin}")' },
  'check.key_id': { fr: 'La clé de vérification est cohérente avec son identifiant', en: 'The verifier key matches its identifier' },
  'check.origin': { fr: 'Le point de contrôle est celui du journal de la région', en: 'The checkpoint is the region\'s log' },
  'check.signature': { fr: 'Signature Ed25519 du point de contrôle par la région', en: 'Ed25519 signature of the checkpoint by the region' },
  'check.inclusion': { fr: 'Preuve d\'inclusion de l\'entrée dans l\'arbre signé', en: 'Inclusion proof of the entry in the signed tree' },
  'check.payload': { fr: 'Contenu de la fiche conforme à l\'engagement de l\'entrée', en: 'Record content matches the entry\'s commitment' },
  'check.leaf_hash': { fr: 'Empreinte recalculée égale à celle annoncée', en: 'Recomputed hash equals the announced one' },
  'check.format': { fr: 'Preuve lisible', en: 'Readable proof' },
  'check.no_payload': { fr: 'Contenu effacé (droit à l\'effacement) : seule l\'entrée est vérifiable.', en: 'Content erased (right to erasure): only the entry can be checked.' },
  'check.ok': { fr: 'vérifié', en: 'verified' },
  'check.failed': { fr: 'échec', en: 'failed' },
});

const settings = await StartPage({ site: 'hub', title: 'national.initiative', active: 'map' });
BackToSearch($('#back-to-map'));
const content = $('#content');
const params = new URLSearchParams(location.search);
const region = params.get('region') ?? '';
const id = params.get('id') ?? '';
const path = `/api/initiatives/${encodeURIComponent(region)}/${encodeURIComponent(id)}`;
const referential = await LoadReferential().catch(() => null);

let item;
try {
  item = await Get(path);
} catch (e) {
  Replace(content, h('p', { class: 'notice error', text: e.status === 404 ? T('national.missing') : e.message }));
  MarkReady();
  throw e;
}
document.title = `${item.name} · ${document.title}`;

const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
const button = h('button', { type: 'button', id: 'verify', text: T('verify.button') });

async function Verify() {
  button.disabled = true;
  Replace(result, h('p', { role: 'status', text: T('verify.running') }));
  try {
    const proof = await Get(`${path}/proof`);
    const checks = await VerifyRecordProof(proof);
    const entry = HexToBytes(proof.entry);
    const leaf = BytesToHex(await LeafHash(entry));
    checks.push({ name: 'leaf_hash', ok: leaf === proof.leaf_hash, detail: '' });
    const ok = checks.every((c) => c.ok);
    let origin = '';
    let size = proof.tree_size;
    try {
      const cp = ParseCheckpoint(ParseNote(proof.checkpoint).text);
      origin = cp.origin;
      size = cp.size;
    } catch { /* shown as a failed check */ }
    let index = proof.log_index;
    try { index = DecodeEntry(entry).index; } catch { /* idem */ }
    Replace(result,
      h('p', { class: `notice ${ok ? 'success' : 'error'}`, id: 'verify-verdict', role: 'status', text: T(ok ? 'verify.ok' : 'verify.failed') }),
      h('dl', { class: 'record' },
        h('dt', { text: T('verify.region') }), h('dd', { text: `${referential?.Label('regions', proof.region) ?? proof.region} (${proof.region})` }),
        h('dt', { text: T('verify.fingerprint') }), h('dd', {}, h('span', { class: 'hash', id: 'key-fingerprint', text: proof.key_fingerprint ?? T('none') }),
          h('br'), h('span', { class: 'hint', text: T('verify.fingerprint.hint') })),
        h('dt', { text: T('verify.hash') }), h('dd', { class: 'hash', id: 'record-hash', text: leaf }),
        h('dt', { text: T('verify.entry') }), h('dd', { text: T('verify.entry.value', { index: FormatNumber(index), size: FormatNumber(size), origin }) })),
      h('ul', { class: 'checks', id: 'checks' }, checks.map((c) => h('li', { class: c.ok ? 'check-ok' : 'check-failed', dataset: { check: c.name, ok: String(c.ok) } },
        `${T(`check.${c.name}`)} : `, h('strong', { text: T(c.ok ? 'check.ok' : 'check.failed') }),
        c.detail && !c.ok ? ` (${c.detail})` : null))),
      proof.payload == null ? h('p', { class: 'hint', text: T('check.no_payload') }) : null);
  } catch (e) {
    Replace(result, h('p', { class: 'notice error', role: 'status', text: e.message }));
  } finally {
    button.disabled = false;
  }
}
button.addEventListener('click', Verify);

AddMessages({ 'national.region_site': { fr: 'Voir la fiche sur le site de la région', en: 'See the record on the region\'s site' } });
const mapBox = h('div', { class: 'map small-map' });
Replace(content,
  h('h1', { text: item.name }),
  h('p', {}, h('span', { class: 'badge', text: referential?.Label('regions', item.region) ?? item.region }), ' ', FreshnessBadge(item.freshness)),
  h('p', { class: 'hint', text: T('national.admitted', { version: item.record_version }) }),
  // The record's page on its region's site, when the hub knows that site (region_site_url).
  item.region_site_url ? h('p', {}, h('a', { href: item.region_site_url, id: 'region-site-link', text: T('national.region_site') })) : null,
  h('div', { class: 'layout-record' },
    h('section', { 'aria-labelledby': 'record-title' },
      h('h2', { id: 'record-title', class: 'visually-hidden', text: T('national.initiative') }),
      RecordList({ ...item }, referential),
      item.offers?.length ? [h('h2', { text: T('field.offers') }), OffersList(item.offers)] : null),
    h('section', { 'aria-labelledby': 'location-title' },
      h('h2', { id: 'location-title', text: T('national.location') }), mapBox,
      IsApproximate(item.location_precision) ? h('p', { class: 'hint', text: T('record.position.approximate') }) : null,
      h('p', { class: 'location-links' }, RouteLink(item)))),
  h('section', { class: 'card', 'aria-labelledby': 'verify-title' },
    h('h2', { id: 'verify-title', text: T('verify.title') }),
    h('p', { text: T('verify.lead') }), button, result));

const { map } = await CreateMap(mapBox, { tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution, label: T('national.location') });
map.setView([item.latitude, item.longitude], 9);
L.marker([item.latitude, item.longitude], { icon: PointIcon(item), keyboard: false, interactive: false }).addTo(map);
MarkReady();
