// Browser and bundler entry: the `--target web` build. Call the default export `init()` once
// (it fetches and compiles web/apigw_wasm_bg.wasm), then use the functions.
import init, {
  initSync,
  version,
  renderTemplate,
  compileTemplate as compileRaw,
  diagnostics,
  runScenario,
  runComparison,
  runAllTypes,
  validateScenario,
} from './web/apigw_wasm.js';
import { wrapCompile } from './compiled.mjs';

export default init;
export { initSync, version, renderTemplate, diagnostics, runScenario, runComparison, runAllTypes, validateScenario };
export const { compileTemplate, CompiledTemplate } = wrapCompile(compileRaw);
