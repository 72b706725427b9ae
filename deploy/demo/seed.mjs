// Seeds the demo federation through the same HTTP API people use (docs/node-api.yaml), then
// waits for the hub to hold everything. Run by deploy/demo.sh; usable on its own against
// running nodes and hub.
//
//   node deploy/demo/seed.mjs seed --node 93=URL [--node 76=URL ...] --database 93=PG_URL [...]
//        --password-file FILE --out DIR [--count 50] [--seed 42] [--referential FILE]
//   node deploy/demo/seed.mjs wait-hub --hub URL --node 93=URL [--node ...] [--timeout 120]
//   node deploy/demo/seed.mjs admin-email REGION     the address of a region's demo admin
//
// seed, for every node at once (each already has its first admin, admin@<region>.example,
// created by `ess-node --create-admin`, with the password of --password-file):
//   the admin signs in, publishes the region's charter and appoints the ethics committee (six
//   members, one per stakeholder college, the first one chair; each follows the invitation's
//   link, read from the node's database (--database), and sets the same password); `count`
//   initiatives from generate.mjs are submitted through the public API with adherence to the
//   charter; committee members sign in and vote, and the node's own decision rule decides:
//   most are admitted, some stay pending (some with a first vote), a few are rejected or asked
//   for changes (one of them edits its record through its private link and is admitted), one
//   declared conflict of interest; the public endorses some; one initiative is reported until
//   it goes back to the committee, which suspends it; one owner withdraws, one erases.
//   Each node's journal signs every change and replicates it to the hub by itself.
//   The admin also imports a few records of the region's former database (CSV import, dry
//   run then commit), already vetted there and last confirmed 13 months ago: they arrive
//   admitted and "to confirm" (flagged on both maps) as they would have aged here.
//   Writes DIR/logins.txt (the demo accounts) and DIR/owners-<region>.tsv (id, private edit
//   token, name, planned outcome: to try the owner's side). Checks at the end that each node's
//   public map holds exactly the initiatives the committee admitted.
// wait-hub: polls the hub's replication status (GET /api/regions) until it holds every entry of each
//   node's log (GET /api/log/checkpoint) and its national map counts, region by region, what
//   the nodes' public maps count; fails on a refused batch, a fork or the timeout.
// Progress goes to stdout (one line rewritten in a terminal, milestones otherwise); errors
// to stderr with the node's answer; exit 1 on failure, 2 on bad arguments.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CsvRow, DefaultReferentialPath, GenerateInitiatives, kCsvFields, LoadReferential, Random } from './generate.mjs';
import { InvitationLink } from '../../tests/e2e/outbox_links.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// Short names for the demo accounts' addresses (admin@paca.example...).
const kRegionSlugs = {
  '01': 'guadeloupe', '02': 'martinique', '03': 'guyane', '04': 'reunion', '06': 'mayotte',
  11: 'idf', 24: 'cvl', 27: 'bfc', 28: 'normandie', 32: 'hdf', 44: 'grandest', 52: 'pdl',
  53: 'bretagne', 75: 'naq', 76: 'occitanie', 84: 'aura', 93: 'paca', 94: 'corse',
};
export const RegionSlug = (region) => kRegionSlugs[region] ?? `region${region}`;
export const AdminEmail = (region) => `admin@${RegionSlug(region)}.example`;

const kMemberNames = [['Nadia', 'Benali'], ['Bernard', 'Fabre'], ['Claire', 'Le Goff'], ['Karim', 'Haddad'],
  ['Élise', 'Marchand'], ['Jean-Paul', 'Rivière'], ['Sophie', 'Nguyen'], ['Mathieu', 'Carré'],
  ['Aminata', 'Diallo'], ['Hélène', 'Vidal'], ['Pierre', 'Lacroix'], ['Fanny', 'Morel'],
  ['Yves', 'Le Bihan'], ['Samia', 'Ouali'], ['Gérard', 'Pons'], ['Laure', 'Castagné'],
  ['Antoine', 'Giraud'], ['Mireille', 'Audibert'], ['Thierry', 'Brossard'], ['Agnès', 'Fontaine'],
  ['Rachid', 'Mansouri'], ['Odile', 'Chauvin'], ['Loïc', 'Tessier'], ['Marion', 'Ferrand']];
