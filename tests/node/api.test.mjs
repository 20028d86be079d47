// The JavaScript API of the npm package, from Node: shapes, errors, compile-once, typings.
// Run: bash scripts/build-npm.sh && node --test tests/node/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fixtures, loadPackage, repoRoot } from './native.mjs';

const api = await loadPackage();
const read = (f) => JSON.parse(readFileSync(path.join(fixtures, f), 'utf8'));

const petCase = {
  template: '{"id": "$input.params(\'id\')", "name": $input.json(\'$.name\'), "stage": "$stageVariables.env"}',
  body: '{"name": "Rex"}',
  contentType: 'application/json',
  params: { path: { id: '42' }, querystring: {}, header: {} },
  stageVariables: { env: 'prod' },
  context: { stage: 'prod' },
};

test('renderTemplate renders a case given as an object', () => {
  const r = api.renderTemplate(petCase);
  assert.deepEqual(r, { output: '{"id": "42", "name": "Rex", "stage": "prod"}' });
});

test('renderTemplate gives the same result for the case as JSON text', () => {
  assert.deepEqual(api.renderTemplate(JSON.stringify(petCase)), api.renderTemplate(petCase));
});

test('compileTemplate renders many inputs without re-parsing, same as renderTemplate', () => {
  const { template, ...input } = petCase;
  const t = api.compileTemplate(template);
  assert.equal(t.hasErrors, false);
  assert.deepEqual(t.diagnostics, []);
  assert.equal(t.source, template);
  assert.deepEqual(t.render(input), api.renderTemplate(petCase));
  const other = t.render({ ...input, params: { path: { id: '7' } }, body: '{"name": "Tom"}' });
  assert.equal(other.output, '{"id": "7", "name": "Tom", "stage": "prod"}');
  assert.deepEqual(t.render(JSON.stringify(input)), t.render(input));
  // No input at all is an empty request (the TypeScript signature makes it optional).
  assert.deepEqual(api.compileTemplate('[$input.body]').render(), api.compileTemplate('[$input.body]').render({}));
  t.free();
});

test('compiled render re-reads every field it can see on each call (no stale cache)', () => {
  const t = api.compileTemplate("$input.params('id')|$input.path('$.n')|$stageVariables.env|$context.stage");
  const input = { body: '{"n": 1}', params: { path: { id: 'a' } }, stageVariables: { env: 'x' }, context: { stage: 's1' } };
  assert.equal(t.render(input).output, 'a|1|x|s1');
  input.params.path.id = 'b';
  assert.equal(t.render(input).output, 'b|1|x|s1');
  input.body = '{"n": 2}';
  assert.equal(t.render(input).output, 'b|2|x|s1');
  input.stageVariables.env = 'y';
  input.context.stage = 's2';
  assert.equal(t.render(input).output, 'b|2|y|s2');
});

test('compiled render notices in-place changes the JSON text would show (key order, NaN, nesting)', () => {
  const t = api.compileTemplate('$input.params().querystring|$context.n|$context.deep.a.b');
  const qs = { a: '1', b: '2' };
  const input = { params: { querystring: qs }, context: { n: 1, deep: { a: { b: [1] } } } };
  assert.equal(t.render(input).output, '{a=1, b=2}|1|[1]');
  delete qs.a;
  qs.a = '1'; // same entries, new order: JSON.stringify writes them differently
  assert.equal(t.render(input).output, '{b=2, a=1}|1|[1]');
  input.context.n = NaN; // stringified as null
  assert.equal(t.render(input).output, '{b=2, a=1}||[1]');
  input.context.n = 2;
  input.context.deep.a.b.push(3);
  assert.equal(t.render(input).output, '{b=2, a=1}|2|[1, 3]');
  input.context.deep.a = new Map(); // not a plain object: stringified as {}
  assert.equal(t.render(input).output, '{b=2, a=1}|2|');
});

