//! Integration request → backend → integration response, one module per integration type.
//! Shared here: template rendering, the simulated Lambda service, and the non-proxy integration
//! response (selection, response parameters, response template, overrides, content handling).

mod http;
mod lambda;
mod mock;
mod proxy;

use indexmap::IndexMap;
use serde_json::Value;

use crate::jobj::{obj, put, ToJson};

use crate::binary::{self, Handling, Payload};
use crate::mapping::{self, ResponseView};
use crate::pipeline::{choose_response_template, MethodRequest, Run, Stop};
use crate::scenario::{Backend, IntegrationType, LambdaBackend};
use crate::shim;
use crate::template::{Overrides, Params, TemplateInput};
use crate::trace::{pairs, StageKind};

/// What an integration hands to the method response.
pub struct Output {
    pub status: u16,
    /// Method-level response headers (mapped, overridden, or the proxy's), before the standard ones.
    pub headers: Vec<(String, String)>,
    pub body: Payload,
    pub notes: Vec<String>,
}

pub fn run(r: &mut Run, mr: &MethodRequest) -> Result<Output, Stop> {
    match mr.kind {
        IntegrationType::Aws => lambda::run(r, mr),
        IntegrationType::AwsProxy => proxy::run(r, mr),
        IntegrationType::Http | IntegrationType::HttpProxy => http::run(r, mr),
        IntegrationType::Mock => mock::run(r, mr),
    }
}

/// Template parameters as `$input.params()` sees them (single values, last wins).
pub fn params(mr: &MethodRequest) -> Params {
    let map = |l: &[(String, String)]| {
        l.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<IndexMap<_, _>>()
    };
    Params {
        path: map(&mr.path_params),
        querystring: map(&mr.query),
        header: map(&mr.headers),
    }
}

pub struct RenderOut {
    pub output: String,
    pub request_override: Overrides,
    pub response_override: Overrides,
}

/// Keeps what a request template set in `$context.requestOverride` for the response template (spec §6).
pub fn keep_request_override(r: &mut Run, o: &Overrides) {
    r.request_override =
        Some(obj! {"header": o.header, "path": o.path, "querystring": o.querystring});
}

/// Renders a mapping template; an error becomes a 500 with the template's own message.
pub fn render(
    r: &Run,
    mr: &MethodRequest,
    source: &str,
    body: &str,
    stage: StageKind,
    notes: &mut Vec<String>,
) -> Result<RenderOut, Stop> {
    let t = vtl::Template::parse(source);
    let mut context = mr.context.clone();
    if let (StageKind::IntegrationResponse, Some(o), Value::Object(m)) =
        (stage, &r.request_override, &mut context)
    {
        m.insert("requestOverride".into(), o.clone());
    }
    let input = TemplateInput {
        body: body.to_string(),
        params: params(mr),
        stage_variables: r.s.stage.variables.clone(),
        context,
    };
    match crate::template::render(&t, &input) {
        Ok(out) => Ok(RenderOut {
            output: out.output,
            request_override: out.request_override,
            response_override: out.response_override,
        }),
        Err(e) if e.invalid_payload.is_some() => {
            // A payload that starts like JSON but does not parse fails the request with 400 and
            // json-smart's message in the legacy spaced body (spec §7.2 [AWS-REC old]).
            let msg = e.invalid_payload.unwrap_or_default();
            notes.push(format!(
                "template could not read the payload as JSON: {msg}"
            ));
            let mut stop = Stop::new(
                stage,
                "DEFAULT_4XX",
                Some(format!("Execution failed: {msg}")),
            );
            stop.message = Some(msg);
            stop.status = Some(400);
            Err(stop)
        }
        Err(e) => {
            let msg = match (&e.render_error, e.diagnostics.first()) {
                (Some(re), _) => re.to_string(),
                (None, Some(d)) => d.to_string(),
                (None, None) => "template error".into(),
            };
            notes.push(format!("template failed: {msg}"));
            // "Unable to transform request" is the request-template wording; a failing response
            // template names the response [INFER: same message family, the side that failed].
            let side = if stage == StageKind::IntegrationResponse {
                "response"
            } else {
                "request"
            };
            Err(Stop::config(
                stage,
                format!("Unable to transform {side}: {msg}"),
            ))
        }
    }
}

