// Runs the browser end-to-end tests against the built playground.
//
//   node tests/e2e/run.mjs [some.test.mjs ...]     (default: every tests/e2e/*.test.mjs)
//
// Serves E2E_DIST (default: dist/ at the repository root, built by `cargo xtask build`) on a
// free loopback port, and the repository root under /repo/ (for static test pages such as
// tests/e2e/pages/*.html and the packages they import). Then runs the test files with
// `node --test`, passing E2E_BASE_URL (dist/) and E2E_REPO_URL (the /repo/ mount). Exits with
// the test runner's status.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const dist = path.resolve(repoRoot, process.env.E2E_DIST ?? 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Files under /repo/ come from the repository root (static test pages and the built npm
 * package); everything else from dist/, with the same rules as `cargo xtask serve`: nothing
 * outside the served folder, extension-less paths get index.html. */
function resolveFile(urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split(/[?#]/)[0]).replace(/^\/+/, '');
  } catch {
    return null;
  }
  const inRepo = rel === 'repo' || rel.startsWith('repo/');
  const root = inRepo ? repoRoot : dist;
  if (inRepo) rel = rel.slice('repo'.length).replace(/^\/+/, '');
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  if (existsSync(full) && statSync(full).isFile()) return full;
  if (!inRepo && path.extname(rel) === '') return path.join(dist, 'index.html');
  return null;
}

function serve() {
  const server = createServer((req, res) => {
    const file = resolveFile(req.url ?? '/');
    if (!file && req.url === '/favicon.ico') {
      // Chromium asks for it on its own; a page that declares no icon is not at fault.
      res.writeHead(204).end();
      return;
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function testFiles() {
  const args = process.argv.slice(2);
  if (args.length > 0) return args.map((a) => path.resolve(a));
  return readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => path.join(here, f));
}

async function main() {
  if (!existsSync(path.join(dist, 'index.html'))) {
    console.error(`error: ${dist}/index.html is missing: build the playground first (\`cargo xtask build\`)`);
    return 1;
  }
  const files = testFiles();
  if (files.length === 0) {
    console.error(`error: no *.test.mjs files in ${here}`);
    return 1;
  }
  const server = await serve();
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  console.log(`serving ${path.relative(repoRoot, dist) || '.'} at ${baseUrl}`);
  try {
    const child = spawn(process.execPath, ['--test', ...files], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, E2E_BASE_URL: baseUrl, E2E_REPO_URL: `${baseUrl}repo/` },
    });
    return await new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      child.on('error', (e) => {
        console.error(`error: could not run node --test: ${e.message}`);
        resolve(1);
      });
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

process.exitCode = await main();
