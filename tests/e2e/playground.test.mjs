// Playground end-to-end tests in headless Chromium (see lib.mjs for the harness).
//
//   every preset loads and runs through the five columns
//   editing a template changes the output; a broken template shows its diagnostic at the right line
//   a share link and an embed link reproduce the same state
//   hostile links (script in a header value, a template, a backend body) render inert; bad links fall back
//   performance: gzipped page size, navigation to the first five-column render, keystroke to update
//
// Screenshots: artifacts/screenshots/playground-main.png, playground-embed.png (and one per test).
// The share-link format (#v1: + raw deflate + base64url of the JSON state) is documented in docs/playground.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import os from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, withPage, waitForApp, byTestId, REPO_ROOT } from './lib.mjs';

const COLUMNS = ['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'];
const PRESETS = JSON.parse(readFileSync(path.join(REPO_ROOT, 'web/presets/presets.json'), 'utf8')).presets;

const decodeState = (hash) =>
  JSON.parse(zlib.inflateRawSync(Buffer.from(hash.replace(/^#/, '').split('&')[0].replace(/^v1:/, ''), 'base64url')).toString());
const encodeState = (state) => 'v1:' + zlib.deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until the results show a run at least as new as `minRev`, with every expected column rendered. */
async function waitForResults(page, { minRev = 0, columns = COLUMNS } = {}) {
  await page.waitForFunction(
    ([minRev, columns]) => {
      const r = document.querySelector('[data-testid="results"]');
      if (!r || Number(r.dataset.rev) < minRev) return false;
      if (r.querySelector('[data-testid="input-errors"]')) return true;
      return columns.every((c) => r.querySelector(`[data-testid="status-${c}"]`));
    },
    [minRev, columns],
    { timeout: 10_000 },
  );
}

/** The page writes its state to the fragment shortly after the last change (docs/playground.md, "Links"):
 * waits until the fragment is a `v1:` state that satisfies `ok`, and returns the fragment. */
async function settledHash(page, ok = () => true) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const hash = await page.evaluate(() => location.hash);
    if (hash.startsWith('#v1:') && ok(decodeState(hash))) return hash;
    if (Date.now() > deadline) throw new Error(`the fragment did not settle: ${hash.slice(0, 80)}`);
    await page.waitForTimeout(50);
  }
}

async function rev(page) {
  return Number(await byTestId(page, 'results').getAttribute('data-rev'));
}

async function statuses(page) {
  return page.evaluate((cols) => {
    const out = {};
    for (const c of cols) {
      const el = document.querySelector(`[data-testid="status-${c}"]`);
      if (el) out[c] = el.textContent;
    }
    return out;
  }, COLUMNS);
}

async function cellText(page, column, row) {
  return (await byTestId(page, `cell-${column}-${row}`).innerText()).trim();
}

test('every preset loads and runs through all five columns', async () => {
  await withPage(browser, { path: '/', name: 'playground-presets' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
    for (const preset of PRESETS) {
      const before = await rev(page);
      await byTestId(page, `preset-${preset.name}`).click();
      await waitForResults(page, { minRev: before + 1 });
      assert.equal(await byTestId(page, 'input-errors').count(), 0, `${preset.name}: the document was rejected`);
      const s = await statuses(page);
      assert.deepEqual(Object.keys(s), COLUMNS, `${preset.name}: ${JSON.stringify(s)}`);
      assert.equal(await byTestId(page, 'preset-description').innerText(), preset.description);
      assert.equal(await byTestId(page, `preset-${preset.name}`).getAttribute('aria-current'), 'true');
    }
    // What the presets are for, visible in the page (spec §4.2, §3.2, §4.1).
    await byTestId(page, 'preset-lambda-error-regex').click();
    await waitForResults(page);
    assert.equal((await statuses(page)).AWS, '400');
    assert.match(await cellText(page, 'AWS', 'integrationResponse'), /pattern: Malformed\.\*/);
    assert.match(await cellText(page, 'AWS', 'integrationResponse'), /matched: "Malformed input: id must be numeric"/);
  });
  // The main view for the README, on the default preset.
  await withPage(browser, { path: '/', name: 'playground-main' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
  });
});

test('editing a template changes the output; a broken template shows its diagnostic at the right line', async () => {
  await withPage(browser, { path: '/#preset=pets-get', name: 'playground-template' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
    await byTestId(page, 'tab-MOCK').click();
    // The MOCK settings hold the request template, then the 200 response template.
    const editors = page.locator('[data-testid="settings-MOCK"] [data-testid="template-editor"]');
    assert.equal(await editors.count(), 2);
    const responseTemplate = editors.nth(1);
    await responseTemplate.fill('{"greeting": "edited-$input.params(\'id\')"}');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="cell-MOCK-methodResponse"]')?.textContent.includes('edited-1'),
    );
    assert.match(await cellText(page, 'MOCK', 'methodResponse'), /"greeting": "edited-1"/);
    assert.equal(await byTestId(page, 'diagnostic').count(), 0);

    // A stray #end on line 3, column 3.
    await responseTemplate.fill('{\n  "a": 1,\n  #end\n}');
    const diag = byTestId(page, 'diagnostic').first();
    await diag.waitFor();
    assert.equal(await diag.getAttribute('data-line'), '3');
    assert.equal(await diag.getAttribute('data-column'), '3');
    assert.match(await diag.innerText(), /Line 3, column 3/);
    // The gutter marks line 3 (message on hover) and only line 3.
    const marked = page.locator('[data-testid="settings-MOCK"] .template-editor .ln.err');
    assert.equal(await marked.count(), 1);
    assert.equal(await marked.getAttribute('data-line'), '3');
    assert.ok((await marked.getAttribute('title')).startsWith('3:3: '));
    // Activating the diagnostic puts the cursor there (keyboard users reach it with Tab + Enter).
    await diag.focus();
    await page.keyboard.press('Enter');
    const caret = await responseTemplate.evaluate((el) => [document.activeElement === el, el.selectionStart]);
    assert.deepEqual(caret, [true, '{\n  "a": 1,\n  '.length]);
  });
});

