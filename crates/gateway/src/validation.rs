//! Request body validation against a method's request model (spec §9.2), through `jsonschema`.

use indexmap::IndexMap;
use serde_json::Value;

use crate::scenario::{model_schema, Scenario};

/// Validates `body` against model `name`; `Err` is the `validationErrorString` (`[m1, m2]`).
pub fn validate_body(s: &Scenario, name: &str, body: &str) -> Result<(), String> {
    let instance: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        // An empty body was logged as `[Unknown error parsing request body]` (console Test tab, 2021); the same
        // generic text is used for any body that does not parse [INFER: the wording says AWS does not pass the
        // parser's message through] (spec §9.2).
        Err(_) => return Err("[Unknown error parsing request body]".to_string()),
    };
    let mut models: IndexMap<String, Value> = IndexMap::new();
    for m in &s.models {
        if let Ok(schema) = model_schema(m) {
            models.insert(m.name.clone(), schema);
        }
    }
    let Some(schema) = models
        .get(name)
        .cloned()
        .or_else(|| crate::jsonschema::builtin_model(name))
    else {
        return Ok(());
    };
    let violations = crate::jsonschema::validate(&schema, &instance, &models);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(crate::jsonschema::validation_error_string(&violations))
    }
}
