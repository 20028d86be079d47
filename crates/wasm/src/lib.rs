//! JavaScript API over the simulator core (wasm-bindgen).
//!
//! A thin layer: every function converts its argument at the boundary, calls the
//! target-independent [`core`] (which the native golden test and benchmark call too), and
//! converts the result back. Arguments are plain JavaScript objects (read with
//! serde-wasm-bindgen, no JSON round trip) or, equivalently, JSON text.
//!
//! Errors are thrown as JavaScript `Error`s whose `name` says the kind
//! (`TemplateSyntaxError`, `TemplateRenderError`, `InputError`), whose `message` is the engine's,
//! and which carry `line`/`column` (templates) or `path` (documents), plus `diagnostics` /
//! `errors` with every problem found.

pub mod core;

use crate::core::{ApiError, CaseInput};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The package version (the workspace version this module was built from).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Renders a template case (the `apigw render` JSON: `template`, `body`, `contentType`,
/// `params`, `stageVariables`, `context`). Returns `{ output, requestOverride?, responseOverride? }`.
#[wasm_bindgen(js_name = renderTemplate)]
pub fn render_template(case: JsValue) -> Result<JsValue, JsValue> {
    // A plain object is read field by field, leaving out a `context` the template cannot name
    // (see `read_fields`); anything unusual goes through `JSON.stringify`, like every other
    // document: one string crosses the boundary instead of a call per field. The line/column of
    // an error would point into the stringified text, so they are kept only for text the caller
    // wrote.
    if let Some(template) = case
        .is_object()
        .then(|| js_sys::Reflect::get(&case, &JsValue::from_str("template")).ok())
        .flatten()
        .and_then(|t| t.as_string())
    {
        let uses = gateway::template::Uses::of(&template);
        if let Some(input) = read_fields(&case, uses, true)
            .as_ref()
            .and_then(fields_input)
        {
            let compiled = vtl::Template::parse(&template);
            return render_result(
                core::render_compiled(&compiled, &template, &input).map_err(to_js_error)?,
            );
        }
    }
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
    }
}

/// A parsed template (from `compileTemplate`).
#[wasm_bindgen]
pub struct CompiledTemplate {
    template: vtl::Template,
    source: String,
    /// Which parts of an input the template can read at all (`$input`, `$input.params`,
    /// `$context`, `$stageVariables`), from its source text.
    uses: gateway::template::Uses,
    /// The last input, as the text it was read from, and parsed. Pages and loops that re-render
    /// with the same input skip parsing it again; parsing is pure and rendering builds fresh
    /// values from the parsed input each time, so nothing a render changes can leak into the
    /// next one.
    last_input: std::cell::RefCell<Option<(InputKey, CaseInput)>>,
    /// The input given to `setInput`, which `renderInput` renders: the package's JavaScript
    /// wrapper (npm/compiled.mjs) compares inputs on its side of the boundary and sends one only
    /// when it changed. Kept apart from `last_input` so `render` calls cannot change it.
    given: std::cell::RefCell<Option<CaseInput>>,
}