test('a share link and an embed link reproduce the same state', async () => {
  let fragment;
  let expected;
  await withPage(browser, { path: '/#preset=lambda-error-regex', name: 'playground-share-source' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
    const r0 = await rev(page);
    await byTestId(page, 'request-path').fill('/dev/pets/share-77');
    await waitForResults(page, { minRev: r0 + 1 });
    await byTestId(page, 'show-HTTP').uncheck();
    await page.waitForFunction(() => !document.querySelector('[data-testid="column-HTTP"]'));
    fragment = await settledHash(page, (s) => s.hidden.includes('HTTP') && s.doc.request.path === '/dev/pets/share-77');
    assert.match(fragment, /^#v1:[A-Za-z0-9_-]+$/);
    expected = {
      statuses: await statuses(page),
      aws: await cellText(page, 'AWS', 'methodResponse'),
      request: await cellText(page, 'AWS_PROXY', 'integrationRequest'),
    };
    assert.equal(expected.statuses.HTTP, undefined);
    const state = decodeState(fragment);
    assert.equal(state.doc.request.path, '/dev/pets/share-77');
    assert.deepEqual(state.hidden, ['HTTP']);
    // The copy buttons do not break anything where the clipboard is refused.
    await byTestId(page, 'copy-link').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="share-message"]')?.textContent.length > 0);
  });
  await withPage(browser, { path: `/${fragment}`, name: 'playground-share-opened' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page, { columns: ['AWS', 'AWS_PROXY', 'HTTP_PROXY', 'MOCK'] });
    assert.equal(await byTestId(page, 'request-path').inputValue(), '/dev/pets/share-77');
    assert.deepEqual(await statuses(page), expected.statuses);
    assert.equal(await cellText(page, 'AWS', 'methodResponse'), expected.aws);
    assert.equal(await cellText(page, 'AWS_PROXY', 'integrationRequest'), expected.request);
    assert.equal(await byTestId(page, 'notice').count(), 0);
  });
  await withPage(browser, { path: `/${fragment}&embed`, name: 'playground-embed' }, async (page) => {
    await page.setViewportSize({ width: 720, height: 900 });
    await waitForApp(page);
    await waitForResults(page, { columns: ['AWS', 'AWS_PROXY', 'HTTP_PROXY', 'MOCK'] });
    assert.ok(await page.locator('.app.embed').count(), 'embed layout');
    assert.equal(await byTestId(page, 'preset-lambda-error-regex').count(), 0, 'no gallery in an embed');
    assert.deepEqual(await statuses(page), expected.statuses);
    assert.equal(await cellText(page, 'AWS', 'methodResponse'), expected.aws);
    const open = await byTestId(page, 'open-in-playground').getAttribute('href');
    const carried = decodeState(new URL(open).hash);
    assert.deepEqual(carried, decodeState(fragment));
    assert.ok(!new URL(open).hash.includes('embed'), 'the playground link is not an embed');
    // An embed never rewrites its own URL or the reader's saved state.
    assert.equal(await page.evaluate(() => location.hash), `${fragment}&embed`);
  });
  await withPage(browser, { path: '/#embed&preset=mock&columns=MOCK,HTTP', name: 'playground-embed-preset' }, async (page) => {
    await page.setViewportSize({ width: 420, height: 800 });
    await waitForApp(page);
    await waitForResults(page, { columns: ['HTTP', 'MOCK'] });
    assert.deepEqual(Object.keys(await statuses(page)), ['HTTP', 'MOCK']);
    assert.equal((await statuses(page)).MOCK, '404');
  });
});

