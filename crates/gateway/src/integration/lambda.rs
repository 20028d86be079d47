//! `AWS` integrations with a Lambda function (Lambda custom / non-proxy, spec §4).

use serde_json::Value;

use crate::jobj::{obj, ToJson};

use super::{
    custom_response, invoke_lambda, keep_request_override, lambda_request_headers, lambda_uri,
    map_request, record_backend, render, timed_out, unsupported_media_type, CustomInput,
    LambdaAnswer, Output,
};
use crate::binary::Payload;
use crate::pipeline::{
    choose_request_template, convert_request_body, MethodRequest, Run, Stop, TemplateChoice,
};
use crate::trace::{pairs, StageKind};

pub fn run(r: &mut Run, mr: &MethodRequest) -> Result<Output, Stop> {
    let mut notes = Vec::new();
    let mapped = map_request(r, mr, &mut notes)?;
    let choice = choose_request_template(mr.integration, mr.content_type.as_deref(), &mut notes);
    let body = convert_request_body(&mr.body, mr.integration, &mut notes)?;
    let mut extra = mapped.headers.clone();
    let payload = match choice {
        TemplateChoice::Reject => return Err(unsupported_media_type(r, notes)),
        // A passed-through body is sent as its bytes: a binary one (Content-Type in binaryMediaTypes, e.g.
        // `*/*`) reaches Lambda as the client sent it, not as the base64 text a template would see
        // (spec §11.2 request table: "binary | unset | binary as-is").
        TemplateChoice::Passthrough => String::from_utf8_lossy(&body.bytes).into_owned(),
        TemplateChoice::Template { source, .. } => {
            let out = render(
                r,
                mr,
                source,
                &body.as_template_text(),
                StageKind::IntegrationRequest,
                &mut notes,
            )?;
            keep_request_override(r, &out.request_override);
            for (n, v) in &out.request_override.header {
                notes.push(format!("$context.requestOverride.header.{n} = {v:?} (applied after mappings, spec §7.4)"));
                extra.retain(|(m, _)| !m.eq_ignore_ascii_case(n));
                extra.push((n.clone(), v.clone()));
            }
            out.output
        }
    };
    // X-Amz-Invocation-Type from a mapping or override (spec §4.4).
    let invocation_type = crate::pipeline::last_ci(&extra, "X-Amz-Invocation-Type")
        .unwrap_or("RequestResponse")
        .to_string();
    let uri = lambda_uri(r, mr);
    let mut headers = lambda_request_headers(r, mr, &extra);
    // The 2024 TestInvoke recording of a custom Lambda integration has no X-Amz-Source-Arn where its 16-bucket log
    // order puts it (between x-amzn-apigateway-api-id and Accept) [AWS-REC: LocalStack test_apigateway_basic.py::
    // test_apigw_test_invoke_method_api, snapshot "test_invoke_method_response"; that test granted the function no
    // permission, so the console call is not authorized by source ARN]. A deployed call keeps it: a Lambda permission
    // conditioned on the SourceArn admits it (test_apigw_stage_variables, AWS-validated) (spec §10.4, §10.5).
    if r.s.request.test_invoke {
        headers.retain(|(n, _)| n != "X-Amz-Source-Arn");
    }
    let payload_json: Value =
        serde_json::from_str(&payload).unwrap_or_else(|_| Value::String(payload.clone()));
    r.integration_request = Some(crate::jobj::object(&mut [(
        "lambda",
        crate::jobj::object(&mut [
            ("payload", payload_json),
            ("invocationType", invocation_type.to_json()),
        ]),
    )]));
    r.trace.push(
        StageKind::IntegrationRequest,
        obj!{"contentType": mr.content_type},
        obj!{"uri": uri, "method": "POST", "headers": pairs(&headers), "body": crate::trace::body(&payload), "invocationType": invocation_type},
        notes,
    );
    let mut bnotes = Vec::new();
    let answer = match invoke_lambda(
        r,
        r.s.backend.as_ref(),
        &payload,
        &invocation_type,
        true,
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
    match answer {
        LambdaAnswer::Timeout => Err(timed_out(
            r,
            &uri,
            bnotes,
            "the function did not answer within timeoutInMillis: 504 (spec §5.4)",
        )),
        LambdaAnswer::Response {
            status,
            headers,
            body,
            function_error,
        } => {
            record_backend(
                r,
                obj! {"uri": uri},
                Some(status),
                &headers,
                &body,
                obj! {"sent": true, "functionError": function_error},
                bnotes,
            );
            let subject = function_error.clone().unwrap_or_default();
            custom_response(
                r,
                mr,
                CustomInput {
                    backend_status: status,
                    subject,
                    subject_name: if function_error.is_some() {
                        "errorMessage"
                    } else {
                        "errorMessage (none: success matches as \"\")"
                    },
                    backend_headers: &headers,
                    body: Payload::text(body),
                    lambda_error: function_error.is_some(),
                    header_kind: crate::header_rules::IntegrationKind::Aws,
                },
            )
        }
    }
}
