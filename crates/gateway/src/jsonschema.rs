//! JSON Schema draft 4 validation of request bodies against API Gateway models (spec §9.2).
//!
//! API:
//! - [`validate`]`(schema, instance, models) -> Vec<Violation>`: every violation with its JSON-pointer path
//!   (`/items/0/price`), the keyword, and a message.
//! - [`validation_error_string`]`(&violations)`: `$context.error.validationErrorString` and the log's
//!   `Request body does not match model schema for content type …: [...]` detail — the messages in a Java
//!   `List.toString()` (`[m1, m2]`).
//! - [`builtin_model`]`(name)`: the `Empty` and `Error` models every API has (§9.2 \[AWS-REC\]).
//! - `models`: the API's models by name (`IndexMap<String, Value>`); built-ins are consulted when a name is absent.
//!
//! Supported keywords: `type` (`integer` excludes `1.0`, as Jackson reads it as a double), `enum`, `properties`,
//! `patternProperties`, `additionalProperties` (bool or schema), `required`, `minProperties`, `maxProperties`,
//! `dependencies`, `items` (schema or tuple), `additionalItems`, `minItems`, `maxItems`, `uniqueItems`, `minimum`,
//! `maximum`, `exclusiveMinimum`/`exclusiveMaximum` (booleans, draft 4), `multipleOf`, `minLength`, `maxLength`
//! (counted in UTF-16 units like Java's `String.length()`), `pattern` (unanchored search), `allOf`, `anyOf`,
//! `oneOf`, `not`, `$ref`. `format` is ignored (annotation only). Unknown keywords are ignored, as draft 4 says.
//!
//! `$ref`: `#` and `#/json/pointer` inside the current document, and
//! `https://apigateway.amazonaws.com/restapis/{apiId}/models/{Model}` (optionally with a `#/pointer` fragment) to
//! another model, whose own `#` refs then resolve inside that model. The `{apiId}` part is not checked \[INFER\].
//! An unresolvable reference is reported as a violation (AWS rejects such models when they are created).
//!
//! Messages are those of the Java validator AWS runs (`com.github.fge:json-schema-validator`, whose wording shows in
//! AWS's validation errors, e.g. `object has missing required properties (["name"])`): names and enum values are
//! printed as JSON, sets of names sorted. Patterns are ECMA 262 in JSON Schema (fge runs them through Rhino);
//! they run through `vtl::java_regex`, whose `.`/`\d`/`\w` mean the same as ECMA 262's for ASCII, with ECMA's `$`
//! (end of input only), `.` and `\s` rewritten with ECMA's meaning (`ecma_to_java`); lookaround and backreferences work as in Java.
//!
//! Report shape, as fge produces it (its `required` digester sorts names; validators sit in a map sorted by keyword;
//! `InstanceValidator` stops descending once the report holds an error unless "deep check" is on, which AWS has no
//! switch for): the messages of one instance location are ordered by keyword name; members/elements are validated
//! only while the whole report is still free of errors, so `{"a": 1, "b": {...}}` failing at `/a` still checks `/b`'s
//! own keywords but not `/b`'s children. Combinators (`allOf`, `anyOf`, `oneOf`, `not`) validate each branch into a
//! fresh report and only contribute their own summary message.
//!
//! Bounds (the core never recurses or loops without limit): at most [`MAX_DEPTH`] nested schema applications, a
//! `$ref` that re-enters the same schema at the same instance location is reported as a validation loop (fge's
//! wording), and at most [`MAX_STEPS`] schema applications per validation.

use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use vtl::java_regex::{self, JavaRegex, StepBudget};

/// Deepest nesting of schema applications.
pub const MAX_DEPTH: usize = 128;
/// Most schema applications per [`validate`] call.
pub const MAX_STEPS: usize = 100_000;

const MODEL_URL_PREFIX: &str = "https://apigateway.amazonaws.com/restapis/";

/// One failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the instance (`""` for the root).
    pub pointer: String,
    pub keyword: &'static str,
    pub message: String,
}

/// `Empty` and `Error`, the models every REST API has (spec §9.2).
pub fn builtin_model(name: &str) -> Option<Value> {
    let text = match name {
        "Empty" => {
            r#"{"$schema":"http://json-schema.org/draft-04/schema#","title":"Empty Schema","type":"object"}"#
        }
        "Error" => {
            r#"{"$schema":"http://json-schema.org/draft-04/schema#","title":"Error Schema","type":"object","properties":{"message":{"type":"string"}}}"#
        }
        _ => return None,
    };
    serde_json::from_str(text).ok()
}

