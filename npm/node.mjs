// Node.js entry: the `--target nodejs` build (loads its .wasm synchronously), with the same
// exports as the browser entry (web.mjs), including a default `init()` so one piece of code
// (`await init(); renderTemplate(...)`) runs unchanged in both.
import { createRequire } from 'node:module';
import { wrapCompile, wrapRender } from './compiled.mjs';

const require = createRequire(import.meta.url);
const wasm = require('./node/apigw_wasm.js');

export const {
  version,
  diagnostics,
  runScenario,
  runComparison,
  runAllTypes,
  validateScenario,
} = wasm;
export const renderTemplate = wrapRender(wasm.renderTemplate, wasm.setRenderInput, wasm.renderWithInput);
export const { compileTemplate, CompiledTemplate } = wrapCompile(wasm.compileTemplate, wasm.wasmMemory);

/** The module is ready as soon as it is imported in Node; resolves at once. */
export default async function init() {
  return wasm;
}
export const initSync = () => wasm;
