// The container and Kubernetes deployment files (deploy/container/, deploy/k8s/) are valid for
// real validators, and keep the security defaults (docs/operations.md, "Containers and
// Kubernetes"):
//   - docker-compose.yml: `docker-compose config` (Debian's docker-compose 1.29, its schema
//     and its checks, no daemon needed);
//   - every Kubernetes object of a built-in kind: the Kubernetes OpenAPI schemas as the npm
//     package kubernetes-models compiles them (types, required fields, enums);
//   - CloudNativePG's Cluster and Pooler: the operator's published CRD schemas
//     (tests/deploy/cnpg-schemas.json) with ajv, unknown fields refused as the API server
//     prunes and, with strict field validation, rejects them;
//   - a broken copy of each is refused by the same validator, so none passes vacuously;
//   - no host port, non-root, read-only root filesystem, no capability, probes, limits, TLS in
//     the configs the manifests pass, HTTP published on 127.0.0.1 only, no secret value.
// Usage: node --test manifests.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const kRoot = new URL('../..', import.meta.url).pathname;
const require = createRequire(join(kRoot, 'web', 'package.json'));
const YAML = require('yaml');
const Ajv = require('ajv').default;
const kK8s = join(kRoot, 'deploy', 'k8s');
const kContainer = join(kRoot, 'deploy', 'container');

// Kubernetes and docker-compose read YAML 1.1 (a mode 0400 is octal there).
const ParseAll = (text) => YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => {
  if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
  return d.toJS();
}).filter((d) => d !== null);
const Clone = (x) => JSON.parse(JSON.stringify(x));

// --- Validators -------------------------------------------------------------------------
// kubernetes-models/<group>/<version>/<Kind>: its validate() throws on a schema error.
function BuiltInModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  return require(path)[kind];
}

// A CRD's structural schema as the API server applies it: fields a schema does not list are
// unknown (unless it keeps them with x-kubernetes-preserve-unknown-fields).
function Strict(schema) {
  if (Array.isArray(schema)) return schema.map(Strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Strict(v)]))
      : Strict(value);
  }
  if (out.properties && out.additionalProperties === undefined &&
      !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}
const kCnpg = JSON.parse(readFileSync(join(kRoot, 'tests', 'deploy', 'cnpg-schemas.json'), 'utf8'));
// OpenAPI's x-kubernetes-* keywords are the API server's (CEL rules are not evaluated here);
// formats (int32, date-time...) are not checked.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const kCnpgValidators = Object.fromEntries(
  Object.entries(kCnpg.schemas).map(([kind, schema]) => [kind, ajv.compile(Strict(schema))]));

