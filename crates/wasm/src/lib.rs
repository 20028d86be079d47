//! JavaScript API over the simulator core (wasm-bindgen).
//!
//! A thin layer: every function converts its argument at the boundary, calls the
//! target-independent [`core`] (which the native golden test and benchmark call too), and
//! converts the result back. Arguments are plain JavaScript objects (stringified by the
//! JavaScript engine's `JSON.stringify`: one string crosses instead of a call per field) or,
//! equivalently, JSON text; results come back through serde-wasm-bindgen. The package's
//! entries wrap `compileTemplate` and `renderTemplate` (npm/compiled.mjs), which read template
//! inputs on the JavaScript side and call `setInput`/`renderInputOutput` and
//! `setRenderInput`/`renderWithInput`.
//!
//! Errors are thrown as JavaScript `Error`s whose `name` says the kind
//! (`TemplateSyntaxError`, `TemplateRenderError`, `InputError`), whose `message` is the engine's,
//! and which carry `line`/`column` (templates) or `path` (documents), plus `diagnostics` /
//! `errors` with every problem found.

pub mod core;

use crate::core::{ApiError, CaseInput};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The module's memory, where the package's wrapper reads a compiled template's output
/// (`CompiledTemplate.outputPtr`).
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The package version (the workspace version this module was built from).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Renders a template case (the `apigw render` JSON: `template`, `body`, `contentType`,
/// `params`, `stageVariables`, `context`). Returns `{ output, requestOverride?, responseOverride? }`.
#[wasm_bindgen(js_name = renderTemplate)]
pub fn render_template(case: JsValue) -> Result<JsValue, JsValue> {
    // Objects go through `JSON.stringify`, like every other document: one string crosses the
    // boundary instead of a call per field. (The package's wrapper, npm/compiled.mjs, reads
    // plain objects itself and calls `setRenderInput`/`renderWithInput`.) The line/column of an
    // error would point into the stringified text, so they are kept only for text the caller
    // wrote.
    let is_text = case.is_string();
    let text = json_text(&case)?;
    let result = core::render_case_json(&text).map_err(|mut e| {
        if !is_text && e.name == "InputError" {
            e.line = None;
            e.column = None;
        }
        to_js_error(e)
    })?;
    render_result(result)
}

thread_local! {
    /// The input of the package wrapper's `renderTemplate` (npm/compiled.mjs), as the last
    /// `setRenderInput` stored it: calls that render another template against the same request
    /// (a page re-rendering as its template is edited, a loop) convert it once. Parsing is pure
    /// and a prepared input renders exactly like the input it holds, whatever the template
    /// (`gateway::template::render_prepared`).
    static RENDER_INPUT: std::cell::RefCell<Option<core::PreparedInput>> =
        const { std::cell::RefCell::new(None) };
}

/// Stores the input `renderWithInput` renders, from a case object's fields as the package's
/// wrapper read them: the body, and `params`, `stageVariables` and `context` as JSON text (or
/// absent). Returns false, keeping no input, when a field does not parse: the wrapper then hands
/// the case to `renderTemplate` to report it exactly.
#[wasm_bindgen(js_name = setRenderInput)]
pub fn set_render_input(
    body: String,
    content_type: Option<String>,
    params: Option<String>,
    stage_variables: Option<String>,
    context: Option<String>,
) -> bool {
    let input = parse_fields(body, content_type, params, stage_variables, context).ok();
    let stored = input.is_some();
    RENDER_INPUT.with(|slot| *slot.borrow_mut() = input.map(core::PreparedInput::new));
    stored
}

/// Parses `template` and renders it against the input `setRenderInput` stored (an empty request
/// when none is): `renderTemplate` for the package's wrapper. The output text alone when the
/// template set no overrides (the wrapper builds `{ output }`).
#[wasm_bindgen(js_name = renderWithInput)]
pub fn render_with_input(template: String) -> Result<JsValue, JsValue> {
    let compiled = vtl::Template::parse(&template);
    let uses = gateway::template::Uses::of(&template);
    let rendered = RENDER_INPUT.with(|slot| match &*slot.borrow() {
        Some(input) => core::render_prepared(&compiled, uses, &template, input),
        None => core::render_compiled_using(&compiled, uses, &template, &CaseInput::default()),
    });
    output_or_result(rendered.map_err(to_js_error)?)
}

/// Parses `text` once; the returned object renders it many times without re-parsing.
/// Never throws: syntax errors are listed in `diagnostics` and thrown by `render`.
#[wasm_bindgen(js_name = compileTemplate)]
pub fn compile_template(text: String) -> CompiledTemplate {
    let template = vtl::Template::parse(&text);
    CompiledTemplate {
        uses: gateway::template::Uses::of(&text),
        template,
        source: text,
        last_input: std::cell::RefCell::new(None),
        given: std::cell::RefCell::new(None),
        output: std::cell::RefCell::new(String::new()),
        held: std::cell::RefCell::new(None),
    }
}

/// A parsed template (from `compileTemplate`).
#[wasm_bindgen]
pub struct CompiledTemplate {
    template: vtl::Template,
    source: String,
    /// What the template can name (from its text, once).
    uses: gateway::template::Uses,
    /// The last input given to `render`, as JSON text and parsed. Loops that re-render with the
    /// same input skip parsing it again; parsing is pure and rendering builds fresh values from
    /// the parsed input each time, so nothing a render changes can leak into the next one.
    last_input: std::cell::RefCell<Option<(String, core::PreparedInput)>>,
    /// The input given to `setInput`, which `renderInputOutput` renders: the package's JavaScript
    /// wrapper (npm/compiled.mjs) compares inputs on its side of the boundary and sends one only
    /// when it changed. Kept apart from `last_input` so `render` calls cannot change it.
    given: std::cell::RefCell<Option<core::PreparedInput>>,
    /// The output of the last `renderInputOutput`, which the wrapper reads from the module's
    /// memory (`outputPtr`): a render in a loop then costs no string conversion inside the
    /// module and no call back into JavaScript.
    output: std::cell::RefCell<String>,
    /// A result `renderInputOutput` could not hand over as bare text (overrides or an error),
    /// for the `takeResult` call that follows it.
    held: std::cell::RefCell<Option<core::ApiResult<core::RenderResult>>>,
}

/// The template input the package's wrapper read from a plain object (`params`,
/// `stageVariables` and `context` as JSON text, `None` when absent), or the error the
/// whole-text route (`parse_case_input_json`) reports for it.
fn parse_fields(
    body: String,
    content_type: Option<String>,
    params: Option<String>,
    stage_variables: Option<String>,
    context: Option<String>,
) -> core::ApiResult<CaseInput> {
    let mut input = CaseInput {
        body,
        content_type,
        ..CaseInput::default()
    };
    let parsed = (|| -> serde_json::Result<()> {
        if let Some(text) = &params {
            input.params = serde_json::from_str(text)?;
        }
        if let Some(text) = &stage_variables {
            input.stage_variables = serde_json::from_str(text)?;
        }
        if let Some(text) = &context {
            input.context = serde_json::from_str(text)?;
        }
        Ok(())
    })();
    if parsed.is_ok() {
        return Ok(input);
    }
    // Rare: rebuild the document to get the whole-text route's message (without a
    // position, which would point into text the caller never wrote).
    let part = |name: &str, text: &Option<String>| text.as_ref().map(|t| format!("\"{name}\":{t}"));
    let parts: Vec<String> = [
        part("params", &params),
        part("stageVariables", &stage_variables),
        part("context", &context),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut err = match core::parse_case_input_json(&format!("{{{}}}", parts.join(","))) {
        Err(e) => e,
        Ok(_) => Box::new(input_error("invalid template input", "unreadable field")),
    };
    err.line = None;
    err.column = None;
    Err(err)
}

#[wasm_bindgen]
impl CompiledTemplate {
    /// Renders against the rest of a template case (`body`, `params`, `stageVariables`,
    /// `context`, `contentType`), given as an object or as JSON text.
    pub fn render(&self, input: JsValue) -> Result<JsValue, JsValue> {
        // `render()` with no argument: an empty request, as in the TypeScript signature.
        if input.is_undefined() || input.is_null() {
            let empty = CaseInput::default();
            return render_result(
                core::render_compiled_using(&self.template, self.uses, &self.source, &empty)
                    .map_err(to_js_error)?,
            );
        }
        // An object goes through `JSON.stringify` and serde_json: one string crosses the
        // boundary instead of a call per field.
        let text = json_text(&input)?;
        let cached = matches!(&*self.last_input.borrow(), Some((t, _)) if *t == text);
        if !cached {
            let parsed = core::parse_case_input_json(&text).map_err(|mut e| {
                // For objects the line/column would point into the stringified text.
                if !input.is_string() {
                    e.line = None;
                    e.column = None;
                }
                to_js_error(e)
            })?;
            *self.last_input.borrow_mut() = Some((text, core::PreparedInput::new(parsed)));
        }
        let last = self.last_input.borrow();
        let Some((_, input)) = last.as_ref() else {
            return Err(to_js_error(input_error(
                "invalid template input",
                "missing",
            )));
        };
        render_result(
            core::render_prepared(&self.template, self.uses, &self.source, input)
                .map_err(to_js_error)?,
        )
    }

    /// Stores the input `renderInputOutput` renders, from its fields as the wrapper read them:
    /// `params`, `stageVariables` and `context` as JSON text (or absent). Throws an `InputError`
    /// (and keeps the previous input) when one does not parse.
    #[wasm_bindgen(js_name = setInput)]
    pub fn set_input(
        &self,
        body: String,
        content_type: Option<String>,
        params: Option<String>,
        stage_variables: Option<String>,
        context: Option<String>,
    ) -> Result<(), JsValue> {
        let input = parse_fields(body, content_type, params, stage_variables, context)
            .map_err(to_js_error)?;
        *self.given.borrow_mut() = Some(core::PreparedInput::new(input));
        Ok(())
    }

    /// Renders the input stored by `setInput` (an empty request when none was). Returns the
    /// output's length in UTF-8 bytes, to be read from the module's memory at `outputPtr`
    /// before the next call; -2 when the output is the same text as the last one returned
    /// this way (initially the empty text); or -1 when the result is more than text
    /// (overrides, an error), which `takeResult` then returns or throws.
    #[wasm_bindgen(js_name = renderInputOutput)]
    pub fn render_input_output(&self) -> i32 {
        let rendered = match &*self.given.borrow() {
            Some(input) => core::render_prepared(&self.template, self.uses, &self.source, input),
            None => core::render_compiled_using(
                &self.template,
                self.uses,
                &self.source,
                &CaseInput::default(),
            ),
        };
        match rendered {
            // The output limit keeps a render far below 2 GiB; the fallback is for the type.
            Ok(r) if r.request_override.is_none() && r.response_override.is_none() => {
                match i32::try_from(r.output.len()) {
                    // The same text as last time (a render loop over one input): the wrapper
                    // still holds it as a string and need not decode it again.
                    Ok(_) if same_bytes(self.output.borrow().as_bytes(), r.output.as_bytes()) => -2,
                    Ok(len) => {
                        *self.output.borrow_mut() = r.output;
                        len
                    }
                    Err(_) => {
                        *self.held.borrow_mut() = Some(Ok(r));
                        -1
                    }
                }
            }
            other => {
                *self.held.borrow_mut() = Some(other);
                -1
            }
        }
    }

    /// Where the last `renderInputOutput` left its output in the module's memory.
    #[wasm_bindgen(js_name = outputPtr)]
    pub fn output_ptr(&self) -> *const u8 {
        self.output.borrow().as_ptr()
    }

    /// The result `renderInputOutput` held back (it returned -1): `{ output, requestOverride?,
    /// responseOverride? }`, or the error thrown.
    #[wasm_bindgen(js_name = takeResult)]
    pub fn take_result(&self) -> Result<JsValue, JsValue> {
        match self.held.borrow_mut().take() {
            Some(Ok(r)) => render_result(r),
            Some(Err(e)) => Err(to_js_error(e)),
            None => Err(to_js_error(input_error(
                "no held result",
                "renderInputOutput first",
            ))),
        }
    }

    /// The parser's diagnostics: `[{ severity, message, line, column, start, end }]`.
    #[wasm_bindgen(getter)]
    pub fn diagnostics(&self) -> Result<JsValue, JsValue> {
        to_js(&core::diagnostics_of(&self.template, &self.source))
    }

    /// True when `render` would throw a `TemplateSyntaxError`.
    #[wasm_bindgen(getter, js_name = hasErrors)]
    pub fn has_errors(&self) -> bool {
        self.template.has_errors()
    }

    /// The template text.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.source.clone()
    }
}

/// Parses `text` and lists its diagnostics (an empty array for a clean template).
#[wasm_bindgen]
pub fn diagnostics(text: &str) -> Result<JsValue, JsValue> {
    let template = vtl::Template::parse(text);
    to_js(&core::diagnostics_of(&template, text))
}

/// Runs one scenario (the `apigw run` document) and returns the same result as `apigw run`.
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(scenario: JsValue) -> Result<JsValue, JsValue> {
    let json = json_text(&scenario)?;
    to_js(&core::run_scenario(&json).map_err(to_js_error)?)
}

/// Runs one request through every integration type the document lists; returns
/// `{ AWS: result, AWS_PROXY: result, HTTP: ..., HTTP_PROXY: ..., MOCK: ... }`.
#[wasm_bindgen(js_name = runComparison)]
pub fn run_comparison(document: JsValue) -> Result<JsValue, JsValue> {
    let json = json_text(&document)?;
    to_js(&core::run_comparison(&json).map_err(to_js_error)?)
}

/// Another name for `runComparison`.
#[wasm_bindgen(js_name = runAllTypes)]
pub fn run_all_types(document: JsValue) -> Result<JsValue, JsValue> {
    run_comparison(document)
}

/// Checks a scenario without running it: `[{ path, message }]`, empty when valid.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(scenario: JsValue) -> Result<JsValue, JsValue> {
    let json = json_text(&scenario)?;
    to_js(&core::validate_scenario(&json))
}

