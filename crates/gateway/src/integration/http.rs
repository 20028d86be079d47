//! `HTTP` (custom) and `HTTP_PROXY` integrations (spec §5).

use indexmap::IndexMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use crate::jobj::obj;

use super::{
    custom_response, keep_request_override, map_request, record_backend, render, timed_out,
    unsupported_media_type, CustomInput, Output,
};
use crate::binary::{self, Payload};
use crate::pipeline::{
    choose_request_template, convert_request_body, MethodRequest, Run, Stop, TemplateChoice,
};
use crate::scenario::{Backend, HttpFailure, IntegrationType};
use crate::shim::EndpointType;
use crate::trace::{pairs, StageKind};

/// Query components are re-encoded like RFC 3986 unreserved characters (spec §5.1 [INFER]).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Integration URI with stage variables, `{name}` path values and the query string (spec §5.1, §7.5).
pub fn build_uri(
    template: &str,
    r: &Run,
    path: &[(String, String)],
    query: &[(String, String)],
    notes: &mut Vec<String>,
) -> String {
    let mut uri = crate::pipeline::substitute_stage_variables(template, &r.s.stage.variables);
    for (name, value) in path {
        let ph = format!("{{{name}}}");
        if uri.contains(&ph) {
            uri = uri.replace(&ph, value);
        } else {
            notes.push(format!(
                "integration.request.path.{name} has no {{{name}}} placeholder in the URI"
            ));
        }
    }
    if let Some(i) = uri.find('{') {
        if uri[i..].contains('}') {
            notes.push("the URI still has an unfilled {placeholder}: map integration.request.path.<name> (spec §5.1)".into());
        }
    }
    if !query.is_empty() {
        let q: Vec<String> = query
            .iter()
            .map(|(n, v)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(n, QUERY),
                    utf8_percent_encode(v, QUERY)
                )
            })
            .collect();
        uri.push(if uri.contains('?') { '&' } else { '?' });
        uri.push_str(&q.join("&"));
    }
    uri
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?']).next().unwrap_or("").to_string()
}

/// Removes mapped headers AWS never delivers to an HTTP backend (spec §5.5 recorded).
fn drop_mapped(h: &mut Vec<(String, String)>, notes: &mut Vec<String>) {
    h.retain(|(n, _)| {
        let drop = crate::header_rules::dropped_mapped_request_header(n);
        if drop {
            notes.push(format!(
                "mapped header {n} dropped: AWS never forwards it to an HTTP backend (spec §5.5 recorded)"
            ));
        }
        !drop
    });
}

fn set(h: &mut Vec<(String, String)>, name: &str, value: String) {
    h.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    h.push((name.to_string(), value));
}