/// The Lambda Invoke endpoint (spec §4.1 logged URI).
pub fn lambda_uri(r: &Run, mr: &MethodRequest) -> String {
    let uri = crate::pipeline::substitute_stage_variables(
        mr.integration.uri.as_deref().unwrap_or(""),
        &r.s.stage.variables,
    );
    let arn = crate::pipeline::lambda_function_arn(&uri).unwrap_or_default();
    format!(
        "https://lambda.{}.amazonaws.com/2015-03-31/functions/{arn}/invocations",
        r.s.region
    )
}

/// Headers API Gateway sends to Lambda's Invoke API, in the order of the recorded log (spec §10.4, §4.1):
/// `X-Amz-Date, x-amzn-apigateway-api-id, Accept, User-Agent, Host, X-Amz-Content-Sha256, X-Amzn-Trace-Id,
/// x-amzn-lambda-integration-tag, Authorization, X-Amz-Source-Arn, X-Amz-Security-Token`.
pub fn lambda_request_headers(
    r: &Run,
    mr: &MethodRequest,
    extra: &[(String, String)],
) -> Vec<(String, String)> {
    let env = r.env;
    let api = &r.s.rest_api.id;
    let date = shim::amz_date(env.request_time_epoch);
    let day = date.get(..8).unwrap_or("");
    // SigV4 material AWS derives from its own credentials: shape-faithful stand-ins built from the request id
    // (the real values are secret or random, so no recording can be matched byte for byte).
    let hex = |len: usize| -> String {
        env.request_id
            .chars()
            .filter(char::is_ascii_hexdigit)
            .cycle()
            .take(len)
            .collect()
    };
    // Every header sent is signed, which makes the masked value about as long as AWS's (339 characters in a
    // 2025 us-east-1 capture, 342 here).
    let signature = hex(64);
    // Stand-in for the hex SHA-256 of the payload that SigV4 sends as `X-Amz-Content-Sha256`.
    let content_sha = hex(64).chars().rev().collect::<String>();
    // STS session tokens start `IQoJb3JpZ2luX2Vj` and run to ~1,000 characters, which is why the recorded
    // "Endpoint request headers" line always ends in ` [TRUNCATED]` (spec §10.2, §10.4).
    let token = format!(
        "IQoJb3JpZ2luX2Vj{}",
        env.request_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .cycle()
            .take(880)
            .collect::<String>()
    );
    let resource = mr.resource.path.trim_start_matches('/');
    let mut h = vec![
        ("X-Amz-Date".to_string(), date.clone()),
        ("x-amzn-apigateway-api-id".to_string(), api.clone()),
        ("Accept".to_string(), "application/json".to_string()),
        ("User-Agent".to_string(), format!("AmazonAPIGateway_{api}")),
        ("Host".to_string(), format!("lambda.{}.amazonaws.com", r.s.region)),
        ("X-Amz-Content-Sha256".to_string(), content_sha),
        ("X-Amzn-Trace-Id".to_string(), env.trace_id.clone()),
        ("x-amzn-lambda-integration-tag".to_string(), env.request_id.clone()),
        (
            "Authorization".to_string(),
            format!(
                "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE00/{day}/{}/lambda/aws4_request, SignedHeaders=accept;host;user-agent;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-source-arn;x-amzn-apigateway-api-id;x-amzn-lambda-integration-tag;x-amzn-trace-id, Signature={signature}",
                r.s.region
            ),
        ),
        (
            "X-Amz-Source-Arn".to_string(),
            format!(
                "arn:aws:execute-api:{}:{}:{api}/{}/{}/{resource}",
                r.s.region,
                r.s.account_id,
                mr.context.get("stage").and_then(|v| v.as_str()).unwrap_or(""),
                // The method as configured, so `ANY` for an ANY method (a 2017 capture:
                // `…/Test/ANY/{resource+}`), with the resource path template (spec §10.4, §10.5).
                mr.method_key
            ),
        ),
    ];
    h.push(("X-Amz-Security-Token".to_string(), token));
    h.extend(extra.iter().cloned());
    h
}

/// What the simulated Lambda service answered.
pub enum LambdaAnswer {
    /// Invoke HTTP status, headers, body; `function_error` = the function raised (`X-Amz-Function-Error`).
    Response {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
        function_error: Option<String>,
    },
    Timeout,
}

