//! `$context` (spec §7.4): built from the JSON tree the pipeline (or a render case)
//! supplies, with API Gateway's special cases, and the override maps read back after
//! rendering.

use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::json;
use vtl::{HostObject, Map, Value};

use super::json::{self, from_serde};
use super::Overrides;

/// A realistic, deterministic `$context` for a request `POST /test/pets` on stage `test`
/// of API `a1b2c3d4e5`, from `203.0.113.10` with `curl/8.5.0`, no authorizer, no API key.
/// Every documented variable of spec §7.4 is present; those that are unset for such a
/// request on AWS are null (they render empty). `apigw render` cases override single
/// values with their `context` object (merged key by key).
pub fn default_context() -> serde_json::Value {
    json!({
        "accountId": "123456789012",
        "apiId": "a1b2c3d4e5",
        "authorizer": {"principalId": null},
        "awsEndpointRequestId": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "deploymentId": "d1e2f3",
        "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        "domainPrefix": "a1b2c3d4e5",
        "extendedRequestId": "Bq3UlFtVIAMEb-Q=",
        "httpMethod": "POST",
        "identity": {
            "accountId": null,
            "apiKey": null,
            "apiKeyId": null,
            "caller": null,
            "clientCert": null,
            "cognitoAuthenticationProvider": null,
            "cognitoAuthenticationType": null,
            "cognitoIdentityId": null,
            "cognitoIdentityPoolId": null,
            "principalOrgId": null,
            "sourceIp": "203.0.113.10",
            "user": null,
            "userAgent": "curl/8.5.0",
            "userArn": null,
            "vpcId": null,
            "vpceId": null
        },
        "isCanaryRequest": false,
        "path": "/test/pets",
        "protocol": "HTTP/1.1",
        "requestId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "requestTime": "25/Nov/2026:14:00:00 +0000",
        "requestTimeEpoch": 1795615200000i64,
        "resourceId": "r4nd0m",
        "resourcePath": "/pets",
        "stage": "test",
        "wafResponseCode": null,
        "webaclArn": null
    })
}

/// Merges `over` into `base` key by key (objects recursively; anything else replaces).
pub fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// `$context.authorizer.claims`: each claim readable (`.sub`, `['cognito:username']`,
/// `.get(...)`), but the object alone renders empty (spec §7.4 [DOC]: "alone is null").
struct Claims(Map);

impl HostObject for Claims {
    fn type_name(&self) -> &str {
        "claims"
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        Some(self.0.get(name).cloned().unwrap_or(Value::Null))
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args.first()) {
            ("get", Some(Value::Str(k))) => {
                Some(Ok(self.0.get(&**k).cloned().unwrap_or(Value::Null)))
            }
            ("containsKey", Some(Value::Str(k))) => {
                Some(Ok(Value::Bool(self.0.contains_key(&**k))))
            }
            ("keySet", None) => Some(Ok(Value::list(
                self.0.keys().map(|k| Value::str(k)).collect(),
            ))),
            ("size", None) => Some(Ok(Value::Int(self.0.len() as i32))),
            _ => None,
        }
    }
    fn to_java_string(&self) -> String {
        String::new()
    }
}

/// Authorizer values reach templates as strings (spec §7.4: "stringified"); array claims
/// are flattened to `[a b]` (spec part 2 §1.7 [COMMUNITY]).
fn stringify(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Null,
        J::String(s) => Value::str(s),
        J::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| match x {
                    J::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            Value::str(&format!("[{}]", parts.join(" ")))
        }
        other => Value::str(&other.to_string()),
    }
}

fn override_map(keys: &[&str], given: Option<&serde_json::Value>) -> Value {
    let mut m = Map::new();
    for k in keys {
        let sub = match given.and_then(|g| g.get(k)) {
            Some(serde_json::Value::Object(o)) => o
                .iter()
                .map(|(name, v)| (name.clone(), stringify(v)))
                .collect::<Map>(),
            _ => Map::new(),
        };
        m.insert((*k).to_string(), Value::map(sub));
    }
    if let Some(status) = given.and_then(|g| g.get("status")).filter(|s| !s.is_null()) {
        m.insert("status".into(), stringify(status));
    }
    Value::map(m)
}

/// Builds the `$context` value from its JSON tree.
pub fn build(tree: &serde_json::Value) -> Value {
    let serde_json::Value::Object(obj) = tree else {
        return build(&serde_json::Value::Object(Default::default()));
    };
    let mut m = Map::with_capacity(obj.len() + 2);
    for (k, v) in obj {
        let value = match k.as_str() {
            "authorizer" => authorizer(v),
            "requestOverride" | "responseOverride" => continue,
            _ => from_serde(v),
        };
        m.insert(k.clone(), value);
    }
    // Writable override maps (spec §7.4): `#set($context.requestOverride.header.X = "v")`.
    m.insert(
        "requestOverride".into(),
        override_map(
            &["header", "path", "querystring"],
            obj.get("requestOverride"),
        ),
    );
    m.insert(
        "responseOverride".into(),
        override_map(&["header"], obj.get("responseOverride")),
    );
    Value::map(m)
}

