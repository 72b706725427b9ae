// The feeds other maps import (issue 18, point 1), from the hub (national) and from the
// region's node, on records admitted and replicated as people would make them:
//   - the JSON-LD feed expands with a JSON-LD processor (npm jsonld) whose document loader
//     fetches the @context the site serves; no key of an item is dropped by the expansion;
//     every item has the required terms (schema.org names, place and address, ESSGlobal legal
//     form and sectors as the referential maps them, provenance: region, log index, version,
//     proof);
//   - the GoGoCarto JSON has the fields its importer reads, categories as the referential's
//     French labels;
//   - every Murmurations profile of the index validates against the published Murmurations
//     schemas (copies in fixtures/murmurations/), and a profile off the map is a 404;
//   - the CSV in the French spreadsheet dialect;
//   - every format (search, CSV, GeoJSON, JSON-LD, GoGoCarto, Murmurations index) gives the
//     same records for the same filters and pages.
//   node tests/e2e/feeds.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ApiClient, Federation, WaitFor, kRoot } from './federation.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';

const require = createRequire(join(kRoot, 'web', 'package.json'));
const jsonld = require('jsonld');
const Ajv = require('ajv').default;

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const kContextPath = '/api/feeds/context.jsonld';
const kSchema = 'https://schema.org/';
const kEssGlobal = 'http://purl.org/essglobal/vocab/';
const kOurs = 'urn:ess-federation:vocab:';
// The national site's public address (--public-url): the hub's feeds link there.
const kHubPublicUrl = 'https://carte.ess-france.example';

const kInitiatives = [{
  name: 'Épicerie solidaire du Panier', family: 'association', legal_form: 'association_loi_1901',
  activities: ['alimentation', 'insertion'], description: 'Produits frais et locaux à prix adaptés.',
  address: '12 rue du Panier', postcode: '13002', commune: '13055', latitude: 43.2965, longitude: 5.3698,
  email: 'contact@epicerie-panier.example', website: 'https://epicerie-panier.example',
  private: { contact_name: 'Alex Dupont', contact_email: 'alex.dupont@courriel.example' },
}, {
  name: 'Énergies citoyennes du Var', family: 'cooperative', legal_form: 'scic', activities: ['energie'],
  description: 'Toitures solaires partagées.', address: '3 place de la Liberté', postcode: '83000',
  commune: '83137', latitude: 43.1242, longitude: 5.928, phone: '04 94 00 00 00',
  private: { contact_name: 'Camille Martin', contact_email: 'camille.martin@courriel.example' },
}, {
  name: 'Recyclerie du Pays d\'Aix', family: 'cooperative', legal_form: 'scop', activities: ['reemploi'],
  description: 'Collecte, réparation et revente d\'objets.', postcode: '13100', commune: '13001',
  latitude: 43.5283, longitude: 5.4497,
  private: { contact_name: 'Sam Roux', contact_email: 'sam.roux@courriel.example' },
}, {
  name: 'Atelier vélo du Vieux-Port', family: 'association', legal_form: 'association_loi_1901',
  activities: ['mobilite'], description: 'Réparation de vélos en libre-service.', postcode: '13001',
  commune: '13055', latitude: 43.2951, longitude: 5.3745,
  private: { contact_name: 'Lou Blanc', contact_email: 'lou.blanc@courriel.example' },
}];
// Withdrawn once replicated: in no feed, its profile a 404.
const kWithdrawn = 'Atelier vélo du Vieux-Port';

async function Get(base, path) {
  const response = await fetch(base + path);
  const text = await response.text();
  assert.equal(response.status, 200, `GET ${path}: ${response.status} ${text.slice(0, 300)}`);
  return { response, text, body: /json/.test(response.headers.get('content-type')) ? JSON.parse(text) : text };
}