/// The Lambda service: runs the configured function behavior on `payload` (spec §4.1, §4.4, §2).
pub fn invoke_lambda(
    r: &Run,
    backend: Option<&Backend>,
    payload: &str,
    invocation_type: &str,
    validate_json: bool,
    notes: &mut Vec<String>,
) -> Result<LambdaAnswer, Stop> {
    let env = r.env;
    let headers = |len: usize, status_extra: Option<(&str, &str)>| {
        let mut h = vec![
            ("Date".to_string(), shim::http_date(env.request_time_epoch)),
            ("Content-Type".to_string(), "application/json".to_string()),
            ("Content-Length".to_string(), len.to_string()),
            ("Connection".to_string(), "keep-alive".to_string()),
            (
                "x-amzn-RequestId".to_string(),
                env.lambda_request_id.clone(),
            ),
        ];
        if let Some((n, v)) = status_extra {
            h.push((n.to_string(), v.to_string()));
        }
        h.push((
            "x-amzn-Remapped-Content-Length".to_string(),
            "0".to_string(),
        ));
        h.push(("X-Amz-Executed-Version".to_string(), "$LATEST".to_string()));
        h.push((
            "X-Amzn-Trace-Id".to_string(),
            format!(
                "root={};sampled=0",
                env.trace_root()
                    .to_ascii_lowercase()
                    .trim_start_matches("root=")
            ),
        ));
        h
    };
    // Lambda's Invoke API requires a JSON payload (spec §4.1); an empty payload is accepted and the
    // function sees `{}` [INFER: GET methods without a template work against Lambda custom integrations].
    let payload = if payload.trim().is_empty() {
        "{}"
    } else {
        payload
    };
    if let Err(e) = validate_json
        .then(|| serde_json::from_str::<serde::de::IgnoredAny>(payload))
        .transpose()
    {
        let body = obj!{"Type": "User", "message": format!("Could not parse request body into json: {e}")}.to_string();
        notes.push("Lambda rejected the payload: Invoke requires valid JSON (spec §4.1)".into());
        return Ok(LambdaAnswer::Response {
            status: 400,
            headers: headers(body.len(), None),
            body,
            function_error: None,
        });
    }
    let lambda: Option<&LambdaBackend> = match backend {
        Some(Backend::Lambda(l)) => Some(l),
        Some(Backend::Echo(_)) => None,
        Some(Backend::Http(_)) | None => {
            return Err(Stop::config(
                StageKind::Backend,
                "Invalid permissions on Lambda function",
            ));
        }
    };
    if invocation_type == "Event" {
        notes.push("asynchronous invocation (X-Amz-Invocation-Type: Event): Lambda answers 202 with an empty body (spec §4.4)".into());
        return Ok(LambdaAnswer::Response {
            status: 202,
            headers: headers(0, None),
            body: String::new(),
            function_error: None,
        });
    }
    if invocation_type == "DryRun" {
        notes.push("DryRun invocation: Lambda answers 204 without running the function".into());
        return Ok(LambdaAnswer::Response {
            status: 204,
            headers: headers(0, None),
            body: String::new(),
            function_error: None,
        });
    }
    match lambda {
        None => {
            notes.push("echo function: returns the payload it received".into());
            let body = serde_json::from_str::<Value>(payload)
                .map(|v| v.to_string())
                .unwrap_or_default();
            Ok(LambdaAnswer::Response {
                status: 200,
                headers: headers(body.len(), None),
                body,
                function_error: None,
            })
        }
        Some(l) if l.times_out => Ok(LambdaAnswer::Timeout),
        Some(l) => {
            if let Some(e) = &l.throws {
                let mut m = serde_json::Map::new();
                put(&mut m, "errorMessage", e.error_message.to_json());
                if let Some(t) = &e.error_type {
                    put(&mut m, "errorType", t.to_json());
                }
                if let Some(id) = &e.request_id {
                    put(&mut m, "requestId", id.to_json());
                }
                if let Some(st) = &e.stack_trace {
                    put(&mut m, "stackTrace", st.to_json());
                }
                let body = Value::Object(m).to_string();
                notes.push(format!(
                    "function raised {:?}: Lambda answers 200 with X-Amz-Function-Error: Unhandled",
                    e.error_message
                ));
                Ok(LambdaAnswer::Response {
                    status: 200,
                    headers: headers(body.len(), Some(("X-Amz-Function-Error", "Unhandled"))),
                    body,
                    function_error: Some(e.error_message.clone()),
                })
            } else {
                let body = l.returns.clone().unwrap_or(Value::Null).to_string();
                Ok(LambdaAnswer::Response {
                    status: 200,
                    headers: headers(body.len(), None),
                    body,
                    function_error: None,
                })
            }
        }
    }
}