const kCollegeLabels = {
  consommateurs: 'consommateurs et usagers', entreprises: 'entreprises', pouvoirs_publics: 'pouvoirs publics',
  salaries: 'salariés', ong: 'associations et ONG', recherche_conseil: 'recherche et conseil',
};

const kReasons = {
  admit: ['Projet conforme à la charte : gouvernance démocratique et lucrativité limitée.',
    'Ancrage local réel, plusieurs partenaires du territoire le confirment.',
    'Utilité sociale évidente, statuts et comptes transparents.',
    'Je connais la structure : fonctionnement collectif et ouvert.',
    'Les offres décrites respectent les engagements de la charte.'],
  reject: ['Activité purement commerciale, sans gouvernance partagée.',
    'Les statuts prévoient une rémunération du capital incompatible avec la charte.',
    'Aucun élément sur l\'utilité sociale ni sur l\'ancrage local.'],
  request_changes: ['La description ne dit rien de la gouvernance : merci de la préciser.',
    'Merci d\'indiquer les conditions d\'accès des offres.',
    'L\'adresse et le SIRET sont à vérifier avant de décider.'],
  abstain: ['Je connais mal ce secteur, je m\'abstiens.', 'Je m\'abstiens faute d\'éléments suffisants.'],
  suspend: ['Plusieurs signalements concordants, confirmés par une visite : la charte n\'est plus respectée.',
    'Manquement à la charte constaté : les décisions sont prises par un seul associé.'],
};
const kReportComments = [
  'Les bénévoles ont été remplacés par des stagiaires non rémunérés, contraire à la charte.',
  'L\'assemblée générale n\'a pas été réunie depuis trois ans, les décisions sont prises par le gérant seul.',
  'Les prix ont triplé et l\'accès solidaire a été supprimé.',
  'Les excédents sont reversés à une société privée du dirigeant.',
];
const kEndorsements = ['Accueil formidable, une vraie ressource pour le quartier.',
  'Nous travaillons avec eux depuis des années : sérieux et engagés.', 'Merci pour tout ce que vous faites !',
  'Des produits de qualité et des prix justes.'];

class HttpError extends Error {}
class UsageError extends Error {}

// A tiny client of one node or hub: JSON in and out, a staff session (cookie + CSRF token).
class Client {
  constructor(base, label) {
    this.base = base.replace(/\/+$/, '');
    this.label = label;
    this.cookie = null;
    this.csrf = null;
  }

  async request(method, path, { body, headers = {}, expect = [200, 201], raw = false } = {}) {
    const h = { ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    for (let attempt = 1; ; ++attempt) {
      let res;
      try {
        res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30000) });
      } catch (e) {
        throw new HttpError(`${this.label} : ${method} ${path} : pas de réponse (${e.cause?.code ?? e.message})`);
      }
      // Rate limited although the demo nodes allow plenty: wait what the node says, a few times.
      if (res.status === 429 && attempt < 5) {
        const wait = Math.min(Number(res.headers.get('retry-after') ?? 1), 10);
        await res.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      const text = await res.text();
      if (!expect.includes(res.status)) {
        let detail = text.slice(0, 500);
        try {
          const e = JSON.parse(text);
          detail = `${e.code} : ${e.message}${e.field ? ` (champ ${e.field})` : ''}`;
        } catch { /* not JSON: keep the text */ }
        const error = new HttpError(`${this.label} : ${method} ${path} → ${res.status} ${detail}`);
        error.status = res.status;
        throw error;
      }
      if (raw) return { status: res.status, text, headers: res.headers };
      return text ? JSON.parse(text) : {};
    }
  }

  get(path, options) { return this.request('GET', path, options); }
  post(path, body, options) { return this.request('POST', path, { ...options, body: body ?? {} }); }
  put(path, body, options) { return this.request('PUT', path, { ...options, body }); }

  async login(email, password) {
    const res = await this.request('POST', '/api/session', { body: { email, password }, raw: true, expect: [201] });
    const cookie = /ess_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '');
    if (!cookie) throw new HttpError(`${this.label} : connexion de ${email} sans cookie de session`);
    this.cookie = cookie[0];
    this.csrf = JSON.parse(res.text).csrf_token;
    return this;
  }
}

