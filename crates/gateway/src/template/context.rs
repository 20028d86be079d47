//! `$context` (spec §7.4): built from the JSON tree the pipeline (or a render case)
//! supplies, with API Gateway's special cases, and the override maps read back after
//! rendering.

use std::cell::RefCell;
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

fn given_entries(given: Option<&serde_json::Value>, kind: &str) -> Map {
    match given.and_then(|g| g.get(kind)) {
        Some(serde_json::Value::Object(o)) => o
            .iter()
            .map(|(name, v)| (name.clone(), stringify(v)))
            .collect::<Map>(),
        _ => Map::default(),
    }
}

/// An override map that enforces "overrides are final" (spec §7.4 [DOC]: setting the same
/// override twice in one template fails the request with a 5XX). It receives
/// `#set($context.requestOverride.header.X = ...)` through `put`, as Velocity 1.7 does for
/// objects without a setter (its `SetExecutor` falls back to `put`).
pub struct OverrideMap {
    /// `requestOverride.header` etc., for messages.
    name: String,
    entries: RefCell<Map>,
    /// Keys this rendering assigned.
    assigned: RefCell<Vec<String>>,
    children: Vec<(String, Rc<OverrideMap>)>,
}

impl OverrideMap {
    fn new(name: &str, entries: Map) -> OverrideMap {
        OverrideMap {
            name: name.into(),
            entries: RefCell::new(entries),
            assigned: RefCell::default(),
            children: Vec::new(),
        }
    }

    /// A parent map (`requestOverride`) holding one child map per kind.
    fn parent(name: &str, kinds: &[&str], given: Option<&serde_json::Value>) -> Rc<OverrideMap> {
        let mut entries = Map::default();
        let mut children = Vec::new();
        for kind in kinds {
            let child = Rc::new(OverrideMap::new(
                &format!("{name}.{kind}"),
                given_entries(given, kind),
            ));
            entries.insert((*kind).to_string(), Value::Object(child.clone()));
            children.push(((*kind).to_string(), child));
        }
        if let Some(status) = given.and_then(|g| g.get("status")).filter(|s| !s.is_null()) {
            entries.insert("status".into(), stringify(status));
        }
        Rc::new(OverrideMap {
            name: name.into(),
            entries: RefCell::new(entries),
            assigned: RefCell::default(),
            children,
        })
    }

    fn child(&self, kind: &str) -> Option<&Rc<OverrideMap>> {
        self.children
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, c)| c)
    }

    fn strings(&self) -> IndexMap<String, String> {
        self.entries
            .borrow()
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Null))
            .map(|(k, v)| (k.clone(), json::java_string(v)))
            .collect()
    }
}

impl HostObject for OverrideMap {
    fn type_name(&self) -> &str {
        "java.util.LinkedHashMap"
    }

    fn get_property(&self, name: &str) -> Option<Value> {
        Some(
            self.entries
                .borrow()
                .get(name)
                .cloned()
                .unwrap_or(Value::Null),
        )
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let key = |i: usize| match args.get(i) {
            Some(Value::Str(s)) => s.to_string(),
            Some(other) => json::java_string(other),
            None => String::new(),
        };
        Some(Ok(match (name, args.len()) {
            ("put", 2) => {
                let k = key(0);
                if self.assigned.borrow().contains(&k) {
                    return Some(Err(format!(
                        "$context.{}.{k} is set twice: overrides are final, API Gateway fails the request with a 5XX",
                        self.name
                    )));
                }
                self.assigned.borrow_mut().push(k.clone());
                let value = args.get(1).cloned().unwrap_or(Value::Null);
                self.entries
                    .borrow_mut()
                    .insert(k, value)
                    .unwrap_or(Value::Null)
            }
            ("get", 1) => self
                .entries
                .borrow()
                .get(&key(0))
                .cloned()
                .unwrap_or(Value::Null),
            ("containsKey", 1) => Value::Bool(self.entries.borrow().contains_key(&key(0))),
            ("keySet", 0) => Value::list(
                self.entries
                    .borrow()
                    .keys()
                    .map(|k| Value::str(k))
                    .collect(),
            ),
            ("size", 0) => Value::Int(self.entries.borrow().len() as i32),
            ("isEmpty", 0) => Value::Bool(self.entries.borrow().is_empty()),
            ("toString", 0) => Value::str(&self.to_java_string()),
            _ => return None,
        }))
    }

    fn to_java_string(&self) -> String {
        json::java_string(&Value::map(self.entries.borrow().clone()))
    }
}

