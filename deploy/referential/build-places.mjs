// Builds the place names drawn on the maps' plain background (web/common/places.js), so the
// outline map reads without a tile server: the communes' positions from the referential
// (exact positions only: an approximated point would mislabel the map), their population
// and the prefectures from `@etalab/decoupage-administratif` (INSEE).
// Two GeoJSON files of points, properties {name, rank}:
//   places.geojson         rank 0: region prefectures; 1: department prefectures and
//                          communes of 100,000 inhabitants or more; 2: 20,000 or more
//   places-detail.geojson  rank 3: 5,000 or more; 4: 2,000 or more (loaded once zoomed in)
// The lower the rank, the sooner (the less zoomed in) a name shows.
//   node deploy/referential/build-places.mjs REFERENTIAL.json OUT_DIR
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'web', 'package.json'));
const inseeCommunes = require('@etalab/decoupage-administratif/data/communes.json');
const inseeDepartments = require('@etalab/decoupage-administratif/data/departements.json');
const inseeRegions = require('@etalab/decoupage-administratif/data/regions.json');

const [referentialPath, outDir] = process.argv.slice(2);
if (!referentialPath || !outDir) {
  console.error('usage: build-places.mjs REFERENTIAL.json OUT_DIR');
  process.exit(2);
}
const referential = JSON.parse(readFileSync(referentialPath, 'utf8'));

const population = new Map(inseeCommunes.filter((c) => c.type === 'commune-actuelle')
  .map((c) => [c.code, c.population ?? 0]));
const regionPrefectures = new Set(inseeRegions.map((r) => r.chefLieu));
const departmentPrefectures = new Set(inseeDepartments.map((d) => d.chefLieu));

function RankOf(code) {
  const people = population.get(code) ?? 0;
  if (regionPrefectures.has(code)) return 0;
  if (departmentPrefectures.has(code) || people >= 100000) return 1;
  if (people >= 20000) return 2;
  if (people >= 5000) return 3;
  if (people >= 2000) return 4;
  return null;
}

const main = [], detail = [];
for (const c of referential.communes) {
  if (c.latitude === undefined || c.longitude === undefined || c.approximate) continue;
  const rank = RankOf(c.code);
  if (rank === null) continue;
  const feature = {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [+c.longitude.toFixed(3), +c.latitude.toFixed(3)] },
    properties: { name: c.name, rank },
  };
  (rank <= 2 ? main : detail).push({ feature, people: population.get(c.code) ?? 0 });
}
// Larger places first: the map places names in file order and skips those that would overlap.
const ordered = (list) => list.sort((a, b) => a.feature.properties.rank - b.feature.properties.rank
  || b.people - a.people).map((e) => e.feature);

mkdirSync(outDir, { recursive: true });
for (const [file, list] of [['places.geojson', main], ['places-detail.geojson', detail]]) {
  const path = join(outDir, file);
  writeFileSync(`${path}.tmp`, JSON.stringify({ type: 'FeatureCollection', features: ordered(list) }));
  renameSync(`${path}.tmp`, path);
  console.log(`${path} : ${list.length} lieux`);
}