pub fn run(r: &mut Run, mr: &MethodRequest) -> Result<Output, Stop> {
    let proxy = mr.kind == IntegrationType::HttpProxy;
    let mut notes = Vec::new();
    let mapped = map_request(r, mr, &mut notes)?;
    let api = r.s.rest_api.id.clone();
    let configured = mr
        .integration
        .http_method
        .clone()
        .unwrap_or_else(|| "GET".into());
    let method = if configured == "ANY" {
        mr.http_method.clone()
    } else {
        configured
    };
    let mut path_vals = mapped.path.clone();
    let mut query: Vec<(String, String)>;
    let mut headers: Vec<(String, String)>;
    let body: Payload;
    if proxy {
        // Client method, headers, query and body are forwarded (spec §5.1).
        notes.push("HTTP_PROXY: client headers, query string and body forwarded; mappings applied on top (spec §5.1)".into());
        headers = Vec::new();
        for (n, v) in &mr.received_headers {
            let added_xf = r.endpoint != EndpointType::Edge
                && n.starts_with("X-Forwarded-")
                && !r.client_headers.iter().any(|(c, _)| c == n);
            if n.eq_ignore_ascii_case("Host") {
                continue;
            }
            match crate::header_rules::request_rule(n, crate::header_rules::IntegrationKind::HttpProxy) {
                crate::header_rules::Rule::Passthrough if !added_xf => headers.push((n.clone(), v.clone())),
                _ if added_xf => notes.push(format!("{n} not forwarded: on non-EDGE endpoints HTTP_PROXY backends get no X-Forwarded-* (spec §5.1)")),
                _ if crate::header_rules::dropped_from_method_request(n) => {}
                rule => notes.push(format!("request header {n} {rule:?} toward HTTP_PROXY (spec §5.5)")),
            }
        }
        for (n, v) in &mapped.headers {
            set(&mut headers, n, v.clone());
        }
        drop_mapped(&mut headers, &mut notes);
        query = mr.query.clone();
        query.extend(mapped.query.iter().cloned());
        body = mr.body.clone();
    } else {
        notes.push("HTTP: nothing from the client is forwarded except what mappings and templates produce (spec §5.1)".into());
        headers = mapped.headers.clone();
        drop_mapped(&mut headers, &mut notes);
        query = mapped.query.clone();
        let choice =
            choose_request_template(mr.integration, mr.content_type.as_deref(), &mut notes);
        let converted = convert_request_body(&mr.body, mr.integration, &mut notes)?;
        body = match choice {
            TemplateChoice::Reject => return Err(unsupported_media_type(r, notes)),
            TemplateChoice::Passthrough => converted,
            TemplateChoice::Template { source, .. } => {
                let out = render(
                    r,
                    mr,
                    source,
                    &converted.as_template_text(),
                    StageKind::IntegrationRequest,
                    &mut notes,
                )?;
                keep_request_override(r, &out.request_override);
                let o = &out.request_override;
                for (n, v) in &o.header {
                    notes.push(format!(
                        "$context.requestOverride.header.{n} = {v:?} (spec §7.4)"
                    ));
                    set(&mut headers, n, v.clone());
                }
                drop_mapped(&mut headers, &mut notes);
                for (n, v) in &o.querystring {
                    notes.push(format!(
                        "$context.requestOverride.querystring.{n} = {v:?} (spec §7.4)"
                    ));
                    query.retain(|(q, _)| q != n);
                    query.push((n.clone(), v.clone()));
                }
                for (n, v) in &o.path {
                    notes.push(format!(
                        "$context.requestOverride.path.{n} = {v:?} (spec §7.4)"
                    ));
                    path_vals.retain(|(p, _)| p != n);
                    path_vals.push((n.clone(), v.clone()));
                }
                // CONVERT_TO_BINARY applies to what the template produced: `{"data": "$input.body"}` is no
                // base64 and the call fails with 500 (spec §11.2 [AWS-REC 2025-02: LocalStack test_apigateway_s3
                // test_apigw_s3_binary_support_request_convert_to_binary_with_request_template asserts 500]).
                let rendered = Payload::text(out.output);
                if mr.integration.content_handling
                    == Some(crate::scenario::ContentHandling::ConvertToBinary)
                {
                    convert_request_body(&rendered, mr.integration, &mut notes)?
                } else {
                    rendered
                }
            }
        };
        // The client's Content-Type travels with a body only: a bodiless call that sent `Content-Type` reached the
        // backend without it, a passed-through JSON body with it [AWS-REC: LocalStack TestApiGatewayHeaderRemapping
        // `no-param-integration` (HTTP) and test_http_integration_with_lambda[HTTP]; spec §5.1].
        if matches!(method.as_str(), "POST" | "PUT" | "PATCH")
            && !body.bytes.is_empty()
            && !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        {
            if let Some(ct) = &mr.content_type {
                headers.push(("Content-Type".into(), ct.clone()));
            }
        }
    }
    let uri = build_uri(
        mr.integration.uri.as_deref().unwrap_or(""),
        r,
        &path_vals,
        &query,
        &mut notes,
    );
    // Stage variables that resolve to nothing can leave the endpoint without a host (`https:///?`): AWS sends
    // nothing and answers 500 InternalServerErrorException (spec §5.4 [AWS-REC 2025-09: LocalStack
    // test_apigateway_import test_import_with_stage_variables, "get-error-resp-from-http"]).
    if host_of(&uri).is_empty() {
        notes.push(format!(
            "integration URI {uri:?} has no host: Invalid endpoint address, nothing sent (spec §5.4)"
        ));
        r.trace.push(
            StageKind::IntegrationRequest,
            obj! {"uriTemplate": mr.integration.uri},
            obj! {"uri": uri, "method": method},
            notes,
        );
        return Err(Stop::config(
            StageKind::IntegrationRequest,
            "Invalid endpoint address",
        ));
    }
    // API Gateway's own headers follow the mapped ones, spelled and ordered as in the execution log of the
    // developer guide's HTTP mapping example (`{DogsAge0=true, x-amzn-apigateway-api-id=…, Accept=application/json,
    // User-Agent=AmazonAPIGateway_…, X-Amzn-Trace-Id=…}`, 2025) and a 2020 TestInvoke capture (`…, Host=<backend>`
    // last); spec §5.1 lists the same set as recorded at the backend.
    set(&mut headers, "x-amzn-apigateway-api-id", api.clone());
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("Accept"))
    {
        headers.push(("Accept".into(), "application/json".into()));
    }
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("User-Agent"))
    {
        headers.push(("User-Agent".into(), format!("AmazonAPIGateway_{api}")));
    }
    set(&mut headers, "X-Amzn-Trace-Id", r.env.trace_id.clone());
    // A mapped `Host` (e.g. from `method.request.header.Host`) is what the backend receives; otherwise the
    // integration endpoint's host (spec §5.5 "Overwritten" [AWS-REC: LocalStack `TestApiGatewayHeaderRemapping`
    // `full-integration` received the API's own host through the mapping]).
    match headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case("Host"))
    {
        Some(h) => notes.push(format!(
            "Host {:?} from integration.request.header.{} (a mapped Host wins, spec §5.5 recorded)",
            h.1, h.0
        )),
        None => headers.push(("Host".into(), host_of(&uri))),
    }
    let (body_text, body_b64) = body.to_wire();
    let mut multi: IndexMap<String, Vec<String>> = IndexMap::new();
    for (n, v) in &headers {
        multi.entry(n.clone()).or_default().push(v.clone());
    }
    // The backend also receives the framing header its HTTP client adds: `Content-Length: 0` was recorded for a
    // bodiless POST and the rendered body's length for a templated one (spec §5.1 [AWS-REC]). It is not one of the
    // headers the execution log prints [INFER]; a bodiless GET/HEAD/DELETE/OPTIONS carries none [INFER].
    if !body.bytes.is_empty() || matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
        multi.insert("Content-Length".into(), vec![body.bytes.len().to_string()]);
    }
    let mut ir = obj! {"method": method, "url": uri, "headers": multi, "body": body_text};
    if body_b64 {
        ir["isBase64Encoded"] = Value::Bool(true);
    }
    r.integration_request = Some(obj! {"http": ir});
    r.trace.push(
        StageKind::IntegrationRequest,
        obj!{"uriTemplate": mr.integration.uri},
        obj!{"uri": uri, "method": method, "headers": pairs(&headers), "body": crate::trace::body(&body_text), "isBase64Encoded": body_b64},
        notes,
    );

    // The backend.
    let mut bnotes = Vec::new();
    let (status, rheaders, rbody) = match r.s.backend.as_ref() {
        Some(Backend::Http(h)) => match h.fails {
            Some(HttpFailure::Timeout) => {
                return Err(timed_out(
                    r,
                    &uri,
                    bnotes,
                    "backend did not answer within timeoutInMillis: 504 (spec §5.4)",
                ));
            }
            Some(HttpFailure::Connection) => {
                bnotes.push("connection to the backend failed: INTEGRATION_FAILURE (500 recorded when not customized, spec §5.4)".into());
                record_backend(
                    r,
                    obj! {"uri": uri},
                    None,
                    &[],
                    "",
                    obj! {"sent": true, "failed": true},
                    bnotes,
                );
                let mut stop = Stop::new(
                    StageKind::Backend,
                    "INTEGRATION_FAILURE",
                    Some(
                        "Execution failed due to a network error communicating with endpoint"
                            .into(),
                    ),
                );
                stop.message = Some("Internal server error".into());
                return Err(stop);
            }
            None => {
                let hs: Vec<(String, String)> = h
                    .headers
                    .iter()
                    .flat_map(|(n, v)| v.values().into_iter().map(move |v| (n.clone(), v)))
                    .collect();
                let bytes = match (&h.body, h.is_base64_encoded) {
                    (Some(b), true) => binary::decode_base64(b).unwrap_or_default(),
                    (Some(b), false) => b.clone().into_bytes(),
                    (None, _) => Vec::new(),
                };
                (
                    h.status.unwrap_or(200),
                    hs,
                    Payload {
                        bytes,
                        binary: h.is_base64_encoded,
                    },
                )
            }
        },
        Some(Backend::Echo(_)) => {
            bnotes.push(
                "echo backend: answers 200 with a JSON description of the request it received"
                    .into(),
            );
            let b = obj! {"method": method, "url": uri, "headers": multi, "body": body_text}
                .to_string();
            (
                200,
                vec![("Content-Type".to_string(), "application/json".to_string())],
                Payload::text(b),
            )
        }
        Some(Backend::Lambda(_)) | None => {
            bnotes.push("no http or echo backend configured for this HTTP integration".into());
            record_backend(
                r,
                obj! {"uri": uri},
                None,
                &[],
                "",
                obj! {"sent": false},
                bnotes,
            );
            return Err(Stop::config(StageKind::Backend, "Invalid endpoint address"));
        }
    };
    let (rb_text, _) = rbody.to_wire();
    record_backend(
        r,
        obj! {"uri": uri},
        Some(status),
        &rheaders,
        &rb_text,
        obj! {"sent": true},
        bnotes,
    );

    if proxy {
        let mut notes = vec![
            "HTTP_PROXY: backend status, headers and body returned as-is (spec §5.3)".to_string(),
        ];
        let (headers, rn) = crate::header_rules::apply_response_rules(
            &rheaders,
            crate::header_rules::IntegrationKind::HttpProxy,
            false,
        );
        notes.extend(rn.into_iter().map(|n| n.message));
        r.trace.push(
            StageKind::IntegrationResponse,
            obj!{"status": status},
            obj!{"statusCode": status, "headers": pairs(&headers), "body": crate::trace::body(&rb_text)},
            notes,
        );
        return Ok(Output {
            status,
            headers,
            body: rbody,
            notes: Vec::new(),
        });
    }
    custom_response(
        r,
        mr,
        CustomInput {
            backend_status: status,
            subject: status.to_string(),
            subject_name: "backend status code",
            backend_headers: &rheaders,
            body: rbody,
            lambda_error: false,
            header_kind: crate::header_rules::IntegrationKind::Http,
        },
    )
}
