// The playground as its three audiences use it: keyboard and screen-reader users (every control
// reachable by Tab, labelled, named uniquely; focus kept where the user acts; "Hide the inputs"),
// both themes readable (WCAG AA contrast of every visible text), the layout at laptop, tablet and
// narrow-embed widths without anything scrolling sideways but the results table, and a template
// being typed that does not blank the columns; a documentation page with the README's iframe; "Copy
// link" telling the truth when the clipboard refuses.
//
// Screenshots (artifacts/screenshots/): ux-1280, ux-1024, ux-768, ux-dark-1280, ux-embed-360,
// ux-embed-360-dark, ux-keyboard, ux-inputs-hidden, ux-stale, ux-docs-iframe,
// ux-copy-refused.
//
// Kept fast on purpose (it runs in CI next to playground.test.mjs): one page load per test; widths
// and themes change on the loaded page (the CSS reacts without a reload).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, withPage, waitForApp, byTestId, screenshot, ARTIFACTS_DIR } from './lib.mjs';

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

/** Every visible text whose contrast against its effective background is below WCAG AA
 * (4.5:1, or 3:1 for large text). Backgrounds are composed up the ancestor chain. */
function lowContrastTexts(root = 'body') {
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = ([r, g, b]) => {
    const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let acc = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : [255, 255, 255, 1];
    while (layers.length) acc = over(layers.pop(), acc);
    return acc;
  };
  const bad = new Set();
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest('.sr-only, option, [hidden]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const cs = getComputedStyle(el);
    const bg = background(el);
    const fg = over(parse(cs.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (Number(cs.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      bad.add(`${ratio.toFixed(2)}:1 <${el.tagName.toLowerCase()} class="${el.className}"> "${n.textContent.trim().slice(0, 30)}" (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
    }
  }
  return [...bad];
}

/** The page scrolling sideways, and content (an element, or text that cannot wrap) sticking out of
 * the box that holds it. The results table scrolls sideways inside its own box on purpose. */
function overflowing() {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) out.push(`the page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  for (const el of document.querySelectorAll('.app *')) {
    if (el.closest('.grid-scroll, [hidden], details:not([open]) > :not(summary)')) continue;
    const cs = getComputedStyle(el);
    if (cs.overflowX !== 'visible' || cs.display === 'inline' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> "${(el.textContent || '').slice(0, 40)}": content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
    }
  }
  return out;
}

/** The accessibility tree as Chromium computes it (roles, names, focusability). */
async function axNodes(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const prop = (n, name) => n.properties?.find((p) => p.name === name)?.value?.value;
  return nodes
    .filter((n) => !n.ignored)
    .map((n) => ({
      role: n.role?.value,
      name: (n.name?.value ?? '').trim(),
      focusable: prop(n, 'focusable') === true,
      live: prop(n, 'live'),
    }));
}

test('every control is reachable by Tab, labelled and uniquely named; focus stays where the user acts', async () => {
  await withPage(browser, { path: '/#preset=lambda-error-regex', name: 'ux-keyboard' }, async (page) => {
    await waitForApp(page);
    await waitForColumns(page);
    await byTestId(page, 'settings-AWS').waitFor();

    // Tab order: from the top, every control of the page in reading order, nothing skipped. Real Tab
    // presses; the page records where the focus lands (one round trip at the end, not one per press).
    const stops = await page.evaluate(() => {
      window.__reached = [];
      document.addEventListener('focusin', (e) => {
        const t = e.target;
        window.__reached.push(t.id || t.dataset.testid || t.getAttribute('aria-label') || t.textContent.trim().slice(0, 40));
      });
      const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
      return [...document.querySelectorAll(focusable)].filter((e) => e.checkVisibility() && !e.disabled).length;
    });
    await page.locator('body').focus();
    for (let i = 0; i < stops; i++) await page.keyboard.press('Tab');
    const reached = await page.evaluate(() => window.__reached);
    const order = (x) => reached.indexOf(x);
    for (const must of ['copy-link', 'preset-pets-get', 'toggle-inputs', 'endpoint-type', 'request-path', 'request-body', 'tab-AWS',
      'aws-ir-400-pattern', 'aws-backend-kind', 'show-AWS', 'focus-AWS', 'Hide the MOCK column']) {
      assert.ok(order(must) >= 0, `${must} is not reachable by Tab (reached: ${reached.join(', ')})`);
    }
    // Reading order: header, presets, request, integration settings, then the results.
    const sequence = ['copy-link', 'preset-pets-get', 'request-path', 'tab-AWS', 'aws-backend-kind', 'show-AWS', 'focus-AWS'];
    assert.deepEqual([...sequence].sort((a, b) => order(a) - order(b)), sequence, `Tab order: ${reached.join(', ')}`);

    // Names as assistive technology computes them: every focusable element has a role and a name, and
    // no two form fields share a name (five "application/json" editors cannot be told apart).
    const nodes = await axNodes(page);
    const unnamed = nodes.filter((n) => n.focusable && (!n.name || ['generic', 'none'].includes(n.role)) && n.role !== 'RootWebArea');
    assert.deepEqual(unnamed.map((n) => `${n.role} "${n.name}"`), [], 'focusable elements without a role or name');
    const fields = nodes.filter((n) => ['textbox', 'combobox', 'checkbox', 'spinbutton', 'button', 'tab'].includes(n.role));
    const seen = new Map();
    for (const f of fields) seen.set(`${f.role} "${f.name}"`, (seen.get(`${f.role} "${f.name}"`) ?? 0) + 1);
    const duplicated = [...seen].filter(([, count]) => count > 1).map(([name, count]) => `${name} ×${count}`);
    assert.deepEqual(duplicated, [], 'controls that share one name');
    // Headings (what screen-reader users navigate by) go down one level at a time.
    const levels = await page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])));
    assert.ok(levels.every((l, i) => i === 0 || l <= levels[i - 1] + 1), `heading levels skip: ${levels.join(' ')}`);
    // The results change on every keystroke: a live region around them would read the whole table each time.
    const live = nodes.filter((n) => n.live && n.live !== 'off' && n.role !== 'status' && n.role !== 'alert');
    assert.deepEqual(live.map((n) => `${n.role} "${n.name.slice(0, 40)}"`), [], 'large live regions');

    // Approximations are said next to the feature they concern, in words a screen reader reads too.
    const approx = await page.evaluate(() =>
      [...document.querySelectorAll('.approx')].filter((n) => n.checkVisibility()).map((n) => {
        const home = n.closest('.request-panel') ? 'request' : n.closest('fieldset.responses') ? 'responses' : n.closest('fieldset.backend') ? 'backend' : 'elsewhere';
        return `${home}: ${n.textContent.startsWith('≈ Approximation: ') ? 'ok' : n.textContent.slice(0, 30)}`;
      }),
    );
    assert.deepEqual(approx, ['request: ok', 'responses: ok', 'backend: ok']);

    // Focus and hide a column with the keyboard: the focus stays on the control that was used, or on the
    // column's checkbox once the column is gone (not thrown back to the top of the page).
    await page.getByRole('button', { name: 'Focus the HTTP column' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="column-"]').length === 1);
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Unfocus the HTTP column');
    await page.keyboard.press('Enter');
    await waitForColumns(page);
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Focus the HTTP column');
    await page.getByRole('button', { name: 'Hide the AWS_PROXY column' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('[data-testid="column-AWS_PROXY"]'));
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'show-AWS_PROXY', 'focus on the checkbox that brings it back');
    await page.keyboard.press('Space');
    await waitForColumns(page);
  });
});

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

test('layout at 1280, 1024 and 768 px and a 360 px embed, light and dark: no sideways page scroll, readable contrast', async () => {
  await withPage(browser, { path: '/#preset=passthrough-415', name: 'ux-1280' }, async (page) => {
    await waitForApp(page);
    await waitForColumns(page);
    await byTestId(page, 'settings-AWS').waitFor();
    // A diagnostic, a notice-free page with 2xx, 4xx and 5xx badges and an open log: every kind of text.
    await byTestId(page, 'tab-HTTP').click();
    await page.locator('details.log summary').first().click();
    await byTestId(page, 'copy-link').click();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1280, 1024, 768]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(50);
        assert.deepEqual(await page.evaluate(overflowing), [], `${scheme} ${width}px`);
        if (width === 1024) {
          // A small laptop: the results beside the inputs, in the first screen, so an edit shows as it is typed.
          const [inputs, results] = await page.evaluate(() =>
            ['#inputs', '[data-testid="results"]'].map((s) => document.querySelector(s).getBoundingClientRect().toJSON()),
          );
          assert.ok(results.left >= inputs.right && results.top < 768, `at 1024 px: inputs ${JSON.stringify(inputs)}, results ${JSON.stringify(results)}`);
        }
        // What the viewport shows at that width (a full-page capture costs four times as long).
        if ((scheme === 'light') !== (width === 1280)) {
          await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'screenshots', scheme === 'dark' ? 'ux-dark-1280.png' : `ux-${width}.png`) });
        }
      }
      assert.deepEqual(await page.evaluate(lowContrastTexts), [], `${scheme} theme contrast`);
    }
    // The template editor's marks, in both themes.
    await page.setViewportSize({ width: 1280, height: 900 });
    const editor = page.locator('[data-testid="settings-HTTP"] [data-testid="template-editor"]').first();
    await editor.fill('{\n  #end\n}');
    await byTestId(page, 'diagnostic').first().waitFor();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      assert.deepEqual(await page.evaluate(lowContrastTexts, '[data-testid="settings-HTTP"]'), [], `${scheme} theme contrast with a diagnostic`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
  // The README's embed: two columns in a 360 px iframe, both visible without scrolling.
  await withPage(browser, { path: '/#embed&preset=lambda-error-regex&columns=AWS,AWS_PROXY', name: 'ux-embed-360' }, async (page) => {
    await page.setViewportSize({ width: 360, height: 700 });
    await waitForApp(page);
    await waitForColumns(page, ['AWS', 'AWS_PROXY']);
    await page.locator('.embed-inputs > summary').click();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      assert.deepEqual(await page.evaluate(overflowing), [], `${scheme} embed at 360 px`);
      assert.deepEqual(await page.evaluate(lowContrastTexts), [], `${scheme} embed contrast`);
    }
    await page.locator('.embed-inputs > summary').click();
    const grid = await page.evaluate(() => {
      const g = document.querySelector('.grid-scroll');
      return [g.scrollWidth, g.clientWidth];
    });
    assert.ok(grid[0] <= grid[1], `two columns fit a 360 px embed (table ${grid[0]} px in ${grid[1]} px)`);
    await screenshot(page, 'ux-embed-360-dark');
  });
});