// Progress of several regions on one line: rewritten in place in a terminal; otherwise a line
// whenever a region finishes a phase or crosses a quarter of it.
class Progress {
  constructor(title) {
    this.title = title;
    this.parts = new Map();
    this.tty = process.stdout.isTTY;
    this.last = 0;
  }

  set(key, phase, done, total) {
    const before = this.parts.get(key);
    this.parts.set(key, { phase, done, total });
    if (this.tty) {
      const now = Date.now();
      if (now - this.last > 100 || done === total) {
        this.last = now;
        process.stdout.write(`\r\x1b[K${this.line()}`);
      }
      return;
    }
    const quarter = (d) => (total ? Math.floor((4 * d) / total) : 4);
    if (!before || before.phase !== phase || quarter(before.done) !== quarter(done)) {
      console.log(`${this.title} ${key} : ${phase} ${done}/${total}`);
    }
  }

  line() {
    return `${this.title} ` + [...this.parts].map(([k, p]) => `${k} ${p.phase} ${p.done}/${p.total}`).join(' · ');
  }

  note(text) {
    if (this.tty) process.stdout.write(`\r\x1b[K${text}\n${this.parts.size ? this.line() : ''}`);
    else console.log(text);
  }

  end() { if (this.tty && this.parts.size) process.stdout.write(`\r\x1b[K${this.line()}\n`); }
}

// What becomes of each generated initiative, shuffled with the seed. The special cases need a
// few initiatives; with a small count the rarer ones go first.
export function Plan(count, random) {
  const roles = [];
  const add = (role, n) => { for (let i = 0; i < n && roles.length < count - 1; ++i) roles.push(role); };
  add('erased', count >= 4 ? 1 : 0);
  add('suspended', count >= 3 ? 1 : 0);
  add('withdrawn', count >= 6 ? 1 : 0);
  add('edited', count >= 5 ? 1 : 0);
  add('rejected', count >= 8 ? Math.max(1, Math.round(count * 0.04)) : 0);
  add('pending_vote', count >= 7 ? Math.max(1, Math.round(count * 0.06)) : 0);
  add('pending', count >= 2 ? Math.max(1, Math.round(count * 0.08)) : 0);
  add('changes', count >= 10 ? Math.round(count * 0.03) : 0);
  while (roles.length < count) roles.push('admitted');
  for (let i = roles.length - 1; i > 0; --i) {
    const j = random.int(i + 1);
    [roles[i], roles[j]] = [roles[j], roles[i]];
  }
  return roles;
}

// Which roles end on the public map.
const kOnMap = new Set(['admitted', 'edited']);
const kHistoricalCount = 3;  // records imported from the former regional database, to confirm