fn authorizer(v: &serde_json::Value) -> Value {
    let serde_json::Value::Object(o) = v else {
        return Value::map(Map::new());
    };
    let mut m = Map::with_capacity(o.len());
    for (k, v) in o {
        if k == "claims" {
            let claims = match v {
                serde_json::Value::Object(c) => c
                    .iter()
                    .map(|(ck, cv)| (ck.clone(), stringify(cv)))
                    .collect(),
                _ => Map::new(),
            };
            m.insert(k.clone(), Value::Object(Rc::new(Claims(claims))));
        } else {
            m.insert(k.clone(), stringify(v));
        }
    }
    Value::map(m)
}

fn sub_map(v: Option<&Value>) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    if let Some(Value::Map(m)) = v {
        if let Ok(m) = m.try_borrow() {
            for (k, v) in m.iter() {
                if !matches!(v, Value::Null) {
                    out.insert(k.clone(), json::java_string(v));
                }
            }
        }
    }
    out
}

/// Reads `$context.requestOverride` / `responseOverride` after rendering.
pub fn collect(context: Option<&Value>, key: &str) -> Overrides {
    let Some(Value::Map(cx)) = context else {
        return Overrides::default();
    };
    let Ok(cx) = cx.try_borrow() else {
        return Overrides::default();
    };
    let Some(Value::Map(o)) = cx.get(key) else {
        return Overrides::default();
    };
    let Ok(o) = o.try_borrow() else {
        return Overrides::default();
    };
    Overrides {
        header: sub_map(o.get("header")),
        path: sub_map(o.get("path")),
        querystring: sub_map(o.get("querystring")),
        status: o
            .get("status")
            .filter(|s| !matches!(s, Value::Null))
            .map(json::java_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(v: &Value, path: &[&str]) -> Value {
        let mut cur = v.clone();
        for p in path {
            cur = match &cur {
                Value::Map(m) => m.borrow().get(*p).cloned().unwrap_or(Value::Null),
                Value::Object(o) => o.get_property(p).unwrap_or(Value::Null),
                _ => Value::Null,
            };
        }
        cur
    }

    #[test]
    fn case_values_merge_over_defaults() {
        let mut tree = default_context();
        merge(
            &mut tree,
            &json!({"identity": {"sourceIp": "198.51.100.7"}, "stage": "prod"}),
        );
        let cx = build(&tree);
        assert_eq!(
            json::java_string(&get(&cx, &["identity", "sourceIp"])),
            "198.51.100.7"
        );
        assert_eq!(
            json::java_string(&get(&cx, &["identity", "userAgent"])),
            "curl/8.5.0"
        );
        assert_eq!(json::java_string(&get(&cx, &["stage"])), "prod");
        assert!(matches!(
            get(&cx, &["requestTimeEpoch"]),
            Value::Long(1_795_615_200_000)
        ));
    }

    #[test]
    fn authorizer_values_are_strings_and_claims_print_empty() {
        // spec §7.4 [DOC]
        let cx = build(
            &json!({"authorizer": {"n": 3, "b": true, "claims": {"sub": "x", "groups": ["a", "b"]}}}),
        );
        assert!(matches!(get(&cx, &["authorizer", "n"]), Value::Str(s) if &*s == "3"));
        assert!(matches!(get(&cx, &["authorizer", "b"]), Value::Str(s) if &*s == "true"));
        assert_eq!(json::java_string(&get(&cx, &["authorizer", "claims"])), "");
        assert_eq!(
            json::java_string(&get(&cx, &["authorizer", "claims", "sub"])),
            "x"
        );
        assert_eq!(
            json::java_string(&get(&cx, &["authorizer", "claims", "groups"])),
            "[a b]"
        );
    }

    #[test]
    fn overrides_are_read_back() {
        let cx = build(&json!({}));
        if let Value::Map(req) = get(&cx, &["requestOverride", "header"]) {
            req.borrow_mut().insert("X-A".into(), Value::str("1"));
        }
        if let Value::Map(resp) = get(&cx, &["responseOverride"]) {
            resp.borrow_mut().insert("status".into(), Value::Int(404));
        }
        let req = collect(Some(&cx), "requestOverride");
        assert_eq!(req.header.get("X-A").map(String::as_str), Some("1"));
        assert_eq!(
            collect(Some(&cx), "responseOverride").status.as_deref(),
            Some("404")
        );
    }
}
