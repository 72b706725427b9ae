// An initiative's public fields as a readable description list (both sites, the committee).
import { h } from './dom.js';
import { AddMessages, FormatDate, T } from './i18n.js';

// The visitor's words for the listing pages (the committee's pages keep the form's codes).
AddMessages({
  'record.employer': { fr: 'Emploie des salariés', en: 'Employs staff' },
  'record.employer.unknown': { fr: 'non précisé', en: 'not stated' },
  'record.position': { fr: 'Position', en: 'Position' },
  'record.position.approximate': {
    fr: 'position approximative (centre de la commune)', en: 'approximate position (centre of the commune)',
  },
  'record.route': { fr: 'Itinéraire', en: 'Directions' },
  'record.route.label': {
    fr: 'Itinéraire jusqu\'à {name} sur OpenStreetMap', en: 'Directions to {name} on OpenStreetMap',
  },
  'record.call': { fr: 'Appeler le {phone}', en: 'Call {phone}' },
});

// Only http(s) links become links; anything else stays text.
export function SafeLink(url, text = url) {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') {
      return h('a', { href: u.toString(), rel: 'noopener noreferrer external', text });
    }
  } catch { /* not a URL */ }
  return text;
}

// A position that is the commune's point rather than the initiative's own: location_precision
// "commune" or "approximate" (absent, in older records, reads as "placed").
export function IsApproximate(precision) {
  return precision === 'commune' || precision === 'approximate';
}

// The search the map shows, kept for the listing pages' way back (sessionStorage, per site):
// the map page's own path and query, where the search keeps its filters (map.js calls it).
const kSearchKey = 'ess.search';
export function RememberSearch() {
  try { sessionStorage.setItem(kSearchKey, `${location.pathname}${location.search}`); } catch { /* storage off */ }
}
// The search last shown on this site's map, or null: a path of this site only.
export function RememberedSearch() {
  let kept = null;
  try { kept = sessionStorage.getItem(kSearchKey); } catch { /* storage off */ }
  return kept && kept.startsWith('/') && !kept.startsWith('//') && !kept.includes('\\') ? kept : null;
}

// A phone number as a tel: link (digits and a leading + only in the link).
export function PhoneLink(phone) {
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return digits ? h('a', { href: `tel:${digits}`, 'aria-label': T('record.call', { phone }), text: phone }) : phone;
}

// An OpenStreetMap route to the initiative's point, opened as a plain link.
export function RouteLink(item) {
  if (!Number.isFinite(item.latitude) || !Number.isFinite(item.longitude)) return null;
  const to = `${item.latitude.toFixed(5)},${item.longitude.toFixed(5)}`;
  return h('a', {
    href: `https://www.openstreetmap.org/directions?to=${to}#map=16/${to.replace(',', '/')}`,
    rel: 'noopener noreferrer external', class: 'route-link', text: T('record.route'),
    'aria-label': T('record.route.label', { name: item.name ?? '' }),
  });
}

// "Retour à la carte": back to the search as the visitor left it. The map page keeps its URL
// (filters included) in sessionStorage (map.js RememberSearch); when the previous page of this
// tab is that search, going back in history also finds the map where it was.
export function BackToSearch(link) {
  const kept = RememberedSearch();
  if (!kept) return;
  link.href = kept;
  link.addEventListener('click', (e) => {
    const entries = globalThis.navigation?.entries?.();
    const index = globalThis.navigation?.currentEntry?.index ?? -1;
    const previous = entries && index > 0 ? entries[index - 1]?.url : null;
    if (previous && new URL(previous).origin === location.origin) {
      const url = new URL(previous);
      if (`${url.pathname}${url.search}` === kept) {
        e.preventDefault();
        history.back();
      }
    }
  });
}

export function StatusBadge(status) {
  const kind = status === 'admitted' ? '' : status === 'pending' || status === 'changes_requested' ? 'warning' : 'danger';
  return h('span', { class: `badge ${kind}`, text: T(`status.${status}`) });
}

export function FreshnessBadge(freshness) {
  if (!freshness) return null;
  return h('span', { class: `badge ${freshness === 'fresh' ? '' : 'warning'}`, text: T(`freshness.${freshness}`) });
}

// The rows [label key, value node] of an initiative, in reading order.
export function RecordRows(item, referential) {
  const label = (kind, code) => (referential ? referential.Label(kind, code) : code);
  const commune = item.commune_name || label('communes', item.commune);
  const rows = [
    ['field.family', label('families', item.family)],
    ['field.legal_form', label('legalForms', item.legal_form)],
    ['field.activities', (item.activities ?? []).map((a) => label('activities', a)).join(', ')],
    ['field.description', item.description ? h('span', { class: 'prewrap', text: item.description }) : null],
    ['field.address', [item.address, [item.postcode, commune].filter(Boolean).join(' ')].filter(Boolean).join(', ')],
    ['field.department', item.department ? `${label('departments', item.department)} (${item.department})` : null],
    ['field.region', item.region ? label('regions', item.region) : null],
    ['record.position', IsApproximate(item.location_precision) ? T('record.position.approximate') : null],
    ['field.email', item.email ? h('a', { href: `mailto:${item.email}`, text: item.email }) : null],
    ['field.phone', item.phone ? PhoneLink(item.phone) : null],
    ['field.website', item.website ? SafeLink(item.website) : null],
    ['field.siret', item.siret],
    ['record.employer', item.employer === true ? T('yes') : item.employer === false ? T('no') : T('record.employer.unknown')],
    ['field.charter', item.charter_version
      ? T('charter.adhered', { version: item.charter_version, date: FormatDate(item.charter_adhered_at) })
      : T('charter.none')],
    ['field.confirmed_at', item.confirmed_at ? FormatDate(item.confirmed_at) : null],
    ['field.valid_until', item.valid_until ? FormatDate(item.valid_until) : null],
  ];
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
}

export function RecordList(item, referential) {
  return h('dl', { class: 'record' },
    RecordRows(item, referential).map(([key, value]) => [h('dt', { text: T(key) }), h('dd', {}, value)]));
}

export function OffersList(offers) {
  if (!offers?.length) return null;
  return h('ul', { class: 'offers' }, offers.map((o) => h('li', { class: 'card' },
    h('h3', { text: o.title }),
    o.description ? h('p', { class: 'prewrap', text: o.description }) : null,
    h('dl', { class: 'record' },
      ['conditions', 'lead_time', 'guarantees'].filter((k) => o[k])
        .map((k) => [h('dt', { text: T(`offer.${k}`) }), h('dd', { text: o[k] })])))));
}
