//! The console Test tab's execution log (spec §10), rendered from the [`Trace`] alone.
//!
//! Line format (§10.2): `Execution log for request {id}`, then `{Java Date} : {message}`. Sequence (§10.3):
//! method request lines, the validation line, the endpoint request/response lines (absent for MOCK), then
//! either the method response lines and `Successfully completed execution`, or the failure line; always
//! `Method completed with status: N` last. A request that matched no method gets only the first line:
//! API Gateway writes no execution log for it [INFER: there is no method to log under].

use serde_json::Value;

use crate::javafmt::{java_date, java_map, log_headers, truncate_log};
use crate::trace::{read_pairs, StageKind, Trace};

/// The method request maps as AWS prints them: a Java `HashMap` of single values (the last value of a repeated
/// name), iterated in hash-bucket order, not arrival order. Execution logs from 2017 and 2019 show exactly that
/// order for 13-15 EDGE headers (spec §10.2 said "received order", which only small maps happen to agree with).
fn last_wins(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    crate::javafmt::java_hash_map_order(&pairs)
}

fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub fn render(trace: &Trace) -> Vec<String> {
    let id = &trace.request_id;
    let mut lines = vec![format!("Execution log for request {id}")];
    let ts = java_date(trace.request_time_epoch);
    let mut push = |m: String| lines.push(format!("{ts} : {m}"));
    let Some(mr) = trace
        .stage(StageKind::MethodRequest)
        .filter(|m| !m.output.is_null())
    else {
        return lines;
    };
    let o = &mr.output;
    push(format!("Starting execution for request: {id}"));
    push(format!(
        "HTTP Method: {}, Resource Path: {}",
        s(o, "httpMethod"),
        s(o, "path")
    ));
    push(format!(
        "Method request path: {}",
        java_map(&last_wins(read_pairs(&o["pathParameters"])))
    ));
    push(format!(
        "Method request query string: {}",
        java_map(&last_wins(read_pairs(&o["queryString"])))
    ));
    push(format!(
        "Method request headers: {}",
        truncate_log(&log_headers(&last_wins(read_pairs(&o["headers"]))))
    ));
    push(format!(
        "Method request body before transformations: {}",
        truncate_log(s(o, "body"))
    ));
    if let Some(v) = trace.stage(StageKind::Validation) {
        if v.output.get("valid") == Some(&Value::Bool(true)) {
            push(s(&v.output, "logLine").to_string());
        }
    }
    // An endpoint API Gateway cannot resolve fails before anything about the endpoint request is logged:
    // "Execution failed due to configuration error: Invalid endpoint address" follows the method request
    // body line directly (spec §10.3 [AWS-REC TestInvoke failure]).
    let unresolved = trace.failure.as_ref().is_some_and(|f| {
        f.log_line
            .as_deref()
            .is_some_and(|l| l.ends_with("Invalid endpoint address"))
    });
    if let Some(ir) = trace
        .stage(StageKind::IntegrationRequest)
        .filter(|_| !unresolved)
    {
        let o = &ir.output;
        if o.get("uri").is_some() && o.get("body").is_some() {
            push(format!("Endpoint request URI: {}", s(o, "uri")));
            // A Java HashMap too: the 2022-2025 Lambda captures list their 11 headers in the iteration order of
            // a 32-bucket HashMap (and a 2017 one, with 8 other headers, in a 16-bucket one); the developer guide's
            // HTTP example (`{DogsAge0=true, x-amzn-apigateway-api-id=…, Accept=…, User-Agent=…, X-Amzn-Trace-Id=…}`)
            // is 16-bucket order (spec §10.4, §10.5).
            // A custom (`AWS`) Lambda integration's headers are in 16-bucket order: a 2024 TestInvoke recording shows
            // `{x-amzn-lambda-integration-tag, Authorization, X-Amz-Date, x-amzn-apigateway-api-id, Accept, User-Agent,
            // X-Amz-Security-Token [TRUNCATED]` [AWS-REC: LocalStack test_apigateway_basic.py::test_apigw_test_invoke_method_api,
            // snapshot "test_invoke_method_response"], like the 2017 custom capture of §10.5.
            let min_buckets = match trace.integration_type {
                Some("AWS_PROXY") => 32,
                _ => 16,
            };
            let ordered =
                crate::javafmt::java_hash_map_order_in(&read_pairs(&o["headers"]), min_buckets);
            push(format!(
                "Endpoint request headers: {}",
                truncate_log(&log_headers(&ordered))
            ));
            push(format!(
                "Endpoint request body after transformations: {}",
                truncate_log(s(o, "body"))
            ));
        }
    }
    if let Some(b) = trace.stage(StageKind::Backend) {
        let o = &b.output;
        let timed_out = o.get("timedOut") == Some(&Value::Bool(true));
        if !timed_out && o.get("sent") == Some(&Value::Bool(true)) {
            let uri = trace
                .stage(StageKind::IntegrationRequest)
                .map(|i| s(&i.output, "uri").to_string())
                .unwrap_or_default();
            push(format!("Sending request to {uri}"));
            if let Some(st) = o.get("status").and_then(Value::as_u64) {
                let latency = o.get("latency").and_then(Value::as_u64).unwrap_or(0);
                push(format!(
                    "Received response. Status: {st}, Integration latency: {latency} ms"
                ));
                push(format!(
                    "Endpoint response headers: {}",
                    truncate_log(&log_headers(&read_pairs(&o["headers"])))
                ));
                push(format!(
                    "Endpoint response body before transformations: {}",
                    truncate_log(s(o, "body"))
                ));
            }
        }
    }
    match &trace.failure {
        Some(f) => {
            if let Some(l) = &f.log_line {
                push(l.clone());
            }
        }
        None => {
            if let Some(m) = trace.stage(StageKind::MethodResponse) {
                push(format!(
                    "Method response body after transformations: {}",
                    truncate_log(s(&m.output, "body"))
                ));
                push(format!(
                    "Method response headers: {}",
                    truncate_log(&log_headers(&read_pairs(&m.output["headers"])))
                ));
            }
            push("Successfully completed execution".to_string());
        }
    }
    push(format!(
        "Method completed with status: {}",
        trace.status_code
    ));
    lines
}
