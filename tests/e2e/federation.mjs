// A real federation for the browser tests: PostgreSQL (ESS_TEST_PG_URL, or a throwaway
// cluster started with deploy/pg-throwaway.sh and stopped at the end), a hub and region
// nodes as real processes on ports chosen by the system (port 0, read back from their
// --ready-file), keys made by `essctl keygen`, each region enrolled at the hub with
// `essctl region enrol`, each node's first admin created with `ess-node --create-admin`.
// Stop() ends every process and removes every database and file, also after a failure.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const kRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Polls `probe` (sync or async) until it returns a truthy value; throws after `timeoutMs`.
export async function WaitFor(what, probe, { timeoutMs = 30000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function Run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60000, ...options });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} -> ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

const kFastPasswords = ['--security.password-ops', '1', '--security.password-mem-kib', '8'];

class Service {
  constructor(name, executable, args, work) {
    this.name = name;
    this.log = join(work, `${name}.log`);
    this.ready = join(work, `${name}.ready`);
    const out = openSync(this.log, 'a');
    this.process = spawn(executable, [...args, '--ready-file', this.ready], { stdio: ['ignore', out, out] });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve(code ?? signal)));
    this.running = true;
    this.exited.then(() => { this.running = false; });
  }

  async Ready() {
    const ports = await WaitFor(`${this.name} ready`, () => {
      if (!this.running) throw new Error(`${this.name} exited; see ${this.log}:\n${this.Log()}`);
      if (!existsSync(this.ready)) return null;
      const text = readFileSync(this.ready, 'utf8');
      return text.trim() ? JSON.parse(text) : null;
    }, { timeoutMs: 60000 });
    this.port = ports.http;
    this.ports = ports;
    this.url = `http://127.0.0.1:${ports.http}`;
    return this;
  }

  Log() {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8').slice(-4000) : '';
  }

  async Stop() {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15000);
    await this.exited;
    clearTimeout(timer);
  }
}

export class Federation {
  // options: {build, regions: ['93'], nodeArgs: [], hubArgs: []}
  constructor({ build, regions = ['93'], nodeArgs = [], hubArgs = [] }) {
    this.build = build;
    this.regions = regions;
    this.nodeArgs = nodeArgs;
    this.hubArgs = hubArgs;
    this.referential = join(build, 'referential.json');
    this.work = mkdtempSync(join(tmpdir(), 'ess-e2e-'));
    chmodSync(this.work, 0o755);  // a throwaway PostgreSQL runs as `postgres` and needs to reach it
    this.suffix = `${process.pid}_${Date.now() % 100000}`;
    this.databases = [];
    this.services = [];
    this.nodes = {};
    this.admin = { email: 'admin@example.org', password: 'mot-de-passe-admin-e2e' };
    this.stopped = false;
    // Whatever happens, no process outlives the test.
    this.exitGuard = () => { for (const s of this.services) if (s.running) s.process.kill('SIGKILL'); };
    process.on('exit', this.exitGuard);
  }

  Executable(path) {
    const file = join(this.build, path);
    if (!existsSync(file)) throw new Error(`${file} is missing: build the project first`);
    return file;
  }