// A JSON-LD document loader that serves the @context from the site under test (the feed names
// it by the site's public address, which a test node does not listen on) and nothing else.
function ContextLoader(base, loaded) {
  return async (url) => {
    assert.equal(new URL(url).pathname, kContextPath, `the feed asks the processor to load ${url}`);
    const { response, body } = await Get(base, kContextPath);
    assert.match(response.headers.get('content-type'), /^application\/ld\+json/);
    loaded.push(url);
    return { contextUrl: null, documentUrl: url, document: body };
  };
}

// The Murmurations schemas, as the Index resolves their relative $ref.
function MurmurationsValidators() {
  const ajv = new Ajv({ allErrors: true, validateFormats: false });
  ajv.addVocabulary(['metadata', 'enumNames']);  // annotations of the Murmurations library
  const fixtures = join(kRoot, 'tests', 'e2e', 'fixtures', 'murmurations');
  const base = 'https://test-library.murmurations.network/v2/';
  // They are draft-07, named by its https spelling, which ajv knows by its http one.
  const read = (path) => {
    const schema = JSON.parse(readFileSync(path, 'utf8'));
    if (schema.$schema === 'https://json-schema.org/draft-07/schema#') delete schema.$schema;
    return schema;
  };
  for (const file of readdirSync(join(fixtures, 'fields'))) {
    ajv.addSchema(read(join(fixtures, 'fields', file)), `${base}fields/${file}`);
  }
  const schema = (name) => ajv.compile(read(join(fixtures, 'schemas', `${name}.json`)));
  return { ajv, validators: [schema('default-v2.1.0'), schema('organizations_schema-v1.0.0')] };
}

function Expect(expanded, iri) {
  const values = expanded[iri];
  assert.ok(values?.length, `${iri} missing from ${JSON.stringify(expanded).slice(0, 400)}`);
  return values;
}

// CSV rows (no quoted line breaks in these records).
function CsvRows(text, separator) {
  return text.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((line) => {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; ++i) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { cell += '"'; ++i; } else if (c === '"') { quoted = !quoted; } else if (c === separator && !quoted) { cells.push(cell); cell = ''; } else { cell += c; }
    }
    cells.push(cell);
    return cells;
  });
}

