// The common referential (docs/referential.md) as served by the node or the hub: codes and
// French labels of families, legal forms, activities and territories, for filters, forms
// and readable records. Pages need labels, not the 35,000 communes (3.6 MB): they load the
// referential without them (?without=communes, a few kilobytes, kept by the browser through
// its ETag). The node's forms find communes as one types (SearchCommunes).
import { h, Replace } from './dom.js';
import { T } from './i18n.js';

const cached = new Map();

// {communes: true} for the whole document (no page needs it today).
export function LoadReferential({ communes = false } = {}) {
  const path = communes ? '/api/referential' : '/api/referential?without=communes';
  if (!cached.has(path)) {
    cached.set(path, fetch(path, { headers: { Accept: 'application/json' } })
      .then((r) => {
        if (!r.ok) throw new Error(`référentiel indisponible (${r.status})`);
        return r.json();
      })
      .then((data) => new Referential(data)));
  }
  return cached.get(path);
}

// The node's communes matching what is typed (name, INSEE code or postcode; accents and case
// ignored): [{code, name, department, postcodes}], at most `limit`. Node only.
export async function SearchCommunes(text, { limit = 20 } = {}) {
  const q = text.trim();
  if (!q) return [];
  const r = await fetch(`/api/communes?q=${encodeURIComponent(q.slice(0, 100))}&limit=${limit}`,
    { headers: { Accept: 'application/json' } });
  if (!r.ok) return [];
  return (await r.json()).communes ?? [];
}

// One of the node's communes by INSEE code, or null. Node only.
export async function CommuneByCode(code) {
  if (!code) return null;
  const r = await fetch(`/api/communes?code=${encodeURIComponent(code)}`, { headers: { Accept: 'application/json' } });
  if (!r.ok) return null;
  return (await r.json()).communes?.[0] ?? null;
}

export class Referential {
  constructor(data) {
    this.data = data;
    const index = (list) => new Map((list ?? []).map((e) => [e.code, e]));
    this.families = index(data.families);
    this.legalForms = index(data.legal_forms);
    this.activities = index(data.activities);
    this.regions = index(data.regions);
    this.departments = index(data.departments);
    this.communes = index(data.communes);
  }
  Label(kind, code) {
    const e = this[kind]?.get(code);
    return e?.label ?? e?.name ?? code ?? '';
  }
  DepartmentsOf(region) {
    return (this.data.departments ?? []).filter((d) => !region || d.region === region);
  }
  CommunesOf(region) {
    return (this.data.communes ?? []).filter((c) => c.region === region);
  }
}

// Fills a <select> with an empty "all" choice then `items` [{code, label}], keeping the value.
export function FillSelect(select, items, { emptyKey = 'search.any', emptyLabel } = {}) {
  const keep = select.value;
  const options = [];
  if (emptyKey || emptyLabel) options.push(h('option', { value: '', text: emptyLabel ?? T(emptyKey) }));
  for (const item of items) options.push(h('option', { value: item.code, text: item.label ?? item.name }));
  Replace(select, options);
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

export function ByLabel(a, b) {
  return (a.label ?? a.name).localeCompare(b.label ?? b.name, 'fr');
}
