//! Lambda proxy integration (`AWS_PROXY`), payload format 1.0: the input event (spec §2) and the
//! function's response (spec §3), plus the binary-media matching shared with `contentHandling` (§11.2).
//!
//! API:
//! - [`build_event`]`(&ProxyEventInput) -> serde_json::Value`: the event with AWS's key order (§2.4):
//!   `resource, path, httpMethod, headers, multiValueHeaders, queryStringParameters,
//!   multiValueQueryStringParameters, pathParameters, stageVariables, requestContext, body, isBase64Encoded`.
//!   - `headers`/`multiValueHeaders` are `null` iff there are no headers; single-value = last wins, multi-value =
//!     every value in arrival order (§2.1). Same for the query string. `pathParameters`/`stageVariables` are
//!     `null` when empty; `body` is `null` when absent (§2.1).
//!   - Keys of `headers`, `multiValueHeaders` and both query maps are ordered case-insensitively by name (stable,
//!     so equal names keep arrival order). AWS's recorded events are in this order: the §2.4 example (`q` before
//!     `tag` although `tag` came first; `x-foo-bar` between `X-Amzn-Trace-Id` and `X-Forwarded-For`) and the
//!     Lambda guide's sample event (`cookie` between `Accept-Language` and `Host`) [AWS-REC/DOC; INFER that it is
//!     a rule]. Names are grouped exactly (case-sensitively), as §1.2 says names are case-sensitive.
//! - [`parse_response`]`(payload) -> Result<ProxyResponse, Malformed>`: every row of the §3.2 table.
//!   [`ProxyResponse::headers`] is the §3.3 merge of `multiValueHeaders` and `headers` (both kept); use
//!   [`ProxyResponse::folded_headers`] for the one-line-per-name form (`value-multi, value-solo`).
//! - [`first_accept_type`], [`media_type_matches`], [`matches_binary_media_types`]: the recorded
//!   `binaryMediaTypes` matching rules (§3.3, §11.2); [`response_body`] applies the §3.3 decision to a response.
//!
//! Response parsing follows a Jackson-style data binding, which is what the recorded rows show (numeric string
//! `statusCode` accepted, boolean header value stringified, unknown key rejected):
//! - `statusCode`: missing or `null` → 200; integer or numeric string, 100–599; anything else → malformed
//!   (out-of-range codes are rejected \[INFER\]; a float with a fraction is rejected \[INFER\]).
//! - `headers`: `null` or an object; values string / number / boolean (stringified); a `null` value is skipped
//!   \[INFER\]; object/array values → malformed \[INFER\].
//! - `multiValueHeaders`: `null` or an object whose values are lists (non-list → malformed \[AWS-REC\]); list items
//!   scalars stringified, `null` items skipped \[INFER\]; a `null` list is skipped \[INFER\].
//! - `body`: string, or missing/`null` → empty; any other type → malformed \[DOC knowledge center\].
//! - `isBase64Encoded`: boolean, `null`, or the strings `"true"`/`"false"` (Jackson scalar coercion \[INFER\];
//!   \[EMU:SAM\] accepts the strings too); anything else → malformed.
//!
//! Failure bodies are not built here: a [`Malformed`] becomes a 502 with the integration-failure body of
//! `gateway_response` (`{"message": "Internal server error"}`, with a space) and the log line
//! `Execution failed due to configuration error: Malformed Lambda proxy response` (§3.2, §10.3).

use base64::Engine as _;
use serde_json::{Map, Value};

/// Everything the pipeline knows when it builds the event.
#[derive(Clone, Debug, Default)]
pub struct ProxyEventInput {
    /// Resource path template, e.g. `/orders/{proxy+}`.
    pub resource: String,
    /// Event path (no stage), see `routing::split_stage`.
    pub path: String,
    /// The concrete method (never `ANY`).
    pub http_method: String,
    /// Headers in arrival order, after the endpoint transform.
    pub headers: Vec<(String, String)>,
    /// Decoded query pairs in arrival order (`querystring::parse`).
    pub query: Vec<(String, String)>,
    /// Raw path parameters in template order (`routing::match_resource`).
    pub path_params: Vec<(String, String)>,
    pub stage_variables: Vec<(String, String)>,
    /// The `requestContext` object, built by the pipeline (§2.2).
    pub request_context: Value,
    /// `None` when the request has no body.
    pub body: Option<String>,
    pub is_base64_encoded: bool,
}

