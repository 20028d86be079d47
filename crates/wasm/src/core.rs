//! The target-independent half of the JavaScript API: documents in, documents out.
//!
//! Everything the JavaScript functions compute happens here, on plain Rust and `serde_json`
//! values, so the very same code runs natively (the golden cross-check in `examples/golden.rs`
//! and the native benchmark) and inside the wasm module. The wasm half (`lib.rs`) only converts
//! values at the boundary.

pub use gateway::template::{CaseInput, PreparedInput, TemplateCase as Case};
use indexmap::IndexMap;
use serde::Serialize;

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
    /// `None` when the template set none (most renders: no map is built for them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_override: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_override: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Errors are boxed: the success path (every render in a loop) should not carry their size.
pub type ApiResult<T> = Result<T, Box<ApiError>>;

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
            Some(first) => (
                format!("{}: {}", first.path, first.message),
                Some(first.path.clone()),
            ),
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
        ApiError::input(vec![gateway::api::InputError {
            path: String::new(),
            message: format!("{what}: {err}"),
        }])
    }
}

/// Diagnostics of `template`, with offsets converted for JavaScript.
pub fn diagnostics_of(template: &vtl::Template, source: &str) -> Vec<JsDiagnostic> {
    template
        .diagnostics()
        .iter()
        .map(|d| js_diagnostic(d, source))
        .collect()
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
    source
        .get(..byte)
        .map_or(0, |prefix| prefix.encode_utf16().count())
}

/// Renders a parsed template against `input`.
pub fn render_compiled(
    template: &vtl::Template,
    source: &str,
    input: &CaseInput,
) -> ApiResult<RenderResult> {
    render_compiled_using(template, gateway::template::Uses::of(source), source, input)
}

/// [`render_compiled`] with the template's [`gateway::template::Uses`] already known (a
/// compiled template computes them once, not on every render).
pub fn render_compiled_using(
    template: &vtl::Template,
    uses: gateway::template::Uses,
    source: &str,
    input: &CaseInput,
) -> ApiResult<RenderResult> {
    render_result(
        gateway::template::render_case_using(template, uses, input),
        source,
    )
}

/// [`render_compiled_using`] for an input rendered many times (a compiled template's current
/// input): what every render would convert again from it is converted once.
pub fn render_prepared(
    template: &vtl::Template,
    uses: gateway::template::Uses,
    source: &str,
    input: &PreparedInput,
) -> ApiResult<RenderResult> {
    render_result(
        gateway::template::render_prepared(template, uses, input),
        source,
    )
}

fn render_result(
    rendered: Result<gateway::template::RenderedText, Box<gateway::template::TemplateError>>,
    source: &str,
) -> ApiResult<RenderResult> {
    match rendered {
        Ok(rendered) => {
            let (request_override, response_override) = match rendered.overrides {
                Some(o) => (overrides_json(&o.0), overrides_json(&o.1)),
                None => (None, None),
            };
            Ok(RenderResult {
                output: rendered.output,
                request_override,
                response_override,
            })
        }
        Err(err) => Err(Box::new(template_error(*err, source))),
    }
}

/// Parses and renders a whole template case.
pub fn render_case(case: &Case) -> ApiResult<RenderResult> {
    let template = vtl::Template::parse(&case.template);
    render_compiled(&template, &case.template, &case.input)
}

/// Parses a case from JSON text and renders it (the native twin of `renderTemplate("...")`).
pub fn render_case_json(json: &str) -> ApiResult<RenderResult> {
    render_case(&parse_case_json(json)?)
}

/// Parses a case from JSON text (errors name the field, line and column, as `apigw render` does).
pub fn parse_case_json(json: &str) -> ApiResult<Case> {
    gateway::template::parse_case(json).map_err(|e| {
        Box::new(ApiError {
            line: Some(u32::try_from(e.line).unwrap_or(u32::MAX)),
            column: Some(u32::try_from(e.column).unwrap_or(u32::MAX)),
            ..ApiError::bad_document("invalid template case", e.message)
        })
    })
}

pub fn parse_case_input_json(json: &str) -> ApiResult<CaseInput> {
    serde_json::from_str(json)
        .map_err(|e| Box::new(ApiError::bad_document("invalid template input", e)))
}