test('an edit made just before leaving the page is saved (the delayed fragment write is flushed on pagehide)', async () => {
  await withPage(browser, { path: '/#preset=mock', name: 'playground-flush' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
    const r0 = await rev(page);
    await byTestId(page, 'request-path').fill('/dev/pets/left-at-once');
    await waitForResults(page, { minRev: r0 + 1 });
    // Leave at once, well within the write delay: without a link, the playground opens the saved state.
    await page.goto(new URL('/', process.env.E2E_BASE_URL).href);
    await waitForApp(page);
    await waitForResults(page);
    assert.equal(await byTestId(page, 'request-path').inputValue(), '/dev/pets/left-at-once');
    assert.equal(await byTestId(page, 'preset-mock').getAttribute('aria-current'), 'true');
  });
});

test('a link opened in the tab right after an edit wins over the delayed write of that edit', async () => {
  await withPage(browser, { path: '/#preset=pets-get', name: 'playground-link-after-edit' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
    const r0 = await rev(page);
    await byTestId(page, 'request-path').fill('/dev/pets/typed-then-left');
    await waitForResults(page, { minRev: r0 + 1 });
    // Within the write delay, a link is opened in this tab (hashchange).
    await page.evaluate(() => {
      location.hash = 'preset=mock';
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="preset-mock"]')?.getAttribute('aria-current') === 'true');
    const hash = await settledHash(page, (s) => s.preset === 'mock');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => location.hash), hash, 'no later write brings the edit back');
    assert.notEqual(decodeState(hash).doc.request.path, '/dev/pets/typed-then-left');
    assert.equal((await statuses(page)).MOCK, '404');
  });
});