/// No request template for the content type and the passthrough behavior forbids passing the
/// body: 415 `UNSUPPORTED_MEDIA_TYPE` (spec §4.1).
pub fn unsupported_media_type(r: &mut Run, notes: Vec<String>) -> Stop {
    r.trace.push(
        StageKind::IntegrationRequest,
        Value::Null,
        Value::Null,
        notes,
    );
    let mut stop = Stop::new(
        StageKind::IntegrationRequest,
        "UNSUPPORTED_MEDIA_TYPE",
        None,
    );
    stop.message = Some("Unsupported Media Type".into());
    stop
}

/// The backend did not answer within `timeoutInMillis`: 504 `INTEGRATION_TIMEOUT` with the recorded log
/// line and body (spec §5.4, §3.2).
pub fn timed_out(r: &mut Run, uri: &str, mut notes: Vec<String>, why: &str) -> Stop {
    notes.push(why.into());
    record_backend(
        r,
        obj! {"uri": uri},
        None,
        &[],
        "",
        obj! {"timedOut": true},
        notes,
    );
    let mut stop = Stop::new(
        StageKind::Backend,
        "INTEGRATION_TIMEOUT",
        Some("Execution failed due to a timeout error".into()),
    );
    stop.message = Some("Endpoint request timed out".into());
    stop
}

/// Records the backend stage.
pub fn record_backend(
    r: &mut Run,
    input: Value,
    status: Option<u16>,
    headers: &[(String, String)],
    body: &str,
    extra: Value,
    notes: Vec<String>,
) {
    let mut out = obj! {
        "status": status, "headers": pairs(headers), "body": crate::trace::body(body), "latency": r.env.integration_latency,
    };
    if let (Some(o), Some(e)) = (out.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    r.trace.push(StageKind::Backend, input, out, notes);
}

pub fn header_kind(k: IntegrationType) -> crate::header_rules::IntegrationKind {
    crate::header_rules::IntegrationKind::parse(k.as_str())
        .unwrap_or(crate::header_rules::IntegrationKind::Mock)
}

/// The non-proxy integration response (spec §4.2-4.3, §5.2, §6, §8.2, §11.2).
pub struct CustomInput<'x> {
    pub backend_status: u16,
    /// String the selection patterns are matched against.
    pub subject: String,
    pub subject_name: &'static str,
    pub backend_headers: &'x [(String, String)],
    pub body: Payload,
    pub lambda_error: bool,
    pub header_kind: crate::header_rules::IntegrationKind,
}