fn overrides_json(
    o: &gateway::template::Overrides,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    if o.is_empty() {
        return None;
    }
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, values: &IndexMap<String, String>| {
        if !values.is_empty() {
            let obj = values
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            map.insert(key.to_string(), serde_json::Value::Object(obj));
        }
    };
    put("header", &o.header);
    put("path", &o.path);
    put("querystring", &o.querystring);
    if let Some(status) = &o.status {
        map.insert(
            "status".to_string(),
            serde_json::Value::String(status.clone()),
        );
    }
    Some(map)
}

fn template_error(err: gateway::template::TemplateError, source: &str) -> ApiError {
    let diagnostics: Vec<JsDiagnostic> = err
        .diagnostics
        .iter()
        .map(|d| js_diagnostic(d, source))
        .collect();
    if let Some(payload) = err.invalid_payload {
        // `$input.path`/`$input.json` met a body that is not JSON: API Gateway answers 400 with
        // this text as `{"message": ...}` (spec §7.2), so it is the message here too.
        return ApiError {
            name: "InvalidPayloadError",
            message: payload,
            line: err
                .render_error
                .as_ref()
                .and_then(|e| e.span)
                .map(|s| s.line),
            column: err
                .render_error
                .as_ref()
                .and_then(|e| e.span)
                .map(|s| s.column),
            path: None,
            diagnostics,
            errors: vec![],
        };
    }
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
    let first = diagnostics
        .iter()
        .find(|d| d.severity == "error")
        .or(diagnostics.first());
    ApiError {
        name: "TemplateSyntaxError",
        message: first.map_or_else(
            || "the template has errors".to_string(),
            |d| d.message.clone(),
        ),
        line: first.map(|d| d.line),
        column: first.map(|d| d.column),
        path: None,
        diagnostics,
        errors: vec![],
    }
}

/// Runs a scenario (the `apigw run` format).
pub fn run_scenario(json: &str) -> ApiResult<serde_json::Value> {
    gateway::api::run_scenario_json(json).map_err(|errors| Box::new(ApiError::input(errors)))
}

/// Runs one request through every integration type the document lists.
pub fn run_comparison(json: &str) -> ApiResult<serde_json::Value> {
    gateway::api::run_comparison_json(json).map_err(|errors| Box::new(ApiError::input(errors)))
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
        let case = parse_case_json(
            r#"{"template":"x","body":"{}","contentType":"application/json",
                "params":{"path":{"id":"1"},"querystring":{},"header":{"H":"v"}},
                "stageVariables":{"env":"prod"},"context":{"stage":"prod"}}"#,
        )
        .unwrap();
        assert_eq!(case.template, "x");
        assert_eq!(case.input.body, "{}");
        assert_eq!(
            case.input.params.path.get("id").map(String::as_str),
            Some("1")
        );
        assert_eq!(
            case.input.stage_variables.get("env").map(String::as_str),
            Some("prod")
        );
        assert_eq!(case.input.context["stage"], "prod");
    }

    #[test]
    fn case_errors_carry_the_line_and_column() {
        let err = parse_case_json("{\"template\": \"x\",\n \"bodyy\": 1}").unwrap_err();
        assert_eq!(err.name, "InputError");
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("unknown field `bodyy`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_empty_input_is_valid() {
        let input = parse_case_input_json("{}").unwrap();
        assert_eq!(input.body, "");
    }

    #[test]
    fn bad_json_is_an_input_error_naming_the_problem() {
        let err = render_case_json("{").unwrap_err();
        assert_eq!(err.name, "InputError");
        assert!(
            err.message.starts_with("invalid template case: "),
            "{}",
            err.message
        );
    }

    #[test]
    fn input_error_message_names_path_and_count() {
        let err = ApiError::input(vec![
            gateway::api::InputError {
                path: "a.b".into(),
                message: "is missing".into(),
            },
            gateway::api::InputError {
                path: "c".into(),
                message: "is wrong".into(),
            },
        ]);
        assert_eq!(err.message, "a.b: is missing (and 1 more)");
        assert_eq!(err.path.as_deref(), Some("a.b"));
        assert_eq!(err.errors.len(), 2);
    }
}