fn sorted_case_insensitive(pairs: &[(String, String)]) -> Vec<&(String, String)> {
    let lower: Vec<String> = pairs
        .iter()
        .map(|(name, _)| vtl::jchar::string_to_lower(name))
        .collect();
    crate::sorting::order_of_owned_keys(&lower)
        .into_iter()
        .filter_map(|i| pairs.get(i))
        .collect()
}

/// `(single, multi)` maps, or `(null, null)` when there are no pairs.
fn single_and_multi(pairs: &[(String, String)]) -> (Value, Value) {
    if pairs.is_empty() {
        return (Value::Null, Value::Null);
    }
    let mut single = Map::new();
    let mut multi: Map<String, Value> = Map::new();
    for (name, value) in sorted_case_insensitive(pairs) {
        single.insert(name.clone(), Value::String(value.clone()));
        match multi.get_mut(name) {
            Some(Value::Array(list)) => list.push(Value::String(value.clone())),
            _ => {
                multi.insert(
                    name.clone(),
                    Value::Array(vec![Value::String(value.clone())]),
                );
            }
        }
    }
    (Value::Object(single), Value::Object(multi))
}

fn object_or_null(pairs: &[(String, String)]) -> Value {
    if pairs.is_empty() {
        return Value::Null;
    }
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

/// Builds the Lambda proxy event (spec §2.1, §2.4).
pub fn build_event(input: &ProxyEventInput) -> Value {
    let (headers, multi_headers) = single_and_multi(&input.headers);
    let (query, multi_query) = single_and_multi(&input.query);
    let mut event = Map::new();
    event.insert("resource".into(), Value::String(input.resource.clone()));
    event.insert("path".into(), Value::String(input.path.clone()));
    event.insert(
        "httpMethod".into(),
        Value::String(input.http_method.clone()),
    );
    event.insert("headers".into(), headers);
    event.insert("multiValueHeaders".into(), multi_headers);
    event.insert("queryStringParameters".into(), query);
    event.insert("multiValueQueryStringParameters".into(), multi_query);
    event.insert("pathParameters".into(), object_or_null(&input.path_params));
    event.insert(
        "stageVariables".into(),
        object_or_null(&input.stage_variables),
    );
    event.insert("requestContext".into(), input.request_context.clone());
    event.insert(
        "body".into(),
        input.body.clone().map_or(Value::Null, Value::String),
    );
    event.insert(
        "isBase64Encoded".into(),
        Value::Bool(input.is_base64_encoded),
    );
    Value::Object(event)
}

/// A well-formed Lambda proxy response (spec §3.1, §3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyResponse {
    pub status: u16,
    /// One `(name, value)` per value, grouped by case-insensitive name in order of first appearance:
    /// `multiValueHeaders` entries first, then `headers`; a name's first spelling wins (§3.3 recorded:
    /// `tesT-Multi: value-multi, value-solo`).
    pub headers: Vec<(String, String)>,
    /// The `body` string verbatim (empty when missing or `null`).
    pub body: String,
    pub is_base64_encoded: bool,
}

/// Why a Lambda proxy response is malformed (the client sees 502, §3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub reason: String,
}

fn malformed(reason: impl Into<String>) -> Malformed {
    Malformed {
        reason: reason.into(),
    }
}

const KNOWN_KEYS: [&str; 5] = [
    "statusCode",
    "headers",
    "multiValueHeaders",
    "body",
    "isBase64Encoded",
];

fn parse_status(v: Option<&Value>) -> Result<u16, Malformed> {
    let code: i64 = match v {
        None | Some(Value::Null) => return Ok(200),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                i
            } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e6) {
                f as i64
            } else {
                return Err(malformed(format!("statusCode {n} is not an integer")));
            }
        }
        Some(Value::String(s)) => s
            .parse::<i64>()
            .map_err(|_| malformed(format!("statusCode \"{s}\" is not a number")))?,
        Some(other) => {
            return Err(malformed(format!(
                "statusCode must be an integer, got {}",
                type_name(other)
            )))
        }
    };
    if (100..=599).contains(&code) {
        Ok(code as u16)
    } else {
        Err(malformed(format!("statusCode {code} is outside 100-599")))
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A header value as Jackson would bind it to a `String`: scalars stringified, `null` skipped.
fn scalar_text(v: &Value, what: &str) -> Result<Option<String>, Malformed> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(malformed(format!(
            "{what} must be a string, got {}",
            type_name(other)
        ))),
    }
}