  DatabaseUrl(name) {
    const url = new URL(this.pgUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  CreateDatabase(base) {
    const name = `${base}_${this.suffix}`;
    Run('psql', ['-q', '-v', 'ON_ERROR_STOP=1', this.pgUrl, '-c', `CREATE DATABASE ${name}`]);
    this.databases.push(name);
    return this.DatabaseUrl(name);
  }

  async Start() {
    this.pgUrl = process.env.ESS_TEST_PG_URL;
    if (!this.pgUrl) {
      this.pgDir = join(this.work, 'pg');
      // The server inherits the script's stderr: a file, not a pipe this process would wait on.
      const log = openSync(join(this.work, 'pg-throwaway.log'), 'a');
      this.pgUrl = Run(join(kRoot, 'deploy', 'pg-throwaway.sh'), ['start', this.pgDir],
        { stdio: ['ignore', 'pipe', log] }).trim();
    }
    const essctl = this.Executable('essctl/essctl');
    const hubDb = this.CreateDatabase('e2e_hub');
    this.hubDb = hubDb;  // for essctl against the hub (pilot accounts)
    const hubKey = join(this.work, 'hub.key');
    Run(essctl, ['keygen', '--name', 'ess-federation/hub', '--out', hubKey]);
    this.hub = new Service('hub', this.Executable('hub/ess-hub'), [
      '--database', hubDb, '--key-file', hubKey, '--http', '127.0.0.1:0', '--grpc', '127.0.0.1:0',
      '--referential', this.referential, ...this.hubArgs], this.work);
    this.services.push(this.hub);
    await this.hub.Ready();
    for (const region of this.regions) {
      const db = this.CreateDatabase(`e2e_region_${region}`);
      const key = join(this.work, `region-${region}.key`);
      Run(essctl, ['keygen', '--name', `ess-federation/region/${region}`, '--out', key]);
      const verifier = /clé de vérification\s*:\s*(\S+)/.exec(Run(essctl, ['pubkey', '--key', key]))[1];
      Run(essctl, ['region', 'enrol', '--database', hubDb, '--region', region, '--verifier-key', verifier]);
      const common = ['--region', region, '--database', db, '--key-file', key, '--referential', this.referential,
        ...kFastPasswords];
      const passwordFile = join(this.work, 'admin-password');
      writeFileSync(passwordFile, `${this.admin.password}\n`, { mode: 0o600 });
      Run(this.Executable('node/ess-node'), [...common, '--create-admin', this.admin.email,
        '--admin-password-file', passwordFile]);
      const node = new Service(`node-${region}`, this.Executable('node/ess-node'), [...common,
        '--http', '127.0.0.1:0', '--hub', `127.0.0.1:${this.hub.ports.grpc}`,
        '--hub-poll-ms', '50', '--hub-max-backoff-ms', '500', ...this.nodeArgs], this.work);
      this.services.push(node);
      this.nodes[region] = await node.Ready();
      node.verifierKey = verifier;
      node.database = db;  // the tests' own reads (outbox_links.mjs)
    }
    return this;
  }

  // A test's before(): Start() then `prepare(this)`; if either fails, every log is printed and
  // every process stopped before the error goes on.
  async StartPrepared(prepare = async () => {}) {
    try {
      await this.Start();
      await prepare(this);
    } catch (e) {
      console.error(this.Logs());
      await this.Stop();
      throw e;
    }
    return this;
  }

  // A test's after(): every log when the run failed, then Stop().
  async Finish() {
    if (process.exitCode) console.error(this.Logs());
    await this.Stop();
  }

  // Every log, for a failure report.
  Logs() {
    return this.services.map((s) => `--- ${s.name} (${s.log})\n${s.Log()}`).join('\n');
  }

  async Stop() {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.services.map((s) => s.Stop()));
    process.off('exit', this.exitGuard);
    if (this.pgDir) {
      spawnSync(join(kRoot, 'deploy', 'pg-throwaway.sh'), ['stop', this.pgDir], { encoding: 'utf8', timeout: 90000 });
    } else if (this.pgUrl) {
      for (const name of this.databases) {
        spawnSync('psql', ['-q', this.pgUrl, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { timeout: 30000 });
      }
    }
    if (!process.env.ESS_E2E_KEEP) rmSync(this.work, { recursive: true, force: true });
  }
}

// The devices every browser test runs on: a desktop, and a 390x844 phone.
export const kPhone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const kDevices = [['desktop', {}], ['phone', kPhone]];

// A SIRET (14 digits) with a valid Luhn key, from its first 13 digits.
export function Siret(prefix) {
  const digits = [...prefix].map(Number);
  for (let check = 0; check < 10; ++check) {
    const all = [...digits, check];
    const sum = all.reduce((acc, d, i) => {
      const v = i % 2 === 0 ? d * 2 : d;
      return acc + (v > 9 ? v - 9 : v);
    }, 0);
    if (sum % 10 === 0) return all.join('');
  }
  throw new Error('unreachable');
}

// A JSON client for one service, with the session cookie and CSRF token of a staff login.
export class ApiClient {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }

  async Call(method, path, body, headers = {}) {
    const response = await fetch(this.base + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'X-CSRF-Token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await response.text();
    let data = text;
    try { data = JSON.parse(text); } catch { /* not JSON */ }
    if (!response.ok) {
      const error = new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 500)}`);
      error.status = response.status;
      error.body = data;
      throw error;
    }
    return data;
  }

  async Login(email, password) {
    const principal = await this.Call('POST', '/api/session', { email, password });
    this.csrf = principal.csrf_token;
    return principal;
  }
}
