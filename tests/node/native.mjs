// Shared helpers for the Node tests (and the browser test in tests/e2e/): where things are, and
// the native side of the golden cross-check, which runs the `apigw` command-line program (the
// same Rust core compiled natively) on the very same documents the JavaScript API gets.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtures = path.join(repoRoot, 'tests/node/fixtures');

/** The shared benchmark folder (read in place, never copied): ../shared/bench from the repo root. */
export const benchDir = path.resolve(repoRoot, process.env.APIGW_BENCH_DIR ?? '../shared/bench');

/** The benchmark template cases, `[{ name, file, case }]` (empty when the folder is absent). */
export function benchCases() {
  const dir = path.join(benchDir, 'cases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), file: path.join(dir, f), case: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) }));
}

/** Our own template cases (tests/node/fixtures/template-cases.json), written to files for the CLI. */
export function fixtureCases() {
  const list = JSON.parse(readFileSync(path.join(fixtures, 'template-cases.json'), 'utf8'));
  const dir = mkdtempSync(path.join(tmpdir(), 'apigw-cases-'));
  return list.map(({ name, case: c }) => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(c));
    return { name, file, case: c };
  });
}

/** Scenario documents: our fixtures plus examples/scenarios/*.json when present. */
export function scenarioFiles() {
  const out = ['mock-scenario.json', 'lambda-scenario.json'].map((f) => path.join(fixtures, f));
  const examples = path.join(repoRoot, 'examples/scenarios');
  if (existsSync(examples)) {
    for (const f of readdirSync(examples).sort()) if (f.endsWith('.json')) out.push(path.join(examples, f));
  }
  return out;
}

let cliPath;
/** The native `apigw` binary: $APIGW_BIN, or built (debug) with cargo into the usual target dir. */
export function apigwBinary() {
  if (cliPath) return cliPath;
  if (process.env.APIGW_BIN) return (cliPath = process.env.APIGW_BIN);
  const out = execFileSync('cargo', ['build', '-q', '-p', 'apigw', '--message-format=json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.target?.name === 'apigw' && msg.executable) cliPath = msg.executable;
  }
  if (!cliPath) throw new Error('cargo did not report the apigw executable');
  return cliPath;
}

/** `apigw ARGS...`: `{ status, stdout, stderr }`. */
export function apigw(...args) {
  const r = spawnSync(apigwBinary(), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Native rendering of a case file: `{ ok: true, output }` or `{ ok: false, stderr }`. */
export function nativeRender(file) {
  const r = apigw('render', file);
  return r.status === 0 ? { ok: true, output: r.stdout } : { ok: false, stderr: r.stderr };
}

/** Native scenario run (`--compare` for comparison documents): the parsed JSON, or `{ error }`. */
export function nativeRun(file, { compare = false } = {}) {
  const r = apigw('run', ...(compare ? ['--compare'] : []), file);
  return r.status === 0 ? JSON.parse(r.stdout) : { error: r.stderr.trim() };
}

/** The Node build of the package, or a clear failure telling how to build it. */
export async function loadPackage() {
  const entry = path.join(repoRoot, 'npm/node/apigw_wasm.js');
  if (!existsSync(entry)) throw new Error('the npm package is not built: run `bash scripts/build-npm.sh` first');
  return import(path.join(repoRoot, 'npm/node.mjs'));
}