fn push_header(out: &mut Vec<(String, Vec<String>)>, name: &str, value: String) {
    if let Some((_, values)) = out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        values.push(value);
    } else {
        out.push((name.to_string(), vec![value]));
    }
}

/// Parses and validates the function's result (spec §3.2), merging headers per §3.3.
pub fn parse_response(payload: &str) -> Result<ProxyResponse, Malformed> {
    let value: Value =
        serde_json::from_str(payload).map_err(|e| malformed(format!("not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(malformed(format!(
            "the response must be a JSON object, got {}",
            type_name(&value)
        )));
    };
    if let Some(key) = obj.keys().find(|k| !KNOWN_KEYS.contains(&k.as_str())) {
        return Err(malformed(format!("unknown key `{key}`")));
    }
    let status = parse_status(obj.get("statusCode"))?;

    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    match obj.get("multiValueHeaders") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (name, v) in m {
                match v {
                    Value::Null => {}
                    Value::Array(items) => {
                        for item in items {
                            if let Some(text) =
                                scalar_text(item, &format!("multiValueHeaders.{name}[]"))?
                            {
                                push_header(&mut grouped, name, text);
                            }
                        }
                    }
                    other => {
                        return Err(malformed(format!(
                            "multiValueHeaders.{name} must be a list, got {}",
                            type_name(other)
                        )))
                    }
                }
            }
        }
        Some(other) => {
            return Err(malformed(format!(
                "multiValueHeaders must be an object, got {}",
                type_name(other)
            )))
        }
    }
    match obj.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (name, v) in m {
                if let Some(text) = scalar_text(v, &format!("headers.{name}"))? {
                    push_header(&mut grouped, name, text);
                }
            }
        }
        Some(other) => {
            return Err(malformed(format!(
                "headers must be an object, got {}",
                type_name(other)
            )))
        }
    }
    let headers = grouped
        .into_iter()
        .flat_map(|(name, values)| values.into_iter().map(move |v| (name.clone(), v)))
        .collect();

    let body = match obj.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(malformed(format!(
                "body must be a string, got {}",
                type_name(other)
            )))
        }
    };
    let is_base64_encoded = match obj.get("isBase64Encoded") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        Some(Value::String(s)) if s == "false" => false,
        Some(other) => {
            return Err(malformed(format!(
                "isBase64Encoded must be a boolean, got {}",
                type_name(other)
            )))
        }
    };
    Ok(ProxyResponse {
        status,
        headers,
        body,
        is_base64_encoded,
    })
}

impl ProxyResponse {
    /// One header per name, values joined with `", "` as recorded on EDGE (§3.3); `Set-Cookie` values stay
    /// separate lines because folding would corrupt them (§3.3 \[DOC 2018; INFER\]).
    pub fn folded_headers(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (name, value) in &self.headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                out.push((name.clone(), value.clone()));
                continue;
            }
            match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                Some((_, v)) => {
                    v.push_str(", ");
                    v.push_str(value);
                }
                None => out.push((name.clone(), value.clone())),
            }
        }
        out
    }

    /// Whether the function set a `Content-Type` (if not, API Gateway adds `application/json`, §3.3).
    pub fn has_content_type(&self) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    }
}

/// The first media type of an `Accept` header, without parameters, lower-cased
/// (`image/webp,image/*,*/*;q=0.8` → `image/webp`; spec §11.2 "only the first is considered").
pub fn first_accept_type(accept: &str) -> Option<String> {
    let first = accept.split(',').next()?.split(';').next()?.trim();
    if first.is_empty() {
        None
    } else {
        Some(first.to_ascii_lowercase())
    }
}

/// The MIME type of a `Content-Type` value without parameters, lower-cased (`application/json; charset=UTF-8`
/// → `application/json`, spec §4.1).
pub fn mime_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Does `candidate` (a concrete request/response media type) match one configured `binaryMediaTypes` entry?
/// Recorded rules (§3.3, §11.2): exact match (case-insensitive); a configured `type/*` matches any subtype of
/// `type`; a configured `*/*` matches everything \[DOC\]; a configured left wildcard `*/sub` never matches; a
/// wildcard *candidate* (`*/*`, `image/*`) only matches an identical or broader configured entry.
pub fn media_type_matches(candidate: &str, configured: &str) -> bool {
    let candidate = candidate.trim().to_ascii_lowercase();
    let configured = configured.trim().to_ascii_lowercase();
    // Not even an identical Accept matches a left wildcard: `Accept: */test` with `*/test` configured stays text
    // [AWS-REC: LocalStack test_apigateway_lambda.py::test_aws_proxy_binary_response].
    if configured.starts_with("*/") && configured != "*/*" {
        return false;
    }
    if configured == "*/*" || candidate == configured {
        return true;
    }
    let Some((ctype, _)) = candidate.split_once('/') else {
        return false;
    };
    match configured.split_once('/') {
        Some((t, "*")) if t != "*" => t == ctype,
        _ => false,
    }
}

