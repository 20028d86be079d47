//! `AWS_PROXY`: the Lambda proxy integration, payload format 1.0 (spec §2, §3).

use serde_json::Value;

use crate::jobj::obj;

use super::{
    invoke_lambda, lambda_request_headers, lambda_uri, record_backend, timed_out, LambdaAnswer,
    Output,
};
use crate::binary::Payload;
use crate::pipeline::{MethodRequest, Run, Stop};
use crate::proxy::{build_event, parse_response, response_body, ProxyEventInput};
use crate::trace::{pairs, StageKind};

pub fn run(r: &mut Run, mr: &MethodRequest) -> Result<Output, Stop> {
    let mut notes = vec![
        "AWS_PROXY: no mapping templates, requestParameters have no effect on the event (spec §2)"
            .to_string(),
    ];
    let method = mr.integration.http_method.as_deref().unwrap_or("POST");
    let uri = lambda_uri(r, mr);
    if method != "POST" {
        notes.push(format!("integration httpMethod is {method}: Lambda is invoked with POST only, every call fails with 500 (spec §2 [AWS-REC])"));
        r.trace.push(
            StageKind::IntegrationRequest,
            obj! {},
            obj! {"uri": uri},
            notes,
        );
        return Err(Stop::config(
            StageKind::IntegrationRequest,
            "Invalid permissions on Lambda function",
        ));
    }
    super::check_restricted_mappings(r, mr, &mut notes)?;
    // Request headers as received, minus the ones never forwarded (spec §2.1).
    let headers: Vec<(String, String)> = mr
        .received_headers
        .iter()
        .filter(|(n, _)| !crate::header_rules::dropped_from_method_request(n))
        .cloned()
        .collect();
    let body = if mr.has_body {
        Some(mr.body_text.clone())
    } else {
        None
    };
    let input = ProxyEventInput {
        resource: mr.resource.path.clone(),
        path: mr.path.clone(),
        http_method: mr.http_method.clone(),
        headers,
        query: mr.query.clone(),
        path_params: mr.path_params.clone(),
        stage_variables: r
            .s
            .stage
            .variables
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        request_context: mr.context.clone(),
        body,
        is_base64_encoded: mr.body.binary && mr.has_body,
    };
    if input.is_base64_encoded {
        notes.push("Content-Type matches binaryMediaTypes: body base64-encoded, isBase64Encoded true (spec §2.1)".into());
    }
    let event = build_event(&input);
    // Serialized once into a buffer sized for the body (a 10 MB body must not be copied
    // needlessly), with the fast string escaper of `json_write`.
    let payload = crate::json_write::to_string(&event, mr.body_text.len());
    let lambda_headers = lambda_request_headers(r, mr, &[]);
    // Moved, not cloned (`obj!` would clone the event).
    r.integration_request = Some(crate::jobj::object(&mut [(
        "lambda",
        crate::jobj::object(&mut [
            ("payload", event),
            ("invocationType", Value::from("RequestResponse")),
        ]),
    )]));
    r.trace.push(
        StageKind::IntegrationRequest,
        obj!{"resource": mr.resource.path},
        obj!{"uri": uri, "method": "POST", "headers": pairs(&lambda_headers), "body": crate::trace::body(&payload), "invocationType": "RequestResponse"},
        notes,
    );
    let mut bnotes = Vec::new();
    let answer = match invoke_lambda(
        r,
        r.s.backend.as_ref(),
        &payload,
        "RequestResponse",
        // The event was built here, so it is JSON: skip re-parsing up to 10 MB.
        false,
        &mut bnotes,
    ) {
        Ok(a) => a,
        Err(stop) => {
            // Lambda refused the Invoke (no permission / no function): the request was sent, so the log
            // shows "Sending request to …" before the failure line (spec §10.3 [DOC knowledge center]).
            record_backend(
                r,
                obj! {"uri": uri},
                None,
                &[],
                "",
                obj! {"sent": true, "failed": true},
                bnotes,
            );
            return Err(stop);
        }
    };
    let (status, headers, body, function_error) = match answer {
        LambdaAnswer::Timeout => {
            return Err(timed_out(
                r,
                &uri,
                bnotes,
                "the function did not answer within timeoutInMillis: 504 (spec §3.2)",
            ));
        }
        LambdaAnswer::Response {
            status,
            headers,
            body,
            function_error,
        } => (status, headers, body, function_error),
    };
    record_backend(
        r,
        obj! {"uri": uri},
        Some(status),
        &headers,
        &body,
        obj! {"sent": true, "functionError": function_error},
        bnotes,
    );
    let mut notes = Vec::new();
    if let Some(msg) = function_error {
        notes.push("unhandled function error in a proxy integration: 502 (spec §3.2)".into());
        r.trace.push(
            StageKind::IntegrationResponse,
            obj! {"body": crate::trace::body(&body)},
            serde_json::Value::Null,
            notes,
        );
        let mut stop = Stop::new(
            StageKind::IntegrationResponse,
            // [INFER] which type AWS uses here is undocumented; INTEGRATION_FAILURE customizations apply.
            "INTEGRATION_FAILURE",
            Some(format!("Lambda execution failed with status 200 due to customer function error: {msg}. Lambda request id: {}", r.env.lambda_request_id)),
        );
        stop.status = Some(502);
        stop.message = Some("Internal server error".into());
        return Err(stop);
    }
    let resp = match parse_response(&body) {
        Ok(p) => p,
        Err(m) => {
            notes.push(format!(
                "malformed Lambda proxy response: {} (spec §3.2)",
                m.reason
            ));
            r.trace.push(
                StageKind::IntegrationResponse,
                obj! {"body": crate::trace::body(&body)},
                serde_json::Value::Null,
                notes,
            );
            let mut stop = Stop::config(
                StageKind::IntegrationResponse,
                "Malformed Lambda proxy response",
            );
            stop.status = Some(502);
            stop.message = Some("Internal server error".into());
            return Err(stop);
        }
    };
    let out_body = match response_body(
        &resp,
        mr.accept.as_deref(),
        &r.s.rest_api.binary_media_types,
    ) {
        Ok(b) => {
            if b.decoded {
                notes.push("isBase64Encoded true and the first Accept type matches binaryMediaTypes: body decoded (spec §3.3)".into());
            } else if resp.is_base64_encoded {
                notes.push("isBase64Encoded true but the first Accept type does not match binaryMediaTypes: the base64 text is returned (spec §3.3)".into());
            }
            Payload {
                bytes: b.bytes,
                binary: b.decoded,
            }
        }
        Err(e) => {
            notes.push(e);
            r.trace.push(
                StageKind::IntegrationResponse,
                obj! {"body": crate::trace::body(&body)},
                serde_json::Value::Null,
                notes,
            );
            return Err(Stop::config(
                StageKind::IntegrationResponse,
                "Unable to base64 decode the body",
            ));
        }
    };
    let (headers, rn) = crate::header_rules::apply_response_rules(
        &resp.folded_headers(),
        crate::header_rules::IntegrationKind::AwsProxy,
        false,
    );
    notes.extend(rn.into_iter().map(|n| n.message));
    r.trace.push(
        StageKind::IntegrationResponse,
        obj!{"body": crate::trace::body(&body)},
        obj!{"statusCode": resp.status, "headers": pairs(&headers), "isBase64Encoded": resp.is_base64_encoded},
        notes,
    );
    Ok(Output {
        status: resp.status,
        headers,
        body: out_body,
        notes: Vec::new(),
    })
}
