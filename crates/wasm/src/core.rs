//! The target-independent half of the JavaScript API: documents in, documents out.
//!
//! Everything the JavaScript functions compute happens here, on plain Rust and `serde_json`
//! values, so the very same code runs natively (the golden cross-check in `examples/golden.rs`
//! and the native benchmark) and inside the wasm module. The wasm half (`lib.rs`) only converts
//! values at the boundary.

use gateway::template::{Params, TemplateInput};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// What one rendering sees: a template case (the `apigw render` format) without its `template`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CaseInput {
    pub body: String,
    /// Accepted for compatibility with `apigw render` case files. The mapping template was
    /// already chosen by content type, so rendering itself does not look at it.
    pub content_type: Option<String>,
    pub params: Params,
    pub stage_variables: IndexMap<String, String>,
    /// The `$context` tree. `null` (or absent) means an empty object.
    pub context: serde_json::Value,
}

/// A whole template case: the template text plus its input.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Case {
    pub template: String,
    #[serde(flatten)]
    pub input: CaseInput,
}

impl CaseInput {
    pub fn to_template_input(&self) -> TemplateInput {
        let context = match &self.context {
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            other => other.clone(),
        };
        TemplateInput {
            body: self.body.clone(),
            params: self.params.clone(),
            stage_variables: self.stage_variables.clone(),
            context,
        }
    }
}

/// One diagnostic as JavaScript sees it. `start`/`end` are UTF-16 offsets (what JavaScript
/// string indices and editors such as CodeMirror use); `line`/`column` are 1-based, in characters.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsDiagnostic {
    pub severity: &'static str,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub start: usize,
    pub end: usize,
}

/// The result of one rendering: the output and the `$context.requestOverride` /
/// `$context.responseOverride` values the template set (only the non-empty parts).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderResult {
    pub output: String,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub request_override: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub response_override: serde_json::Map<String, serde_json::Value>,
}

/// An error the API reports: the engine's message, where it is, and (for templates) every
/// diagnostic, (for documents) every input error.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// `TemplateSyntaxError`, `TemplateRenderError` or `InputError`: the JavaScript `Error.name`.
    pub name: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// For input errors: the field the first error is about (`resources[0].path`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<JsDiagnostic>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<gateway::api::InputError>,
}

impl ApiError {
    pub fn input(errors: Vec<gateway::api::InputError>) -> ApiError {
        let (message, path) = match errors.first() {
            Some(first) if first.path.is_empty() => (first.message.clone(), None),
            Some(first) => (format!("{}: {}", first.path, first.message), Some(first.path.clone())),
            None => ("invalid input".to_string(), None),
        };
        // Name how many more there are, so a message shown alone does not hide them.
        let message = match errors.len() {
            0 | 1 => message,
            n => format!("{message} (and {} more)", n - 1),
        };
        ApiError {
            name: "InputError",
            message,
            line: None,
            column: None,
            path,
            diagnostics: vec![],
            errors,
        }
    }

    fn bad_document(what: &str, err: impl std::fmt::Display) -> ApiError {
        ApiError::input(vec![gateway::api::InputError { path: String::new(), message: format!("{what}: {err}") }])
    }
}

/// Diagnostics of `template`, with offsets converted for JavaScript.
pub fn diagnostics_of(template: &vtl::Template, source: &str) -> Vec<JsDiagnostic> {
    template.diagnostics().iter().map(|d| js_diagnostic(d, source)).collect()
}

fn js_diagnostic(d: &vtl::Diagnostic, source: &str) -> JsDiagnostic {
    JsDiagnostic {
        severity: match d.severity {
            vtl::Severity::Error => "error",
            vtl::Severity::Warning => "warning",
        },
        message: d.message.clone(),
        line: d.span.line,
        column: d.span.column,
        start: utf16_offset(source, d.span.start),
        end: utf16_offset(source, d.span.end),
    }
}

/// Converts a byte offset into `source` to a UTF-16 offset. Offsets past the end or inside a
/// character (which a correct engine never produces) are clamped rather than trusted.
pub fn utf16_offset(source: &str, byte: usize) -> usize {
    let mut byte = byte.min(source.len());
    while !source.is_char_boundary(byte) {
        byte -= 1;
    }
    source.get(..byte).map_or(0, |prefix| prefix.encode_utf16().count())
}

/// Renders a parsed template against `input`.
pub fn render_compiled(template: &vtl::Template, source: &str, input: &CaseInput) -> Result<RenderResult, ApiError> {
    match gateway::template::render(template, &input.to_template_input()) {
        Ok(rendered) => Ok(RenderResult {
            output: rendered.output,
            request_override: overrides_json(&rendered.request_override),
            response_override: overrides_json(&rendered.response_override),
        }),
        Err(err) => Err(template_error(err, source)),
    }
}

