// Builds the benchmark table from the JSON lines bench/run.sh collected.
// Usage: node bench/report.mjs bench/results/latest.jsonl [--markdown]
import { readFileSync } from 'node:fs';

const [file = 'bench/results/latest.jsonl'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l));

// One engine, mode and case measured in several rounds (separate processes, bench/run.sh's
// BENCH_ROUNDS): the median of the rounds' rates. A Node process runs the same code at a rate that
// is steady within the process but differs between processes by up to 1.9x on this machine (the
// whole profile slower alike), for both engines; one process per engine would make the ratio a
// draw between two such rates.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};
const get = (engine, mode, c) => median(rows.filter((r) => r.engine === engine && r.mode === mode && r.case === c).map((r) => r.rps));
const rounds = Math.max(1, ...rows.filter((r) => r.engine === 'wasm').map((r) => r.round ?? 1));
const cases = [...new Set(rows.map((r) => r.case))];
const fmt = (n) => (n === undefined ? '—' : n.toLocaleString('en-US'));
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}x`);

const header = [
  'case',
  'native once', 'native each',
  'wasm once', 'wasm each',
  'velocityjs once', 'velocityjs each',
  'Velocity 1.7 once', 'Velocity 1.7 each',
  'wasm/vjs once', 'wasm/vjs each',
  'native/V1.7 once', 'native/V1.7 each',
];
const table = [header];
const misses = [];
for (const c of cases) {
  const v = (e, m) => get(e, m, c);
  table.push([
    c,
    fmt(v('native', 'once')), fmt(v('native', 'each')),
    fmt(v('wasm', 'once')), fmt(v('wasm', 'each')),
    fmt(v('velocityjs', 'once')), fmt(v('velocityjs', 'each')),
    fmt(v('velocity-1.7', 'once')), fmt(v('velocity-1.7', 'each')),
    ratio(v('wasm', 'once'), v('velocityjs', 'once')), ratio(v('wasm', 'each'), v('velocityjs', 'each')),
    ratio(v('native', 'once'), v('velocity-1.7', 'once')), ratio(v('native', 'each'), v('velocity-1.7', 'each')),
  ]);
  for (const m of ['once', 'each']) {
    const w = v('wasm', m), j = v('velocityjs', m), n = v('native', m), jv = v('velocity-1.7', m);
    if (w !== undefined && j !== undefined && w < 3 * j) misses.push(`${c} (${m}): wasm ${ratio(w, j)} velocityjs, target 3x`);
    if (n !== undefined && jv !== undefined && n < jv) misses.push(`${c} (${m}): native ${ratio(n, jv)} Velocity 1.7, target 1x`);
  }
}

if (process.argv.includes('--markdown')) {
  const line = (r) => `| ${r.join(' | ')} |`;
  console.log(line(header));
  console.log(line(header.map((_, i) => (i === 0 ? '---' : '---:'))));
  for (const r of table.slice(1)) console.log(line(r));
} else {
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log(r.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  '));
}
console.log(
  `\nrenders per second, median of 3 runs after a warm-up` +
    (rounds > 1 ? `; wasm and velocityjs: median over ${rounds} rounds (separate Node processes, both engines in each)` : '') +
    '; ratios of those medians',
);
console.log(misses.length ? `targets missed:\n  ${misses.join('\n  ')}` : 'targets met on every case measured');