/// An input as read from JavaScript: the whole JSON text, or (plain objects) only the fields
/// the template can read, each as text.
#[derive(PartialEq)]
enum InputKey {
    Text(String),
    Fields {
        body: String,
        content_type: Option<String>,
        params: Option<String>,
        stage_variables: Option<String>,
        context: Option<String>,
    },
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
                core::render_compiled(&self.template, &self.source, &empty).map_err(to_js_error)?,
            );
        }
        let key = match read_fields(&input, self.uses, false) {
            Some(key) => key,
            None => InputKey::Text(json_text(&input)?),
        };
        let cached = matches!(&*self.last_input.borrow(), Some((k, _)) if *k == key);
        if !cached {
            let fields = match &key {
                InputKey::Fields { .. } => fields_input(&key),
                InputKey::Text(_) => None,
            };
            let parsed = match fields {
                Some(parsed) => parsed,
                // Text, or a field that does not parse: the whole-text route names the problem.
                None => {
                    let text = match &key {
                        InputKey::Text(text) => text.clone(),
                        InputKey::Fields { .. } => json_text(&input)?,
                    };
                    core::parse_case_input_json(&text).map_err(|mut e| {
                        // For objects the line/column would point into the stringified text.
                        if !input.is_string() {
                            e.line = None;
                            e.column = None;
                        }
                        to_js_error(e)
                    })?
                }
            };
            *self.last_input.borrow_mut() = Some((key, parsed));
        }
        let last = self.last_input.borrow();
        let Some((_, input)) = last.as_ref() else {
            return Err(to_js_error(input_error(
                "invalid template input",
                "missing",
            )));
        };
        render_result(
            core::render_compiled(&self.template, &self.source, input).map_err(to_js_error)?,
        )
    }

    /// Stores the input `renderInput` renders, from its fields as the wrapper read them:
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
        let key = InputKey::Fields {
            body,
            content_type,
            params,
            stage_variables,
            context,
        };
        let input = fields_input(&key).ok_or_else(|| {
            // Say exactly what is wrong, as the whole-text route would.
            let InputKey::Fields {
                params,
                stage_variables,
                context,
                ..
            } = &key
            else {
                return to_js_error(input_error("invalid template input", "missing"));
            };
            let part = |name: &str, text: &Option<String>| {
                text.as_ref().map(|t| format!("\"{name}\":{t}"))
            };
            let parts: Vec<String> = [
                part("params", params),
                part("stageVariables", stage_variables),
                part("context", context),
            ]
            .into_iter()
            .flatten()
            .collect();
            match core::parse_case_input_json(&format!("{{{}}}", parts.join(","))) {
                Err(mut e) => {
                    e.line = None;
                    e.column = None;
                    to_js_error(e)
                }
                Ok(_) => to_js_error(input_error("invalid template input", "unreadable")),
            }
        })?;
        *self.given.borrow_mut() = Some(input);
        Ok(())
    }

    /// Renders the input stored by `setInput` (an empty request when none was).
    #[wasm_bindgen(js_name = renderInput)]
    pub fn render_input(&self) -> Result<JsValue, JsValue> {
        let given = self.given.borrow();
        let empty = CaseInput::default();
        let input = given.as_ref().unwrap_or(&empty);
        render_result(
            core::render_compiled(&self.template, &self.source, input).map_err(to_js_error)?,
        )
    }

    /// False when the template cannot name `$context` (so an input's `context` need not be
    /// sent); `#evaluate` counts as naming everything.
    #[wasm_bindgen(getter, js_name = usesContext)]
    pub fn uses_context(&self) -> bool {
        self.uses.context
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

/// Reads a plain object field by field, leaving out a `context` the template cannot name
/// (typically the largest part): `JSON.stringify` of the whole input cost more than
/// rendering a small template. `None` (anything unusual: an unknown field, a body that is
/// not a string) sends the input through the whole-text route, which reports problems
/// exactly.
fn read_fields(
    input: &JsValue,
    uses: gateway::template::Uses,
    template_field: bool,
) -> Option<InputKey> {
    if !input.is_object() || js_sys::Array::is_array(input) {
        return None;
    }
    let object: &js_sys::Object = input.unchecked_ref();
    let get = |name: &str| js_sys::Reflect::get(object, &JsValue::from_str(name)).ok();
    for name in js_sys::Object::keys(object).iter() {
        let known = ["body", "contentType", "params", "stageVariables", "context"];
        let name = name.as_string()?;
        if !(known.contains(&name.as_str()) || template_field && name == "template") {
            return None;
        }
    }
    let body = get("body")?;
    let body = if body.is_undefined() {
        String::new()
    } else {
        body.as_string()?
    };
    let content_type = get("contentType")?;
    let content_type = if content_type.is_undefined() || content_type.is_null() {
        None
    } else {
        Some(content_type.as_string()?)
    };
    let section = |name: &str| -> Option<Option<String>> {
        let value = get(name)?;
        if value.is_undefined() {
            return Some(None);
        }
        Some(Some(js_sys::JSON::stringify(&value).ok()?.as_string()?))
    };
    if template_field {
        // A whole case requires `context` to be an object (`parse_case`): check its type even
        // when its content is skipped.
        let context = get("context")?;
        let object = context.is_object() && !js_sys::Array::is_array(&context);
        if !(context.is_undefined() || context.is_null() || object) {
            return None;
        }
    }
    Some(InputKey::Fields {
        body: if uses.input { body } else { String::new() },
        content_type,
        params: section("params")?,
        stage_variables: section("stageVariables")?,
        // Any JSON value is a valid `context` (the whole-text route takes it as a
        // `serde_json::Value`), so skipping it when the template cannot read it
        // changes no result and no error.
        context: if uses.context {
            section("context")?
        } else {
            None
        },
    })
}

/// The input a [`InputKey::Fields`] describes; `None` when a field does not parse.
fn fields_input(key: &InputKey) -> Option<CaseInput> {
    let InputKey::Fields {
        body,
        content_type,
        params,
        stage_variables,
        context,
    } = key
    else {
        return None;
    };
    let mut input = CaseInput {
        body: body.clone(),
        content_type: content_type.clone(),
        ..CaseInput::default()
    };
    if let Some(text) = params {
        input.params = serde_json::from_str(text).ok()?;
    }
    if let Some(text) = stage_variables {
        input.stage_variables = serde_json::from_str(text).ok()?;
    }
    if let Some(text) = context {
        input.context = serde_json::from_str(text).ok()?;
    }
    Some(input)
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

/// `{ output, requestOverride?, responseOverride? }`, built field by field: a render in a loop
/// should cost one object and one string, not a serializer's walk.
fn render_result(r: core::RenderResult) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    let set =
        |key: &str, value: &JsValue| js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    set("output", &JsValue::from_str(&r.output))?;
    if !r.request_override.is_empty() {
        set("requestOverride", &to_js(&r.request_override)?)?;
    }
    if !r.response_override.is_empty() {
        set("responseOverride", &to_js(&r.response_override)?)?;
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
