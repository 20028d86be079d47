// A/B of template rendering between builds of the npm package, with velocityjs, in one Node
// process: CPU time per call (process.cpuUsage, so other jobs on a busy machine do not count),
// the minimum of 7 interleaved runs of 60 ms.
//
//   node bench/ab.mjs path/to/npm-a/node.mjs path/to/npm-b/node.mjs ...
//   Env: CASES (comma-separated case names), APIGW_BENCH_DIR (default ../shared/bench).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { velocityContext } from './velocityjs-shim.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, '..', process.env.APIGW_BENCH_DIR ?? '../shared/bench');
const req = createRequire(import.meta.url);
const velocity = req('velocityjs');
const mods = await Promise.all(process.argv.slice(2).map(async (m) => [m, await import(path.resolve(m))]));
const cases = (process.env.CASES ?? 'tiny,petstore,strings,conditions,large-array').split(',');

function time(fn, ms = 60) {
  let n = 0;
  const start = process.cpuUsage();
  const wall = performance.now();
  while (performance.now() - wall < ms) {
    for (let i = 0; i < 5; i++) fn();
    n += 5;
  }
  const d = process.cpuUsage(start);
  return (d.user + d.system) / n;
}

for (const name of cases) {
  const c = JSON.parse(readFileSync(path.join(benchDir, 'cases', `${name}.json`), 'utf8'));
  const { template, ...input } = c;
  const fns = {};
  mods.forEach(([m, api], i) => {
    const compiled = api.compileTemplate(template);
    fns[`#${i} once`] = () => compiled.render(input);
    fns[`#${i} each`] = () => api.renderTemplate(c);
  });
  const vc = new velocity.Compile(velocity.parse(template));
  fns['velocityjs once'] = () => vc.render(velocityContext(c));
  fns['velocityjs each'] = () => velocity.render(template, velocityContext(c));
  const best = {};
  for (let r = 0; r < 7; r++) for (const [k, f] of Object.entries(fns)) best[k] = Math.min(best[k] ?? Infinity, time(f));
  console.log(name, Object.entries(best).map(([k, v]) => `${k}=${v.toFixed(1)}µs`).join('  '));
}