/// The `$context` value plus the override maps to read back after rendering.
#[derive(Clone)]
pub struct Built {
    pub value: Value,
    request_override: Rc<OverrideMap>,
    response_override: Rc<OverrideMap>,
}

impl Built {
    /// The overrides set by the template (`requestOverride` or `responseOverride`).
    pub fn collect(&self, key: &str) -> Overrides {
        let o = if key == "requestOverride" {
            &self.request_override
        } else {
            &self.response_override
        };
        let kind = |k: &str| o.child(k).map(|c| c.strings()).unwrap_or_default();
        Overrides {
            header: kind("header"),
            path: kind("path"),
            querystring: kind("querystring"),
            status: o
                .entries
                .borrow()
                .get("status")
                .filter(|s| !matches!(s, Value::Null))
                .map(json::java_string),
        }
    }
}

/// Builds the `$context` value from its JSON tree.
pub fn build(tree: &serde_json::Value) -> Built {
    build_layered(tree, None)
}

/// The default `$context` tree, built once per thread (render cases start from it).
pub fn with_default<T>(f: impl FnOnce(&serde_json::Value) -> T) -> T {
    thread_local! {
        static DEFAULT: serde_json::Value = default_context();
    }
    DEFAULT.with(f)
}

/// Converts `over` laid over `base` (objects merge key by key, as [`merge`]) straight into
/// a template value, without building the merged JSON tree first: render cases pay this
/// on every rendering.
fn from_serde_over(base: &serde_json::Value, over: Option<&serde_json::Value>) -> Value {
    match (base, over) {
        (serde_json::Value::Object(b), Some(serde_json::Value::Object(o))) => {
            let mut m = Map::with_capacity_and_hasher(b.len() + o.len(), Default::default());
            for (k, v) in b {
                m.insert(k.clone(), from_serde_over(v, o.get(k)));
            }
            for (k, v) in o {
                if !b.contains_key(k) {
                    m.insert(k.clone(), from_serde(v));
                }
            }
            Value::map(m)
        }
        (_, Some(o)) => from_serde(o),
        (b, None) => from_serde(b),
    }
}

/// Builds the `$context` value from `base` with `over` (if any) laid over it.
pub fn build_layered(base: &serde_json::Value, over: Option<&serde_json::Value>) -> Built {
    prepare_layered(base, over).into_built()
}

/// `$context` converted once for many renderings of one input: the tree without its two
/// override maps, and the override values that pre-fill those maps. Converting the JSON tree
/// (~40 entries, strings allocated one by one) was a quarter of a small template's render in
/// the JS API; a rendering now copies the converted maps, sharing their strings.
pub struct Prepared {
    plain: Map,
    request_given: Option<serde_json::Value>,
    response_given: Option<serde_json::Value>,
}

/// Converts `base` with `over` laid over it (see [`build_layered`]).
pub fn prepare_layered(base: &serde_json::Value, over: Option<&serde_json::Value>) -> Prepared {
    let empty = serde_json::Map::default();
    let obj = base.as_object().unwrap_or(&empty);
    let over_obj = over.and_then(|o| o.as_object()).filter(|o| !o.is_empty());
    // The few keys with special handling are merged as JSON first (small, rare).
    let merged_key = |k: &str| -> Option<serde_json::Value> {
        let mut v = obj.get(k).cloned();
        if let Some(o) = over_obj.and_then(|o| o.get(k)) {
            match v.as_mut() {
                Some(b) => merge(b, o),
                None => v = Some(o.clone()),
            }
        }
        v
    };
    let mut m = Map::with_capacity_and_hasher(obj.len() + 2, Default::default());
    for (k, v) in obj {
        let value = match k.as_str() {
            "authorizer" => authorizer(&merged_key(k).unwrap_or_default()),
            "requestOverride" | "responseOverride" => continue,
            _ => from_serde_over(v, over_obj.and_then(|o| o.get(k))),
        };
        m.insert(k.clone(), value);
    }
    if let Some(o) = over_obj {
        for (k, v) in o {
            if obj.contains_key(k) || k == "requestOverride" || k == "responseOverride" {
                continue;
            }
            let value = if k == "authorizer" {
                authorizer(v)
            } else {
                from_serde(v)
            };
            m.insert(k.clone(), value);
        }
    }
    Prepared {
        plain: m,
        request_given: merged_key("requestOverride"),
        response_given: merged_key("responseOverride"),
    }
}

