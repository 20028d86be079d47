// Type declarations for apigw-sim (the same for the browser build and the Node.js build).

/** Request parameters as `$input.params()` sees them (one value per name). */
export interface Params {
  path?: Record<string, string>;
  querystring?: Record<string, string>;
  header?: Record<string, string>;
}

/** What one rendering sees: a template case without its `template` (the `apigw render` format). */
export interface TemplateInput {
  /** The payload as text (`$input.body`, `$input.json(...)`, `$input.path(...)`). */
  body?: string;
  /** Accepted for parity with `apigw render` files; rendering does not depend on it. */
  contentType?: string;
  params?: Params;
  stageVariables?: Record<string, string>;
  /** `$context` values, laid over the simulator's defaults key by key (objects merge). */
  context?: Record<string, unknown>;
}

/** A template case: exactly the JSON `apigw render CASE.json` reads. */
export interface TemplateCase extends TemplateInput {
  template: string;
}

/** The `$context.requestOverride` / `$context.responseOverride` values a template set. */
export interface Overrides {
  header?: Record<string, string>;
  path?: Record<string, string>;
  querystring?: Record<string, string>;
  status?: string;
}

export interface RenderResult {
  output: string;
  /** Present when the template set any `$context.requestOverride.*`. */
  requestOverride?: Overrides;
  /** Present when the template set any `$context.responseOverride.*`. */
  responseOverride?: Overrides;
}

/** A parser diagnostic. `line`/`column` are 1-based (characters); `start`/`end` are UTF-16
 * offsets into the template text (JavaScript string indices). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
  start: number;
  end: number;
}

/** A problem with a document, naming the field (`resources[0].path`). */
export interface InputError {
  path: string;
  message: string;
}

/** What the functions throw: a real `Error` with these extra properties.
 * - `TemplateSyntaxError`: the template does not parse (`line`, `column`, `diagnostics`).
 * - `TemplateRenderError`: rendering stopped (a method failed, a limit was reached): `line`, `column`.
 * - `InvalidPayloadError`: `$input.path`/`$input.json` met a body that is not JSON; the message
 *   is the text API Gateway answers with (status 400).
 * - `InputError`: the case or scenario document is invalid (`path`, `errors`, and `line`/`column`
 *   for JSON text). */
export interface ApiError extends Error {
  name: 'TemplateSyntaxError' | 'TemplateRenderError' | 'InvalidPayloadError' | 'InputError';
  line?: number;
  column?: number;
  path?: string;
  diagnostics?: Diagnostic[];
  errors?: InputError[];
}

/** A scenario: the document `apigw run SCENARIO.json` reads (API definition, stage, request). */
export type Scenario = Record<string, unknown>;

/** The result of one request: the same document `apigw run` prints. */
export interface ScenarioResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  integrationRequest?: unknown;
  integrationResponse?: unknown;
  log?: unknown;
  trace?: unknown;
  [key: string]: unknown;
}

export type IntegrationType = 'AWS' | 'AWS_PROXY' | 'HTTP' | 'HTTP_PROXY' | 'MOCK';

/** One result per integration type present in the document. */
export type ComparisonResult = Partial<Record<IntegrationType, ScenarioResult>>;

/** A parsed template (from `compileTemplate`). Free it with `free()` when done, or let the
 * garbage collector do it. */
export class CompiledTemplate {
  private constructor();
  /** Renders against the rest of a template case (an object or JSON text). Throws `ApiError`. */
  render(input?: TemplateInput | string): RenderResult;
  /** The parser's diagnostics (empty for a clean template). */
  readonly diagnostics: Diagnostic[];
  /** True when `render` would throw a `TemplateSyntaxError`. */
  readonly hasErrors: boolean;
  /** The template text. */
  readonly source: string;
  free(): void;
}

/** The package version. */
export function version(): string;
/** Parses and renders a template case (object or JSON text). Throws `ApiError`. */
export function renderTemplate(templateCase: TemplateCase | string): RenderResult;
/** Parses a template once; `render(input)` renders it many times. Never throws. */
export function compileTemplate(text: string): CompiledTemplate;
/** The parser's diagnostics for `text` (empty for a clean template). */
export function diagnostics(text: string): Diagnostic[];
/** Runs a scenario (object or JSON text). Throws `ApiError` (`InputError`) for invalid documents. */
export function runScenario(scenario: Scenario | string): ScenarioResult;
/** Runs one request through every integration type the document lists. */
export function runComparison(document: Scenario | string): ComparisonResult;
/** Another name for `runComparison`. */
export function runAllTypes(document: Scenario | string): ComparisonResult;
/** Checks a scenario without running it; empty when valid. */
export function validateScenario(scenario: Scenario | string): InputError[];

/** Where to load the .wasm from (browser build): a URL, a Response, bytes or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the module. Required once before any other call in the browser build (resolves at once
 * in Node). Pass `{ module_or_path }` to load the .wasm from somewhere else. */
export default function init(
  options?: { module_or_path?: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;
/** Synchronous variant of `init` for bytes or a compiled module already at hand. */
export function initSync(options: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): unknown;
