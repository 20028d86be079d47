// The playground as its three audiences use it: keyboard and screen-reader users (every control
// reachable by Tab, labelled, named uniquely; focus kept where the user acts; "Hide the inputs"),
// both themes readable (WCAG AA contrast of every visible text), the layout at laptop, tablet and
// narrow-embed widths without anything scrolling sideways but the results table, and a template
// being typed that does not blank the columns.
//
// Screenshots (artifacts/screenshots/): ux-1280, ux-1024, ux-768, ux-dark-1280, ux-embed-360,
// ux-embed-360-dark, ux-keyboard, ux-inputs-hidden, ux-stale.
//
// Kept fast on purpose (it runs in CI next to playground.test.mjs): one page load per test; widths
// and themes change on the loaded page (the CSS reacts without a reload).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, waitForApp, byTestId, screenshot } from './lib.mjs';

const COLUMNS = ['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function waitForColumns(page, columns = COLUMNS) {
  await page.waitForFunction(
    (cols) => cols.every((c) => document.querySelector(`[data-testid="status-${c}"]`)),
    columns,
    { timeout: 10_000 },
  );
}

test('"Hide the inputs" hides them: the results take the whole width and are the next Tab stop', async () => {
  await withPage(browser, { path: '/#preset=pets-get', name: 'ux-inputs-hidden' }, async (page) => {
    await waitForApp(page);
    await waitForColumns(page);
    await byTestId(page, 'toggle-inputs').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#inputs').isVisible(), false, 'the inputs are hidden');
    const box = await byTestId(page, 'results').boundingBox();
    assert.ok(box.width > 1200 && box.y < 400, `the results take the inputs' place: ${JSON.stringify(box)}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'show-AWS');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#inputs').isVisible(), true, 'and shown again');
  });
});