test('a context the template cannot name is skipped without changing results or errors', () => {
  const t = api.compileTemplate('$input.json(\'$\')');
  const input = { body: '{"a":1}', context: { huge: 'x'.repeat(100000) } };
  assert.deepEqual(t.render(input), api.renderTemplate({ template: '$input.json(\'$\')', ...input }));
  assert.equal(t.render({ body: '{"a":1}', context: 5 }).output, '{"a":1}');
  // Unknown fields and wrong types are still errors, as in the whole-text route.
  assert.throws(() => t.render({ body: 'x', contxt: {} }), (e) => e.name === 'InputError' && /contxt/.test(e.message));
  assert.throws(() => t.render({ body: 7 }), (e) => e.name === 'InputError' && e.line === undefined);
  assert.throws(() => t.render({ stageVariables: { a: 1 } }), (e) => e.name === 'InputError');
  // Fields the template cannot read are still checked, exactly as the module checks them.
  assert.throws(() => t.render({ params: { headers: {} } }), (e) => e.name === 'InputError' && /headers/.test(e.message));
  assert.throws(() => t.render({ params: { path: null } }), (e) => e.name === 'InputError');
  assert.equal(t.render({ body: '1', params: { path: { a: 'b' }, header: undefined }, stageVariables: {} }).output, '"1"');
  // renderTemplate takes the same route for objects, with the case format's own checks.
  const c = { template: 'x', body: '', context: { big: 'y'.repeat(1000) } };
  assert.deepEqual(api.renderTemplate(c), { output: 'x' });
  assert.throws(() => api.renderTemplate({ ...c, context: 5 }), (e) => e.name === 'InputError' && /context/.test(e.message));
  assert.throws(() => api.renderTemplate({ ...c, tmplate: 'x' }), (e) => e.name === 'InputError' && /tmplate/.test(e.message));
  assert.throws(() => api.renderTemplate({ ...c, params: { header: { A: 1 } } }), (e) => e.name === 'InputError' && e.line === undefined);
  assert.throws(() => api.renderTemplate({ ...c, body: 1 }), (e) => e.name === 'InputError');
});

test('renderTemplate converts a request once across calls, and never renders a stale one', () => {
  // The wrapper sends a case's request only when it differs from the last call's; each result
  // must still equal the whole-text route's (`renderTemplate(JSON text)`), whatever changed.
  const same = (c) => assert.deepEqual(api.renderTemplate(c), api.renderTemplate(JSON.stringify(c)));
  const c = structuredClone(petCase);
  same(c);
  same(c); // same object, unchanged
  c.params.path.id = '43'; // mutated in place: the snapshot comparison sees it
  same(c);
  c.stageVariables.env = 'dev';
  same(c);
  same({ ...c, template: '#set($m = $input.params())$m.path.put("id", "x")$m.path.id' }); // writes its copy
  same({ ...c, template: "$input.params('id')" });
  same({ ...c, template: '$context.stage $stageVariables.env' }); // another set of sections read
  same({ ...c, body: '{"name": "Max"}' });
  same({ ...c, template: "$input.json('$.name')", body: '{"name": "Max"}' });
  // An unreadable request after a good one is reported, and the good one is not reused.
  assert.throws(() => api.renderTemplate({ ...c, params: { path: { id: 5 } } }), (e) => e.name === 'InputError');
  same(c);
  assert.throws(() => api.renderTemplate({ ...c, template: '#if(' }), (e) => e.name === 'TemplateSyntaxError');
  same(c);
});

test('render reports $context.responseOverride values the template set', () => {
  const r = api.renderTemplate({
    template: '#set($context.responseOverride.status = 201)#set($context.responseOverride.header.X-Id = "9")done',
  });
  assert.equal(r.output, 'done');
  assert.deepEqual(r.responseOverride, { header: { 'X-Id': '9' }, status: '201' });
});

test('compiled renders read their output from the module memory, also after it grew', () => {
  // Outputs are read from the wasm memory: non-ASCII text, an output large enough to grow the
  // memory (which detaches earlier views of it), then small ones again.
  const t = api.compileTemplate("#set($n = $input.path('$.n'))$input.params('s')#foreach($i in [1..$n])$input.params('s')#end");
  const one = (s, n) => t.render({ body: JSON.stringify({ n }), params: { path: { s } } }).output;
  assert.equal(one('é😀', 1), 'é😀é😀');
  const big = 'x'.repeat(4096);
  assert.equal(one(big, 900).length, 4096 * 901); // #foreach stops at 1,000 items (spec §7)
  assert.equal(one('ü', 2), 'üüü');
  // Overrides and errors come back whole, as from renderTemplate.
  const o = api.compileTemplate('#set($context.responseOverride.status = 201)ok');
  assert.deepEqual(o.render({}), api.renderTemplate({ template: '#set($context.responseOverride.status = 201)ok' }));
  assert.equal(o.render({}).responseOverride.status, '201');
  const e = api.compileTemplate("$input.path('$.a').substring(5)");
  assert.throws(() => e.render({ body: '{"a": "x"}' }), (x) => x.name === 'TemplateRenderError');
  assert.equal(e.render({ body: '{"a": "0123456"}' }).output, '56');
});