/// Whether `candidate` matches any entry of `binary_media_types`.
pub fn matches_binary_media_types(candidate: &str, binary_media_types: &[String]) -> bool {
    binary_media_types
        .iter()
        .any(|c| media_type_matches(candidate, c))
}

/// The body the client receives for a proxy response (§3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseBody {
    pub bytes: Vec<u8>,
    /// True when the function's base64 text was decoded to binary.
    pub decoded: bool,
}

/// Applies the §3.3 decision: decode `body` from base64 only when `isBase64Encoded` is true and the request's
/// first `Accept` type matches `binaryMediaTypes`; otherwise the text is returned as-is (including base64 text).
/// Invalid base64 when decoding is required → `Err` (500 API_CONFIGURATION_ERROR, §3.3).
pub fn response_body(
    resp: &ProxyResponse,
    accept: Option<&str>,
    binary_media_types: &[String],
) -> Result<ResponseBody, String> {
    let wants_binary = resp.is_base64_encoded
        && accept
            .and_then(first_accept_type)
            .is_some_and(|t| matches_binary_media_types(&t, binary_media_types));
    if !wants_binary {
        return Ok(ResponseBody {
            bytes: resp.body.as_bytes().to_vec(),
            decoded: false,
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(resp.body.as_bytes())
        .map(|bytes| ResponseBody {
            bytes,
            decoded: true,
        })
        .map_err(|e| format!("Unable to base64 decode the body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(payload: &str) -> ProxyResponse {
        parse_response(payload).unwrap_or_else(|m| panic!("{payload}: {}", m.reason))
    }
    fn bad(payload: &str) -> String {
        match parse_response(payload) {
            Ok(r) => panic!("{payload} accepted: {r:?}"),
            Err(m) => m.reason,
        }
    }

    #[test]
    fn proxy_empty_object_is_200_empty_body_spec_3_2() {
        let r = ok("{}");
        assert_eq!((r.status, r.body.as_str(), r.headers.len()), (200, "", 0));
    }

    #[test]
    fn proxy_statuscode_string_201_is_accepted_spec_3_2() {
        assert_eq!(ok(r#"{"statusCode":"201"}"#).status, 201);
    }

    #[test]
    fn proxy_statuscode_non_numeric_string_is_malformed_spec_3_2() {
        assert!(bad(r#"{"statusCode":"test"}"#).contains("statusCode"));
    }

    #[test]
    fn proxy_unknown_key_is_malformed_spec_3_2() {
        assert_eq!(
            bad(r#"{"statusCode":200,"wrongValue":"value"}"#),
            "unknown key `wrongValue`"
        );
    }

    #[test]
    fn proxy_non_object_payloads_are_malformed_spec_3_2() {
        for p in [r#""justAString""#, "[1]", "null", "not json", "", "42"] {
            bad(p);
        }
    }

    #[test]
    fn proxy_null_headers_and_boolean_values_spec_3_2() {
        assert_eq!(ok(r#"{"statusCode":200,"headers":null}"#).status, 200);
        let r = ok(r#"{"headers":{"x":true,"n":5}}"#);
        assert_eq!(
            r.headers,
            vec![("x".into(), "true".into()), ("n".into(), "5".into())]
        );
    }

    #[test]
    fn proxy_multivalue_non_list_and_body_non_string_are_malformed_spec_3_2() {
        bad(r#"{"multiValueHeaders":{"x":"v"}}"#);
        bad(r#"{"body":{"a":1}}"#);
        bad(r#"{"body":[1]}"#);
        bad(r#"{"body":5}"#);
        bad(r#"{"headers":{"x":{"a":1}}}"#);
        bad(r#"{"headers":"x"}"#);
    }

    #[test]
    fn proxy_headers_merge_keeps_both_multi_first_spec_3_3() {
        let r = ok(
            r#"{"headers":{"test-multi":"value-solo"},"multiValueHeaders":{"tesT-Multi":["value-multi"]}}"#,
        );
        assert_eq!(
            r.folded_headers(),
            vec![(
                "tesT-Multi".to_string(),
                "value-multi, value-solo".to_string()
            )]
        );
    }

    #[test]
    fn proxy_set_cookie_values_are_not_folded_spec_3_3() {
        let r = ok(r#"{"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]}}"#);
        assert_eq!(r.folded_headers().len(), 2);
    }

    #[test]
    fn proxy_status_range_and_float_rules() {
        assert_eq!(ok(r#"{"statusCode":200.0}"#).status, 200);
        bad(r#"{"statusCode":200.5}"#);
        bad(r#"{"statusCode":0}"#);
        bad(r#"{"statusCode":600}"#);
        bad(r#"{"statusCode":true}"#);
        assert_eq!(ok(r#"{"statusCode":null}"#).status, 200);
    }

    #[test]
    fn proxy_is_base64_encoded_types() {
        assert!(ok(r#"{"isBase64Encoded":"true"}"#).is_base64_encoded);
        assert!(!ok(r#"{"isBase64Encoded":null}"#).is_base64_encoded);
        bad(r#"{"isBase64Encoded":"yes"}"#);
    }

    #[test]
    fn binary_matching_recorded_rules_spec_3_3() {
        let types = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(matches_binary_media_types(
            "image/png",
            &types(&["image/png"])
        ));
        assert!(matches_binary_media_types(
            "application/whatever",
            &types(&["application/*"])
        ));
        assert!(!matches_binary_media_types(
            "application/test",
            &types(&["*/test"])
        ));
        assert!(!matches_binary_media_types("*/*", &types(&["image/png"])));
        assert!(!matches_binary_media_types("*/test", &types(&["*/test"])));
        assert!(!matches_binary_media_types(
            "image/*",
            &types(&["image/png"])
        ));
        assert!(matches_binary_media_types("text/html", &types(&["*/*"])));
        assert_eq!(
            first_accept_type("image/webp,image/png").as_deref(),
            Some("image/webp")
        );
        assert_eq!(
            first_accept_type("image/webp,image/*,*/*;q=0.8").as_deref(),
            Some("image/webp")
        );
        assert_eq!(
            first_accept_type("Image/PNG;q=0.9").as_deref(),
            Some("image/png")
        );
    }

    #[test]
    fn proxy_base64_body_decoded_only_when_first_accept_matches_spec_3_3() {
        let r = ok(r#"{"body":"dGVzdC1kYXRh","isBase64Encoded":true}"#);
        let types = vec!["image/png".to_string()];
        let b = response_body(&r, Some("image/png"), &types).unwrap();
        assert_eq!((b.bytes.as_slice(), b.decoded), (&b"test-data"[..], true));
        let b = response_body(&r, Some("image/webp,image/png"), &types).unwrap();
        assert_eq!(
            (b.bytes.as_slice(), b.decoded),
            (&b"dGVzdC1kYXRh"[..], false)
        );
        let b = response_body(&r, None, &types).unwrap();
        assert!(!b.decoded);
        let bad_b64 = ok(r#"{"body":"!!","isBase64Encoded":true}"#);
        assert!(response_body(&bad_b64, Some("image/png"), &types).is_err());
    }

    #[test]
    fn event_nulls_when_empty_spec_2_1() {
        let e = build_event(&ProxyEventInput {
            resource: "/".into(),
            path: "/".into(),
            http_method: "GET".into(),
            request_context: json!({}),
            ..Default::default()
        });
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "resource",
                "path",
                "httpMethod",
                "headers",
                "multiValueHeaders",
                "queryStringParameters",
                "multiValueQueryStringParameters",
                "pathParameters",
                "stageVariables",
                "requestContext",
                "body",
                "isBase64Encoded"
            ]
        );
        for k in [
            "headers",
            "multiValueHeaders",
            "queryStringParameters",
            "pathParameters",
            "stageVariables",
            "body",
        ] {
            assert_eq!(e[k], Value::Null, "{k}");
        }
    }

    #[test]
    fn event_query_last_wins_multi_in_order_spec_2_1() {
        let e = build_event(&ProxyEventInput {
            query: vec![
                ("category".into(), "electronics".into()),
                ("category".into(), "books".into()),
            ],
            ..Default::default()
        });
        assert_eq!(e["queryStringParameters"], json!({"category": "books"}));
        assert_eq!(
            e["multiValueQueryStringParameters"],
            json!({"category": ["electronics", "books"]})
        );
    }
}