async function SeedRegion({ region, index, url, database, count, seed, referential, password, progress, out }) {
  const label = `région ${region}`;
  const regionName = referential.regions.find((r) => r.code === region)?.name ?? region;
  const random = Random(seed * 7919 + Number(region));
  const pick = (list) => random.pick(list);
  const admin = await new Client(url, label).login(AdminEmail(region), password);

  if ((await admin.get('/api/charter', { expect: [200, 404] })).version !== undefined) {
    throw new Error(`${label} : une charte est déjà publiée ; ce nœud a déjà été peuplé (relancer la démo sans --resume pour repartir de zéro)`);
  }
  const charterText = readFileSync(join(here, 'charte.txt'), 'utf8').replace('{region}', regionName);
  const charter = await admin.post('/api/admin/charter', { text: charterText, readhesion_days: 90 });
  const charterVersion = charter.version ?? charter.charter?.version;
  if (!Number.isInteger(charterVersion)) throw new Error(`${label} : réponse inattendue à la publication de la charte`);

  // The committee: one member per college (up to six), the first one chairs.
  const committee = await admin.get('/api/committee/members');
  const rule = committee.rule;
  const colleges = committee.colleges;
  const slug = RegionSlug(region);
  const memberCount = Math.max(Math.min(colleges.length, 6), Math.min(6, (rule.quorum ?? 3) + 1));
  const members = [];
  const publicMember = new Client(url, label);
  for (let i = 0; i < memberCount; ++i) {
    const [first, last] = kMemberNames[(6 * index + i) % kMemberNames.length];
    const college = colleges[i % colleges.length];
    const email = `comite${i + 1}@${slug}.example`;
    const member = await admin.post('/api/admin/committee/members', {
      name: `${first} ${last}`, email, college, role: i === 0 ? 'chair' : 'member',
    });
    // The member follows the invitation's link (sealed in the node's outbox, opened here from
    // its database as the mail sender would) and chooses the demo's password.
    const link = InvitationLink(database, email);
    if (!link) throw new Error(`${label} : aucune invitation en file pour ${email}`);
    await publicMember.post('/api/invitation/password', { token: new URL(link).hash.replace('#jeton=', ''), password },
      { expect: [200] });
    members.push({ id: member.id, name: `${first} ${last}`, email, college, role: i === 0 ? 'chair' : 'member' });
  }
  progress.note(`${label} : charte v${charterVersion} publiée, comité de ${members.length} membres ` +
    `(règle : quorum ${rule.quorum}, majorité ${rule.majority}, ${rule.min_colleges} collèges au moins)`);

  // Submissions, through the public API, each adhering to the charter.
  const inputs = GenerateInitiatives({ referential, region, count, seed });
  const roles = Plan(count, random);
  const publicApi = new Client(url, label);
  const items = [];
  for (const [i, input] of inputs.entries()) {
    const body = { ...input, charter: { version: charterVersion, adhered_by: input.private.contact_name } };
    const res = await publicApi.post('/api/initiatives', body, { expect: [201] });
    items.push({ id: res.initiative.id, token: res.edit_token, input, role: roles[i], name: input.name });
    progress.set(region, 'dépôts', i + 1, count);
  }

  // The committee signs in and votes; the node applies its decision rule after every vote.
  const sessions = [];
  for (const m of members) sessions.push({ ...m, client: await new Client(url, `${label} (${m.email})`).login(m.email, password) });
  const conflicts = new Map();  // initiative id -> member email
  const firstAdmitted = items.find((it) => it.role === 'admitted');
  if (firstAdmitted && sessions.length > (rule.quorum ?? 3)) {
    const member = sessions[sessions.length - 1];
    await member.client.post(`/api/committee/initiatives/${firstAdmitted.id}/conflicts`,
      { reason: 'Je suis adhérente de cette structure et membre de son conseil d\'administration.' }, { expect: [201] });
    conflicts.set(firstAdmitted.id, member.email);
  }

  // Votes `target` (after an occasional abstention or dissent) until the rule decides, and
  // checks the decision is `expected`.
  let rotation = 0;
  const decide = async (item, target, expected, reasons = kReasons[target]) => {
    const voters = [];
    for (let k = 0; k < sessions.length; ++k) voters.push(sessions[(rotation + k) % sessions.length]);
    rotation += 1;
    const eligible = voters.filter((v) => conflicts.get(item.id) !== v.email);
    let dissent = target === 'admit' && eligible.length > (rule.quorum ?? 3) + 1 && random.chance(0.25)
      ? pick(['abstain', 'request_changes']) : null;
    let next = random.int(reasons.length);  // each voter words it differently
    for (const voter of eligible) {
      const vote = dissent ?? target;
      dissent = null;
      const reason = vote === target ? reasons[next++ % reasons.length] : pick(kReasons[vote]);
      const res = await voter.client.post(`/api/committee/initiatives/${item.id}/votes`,
        { vote, reason }, { expect: [201] });
      if (res.decision) {
        if (res.decision.decision !== expected) {
          throw new Error(`${label} : « ${item.name} » : le comité a décidé ${res.decision.decision}, attendu ${expected} (${res.rule})`);
        }
        return res.decision;
      }
    }
    throw new Error(`${label} : « ${item.name} » : aucune décision après le vote de tout le comité (${rule.quorum} votes, ` +
      `majorité ${rule.majority}, ${rule.min_colleges} collèges) ; vérifier --committee.* du nœud`);
  };

  const toDecide = items.filter((it) => it.role !== 'pending');
  let decided = 0;
  for (const item of toDecide) {
    switch (item.role) {
      case 'pending_vote':
        if ((rule.quorum ?? 3) > 1) {
          const voter = sessions.find((s) => conflicts.get(item.id) !== s.email);
          await voter.client.post(`/api/committee/initiatives/${item.id}/votes`, { vote: 'admit', reason: pick(kReasons.admit) }, { expect: [201] });
        }
        break;
      case 'rejected': await decide(item, 'reject', 'reject'); break;
      case 'changes': await decide(item, 'request_changes', 'request_changes'); break;
      case 'edited': {
        await decide(item, 'request_changes', 'request_changes');
        // The owner answers through the private link: the record goes back to the committee.
        const edited = { ...item.input, description: `${item.input.description} Gouvernance : une assemblée générale annuelle, ` +
          'un conseil d\'administration élu où salariés, bénévoles et usagers ont chacun des sièges.' };
        await publicApi.put(`/api/initiatives/${item.id}/owner`, edited, { headers: { 'X-Edit-Token': item.token } });
        await decide(item, 'admit', 'admit');
        break;
      }
      default: await decide(item, 'admit', 'admit');
    }
    progress.set(region, 'décisions', ++decided, toDecide.length);
  }

  // The public: endorsements, and reports that send one initiative back to the committee.
  // Each signal comes from a visitor of its own, as the node counts one per visitor and
  // period: the demo's nodes take the client address from X-Forwarded-For (they trust
  // 127.0.0.1 as a proxy), given here in the documentation ranges.
  let visitors = 0;
  const asVisitor = () => {
    const n = visitors++;
    return { headers: { 'X-Forwarded-For': `198.51.${100 + Math.floor(n / 254) % 100}.${1 + n % 254}` } };
  };
  for (const item of items.filter((it) => it.role === 'admitted')) {
    if (!random.chance(0.3)) continue;
    for (let n = 1 + random.int(6); n > 0; --n) {
      await publicApi.post(`/api/initiatives/${item.id}/endorsements`, { comment: pick(kEndorsements) }, { ...asVisitor(), expect: [201] });
    }
  }
  for (const item of items.filter((it) => it.role === 'suspended')) {
    let underReview = false;
    for (let n = 0; n < 20 && !underReview; ++n) {
      await publicApi.post(`/api/initiatives/${item.id}/reports`, { reason: 'charter_breach', comment: pick(kReportComments) }, { ...asVisitor(), expect: [201] });
      underReview = (await admin.get(`/api/initiatives/${item.id}`)).under_review === true;
    }
    if (!underReview) throw new Error(`${label} : « ${item.name} » n'est pas revenue devant le comité après 20 signalements`);
    await decide(item, 'reject', 'suspend', kReasons.suspend);
  }
  // Owners: one withdraws, one erases (a tombstone goes to the hub, which erases it too).
  for (const item of items.filter((it) => it.role === 'withdrawn')) {
    await publicApi.post(`/api/initiatives/${item.id}/owner/withdraw`, {}, { headers: { 'X-Edit-Token': item.token } });
  }
  for (const item of items.filter((it) => it.role === 'erased')) {
    await publicApi.post(`/api/initiatives/${item.id}/owner/erase`, {}, { headers: { 'X-Edit-Token': item.token } });
  }

  // Records of the region's former database, vetted there and last confirmed 13 months ago:
  // imported as admitted, they are "to confirm" at once (the default validity is a year).
  const historical = GenerateInitiatives({ referential, region, count: kHistoricalCount, seed: seed + 1000 });
  const confirmedAt = new Date(Date.now() - 395 * 86_400_000).toISOString().slice(0, 10);
  const importCsv = [[...kCsvFields, 'confirmed_at'].join(','),
    ...historical.map((h) => `${CsvRow(h)},${confirmedAt}`)].join('\n') + '\n';
  const importBody = { csv: importCsv, status: 'admitted' };
  const dry = await admin.post('/api/admin/import', { ...importBody, dry_run: true }, { expect: [200] });
  if (dry.error_count !== 0) throw new Error(`${label} : import de l'ancienne base refusé à blanc : ${JSON.stringify(dry.errors[0])}`);
  const imported = await admin.post('/api/admin/import', importBody, { expect: [201] });
  progress.note(`${label} : ${imported.imported} fiches importées de l'ancienne base, confirmées le ${confirmedAt} : à reconfirmer`);
  const toConfirm = (await publicApi.get('/api/initiatives?freshness=to_confirm&per_page=1')).total;
  if (toConfirm !== kHistoricalCount) throw new Error(`${label} : ${toConfirm} fiches à reconfirmer, ${kHistoricalCount} attendues`);

  // The node's public map must hold exactly what the committee admitted, and the imported.
  const expected = items.filter((it) => kOnMap.has(it.role)).length + kHistoricalCount;
  const onMap = (await publicApi.get('/api/initiatives?per_page=1')).total;
  if (onMap !== expected) {
    throw new Error(`${label} : la carte publique du nœud compte ${onMap} initiatives, ${expected} admises attendues`);
  }
  writeFileSync(join(out, `owners-${region}.tsv`), 'id\tjeton_privé\tnom\tparcours\n' +
    items.map((it) => `${it.id}\t${it.token}\t${it.name}\t${it.role}`).join('\n') + '\n', { mode: 0o600 });
  const tally = {};
  for (const it of items) tally[it.role] = (tally[it.role] ?? 0) + 1;
  tally.to_confirm = kHistoricalCount;
  return { region, regionName, members, expected, tally };
}

