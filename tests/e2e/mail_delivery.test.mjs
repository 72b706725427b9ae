// Mail that is really sent (issue 15, point 6, acceptance), against a real ess-node whose
// --smtp-url names a real SMTP server on loopback (tests/support/smtp_sink.py, Debian's
// python3-aiosmtpd): an initiative registered through the HTTP API, its mail read from the
// server with the private link, which opens the owner's page; a refused recipient ends
// « En échec » with the server's answer on the admin's Messages page (desktop and 390×844
// phone, axe-core) and is sent again from it; the page's English texts.
//   node tests/e2e/mail_delivery.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kDevices, kRoot } from './federation.mjs';
import { CheckPage, SignIn, WaitReady } from './pages.mjs';
import { kCharterText } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

const kOwner = 'marie.durand@courriel.example';
const kRefused = 'refuse.porteur@courriel.example';

// The SMTP server of the test, on a free port; each message it accepts is a file.
async function StartSink(directory) {
  mkdirSync(directory, { recursive: true });
  const ready = join(directory, 'ready');
  const child = spawn('/usr/bin/python3', [join(kRoot, 'tests/support/smtp_sink.py'), '--dir', directory, '--ready-file', ready],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  await WaitFor('the SMTP server', () => existsSync(ready), { timeoutMs: 20000 });
  return { child, port: JSON.parse(readFileSync(ready, 'utf8')).smtp };
}

function Messages(directory) {
  return readdirSync(directory).filter((n) => n.endsWith('.eml')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((n) => readFileSync(join(directory, n), 'latin1'));
}

// The header `name` and the body of a raw message (quoted-printable decoded as UTF-8).
function Header(raw, name) {
  return new RegExp(`(?:^|\\r\\n)${name}: ([^\\r]*)`).exec(raw)?.[1] ?? '';
}
function Body(raw) {
  const qp = raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/=\r\n/g, '');
  const bytes = [];
  for (let i = 0; i < qp.length; ++i) {
    if (qp[i] === '=' && /^[0-9A-F]{2}$/.test(qp.slice(i + 1, i + 3))) {
      bytes.push(parseInt(qp.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(qp.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

function Initiative(name, email) {
  return {
    name, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
    description: 'Produits frais et locaux à prix adaptés.', address: '12 rue du Panier', postcode: '13002',
    commune: '13055', latitude: 43.2965, longitude: 5.3698,
    private: { contact_name: 'Marie Durand', contact_email: email },
  };
}

describe('mail really sent', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let sink;
  let admin;
  let ownerId;
  const mailDir = mkdtempSync(join(tmpdir(), 'ess-mail-'));
  const stop = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); sink?.child.kill(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    sink = await StartSink(mailDir);
    federation = new Federation({
      build, regions: ['93'],
      nodeArgs: ['--security.login-rate-per-minute', '1000', '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'ne-pas-repondre@ess-93.example', '--mail-from-name', 'Réseau ESS', '--mail-poll-seconds', '1'],
    });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      admin = new ApiClient(node.url);
      await admin.Login(federation.admin.email, federation.admin.password);
      const charter = await admin.Call('POST', '/api/admin/charter', { text: kCharterText, readhesion_days: 90 });
      const visitor = new ApiClient(node.url);
      for (const [name, email] of [['Épicerie du Panier', kOwner], ['Ressourcerie refusée', kRefused]]) {
        const out = await visitor.Call('POST', '/api/initiatives',
          { ...Initiative(name, email), charter: { version: charter.version, adhered_by: 'Marie Durand' } });
        if (email === kOwner) ownerId = out.initiative.id;
      }
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
    sink?.child.kill();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('the registration mail arrives with the private link, which opens the owner\'s page', async () => {
    const mail = await WaitFor('the registration mail', () => Messages(mailDir).find((m) => Header(m, 'X-Envelope-To') === kOwner));
    assert.match(Header(mail, 'Subject'), /^=\?UTF-8\?B\?/);
    assert.equal(Header(mail, 'Content-Type'), 'text/plain; charset=utf-8');
    const body = Body(mail);
    assert.match(body, /Votre initiative « Épicerie du Panier » a bien été enregistrée/);
    assert.doesNotMatch(body, /lien privé masqué/);
    const link = /(https?:\/\/\S+\/modifier\/[0-9a-f-]{36}#jeton=[0-9a-f]+)/.exec(body)[1];
    assert.ok(link.includes(ownerId));
    const page = await NewPage(browser);
    await page.goto(link.replace(/^https?:\/\/[^/]+/, node.url));
    await WaitReady(page);
    assert.match(await page.locator('main h1').innerText(), /Épicerie du Panier/);
    await page.context().close();
  });

  for (const [device, options] of kDevices) {
    it(`on a ${device}: the Messages page shows each state, the refusal's answer, and sends a failed one again`, async () => {
      await WaitFor('the refusal', async () => {
        const out = await admin.Call('GET', '/api/admin/outbox?state=failed');
        return out.messages.some((m) => m.recipient === kRefused && m.attempts >= 1);
      });
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/admin/messages.html`, federation.admin.email, federation.admin.password);
      assert.equal(await page.locator('main h1').innerText(), 'Messages envoyés');
      assert.equal(await page.locator('#delivery').innerText(), `Envoi par le relais smtp://127.0.0.1:${sink.port}.`);
      const sent = page.locator('article.message[data-state="sent"]', { hasText: kOwner }).first();
      assert.match(await sent.innerText(), /Accusé de dépôt[\s\S]*Envoyé/);
      await page.getByRole('link', { name: /^En échec \(1\)$/ }).click();
      await WaitReady(page);
      assert.match(page.url(), /state=failed/);
      const failed = page.locator('article.message', { hasText: kRefused });
      assert.match(await failed.innerText(), /En échec/);
      assert.match(await failed.locator('.message-answer').innerText(), /550 5\.1\.1 Destinataire inconnu/);
      const width = page.viewportSize().width;
      const box = await failed.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width + 1, `the card within the ${width} px screen`);
      await CheckPage(page, artefacts, 'node', `messages-${device}`);
      await failed.getByRole('button', { name: `Renvoyer « Votre initiative a bien été reçue » à ${kRefused}` }).click();
      await page.locator('#messages-notice.success').waitFor();
      assert.match(await failed.innerText(), /En attente/);
      await page.context().close();
    });
  }

  it('the English texts', async () => {
    const page = await NewPage(browser);
    await SignIn(page, `${node.url}/admin/messages.html?lang=en`, federation.admin.email, federation.admin.password);
    assert.equal(await page.locator('main h1').innerText(), 'Sent messages');
    assert.match(await page.locator('#delivery').innerText(), /^Sent through the relay smtp:\/\/127\.0\.0\.1:/);
    assert.match(await page.locator('.message-filters').innerText(), /All \(\d+\)[\s\S]*Queued \(\d+\)[\s\S]*Sent \(\d+\)[\s\S]*Failed \(\d+\)/);
    const card = page.locator('article.message', { hasText: kOwner }).first();
    for (const text of ['To', 'Type', 'State', 'Queued on', 'Attempts', 'Registration receipt', 'Message text', 'Open the record']) {
      assert.ok((await card.innerText()).includes(text), text);
    }
    await page.goto(`${node.url}/admin/messages.html?lang=fr`);
    await WaitReady(page);
    await page.context().close();
  });
});
