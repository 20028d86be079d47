//! The `apigw render` case format (also the benchmark files): a template plus what the
//! request looks like. Every field but `template` is optional.
//!
//! ```json
//! {"template": "...", "body": "...", "contentType": "application/json",
//!  "params": {"path": {}, "querystring": {}, "header": {}},
//!  "stageVariables": {}, "context": {"identity": {"sourceIp": "198.51.100.7"}}}
//! ```

use std::rc::Rc;

use indexmap::IndexMap;
use serde::Deserialize;

use super::Params;

/// Everything of a case except the template: what one rendering sees.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CaseInput {
    /// The request (or integration response) payload as text.
    pub body: String,
    /// The payload's content type. Rendering does not depend on it (API Gateway parses
    /// `$input.path`/`$input.json` payloads the same way whatever the type); it is kept so
    /// one file describes the request the pipeline would select the template for (§4.1).
    pub content_type: Option<String>,
    /// Shared with each rendering's `$input` (no per-render copy).
    pub params: Rc<Params>,
    pub stage_variables: IndexMap<String, String>,
    /// `$context` values laid over [`super::default_context`], key by key (objects merge).
    pub context: serde_json::Value,
}

/// One `apigw render` case.
#[derive(Clone, Debug)]
pub struct TemplateCase {
    pub template: String,
    pub input: CaseInput,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawCase {
    template: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    params: Rc<Params>,
    #[serde(default)]
    stage_variables: IndexMap<String, String>,
    #[serde(default)]
    context: serde_json::Value,
}

impl<'de> Deserialize<'de> for TemplateCase {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RawCase::deserialize(d)?;
        Ok(TemplateCase {
            template: r.template,
            input: CaseInput {
                body: r.body,
                content_type: r.content_type,
                params: r.params,
                stage_variables: r.stage_variables,
                context: r.context,
            },
        })
    }
}

/// A case file that is not valid: where, and what is wrong (naming the field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for CaseError {}

/// Parses a case from JSON text. Errors carry the line and column of the problem and name
/// the field (`params.header.X: invalid type: integer `1`, expected a string`).
pub fn parse_case(text: &str) -> Result<TemplateCase, CaseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let case = TemplateCase::deserialize(&mut de).map_err(|inner| {
        let path = crate::json_path::error_path(text, &inner);
        let text = inner.to_string();
        // An unknown field already names itself; only say where it sits when nested.
        let parent = path.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
        let message = if text.starts_with("unknown field") {
            if parent.is_empty() {
                text
            } else {
                format!("{parent}: {text}")
            }
        } else if path.is_empty() || path == "." {
            text
        } else {
            format!("{path}: {inner}")
        };
        CaseError {
            line: inner.line(),
            column: inner.column(),
            message: strip_location(&message),
        }
    })?;
    de.end().map_err(|e| CaseError {
        line: e.line(),
        column: e.column(),
        message: strip_location(&e.to_string()),
    })?;
    if !(case.input.context.is_null() || case.input.context.is_object()) {
        return Err(CaseError {
            line: 1,
            column: 1,
            message: "context: expected an object of $context values".into(),
        });
    }
    Ok(case)
}

/// serde_json appends " at line L column C"; the location is reported separately.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_named_with_their_location() {
        let e = parse_case("{\"template\": \"x\",\n \"stagevariables\": {}}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("unknown field `stagevariables`"),
            "{e}"
        );
        let e = parse_case("{\"template\": \"x\", \"params\": {\"headers\": {}}}").unwrap_err();
        assert!(
            e.message.starts_with("params: unknown field `headers`"),
            "{e}"
        );
        let e =
            parse_case("{\"template\": \"x\", \"params\": {\"header\": {\"A\": 1}}}").unwrap_err();
        assert!(
            e.message.starts_with("params.header.A: invalid type"),
            "{e}"
        );
        let e = parse_case("{\"body\": \"\"}").unwrap_err();
        assert!(e.message.contains("missing field `template`"), "{e}");
    }
}