/// Parses and renders a whole template case.
pub fn render_case(case: &Case) -> Result<RenderResult, ApiError> {
    let template = vtl::Template::parse(&case.template);
    render_compiled(&template, &case.template, &case.input)
}

/// Parses a case from JSON text and renders it (the native twin of `renderTemplate("...")`).
pub fn render_case_json(json: &str) -> Result<RenderResult, ApiError> {
    let case: Case = serde_json::from_str(json).map_err(|e| ApiError::bad_document("invalid template case", e))?;
    render_case(&case)
}

pub fn parse_case_input_json(json: &str) -> Result<CaseInput, ApiError> {
    serde_json::from_str(json).map_err(|e| ApiError::bad_document("invalid template input", e))
}

fn overrides_json(o: &gateway::template::Overrides) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, values: &IndexMap<String, String>| {
        if !values.is_empty() {
            let obj = values.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
            map.insert(key.to_string(), serde_json::Value::Object(obj));
        }
    };
    put("header", &o.header);
    put("path", &o.path);
    put("querystring", &o.querystring);
    if let Some(status) = &o.status {
        map.insert("status".to_string(), serde_json::Value::String(status.clone()));
    }
    map
}

fn template_error(err: gateway::template::TemplateError, source: &str) -> ApiError {
    let diagnostics: Vec<JsDiagnostic> = err.diagnostics.iter().map(|d| js_diagnostic(d, source)).collect();
    if let Some(render) = err.render_error {
        return ApiError {
            name: "TemplateRenderError",
            message: render.message,
            line: render.span.map(|s| s.line),
            column: render.span.map(|s| s.column),
            path: None,
            diagnostics,
            errors: vec![],
        };
    }
    // A syntax error: report the first error (the one a person fixes first) as the message.
    let first = diagnostics.iter().find(|d| d.severity == "error").or(diagnostics.first());
    ApiError {
        name: "TemplateSyntaxError",
        message: first.map_or_else(|| "the template has errors".to_string(), |d| d.message.clone()),
        line: first.map(|d| d.line),
        column: first.map(|d| d.column),
        path: None,
        diagnostics,
        errors: vec![],
    }
}

/// Runs a scenario (the `apigw run` format).
pub fn run_scenario(json: &str) -> Result<serde_json::Value, ApiError> {
    gateway::api::run_scenario_json(json).map_err(ApiError::input)
}

/// Runs one request through every integration type the document lists.
pub fn run_comparison(json: &str) -> Result<serde_json::Value, ApiError> {
    gateway::api::run_comparison_json(json).map_err(ApiError::input)
}

/// Checks a scenario; an empty list means it is valid.
pub fn validate_scenario(json: &str) -> Vec<gateway::api::InputError> {
    gateway::api::validate_scenario_json(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_surrogate_pairs_and_clamp() {
        let s = "a😀b";
        assert_eq!(utf16_offset(s, 0), 0);
        assert_eq!(utf16_offset(s, 1), 1);
        assert_eq!(utf16_offset(s, 5), 3); // after the emoji: 1 + 2 code units
        assert_eq!(utf16_offset(s, 3), 1); // inside the emoji: clamped back to its start
        assert_eq!(utf16_offset(s, 999), 4);
    }

    #[test]
    fn case_reads_the_apigw_render_format() {
        let case: Case = serde_json::from_str(
            r#"{"template":"x","body":"{}","contentType":"application/json",
                "params":{"path":{"id":"1"},"querystring":{},"header":{"H":"v"}},
                "stageVariables":{"env":"prod"},"context":{"stage":"prod"}}"#,
        )
        .unwrap();
        assert_eq!(case.template, "x");
        assert_eq!(case.input.body, "{}");
        assert_eq!(case.input.params.path.get("id").map(String::as_str), Some("1"));
        assert_eq!(case.input.stage_variables.get("env").map(String::as_str), Some("prod"));
        assert_eq!(case.input.context["stage"], "prod");
    }

    #[test]
    fn missing_fields_default_and_null_context_is_empty_object() {
        let input: CaseInput = serde_json::from_str("{}").unwrap();
        assert_eq!(input.to_template_input().context, serde_json::json!({}));
    }

    #[test]
    fn bad_json_is_an_input_error_naming_the_problem() {
        let err = render_case_json("{").unwrap_err();
        assert_eq!(err.name, "InputError");
        assert!(err.message.starts_with("invalid template case: "), "{}", err.message);
    }

    #[test]
    fn input_error_message_names_path_and_count() {
        let err = ApiError::input(vec![
            gateway::api::InputError { path: "a.b".into(), message: "is missing".into() },
            gateway::api::InputError { path: "c".into(), message: "is wrong".into() },
        ]);
        assert_eq!(err.message, "a.b: is missing (and 1 more)");
        assert_eq!(err.path.as_deref(), Some("a.b"));
        assert_eq!(err.errors.len(), 2);
    }
}
