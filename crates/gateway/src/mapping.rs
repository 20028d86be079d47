//! Parameter mappings (spec §8): `Integration.requestParameters` (target ← source) toward the backend and
//! `IntegrationResponse.responseParameters` toward the client.

use serde_json::Value;

use crate::scenario::Method;

/// A mapped value: single-value sources give one string, `multivalue*` sources a list.
#[derive(Clone, Debug, PartialEq)]
pub enum Mapped {
    One(String),
    Many(Vec<String>),
}

impl Mapped {
    /// As a header value (lists comma-joined, spec §8.1/§8.2 [EMU:LS]).
    pub fn joined(&self) -> String {
        match self {
            Mapped::One(s) => s.clone(),
            Mapped::Many(v) => v.join(","),
        }
    }
}

/// What request-side sources can read.
pub struct RequestView<'a> {
    pub path: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
    pub body: &'a str,
    pub stage_variables: &'a indexmap::IndexMap<String, String>,
    pub context: &'a Value,
}

fn last<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn all(list: &[(String, String)], name: &str) -> Vec<String> {
    list.iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A static value `'literal'`.
fn literal(src: &str) -> Option<&str> {
    src.strip_prefix('\'').and_then(|s| s.strip_suffix('\''))
}

/// Validates a request-side source expression (spec §8.1) at load time.
pub fn check_request_source(src: &str, method: &Method) -> Result<(), String> {
    if src.len() >= 2 && literal(src).is_some() {
        return Ok(());
    }
    if src == "method.request.body" || body_path(src, "method.request.body").is_some() {
        return Ok(());
    }
    for loc in [
        "path",
        "querystring",
        "multivaluequerystring",
        "header",
        "multivalueheader",
    ] {
        if let Some(name) = src.strip_prefix(&format!("method.request.{loc}.")) {
            let declared_loc = match loc {
                "multivaluequerystring" => "querystring",
                "multivalueheader" => "header",
                l => l,
            };
            let declared = method.request_parameters.keys().any(|k| {
                k == &format!("method.request.{declared_loc}.{name}")
                    || k == &format!("method.request.{loc}.{name}")
            });
            if !declared {
                // spec §8.1: AWS rejects PutIntegration when the source is not declared on the method.
                return Err(format!(
                    "source {src} is not declared in the method's requestParameters (add \"method.request.{declared_loc}.{name}\": false)"
                ));
            }
            return Ok(());
        }
    }
    if src.strip_prefix("context.").is_some_and(|n| !n.is_empty())
        || src
            .strip_prefix("stageVariables.")
            .is_some_and(|n| !n.is_empty())
    {
        return Ok(());
    }
    Err(format!(
        "invalid mapping expression {src:?}: expected method.request.{{path|querystring|multivaluequerystring|header|multivalueheader}}.<name>, method.request.body[.<path>], context.<name>, stageVariables.<name> or 'static'"
    ))
}

/// Validates a response-side source expression (spec §8.2) at load time.
pub fn check_response_source(src: &str) -> Result<(), String> {
    if src.len() >= 2 && literal(src).is_some() {
        return Ok(());
    }
    let ok = src == "integration.response.body"
        || body_path(src, "integration.response.body").is_some()
        || [
            "integration.response.body.",
            "integration.response.header.",
            "integration.response.multivalueheader.",
            "context.",
            "stageVariables.",
        ]
        .iter()
        .any(|p| src.strip_prefix(p).is_some_and(|n| !n.is_empty()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid mapping expression {src:?}: expected integration.response.{{header|multivalueheader}}.<name>, integration.response.body[.<path>], context.<name>, stageVariables.<name> or 'static'"
        ))
    }
}

/// The JSONPath after a `method.request.body` / `integration.response.body` source: `.a.b` gives `a.b`, and an
/// array index right after `body` is allowed too (`method.request.body[0].price` → `[0].price`, the developer
/// guide's parameter-mapping example 3, spec §8.1).
fn body_path<'a>(src: &'a str, body: &str) -> Option<&'a str> {
    let rest = src.strip_prefix(body)?;
    match rest.strip_prefix('.') {
        Some(p) if !p.is_empty() => Some(p),
        Some(_) => None,
        None => rest.starts_with('[').then_some(rest),
    }
}

/// Follows `a.b[0].c` (JSONPath without the leading `$.`) into a JSON value.
pub fn json_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for seg in path.split('.') {
        let (name, mut rest) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let idx = &r[..end];
            cur = match idx.parse::<usize>() {
                Ok(i) => cur.get(i)?,
                Err(_) => cur.get(idx.trim_matches(|c| c == '\'' || c == '"'))?,
            };
            rest = &r[end + 1..];
        }
    }
    Some(cur)
}

/// A JSON value as a parameter string: strings bare, everything else as compact JSON (spec §8.2).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn context_value(context: &Value, name: &str) -> Option<String> {
    let v = json_path(context, name)?;
    if v.is_null() {
        return None;
    }
    Some(value_text(v))
}