/// The output as a string when there are no overrides (one value crosses the boundary, and the
/// wrapper makes the object), else the whole result object.
fn output_or_result(r: core::RenderResult) -> Result<JsValue, JsValue> {
    if r.request_override.is_none() && r.response_override.is_none() {
        return Ok(JsValue::from_str(&r.output));
    }
    render_result(r)
}

/// `a == b`, eight bytes at a time: the `memcmp` wasm builds link compares byte by byte, and this
/// comparison runs on every compiled render (a few hundred bytes of output, typically).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (wide_a, wide_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails_equal = wide_a.remainder() == wide_b.remainder();
    tails_equal
        && wide_a.zip(wide_b).all(|(x, y)| {
            u64::from_ne_bytes(x.try_into().unwrap_or_default())
                == u64::from_ne_bytes(y.try_into().unwrap_or_default())
        })
}

/// `{ output, requestOverride?, responseOverride? }`, built field by field: a render in a loop
/// should cost one object and one string, not a serializer's walk.
fn render_result(r: core::RenderResult) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    let set =
        |key: &str, value: &JsValue| js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    set("output", &JsValue::from_str(&r.output))?;
    if let Some(o) = &r.request_override {
        set("requestOverride", &to_js(o)?)?;
    }
    if let Some(o) = &r.response_override {
        set("responseOverride", &to_js(o)?)?;
    }
    Ok(object.into())
}