test('while a template is being typed (and does not parse yet), the columns keep the last results', async () => {
  await withPage(browser, { path: '/#preset=pets-get', name: 'ux-stale' }, async (page) => {
    await waitForApp(page);
    await waitForColumns(page);
    await byTestId(page, 'tab-MOCK').click();
    const editor = page.locator('[data-testid="settings-MOCK"] [data-testid="template-editor"]').nth(1);
    await editor.fill('{"half": #if(');
    await byTestId(page, 'input-errors').waitFor();
    assert.match(await byTestId(page, 'input-errors').innerText(), /responseTemplates/);
    // The five columns are still there, marked as the last results that ran.
    assert.deepEqual(await page.locator('[data-testid^="status-"]').count(), 5);
    assert.equal(await page.locator('.results .stale').count(), 1);
    // The error names a long field path: it wraps on a narrow screen instead of widening the page.
    await page.setViewportSize({ width: 360, height: 800 });
    assert.deepEqual(await page.evaluate(overflowing), [], 'the error list at 360 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await editor.fill('{"done": "$input.params(\'id\')"}');
    await page.waitForFunction(() => document.querySelector('[data-testid="cell-MOCK-methodResponse"]')?.textContent.includes('"done"'));
    assert.equal(await byTestId(page, 'input-errors').count(), 0);
    assert.equal(await page.locator('.results .stale').count(), 0);
  });
});

test("a documentation page embedding the README's iframe (360 px wide) gets the preset's columns, no sideways scroll", async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const src = new URL('#embed&preset=lambda-error-regex&columns=AWS,AWS_PROXY', process.env.E2E_BASE_URL).href;
    await page.setContent(
      `<!doctype html><title>Docs</title><h1>Lambda errors</h1>
       <iframe id="sim" src="${src}" title="API Gateway simulator" width="360" height="640" loading="lazy"></iframe>`,
    );
    const frame = page.frameLocator('#sim');
    await frame.locator('[data-testid="status-AWS_PROXY"]').waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator('[data-testid="status-AWS"]').innerText(), '400');
    assert.equal(await frame.locator('[data-testid="status-AWS_PROXY"]').innerText(), '502');
    assert.equal(await frame.locator('[data-testid^="column-"]').count(), 2);
    const inner = page.frame({ url: (u) => u.href.startsWith(process.env.E2E_BASE_URL) });
    assert.deepEqual(await inner.evaluate(overflowing), [], 'inside the iframe');
    const open = frame.locator('[data-testid="open-in-playground"]');
    assert.equal(await open.getAttribute('target'), '_blank');
    assert.ok((await open.getAttribute('href')).startsWith(`${process.env.E2E_BASE_URL}#v1:`));
    await screenshot(page, 'ux-docs-iframe');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"Copy link" says it copied only when the clipboard took the link, else shows it to copy by hand', async () => {
  await withPage(browser, { path: '/#preset=mock', name: 'ux-copy-refused' }, async (page) => {
    await waitForApp(page);
    await waitForColumns(page);
    const message = byTestId(page, 'share-message');
    await byTestId(page, 'copy-link').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="share-message"]').textContent !== '');
    assert.match(await message.innerText(), /^Link copied \(\d+ characters\)\.$/);
    // A documentation site framing the page without allow="clipboard-write", or a denied permission:
    // the API is there, and its promise rejects.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await byTestId(page, 'copy-embed-link').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="share-message"]').textContent.startsWith('Embed link ('));
    const text = await message.innerText();
    assert.match(text, /^Embed link \(copy it by hand\): http:\/\/127\.0\.0\.1:\d+\/#v1:[A-Za-z0-9_-]+&embed$/);
  });
});
