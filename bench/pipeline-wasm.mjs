// The request pipeline through the JS API in Node (the npm package from scripts/build-npm.sh):
// typical example scenarios, and a 10 MB body through the Lambda proxy event.
// Run: bash scripts/build-npm.sh && node bench/pipeline-wasm.mjs
import * as api from '../npm/node.mjs';
import fs from 'node:fs';

const example = (name) =>
  JSON.parse(fs.readFileSync(new URL(`../examples/scenarios/${name}.json`, import.meta.url), 'utf8'));
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const name of ['lambda-request-template', 'proxy-event', 'http-custom', 'http-proxy', 'mock-status-selection']) {
  const doc = example(name);
  for (let i = 0; i < 100; i++) api.runScenario(doc);
  const times = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    api.runScenario(doc);
    times.push(performance.now() - t);
  }
  console.log(`${name.padEnd(26)} median ${(median(times) * 1000).toFixed(0)} µs`);
}

/** Median milliseconds of five runs of `doc`, which must answer `status`. */
function median10mb(doc, status) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = api.runScenario(doc);
    times.push(performance.now() - t);
    if (r.statusCode !== status) throw new Error(`unexpected status ${r.statusCode}`);
  }
  return median(times).toFixed(1);
}

const doc = example('proxy-event');
doc.request.body = 'x'.repeat(10 * 1024 * 1024 - 16);
console.log(`10 MB body, AWS_PROXY event    median ${median10mb(doc, 201)} ms`);

// A 10 MB JSON body through an HTTP integration whose request template is `$input.body`
// (the same scenario as the native bench_pipeline's "passthrough template").
{
  const doc = example('http-custom');
  const method = doc.resources[0].resourceMethods.GET;
  doc.resources[0].resourceMethods = { POST: { ...method, httpMethod: 'POST' } };
  method.methodIntegration.httpMethod = 'POST';
  method.methodIntegration.requestTemplates = { 'application/json': '$input.body' };
  doc.request = { method: 'POST', path: '/dev/pets/42', headers: { 'Content-Type': ['application/json'] } };
  doc.request.body = `{"data": "${'abcdefghij'.repeat(Math.floor((10 * 1024 * 1024 - 16) / 10))}"}`;
  console.log(`10 MB body, HTTP $input.body template median ${median10mb(doc, 404)} ms`);
}
