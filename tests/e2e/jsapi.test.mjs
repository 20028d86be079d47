// The npm package's browser build in a plain static page (tests/e2e/pages/jsapi.html, one
// <script type="module">), in headless Chromium: the page works as a person uses it, and the same
// template cases and scenarios give identical results natively (the apigw CLI) and in the browser.
// Screenshot: artifacts/screenshots/jsapi.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, withPage, REPO_URL } from './lib.mjs';
import { benchCases, fixtureCases, fixtures, nativeRender, nativeRun, scenarioFiles } from '../node/native.mjs';

const PAGE = `${REPO_URL}tests/e2e/pages/jsapi.html`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
}

test('the static page renders as the template and the input are edited', async () => {
  await withPage(browser, { path: PAGE, name: 'jsapi' }, async (page) => {
    await ready(page);
    const output = page.getByTestId('output');
    assert.equal(await output.innerText(), '{"id": "42", "name": "Rex", "stage": "prod"}');

    // Typing in the input re-renders (the template stays compiled).
    const input = page.getByTestId('input');
    await input.fill('{"body": "{\\"name\\": \\"Tom\\"}", "params": {"path": {"id": "7"}}}');
    assert.match(await output.innerText(), /^\{"id": "7", "name": "Tom", "stage": "[^"]*"\}$/);

    // A syntax error shows the engine's message with its line and column.
    await page.getByTestId('template').fill('ok\n#if($a)\nno end');
    const text = await output.innerText();
    assert.match(text, /^TemplateSyntaxError: .+ \(line \d+, column \d+\)$/);
  });
});

test('golden: template cases render identically natively and in the browser', async () => {
  const cases = [...benchCases(), ...fixtureCases()];
  assert.ok(cases.length >= 6, `found ${cases.length} cases`);
  await withPage(browser, { path: PAGE, name: 'jsapi-golden' }, async (page) => {
    await ready(page);
    const inBrowser = await page.evaluate((list) => {
      const run = (fn) => {
        try {
          return { ok: true, output: fn() };
        } catch (e) {
          return { ok: false, name: e.name, message: e.message, isError: e instanceof Error };
        }
      };
      return list.map((c) => {
        const { template, ...input } = c;
        const compiled = window.apigw.compileTemplate(template);
        const r = { once: run(() => window.apigw.renderTemplate(c).output), compiled: run(() => compiled.render(input).output) };
        compiled.free();
        return r;
      });
    }, cases.map((c) => c.case));
    cases.forEach(({ name, file }, i) => {
      const native = nativeRender(file);
      const { once, compiled } = inBrowser[i];
      assert.equal(once.ok, native.ok, `${name}: native ${JSON.stringify(native)} vs browser ${JSON.stringify(once)}`);
      assert.deepEqual(compiled, once, `${name}: compileTemplate().render differs from renderTemplate`);
      if (native.ok) assert.equal(once.output, native.output, name);
      else {
        assert.ok(once.isError, `${name}: the browser threw a non-Error`);
        assert.ok(native.stderr.includes(once.message), `${name}: ${native.stderr} lacks ${once.message}`);
      }
    });
  });
});

test('golden: scenarios and the comparison run identically natively and in the browser', async () => {
  const files = scenarioFiles();
  const docs = files.map((f) => readFileSync(f, 'utf8'));
  const comparison = readFileSync(path.join(fixtures, 'comparison.json'), 'utf8');
  await withPage(browser, { path: PAGE, name: 'jsapi-scenarios' }, async (page) => {
    await ready(page);
    const got = await page.evaluate(
      ({ docs, comparison }) => {
        const run = (fn) => {
          try {
            return fn();
          } catch (e) {
            return { error: `${e.name}: ${e.message}` };
          }
        };
        return {
          scenarios: docs.map((d) => run(() => window.apigw.runScenario(JSON.parse(d)))),
          comparison: run(() => window.apigw.runComparison(JSON.parse(comparison))),
        };
      },
      { docs, comparison },
    );
    files.forEach((f, i) => {
      const native = nativeRun(f);
      if (native.error) assert.ok(got.scenarios[i].error, `${path.basename(f)} runs in the browser but not natively`);
      else assert.deepEqual(got.scenarios[i], native, path.basename(f));
    });
    assert.deepEqual(got.comparison, nativeRun(path.join(fixtures, 'comparison.json'), { compare: true }));
  });
});
