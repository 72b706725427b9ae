// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), screenshots saved as artefacts, and an
// axe-core accessibility check run inside the page.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const kAxeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Flags for a closed network and a root user: no sandbox, no background traffic.
const kArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

export async function LaunchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: kArgs, headless: true });
}

// A page that fails the test on any uncaught page error or console error (a Content
// Security Policy violation is one). HTTP error statuses are the API's answers, which pages
// handle and show: Chromium's "Failed to load resource" lines for them are not errors here.
export async function NewPage(browser, { locale = 'fr-FR', viewport = { width: 1280, height: 900 }, ...options } = {}) {
  const context = await browser.newContext({ locale, viewport, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded')) {
      page.errors.push(`console: ${m.text()}`);
    }
  });
  return page;
}

export class Artefacts {
  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }
  async Screenshot(page, name) {
    const path = join(this.dir, `${name}.png`);
    await page.screenshot({ path, fullPage: false });
    return path;
  }
}

// Runs axe-core (WCAG 2 A and AA rules) on the page; returns serious and critical violations.
// axe is evaluated through the DevTools protocol rather than added as a <script>, so pages
// keep their Content-Security-Policy (no inline scripts) during the check.
export async function AccessibilityViolations(page) {
  await page.evaluate(kAxeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