// How the summary names each outcome (singular, plural), in this order.
const kRoleLabels = {
  admitted: ['admise', 'admises'], edited: ['admise après modification', 'admises après modification'],
  pending_vote: ['en attente avec un premier vote', 'en attente avec un premier vote'],
  pending: ['en attente', 'en attente'], changes: ['à modifier', 'à modifier'], rejected: ['refusée', 'refusées'],
  suspended: ['suspendue après signalements', 'suspendues après signalements'],
  withdrawn: ['retirée', 'retirées'], erased: ['effacée', 'effacées'],
  to_confirm: ['importée de l\'ancienne base, à reconfirmer', 'importées de l\'ancienne base, à reconfirmer'],
};

async function Seed(args) {
  const referential = LoadReferential(args.referential ?? DefaultReferentialPath());
  const password = readFileSync(args['password-file'], 'utf8').split('\n')[0];
  const progress = new Progress('peuplement');
  const started = Date.now();
  const results = await Promise.all(args.nodes.map(({ region, url }, index) =>
    SeedRegion({ region, index, url, database: args.databases[region], count: args.count, seed: args.seed, referential,
      password, progress, out: args.out })));
  progress.end();
  const lines = [];
  for (const r of results) {
    const detail = Object.keys(kRoleLabels).filter((role) => r.tally[role])
      .map((role) => `${r.tally[role]} ${kRoleLabels[role][r.tally[role] > 1 ? 1 : 0]}`).join(', ');
    console.log(`région ${r.region} (${r.regionName}) : ${args.count} initiatives${detail ? ` — ${detail}` : ''} ; ${r.expected} sur la carte`);
    lines.push(`  ${r.regionName} (${r.region})`);
    lines.push(`    ${AdminEmail(r.region).padEnd(28)} administration régionale`);
    for (const m of r.members) {
      lines.push(`    ${m.email.padEnd(28)} ${m.name}, ${m.role === 'chair' ? 'présidence du comité, ' : ''}collège ${kCollegeLabels[m.college] ?? m.college}`);
    }
  }
  console.log(`peuplement terminé en ${((Date.now() - started) / 1000).toFixed(1)} s`);
  writeFileSync(join(args.out, 'logins.txt'), lines.join('\n') + '\n', { mode: 0o600 });
}