pub fn custom_response(
    r: &mut Run,
    mr: &MethodRequest,
    mut ci: CustomInput,
) -> Result<Output, Stop> {
    let integration = mr.integration;
    // Whether the integration response payload is "binary" in the §11.2 table is decided by its
    // Content-Type against binaryMediaTypes ([DOC api-gateway-payload-encodings]: "whether the response's
    // Content-Type header or the incoming request's Accept header matches"; [EMU:LS] convert_body does the
    // same). Lambda answers `application/json`, so `binaryMediaTypes: ["*/*"]` makes a Lambda custom
    // response binary: with a matching Accept it passes through instead of being base64-decoded (500).
    // Without a Content-Type there is nothing to match: the backend document's own encoding is kept [INFER].
    if let Some(ct) = crate::pipeline::last_ci(ci.backend_headers, "Content-Type") {
        ci.body.binary =
            binary::matches_binary(&r.s.rest_api.binary_media_types, &binary::mime(ct));
    }
    let (sel, mut notes) = crate::selection::select(
        &integration.integration_responses,
        &ci.subject,
        ci.subject_name,
    );
    let Some(sel) = sel else {
        r.trace.push(
            StageKind::IntegrationResponse,
            obj! {"subject": ci.subject},
            Value::Null,
            notes,
        );
        return Err(Stop::config(
            StageKind::IntegrationResponse,
            format!("No match for output mapping and no default output mapping configured. Endpoint Response Status Code: {}", ci.backend_status),
        ));
    };
    let Some(ir) = integration.integration_responses.get(&sel.key) else {
        return Err(Stop::config(
            StageKind::IntegrationResponse,
            "integration response vanished",
        ));
    };
    let status_text = ir.status_code.clone().unwrap_or_else(|| sel.key.clone());
    r.integration_response = Some(obj! {
        "key": sel.key, "statusCode": status_text, "selectionPattern": sel.pattern, "matched": sel.subject,
    });
    if !mr.method.method_responses.contains_key(&status_text) {
        notes.push(format!("integration response {status_text} has no matching methodResponses.{status_text} (spec §4.2)"));
        r.trace.push(
            StageKind::IntegrationResponse,
            obj! {"subject": ci.subject},
            obj! {"key": sel.key},
            notes,
        );
        return Err(Stop::config(
            StageKind::IntegrationResponse,
            format!("Output mapping refers to an invalid method response: {status_text}"),
        ));
    }
    let mut status: u16 = status_text.parse().unwrap_or(200);
    let body_text = ci.body.as_template_text();
    // Response parameters (spec §8.2).
    let view = ResponseView {
        headers: ci.backend_headers,
        body: &body_text,
        lambda_error: ci.lambda_error,
        stage_variables: &r.s.stage.variables,
        context: &mr.context,
    };
    let mut mapped: Vec<(String, String)> = Vec::new();
    for (target, source) in &ir.response_parameters {
        let Some(name) = target.strip_prefix("method.response.header.") else {
            continue;
        };
        match mapping::resolve_response(source, &view) {
            Some(v) => {
                notes.push(format!("{target} = {v:?} from {source}"));
                mapped.push((name.to_string(), v));
            }
            None => notes.push(format!(
                "{target}: source {source} is missing, header not set (spec §8.1)"
            )),
        }
    }
    // Response template (spec §4.3).
    let mut body = ci.body.clone();
    let mut template_key = None;
    let mut overrides = Overrides::default();
    if let Some((key, src)) =
        choose_response_template(&ir.response_templates, mr.accept.as_deref(), &mut notes)
    {
        if src.is_empty() {
            // API Gateway stores an empty template as null (aws/aws-cli#1610), and a null template
            // returns the integration body unmapped: spec §4.3 [DOC] "define an empty
            // application/json template" to return unmapped JSON.
            notes.push(format!(
                "response template {key} is empty: integration body passed through (spec §4.3)"
            ));
        } else {
            let out = render(
                r,
                mr,
                src,
                &body_text,
                StageKind::IntegrationResponse,
                &mut notes,
            )?;
            body = Payload::text(out.output);
            overrides = out.response_override;
        }
        template_key = Some(key);
    }
    if let Some(s) = &overrides.status {
        match s.trim().parse::<u16>() {
            Ok(n) if (100..=599).contains(&n) => {
                notes.push(format!(
                    "$context.responseOverride.status = {n} (spec §4.3)"
                ));
                status = n;
            }
            _ => notes.push(format!(
                "$context.responseOverride.status {s:?} ignored: not 100-599 (spec §4.3 [EMU:LS])"
            )),
        }
    }
    for (n, v) in &overrides.header {
        notes.push(format!("$context.responseOverride.header.{n} = {v:?}"));
        mapped.retain(|(m, _)| !m.eq_ignore_ascii_case(n));
        mapped.push((n.clone(), v.clone()));
    }
    let (mut headers, rule_notes) =
        crate::header_rules::apply_response_rules(&mapped, ci.header_kind, true);
    notes.extend(rule_notes.into_iter().map(|n| n.message));
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
    {
        let ct = template_key
            .clone()
            .unwrap_or_else(|| "application/json".into());
        headers.push(("Content-Type".into(), ct));
    }
    // contentHandling (spec §11.2).
    let accept_binary = mr.accept.as_deref().is_some_and(|a| {
        binary::matches_binary(&r.s.rest_api.binary_media_types, &binary::first_accept(a))
    });
    let types_set = !r.s.rest_api.binary_media_types.is_empty();
    match binary::convert_response(
        &body,
        Handling::from(ir.content_handling),
        accept_binary,
        types_set,
    ) {
        Ok((p, note)) => {
            notes.extend(note.map(str::to_string));
            body = p;
        }
        Err(e) => {
            notes.push(format!(
                "response conversion failed: body is not base64 ({e})"
            ));
            return Err(Stop::config(
                StageKind::IntegrationResponse,
                "Unable to base64 decode the body",
            ));
        }
    }
    let (wire_body, b64) = body.to_wire();
    r.trace.push(
        StageKind::IntegrationResponse,
        obj!{"subject": ci.subject, "subjectName": ci.subject_name, "status": ci.backend_status},
        obj!{"key": sel.key, "statusCode": status, "selectionPattern": sel.pattern, "byDefault": sel.by_default,
               "template": template_key, "headers": pairs(&headers), "body": crate::trace::body(&wire_body), "isBase64Encoded": b64},
        notes,
    );
    Ok(Output {
        status,
        headers,
        body,
        notes: Vec::new(),
    })
}

