//! API Gateway's mapping-template environment on top of the `vtl` engine:
//! `$input`, `$util`, `$context`, `$stageVariables`, and AWS's deviations from stock Velocity.
//!
//! Contract used by the pipeline (keep stable):
//! - [`TemplateInput`]: what one rendering sees.
//! - [`render`]: renders a parsed template, returning the output and the overrides it set.
//! - [`TemplateCase`] / [`render_case`]: the `apigw render` JSON format.

use indexmap::IndexMap;

/// Request parameters as `$input.params()` sees them (single values: last wins).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
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
    /// The full `$context` tree as JSON (objects nest: `identity.sourceIp`).
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
#[derive(Clone, Debug)]
pub struct TemplateError {
    pub diagnostics: Vec<vtl::Diagnostic>,
    pub render_error: Option<vtl::RenderError>,
}

/// Renders `template` against `input` with API Gateway's variables.
pub fn render(template: &vtl::Template, input: &TemplateInput) -> Result<Rendered, TemplateError> {
    let _ = input;
    if template.has_errors() {
        return Err(TemplateError { diagnostics: template.diagnostics().to_vec(), render_error: None });
    }
    let mut cx = vtl::Context::new();
    let output = template
        .render(&mut cx, &vtl::Limits::default())
        .map_err(|e| TemplateError { diagnostics: vec![], render_error: Some(e) })?;
    Ok(Rendered { output, request_override: Overrides::default(), response_override: Overrides::default() })
}
