// The hub's Synchronisation page in Chromium while a region's node, restored from an older
// backup, holds fewer entries than the hub: admin_guide_test.sh runs it at that moment of
// docs/admin-guide.md (section 11), in the throwaway system. The page alerts, naming the
// region and both counts, and the region's row says replication stopped; no page error.
//   node restored-region-page.mjs HUB_URL REGION
import assert from 'node:assert/strict';
import { LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';

const [, , base, region] = process.argv;
const browser = await LaunchBrowser();
try {
  const page = await NewPage(browser);
  await page.goto(`${base}/synchronisation.html`);
  const alert = page.locator(`p.restored[data-region="${region}"]`);
  await alert.waitFor({ timeout: 30000 });
  const text = (await alert.innerText()).replace(/[\u00a0\u202f]/g, ' ');
  assert.match(text, new RegExp(`\\(${region}\\) annonce \\d+ entrée\\(s\\) de journal, le hub en a déjà reçu \\d+ : il a sans doute été restauré depuis une sauvegarde plus ancienne`));
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.match(await page.locator(`#regions tr[data-region="${region}"] .badge`).innerText(),
    /Arrêtée : nœud restauré d'une sauvegarde plus ancienne/);
  assert.deepEqual(page.errors, []);
  console.log(`restored-region-page: the hub's page alerts for region ${region}: ${text.slice(0, 80)}…`);
} finally {
  await browser.close();
}
