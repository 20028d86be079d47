// Smoke test: the release build boots in a real (headless) Chromium and reacts to input.
// It relies only on the hooks the playground promises to keep:
//   [data-testid="app-ready"]     present once the wasm app has booted
//   [data-testid="request-path"]  the client request's path input
//   [data-testid="results"]       the results area
// Screenshot: artifacts/screenshots/smoke.png

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, waitForApp, byTestId } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the playground boots, takes a typed request path and shows it in the results', async () => {
  await withPage(browser, { path: '/', name: 'smoke' }, async (page) => {
    await waitForApp(page);

    const input = byTestId(page, 'request-path');
    const results = byTestId(page, 'results');
    await input.waitFor({ state: 'visible' });
    await results.first().waitFor({ state: 'visible' });

    // A path nothing in the default scenario contains, so seeing it proves the app re-ran.
    const marker = 'smoke-e2e-4242';
    assert.ok(!(await results.first().innerText()).includes(marker), 'marker already present before typing');

    // Keep the scenario's stage and resource, change only the last path segment, so the request
    // still routes and the new value flows through the pipeline.
    const original = await input.inputValue();
    const typed = original.includes('/') ? original.replace(/[^/]*$/, marker) : `/${marker}`;

    // Click into the field, replace its text by typing key by key (as a person would).
    await input.click();
    await input.press('ControlOrMeta+a');
    await input.pressSequentially(typed);
    await input.press('Tab');

    assert.equal(await input.inputValue(), typed);
    // The results are recomputed as the user types (debounced): wait for the new path to show.
    await page.waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent.includes(text),
      ['[data-testid="results"]', marker],
      { timeout: 10_000 },
    );
    const shown = await results.first().innerText();
    assert.ok(shown.includes(typed), `the results do not show the typed path ${typed}`);
  });
});