test('hostile links render inert; a corrupted link shows a message and the default scenario', async () => {
  // Start from the state the page itself writes, then plant markup and script everywhere text is shown.
  let state;
  await withPage(browser, { path: '/#preset=pets-get', name: 'playground-hostile-source' }, async (page) => {
    await waitForApp(page);
    await waitForResults(page);
    state = decodeState(await settledHash(page));
  });
  const xssHeader = '<script>window.__pwned="header"</script>';
  const xssTemplate = '<img src=x onerror="window.__pwned=\'template\'">';
  const xssBody = '<svg onload="window.__pwned=\'body\'"></svg><script>window.__pwned="body"</script>';
  state.doc.request.headers['X-Evil'] = [xssHeader];
  state.doc.integrations.MOCK.method.methodIntegration.integrationResponses['200'].responseTemplates['application/json'] = xssTemplate;
  state.doc.integrations.HTTP.backend = { http: { status: 200, headers: { 'Content-Type': ['text/html'] }, body: xssBody, isBase64Encoded: false } };
  state.preset = '<b onmouseover=alert(1)>x</b>';
  await withPage(browser, { path: `/#${encodeState(state)}`, name: 'playground-hostile' }, async (page) => {
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss();
    });
    await waitForApp(page);
    await waitForResults(page);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(dialogs, []);
    // Shown as text, never parsed: no element from the payloads exists anywhere in the app.
    assert.equal(await page.locator('.app img, .app svg, .app script, .app b').count(), 0);
    assert.ok((await cellText(page, 'MOCK', 'methodResponse')).includes(xssTemplate));
    assert.ok((await cellText(page, 'HTTP', 'methodResponse')).includes(xssBody));
    const everything = await page.evaluate(() => document.querySelector('.app').textContent);
    assert.ok(everything.includes(xssHeader), 'the header value is shown literally');
  });
  // One tab opens each bad link in turn (a fresh load each time; one page and one screenshot for all,
  // which keeps the suite fast).
  await withPage(browser, { path: '/', name: 'playground-bad-link' }, async (page) => {
    for (const [bad, why] of [
      ['#v1:AAAA', /damaged/],
      ['#v1:' + 'A'.repeat(300_000), /too long/],
      ['#v2:abc', /v2/],
      [`#${encodeState({ doc: { integrations: { '<script>': {} } } })}`, /unknown integration type/],
      ['#preset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', /no preset named/],
    ]) {
      await page.goto('about:blank');
      await page.goto(new URL(bad, process.env.E2E_BASE_URL).href);
      await waitForApp(page);
      await waitForResults(page);
      const notice = await byTestId(page, 'notice').innerText();
      assert.match(notice, why, notice);
      assert.equal(await page.locator('.app img').count(), 0);
      // The default scenario is shown.
      assert.equal(await byTestId(page, 'preset-pets-get').getAttribute('aria-current'), 'true', bad.slice(0, 40));
      assert.deepEqual(Object.keys(await statuses(page)), COLUMNS);
    }
  });
});

