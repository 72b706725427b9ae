// Visiting the sites' pages in the browser tests: wait until the page says it rendered its
// data (body[data-ready]), then check it: no page error, no console error (a CSP violation
// is one), no serious or critical axe-core violation, and save a screenshot artefact. Every
// page file under web/site/ must have been checked once per run (CheckedEveryPage).
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AccessibilityViolations } from '../../web/tests/browser.mjs';
import { kRoot } from './federation.mjs';

const checked = new Set();

export async function WaitReady(page, state = 'true') {
  await page.waitForSelector(`body[data-ready="${state}"]`, { timeout: 20000 });
}

// Opens a staff page at `url`, signs in on its login form and waits for the page's data.
export async function SignIn(page, url, email, password) {
  await page.goto(url);
  await WaitReady(page, 'login');
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await WaitReady(page);
}

// Checks the page as it is now; `site` is 'node' or 'hub' (which web/site/ folder served it).
export async function CheckPage(page, artefacts, site, name, { screenshot = true } = {}) {
  const violations = await AccessibilityViolations(page);
  assert.deepEqual(violations, [], `accessibility of ${name}`);
  assert.deepEqual(page.errors, [], `errors on ${name}`);
  if (screenshot) await artefacts.Screenshot(page, name);
  let path = new URL(page.url()).pathname;
  if (path.startsWith('/modifier/')) path = '/modifier.html';
  if (path === '/embed') path = '/embed.html';
  if (path.endsWith('/')) path += 'index.html';
  checked.add(`${site}${path}`);
}

export async function Visit(page, artefacts, site, url, name, { ready = 'true' } = {}) {
  await page.goto(url);
  await WaitReady(page, ready);
  await CheckPage(page, artefacts, site, name);
}

function PageFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return PageFiles(full, base);
    return entry.endsWith('.html') ? [`/${relative(base, full)}`] : [];
  });
}

// The pages of web/site/<site>/ that no check covered.
export function UncheckedPages() {
  const missing = [];
  for (const site of ['node', 'hub']) {
    for (const file of PageFiles(join(kRoot, 'web', 'site', site))) {
      if (!checked.has(`${site}${file}`)) missing.push(`${site}${file}`);
    }
  }
  return missing;
}
