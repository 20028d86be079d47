//! The JSON-level API shared by the CLI, the JavaScript API and the playground.
//! Serialization lives here, at the edge; internal types stay free to change.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::env::Env;
use crate::jobj::{object, ToJson};
use crate::pipeline::Outcome;
use crate::scenario::{self, IntegrationType, Scenario};

/// A problem with the input document, naming the field (`resources[0].resourceMethods.GET.methodIntegration.type`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Runs a checked scenario.
pub fn run(s: &Scenario) -> Outcome {
    let env = Env::from_config(&s.env);
    crate::pipeline::run(s, &env)
}

/// The result document (docs/scenario.md §2).
pub fn result_json(o: &Outcome) -> Value {
    let mut headers: IndexMap<String, Vec<String>> = IndexMap::new();
    for (n, v) in &o.response.headers {
        headers.entry(n.clone()).or_default().push(v.clone());
    }
    let (body, b64) = o.response.body.to_wire();
    // Built, not `json!`: `to_value` of the trace linked serde_json's value serializer for it
    // (docs/size.md, third round); the values are the same.
    object(&mut [
        ("statusCode", o.response.status.to_json()),
        ("headers", headers.to_json()),
        ("body", Value::String(body)),
        ("isBase64Encoded", Value::Bool(b64)),
        ("integrationRequest", o.integration_request.to_json()),
        ("integrationResponse", o.integration_response.to_json()),
        ("log", crate::log::render(&o.trace).to_json()),
        ("trace", o.trace.to_json()),
    ])
}

/// Runs one scenario (the `apigw run` format) and returns the result document
/// (`statusCode`, `headers`, `body`, `isBase64Encoded`, `integrationRequest`, `integrationResponse`, `log`, `trace`).
pub fn run_scenario_json(json: &str) -> Result<Value, Vec<InputError>> {
    let s = scenario::parse(json)?;
    Ok(result_json(&run(&s)))
}

const SHARED: [&str; 10] = [
    "description",
    "restApi",
    "region",
    "accountId",
    "stage",
    "request",
    "requestValidators",
    "models",
    "gatewayResponses",
    "env",
];

/// Maps an error path of the synthesized one-resource scenario back to the comparison document.
fn comparison_path(p: &str, key: &str, method: &str) -> String {
    let mprefix = format!("resources[0].resourceMethods.{method}");
    if let Some(rest) = p.strip_prefix(&mprefix) {
        return format!("integrations.{key}.method{rest}");
    }
    if let Some(rest) = p.strip_prefix("backend") {
        return format!("integrations.{key}.backend{rest}");
    }
    if p == "resources[0].path" {
        return "resourcePath".into();
    }
    p.to_string()
}

/// Builds one scenario per integration of a comparison document.
pub fn comparison_scenarios(json: &str) -> Result<Vec<(String, Scenario)>, Vec<InputError>> {
    let doc: Value = serde_json::from_str(json).map_err(|e| {
        vec![InputError {
            path: String::new(),
            message: format!("invalid JSON: {e}"),
        }]
    })?;
    let Some(obj) = doc.as_object() else {
        return Err(vec![InputError {
            path: String::new(),
            message: "expected a JSON object".into(),
        }]);
    };
    let mut errors = Vec::new();
    for k in obj.keys() {
        if !SHARED.contains(&k.as_str())
            && !matches!(k.as_str(), "resourcePath" | "httpMethod" | "integrations")
        {
            errors.push(InputError {
                path: k.clone(),
                message: format!("unknown field `{k}`, expected one of {}, resourcePath, httpMethod, integrations", SHARED.join(", ")),
            });
        }
    }
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let Some(resource_path) = text("resourcePath") else {
        errors.push(InputError {
            path: "resourcePath".into(),
            message: "missing: the resource path template, e.g. /pets/{id}".into(),
        });
        return Err(errors);
    };
    let Some(http_method) = text("httpMethod") else {
        errors.push(InputError {
            path: "httpMethod".into(),
            message: "missing: GET, POST, ... or ANY".into(),
        });
        return Err(errors);
    };
    let Some(integrations) = obj.get("integrations").and_then(Value::as_object) else {
        errors.push(InputError {
            path: "integrations".into(),
            message: "missing: an object keyed by AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK".into(),
        });
        return Err(errors);
    };
    let mut out = Vec::new();
    for (key, col) in integrations {
        let Some(kind) = IntegrationType::parse(key) else {
            errors.push(InputError {
                path: format!("integrations.{key}"),
                message:
                    "unknown integration type, expected AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK"
                        .into(),
            });
            continue;
        };
        let Some(colo) = col.as_object() else {
            errors.push(InputError {
                path: format!("integrations.{key}"),
                message: "expected {\"method\": ..., \"backend\": ...}".into(),
            });
            continue;
        };
        for k in colo.keys() {
            if k != "method" && k != "backend" {
                errors.push(InputError {
                    path: format!("integrations.{key}.{k}"),
                    message: format!("unknown field `{k}`, expected method or backend"),
                });
            }
        }
        let mut method = colo
            .get("method")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        if let Some(mo) = method.as_object_mut() {
            let integ = mo
                .entry("methodIntegration")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(io) = integ.as_object_mut() {
                match io.get("type").and_then(Value::as_str) {
                    None => {
                        io.insert("type".into(), Value::from(kind.as_str()));
                    }
                    Some(t) if t != key => errors.push(InputError {
                        path: format!("integrations.{key}.method.methodIntegration.type"),
                        message: format!("`{t}` differs from its key `{key}`"),
                    }),
                    Some(_) => {}
                }
            }
        }
        let mut sc = Map::new();
        for k in SHARED {
            if let Some(v) = obj.get(k) {
                sc.insert(k.to_string(), v.clone());
            }
        }
        let mut methods = Map::new();
        methods.insert(http_method.clone(), method);
        sc.insert(
            "resources".into(),
            Value::Array(vec![object(&mut [
                ("path", resource_path.to_json()),
                ("resourceMethods", Value::Object(methods)),
            ])]),
        );
        if let Some(b) = colo.get("backend") {
            sc.insert("backend".into(), b.clone());
        }
        let sv = Value::Object(sc);
        match scenario::from_value_with_path::<Scenario>(&sv, "") {
            Err(e) => errors.push(InputError {
                path: comparison_path(&e.path, key, &http_method),
                message: e.message,
            }),
            Ok(s) => {
                let errs = s.check();
                if errs.is_empty() {
                    out.push((key.clone(), s));
                } else {
                    errors.extend(errs.into_iter().map(|e| InputError {
                        path: comparison_path(&e.path, key, &http_method),
                        message: e.message,
                    }));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.dedup();
        Err(errors)
    }
}

/// Runs one request through several integration types (the playground's document) and returns
/// `{"AWS": <result>, "AWS_PROXY": <result>, ...}` for the types present.
pub fn run_comparison_json(json: &str) -> Result<Value, Vec<InputError>> {
    let mut out = Map::new();
    for (k, s) in comparison_scenarios(json)? {
        out.insert(k, result_json(&run(&s)));
    }
    Ok(Value::Object(out))
}

/// Checks a scenario without running it.
pub fn validate_scenario_json(json: &str) -> Vec<InputError> {
    match scenario::parse(json) {
        Ok(_) => vec![],
        Err(e) => e,
    }
}
