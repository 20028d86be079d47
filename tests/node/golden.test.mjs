// Golden cross-check: the same documents give identical results natively (the `apigw` CLI,
// built from the same Rust core) and through the JavaScript API in Node. The browser half is
// tests/e2e/jsapi.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { benchCases, fixtureCases, fixtures, loadPackage, nativeRender, nativeRun, scenarioFiles } from './native.mjs';

const api = await loadPackage();

function wasmRender(c) {
  try {
    return { ok: true, output: api.renderTemplate(c).output };
  } catch (e) {
    return { ok: false, name: e.name, message: e.message };
  }
}

const cases = [...benchCases(), ...fixtureCases()];

test('there are cases to compare (../shared/bench or $APIGW_BENCH_DIR, and tests/node/fixtures)', () => {
  assert.ok(cases.length >= 6, `found ${cases.length} cases`);
});

for (const { name, file, case: c } of cases) {
  test(`render ${name}: native apigw render == renderTemplate == compileTemplate().render`, () => {
    const native = nativeRender(file);
    const wasm = wasmRender(c);
    assert.equal(wasm.ok, native.ok, `native ${JSON.stringify(native)} vs wasm ${JSON.stringify(wasm)}`);
    if (native.ok) {
      assert.equal(wasm.output, native.output);
      const { template, ...input } = c;
      assert.equal(api.compileTemplate(template).render(input).output, native.output);
    } else {
      // The CLI prints `file:line:col: ... message`; the JS error carries the same message.
      assert.ok(native.stderr.includes(wasm.message), `native stderr ${native.stderr} lacks ${wasm.message}`);
    }
  });
}

for (const file of scenarioFiles()) {
  test(`run ${path.basename(file)}: native apigw run == runScenario`, () => {
    const native = nativeRun(file);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    if (native.error) {
      assert.throws(() => api.runScenario(doc));
    } else {
      assert.deepEqual(api.runScenario(doc), native);
    }
  });
}

test('run --compare comparison.json: native == runComparison', () => {
  const file = path.join(fixtures, 'comparison.json');
  const native = nativeRun(file, { compare: true });
  assert.equal(native.error, undefined, native.error);
  assert.deepEqual(api.runComparison(JSON.parse(readFileSync(file, 'utf8'))), native);
});