test('a syntax error is thrown as an Error with the engine message, line and column', () => {
  const text = 'first line\n#if($a)\nno end';
  const diags = api.diagnostics(text);
  assert.ok(diags.length > 0, 'an unclosed #if is a syntax error');
  const first = diags.find((d) => d.severity === 'error');
  assert.ok(first.line >= 2, `the error is not on the first line: ${JSON.stringify(first)}`);
  assert.equal(typeof first.column, 'number');
  assert.ok(first.start <= first.end && first.end <= text.length);

  const t = api.compileTemplate(text);
  assert.equal(t.hasErrors, true);
  assert.deepEqual(t.diagnostics, diags);
  for (const run of [() => api.renderTemplate({ template: text }), () => t.render({})]) {
    assert.throws(run, (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'TemplateSyntaxError');
      assert.equal(e.message, first.message);
      assert.equal(e.line, first.line);
      assert.equal(e.column, first.column);
      assert.deepEqual(e.diagnostics, diags);
      return true;
    });
  }
});

test('diagnostics offsets are UTF-16 indices into the JavaScript string', () => {
  const text = '😀😀 #if($a)';
  const d = api.diagnostics(text).find((x) => x.severity === 'error');
  assert.ok(d, 'an unclosed #if is reported');
  // The offsets must point inside the string as JavaScript indexes it (emoji are 2 units each).
  assert.ok(d.start >= 0 && d.end <= text.length, JSON.stringify(d));
  assert.ok(d.start >= 5 || d.line === 1, JSON.stringify(d));
});

test('a body that starts like JSON but does not parse gives API Gateway\'s 400 message', () => {
  assert.throws(() => api.renderTemplate({ template: "$input.json('$')", body: '{"a":' }), (e) => {
    assert.equal(e.name, 'InvalidPayloadError');
    assert.match(e.message, /^Could not process payload/);
    return true;
  });
});

test('an invalid case is an InputError naming the field; JSON text errors have line and column', () => {
  assert.throws(() => api.renderTemplate({ body: 'x' }), (e) => {
    assert.equal(e.name, 'InputError');
    assert.match(e.message, /template/);
    return true;
  });
  assert.throws(() => api.renderTemplate('{"template": "x",\n "bodyy": 1}'), (e) => {
    assert.equal(e.name, 'InputError');
    assert.match(e.message, /bodyy/);
    assert.equal(e.line, 2);
    return true;
  });
  const t = api.compileTemplate('x');
  assert.throws(() => t.render({ params: { header: { A: 1 } } }), (e) => e.name === 'InputError');
});

test('validateScenario accepts a valid scenario and lists problems with their paths', () => {
  assert.deepEqual(api.validateScenario(read('mock-scenario.json')), []);
  const bad = read('mock-scenario.json');
  bad.resources[0].resourceMethods.GET.methodIntegration.type = 'FTP';
  const errors = api.validateScenario(bad);
  assert.ok(errors.length > 0);
  assert.ok(errors.every((e) => typeof e.path === 'string' && typeof e.message === 'string'));
});

test('runScenario returns the result document; invalid ones throw an InputError with every error', () => {
  const r = api.runScenario(read('mock-scenario.json'));
  assert.equal(r.statusCode, 200);
  assert.deepEqual(JSON.parse(r.body), { id: '7', env: 'dev' });
  assert.ok(Array.isArray(r.log));
  assert.deepEqual(api.runScenario(JSON.stringify(read('mock-scenario.json'))), r);
  assert.throws(() => api.runScenario({ restApi: {} }), (e) => {
    assert.equal(e.name, 'InputError');
    assert.ok(Array.isArray(e.errors) && e.errors.length > 0);
    assert.equal(typeof e.path, 'string');
    return true;
  });
  assert.throws(() => api.runScenario('{not json'), (e) => e.name === 'InputError');
});

test('runComparison runs each listed integration type; runAllTypes is the same function', () => {
  const doc = read('comparison.json');
  const r = api.runComparison(doc);
  assert.deepEqual(Object.keys(r).sort(), ['AWS_PROXY', 'MOCK']);
  assert.equal(r.AWS_PROXY.statusCode, 200);
  assert.equal(r.AWS_PROXY.body, '{"id":3}');
  assert.deepEqual(JSON.parse(r.MOCK.body), { id: '3' });
  assert.deepEqual(api.runAllTypes(doc), r);
});

test('index.d.ts declares exactly the functions and classes the module exports', () => {
  const dts = readFileSync(path.join(repoRoot, 'npm/index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]).sort();
  const exported = Object.keys(api).filter((k) => k !== 'default').sort();
  assert.deepEqual([...new Set(declared)].sort(), exported);
  // And the browser entry exports the same names as the Node entry.
  const web = readFileSync(path.join(repoRoot, 'npm/web.mjs'), 'utf8');
  for (const name of exported) assert.match(web, new RegExp(`export (?:function |class |const |(?:const )?\\{[^}]*\\b)${name}\\b`), name);
});

test('version matches package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'npm/package.json'), 'utf8'));
  assert.equal(api.version(), pkg.version);
});
