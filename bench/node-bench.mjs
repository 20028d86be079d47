// Renders per second of every ../shared/bench case through the wasm package (compiled once /
// parsed each time) and through velocityjs in the same Node process. Prints one JSON line per
// measurement: {"engine","mode","case","rps","runs":[...]} (bench/run.sh builds the table).
//
// Env: APIGW_BENCH_DIR (default ../shared/bench from the repo root), BENCH_MS (one timed run,
// default 400), BENCH_CASES (comma-separated names to run only those), BENCH_ROUND (a label).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { velocityContext } from './velocityjs-shim.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const benchDir = path.resolve(repoRoot, process.env.APIGW_BENCH_DIR ?? '../shared/bench');
const RUN_MS = Number(process.env.BENCH_MS ?? 400);
const only = process.env.BENCH_CASES?.split(',');

const require = createRequire(import.meta.url);
const velocity = require('velocityjs');
const api = await import(path.join(repoRoot, 'npm/node.mjs'));

/** Renders per second of `fn` over about `ms` milliseconds. */
function rate(fn, ms) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/**
 * Warm up until the rate settles, then 3 timed runs of RUN_MS each; the median renders per
 * second. V8 first runs code (JavaScript and wasm alike) with a baseline tier and compiles hot
 * functions with its optimizing tier in background threads: on a busy machine that can take
 * longer than a fixed warm-up, and a run then measured the baseline code (a first run 10-20x
 * slower than the next was seen for a wasm case at load 5 on 2 cores). So after RUN_MS/2 the
 * warm-up goes on in 50 ms windows until one is no faster than 1.03x the best before it (at
 * most 5 s).
 */
function measure(fn) {
  const deadline = performance.now() + RUN_MS / 2;
  while (performance.now() < deadline) for (let i = 0; i < 10; i++) fn();
  const giveUp = performance.now() + 5000;
  let best = rate(fn, 50);
  while (performance.now() < giveUp) {
    const r = rate(fn, 50);
    if (r <= best * 1.03) break;
    best = r;
  }
  const runs = [];
  for (let r = 0; r < 3; r++) runs.push(Math.round(rate(fn, RUN_MS)));
  const sorted = [...runs].sort((a, b) => a - b);
  return { rps: sorted[1], runs };
}

// BENCH_ROUND: which of bench/run.sh's rounds (separate Node processes) this is.
const round = Number(process.env.BENCH_ROUND ?? 1);
const emit = (engine, mode, name, m) => console.log(JSON.stringify({ engine, mode, case: name, round, ...m }));

const files = readdirSync(path.join(benchDir, 'cases')).filter((f) => f.endsWith('.json')).sort();

// Two warm-up passes over every case and both engines before the first measurement: V8 compiles
// hot code with its optimizing tier in background threads, and on a busy machine the first
// case measured otherwise ran on baseline code for a whole run (conditions: 3,654 renders/s,
// then 57,165 and 75,807 in the same measurement at load 4 on 2 cores).
// The cases to run: `{ name, c }` (c = the template case as read).
const cases = files
  .map((f) => ({ name: f.replace(/\.json$/, ''), file: f }))
  .filter(({ name }) => !only || only.includes(name))
  .map(({ name, file }) => ({ name, c: JSON.parse(readFileSync(path.join(benchDir, 'cases', file), 'utf8')) }));

for (let pass = 0; pass < 2; pass++) {
  for (const { c } of cases) {
    const { template, ...input } = c;
    const compiled = api.compileTemplate(template);
    const vcompiled = new velocity.Compile(velocity.parse(template));
    const until = performance.now() + RUN_MS / 4;
    while (performance.now() < until) {
      try {
        compiled.render(input);
        vcompiled.render(velocityContext(c));
      } catch {
        break; // reported by the measurement below
      }
    }
    compiled.free();
  }
}

for (const { name, c } of cases) {
  const { template, ...input } = c;

  // Our API: the caller hands over plain objects, as a page would.
  const compiled = api.compileTemplate(template);
  compiled.render(input); // fail fast (throws) before timing anything
  emit('wasm', 'once', name, measure(() => compiled.render(input)));
  emit('wasm', 'each', name, measure(() => api.renderTemplate(c)));
  compiled.free();

  // velocityjs: the context (with $input's lazily parsed body) is built per render, as
  // serverless-offline does per request.
  const asts = velocity.parse(template);
  const vcompiled = new velocity.Compile(asts);
  let ok = true;
  try {
    vcompiled.render(velocityContext(c));
  } catch (e) {
    ok = false;
    console.error(`velocityjs cannot render ${name}: ${e.message}`);
  }
  if (ok) {
    emit('velocityjs', 'once', name, measure(() => vcompiled.render(velocityContext(c))));
    emit('velocityjs', 'each', name, measure(() => velocity.render(template, velocityContext(c))));
  }
}