// The schema errors of one object, [] when valid.
function SchemaErrors(object) {
  const { apiVersion, kind } = object;
  if (apiVersion === 'postgresql.cnpg.io/v1') {
    const validate = kCnpgValidators[kind];
    if (!validate) return [`${kind}: no CloudNativePG schema for this kind`];
    if (validate(object)) return [];
    return validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
  let Model;
  try {
    Model = BuiltInModel(apiVersion, kind);
  } catch {
    return [`${apiVersion} ${kind}: not a Kubernetes kind`];
  }
  if (!Model) return [`${apiVersion} ${kind}: not a Kubernetes kind`];
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

function Compose(file, cwd) {
  const run = spawnSync('docker-compose', ['--ansi', 'never', '-f', file, 'config'], { cwd, encoding: 'utf8' });
  if (run.error) throw new Error(`docker-compose introuvable (deploy/install-deps.sh) : ${run.error.message}`);
  return run;
}
// docker-compose checks the compose file with its env files present: a copy beside empty ones.
function ComposeCopy(text) {
  const dir = mkdtempSync(join(tmpdir(), 'ess-compose-'));
  mkdirSync(join(dir, 'secrets'));
  writeFileSync(join(dir, 'secrets', 'db.env'), '');
  writeFileSync(join(dir, 'docker-compose.yml'), text);
  try {
    return Compose(join(dir, 'docker-compose.yml'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- The files ----------------------------------------------------------------------------
const kKustomization = YAML.parse(readFileSync(join(kK8s, 'kustomization.yaml'), 'utf8'));
const kManifestFiles = readdirSync(kK8s).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
const kObjects = kManifestFiles.flatMap((file) =>
  ParseAll(readFileSync(join(kK8s, file), 'utf8')).map((object) => ({ file, object })));
const OfKind = (kind) => kObjects.filter((o) => o.object.kind === kind).map((o) => o.object);
const kComposeText = readFileSync(join(kContainer, 'docker-compose.yml'), 'utf8');

// --- Security rules, as functions so that a broken copy can show each one bites ---------------
function PodProblems(name, pod) {
  const problems = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${name}: host namespaces`);
  if (pod.automountServiceAccountToken !== false) problems.push(`${name}: service account token mounted`);
  const sc = pod.securityContext ?? {};
  if (sc.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot not set`);
  if (!(sc.runAsUser > 0)) problems.push(`${name}: runAsUser not a non-root uid`);
  if (sc.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${name}: no RuntimeDefault seccomp profile`);
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const where = `${name}/${c.name}`;
    const csc = c.securityContext ?? {};
    if (csc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation`);
    if (csc.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem writable`);
    if (csc.privileged) problems.push(`${where}: privileged`);
    if (csc.runAsUser === 0 || csc.runAsNonRoot === false) problems.push(`${where}: runs as root`);
    if (!(csc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities not dropped`);
    if (csc.capabilities?.add?.length) problems.push(`${where}: capabilities added`);
    for (const p of c.ports ?? []) if (p.hostPort !== undefined) problems.push(`${where}: hostPort ${p.hostPort}`);
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (!c.resources?.[kind]?.[resource]) problems.push(`${where}: no ${kind}.${resource}`);
      }
    }
    for (const e of c.env ?? []) if (e.value !== undefined && /pass|secret|key/i.test(e.name)) problems.push(`${where}: ${e.name} given in clear`);
  }
  for (const c of pod.containers) {
    if (c.livenessProbe?.httpGet?.path !== '/healthz') problems.push(`${name}/${c.name}: liveness probe not /healthz`);
    if (c.readinessProbe?.httpGet?.path !== '/readyz') problems.push(`${name}/${c.name}: readiness probe not /readyz`);
  }
  for (const v of pod.volumes ?? []) {
    if (v.hostPath) problems.push(`${name}: hostPath volume ${v.name}`);
    // A secret's files: never readable by others.
    if (v.secret && ((v.secret.defaultMode ?? 0o644) & 0o007) && !/-ca$/.test(v.secret.secretName)) {
      problems.push(`${name}: secret ${v.secret.secretName} readable by others`);
    }
  }
  return problems;
}

// INI settings of a config file: key -> value (sections as "section.key").
function Ini(text) {
  const out = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) { section = header[1] + '.'; continue; }
    const eq = line.indexOf('=');
    out[section + line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
function HubConfigProblems(name, conf) {
  const problems = [];
  for (const key of ['tls-cert', 'tls-key', 'tls-client-ca']) if (!conf[key]) problems.push(`${name}: ${key} missing (mutual TLS)`);
  if (conf['security.cookie-secure'] !== 'true') problems.push(`${name}: security.cookie-secure not true`);
  return problems.concat(DatabaseProblems(name, conf));
}
function NodeConfigProblems(name, conf, command = {}) {
  const all = { ...conf, ...command };
  const problems = [];
  for (const key of ['hub', 'hub-tls-ca', 'hub-tls-cert', 'hub-tls-key']) if (!all[key]) problems.push(`${name}: ${key} missing (mutual TLS)`);
  if (all['security.cookie-secure'] !== 'true') problems.push(`${name}: security.cookie-secure not true`);
  return problems.concat(DatabaseProblems(name, all));
}
function DatabaseProblems(name, conf) {
  const problems = [];
  for (const key of ['database', 'database-read']) {
    const url = conf[key];
    if (url === undefined) continue;
    if (/:\/\/[^/@]*:[^/@]*@/.test(url) || /password=/i.test(url)) problems.push(`${name}: a password in ${key}`);
  }
  return problems;
}
const CommandOptions = (args) => Object.fromEntries(args.filter((a) => a.startsWith('--') && a.includes('='))
  .map((a) => [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));

function ComposeProblems(config) {
  const problems = [];
  for (const [name, s] of Object.entries(config.services)) {
    if (s.privileged) problems.push(`${name}: privileged`);
    if (s.network_mode === 'host') problems.push(`${name}: host network`);
    if (!s.healthcheck && s.restart !== 'no') problems.push(`${name}: no healthcheck`);
    for (const p of s.ports ?? []) {
      const text = typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}:${p.target}`;
      if (!text.startsWith('127.0.0.1:')) problems.push(`${name}: port ${text} published beyond 127.0.0.1`);
    }
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (/PASSWORD$/.test(key) && value) problems.push(`${name}: ${key} written in the compose file`);
    }
    if (name === 'postgres') {
      if (s.ports?.length) problems.push('postgres: published');
      continue;
    }
    if (!s.user || /^0(:|$)|^root/.test(s.user)) problems.push(`${name}: runs as root`);
    if (s.read_only !== true) problems.push(`${name}: root filesystem writable`);
    if (!(s.cap_drop ?? []).includes('ALL')) problems.push(`${name}: capabilities not dropped`);
    if (!(s.security_opt ?? []).includes('no-new-privileges:true')) problems.push(`${name}: no-new-privileges not set`);
  }
  return problems;
}

// --- Tests --------------------------------------------------------------------------------
describe('Kubernetes manifests (deploy/k8s)', () => {
  it('kustomization.yaml applies every manifest of the folder', () => {
    assert.deepEqual([...kKustomization.resources].sort(), kManifestFiles);
  });

  it('every object is valid for its schema (Kubernetes, CloudNativePG)', () => {
    assert.ok(kObjects.length >= 12, `${kObjects.length} objects only`);
    const problems = kObjects.flatMap(({ file, object }) =>
      SchemaErrors(object).map((e) => `${file}: ${object.kind} ${object.metadata?.name}: ${e}`));
    assert.deepEqual(problems, []);
  });

  it('broken copies are refused by the same validators', () => {
    const deployment = Clone(OfKind('Deployment')[0]);
    deployment.spec.replicas = 'deux';
    assert.notDeepEqual(SchemaErrors(deployment), []);
    const port = Clone(OfKind('Deployment')[0]);
    port.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    assert.notDeepEqual(SchemaErrors(port), []);
    const service = Clone(OfKind('Service')[0]);
    service.spec.ports[0].protocol = 'HTTP';
    assert.notDeepEqual(SchemaErrors(service), []);
    const cluster = Clone(OfKind('Cluster')[0]);
    cluster.spec.instancse = 2;  // a typo: an unknown field
    assert.notDeepEqual(SchemaErrors(cluster), []);
    const instances = Clone(OfKind('Cluster')[0]);
    instances.spec.instances = 'two';
    assert.notDeepEqual(SchemaErrors(instances), []);
    const pooler = Clone(OfKind('Pooler')[0]);
    pooler.spec.type = 'rx';
    assert.notDeepEqual(SchemaErrors(pooler), []);
    const mode = Clone(OfKind('Pooler')[0]);
    mode.spec.pgbouncer.poolMode = 'connection';
    assert.notDeepEqual(SchemaErrors(mode), []);
    assert.notDeepEqual(SchemaErrors({ apiVersion: 'apps/v1', kind: 'Deploiement', metadata: { name: 'x' } }), []);
  });

  it('PostgreSQL only through CloudNativePG: two instances, a PgBouncer pooler on the primary', () => {
    assert.deepEqual(OfKind('StatefulSet'), []);
    const clusters = OfKind('Cluster');
    assert.ok(clusters.length >= 2);
    for (const c of clusters) {
      assert.ok(c.spec.instances >= 2, `${c.metadata.name}: ${c.spec.instances} instance(s)`);
      const poolers = OfKind('Pooler').filter((p) => p.spec.cluster.name === c.metadata.name);
      assert.ok(poolers.some((p) => p.spec.type === 'rw'), `${c.metadata.name}: no rw pooler`);
    }
  });

  it('the pods are non-root, read-only, without capability nor host port, probed and bounded', () => {
    const deployments = OfKind('Deployment');
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ['ess-hub', 'ess-node-93']);
    assert.deepEqual(deployments.flatMap((d) => PodProblems(d.metadata.name, d.spec.template.spec)), []);
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels;
      const pdb = OfKind('PodDisruptionBudget').find((p) =>
        Object.entries(p.spec.selector.matchLabels).every(([k, v]) => labels[k] === v));
      assert.ok(pdb, `${d.metadata.name}: no PodDisruptionBudget`);
      assert.ok(pdb.spec.minAvailable < d.spec.replicas, `${d.metadata.name}: its budget blocks every eviction`);
    }
  });

  it('the security rules catch a broken copy', () => {
    const pod = Clone(OfKind('Deployment')[0].spec.template.spec);
    const clean = PodProblems('copy', Clone(pod)).length;
    assert.equal(clean, 0);
    const cases = [
      (p) => { p.containers[0].ports[0].hostPort = 8090; },
      (p) => { delete p.securityContext.runAsNonRoot; },
      (p) => { p.securityContext.runAsUser = 0; },
      (p) => { p.containers[0].securityContext.readOnlyRootFilesystem = false; },
      (p) => { p.initContainers[0].securityContext.capabilities.drop = []; },
      (p) => { p.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; },
      (p) => { p.containers[0].readinessProbe.httpGet.path = '/healthz'; },
      (p) => { delete p.containers[0].resources.limits.memory; },
      (p) => { p.hostNetwork = true; },
      (p) => { p.containers[0].env.push({ name: 'PGPASSWORD', value: 'secret' }); },
      (p) => { p.volumes.find((v) => v.secret).secret.defaultMode = 0o444; },
    ];
    for (const [i, mutate] of cases.entries()) {
      const copy = Clone(pod);
      mutate(copy);
      assert.notEqual(PodProblems('copy', copy).length, 0, `mutation ${i} not caught`);
    }
  });

  it('services stay inside the cluster', () => {
    for (const s of OfKind('Service')) assert.equal(s.spec.type ?? 'ClusterIP', 'ClusterIP', s.metadata.name);
  });

  it('the configs the pods read have mutual TLS on and no password; the database is the operator\'s', () => {
    const configs = OfKind('ConfigMap');
    const hub = Ini(configs.find((c) => c.metadata.name === 'ess-hub-config').data['hub.conf']);
    const node = Ini(configs.find((c) => c.metadata.name === 'ess-node-93-config').data['node.conf']);
    assert.deepEqual(HubConfigProblems('hub.conf', hub), []);
    assert.deepEqual(NodeConfigProblems('node.conf', node), []);
    const hosts = (url) => new URL(url.replace(/^postgresql:/, 'http:')).hostname;
    const poolers = OfKind('Pooler').map((p) => p.metadata.name);
    assert.ok(poolers.includes(hosts(hub.database)), hub.database);
    assert.ok(poolers.includes(hosts(node.database)), node.database);
    assert.equal(hosts(hub['database-read']), 'hub-db-ro');  // the replica's service
    for (const url of [hub.database, hub['database-read'], node.database]) {
      assert.match(url, /sslmode=verify-(ca|full)&sslrootcert=/);
    }
    assert.notDeepEqual(HubConfigProblems('copy', { ...hub, 'tls-client-ca': undefined }), []);
    assert.notDeepEqual(NodeConfigProblems('copy', { ...node, 'hub-tls-cert': undefined }), []);
    assert.notDeepEqual(DatabaseProblems('copy', { database: 'postgresql://ess:s3cret@db/ess' }), []);
  });

  it('no secret in the repository: every secret is the operator\'s or made by a documented command', () => {
    assert.deepEqual(OfKind('Secret'), []);
    const clusters = OfKind('Cluster').map((c) => c.metadata.name);
    const operations = readFileSync(join(kRoot, 'docs', 'operations.md'), 'utf8');
    const names = new Set();
    for (const d of OfKind('Deployment')) {
      const pod = d.spec.template.spec;
      for (const v of pod.volumes) if (v.secret) names.add(v.secret.secretName);
      for (const c of pod.containers) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.add(e.valueFrom.secretKeyRef.name);
    }
    for (const name of names) {
      const generated = clusters.some((c) => name === `${c}-app` || name === `${c}-ca`);
      assert.ok(generated || operations.includes(`create secret generic ${name} `),
        `${name}: neither made by CloudNativePG nor by a kubectl command of docs/operations.md`);
    }
  });
});

describe('docker-compose.yml (deploy/container)', () => {
  const run = ComposeCopy(kComposeText);
  it('docker-compose config accepts it', () => {
    assert.equal(run.status, 0, run.stderr);
  });
  const config = run.status === 0 ? YAML.parse(run.stdout, { version: '1.1' }) : { services: {} };

  it('docker-compose config refuses broken copies', () => {
    const broken = [
      kComposeText.replace('retries: 20', 'retries: vingt'),
      kComposeText.replace('condition: service_completed_successfully', 'condition: service_done'),
      kComposeText.replace('  hub:\n', '  hub:\n    restart_policy_typo: always\n'),
      kComposeText.replace('networks:\n  # PostgreSQL', 'networks:\n  oops: [1]\n  # PostgreSQL'),
    ];
    for (const [i, text] of broken.entries()) {
      assert.notEqual(text, kComposeText, `broken copy ${i} is the original`);
      const r = ComposeCopy(text);
      assert.notEqual(r.status, 0, `broken copy ${i} accepted`);
    }
  });

  it('PostgreSQL 15, a hub and two nodes; HTTP on 127.0.0.1 only; non-root, read-only, healthchecked', () => {
    assert.deepEqual(Object.keys(config.services).sort(), ['enrol', 'hub', 'node-76', 'node-93', 'postgres']);
    assert.match(config.services.postgres.image, /^postgres:15/);
    assert.deepEqual(ComposeProblems(config), []);
    for (const name of ['hub', 'node-93', 'node-76']) {
      assert.match(JSON.stringify(config.services[name].healthcheck.test), /\/readyz/);
    }
  });

  it('the security rules catch a broken copy', () => {
    const cases = [
      (c) => { c.services.hub.ports = ['8090:8090']; },
      (c) => { c.services['node-93'].ports = [{ published: 8093, target: 8080 }]; },
      (c) => { c.services.hub.user = '0:0'; },
      (c) => { c.services.hub.read_only = false; },
      (c) => { c.services['node-76'].cap_drop = []; },
      (c) => { c.services.postgres.environment.POSTGRES_PASSWORD = 'secret'; },
      (c) => { delete c.services['node-93'].healthcheck; },
      (c) => { c.services.hub.privileged = true; },
    ];
    for (const [i, mutate] of cases.entries()) {
      const copy = Clone(config);
      mutate(copy);
      assert.notEqual(ComposeProblems(copy).length, 0, `mutation ${i} not caught`);
    }
  });

  it('the hub and nodes it runs have mutual TLS on and no password in their configs', () => {
    const hub = Ini(readFileSync(join(kContainer, 'hub.conf'), 'utf8'));
    assert.deepEqual(HubConfigProblems('hub.conf', hub), []);
    const node = Ini(readFileSync(join(kContainer, 'node.conf'), 'utf8'));
    for (const name of ['node-93', 'node-76']) {
      const command = CommandOptions(config.services[name].command);
      assert.deepEqual(NodeConfigProblems(name, node, command), []);
      assert.equal(command['hub-tls-cert'], `/run/ess/tls/region-${command.region}.pem`);
    }
    assert.deepEqual(config.services.hub.command, ['ess-hub', '--config', '/etc/ess/hub.conf']);
  });
});

describe('the image (deploy/container/Dockerfile, .dockerignore)', () => {
  const dockerfile = readFileSync(join(kContainer, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  it('builds on Debian 12 and runs on Debian 12 slim as a non-root user', () => {
    assert.match(stages[0], /^debian:12 AS build/);
    assert.match(stages.at(-1), /^debian:12-slim\n/);
    assert.match(stages.at(-1), /^USER 10001:10001$/m);
    assert.match(stages[0], /deploy\/install-deps\.sh/);
    assert.match(stages[0], /deploy\/build\.sh/);
  });
  it('copies only build outputs into the runtime stage, and never a secret into the context', () => {
    for (const line of stages.at(-1).split('\n').filter((l) => /^(COPY|ADD) /.test(l))) {
      assert.match(line, /^COPY --from=build \/out\//, line);
    }
    const ignored = readFileSync(join(kRoot, '.dockerignore'), 'utf8').split('\n');
    for (const pattern of ['**/*.key', '**/*.pem', '**/*.env', 'deploy/container/secrets', 'build', '.git']) {
      assert.ok(ignored.includes(pattern), `.dockerignore misses ${pattern}`);
    }
  });
});

it('no key, certificate or password in the deployment files', () => {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'secrets' || name === '.env') continue;  // the admin's own, never committed
      if (statSync(path).isDirectory()) walk(path); else files.push(path);
    }
  };
  walk(kK8s);
  walk(kContainer);
  assert.ok(files.length >= 10);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /-----BEGIN|PRIVATE\+KEY\+/, file);
    assert.doesNotMatch(text, /^\s*(stringData|data):\s*\n\s+[\w.-]+\.(key|pem):/m, file);
    assert.doesNotMatch(text, /(POSTGRES_PASSWORD|PGPASSWORD)[:=]\s*['"]?\w/, file);
  }
});