/// `[m1, m2]` (Java `List.toString()` of the messages).
pub fn validation_error_string(violations: &[Violation]) -> String {
    let msgs: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    format!("[{}]", msgs.join(", "))
}

/// Validates `instance` against `schema`; see the module doc.
pub fn validate(
    schema: &Value,
    instance: &Value,
    models: &IndexMap<String, Value>,
) -> Vec<Violation> {
    let builtins: Vec<(String, Value)> = ["Empty", "Error"]
        .iter()
        .filter_map(|n| builtin_model(n).map(|v| (n.to_string(), v)))
        .collect();
    let mut v = Validator {
        models,
        builtins: &builtins,
        regexes: HashMap::new(),
        steps: 0,
        refs: Vec::new(),
    };
    let mut out = Vec::new();
    v.check(schema, schema, instance, "", 0, &mut out);
    // The step budget may have run out inside an `anyOf`/`oneOf`/`not` probe whose messages are discarded:
    // make sure the caller sees that validation did not complete.
    let stop = format!("validation stopped: more than {MAX_STEPS} schema applications");
    if v.steps > MAX_STEPS && !out.iter().any(|x| x.message == stop) {
        out.push(Violation {
            pointer: String::new(),
            keyword: "$ref",
            message: stop,
        });
    }
    out
}

struct Validator<'a> {
    models: &'a IndexMap<String, Value>,
    builtins: &'a [(String, Value)],
    regexes: HashMap<String, Result<JavaRegex, String>>,
    steps: usize,
    /// `(ref, instance pointer)` pairs on the current path, for loop detection.
    refs: Vec<(String, String)>,
}

fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`), as JSON Schema requires.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn escape_pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Resolves a JSON pointer (`/definitions/a`) in `doc`; tokens are `~1`/`~0`-unescaped and percent-decoded
/// (they come from a URI fragment).
fn resolve_pointer<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut cur = doc;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        let token = decoded.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Length in UTF-16 code units (Java `String.length()`).
fn java_len(s: &str) -> usize {
    s.encode_utf16().count()
}

impl<'a> Validator<'a> {
    fn model(&self, name: &str) -> Option<&'a Value> {
        self.models.get(name).or_else(|| {
            self.builtins
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v)
        })
    }

    /// `(document, target schema)` for a `$ref`.
    fn resolve_ref(&self, doc: &'a Value, r: &str) -> Option<(&'a Value, &'a Value)> {
        if let Some(fragment) = r.strip_prefix('#') {
            return resolve_pointer(doc, fragment).map(|t| (doc, t));
        }
        let rest = r.strip_prefix(MODEL_URL_PREFIX)?;
        let (_api_id, after) = rest.split_once("/models/")?;
        let (name, fragment) = match after.split_once('#') {
            Some((n, f)) => (n, f),
            None => (after, ""),
        };
        let model_doc = self.model(name)?;
        resolve_pointer(model_doc, fragment).map(|t| (model_doc, t))
    }

    fn regex(&mut self, pattern: &str) -> Result<&JavaRegex, String> {
        if !self.regexes.contains_key(pattern) {
            let compiled = JavaRegex::compile(&ecma_to_java(pattern)).map_err(|e| e.to_string());
            self.regexes.insert(pattern.to_string(), compiled);
        }
        match self.regexes.get(pattern) {
            Some(Ok(r)) => Ok(r),
            Some(Err(e)) => Err(e.clone()),
            None => Err("regex cache".into()),
        }
    }

    /// Whether `instance` is valid against `schema`, without collecting messages.
    fn is_valid(
        &mut self,
        doc: &'a Value,
        schema: &'a Value,
        instance: &Value,
        ptr: &str,
        depth: usize,
    ) -> bool {
        let mut scratch = Vec::new();
        self.check(doc, schema, instance, ptr, depth, &mut scratch);
        scratch.is_empty()
    }

    fn check(
        &mut self,
        doc: &'a Value,
        schema: &'a Value,
        instance: &Value,
        ptr: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        let err = |out: &mut Vec<Violation>, keyword: &'static str, message: String| {
            out.push(Violation {
                pointer: ptr.to_string(),
                keyword,
                message,
            })
        };
        self.steps += 1;
        if self.steps > MAX_STEPS {
            if self.steps == MAX_STEPS + 1 {
                err(
                    out,
                    "$ref",
                    format!("validation stopped: more than {MAX_STEPS} schema applications"),
                );
            }
            return;
        }
        if depth > MAX_DEPTH {
            err(
                out,
                "$ref",
                format!("validation stopped: schemas nested deeper than {MAX_DEPTH}"),
            );
            return;
        }
        let Value::Object(s) = schema else { return };

        // Draft 4: `$ref` replaces the whole schema object.
        if let Some(Value::String(r)) = s.get("$ref") {
            let key = (r.clone(), ptr.to_string());
            if self.refs.contains(&key) {
                err(
                    out,
                    "$ref",
                    format!("validation loop: schema \"{r}\" visited twice for pointer \"{ptr}\" of validated instance"),
                );
                return;
            }
            match self.resolve_ref(doc, r) {
                Some((new_doc, target)) => {
                    self.refs.push(key);
                    self.check(new_doc, target, instance, ptr, depth + 1, out);
                    self.refs.pop();
                }
                None => err(out, "$ref", format!("unresolvable JSON reference \"{r}\"")),
            }
            return;
        }

        // Keyword validators of this level into their own list, ordered by keyword name (fge keeps its validators
        // in a sorted map), then appended to the report.
        let mut level = Vec::new();
        self.check_type(s, instance, ptr, &mut level);
        if let Some(Value::Array(options)) = s.get("enum") {
            if !options.iter().any(|o| json_eq(o, instance)) {
                err(
                    &mut level,
                    "enum",
                    format!(
                        "instance value ({}) not found in enum (possible values: {})",
                        json_text(instance),
                        json_text(&Value::Array(options.clone()))
                    ),
                );
            }
        }
        match instance {
            Value::Number(_) => self.check_number(s, instance, ptr, &mut level),
            Value::String(text) => self.check_string(s, text, ptr, &mut level),
            Value::Object(obj) => self.check_object_keywords(doc, s, obj, ptr, depth, &mut level),
            Value::Array(items) => self.check_array_keywords(s, items, ptr, &mut level),
            _ => {}
        }
        self.check_combinators(doc, s, instance, ptr, depth, &mut level);
        crate::sorting::sort_by_str_key(&mut level, |v| v.keyword);
        out.extend(level);
        // fge stops descending as soon as the report holds an error (no "deep check"): children are validated
        // only while the whole report is still clean.
        if !out.is_empty() {
            return;
        }
        match instance {
            Value::Object(obj) => self.check_object_children(doc, s, obj, ptr, depth, out),
            Value::Array(items) => self.check_array_children(doc, s, items, ptr, depth, out),
            _ => {}
        }
    }

    fn check_type(
        &self,
        s: &Map<String, Value>,
        instance: &Value,
        ptr: &str,
        out: &mut Vec<Violation>,
    ) {
        let allowed: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let found = type_of(instance);
        let ok = allowed
            .iter()
            .any(|t| *t == found || (*t == "number" && found == "integer"));
        if !ok {
            // fge's draft-4 type digester adds `integer` whenever `number` is allowed, and lists the types in its
            // enum order, which is alphabetical.
            let mut sorted: Vec<&str> = allowed.clone();
            if sorted.contains(&"number") {
                sorted.push("integer");
            }
            crate::sorting::sort_by_str_key(&mut sorted, |t| *t);
            sorted.dedup();
            let list: Vec<String> = sorted.iter().map(|t| format!("\"{t}\"")).collect();
            out.push(Violation {
                pointer: ptr.to_string(),
                keyword: "type",
                message: format!(
                    "instance type ({found}) does not match any allowed primitive type (allowed: [{}])",
                    list.join(",")
                ),
            });
        }
    }

    fn check_number(
        &self,
        s: &Map<String, Value>,
        instance: &Value,
        ptr: &str,
        out: &mut Vec<Violation>,
    ) {
        let Some(x) = as_f64(instance) else { return };
        let found = json_text(instance);
        let mut push = |keyword: &'static str, message: String| {
            out.push(Violation {
                pointer: ptr.to_string(),
                keyword,
                message,
            })
        };
        if let Some(min_v) = s.get("minimum") {
            if let Some(min) = as_f64(min_v) {
                let exclusive = s
                    .get("exclusiveMinimum")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if x < min {
                    push(
                        "minimum",
                        format!("numeric instance is lower than the required minimum (minimum: {min_v}, found: {found})"),
                    );
                } else if exclusive && x == min {
                    push("minimum", format!("numeric instance is not strictly greater than the required minimum {min_v}"));
                }
            }
        }
        if let Some(max_v) = s.get("maximum") {
            if let Some(max) = as_f64(max_v) {
                let exclusive = s
                    .get("exclusiveMaximum")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if x > max {
                    push(
                        "maximum",
                        format!("numeric instance is greater than the required maximum (maximum: {max_v}, found: {found})"),
                    );
                } else if exclusive && x == max {
                    push("maximum", format!("numeric instance is not strictly lower than the required maximum {max_v}"));
                }
            }
        }
        if let Some(div_v) = s.get("multipleOf") {
            if let Some(div) = as_f64(div_v).filter(|d| *d > 0.0) {
                let q = x / div;
                let ok = if let (Some(i), Some(d)) = (instance.as_i64(), div_v.as_i64()) {
                    d != 0 && i % d == 0
                } else {
                    q.is_finite() && (q - q.round()).abs() < 1e-9
                };
                if !ok {
                    push(
                        "multipleOf",
                        format!("remainder of division is not zero ({found} / {div_v})"),
                    );
                }
            }
        }
    }

    fn check_string(
        &mut self,
        s: &Map<String, Value>,
        text: &str,
        ptr: &str,
        out: &mut Vec<Violation>,
    ) {
        let len = java_len(text);
        // fge's message templates put the raw text between quotes (`string "%s" is too short`), no JSON escaping.
        let quoted = format!("\"{text}\"");
        if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
            if (len as u64) < min {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "minLength",
                    message: format!(
                        "string {quoted} is too short (length: {len}, required minimum: {min})"
                    ),
                });
            }
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
            if (len as u64) > max {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "maxLength",
                    message: format!(
                        "string {quoted} is too long (length: {len}, maximum allowed: {max})"
                    ),
                });
            }
        }
        if let Some(Value::String(pattern)) = s.get("pattern") {
            let message = match self.regex(pattern).map(|re| {
                re.try_find(text, &mut StepBudget::new(java_regex::DEFAULT_STEPS))
            }) {
                Ok(Ok(Some(_))) => None,
                Ok(Ok(None)) => Some(format!(
                    "ECMA 262 regex \"{pattern}\" does not match input string {quoted}"
                )),
                // The validator AWS runs has no step bound: this search would not end there.
                Ok(Err(e)) => Some(format!(
                    "ECMA 262 regex \"{pattern}\" on input string {quoted}: {} (\u{2248} on AWS the validation would run for an unbounded time)",
                    e.message
                )),
                Err(e) => Some(format!("pattern \"{pattern}\" is not supported: {e}")),
            };
            if let Some(message) = message {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "pattern",
                    message,
                });
            }
        }
    }

    fn check_combinators(
        &mut self,
        doc: &'a Value,
        s: &'a Map<String, Value>,
        instance: &Value,
        ptr: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        if let Some(Value::Array(list)) = s.get("allOf") {
            let matched = list
                .iter()
                .filter(|sub| self.is_valid(doc, sub, instance, ptr, depth + 1))
                .count();
            if matched < list.len() {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "allOf",
                    message: format!(
                        "instance failed to match all required schemas (matched only {matched} out of {})",
                        list.len()
                    ),
                });
            }
        }
        if let Some(Value::Array(list)) = s.get("anyOf") {
            let any = list
                .iter()
                .any(|sub| self.is_valid(doc, sub, instance, ptr, depth + 1));
            if !any {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "anyOf",
                    message: format!(
                        "instance failed to match at least one required schema among {}",
                        list.len()
                    ),
                });
            }
        }
        if let Some(Value::Array(list)) = s.get("oneOf") {
            let matched = list
                .iter()
                .filter(|sub| self.is_valid(doc, sub, instance, ptr, depth + 1))
                .count();
            if matched != 1 {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "oneOf",
                    message: format!(
                        "instance failed to match exactly one schema (matched {matched} out of {})",
                        list.len()
                    ),
                });
            }
        }
        if let Some(sub) = s.get("not") {
            if self.is_valid(doc, sub, instance, ptr, depth + 1) {
                out.push(Violation {
                    pointer: ptr.to_string(),
                    keyword: "not",
                    message: "instance matched a schema which it should not have".to_string(),
                });
            }
        }
    }

    fn check_object_keywords(
        &mut self,
        doc: &'a Value,
        s: &'a Map<String, Value>,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        let push = |out: &mut Vec<Violation>, keyword: &'static str, message: String| {
            out.push(Violation {
                pointer: ptr.to_string(),
                keyword,
                message,
            })
        };
        if let Some(Value::Array(req)) = s.get("required") {
            let mut missing: Vec<&str> = req
                .iter()
                .filter_map(Value::as_str)
                .filter(|n| !obj.contains_key(*n))
                .collect();
            crate::sorting::sort_by_str_key(&mut missing, |n| *n);
            missing.dedup();
            if !missing.is_empty() {
                let list: Vec<String> = missing
                    .iter()
                    .map(|n| json_text(&Value::String(n.to_string())))
                    .collect();
                push(
                    out,
                    "required",
                    format!(
                        "object has missing required properties ([{}])",
                        list.join(",")
                    ),
                );
            }
        }
        if let Some(min) = s.get("minProperties").and_then(Value::as_u64) {
            if (obj.len() as u64) < min {
                push(
                    out,
                    "minProperties",
                    format!("object has too few properties (found {} but schema requires at least {min})", obj.len()),
                );
            }
        }
        if let Some(max) = s.get("maxProperties").and_then(Value::as_u64) {
            if (obj.len() as u64) > max {
                push(
                    out,
                    "maxProperties",
                    format!("object has too many properties (found {} but schema requires at most {max})", obj.len()),
                );
            }
        }
        if let Some(Value::Object(deps)) = s.get("dependencies") {
            for (name, dep) in deps {
                if !obj.contains_key(name) {
                    continue;
                }
                match dep {
                    Value::Array(needed) => {
                        let mut missing: Vec<&str> = needed
                            .iter()
                            .filter_map(Value::as_str)
                            .filter(|n| !obj.contains_key(*n))
                            .collect();
                        crate::sorting::sort_by_str_key(&mut missing, |n| *n);
                        if !missing.is_empty() {
                            let req: Vec<String> = needed.iter().map(json_text).collect();
                            let miss: Vec<String> = missing
                                .iter()
                                .map(|n| json_text(&Value::String(n.to_string())))
                                .collect();
                            push(
                                out,
                                "dependencies",
                                format!(
                                    "property \"{}\" of object has missing property dependencies (schema requires [{}]; missing: [{}])",
                                    name,
                                    req.join(","),
                                    miss.join(",")
                                ),
                            );
                        }
                    }
                    Value::Object(_) => {
                        self.check(doc, dep, &Value::Object(obj.clone()), ptr, depth + 1, out);
                    }
                    _ => {}
                }
            }
        }
        if s.get("additionalProperties") == Some(&Value::Bool(false)) {
            let props = s.get("properties").and_then(Value::as_object);
            let pattern_props = s.get("patternProperties").and_then(Value::as_object);
            let mut not_allowed: Vec<&str> = Vec::new();
            for name in obj.keys() {
                let by_name = props.is_some_and(|p| p.contains_key(name));
                let by_pattern = pattern_props.is_some_and(|pp| {
                    pp.keys().any(
                        |pattern| matches!(self.regex(pattern), Ok(re) if re.find(name).is_some()),
                    )
                });
                if !by_name && !by_pattern {
                    not_allowed.push(name);
                }
            }
            if !not_allowed.is_empty() {
                crate::sorting::sort_by_str_key(&mut not_allowed, |n| *n);
                let list: Vec<String> = not_allowed
                    .iter()
                    .map(|n| json_text(&Value::String(n.to_string())))
                    .collect();
                push(
                    out,
                    "additionalProperties",
                    format!(
                        "object instance has properties which are not allowed by the schema: [{}]",
                        list.join(",")
                    ),
                );
            }
        }
    }

    /// Validates each member against the schemas that apply to it (`properties`, `patternProperties`, or
    /// `additionalProperties` when it is a schema), in document order.
    fn check_object_children(
        &mut self,
        doc: &'a Value,
        s: &'a Map<String, Value>,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        let props = s.get("properties").and_then(Value::as_object);
        let pattern_props = s.get("patternProperties").and_then(Value::as_object);
        let additional = s.get("additionalProperties");
        for (name, value) in obj {
            let child_ptr = format!("{ptr}/{}", escape_pointer_token(name));
            let mut covered = false;
            if let Some(sub) = props.and_then(|p| p.get(name)) {
                covered = true;
                self.check(doc, sub, value, &child_ptr, depth + 1, out);
            }
            if let Some(pp) = pattern_props {
                for (pattern, sub) in pp {
                    let hit = matches!(self.regex(pattern), Ok(re) if re.find(name).is_some());
                    if hit {
                        covered = true;
                        self.check(doc, sub, value, &child_ptr, depth + 1, out);
                    }
                }
            }
            if !covered {
                if let Some(sub @ Value::Object(_)) = additional {
                    self.check(doc, sub, value, &child_ptr, depth + 1, out);
                }
            }
        }
    }

    fn check_array_keywords(
        &mut self,
        s: &'a Map<String, Value>,
        items: &[Value],
        ptr: &str,
        out: &mut Vec<Violation>,
    ) {
        let n = items.len();
        let push = |out: &mut Vec<Violation>, keyword: &'static str, message: String| {
            out.push(Violation {
                pointer: ptr.to_string(),
                keyword,
                message,
            })
        };
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if (n as u64) < min {
                push(
                    out,
                    "minItems",
                    format!("array is too short: must have at least {min} elements but instance has {n} elements"),
                );
            }
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
            if (n as u64) > max {
                push(
                    out,
                    "maxItems",
                    format!("array is too long: must have at most {max} elements but instance has {n} elements"),
                );
            }
        }
        if s.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            let dup = (0..n).any(|i| (i + 1..n).any(|j| json_eq(&items[i], &items[j])));
            if dup {
                push(
                    out,
                    "uniqueItems",
                    "array must not contain duplicate elements".to_string(),
                );
            }
        }
        if let (Some(Value::Array(tuple)), Some(Value::Bool(false))) =
            (s.get("items"), s.get("additionalItems"))
        {
            if n > tuple.len() {
                push(
                    out,
                    "additionalItems",
                    format!(
                        "schema only allows {} elements in array but instance has {n} elements",
                        tuple.len()
                    ),
                );
            }
        }
    }

    /// Validates each element against `items` (one schema, or the tuple plus `additionalItems` as a schema).
    fn check_array_children(
        &mut self,
        doc: &'a Value,
        s: &'a Map<String, Value>,
        items: &[Value],
        ptr: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        match s.get("items") {
            Some(sub @ Value::Object(_)) => {
                for (i, item) in items.iter().enumerate() {
                    self.check(doc, sub, item, &format!("{ptr}/{i}"), depth + 1, out);
                }
            }
            Some(Value::Array(tuple)) => {
                for (i, item) in items.iter().enumerate() {
                    let child = format!("{ptr}/{i}");
                    match tuple.get(i) {
                        Some(sub) => self.check(doc, sub, item, &child, depth + 1, out),
                        None => {
                            if let Some(sub @ Value::Object(_)) = s.get("additionalItems") {
                                self.check(doc, sub, item, &child, depth + 1, out);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// ECMA 262's white space and line terminators, the members of its `\s` (Java's `\s` is ASCII
/// only), written as class items.
const ECMA_SPACE: &str =
    "\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";

/// A schema `pattern` is an ECMA 262 regex, run by the validator AWS uses (fge's, through
/// Rhino's JavaScript engine, as its "ECMA 262 regex" messages say). Where the two flavors read
/// the same text differently, the ECMA meaning is written in Java syntax:
/// - `$` (no multiline flag) is the very end of the input; Java's also matches before a final
///   line terminator, so `^[a-z]+$` would accept `"abc\n"`: it becomes `\z`;
/// - `.` excludes `\n \r U+2028 U+2029` only (Java also excludes U+0085);
/// - `\s` / `\S` are Unicode white space (Java: ASCII), in and outside classes (`\S` inside a
///   class is left as Java's: it has no class-item form).
///
/// Escapes (`\$`, `\.`) and class contents other than `\s` are kept; `\d` and `\w` are ASCII
/// in both.
fn ecma_to_java(pattern: &str) -> std::borrow::Cow<'_, str> {
    if !pattern.contains(['$', '.', '\\']) {
        return std::borrow::Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if in_class => out.push_str(ECMA_SPACE),
                Some('s') => {
                    out.push('[');
                    out.push_str(ECMA_SPACE);
                    out.push(']');
                }
                Some('S') if !in_class => {
                    out.push_str("[^");
                    out.push_str(ECMA_SPACE);
                    out.push(']');
                }
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                if chars.clone().next() == Some('^') {
                    out.push('^');
                    chars.next();
                }
                // A `]` right after `[` or `[^` does not close the class in Java (a literal).
                if chars.clone().next() == Some(']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '$' if !in_class => out.push_str("\\z"),
            '.' if !in_class => out.push_str("[^\\n\\r\\u2028\\u2029]"),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(schema: Value, instance: Value) -> Vec<String> {
        validate(&schema, &instance, &IndexMap::new())
            .into_iter()
            .map(|v| format!("{} {}", v.pointer, v.message))
            .collect()
    }

    #[test]
    fn required_and_type_messages_spec_9_2() {
        let s = json!({"type": "object", "required": ["price", "name"], "properties": {"price": {"type": "number"}}});
        assert_eq!(
            run(s.clone(), json!({"price": 1})),
            [" object has missing required properties ([\"name\"])"]
        );
        assert_eq!(
            run(s, json!({"name": "n", "price": "x"})),
            ["/price instance type (string) does not match any allowed primitive type (allowed: [\"integer\",\"number\"])"]
        );
        assert_eq!(
            run(json!({"type": "integer"}), json!(1.0)),
            [" instance type (number) does not match any allowed primitive type (allowed: [\"integer\"])"]
        );
        assert!(run(json!({"type": "number"}), json!(3)).is_empty());
        assert_eq!(
            run(json!({"required": ["b", "a", "c"]}), json!({"c": 1})),
            [" object has missing required properties ([\"a\",\"b\"])"],
            "sorted, as fge's digester sorts `required`"
        );
    }

    #[test]
    fn children_are_skipped_once_the_report_has_an_error() {
        // fge (no deep check): a failing level stops descent; later siblings still get their own keywords checked.
        let s = json!({"required": ["x"], "properties": {"a": {"type": "string"}}});
        assert_eq!(
            run(s, json!({"a": 1})),
            [" object has missing required properties ([\"x\"])"]
        );
        let s = json!({"properties": {"a": {"type": "string"}, "b": {"minProperties": 2, "properties": {"c": {"type": "string"}}}}});
        assert_eq!(
            run(s, json!({"a": 1, "b": {"c": 1}})),
            [
                "/a instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])",
                "/b object has too few properties (found 1 but schema requires at least 2)"
            ]
        );
    }

    #[test]
    fn same_level_messages_are_ordered_by_keyword() {
        assert_eq!(
            run(json!({"type": "string", "enum": ["a"]}), json!(1)),
            [
                " instance value (1) not found in enum (possible values: [\"a\"])",
                " instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])"
            ]
        );
    }

    #[test]
    fn draft4_boolean_exclusive_bounds() {
        let s = json!({"minimum": 0, "maximum": 10, "exclusiveMaximum": true});
        assert!(run(s.clone(), json!(0)).is_empty());
        assert_eq!(
            run(s.clone(), json!(10)),
            [" numeric instance is not strictly lower than the required maximum 10"]
        );
        assert_eq!(
            run(s, json!(-1)),
            [" numeric instance is lower than the required minimum (minimum: 0, found: -1)"]
        );
    }

    #[test]
    fn strings_enum_pattern() {
        assert_eq!(
            run(json!({"minLength": 3}), json!("ab")),
            [" string \"ab\" is too short (length: 2, required minimum: 3)"]
        );
        assert!(
            run(json!({"maxLength": 1}), json!("😀")).len() == 1,
            "UTF-16 length 2"
        );
        assert!(
            run(json!({"pattern": "b+"}), json!("abbc")).is_empty(),
            "unanchored"
        );
        assert_eq!(
            run(json!({"pattern": "^x"}), json!("abc")),
            [" ECMA 262 regex \"^x\" does not match input string \"abc\""]
        );
        assert_eq!(
            run(json!({"enum": ["a", 1]}), json!("b")),
            [" instance value (\"b\") not found in enum (possible values: [\"a\",1])"]
        );
        assert!(run(json!({"enum": [1]}), json!(1.0)).is_empty());
    }

    #[test]
    fn pattern_dollar_is_ecma_end_of_input_not_javas_final_terminator() {
        // `^[a-z]+$` on "abc\n": Java's `$` matches before the final newline, ECMA's does not.
        assert_eq!(
            run(json!({"pattern": "^[a-z]+$"}), json!("abc\n")),
            [" ECMA 262 regex \"^[a-z]+$\" does not match input string \"abc\n\""]
        );
        assert!(run(json!({"pattern": "^[a-z]+$"}), json!("abc")).is_empty());
        // Escaped and in-class `$` stay literal dollars.
        assert!(run(json!({"pattern": "^\\$[$a]$"}), json!("$$")).is_empty());
        assert_eq!(ecma_to_java("a$|[$]\\$"), "a\\z|[$]\\$");
        // `.` matches U+0085 in ECMA (not in Java); `\s` is Unicode white space in ECMA.
        assert!(run(json!({"pattern": "^a.b$"}), json!("a\u{85}b")).is_empty());
        assert_eq!(run(json!({"pattern": "^a.b$"}), json!("a\nb")).len(), 1);
        assert!(run(json!({"pattern": "^a\\sb$"}), json!("a\u{a0}b")).is_empty());
        assert!(run(json!({"pattern": "^a[\\s-]b$"}), json!("a\u{3000}b")).is_empty());
        assert_eq!(
            run(json!({"pattern": "^\\S+$"}), json!("a\u{a0}b")).len(),
            1
        );
        assert!(run(json!({"pattern": "^\\S+\\.x$"}), json!("ab.x")).is_empty());
    }

    #[test]
    fn a_pattern_that_backtracks_without_end_is_stopped_and_said() {
        // `(a+)+b\1`: exponential in Java too (backreferences turn off Java 9's loop memo).
        let found = run(json!({"pattern": "(a+)+b\\1"}), json!("a".repeat(40)));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("regular expression search stopped")
                && found[0].contains("unbounded time"),
            "{found:?}"
        );
    }

    #[test]
    fn arrays() {
        let s = json!({"type": "array", "items": {"type": "string"}, "minItems": 2, "uniqueItems": true});
        assert_eq!(
            run(s.clone(), json!([1, 1])),
            [" array must not contain duplicate elements"]
        );
        assert_eq!(
            run(s, json!([1, "a"])),
            ["/0 instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])"]
        );
        assert_eq!(
            run(json!({"maxItems": 1}), json!([1, 2])),
            [" array is too long: must have at most 1 elements but instance has 2 elements"]
        );
        assert_eq!(
            run(
                json!({"items": [{}], "additionalItems": false}),
                json!([1, 2])
            ),
            [" schema only allows 1 elements in array but instance has 2 elements"]
        );
    }

    #[test]
    fn additional_properties_and_combinators() {
        let s = json!({"properties": {"a": {}}, "additionalProperties": false});
        assert_eq!(
            run(s, json!({"a": 1, "z": 2, "b": 3})),
            [" object instance has properties which are not allowed by the schema: [\"b\",\"z\"]"]
        );
        let one = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
        assert_eq!(
            run(one, json!(1)),
            [" instance failed to match exactly one schema (matched 2 out of 2)"]
        );
        assert_eq!(
            run(
                json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
                json!(1)
            ),
            [" instance failed to match at least one required schema among 2"]
        );
        assert_eq!(
            run(json!({"not": {"type": "string"}}), json!("x")),
            [" instance matched a schema which it should not have"]
        );
    }

    #[test]
    fn refs_to_definitions_and_models_spec_9_2() {
        let mut models = IndexMap::new();
        models.insert("Pet".to_string(), json!({"type": "object", "required": ["name"], "properties": {"tag": {"$ref": "#/definitions/tag"}}, "definitions": {"tag": {"type": "string"}}}));
        let s = json!({"type": "array", "items": {"oneOf": [{"$ref": "https://apigateway.amazonaws.com/restapis/abc123defg/models/Pet"}, {"type": "null"}]}});
        let v = validate(&s, &json!([{"name": "x", "tag": "t"}, null]), &models);
        assert!(v.is_empty(), "{v:?}");
        let v = validate(&s, &json!([{"name": "x", "tag": 1}]), &models);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].pointer, "/0");
        let v = validate(
            &json!({"$ref": "#/definitions/missing"}),
            &json!(1),
            &models,
        );
        assert_eq!(
            v[0].message,
            "unresolvable JSON reference \"#/definitions/missing\""
        );
    }

    #[test]
    fn ref_cycle_does_not_overflow() {
        let s = json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"});
        let v = validate(&s, &json!(1), &IndexMap::new());
        assert!(v[0].message.starts_with("validation loop"), "{v:?}");
        // A recursive schema over a deep instance is bounded by MAX_DEPTH.
        let tree = json!({"type": "object", "properties": {"c": {"$ref": "#"}}});
        let mut inst = json!({});
        for _ in 0..200 {
            inst = json!({ "c": inst });
        }
        let v = validate(&tree, &inst, &IndexMap::new());
        assert!(
            v.iter().any(|x| x.message.contains("nested deeper")),
            "{v:?}"
        );
    }

    #[test]
    fn exponential_combinators_hit_the_step_budget() {
        // Each level doubles the work: l(i+1) = anyOf [l(i), l(i)] through `$ref`, so the schema stays small.
        let mut defs = serde_json::Map::new();
        defs.insert("l0".into(), json!({"type": "string"}));
        for i in 0..40 {
            let r = format!("#/definitions/l{i}");
            defs.insert(
                format!("l{}", i + 1),
                json!({"anyOf": [{"$ref": r}, {"$ref": r}]}),
            );
        }
        let s = json!({"definitions": defs, "$ref": "#/definitions/l40"});
        let v = validate(&s, &json!(1), &IndexMap::new());
        assert!(
            v.iter()
                .any(|x| x.message.starts_with("validation stopped")),
            "{v:?}"
        );
    }

    #[test]
    fn builtin_models_spec_9_2() {
        let empty = builtin_model("Empty").unwrap();
        assert!(validate(&empty, &json!({}), &IndexMap::new()).is_empty());
        assert_eq!(validate(&empty, &json!([]), &IndexMap::new()).len(), 1);
        let s = json!({"$ref": "https://apigateway.amazonaws.com/restapis/x/models/Error"});
        assert_eq!(
            validate(&s, &json!({"message": 1}), &IndexMap::new()).len(),
            1
        );
        let v = validate(&json!({"type": "string"}), &json!(1), &IndexMap::new());
        assert_eq!(
            validation_error_string(&v),
            "[instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])]"
        );
    }
}