describe('feeds for other maps, national and regional', () => {
  let federation;
  let node;
  let hub;
  let referential;
  let ids;
  const stopOnSignal = async () => { await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'],
      hubArgs: ['--public-url', kHubPublicUrl] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      hub = federation.hub;
      const { admin, members } = await PrepareCommittee(node, federation.admin);
      ids = await SubmitAndAdmit(node, members, kInitiatives);
      const national = new ApiClient(hub.url);
      await WaitFor('the hub holds every record',
        async () => (await national.Call('GET', '/api/indicators')).on_map === kInitiatives.length,
        { timeoutMs: 60000, intervalMs: 100 });
      const withdrawn = ids[kInitiatives.findIndex((i) => i.name === kWithdrawn)];
      await admin.Call('POST', `/api/admin/initiatives/${withdrawn}/withdraw`, { reason: 'Activité arrêtée.' });
      await WaitFor('the hub has the withdrawal',
        async () => (await national.Call('GET', '/api/indicators')).on_map === kInitiatives.length - 1,
        { timeoutMs: 60000, intervalMs: 100 });
    });
    referential = JSON.parse(readFileSync(federation.referential, 'utf8'));
  });

  after(async () => {
    await federation?.Finish();
  });

  const sites = () => [['hub', hub.url], ['node', node.url]];
  const label = (list, code) => referential[list].find((e) => e.code === code).label;
  const essglobal = (list, code) => referential[list].find((e) => e.code === code).essglobal;

  it('the JSON-LD feed expands with its served @context, every item with the required terms', async () => {
    for (const [site, base] of sites()) {
      const { response, body: feed } = await Get(base, '/api/feeds/initiatives.jsonld');
      assert.match(response.headers.get('content-type'), /^application\/ld\+json/, site);
      assert.equal(new URL(feed['@context']).pathname, kContextPath, `${site}: an absolute @context`);
      const { body: context } = await Get(base, kContextPath);
      const terms = new Set(Object.keys(context['@context']));
      // Every key the feed writes is a term of its context: none is silently dropped.
      const keys = (value, path) => {
        if (Array.isArray(value)) return value.forEach((v) => keys(v, path));
        if (value === null || typeof value !== 'object') return;
        for (const [k, v] of Object.entries(value)) {
          if (k === '@context') continue;
          assert.ok(k.startsWith('@') || terms.has(k), `${site}: ${path}.${k} is not a term of ${kContextPath}`);
          keys(v, `${path}.${k}`);
        }
      };
      keys(feed, 'feed');

      const loaded = [];
      const [expanded] = await jsonld.expand(feed, { base: `${base}/api/feeds/initiatives.jsonld`, documentLoader: ContextLoader(base, loaded) });
      assert.equal(loaded.length, 1, `${site}: the processor loaded the served context`);
      assert.deepEqual(expanded['@type'], [`${kSchema}DataFeed`], site);
      assert.equal(Expect(expanded, `${kOurs}totalItems`)[0]['@value'], kInitiatives.length - 1, site);
      const items = Expect(expanded, `${kSchema}dataFeedElement`);
      assert.equal(items.length, kInitiatives.length - 1, site);
      const byName = new Map(items.map((item) => [Expect(item, `${kSchema}name`)[0]['@value'], item]));
      for (const initiative of kInitiatives.filter((i) => i.name !== kWithdrawn)) {
        const item = byName.get(initiative.name);
        assert.ok(item, `${site}: ${initiative.name} in the feed`);
        const id = ids[kInitiatives.indexOf(initiative)];
        assert.equal(item['@id'], `urn:uuid:${id}`, site);
        assert.deepEqual(item['@type'].sort(), [`${kEssGlobal}SSEInitiative`, `${kSchema}Organization`], site);
        Expect(item, `${kSchema}description`);
        assert.match(Expect(item, `${kSchema}mainEntityOfPage`)[0]['@id'], new RegExp(`^https?://.*${id}`), site);
        const [address] = Expect(item, `${kSchema}address`);
        assert.equal(Expect(address, `${kSchema}postalCode`)[0]['@value'], initiative.postcode, site);
        assert.equal(Expect(address, `${kSchema}addressCountry`)[0]['@value'], 'FR', site);
        Expect(address, `${kSchema}addressLocality`);
        const [geo] = Expect(Expect(item, `${kSchema}location`)[0], `${kSchema}geo`);
        const latitude = Expect(geo, `${kSchema}latitude`)[0];
        assert.equal(latitude['@type'], 'http://www.w3.org/2001/XMLSchema#double', site);
        assert.ok(Math.abs(latitude['@value'] - initiative.latitude) < 1e-4, site);
        assert.ok(Math.abs(Expect(geo, `${kSchema}longitude`)[0]['@value'] - initiative.longitude) < 1e-4, site);
        // The ESSGlobal concepts the referential maps the codes to; our own codes beside them.
        assert.equal(Expect(item, `${kEssGlobal}legalForm`)[0]['@id'], essglobal('legal_forms', initiative.legal_form), site);
        const sectors = initiative.activities.map((a) => essglobal('activities', a)).filter(Boolean);
        assert.deepEqual(Expect(item, `${kEssGlobal}economicSector`).map((s) => s['@id']), [...new Set(sectors)], site);
        assert.deepEqual(Expect(item, `${kOurs}activity`).map((a) => a['@value']), initiative.activities, site);
        assert.equal(Expect(item, `${kOurs}legalForm`)[0]['@value'], initiative.legal_form, site);
        if (initiative.website) assert.equal(Expect(item, `${kSchema}url`)[0]['@id'], initiative.website, site);
        // Provenance: the region's signed log.
        const [provenance] = Expect(item, `${kOurs}provenance`);
        assert.equal(Expect(provenance, `${kOurs}region`)[0]['@value'], '93', site);
        assert.ok(Number.isInteger(Expect(provenance, `${kOurs}logIndex`)[0]['@value']), site);
        assert.ok(Expect(provenance, `${kOurs}recordVersion`)[0]['@value'] >= 1, site);
        if (site === 'hub') {
          const proof = Expect(provenance, `${kOurs}proof`)[0]['@id'];
          assert.ok(proof.startsWith(`${kHubPublicUrl}/`), `${site}: ${proof} on the hub's public address`);
          const served = await Get(hub.url, new URL(proof).pathname);
          assert.equal(served.body.id, id, site);
          assert.equal(served.body.log_index, Expect(provenance, `${kOurs}logIndex`)[0]['@value'],
            `${site}: the proof is of the entry the feed names`);
        }
      }
    }
  });

  it('the GoGoCarto JSON has the fields its importer reads, categories as French labels', async () => {
    for (const [site, base] of sites()) {
      const { body } = await Get(base, '/api/feeds/gogocarto.json');
      assert.ok(Array.isArray(body.data), site);
      assert.equal(body.data.length, kInitiatives.length - 1, site);
      const seen = new Set();
      for (const element of body.data) {
        const initiative = kInitiatives.find((i) => i.name === element.name);
        assert.ok(initiative, `${site}: ${element.name}`);
        assert.equal(typeof element.id, 'string', site);
        assert.ok(!seen.has(element.id), `${site}: ids are unique`);
        seen.add(element.id);
        assert.equal(element.geo.latitude, initiative.latitude, site);
        assert.equal(element.geo.longitude, initiative.longitude, site);
        assert.equal(element.address.postalCode, initiative.postcode, site);
        assert.equal(element.address.streetAddress, initiative.address ?? '', site);
        assert.ok(element.address.addressLocality, site);
        assert.equal(element.description, initiative.description, site);
        assert.deepEqual(element.categories, [label('families', initiative.family),
          label('legal_forms', initiative.legal_form), ...initiative.activities.map((a) => label('activities', a))], site);
        assert.match(element.fiche, /^https?:\/\//, site);
        if (initiative.email) assert.equal(element.email, initiative.email, site);
        if (initiative.website) assert.equal(element.website, initiative.website, site);
      }
    }
  });

  it('every Murmurations profile validates against the published schemas; off the map, 404', async () => {
    const { ajv, validators } = MurmurationsValidators();
    for (const [site, base] of sites()) {
      const { body: index } = await Get(base, '/api/feeds/murmurations');
      assert.equal(index.total, kInitiatives.length - 1, site);
      assert.equal(index.profiles.length, kInitiatives.length - 1, site);
      for (const entry of index.profiles) {
        const url = new URL(entry.profile_url);  // absolute, as the Index wants it
        if (site === 'hub') assert.ok(entry.profile_url.startsWith(`${kHubPublicUrl}/api/feeds/murmurations/93/`), site);
        const { body: profile } = await Get(base, url.pathname);
        for (const validate of validators) {
          assert.ok(validate(profile), `${site} ${url.pathname}: ${ajv.errorsText(validate.errors)}`);
        }
        assert.deepEqual(profile.linked_schemas, ['organizations_schema-v1.0.0'], site);
        assert.equal(profile.name, entry.name, site);
        const initiative = kInitiatives.find((i) => i.name === profile.name);
        assert.equal(profile.geolocation.lat, initiative.latitude, site);
        assert.match(profile.primary_url, /^https?:\/\//, site);
        assert.ok(profile.tags.includes(label('families', initiative.family)), site);
      }
      const withdrawn = ids[kInitiatives.findIndex((i) => i.name === kWithdrawn)];
      const path = site === 'hub' ? `/api/feeds/murmurations/93/${withdrawn}` : `/api/feeds/murmurations/${withdrawn}`;
      assert.equal((await fetch(base + path)).status, 404, `${site}: the withdrawn record's profile`);
    }
  });

  it('the CSV opens as columns in French spreadsheets with dialect=fr', async () => {
    for (const [site, base] of sites()) {
      const response = await fetch(`${base}/api/export/initiatives.csv?dialect=fr&family=cooperative`);
      assert.equal(response.status, 200, site);
      assert.match(response.headers.get('content-type'), /^text\/csv/, site);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${site}: a UTF-8 byte order mark`);
      const text = bytes.toString('utf8');
      const [header, ...rows] = CsvRows(text, ';');
      assert.deepEqual(header.slice(0, 3), ['region', 'id', 'name'], site);
      assert.ok(header.includes('log_index') && header.includes('record_version'), site);
      assert.equal(rows.length, 2, site);
      const latitude = header.indexOf('latitude');
      for (const row of rows) {
        assert.equal(row.length, header.length, site);
        assert.match(row[latitude], /^\d+,\d+$/, `${site}: a decimal comma`);
      }
      const plain = CsvRows((await Get(base, '/api/export/initiatives.csv?family=cooperative')).text, ',');
      assert.match(plain[1][latitude], /^\d+\.\d+$/, site);
      const refused = await fetch(`${base}/api/export/initiatives.csv?dialect=excel`);
      assert.equal(refused.status, 422, site);
      const error = await refused.json();
      assert.equal(error.code, 'invalid_parameter', site);
      assert.equal(error.field, 'dialect', site);
      assert.match(error.message, /rfc4180.*fr/, site);
    }
  });

  it('every format gives the same records for the same filters and pages', async () => {
    const cases = [
      ['', 3],
      ['family=cooperative', 2],
      ['department=83', 1],
      ['activity=reemploi', 1],
      ['q=solaires', 1],
      ['bbox=5.2,43.2,5.5,43.6', 2],
      ['family=association&region=93', 1],
      ['per_page=1&page=2', 1],
      ['per_page=2&page=2', 1],
    ];
    for (const [site, base] of sites()) {
      for (const [filters, count] of cases) {
        if (site === 'node' && filters.includes('region=')) continue;  // a node has one region
        const names = {};
        names.geojson = (await Get(base, `/api/export/initiatives.geojson?${filters}`)).body.features.map((f) => f.properties.name);
        const csv = CsvRows((await Get(base, `/api/export/initiatives.csv?${filters}`)).text, ',');
        names.csv = csv.slice(1).map((row) => row[2]);
        const jsonLd = await Get(base, `/api/feeds/initiatives.jsonld?${filters}`);
        names.jsonld = jsonLd.body.dataFeedElement.map((i) => i.name);
        names.gogocarto = (await Get(base, `/api/feeds/gogocarto.json?${filters}`)).body.data.map((i) => i.name);
        names.murmurations = (await Get(base, `/api/feeds/murmurations?${filters}`)).body.profiles.map((p) => p.name);
        const expected = kInitiatives.map((i) => i.name).filter((n) => n !== kWithdrawn);
        assert.equal(names.geojson.length, count, `${site} ${filters}: ${names.geojson}`);
        for (const [format, list] of Object.entries(names)) {
          assert.deepEqual(list, names.geojson, `${site} ${filters}: ${format} against GeoJSON`);
          assert.ok(list.every((n) => expected.includes(n)), `${site} ${filters}: ${format}`);
        }
        const total = filters.includes('page=') ? 3 : count;  // every match, whatever the page
        assert.equal(Number(jsonLd.response.headers.get('x-total-count')), total, `${site} ${filters}`);
        assert.equal(jsonLd.body.totalItems, total, `${site} ${filters}`);
      }
      const tooMany = await fetch(`${base}/api/feeds/gogocarto.json?per_page=50001`);
      assert.equal(tooMany.status, 422, site);
      assert.equal((await tooMany.json()).field, 'per_page', site);
    }
  });
});
