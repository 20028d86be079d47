// Helpers for the playground's browser end-to-end tests.
//
// Run every test with `cargo xtask test`, or after a build (`cargo xtask build`) just these:
//   node tests/e2e/run.mjs [file.test.mjs ...]
// run.mjs serves dist/ on a free loopback port, sets E2E_BASE_URL and runs each
// tests/e2e/*.test.mjs with `node --test`. The same server exposes the repository root under
// /repo/ (E2E_REPO_URL): a static page tests/e2e/pages/x.html opens as
// openPage(browser, `${REPO_URL}tests/e2e/pages/x.html`) and may import ../../../npm/... relatively.
//
// The browser is Debian's Chromium (/usr/bin/chromium, override with CHROMIUM_PATH), driven by
// playwright-core; no browser is ever downloaded.
//
// A test file looks like:
//
//   import { test, before, after } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { launch, withPage, waitForApp, byTestId } from './lib.mjs';
//
//   let browser;
//   before(async () => { browser = await launch(); });
//   after(async () => { await browser?.close(); });
//
//   test('the thing works', async () => {
//     await withPage(browser, { name: 'thing' }, async (page) => {
//       await waitForApp(page);
//       await byTestId(page, 'request-path').fill('/pets/7');
//       ...assertions...
//     });
//   });
//
// withPage fails the test on any console error or uncaught page error (checked after the body
// runs) and always saves artifacts/screenshots/NAME.png, also when the body fails.
//
// Exports:
//   BASE_URL                      the served playground, e.g. http://127.0.0.1:41234/
//   REPO_URL                      the repository root on the same server (BASE_URL + 'repo/')
//   launch()                      a headless Chromium (close it in `after`)
//   openPage(browser, path)       a fresh page at BASE_URL + path (or an absolute URL such as
//                                 REPO_URL + 'tests/e2e/pages/x.html'); page.errors collects every
//                                 console error and uncaught page error from the start
//   assertNoErrors(page)          throws listing page.errors if there are any
//   screenshot(page, name)        full-page PNG to artifacts/screenshots/NAME.png; returns the path
//   withPage(browser, {path, name}, fn)   open + fn(page) + screenshot + assertNoErrors + close
//   waitForApp(page)              waits for the booted app ([data-testid="app-ready"])
//   byTestId(page, id)            locator for [data-testid="ID"]

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS ?? path.join(REPO_ROOT, 'artifacts');

export const BASE_URL = process.env.E2E_BASE_URL ?? '';
export const REPO_URL = process.env.E2E_REPO_URL ?? (BASE_URL ? `${BASE_URL}repo/` : '');

/** How long to wait for the wasm app to boot; a release build boots in well under a second. */
export const BOOT_TIMEOUT_MS = 20_000;

export async function launch() {
  if (!BASE_URL) {
    throw new Error('E2E_BASE_URL is not set: run the browser tests with `node tests/e2e/run.mjs`');
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      // playwright-core adds a fresh temporary --user-data-dir per launch. These keep Chromium
      // off the network (nothing but the loopback server may be contacted) and quiet.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
      ],
    });
  } catch (e) {
    throw new Error(
      `could not start Chromium at ${executablePath}: ${e.message}\n` +
        'fix: `apt-get install chromium chromium-driver` (or set CHROMIUM_PATH)',
    );
  }
}

export async function openPage(browser, pagePath = '/') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      const where = loc?.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      page.errors.push(`console.error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => {
    page.errors.push(`uncaught page error: ${err.stack ?? err.message}`);
  });
  page.on('crash', () => page.errors.push('the page crashed'));
  // A path is relative to BASE_URL; an absolute URL (e.g. under REPO_URL) is used as is.
  const url = new URL(pagePath.replace(/^\//, ''), BASE_URL).href;
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    page.errors.push(`loading ${url} answered ${response?.status() ?? 'nothing'}`);
  }
  return page;
}

export function assertNoErrors(page) {
  if (page.errors.length > 0) {
    throw new Error(`the page reported ${page.errors.length} error(s):\n  ${page.errors.join('\n  ')}`);
  }
}

export async function screenshot(page, name) {
  const dir = path.join(ARTIFACTS_DIR, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function withPage(browser, { path: pagePath = '/', name }, fn) {
  if (!name) throw new Error('withPage needs a screenshot name');
  const page = await openPage(browser, pagePath);
  try {
    await fn(page);
  } finally {
    try {
      const file = await screenshot(page, name);
      console.log(`# screenshot: ${path.relative(REPO_ROOT, file)}`);
    } catch (e) {
      console.log(`# screenshot ${name} failed: ${e.message}`);
    }
  }
  try {
    assertNoErrors(page);
  } finally {
    await page.context().close();
  }
}

export function byTestId(page, id) {
  return page.locator(`[data-testid="${id}"]`);
}

export async function waitForApp(page) {
  try {
    await byTestId(page, 'app-ready').first().waitFor({ state: 'attached', timeout: BOOT_TIMEOUT_MS });
  } catch (e) {
    const errors = page.errors.length ? `\npage errors:\n  ${page.errors.join('\n  ')}` : '';
    throw new Error(`the app did not boot within ${BOOT_TIMEOUT_MS} ms (no [data-testid="app-ready"])${errors}`);
  }
}
