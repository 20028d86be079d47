// Browser and bundler entry: the `--target web` build. Call the default export `init()` once
// (it fetches and compiles web/apigw_wasm_bg.wasm), then use the functions.
import init, {
  initSync,
  version,
  renderTemplate as renderRaw,
  setRenderInput,
  renderWithInput,
  compileTemplate as compileRaw,
  diagnostics,
  runScenario,
  runComparison,
  runAllTypes,
  validateScenario,
  wasmMemory,
} from './web/apigw_wasm.js';
import { wrapCompile, wrapRender } from './compiled.mjs';

export default init;
export { initSync, version, diagnostics, runScenario, runComparison, runAllTypes, validateScenario };
export const renderTemplate = wrapRender(renderRaw, setRenderInput, renderWithInput);
export const { compileTemplate, CompiledTemplate } = wrapCompile(compileRaw, wasmMemory);
