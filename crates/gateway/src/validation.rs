//! Request body validation against a method's request model (spec §9.2).

use serde_json::Value;

use crate::scenario::{model_schema, Scenario};

/// Validates `body` against model `name`; `Err` lists the violations (for `$context.error.validationErrorString`).
pub fn validate_body(s: &Scenario, name: &str, body: &str) -> Result<(), String> {
    validate_list(s, name, body).map_err(|e| format!("[{}]", e.join(", ")))
}

fn validate_list(s: &Scenario, name: &str, body: &str) -> Result<(), Vec<String>> {
    let instance: Value =
        match serde_json::from_str(if body.trim().is_empty() { "{}" } else { body }) {
            Ok(v) => v,
            Err(e) => return Err(vec![format!("Invalid JSON in request body: {e}")]),
        };
    let mut models: Vec<(String, Value)> = Vec::new();
    for m in &s.models {
        if let Ok(schema) = model_schema(m) {
            models.push((m.name.clone(), schema));
        }
    }
    let Some(schema) = builtin(name).or_else(|| {
        models
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }) else {
        return Ok(());
    };
    let mut errors = Vec::new();
    check(&schema, &instance, "", &models, 0, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Built-in models every API has (spec §9.2).
fn builtin(name: &str) -> Option<Value> {
    match name {
        "Empty" => Some(
            serde_json::json!({"$schema": "http://json-schema.org/draft-04/schema#", "title": "Empty Schema", "type": "object"}),
        ),
        "Error" => Some(
            serde_json::json!({"$schema": "http://json-schema.org/draft-04/schema#", "title": "Error Schema", "type": "object",
                                           "properties": {"message": {"type": "string"}}}),
        ),
        _ => None,
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

/// A compact draft-4 subset used until a full validator is wired in: type, enum, required, properties,
/// additionalProperties (boolean), items (single schema), minimum/maximum, minLength/maxLength, $ref to models.
fn check(
    schema: &Value,
    v: &Value,
    at: &str,
    models: &[(String, Value)],
    depth: usize,
    out: &mut Vec<String>,
) {
    if depth > 32 || out.len() > 50 {
        return;
    }
    let here = if at.is_empty() {
        "/".to_string()
    } else {
        at.to_string()
    };
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        if let Some(s) = builtin(name).or_else(|| {
            models
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s.clone())
        }) {
            check(&s, v, at, models, depth + 1, out);
        }
        return;
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => {
            out.push(format!("instance at {here} is not of type {t}"));
            return;
        }
        Some(Value::Array(ts)) if !ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)) => {
            out.push(format!(
                "instance at {here} does not match any allowed type"
            ));
            return;
        }
        _ => {}
    }
    if let Some(Value::Array(e)) = schema.get("enum") {
        if !e.contains(v) {
            out.push(format!("instance at {here} is not one of the enum values"));
        }
    }
    if let Value::Object(obj) = v {
        if let Some(Value::Array(req)) = schema.get("required") {
            let missing: Vec<&str> = req
                .iter()
                .filter_map(Value::as_str)
                .filter(|k| !obj.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                out.push(format!(
                    "object has missing required properties ({missing:?})"
                ));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(ps, val, &format!("{at}/{k}"), models, depth + 1, out),
                None => {
                    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
                        out.push(format!("object instance has properties which are not allowed by the schema: [\"{k}\"]"));
                    }
                }
            }
        }
    }
    if let (Value::Array(items), Some(is)) = (v, schema.get("items")) {
        for (i, it) in items.iter().enumerate() {
            check(is, it, &format!("{at}/{i}"), models, depth + 1, out);
        }
    }
    if let Some(n) = v.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            out.push(format!(
                "numeric instance at {here} is lower than the required minimum"
            ));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            out.push(format!(
                "numeric instance at {here} is greater than the required maximum"
            ));
        }
    }
    if let Some(s) = v.as_str() {
        let len = s.chars().count() as u64;
        if schema
            .get("minLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| len < m)
        {
            out.push(format!("string at {here} is too short"));
        }
        if schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| len > m)
        {
            out.push(format!("string at {here} is too long"));
        }
    }
}
