// `compileTemplate` for both entries (node.mjs, web.mjs): the wasm class behind a thin wrapper
// that reads a plain input object on the JavaScript side and sends it into the module only
// when it differs from the previous one.
//
// Why: a small template renders in a few microseconds, while handing a whole input object to
// wasm (stringify, copy, parse) cost several times that. The wrapper compares the input's
// fields here, where that is cheap, and leaves out fields the template cannot name. It
// never changes a result or an error: anything unusual (unknown fields, a body that is not a
// string, values JSON cannot represent) goes to the module's own `render`, which validates.

const FIELDS = new Set(['body', 'contentType', 'params', 'stageVariables', 'context']);

/**
 * Every key is a field of the template-input format. `for-in` (no array allocated) also lists
 * inherited enumerable keys, which `JSON.stringify` skips: such an input goes the validating
 * route, which renders it just the same.
 */
function knownFields(input) {
  for (const key in input) {
    if (key !== 'body' && key !== 'params' && key !== 'context' && key !== 'stageVariables' && key !== 'contentType') {
      return false;
    }
  }
  return true;
}

/** JSON text of an optional field, `null` when absent, `undefined` when JSON cannot hold it. */
function fieldText(value) {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined; // cycles, BigInt: the module's route reports them
  }
}

/**
 * What a template can read, from its text, by the rule of gateway::template::Uses::of (which
 * the module uses for `$context`): a variable, or the method `$input.params`, is reached only by
 * naming it, or through #evaluate, which can assemble any name at render time.
 */
export function usesOf(template) {
  const any = template.includes('evaluate');
  return {
    params: any || template.includes('params'),
    stageVariables: any || template.includes('stageVariables'),
    context: any || template.includes('context'),
  };
}

/** A plain object (no class, no `toJSON` surprises). */
function plainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Exactly the objects the module reads as a map of strings (`stageVariables`, a params
 * section). `for-in` also checks inherited enumerable keys: stricter, so false only sends the
 * input to the validating route.
 */
function stringMap(v) {
  if (!plainObject(v)) return false;
  for (const key in v) if (typeof v[key] !== 'string') return false;
  return true;
}

/** Exactly the objects the module reads as `params`: `path`, `querystring`, `header` maps. */
function paramsObject(v) {
  if (!plainObject(v)) return false;
  for (const key of Object.keys(v)) {
    if (key !== 'path' && key !== 'querystring' && key !== 'header') return false;
    if (v[key] !== undefined && !stringMap(v[key])) return false;
  }
  return true;
}

/**
 * A snapshot of parsed JSON for [sameJson]: objects become `{ k: keys, v: values }` so a
 * comparison walks two arrays instead of allocating `Object.keys` of the snapshot each time.
 */
function snapshotOf(x) {
  if (Array.isArray(x)) return x.map(snapshotOf);
  if (x !== null && typeof x === 'object') {
    const k = Object.keys(x);
    return { k, v: k.map((key) => snapshotOf(x[key])) };
  }
  return x;
}

/**
 * `value` is written by `JSON.stringify` exactly as the JSON text `snap` was taken from (see
 * [snapshotOf]): plain objects with the same keys in the same order, arrays, strings, finite
 * numbers, booleans and null. False whenever unsure (a class instance, `undefined`, `NaN`, deep
 * nesting): the caller then stringifies, so a false "changed" costs time, never a wrong result.
 */