/// Resolves `Integration.requestParameters` (spec §8.1) into (path, querystring, header) targets.
pub struct MappedRequest {
    pub path: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

/// Mapping a restricted header (`integration.request.header.Content-Length`, ...) makes every call fail with
/// 500, for `AWS_PROXY` too although its other mappings have no effect (spec §5.1, §8.1 [AWS-REC: LocalStack
/// `TestApiGatewayHeaderRemapping` recorded 500 for all seven names on both `AWS` and `AWS_PROXY`]).
pub fn check_restricted_mappings(
    r: &mut Run,
    mr: &MethodRequest,
    notes: &mut Vec<String>,
) -> Result<(), Stop> {
    for target in mr.integration.request_parameters.keys() {
        let Some(h) = target.strip_prefix("integration.request.header.") else {
            continue;
        };
        if crate::header_rules::restricted_request_mapping(h, header_kind(mr.kind)) {
            notes.push(format!(
                "{target} maps a restricted header: every call fails with 500 (spec §5.1)"
            ));
            r.trace.push(
                StageKind::IntegrationRequest,
                Value::Null,
                Value::Null,
                std::mem::take(notes),
            );
            return Err(Stop::config(
                StageKind::IntegrationRequest,
                format!("{h} header already present"),
            ));
        }
    }
    Ok(())
}

pub fn map_request(
    r: &mut Run,
    mr: &MethodRequest,
    notes: &mut Vec<String>,
) -> Result<MappedRequest, Stop> {
    let body_text: &str = if mr.body.binary { "" } else { &mr.body_text };
    let view = mapping::RequestView {
        path: &mr.path_params,
        query: &mr.query,
        headers: &mr.headers,
        body: body_text,
        stage_variables: &r.s.stage.variables,
        context: &mr.context,
    };
    let mut out = MappedRequest {
        path: vec![],
        query: vec![],
        headers: vec![],
    };
    check_restricted_mappings(r, mr, notes)?;
    for (target, source) in &mr.integration.request_parameters {
        let value = match mapping::resolve_request(source, &view) {
            Ok(v) => v,
            Err(e) => {
                notes.push(format!("{target}: {e}"));
                r.trace.push(
                    StageKind::IntegrationRequest,
                    Value::Null,
                    Value::Null,
                    std::mem::take(notes),
                );
                let mut stop = Stop::new(StageKind::IntegrationRequest, "BAD_REQUEST_BODY", None);
                stop.message = Some(e);
                return Err(stop);
            }
        };
        let Some(value) = value else {
            notes.push(format!(
                "{target}: source {source} is missing at run time, target not set (spec §8.1)"
            ));
            continue;
        };
        notes.push(format!("{target} = {:?} from {source}", value.joined()));
        if let Some(n) = target.strip_prefix("integration.request.path.") {
            out.path.push((n.to_string(), value.joined()));
        } else if let Some(n) = target.strip_prefix("integration.request.querystring.") {
            match value {
                mapping::Mapped::Many(vs) => {
                    out.query.extend(vs.into_iter().map(|v| (n.to_string(), v)))
                }
                mapping::Mapped::One(v) => out.query.push((n.to_string(), v)),
            }
        } else if let Some(n) = target.strip_prefix("integration.request.header.") {
            out.headers.push((n.to_string(), value.joined()));
        }
    }
    Ok(out)
}