test('performance: size, first five-column render, keystroke to update', async () => {
  // 1. Whole page gzipped (wasm + JS + CSS), as served from dist/.
  const dist = path.resolve(REPO_ROOT, process.env.E2E_DIST ?? 'dist');
  let gz = 0;
  const parts = [];
  for (const f of readdirSync(dist)) {
    if (!/\.(wasm|js|css|html)$/.test(f)) continue;
    const n = zlib.gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
    parts.push(`${f} ${(n / 1024).toFixed(1)} KB`);
    gz += n;
  }
  console.log(`# perf: page gzipped ${(gz / 1024).toFixed(1)} KB (${parts.join(', ')})`);

  // 2. Navigation start to the first complete five-column render (median of 5 fresh loads).
  const firsts = [];
  const phases = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const done = () => document.querySelectorAll('[data-testid^="status-"]').length === 5;
      new MutationObserver((_, mo) => {
        if (done()) {
          window.__firstFull = performance.now();
          mo.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(new URL('#preset=pets-get', process.env.E2E_BASE_URL).href);
    await page.waitForFunction(() => window.__firstFull !== undefined, null, { timeout: 10_000 });
    firsts.push(await page.evaluate(() => window.__firstFull));
    // Where the time went: the page's own marks (web/src/browser.rs `mark`) and when the wasm arrived.
    // The integration settings (below the fold) are built in the task after the first render: wait for
    // them too, so the timeline also says when the whole page was complete.
    await page.waitForFunction(() => performance.getEntriesByName('app:settings-render').length > 0, null, { timeout: 10_000 });
    phases.push(
      await page.evaluate(() => {
        const at = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
        const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
        return { 'wasm downloaded': wasm?.responseEnd, ...at };
      }),
    );
    await context.close();
  }
  firsts.sort((a, b) => a - b);
  const firstMedian = firsts[2];
  console.log(`# perf: navigation to first five-column render ${firstMedian.toFixed(1)} ms median (runs: ${firsts.map((x) => x.toFixed(0)).join(', ')})`);
  const phaseNames = [
    'wasm downloaded',
    'app:wasm-started',
    'app:state-ready',
    'app:first-compute',
    'app:results-render',
    'app:first-render',
    'app:settings-render',
  ];
  const medianOf = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    '# perf: start-up timeline, median ms after navigation start: ' +
      phaseNames.map((n) => `${n.replace('app:', '')} ${medianOf(phases.map((p) => p[n] ?? NaN)).toFixed(0)}`).join(', '),
  );

  let keyWorst = Infinity;
  // 3. Keystroke (an input event on the request path) to the five columns updated in the DOM, and to the next frame.
  await withPage(browser, { path: '/#preset=pets-get', name: 'playground-perf' }, async (page) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await waitForApp(page);
    await waitForResults(page);
    const rows = [];
    for (const preset of PRESETS) {
      await byTestId(page, `preset-${preset.name}`).click();
      await waitForResults(page);
      const times = await page.evaluate(async () => {
        const input = document.querySelector('[data-testid="request-path"]');
        const results = document.querySelector('[data-testid="results"]');
        const out = [];
        for (let i = 0; i < 12; i++) {
          const target = Number(results.dataset.rev) + 1;
          const updated = new Promise((resolve) => {
            const mo = new MutationObserver(() => {
              if (Number(results.dataset.rev) >= target) {
                mo.disconnect();
                resolve(performance.now());
              }
            });
            mo.observe(results, { attributes: true });
          });
          const t0 = performance.now();
          // Alternate adding and removing a character so the path stays realistic.
          input.value = i % 2 === 0 ? input.value + 'x' : input.value.slice(0, -1);
          input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
          const t1 = await updated;
          const t2 = await new Promise((r) => requestAnimationFrame(() => r(performance.now())));
          // The simulation's own share, as the page reports it ("computed in N ms").
          const compute = parseFloat(document.querySelector('[data-testid="compute-ms"]')?.textContent.replace(/[^0-9.]/g, '') ?? 'NaN');
          out.push([t1 - t0, t2 - t0, compute]);
          await new Promise((r) => setTimeout(r, 30));
        }
        return out;
      });
      const dom = times.map((t) => t[0]).sort((a, b) => a - b);
      const median = dom[Math.floor(dom.length / 2)];
      const comp = times.map((t) => t[2]).sort((a, b) => a - b);
      const frame = times.map((t) => t[1]).sort((a, b) => a - b);
      rows.push({
        preset: preset.name,
        median,
        max: dom[dom.length - 1],
        compute: comp[Math.floor(comp.length / 2)],
        frame: frame[Math.floor(frame.length / 2)],
        all: times.map((t) => t[0].toFixed(1)).join(' '),
      });
    }
    const worst = Math.max(...rows.map((r) => r.median));
    for (const r of rows) {
      console.log(
        `# perf: keystroke→DOM ${r.preset}: median ${r.median.toFixed(2)} ms, max ${r.max.toFixed(2)} ms; simulation alone median ${r.compute.toFixed(1)} ms; ` +
          `to the next frame median ${r.frame.toFixed(1)} ms; each: ${r.all}`,
      );
    }
    console.log(`# perf: keystroke to updated five columns: worst preset median ${worst.toFixed(2)} ms`);
    keyWorst = worst;
  });
  // Checked last so all three numbers are always measured and printed.
  const load = os.loadavg()[0];
  console.log(`# perf: 1-minute load average during the run: ${load.toFixed(1)} on ${os.cpus().length} cores`);
  const budgets = [
    [keyWorst < 16, `keystroke to update: worst preset median ${keyWorst.toFixed(1)} ms (budget 16 ms)`],
    [firstMedian < 500, `first five-column render: ${firstMedian.toFixed(0)} ms (budget 500 ms)`],
    [gz <= 350 * 1024, `page gzipped: ${(gz / 1024).toFixed(0)} KB (budget 350 KB)`],
  ];
  for (const [ok, what] of budgets) console.log(`# perf budget ${ok ? 'met' : 'NOT MET'}: ${what}`);
  // The budgets are enforced with E2E_PERF_STRICT=1 (on an otherwise idle machine). Without it, only
  // regression guards apply: timings on a shared, loaded CI machine say little, and the page size is known to
  // exceed the budget (docs/playground.md, "Performance").
  if (process.env.E2E_PERF_STRICT === '1') {
    for (const [ok, what] of budgets) assert.ok(ok, what);
  } else {
    assert.ok(gz <= 800 * 1024, `page gzipped grew to ${gz} bytes (regression guard 800 KB)`);
    assert.ok(firstMedian < 10_000 && keyWorst < 2_000, 'the page became unusably slow');
  }
});
