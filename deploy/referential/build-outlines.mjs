// Builds approximate outlines of France's regions and departments for the maps' plain
// background and the national choropleth, from npm data only:
// - France's land (Natural Earth 1:10m, public domain) from `world-atlas`;
// - the exact positions of communes (GeoNames via the referential) split into Voronoi cells
//   (`d3-delaunay`), merged per region / department and clipped to the land
//   (`polygon-clipping`).
// Borders between two regions are therefore approximate (a few kilometres): good for a
// choropleth and a background when no tile server answers, not for cadastral use.
//   node deploy/referential/build-outlines.mjs REFERENTIAL.json OUT_DIR
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'web', 'package.json'));
const { Delaunay } = await import(require.resolve('d3-delaunay'));
const polygonClipping = require('polygon-clipping');
const topojson = require('topojson-client');
const world = require('world-atlas/countries-10m.json');

const [referentialPath, outDir] = process.argv.slice(2);
if (!referentialPath || !outDir) {
  console.error('usage: build-outlines.mjs REFERENTIAL.json OUT_DIR');
  process.exit(2);
}
const referential = JSON.parse(readFileSync(referentialPath, 'utf8'));
const france = topojson.feature(world, world.objects.countries).features.find((f) => f.id === '250');
const land = france.geometry.type === 'Polygon' ? [france.geometry.coordinates] : france.geometry.coordinates;

const round = (g) => g.map((poly) => poly.map((ring) => ring.map(([x, y]) => [+x.toFixed(4), +y.toFixed(4)])));
const bboxOf = (points, pad) => {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  return [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad];
};
const inBox = (poly, [x0, y0, x1, y1]) => poly[0].some(([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1);

// Communes with coordinates, [lon, lat], grouped by the key function (region or department).
function outlines(keyOf, nameOf, overseas) {
  const groups = new Map();
  for (const c of referential.communes) {
    if (c.latitude === undefined || c.approximate) continue;  // exact positions only
    const key = keyOf(c);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push([c.longitude, c.latitude]);
  }
  const features = [];
  // Overseas: each territory is its own piece of land.
  const metroKeys = [];
  for (const [key, points] of groups) {
    if (overseas(key)) {
      const box = bboxOf(points, 0.6);
      const parts = land.filter((poly) => inBox(poly, box));
      if (parts.length) features.push({ key, geometry: parts });
    } else {
      metroKeys.push(key);
    }
  }
  // Metropolitan France: Voronoi cells of all communes, merged per key, clipped to land.
  const points = [], owners = [];
  for (const key of metroKeys) for (const p of groups.get(key)) { points.push(p); owners.push(key); }
  const box = [-6, 41, 10.5, 51.6];
  const voronoi = Delaunay.from(points).voronoi(box);
  const metroLand = land.filter((poly) => inBox(poly, box));
  const cells = new Map(metroKeys.map((k) => [k, []]));
  for (let i = 0; i < points.length; ++i) {
    const cell = voronoi.cellPolygon(i);
    if (cell) cells.get(owners[i]).push([cell]);
  }
  for (const key of metroKeys) {
    const merged = polygonClipping.union(...cells.get(key));
    features.push({ key, geometry: polygonClipping.intersection(merged, metroLand) });
  }
  return {
    type: 'FeatureCollection',
    features: features
      .filter((f) => f.geometry.length)
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((f) => ({
        type: 'Feature',
        properties: { code: f.key, name: nameOf(f.key) },
        geometry: { type: 'MultiPolygon', coordinates: round(f.geometry) },
      })),
  };
}

const regionName = new Map(referential.regions.map((r) => [r.code, r.name]));
const departmentName = new Map(referential.departments.map((d) => [d.code, d.name]));
const overseasRegion = (code) => ['01', '02', '03', '04', '06'].includes(code);
const departmentRegion = new Map(referential.departments.map((d) => [d.code, d.region]));

mkdirSync(outDir, { recursive: true });
const write = (name, data) => {
  writeFileSync(join(outDir, name + '.tmp'), JSON.stringify(data));
  renameSync(join(outDir, name + '.tmp'), join(outDir, name));
};
const regions = outlines((c) => c.region, (k) => regionName.get(k) ?? k, overseasRegion);
write('regions.geojson', regions);
const departments = outlines((c) => c.department, (k) => departmentName.get(k) ?? k,
                             (k) => overseasRegion(departmentRegion.get(k)));
write('departments.geojson', departments);
console.error(`outlines: ${regions.features.length} regions, ${departments.features.length} departments`);
