//! Pipeline benchmark (not a timed test):
//! `cargo run --release -p gateway --example bench_pipeline`
//!
//! Measures (median of several runs) one typical request (1 KB JSON body) through each of the five
//! integration types, from a parsed scenario to the result document with its log, and a 10 MB body through a
//! passthrough template and through the Lambda proxy event.

use std::time::Instant;

use gateway::scenario::{self, Scenario};

const LAMBDA: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations";

fn scenario(kind: &str, body: &str, template: Option<&str>) -> Scenario {
    let integration = match kind {
        "AWS" => serde_json::json!({"type": "AWS", "httpMethod": "POST", "uri": LAMBDA,
            "requestTemplates": template.map(|t| serde_json::json!({"application/json": t})).unwrap_or(serde_json::json!({})),
            "integrationResponses": {"200": {"statusCode": "200"}, "400": {"statusCode": "400", "selectionPattern": "Malformed.*"}}}),
        "AWS_PROXY" => {
            serde_json::json!({"type": "AWS_PROXY", "httpMethod": "POST", "uri": LAMBDA})
        }
        "HTTP" => {
            serde_json::json!({"type": "HTTP", "httpMethod": "POST", "uri": "https://pets.example.com/{id}",
            "requestParameters": {"integration.request.path.id": "method.request.path.id"},
            "requestTemplates": template.map(|t| serde_json::json!({"application/json": t})).unwrap_or(serde_json::json!({})),
            "integrationResponses": {"200": {"statusCode": "200"}, "404": {"statusCode": "404", "selectionPattern": "4\\d{2}"}}})
        }
        "HTTP_PROXY" => {
            serde_json::json!({"type": "HTTP_PROXY", "httpMethod": "ANY", "uri": "https://pets.example.com/{id}",
            "requestParameters": {"integration.request.path.id": "method.request.path.id"}})
        }
        _ => {
            serde_json::json!({"type": "MOCK", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "integrationResponses": {"200": {"statusCode": "200", "responseTemplates": {"application/json": "{\"id\": \"$input.params('id')\"}"}}}})
        }
    };
    let backend = match kind {
        "AWS" => serde_json::json!({"lambda": {"returns": {"ok": true, "items": [1, 2, 3]}}}),
        "AWS_PROXY" => {
            serde_json::json!({"lambda": {"returns": {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{\"ok\":true}"}}})
        }
        _ => {
            serde_json::json!({"http": {"status": 200, "headers": {"Content-Type": ["application/json"]}, "body": "{\"ok\":true}"}})
        }
    };
    let doc = serde_json::json!({
        "restApi": {"id": "a1b2c3d4e5"}, "stage": {"stageName": "dev", "variables": {"env": "dev"}},
        "resources": [{"path": "/pets/{id}", "resourceMethods": {"POST": {
            "requestParameters": {"method.request.path.id": true},
            "methodResponses": {"200": {"statusCode": "200"}, "400": {"statusCode": "400"}, "404": {"statusCode": "404"}},
            "methodIntegration": integration}}}],
        "request": {"method": "POST", "path": "/dev/pets/7", "query": "a=1&b=2",
            "headers": {"Content-Type": ["application/json"], "Accept": ["application/json"], "user-agent": ["curl/8.5.0"], "cookie": ["b=2; a=1"]},
            "body": body},
        "backend": backend,
    });
    match scenario::parse(&doc.to_string()) {
        Ok(s) => s,
        Err(e) => panic!("benchmark scenario is invalid: {e:?}"),
    }
}

fn median_us(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

fn main() {
    let item = r#"{"id": 12345, "name": "Rex the dog", "tags": ["good", "boy"], "price": 249.99},"#;
    let mut body = String::from("{\"items\": [");
    while body.len() < 1000 {
        body.push_str(item);
    }
    body.pop();
    body.push_str("]}");
    println!(
        "typical request ({} byte JSON body), scenario → result document incl. log, median of 200:",
        body.len()
    );
    for kind in ["AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"] {
        let s = scenario(
            kind,
            &body,
            Some("{\"body\": $input.json('$'), \"id\": \"$input.params('id')\"}"),
        );
        let us = median_us(200, || {
            let out = gateway::api::run(&s);
            std::hint::black_box(gateway::api::result_json(&out));
        });
        println!("  {kind:<10} {us:>9.1} µs");
    }
    // End to end from JSON text (parse, check, run, result document), the path the CLI and wasm take.
    println!("example scenarios, JSON text → result document (gateway::api::run_scenario_json), median of 200:");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios/");
    for (kind, file) in [
        ("AWS", "lambda-request-template.json"),
        ("AWS_PROXY", "proxy-event.json"),
        ("HTTP", "http-custom.json"),
        ("HTTP_PROXY", "http-proxy.json"),
        ("MOCK", "mock-status-selection.json"),
    ] {
        let Ok(text) = std::fs::read_to_string(format!("{dir}{file}")) else {
            println!("  {kind:<10} (missing {file})");
            continue;
        };
        let us = median_us(200, || {
            std::hint::black_box(gateway::api::run_scenario_json(&text).ok());
        });
        println!("  {kind:<10} {file:<30} {us:>9.1} µs");
    }
    let mut big = String::with_capacity(10 * 1024 * 1024 + 64);
    big.push_str("{\"data\": \"");
    // Just under API Gateway's 10 MB payload quota (larger bodies get 413, spec §7.6).
    while big.len() < 10 * 1024 * 1024 - 16 {
        big.push_str("abcdefghij");
    }
    big.push_str("\"}");
    println!("10 MB body ({} bytes), median of 5:", big.len());
    let s = scenario("HTTP", &big, Some("$input.body"));
    let ms = median_us(5, || {
        std::hint::black_box(gateway::api::run(&s));
    }) / 1000.0;
    println!("  HTTP, passthrough template ($input.body)  {ms:>8.1} ms");
    let s = scenario("HTTP", &big, None);
    let ms = median_us(5, || {
        std::hint::black_box(gateway::api::run(&s));
    }) / 1000.0;
    println!("  HTTP, no template (passthrough)          {ms:>8.1} ms");
    let s = scenario("AWS_PROXY", &big, None);
    let ms = median_us(5, || {
        std::hint::black_box(gateway::api::run(&s));
    }) / 1000.0;
    println!("  AWS_PROXY, proxy event                   {ms:>8.1} ms");
}
