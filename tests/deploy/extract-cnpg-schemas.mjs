// Writes tests/deploy/cnpg-schemas.json, the schemas deploy/k8s/ is validated against for
// CloudNativePG's kinds: the openAPIV3Schema of the Cluster and Pooler CRDs (version v1) from
// the operator's released manifest, descriptions dropped (they do not validate anything and
// make up most of the size), everything else as published. Run it again when the manifests
// move to another release of the operator:
//   node tests/deploy/extract-cnpg-schemas.mjs cnpg-1.30.0.yaml 1.30.0 > tests/deploy/cnpg-schemas.json
// where cnpg-1.30.0.yaml is releases/cnpg-1.30.0.yaml of the cloudnative-pg/cloudnative-pg
// repository (Apache-2.0), the operator's installation manifest of that release.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const kRoot = new URL('../..', import.meta.url).pathname;
const require = createRequire(join(kRoot, 'web', 'package.json'));
const YAML = require('yaml');

const [release, version] = process.argv.slice(2);
if (!release || !/^\d+\.\d+\.\d+$/.test(version ?? '')) {
  console.error('usage: node extract-cnpg-schemas.mjs RELEASE_MANIFEST.yaml VERSION');
  process.exit(2);
}

function WithoutDescriptions(schema) {
  if (Array.isArray(schema)) return schema.map(WithoutDescriptions);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    // "description" is a keyword only beside a schema's type; under "properties" it may be a
    // field's name, kept.
    if (key === 'description' && typeof value === 'string') continue;
    out[key] = WithoutDescriptions(value);
  }
  return out;
}

const schemas = {};
for (const doc of YAML.parseAllDocuments(readFileSync(release, 'utf8'))) {
  const crd = doc.toJS();
  if (crd?.kind !== 'CustomResourceDefinition' || crd.spec.group !== 'postgresql.cnpg.io') continue;
  const kind = crd.spec.names.kind;
  if (kind !== 'Cluster' && kind !== 'Pooler') continue;
  const v1 = crd.spec.versions.find((v) => v.name === 'v1');
  schemas[kind] = WithoutDescriptions(v1.schema.openAPIV3Schema);
}
if (!schemas.Cluster || !schemas.Pooler) {
  console.error(`${release}: no Cluster or Pooler CRD of postgresql.cnpg.io/v1`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({
  source: `cloudnative-pg/cloudnative-pg, releases/cnpg-${version}.yaml (CustomResourceDefinitions clusters.postgresql.cnpg.io and poolers.postgresql.cnpg.io, version v1, spec.versions[].schema.openAPIV3Schema without descriptions)`,
  version,
  license: 'Apache-2.0 (CloudNativePG, copyright The CloudNativePG Contributors)',
  schemas,
}) + '\n');