// The size of a node's log, from its latest signed checkpoint (origin, size, root...).
async function NodeLogSize(client) {
  const res = await client.request('GET', '/api/log/checkpoint', { raw: true, expect: [200, 404] });
  return res.status === 404 ? 0 : Number(res.text.split('\n')[1]);
}

async function WaitHub(args) {
  const hub = new Client(args.hub, 'hub');
  const nodes = args.nodes.map(({ region, url }) => ({ region, client: new Client(url, `région ${region}`) }));
  const progress = new Progress('hub :');
  const deadline = Date.now() + args.timeout * 1000;
  let last = '';
  for (;;) {
    const sizes = await Promise.all(nodes.map((n) => NodeLogSize(n.client)));
    const status = new Map((await hub.get('/api/regions')).regions.map((r) => [r.region, r]));
    let done = true;
    for (const [i, n] of nodes.entries()) {
      const s = status.get(n.region);
      if (!s) throw new Error(`hub : la région ${n.region} n'est pas inscrite (essctl region enrol)`);
      if (s.status === 'forked') throw new Error(`hub : la région ${n.region} est arrêtée sur une divergence : ${s.status_reason ?? ''}`);
      if (s.rejected_count > 0) {
        const why = (s.latest_rejections ?? []).map((r) => `${r.code} (index ${r.log_index}) : ${r.reason}`).join(' ; ');
        throw new Error(`hub : des entrées de la région ${n.region} ont été refusées : ${why}`);
      }
      progress.set(n.region, 'entrées', Math.min(s.tree_size, sizes[i]), sizes[i]);
      if (s.tree_size < sizes[i]) done = false;
    }
    if (done) {
      // Caught up: the national map, region by region, must count what the nodes' maps count.
      const counts = await Promise.all(nodes.map(async (n) => ({
        region: n.region,
        node: (await n.client.get('/api/initiatives?per_page=1')).total,
        hub: (await hub.get(`/api/initiatives?region=${n.region}&per_page=1`)).total,
      })));
      last = counts.map((c) => `${c.region} : ${c.hub} au hub, ${c.node} au nœud`).join(' ; ');
      if (counts.every((c) => c.node === c.hub)) {
        progress.end();
        const total = counts.reduce((sum, c) => sum + c.hub, 0);
        console.log(`hub à jour : ${total} initiatives sur la carte nationale (${counts.map((c) => `${c.region} : ${c.hub}`).join(', ')})`);
        return;
      }
    }
    if (Date.now() > deadline) {
      progress.end();
      throw new Error(`hub pas à jour après ${args.timeout} s : ${progress.line()}${last ? ` ; ${last}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function ParseArgs(argv) {
  const [command, ...rest] = argv;
  if (command === 'admin-email' && rest.length === 1 && /^[0-9]{2,3}$/.test(rest[0])) return { command, region: rest[0] };
  if (command !== 'seed' && command !== 'wait-hub') throw new UsageError('commande attendue : seed, wait-hub ou admin-email');
  const args = { command, nodes: [], databases: {}, count: 50, seed: 42, timeout: 120 };
  for (let i = 0; i < rest.length; ++i) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (!flag.startsWith('--') || value === undefined) throw new UsageError(`argument inattendu : ${flag}`);
    ++i;
    switch (flag) {
      case '--node': {
        const m = /^([0-9]{2,3})=(https?:\/\/.+)$/.exec(value);
        if (!m) throw new UsageError(`--node : CODE=URL attendu, pas « ${value} »`);
        args.nodes.push({ region: m[1], url: m[2] });
        break;
      }
      case '--database': {
        const m = /^([0-9]{2,3})=(postgres(ql)?:\/\/.+)$/.exec(value);
        if (!m) throw new UsageError(`--database : CODE=URL attendu, pas « ${value} »`);
        args.databases[m[1]] = m[2];
        break;
      }
      case '--hub': args.hub = value; break;
      case '--out': args.out = value; break;
      case '--password-file': args['password-file'] = value; break;
      case '--referential': args.referential = value; break;
      case '--count': case '--seed': case '--timeout': {
        if (!/^[0-9]+$/.test(value)) throw new UsageError(`${flag} : un entier positif, pas « ${value} »`);
        args[flag.slice(2)] = Number(value);
        break;
      }
      default: throw new UsageError(`option inconnue : ${flag}`);
    }
  }
  if (!args.nodes.length) throw new UsageError('au moins un --node CODE=URL');
  if (command === 'wait-hub' && !args.hub) throw new UsageError('wait-hub : --hub URL est requis');
  if (command === 'seed' && (!args.out || !args['password-file'])) throw new UsageError('seed : --out et --password-file sont requis');
  const missing = args.nodes.filter((n) => !args.databases[n.region]).map((n) => n.region);
  if (command === 'seed' && missing.length) throw new UsageError(`seed : --database CODE=URL manque pour ${missing.join(', ')}`);
  if (args.count > 100000) throw new UsageError('--count : 100000 au plus (utiliser generate.mjs et l\'import CSV au-delà)');
  return args;
}

try {
  const args = ParseArgs(process.argv.slice(2));
  if (args.command === 'admin-email') console.log(AdminEmail(args.region));
  else await (args.command === 'seed' ? Seed(args) : WaitHub(args));
} catch (e) {
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.error(`seed.mjs : ${e.message}`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