/// The scenario API of the core takes JSON text; objects are stringified by the JavaScript
/// engine's own `JSON.stringify`, which is faster than walking them from Rust.
fn json_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match js_sys::JSON::stringify(value) {
        Ok(s) => s
            .as_string()
            .ok_or_else(|| to_js_error(input_error("invalid document", "not a JSON value"))),
        Err(e) => {
            let why = js_sys::Error::from(e)
                .message()
                .as_string()
                .unwrap_or_default();
            Err(to_js_error(input_error("invalid document", why)))
        }
    }
}

fn input_error(what: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::input(vec![gateway::api::InputError {
        path: String::new(),
        message: format!("{what}: {why}"),
    }])
}

/// Plain objects (not `Map`s) and numbers (not `BigInt`s): what JSON.parse would give.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
}

fn to_js_error(err: impl Into<Box<ApiError>>) -> JsValue {
    let err: Box<ApiError> = err.into();
    let js = js_sys::Error::new(&err.message);
    js.set_name(err.name);
    let set = |key: &str, value: JsValue| {
        // Reflect.set only fails on frozen or exotic objects; a fresh Error is neither.
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    if let Some(line) = err.line {
        set("line", JsValue::from(line));
    }
    if let Some(column) = err.column {
        set("column", JsValue::from(column));
    }
    if let Some(path) = &err.path {
        set("path", JsValue::from_str(path));
    }
    if !err.diagnostics.is_empty() {
        set(
            "diagnostics",
            to_js(&err.diagnostics).unwrap_or(JsValue::NULL),
        );
    }
    if !err.errors.is_empty() {
        set("errors", to_js(&err.errors).unwrap_or(JsValue::NULL));
    }
    js.into()
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_is_byte_equality() {
        let texts: [&[u8]; 7] = [
            b"",
            b"a",
            b"abcdefgh",
            b"abcdefgi",
            b"abcdefghij",
            b"abcdefghik",
            b"bbcdefghij",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
        let long: Vec<u8> = (0..=255).cycle().take(1003).collect();
        let mut other = long.clone();
        assert!(same_bytes(&long, &other));
        other[1001] ^= 1; // in the tail (1003 = 125 chunks + 3)
        assert!(!same_bytes(&long, &other));
        other[1001] ^= 1;
        other[3] ^= 0x80; // in a full chunk
        assert!(!same_bytes(&long, &other));
    }
}