function sameJson(value, snap, depth) {
  // A snapshot holds no NaN or Infinity (JSON text cannot), so `===` also rejects those.
  if (typeof value !== 'object' || value === null) return value === snap;
  if (typeof snap !== 'object' || snap === null || depth > 16) return false;
  if (Array.isArray(value)) {
    if (!Array.isArray(snap) || value.length !== snap.length) return false;
    for (let i = 0; i < value.length; i++) if (!sameJson(value[i], snap[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(snap) || !plainObject(value)) return false;
  const { k, v } = snap;
  let i = 0;
  // for-in lists own keys in Object.keys order, then inherited enumerable ones (which
  // JSON.stringify skips; they make the count differ, so the caller stringifies).
  for (const key in value) {
    if (i >= k.length || key !== k[i]) return false;
    // Leaves (most entries: strings) compare here, without a call.
    const x = value[key];
    if (x !== v[i] && (typeof x !== 'object' || !sameJson(x, v[i], depth + 1))) return false;
    i++;
  }
  return i === k.length;
}

/**
 * The case's input fields as `[body, contentType, params, stageVariables, context]` (the last
 * three as JSON text or null), or null when something is unusual and the module's own route
 * should validate the input. A field the template cannot read is checked here, exactly as the
 * module would, and not sent (any JSON value is a valid `context`, so it is not even checked).
 * `sent` (optional) is what was sent last ([sentAfter]), with `snaps[i]` the parsed text
 * of `fields[i]`: a field equal to its snapshot reuses the text instead of stringifying again,
 * which was a quarter of a small compiled render.
 */
function inputFields(input, uses, sent = null) {
  const body = input.body === undefined ? '' : input.body;
  const contentType = input.contentType ?? null;
  if (typeof body !== 'string' || (contentType !== null && typeof contentType !== 'string')) return null;
  const params = field(sent, 2, input.params, uses.params, paramsObject);
  const stageVariables = field(sent, 3, input.stageVariables, uses.stageVariables, stringMap);
  const context = field(sent, 4, input.context, uses.context, anyJson);
  if (params === undefined || stageVariables === undefined || context === undefined) return null;
  return [body, contentType, params, stageVariables, context];
}

/** Any JSON value is a valid `context`. */
const anyJson = () => true;

/**
 * One JSON field for [inputFields]: null when absent or not read by the template (after
 * checking it as the module would, `undefined` when invalid), else its JSON text (the text
 * sent last when the value still equals its snapshot).
 */
function field(sent, i, value, used, valid) {
  if (value === undefined) return null;
  if (!used) return valid(value) ? null : undefined;
  const snap = sent === null ? undefined : sent.snaps[i];
  if (snap !== undefined && sameJson(value, snap, 0)) return sent.fields[i];
  return fieldText(value);
}

/**
 * What was sent, `{ fields, snaps, complete }`, after sending `fields` (`prev`: what was sent
 * before). `snaps[i]` is the parsed text of `fields[i]` for [sameJson], taken only once a text
 * came out the same twice in a row: an input that changes on every call then never pays for
 * parsing a snapshot, and a steady one stops being stringified from its third call on.
 * `complete`: no field still waits for its snapshot.
 */
function sentAfter(fields, prev) {
  let complete = true;
  const snaps = fields.map((f, i) => {
    if (i < 2 || f === null) return undefined; // body and content type compare as strings
    if (prev === null || prev.fields[i] !== f) {
      complete = false;
      return undefined;
    }
    return prev.snaps[i] !== undefined ? prev.snaps[i] : snapshotOf(JSON.parse(f));
  });
  return { fields, snaps, complete };
}

/**
 * `renderTemplate` over the module's: a case object's fields are read here and sent only when
 * they differ from the last call's (`rawSetInput`), then the template is parsed and rendered
 * against them (`rawRenderWith`). A page that re-renders as its template is edited, or a loop
 * over one request, converts the request once; the template is parsed on every call.
 */
export function wrapRender(rawRender, rawSetInput, rawRenderWith) {
  let sent = null; // as for CompiledTemplate ([sentAfter])
  return function renderTemplate(c) {
    if (c === null || typeof c !== 'object' || Array.isArray(c) || typeof c.template !== 'string') return rawRender(c);
    for (const key of Object.keys(c)) if (key !== 'template' && !FIELDS.has(key)) return rawRender(c);
    // A case's `context` must be an object (checked even when the template cannot name it).
    const ctx = c.context;
    if (!(ctx === undefined || ctx === null || (typeof ctx === 'object' && !Array.isArray(ctx)))) return rawRender(c);
    const fields = inputFields(c, usesOf(c.template), sent);
    if (fields === null) return rawRender(c);
    if (sent === null || !sameFields(fields, sent.fields)) {
      const prev = sent;
      sent = null;
      if (!rawSetInput(...fields)) return rawRender(c);
      sent = sentAfter(fields, prev);
    } else if (!sent.complete) {
      sent = sentAfter(fields, sent);
    }
    const r = rawRenderWith(c.template);
    return typeof r === 'string' ? { output: r } : r;
  };
}

/** The same five field values (strings compare by value, the rest by identity). */
function sameFields(a, b) {
  for (let i = 0; i < 5; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `compileTemplate` over the module's. `memory` returns the module's `WebAssembly.Memory`
 * (called at the first render: the browser build has none before `init()`).
 */
export function wrapCompile(rawCompile, memory) {
  // A rendered output is read straight from the module's memory: handing it over as a
  // JavaScript string from inside the module (a call back into JavaScript, a table slot for
  // the string) cost more than rendering a small template.
  let bytes = null;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  function readOutput(ptr, length) {
    // A view of a memory that has grown since is detached (length 0): take a new one.
    if (bytes === null || bytes.byteLength === 0) bytes = new Uint8Array(memory().buffer);
    return decoder.decode(bytes.subarray(ptr, ptr + length));
  }

  /** A parsed template (from `compileTemplate`). */
  class CompiledTemplate {
    #raw;
    #uses;
    #sent = null; // [sentAfter]: the five fields as last sent, and their snapshots
    #text = ''; // the module's last output returned as text (its "same again" answer reuses it)

    constructor(raw) {
      this.#raw = raw;
      this.#uses = usesOf(raw.source);
    }

    /** Renders against the rest of a template case, given as an object or as JSON text. */
    render(input) {
      const raw = this.#raw;
      if (input === null || typeof input !== 'object' || Array.isArray(input) || !knownFields(input)) {
        return raw.render(input);
      }
      const sent = this.#sent;
      const fields = inputFields(input, this.#uses, sent);
      if (fields === null) return raw.render(input);
      if (sent === null || !sameFields(fields, sent.fields)) {
        this.#sent = null;
        raw.setInput(...fields); // throws InputError
        this.#sent = sentAfter(fields, sent);
      } else if (!sent.complete) {
        this.#sent = sentAfter(fields, sent);
      }
      // The output's byte length (read from the module's memory), -2 for the same text as the
      // last one, or -1: overrides or an error.
      const length = raw.renderInputOutput();
      if (length === -2) return { output: this.#text };
      if (length < 0) return raw.takeResult();
      this.#text = readOutput(raw.outputPtr(), length);
      return { output: this.#text };
    }

    /** The parser's diagnostics: `[{ severity, message, line, column, start, end }]`. */
    get diagnostics() {
      return this.#raw.diagnostics;
    }

    /** True when `render` would throw a `TemplateSyntaxError`. */
    get hasErrors() {
      return this.#raw.hasErrors;
    }

    /** The template text. */
    get source() {
      return this.#raw.source;
    }

    /** Frees the wasm memory now (it is also freed when this object is garbage-collected). */
    free() {
      this.#raw.free();
    }
  }

  /** Parses `text` once; the returned object renders it many times without re-parsing. */
  function compileTemplate(text) {
    return new CompiledTemplate(rawCompile(text));
  }

  return { CompiledTemplate, compileTemplate };
}
