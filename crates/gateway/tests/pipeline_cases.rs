//! Data-driven tests of the request pipeline: every file under tests/cases/pipeline/ is one AWS
//! behavior, named after the quirk it proves, its description citing the spec section.
//!
//! Sections:
//! - `=== scenario`: the scenario document (docs/scenario.md), or `=== comparison` for a comparison document.
//! - Checked when present: `=== status` (status code), `=== headers` (`Name: value` lines in wire order),
//!   `=== body`, `=== log` (the execution log lines), `=== integrationRequest` (pretty JSON),
//!   `=== integrationResponse` (pretty JSON), `=== notes` (every trace note containing one of the listed
//!   lines must exist: each line is searched), `=== error` (input errors, `path: message` lines).
//!
//! Run one case: `CASE=proxy-event cargo test -p gateway --test pipeline_cases`.

use serde_json::Value;

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn check_result(case: &testkit::Case, r: &Value, checks: &mut testkit::Checks) {
    if case.section("status").is_some() {
        checks.push(("status".into(), r["statusCode"].to_string()));
    }
    if case.section("headers").is_some() {
        let mut lines = Vec::new();
        for (n, vs) in r["headers"].as_object().into_iter().flatten() {
            for v in vs.as_array().into_iter().flatten() {
                lines.push(format!("{n}: {}", v.as_str().unwrap_or("")));
            }
        }
        checks.push(("headers".into(), lines.join("\n")));
    }
    if case.section("body").is_some() {
        checks.push(("body".into(), r["body"].as_str().unwrap_or("").to_string()));
    }
    if case.section("log").is_some() {
        let lines: Vec<&str> = r["log"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        checks.push(("log".into(), lines.join("\n")));
    }
    for k in ["integrationRequest", "integrationResponse"] {
        if case.section(k).is_some() {
            checks.push((k.into(), pretty(&r[k])));
        }
    }
    if let Some(expected) = case.section("notes") {
        let all: Vec<String> = r["trace"]["stages"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["notes"].as_array().cloned().unwrap_or_default())
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect();
        let found: Vec<String> = expected
            .lines()
            .map(|want| {
                if all.iter().any(|n| n.contains(want)) {
                    want.to_string()
                } else {
                    format!("MISSING: {want}\n  (notes: {all:#?})")
                }
            })
            .collect();
        checks.push(("notes".into(), found.join("\n")));
    }
}

#[test]
fn pipeline_cases() {
    testkit::run_dir(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/pipeline"),
        "case",
        |case| {
            let mut checks = Vec::new();
            let (doc, comparison) = match (case.section("scenario"), case.section("comparison")) {
                (Some(s), _) => (s, false),
                (None, Some(c)) => (c, true),
                (None, None) => return Err("needs `=== scenario` or `=== comparison`".into()),
            };
            let result = if comparison {
                gateway::api::run_comparison_json(doc)
            } else {
                gateway::api::run_scenario_json(doc)
            };
            match result {
                Err(errors) => {
                    let text: Vec<String> = errors
                        .iter()
                        .map(|e| format!("{}: {}", e.path, e.message))
                        .collect();
                    if case.section("error").is_none() {
                        return Err(format!("unexpected input errors:\n{}", text.join("\n")));
                    }
                    checks.push(("error".into(), text.join("\n")));
                }
                Ok(r) => {
                    if case.section("error").is_some() {
                        checks.push(("error".into(), "(no error)".into()));
                    }
                    if comparison {
                        for (k, col) in r.as_object().into_iter().flatten() {
                            if let Some(want) = case.section(&format!("status.{k}")) {
                                let _ = want;
                                checks.push((format!("status.{k}"), col["statusCode"].to_string()));
                            }
                            if case.section(&format!("body.{k}")).is_some() {
                                checks.push((
                                    format!("body.{k}"),
                                    col["body"].as_str().unwrap_or("").to_string(),
                                ));
                            }
                        }
                    } else {
                        check_result(case, &r, &mut checks);
                    }
                }
            }
            Ok(checks)
        },
    );
}

/// Every shipped example runs without input errors (the playground uses them as presets).
#[test]
fn every_example_scenario_runs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios");
    let mut n = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(dir).expect("examples/scenarios exists") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        n += 1;
        let text = std::fs::read_to_string(&path).expect("readable example");
        let v: Value = serde_json::from_str(&text).expect("example is JSON");
        let desc = v["description"].as_str().unwrap_or("");
        if desc.len() < 40 {
            failures.push(format!(
                "{}: needs a 2-3 sentence description",
                path.display()
            ));
        }
        match gateway::api::run_scenario_json(&text) {
            Ok(r) => assert!(r["log"].as_array().is_some_and(|l| !l.is_empty())),
            Err(e) => failures.push(format!("{}: {e:?}", path.display())),
        }
    }
    assert!(n >= 20, "expected the example set, found {n}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every example validates against the published JSON Schema (schema/scenario.schema.json), and the
/// schema rejects what the loader rejects for structural reasons (unknown fields, wrong types).
#[test]
fn examples_match_published_json_schema() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let schema_text = std::fs::read_to_string(format!("{root}/schema/scenario.schema.json"))
        .expect("schema file");
    let schema: Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let models = indexmap::IndexMap::new();
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(format!("{root}/examples/scenarios")).expect("examples dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
        let violations = gateway::jsonschema::validate(&schema, &v, &models);
        if !violations.is_empty() {
            failures.push(format!("{}: {violations:?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let bad: Value = serde_json::json!({"restApi": {"id": "x"}, "stage": {"stageName": "dev"}, "resources": [],
        "request": {"method": "GET", "path": "/dev/"}, "bogus": 1});
    assert!(
        !gateway::jsonschema::validate(&schema, &bad, &models).is_empty(),
        "unknown top-level field must fail"
    );
    let bad_type: Value = serde_json::json!({"restApi": {"id": "x"}, "stage": {"stageName": "dev"}, "resources": [],
        "request": {"method": "GET", "path": "/dev/"}, "backend": {"http": {"status": "200"}}});
    assert!(
        !gateway::jsonschema::validate(&schema, &bad_type, &models).is_empty(),
        "string status must fail"
    );
}

/// spec §7.6: a payload over 10 MB is rejected with 413 REQUEST_TOO_LARGE before anything else runs;
/// exactly 10 MB is accepted.
#[test]
fn payload_over_10_mb_is_413_spec_7_6() {
    let run = |len: usize| {
        let doc = serde_json::json!({
            "restApi": {"id": "a1b2c3d4e5"}, "stage": {"stageName": "dev"},
            "resources": [{"path": "/up", "resourceMethods": {"POST": {
                "methodResponses": {"200": {"statusCode": "200"}},
                "methodIntegration": {"type": "MOCK", "integrationResponses": {"200": {"statusCode": "200"}}}}}}],
            "request": {"method": "POST", "path": "/dev/up", "headers": {"Content-Type": "text/plain"}, "body": "a".repeat(len)},
        });
        gateway::api::run_scenario_json(&doc.to_string()).expect("valid scenario")
    };
    let r = run(10 * 1024 * 1024 + 1);
    assert_eq!(r["statusCode"], 413);
    assert_eq!(
        r["headers"]["x-amzn-ErrorType"][0],
        "RequestTooLargeException"
    );
    assert_eq!(run(10 * 1024 * 1024)["statusCode"], 200);
}