impl Prepared {
    /// A `$context` of its own for one rendering: templates can change the maps they read
    /// (`$context.identity.put(..)`) and set overrides, and neither may leak into the next.
    pub fn build(&self) -> Built {
        let plain = self
            .plain
            .iter()
            .map(|(k, v)| (k.clone(), json::fresh_copy(v)))
            .collect();
        self.finish(plain)
    }

    /// The one rendering of a request (the pipeline): the converted maps themselves.
    fn into_built(mut self) -> Built {
        let plain = std::mem::take(&mut self.plain);
        self.finish(plain)
    }

    /// Adds the writable override maps (spec §7.4):
    /// `#set($context.requestOverride.header.X = "v")`.
    fn finish(&self, mut m: Map) -> Built {
        const REQUEST_KINDS: &[&str] = &["header", "path", "querystring"];
        let req = OverrideMap::parent(
            "requestOverride",
            REQUEST_KINDS,
            self.request_given.as_ref(),
        );
        let resp = OverrideMap::parent(
            "responseOverride",
            &["header"],
            self.response_given.as_ref(),
        );
        m.insert("requestOverride".into(), Value::Object(req.clone()));
        m.insert("responseOverride".into(), Value::Object(resp.clone()));
        Built {
            value: Value::map(m),
            request_override: req,
            response_override: resp,
        }
    }
}

fn authorizer(v: &serde_json::Value) -> Value {
    let serde_json::Value::Object(o) = v else {
        return Value::map(Map::default());
    };
    let mut m = Map::with_capacity_and_hasher(o.len(), Default::default());
    for (k, v) in o {
        if k == "claims" {
            let claims = match v {
                serde_json::Value::Object(c) => c
                    .iter()
                    .map(|(ck, cv)| (ck.clone(), stringify(cv)))
                    .collect(),
                _ => Map::default(),
            };
            m.insert(k.clone(), Value::Object(Rc::new(Claims(claims))));
        } else {
            m.insert(k.clone(), stringify(v));
        }
    }
    Value::map(m)
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
        let cx = build(&tree).value;
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
    fn layered_build_equals_merge_then_build() {
        let over = json!({"stage": "prod", "identity": {"sourceIp": "1.2.3.4", "extra": [1]},
            "authorizer": {"principalId": "p", "n": 2}, "newKey": {"a": 1},
            "responseOverride": {"status": 201}});
        let mut merged = default_context();
        merge(&mut merged, &over);
        let a = build(&merged);
        let b = build_layered(&default_context(), Some(&over));
        assert_eq!(json::java_string(&a.value), json::java_string(&b.value));
        assert_eq!(a.collect("responseOverride"), b.collect("responseOverride"));
    }

    #[test]
    fn authorizer_values_are_strings_and_claims_print_empty() {
        // spec §7.4 [DOC]
        let cx = build(
            &json!({"authorizer": {"n": 3, "b": true, "claims": {"sub": "x", "groups": ["a", "b"]}}}),
        )
        .value;
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
    fn overrides_are_read_back_and_final() {
        let built = build(&json!({"responseOverride": {"header": {"X-Pre": "p"}}}));
        let cx = built.value.clone();
        let set = |path: &[&str], key: &str, v: Value| match get(&cx, path) {
            Value::Map(m) => {
                m.borrow_mut().insert(key.into(), v);
                Ok(Value::Null)
            }
            Value::Object(o) => o
                .call_method("put", &[Value::str(key), v])
                .unwrap_or_else(|| Err("no put".into())),
            _ => Err("not a map".into()),
        };
        assert!(set(&["requestOverride", "header"], "X-A", Value::str("1")).is_ok());
        assert!(set(&["responseOverride"], "status", Value::Int(404)).is_ok());
        let req = built.collect("requestOverride");
        assert_eq!(req.header.get("X-A").map(String::as_str), Some("1"));
        let resp = built.collect("responseOverride");
        assert_eq!(resp.status.as_deref(), Some("404"));
        assert_eq!(resp.header.get("X-Pre").map(String::as_str), Some("p"));
        // The final-override map refuses a second assignment of the same name (spec §7.4).
        let m = OverrideMap::new("requestOverride.header", Map::default());
        assert!(m
            .call_method("put", &[Value::str("X"), Value::str("1")])
            .is_some_and(|r| r.is_ok()));
        let second = m.call_method("put", &[Value::str("X"), Value::str("2")]);
        assert!(second.is_some_and(|r| r.is_err_and(|e| e.contains("overrides are final"))));
    }
}