/// Evaluates a request-side source. `None` = missing at run time: the target is not set (spec §8.1).
pub fn resolve_request(src: &str, r: &RequestView) -> Result<Option<Mapped>, String> {
    if let Some(l) = literal(src) {
        return Ok(Some(Mapped::One(l.to_string())));
    }
    if src == "method.request.body" {
        return Ok(Some(Mapped::One(r.body.to_string())));
    }
    if let Some(p) = body_path(src, "method.request.body") {
        let v: Value =
            serde_json::from_str(r.body).map_err(|_| "Invalid JSON in request body".to_string())?;
        return Ok(json_path(&v, p)
            .filter(|v| !v.is_null())
            .map(|v| Mapped::One(value_text(v))));
    }
    let one = |s: Option<&str>| s.map(|s| Mapped::One(s.to_string()));
    let many = |v: Vec<String>| {
        if v.is_empty() {
            None
        } else {
            Some(Mapped::Many(v))
        }
    };
    Ok(if let Some(n) = src.strip_prefix("method.request.path.") {
        one(last(r.path, n))
    } else if let Some(n) = src.strip_prefix("method.request.querystring.") {
        one(last(r.query, n))
    } else if let Some(n) = src.strip_prefix("method.request.multivaluequerystring.") {
        many(all(r.query, n))
    } else if let Some(n) = src.strip_prefix("method.request.header.") {
        one(last(r.headers, n))
    } else if let Some(n) = src.strip_prefix("method.request.multivalueheader.") {
        many(all(r.headers, n))
    } else if let Some(n) = src.strip_prefix("stageVariables.") {
        r.stage_variables.get(n).map(|v| Mapped::One(v.clone()))
    } else if let Some(n) = src.strip_prefix("context.") {
        context_value(r.context, n).map(Mapped::One)
    } else {
        None
    })
}

/// What response-side sources can read.
pub struct ResponseView<'a> {
    pub headers: &'a [(String, String)],
    pub body: &'a str,
    /// Lambda custom integration with a function error: `integration.response.body.errorMessage.<x>`
    /// deserializes the JSON-string errorMessage (spec §4.2, §8.2).
    pub lambda_error: bool,
    pub stage_variables: &'a indexmap::IndexMap<String, String>,
    pub context: &'a Value,
}

pub fn resolve_response(src: &str, r: &ResponseView) -> Option<String> {
    if let Some(l) = literal(src) {
        return Some(l.to_string());
    }
    if src == "integration.response.body" {
        return Some(r.body.to_string());
    }
    if let Some(p) = body_path(src, "integration.response.body") {
        let v: Value = serde_json::from_str(r.body).ok()?;
        if r.lambda_error {
            if let Some(rest) = p.strip_prefix("errorMessage.") {
                let inner: Value = serde_json::from_str(v.get("errorMessage")?.as_str()?).ok()?;
                return json_path(&inner, rest)
                    .filter(|v| !v.is_null())
                    .map(value_text);
            }
        }
        return json_path(&v, p).filter(|v| !v.is_null()).map(value_text);
    }
    if let Some(n) = src.strip_prefix("integration.response.header.") {
        // Header names are case-sensitive here (spec §8.2 known issue).
        return last(r.headers, n).map(str::to_string);
    }
    if let Some(n) = src.strip_prefix("integration.response.multivalueheader.") {
        let v = all(r.headers, n);
        return if v.is_empty() {
            None
        } else {
            Some(v.join(","))
        };
    }
    if let Some(n) = src.strip_prefix("stageVariables.") {
        return r.stage_variables.get(n).cloned();
    }
    if let Some(n) = src.strip_prefix("context.") {
        return context_value(r.context, n);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn body_path_and_static_spec_8_1() {
        let ctx = json!({"requestId": "r1", "identity": {"sourceIp": "1.2.3.4"}});
        let sv = indexmap::IndexMap::new();
        let q = vec![
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
        ];
        let v = RequestView {
            path: &[],
            query: &q,
            headers: &[],
            body: r#"{"petstore":{"pets":[{"name":"rex"}]}}"#,
            stage_variables: &sv,
            context: &ctx,
        };
        assert_eq!(
            resolve_request("method.request.body.petstore.pets[0].name", &v).unwrap(),
            Some(Mapped::One("rex".into()))
        );
        assert_eq!(
            resolve_request("'Event'", &v).unwrap(),
            Some(Mapped::One("Event".into()))
        );
        assert_eq!(
            resolve_request("method.request.querystring.a", &v).unwrap(),
            Some(Mapped::One("2".into()))
        );
        assert_eq!(
            resolve_request("method.request.multivaluequerystring.a", &v).unwrap(),
            Some(Mapped::Many(vec!["1".into(), "2".into()]))
        );
        assert_eq!(
            resolve_request("context.identity.sourceIp", &v).unwrap(),
            Some(Mapped::One("1.2.3.4".into()))
        );
        assert_eq!(
            resolve_request("method.request.querystring.missing", &v).unwrap(),
            None
        );
    }

    #[test]
    fn lambda_error_message_is_deserialized_for_headers_spec_4_2() {
        let ctx = json!({});
        let sv = indexmap::IndexMap::new();
        let body = r#"{"errorMessage":"{\"httpStatus\":500,\"trace\":{\"line\":123}}"}"#;
        let v = ResponseView {
            headers: &[],
            body,
            lambda_error: true,
            stage_variables: &sv,
            context: &ctx,
        };
        assert_eq!(
            resolve_response("integration.response.body.errorMessage.httpStatus", &v).as_deref(),
            Some("500")
        );
        assert_eq!(
            resolve_response("integration.response.body.errorMessage.trace", &v).as_deref(),
            Some(r#"{"line":123}"#)
        );
    }
}
