//! API Gateway's mapping-template environment on top of the `vtl` engine:
//! `$input`, `$util`, `$context`, `$stageVariables`, and AWS's deviations from stock Velocity
//! (spec §7).
//!
//! Contract used by the pipeline (keep stable):
//! - [`TemplateInput`]: what one rendering sees.
//! - [`render`]: renders a parsed template, returning the output and the overrides it set.
//! - [`TemplateCase`] / [`render_case`]: the `apigw render` JSON format; [`compile`] +
//!   [`render_case_with`] to parse once and render many inputs.
//!
//! Files: `input.rs` (`$input`), `util.rs` (`$util`), `context.rs` (`$context`, defaults,
//! overrides), `json.rs` (payload parser and value printing), `jsonpath.rs` (Jayway subset),
//! `case.rs` (the case format).

mod case;
mod context;
mod input;
pub mod json;
pub mod jsonpath;
pub mod util;

use std::fmt;
use std::rc::Rc;

use indexmap::IndexMap;
use vtl::{Map, Value};

pub use case::{parse_case, CaseError, CaseInput, TemplateCase};
pub use context::{default_context, merge as merge_context};
pub use input::INVALID_PAYLOAD_PREFIX;

/// Request parameters as `$input.params()` sees them (single values: last wins).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    pub path: IndexMap<String, String>,
    pub querystring: IndexMap<String, String>,
    pub header: IndexMap<String, String>,
}

/// Everything one template rendering can see.
#[derive(Clone, Debug, Default)]
pub struct TemplateInput {
    /// The payload as text (binary payloads already base64-encoded by the pipeline).
    pub body: String,
    pub params: Params,
    pub stage_variables: IndexMap<String, String>,
    /// The full `$context` tree as JSON (objects nest: `identity.sourceIp`). Keys missing
    /// here are null in the template. `requestOverride` / `responseOverride` objects, if
    /// present, pre-fill the writable override maps (a response template can read what the
    /// request template set, spec §6).
    pub context: serde_json::Value,
}

/// The `$context.requestOverride` / `$context.responseOverride` values a template set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub header: IndexMap<String, String>,
    pub path: IndexMap<String, String>,
    pub querystring: IndexMap<String, String>,
    pub status: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Rendered {
    pub output: String,
    pub request_override: Overrides,
    pub response_override: Overrides,
}

/// A template that failed to parse or render.
#[derive(Clone, Debug, Default)]
pub struct TemplateError {
    /// Syntax errors (the template was not rendered).
    pub diagnostics: Vec<vtl::Diagnostic>,
    /// Why rendering stopped (method error, limit reached...).
    pub render_error: Option<vtl::RenderError>,
    /// Set when `$input.path`/`$input.json` met a payload that starts like JSON but does
    /// not parse. API Gateway then answers **400** with body
    /// `{"message": "<this text>"}`; the text is [`INVALID_PAYLOAD_PREFIX`] followed by
    /// json-smart's message, e.g. `Could not process payloadnet.minidev.json.parser.ParseException:
    /// Unexpected End Of File position 1: null` for `{a` (spec §7.2 [AWS-REC old]).
    pub invalid_payload: Option<String>,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.invalid_payload {
            return write!(f, "invalid payload (API Gateway answers 400): {p}");
        }
        let mut first = true;
        for d in &self.diagnostics {
            if !first {
                f.write_str("\n")?;
            }
            first = false;
            write!(f, "{d}")?;
        }
        if let Some(e) = &self.render_error {
            if !first {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateError {}

/// API Gateway's limits (spec §7.6): `#foreach` 1000 iterations, template 300 KB, and the
/// 10 MB payload quota as the output cap.
pub fn limits() -> vtl::Limits {
    vtl::Limits {
        max_foreach_iterations: 1000,
        max_template_bytes: 300 * 1024,
        max_output_bytes: 10 * 1024 * 1024,
        ..vtl::Limits::default()
    }
}

/// Parses a template once for many renderings.
pub fn compile(source: &str) -> vtl::Template {
    vtl::Template::parse(source)
}

/// Renders `template` against `input` with API Gateway's variables.
pub fn render(template: &vtl::Template, input: &TemplateInput) -> Result<Rendered, TemplateError> {
    render_parts(
        template,
        &input.body,
        &input.params,
        &input.stage_variables,
        context::build(&input.context),
    )
}

fn render_parts(
    template: &vtl::Template,
    body: &str,
    params: &Params,
    stage_variables: &IndexMap<String, String>,
    context: context::Built,
) -> Result<Rendered, TemplateError> {
    if template.has_errors() {
        return Err(TemplateError {
            diagnostics: template.diagnostics().to_vec(),
            ..TemplateError::default()
        });
    }
    let input = Rc::new(input::Input::new(body, params));
    let mut cx = vtl::Context::new();
    // Undefined and null references render as empty text on API Gateway (spec §7.1).
    cx.set_null_renders_empty(true);
    cx.insert("input", Value::Object(input.clone()));
    cx.insert("util", Value::Object(Rc::new(util::Util)));
    cx.insert("context", context.value.clone());
    let mut sv = Map::with_capacity_and_hasher(stage_variables.len(), Default::default());
    for (k, v) in stage_variables {
        sv.insert(k.clone(), Value::str(v));
    }
    cx.insert("stageVariables", Value::map(sv));

    let output = template
        .render(&mut cx, &limits())
        .map_err(|e| TemplateError {
            invalid_payload: input.invalid_payload.borrow().clone(),
            render_error: Some(e),
            ..TemplateError::default()
        })?;
    Ok(Rendered {
        output,
        request_override: context.collect("requestOverride"),
        response_override: context.collect("responseOverride"),
    })
}

/// The `$context` tree of a case: [`default_context`] with the case's values laid over it.
pub fn case_context(input: &CaseInput) -> serde_json::Value {
    let mut tree = context::with_default(|d| d.clone());
    if input.context.is_object() {
        context::merge(&mut tree, &input.context);
    }
    tree
}

/// Renders a case (`apigw render`).
pub fn render_case(case: &TemplateCase) -> Result<Rendered, TemplateError> {
    render_case_with(&compile(&case.template), &case.input)
}

/// Renders an already-compiled template with a case's input.
pub fn render_case_with(
    template: &vtl::Template,
    input: &CaseInput,
) -> Result<Rendered, TemplateError> {
    // The default context laid under the case's values, converted in one pass.
    let context = context::with_default(|d| context::build_layered(d, Some(&input.context)));
    render_parts(
        template,
        &input.body,
        &input.params,
        &input.stage_variables,
        context,
    )
}
