// An initiative's public fields as a readable description list (both sites, the committee).
import { h } from './dom.js';
import { FormatDate, T } from './i18n.js';

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
    ['field.email', item.email ? h('a', { href: `mailto:${item.email}`, text: item.email }) : null],
    ['field.phone', item.phone],
    ['field.website', item.website ? SafeLink(item.website) : null],
    ['field.siret', item.siret],
    ['field.employer', item.employer === true ? T('yes') : item.employer === false ? T('no') : null],
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
