// The common referential (docs/referential.md) as served by the node or the hub: codes and
// French labels of families, legal forms, activities and territories, for filters, forms
// and readable records.
import { h, Replace } from './dom.js';
import { T } from './i18n.js';

let cached = null;

export function LoadReferential() {
  cached ??= fetch('/api/referential', { headers: { Accept: 'application/json' } })
    .then((r) => {
      if (!r.ok) throw new Error(`référentiel indisponible (${r.status})`);
      return r.json();
    })
    .then((data) => new Referential(data));
  return cached;
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
