//! The request pipeline (spec §0): method request → (authorization slot) → validation → integration
//! request → backend → integration response → method response, for the five integration types.
//!
//! Each stage is a method on [`Run`] that records a [`StageRecord`](crate::trace::StageRecord) and either
//! continues or stops with a gateway response ([`Stop`]). Later rounds insert authorizers, API keys and
//! resource policies into [`Run::authorize`] without touching the other stages. Everything the real service
//! would take from a clock, a random source or the network comes from [`Env`].

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::jobj::{obj, put, ToJson};

use crate::binary::{self, Handling, Payload};
use crate::env::Env;
use crate::integration;
use crate::scenario::{Integration, IntegrationType, Method, Resource, Scenario};
use crate::shim::{self, EndpointType};
use crate::trace::{pairs, Failure, StageKind, Trace};

/// What the client receives, plus the two integration facts the result document reports.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Payload,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub response: Response,
    pub integration_request: Option<Value>,
    pub integration_response: Option<Value>,
    pub trace: Trace,
}

/// Why a stage stopped the run: a gateway response of `response_type` (spec §9.1).
#[derive(Clone, Debug)]
pub struct Stop {
    pub stage: StageKind,
    pub response_type: &'static str,
    /// Execution-log line, when AWS writes one.
    pub log_line: Option<String>,
    /// `$context.error.message` for the gateway response.
    pub message: Option<String>,
    pub validation_error: Option<String>,
    /// Status that overrides the gateway response's (Lambda proxy failures are 502 under the 5XX type).
    pub status: Option<u16>,
}

impl Stop {
    pub fn new(stage: StageKind, response_type: &'static str, log_line: Option<String>) -> Stop {
        Stop {
            stage,
            response_type,
            log_line,
            message: None,
            validation_error: None,
            status: None,
        }
    }
    pub fn config(stage: StageKind, what: impl std::fmt::Display) -> Stop {
        Stop::new(
            stage,
            "API_CONFIGURATION_ERROR",
            Some(format!(
                "Execution failed due to configuration error: {what}"
            )),
        )
    }
}

/// API Gateway's payload quota (spec §7.6).
pub const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Extracts `{functionArn}` from a Lambda integration URI.
pub fn lambda_function_arn(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("arn:aws:apigateway:")?;
    let (_, rest) = rest.split_once(":lambda:path/")?;
    // `lambda:path//2015-03-31/...` (doubled slash) is accepted and invoked as the single-slash
    // URL [AWS-REC: LocalStack test_apigateway_basic.py::test_apigw_test_invoke_method_api log].
    let rest = rest.trim_start_matches('/');
    let rest = rest.strip_prefix("2015-03-31/functions/")?;
    let arn = rest.strip_suffix("/invocations")?;
    if arn.is_empty() {
        None
    } else {
        Some(arn.to_string())
    }
}

/// Replaces `${stageVariables.x}` (spec §7.5); undefined variables become empty.
pub fn substitute_stage_variables(s: &str, vars: &IndexMap<String, String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${stageVariables.") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "${stageVariables.".len()..];
        match after.find('}') {
            Some(end) => {
                out.push_str(vars.get(&after[..end]).map(String::as_str).unwrap_or(""));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Facts established by the method-request stage that later stages read.
pub struct MethodRequest<'a> {
    pub resource: &'a Resource,
    pub resource_index: usize,
    pub resource_id: String,
    pub method_key: String,
    pub method: &'a Method,
    pub integration: &'a Integration,
    pub kind: IntegrationType,
    pub http_method: String,
    /// Path without the stage (the proxy event's `path`).
    pub path: String,
    pub path_params: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    /// Headers as API Gateway received them (after the endpoint transform), for proxies.
    pub received_headers: Vec<(String, String)>,
    /// Headers visible to validation, mappings and templates (dropped names removed, spec §5.5).
    pub headers: Vec<(String, String)>,
    pub body: Payload,
    /// The body as templates and the proxy event see it (base64 when binary), computed once.
    pub body_text: String,
    pub has_body: bool,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    /// `requestContext` / `$context` (spec §2.2, §7.4).
    pub context: Value,
}

pub struct Run<'a> {
    pub s: &'a Scenario,
    pub env: &'a Env,
    pub endpoint: EndpointType,
    pub eenv: crate::endpoint::EndpointEnv,
    pub host: String,
    pub trace: Trace,
    pub integration_request: Option<Value>,
    pub integration_response: Option<Value>,
    /// The client's request headers (name, value) in order.
    pub client_headers: Vec<(String, String)>,
    /// What the request template set in `$context.requestOverride` (`{"header":{..},"path":{..},
    /// "querystring":{..}}`): a response template reads the same values (spec §6, [AWS-REC]
    /// `test_integration_mock_with_request_overrides_in_response_template`).
    pub request_override: Option<Value>,
    /// The response's `X-Amzn-Trace-Id` when the client sent one (see [`client_trace`]).
    pub response_trace: Option<String>,
}

/// `(root, response header value)` for a client-sent `X-Amzn-Trace-Id` carrying `Root=1-…` (last one wins).
fn client_trace(s: &Scenario, env: &Env) -> Option<(String, String)> {
    let value = s
        .request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("X-Amzn-Trace-Id"))
        .flat_map(|(_, v)| v.values())
        .last()?;
    let value = value.trim().to_string();
    let mut root = None;
    let mut has_parent = false;
    for part in value.split(';') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k.trim() {
            "Root" if !v.trim().is_empty() => root = Some(v.trim().to_string()),
            "Parent" => has_parent = true,
            _ => {}
        }
    }
    let root = root?;
    if has_parent {
        return Some((root, value));
    }
    // A stand-in segment id: 16 hex digits from the request id (AWS's is random).
    let parent: String = env
        .request_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .cycle()
        .skip(7)
        .take(16)
        .collect();
    let response = format!("Root={root};Parent={parent};Sampled=0");
    Some((root, response))
}

pub fn last<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

pub fn last_ci<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .rev()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Runs `s` with environment `env`.
pub fn run(s: &Scenario, env: &Env) -> Outcome {
    // A client `X-Amzn-Trace-Id` with a `Root=` continues that trace: the response header carries the client's
    // value unchanged when it names a Parent, else the client's Root with a Parent API Gateway generates
    // [AWS-REC: LocalStack test_apigateway_common.py::test_invocation_trace_id, AWS_PROXY, 2024-08]. The Root
    // then also goes to the integration and the log [INFER: X-Ray continues the caller's trace].
    let (adopted_env, response_trace) = match client_trace(s, env) {
        Some((root, response)) => (
            Some(Env {
                trace_id: format!("Root={root}"),
                ..env.clone()
            }),
            Some(response),
        ),
        None => (None, None),
    };
    let env = adopted_env.as_ref().unwrap_or(env);
    let endpoint = shim::endpoint_type(s);
    let host = format!("{}.execute-api.{}.amazonaws.com", s.rest_api.id, s.region);
    let eenv = shim::endpoint_env(env, &s.rest_api.id, &s.region, &s.request.source_ip);
    let client_headers = s
        .request
        .headers
        .iter()
        .flat_map(|(n, v)| v.values().into_iter().map(move |v| (n.clone(), v)))
        .collect();
    let mut r = Run {
        s,
        env,
        endpoint,
        eenv,
        host,
        trace: Trace::new(&env.request_id, env.request_time_epoch),
        integration_request: None,
        integration_response: None,
        client_headers,
        request_override: None,
        response_trace,
    };
    let response = match r.process() {
        Ok(resp) => resp,
        Err(stop) => r.gateway_response(stop),
    };
    r.trace.status_code = response.status;
    Outcome {
        response,
        integration_request: r.integration_request,
        integration_response: r.integration_response,
        trace: r.trace,
    }
}

impl<'a> Run<'a> {
    fn process(&mut self) -> Result<Response, Stop> {
        let mr = self.method_request()?;
        self.trace.integration_type = Some(mr.kind.as_str());
        self.authorize(&mr)?;
        self.validate(&mr)?;
        let out = integration::run(self, &mr)?;
        Ok(self.method_response(&mr, out))
    }

    /// Stage 1: routing and the method request as API Gateway sees it (spec §0 steps 1-2, §1, §2).
    fn method_request(&mut self) -> Result<MethodRequest<'a>, Stop> {
        let s = self.s;
        let req = &s.request;
        let (received, mut notes) = if req.test_invoke {
            (
                self.client_headers.clone(),
                vec!["console Test tab (TestInvokeMethod): headers as entered, no endpoint headers (spec §2.5)".to_string()],
            )
        } else {
            shim::transform_request_headers(self.endpoint, &self.client_headers, &self.eenv)
        };
        let input = obj! {
            "method": req.method, "path": req.path, "query": req.query, "headers": pairs(&self.client_headers),
            "body": req.body, "isBase64Encoded": req.is_base64_encoded, "sourceIp": req.source_ip,
            "endpointType": self.endpoint.as_str(),
        };
        // spec §7.6: payloads over 10 MB are rejected with 413 REQUEST_TOO_LARGE (not customizable).
        let raw_len = req.body.as_deref().map_or(0, |b| {
            if req.is_base64_encoded {
                b.len() / 4 * 3
            } else {
                b.len()
            }
        });
        if raw_len > MAX_PAYLOAD_BYTES {
            notes.push(format!(
                "request payload of {raw_len} bytes exceeds the 10 MB quota (spec §7.6)"
            ));
            self.trace
                .push(StageKind::MethodRequest, input, Value::Null, notes);
            return Err(Stop::new(
                StageKind::MethodRequest,
                "REQUEST_TOO_LARGE",
                None,
            ));
        }
        let missing = |notes: Vec<String>, trace: &mut Trace, why: String| {
            let mut notes = notes;
            notes.push(why);
            notes.push("no method matched: 403 MISSING_AUTHENTICATION_TOKEN, never 404/405 (spec §0 step 2)".into());
            trace.push(StageKind::MethodRequest, input.clone(), Value::Null, notes);
            let mut stop = Stop::new(
                StageKind::MethodRequest,
                "MISSING_AUTHENTICATION_TOKEN",
                None,
            );
            stop.message = Some("Missing Authentication Token".into());
            stop
        };
        let split = if req.test_invoke {
            Some((
                s.stage.stage_name.as_str(),
                crate::routing::event_path(&req.path),
            ))
        } else {
            crate::routing::split_stage(&req.path)
        };
        let Some((stage, path)) = split else {
            return Err(missing(
                notes,
                &mut self.trace,
                "the path has no stage segment".into(),
            ));
        };
        if stage != s.stage.stage_name {
            return Err(missing(
                notes,
                &mut self.trace,
                format!(
                    "stage `{stage}` is not the scenario's stage `{}`",
                    s.stage.stage_name
                ),
            ));
        }
        let templates: Vec<&str> = s.resources.iter().map(|r| r.path.as_str()).collect();
        let Some(mut m) = crate::routing::match_resource(&templates, &path) else {
            return Err(missing(
                notes,
                &mut self.trace,
                format!("no resource path matches {path}"),
            ));
        };
        // A best-matching resource without the method gives way to the next-best one that has
        // it: OPTIONS /test, with only POST on /test, is served by /{proxy+}'s OPTIONS
        // [AWS-REC: LocalStack test_apigateway_common.py::TestProxyRouting::
        // test_proxy_routing_with_hardcoded_resource_sibling; other pairs INFER].
        let has_method = |r: &Resource| {
            let available: Vec<&str> = r.resource_methods.keys().map(String::as_str).collect();
            crate::routing::select_method(&available, &req.method).is_some()
        };
        if s.resources.get(m.index).is_some_and(|r| !has_method(r)) {
            let with_method: Vec<usize> = (0..s.resources.len())
                .filter(|&i| s.resources.get(i).is_some_and(has_method))
                .collect();
            let sub: Vec<&str> = with_method
                .iter()
                .filter_map(|&i| templates.get(i).copied())
                .collect();
            if let Some(alt) = crate::routing::match_resource(&sub, &path) {
                if let (Some(&i), Some(skipped)) =
                    (with_method.get(alt.index), s.resources.get(m.index))
                {
                    notes.push(format!(
                        "resource {} has no {} or ANY method: the next-best match that has one serves the request (spec §2.3)",
                        skipped.path, req.method
                    ));
                    m = crate::routing::RouteMatch {
                        index: i,
                        path_params: alt.path_params,
                    };
                }
            }
        }
        let Some(resource) = s.resources.get(m.index) else {
            return Err(missing(
                notes,
                &mut self.trace,
                "resource index out of range".into(),
            ));
        };
        notes.push(format!(
            "resource {} matched path {path} (spec §2.3 precedence: static > {{var}} > {{proxy+}})",
            resource.path
        ));
        let available: Vec<&str> = resource
            .resource_methods
            .keys()
            .map(String::as_str)
            .collect();
        let Some(method_key) = crate::routing::select_method(&available, &req.method) else {
            return Err(missing(
                notes,
                &mut self.trace,
                format!(
                    "resource {} has no {} or ANY method (methods: {})",
                    resource.path,
                    req.method,
                    available.join(", ")
                ),
            ));
        };
        if method_key == "ANY" {
            notes.push(format!(
                "{} served by the ANY method (no explicit {} method, spec §2.3)",
                req.method, req.method
            ));
        }
        let Some(method) = resource.resource_methods.get(method_key) else {
            return Err(missing(notes, &mut self.trace, "method vanished".into()));
        };
        let Some(integration) = method.method_integration.as_ref() else {
            return Err(Stop::config(
                StageKind::MethodRequest,
                "No integration defined for method",
            ));
        };
        let kind = integration.kind.unwrap_or(IntegrationType::Mock);
        let query = req
            .query
            .as_deref()
            .map(crate::querystring::parse)
            .unwrap_or_default();
        let headers = received.clone();
        let content_type = last_ci(&headers, "Content-Type").map(str::to_string);
        let accept = last_ci(&headers, "Accept").map(str::to_string);
        let bytes = match (&req.body, req.is_base64_encoded) {
            (Some(b), true) => binary::decode_base64(b).unwrap_or_default(),
            (Some(b), false) => b.clone().into_bytes(),
            (None, _) => Vec::new(),
        };
        let is_binary = content_type.as_deref().is_some_and(|ct| {
            binary::matches_binary(&s.rest_api.binary_media_types, &binary::mime(ct))
        });
        if is_binary {
            notes.push(format!(
                "Content-Type {} matches binaryMediaTypes: the body is binary (spec §11.2)",
                content_type.as_deref().unwrap_or("")
            ));
        }
        let body = Payload {
            bytes,
            binary: is_binary,
        };
        let body_text = body.as_template_text();
        let has_body = req.body.as_deref().is_some_and(|b| !b.is_empty());
        let resource_id = resource.id.clone().unwrap_or_else(|| {
            derived_id(&resource.path, if resource.path == "/" { 10 } else { 6 })
        });
        let context = self.request_context(
            &resource.path,
            &resource_id,
            &req.method,
            &path,
            stage,
            method,
            last_ci(&headers, "User-Agent"),
        );
        let output = obj! {
            "stage": stage, "resourcePath": resource.path, "resourceId": resource_id, "methodKey": method_key,
            "httpMethod": req.method, "path": path, "integrationType": kind.as_str(),
            "pathParameters": pairs(&m.path_params), "queryString": pairs(&query), "headers": pairs(&headers),
            "receivedHeaders": pairs(&received), "body": crate::trace::body(&body_text), "isBase64Encoded": body.binary,
            "context": context,
        };
        self.trace
            .push(StageKind::MethodRequest, input, output, notes);
        Ok(MethodRequest {
            resource,
            resource_index: m.index,
            resource_id,
            method_key: method_key.to_string(),
            method,
            integration,
            kind,
            http_method: req.method.clone(),
            path,
            path_params: m.path_params,
            query,
            received_headers: received,
            headers,
            body,
            body_text,
            has_body,
            content_type,
            accept,
            context,
        })
    }

    /// `requestContext` in AWS's key order (spec §2.2, §2.4); also the `$context` of templates.
    #[allow(clippy::too_many_arguments)]
    fn request_context(
        &self,
        resource_path: &str,
        resource_id: &str,
        http_method: &str,
        path: &str,
        stage: &str,
        method: &Method,
        user_agent: Option<&str>,
    ) -> Value {
        let s = self.s;
        let env = self.env;
        let ti = s.request.test_invoke;
        let mut identity = if ti {
            test_invoke_identity(&s.account_id)
        } else {
            let mut identity = Map::new();
            for k in [
                "cognitoIdentityPoolId",
                "accountId",
                "cognitoIdentityId",
                "caller",
            ] {
                put(&mut identity, k, Value::Null);
            }
            put(
                &mut identity,
                "sourceIp",
                ToJson::to_json(&s.request.source_ip),
            );
            for k in [
                "principalOrgId",
                "accessKey",
                "cognitoAuthenticationType",
                "cognitoAuthenticationProvider",
                "userArn",
            ] {
                put(&mut identity, k, Value::Null);
            }
            put(&mut identity, "userAgent", user_agent.to_json());
            put(&mut identity, "user", Value::Null);
            identity
        };
        if self.endpoint == EndpointType::Private {
            put(&mut identity, "vpcId", ToJson::to_json(&env.vpc_id));
            put(&mut identity, "vpceId", ToJson::to_json(&env.vpce_id));
        }
        let mut c = Map::new();
        put(&mut c, "resourceId", ToJson::to_json(&resource_id));
        put(&mut c, "resourcePath", ToJson::to_json(&resource_path));
        put(&mut c, "httpMethod", ToJson::to_json(&http_method));
        put(
            &mut c,
            "extendedRequestId",
            ToJson::to_json(&env.extended_request_id),
        );
        put(
            &mut c,
            "requestTime",
            ToJson::to_json(&shim::clf(env.request_time_epoch)),
        );
        let stage = if ti { "test-invoke-stage" } else { stage };
        // spec §2.2 `path`: with the stage prefix and otherwise the raw path as received, so a `//` right
        // after the stage is kept (`/stage//proxy-value`) although the event's own `path` collapses it.
        // Only the slashes before the stage collapse (`//prod/x` routes like `/prod/x`, spec §2.3).
        // A TestInvoke event has the resource path template here, not the concrete path (captures: 2018
        // `/sources/{source_id}/nodes/{node_id}` for `/sources/thesourceid/nodes/thenodeid`, 2023 `/{proxy+}` for
        // `/create-user`; spec §2.5).
        let raw = s.request.path.trim_start_matches('/');
        let context_path = if ti {
            resource_path.to_string()
        } else if raw.len() > stage.len() {
            format!("/{raw}")
        } else {
            format!("/{stage}{path}")
        };
        put(&mut c, "path", ToJson::to_json(&context_path));
        put(&mut c, "accountId", ToJson::to_json(&s.account_id));
        put(&mut c, "protocol", ToJson::to_json(&"HTTP/1.1"));
        put(&mut c, "stage", ToJson::to_json(&stage));
        put(
            &mut c,
            "domainPrefix",
            ToJson::to_json(&if ti {
                "testPrefix"
            } else {
                s.rest_api.id.as_str()
            }),
        );
        put(
            &mut c,
            "requestTimeEpoch",
            ToJson::to_json(&env.request_time_epoch),
        );
        put(&mut c, "requestId", ToJson::to_json(&env.request_id));
        put(&mut c, "identity", Value::Object(identity));
        put(
            &mut c,
            "domainName",
            ToJson::to_json(&if ti {
                "testPrefix.testDomainName"
            } else {
                self.host.as_str()
            }),
        );
        // TestInvoke runs the undeployed API: its events have no deploymentId (spec §2.5 captures 2020-2023).
        if !ti {
            put(
                &mut c,
                "deploymentId",
                ToJson::to_json(
                    &s.stage
                        .deployment_id
                        .clone()
                        .unwrap_or_else(|| "k1l2m3".into()),
                ),
            );
        }
        put(&mut c, "apiId", ToJson::to_json(&s.rest_api.id));
        if let Some(op) = &method.operation_name {
            put(&mut c, "operationName", ToJson::to_json(&op));
        }
        Value::Object(c)
    }

    /// Stage 2: the slot for resource policies, authorizers and API keys (spec §0 step 3, part 2).
    fn authorize(&mut self, mr: &MethodRequest) -> Result<(), Stop> {
        let auth = mr.method.authorization_type.as_deref().unwrap_or("NONE");
        let mut notes = vec![format!("authorizationType {auth}")];
        if auth != "NONE" {
            notes.push("authorizers are not simulated in this version: the request is treated as authorized".into());
        }
        if mr.method.api_key_required == Some(true) {
            notes.push(
                "apiKeyRequired is not simulated in this version: the key check is skipped".into(),
            );
        }
        self.trace.push(
            StageKind::Authorization,
            obj! {"authorizationType": auth},
            obj! {"authorized": true},
            notes,
        );
        Ok(())
    }

    /// Stage 3: request validation (spec §9.2).
    fn validate(&mut self, mr: &MethodRequest) -> Result<(), Stop> {
        let Some(vid) = &mr.method.request_validator_id else {
            return Ok(());
        };
        let Some(v) = self.s.request_validators.iter().find(|v| &v.id == vid) else {
            return Ok(());
        };
        let ct = mr
            .content_type
            .as_deref()
            .map(binary::mime)
            .unwrap_or_else(|| "application/json".into());
        let input = obj! {"validator": vid, "validateRequestParameters": v.validate_request_parameters,
        "validateRequestBody": v.validate_request_body, "contentType": ct};
        let mut notes = Vec::new();
        if v.validate_request_parameters {
            // Required = present and non-blank; checked by full key (header < path < querystring).
            let mut keys: Vec<&String> = mr
                .method
                .request_parameters
                .iter()
                .filter(|(_, req)| **req)
                .map(|(k, _)| k)
                .collect();
            crate::sorting::sort_by_str_key(&mut keys, |k| k.as_str());
            let mut missing = Vec::new();
            for k in keys {
                let val = if let Some(n) = k.strip_prefix("method.request.header.") {
                    last(&mr.headers, n)
                } else if let Some(n) = k.strip_prefix("method.request.querystring.") {
                    last(&mr.query, n)
                } else if let Some(n) = k.strip_prefix("method.request.path.") {
                    last(&mr.path_params, n)
                } else if let Some(n) = k.strip_prefix("method.request.multivalueheader.") {
                    last(&mr.headers, n)
                } else if let Some(n) = k.strip_prefix("method.request.multivaluequerystring.") {
                    last(&mr.query, n)
                } else {
                    Some("x")
                };
                if val.is_none_or(|v| v.trim().is_empty()) {
                    // The parameter name, which may itself contain dots (`^[a-zA-Z0-9._$-]+$`, spec §8.1).
                    let name = k
                        .strip_prefix("method.request.")
                        .and_then(|rest| rest.split_once('.'))
                        .map_or(k.as_str(), |(_, n)| n);
                    missing.push(name.to_string());
                }
            }
            if !missing.is_empty() {
                // The names are printed in the iteration order of a Java HashSet filled header → path → querystring:
                // that order reproduces both recorded messages, `[x-header-param, issuer, qs1]` (LocalStack snapshot)
                // and `[grossIncome, employmentStatus, age]` (a real API's 400), which no sort does (spec §9.2).
                let missing = crate::javafmt::java_hash_set_order(&missing);
                let msg = format!(
                    "Missing required request parameters: [{}]",
                    missing.join(", ")
                );
                notes.push("required parameters must be present and non-blank (spec §9.2)".into());
                self.trace.push(
                    StageKind::Validation,
                    input,
                    obj! {"valid": false, "message": msg},
                    notes,
                );
                let mut stop = Stop::new(
                    StageKind::Validation,
                    "BAD_REQUEST_PARAMETERS",
                    Some(msg.clone()),
                );
                stop.message = Some(msg.clone());
                stop.validation_error = Some(msg);
                return Err(stop);
            }
            notes.push("all required request parameters present".into());
        }
        if v.validate_request_body {
            let model = mr
                .method
                .request_models
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&ct))
                .map(|(_, m)| m.clone());
            if let Some(model) = model {
                let body_text = String::from_utf8_lossy(&mr.body.bytes).into_owned();
                match crate::validation::validate_body(self.s, &model, &body_text) {
                    Ok(()) => notes.push(format!("body validated against model {model}")),
                    Err(detail) => {
                        let line = format!("Request body does not match model schema for content type {ct}: {detail}");
                        notes.push(format!(
                            "body does not match model {model} (JSON Schema draft 4, spec §9.2)"
                        ));
                        self.trace.push(StageKind::Validation, input, obj!{"valid": false, "message": "Invalid request body", "errors": detail}, notes);
                        let mut stop =
                            Stop::new(StageKind::Validation, "BAD_REQUEST_BODY", Some(line));
                        stop.message = Some("Invalid request body".into());
                        stop.validation_error = Some(detail);
                        return Err(stop);
                    }
                }
            } else {
                notes.push(format!(
                    "no request model for content type {ct}: body not validated"
                ));
            }
        }
        let line = format!("Request validation succeeded for content type {ct}");
        self.trace.push(
            StageKind::Validation,
            input,
            obj! {"valid": true, "logLine": line},
            notes,
        );
        Ok(())
    }

    /// Stage 7: the client-visible response (spec §0 step 8, §1.4).
    fn method_response(&mut self, mr: &MethodRequest, out: integration::Output) -> Response {
        let trace_header = matches!(
            mr.kind,
            IntegrationType::Aws | IntegrationType::AwsProxy | IntegrationType::Http
        );
        let mut notes = out.notes;
        let mut method_headers = out.headers;
        // A Lambda proxy function that sets no Content-Type gets `application/json` on the wire (spec §3.3), but
        // the log's "Method response headers" and a TestInvoke's response headers list only the function's headers
        // and X-Amzn-Trace-Id (console captures 2017, 2021, 2025: `{X-Amzn-Trace-Id=Root=…}` alone).
        let mut log_headers = method_headers.clone();
        if !method_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        {
            method_headers.push(("Content-Type".into(), "application/json".into()));
            if mr.kind != IntegrationType::AwsProxy {
                log_headers.push(("Content-Type".into(), "application/json".into()));
            }
            notes.push("Content-Type defaults to application/json (spec §3.3, §6)".into());
        }
        // The log's "Method response headers" (spec §10.3-10.5): AWS/HTTP put X-Amzn-Trace-Id first,
        // Lambda proxy after the function's headers, MOCK and HTTP_PROXY never carry it (spec §1.4).
        let trace_value = self
            .response_trace
            .clone()
            .unwrap_or_else(|| format!("{};Sampled=0", self.env.trace_id));
        match mr.kind {
            IntegrationType::Aws | IntegrationType::Http => {
                log_headers.insert(0, ("X-Amzn-Trace-Id".into(), trace_value.clone()))
            }
            IntegrationType::AwsProxy => {
                log_headers.push(("X-Amzn-Trace-Id".into(), trace_value.clone()))
            }
            _ => {}
        }
        if self.s.request.test_invoke {
            // TestInvokeMethod returns the method response headers only (no Content-Length, spec §10.1).
            notes.push(
                "console Test tab: only the method response headers are returned (spec §10.1)"
                    .into(),
            );
            let (body_text, b64) = out.body.to_wire();
            self.trace.push(
                StageKind::MethodResponse,
                obj!{"statusCode": out.status},
                obj!{"statusCode": out.status, "headers": pairs(&log_headers), "body": crate::trace::body(&body_text),
                       "isBase64Encoded": b64, "wireHeaders": pairs(&log_headers)},
                notes,
            );
            return Response {
                status: out.status,
                headers: log_headers,
                body: out.body,
            };
        }
        let mut wire = Vec::new();
        for (n, v) in &method_headers {
            wire.push((n.clone(), v.clone()));
        }
        wire.extend(self.standard_headers(out.body.bytes.len()));
        if trace_header {
            wire.push(("X-Amzn-Trace-Id".into(), trace_value));
            notes.push(format!(
                "X-Amzn-Trace-Id added ({} responses carry it, spec §1.4)",
                mr.kind.as_str()
            ));
        } else {
            notes.push(format!(
                "no X-Amzn-Trace-Id on {} responses (spec §1.4)",
                mr.kind.as_str()
            ));
        }
        wire.extend(shim::endpoint_response_headers(
            self.endpoint,
            &self.eenv,
            out.status,
        ));
        let (body_text, b64) = out.body.to_wire();
        self.trace.push(
            StageKind::MethodResponse,
            obj!{"statusCode": out.status},
            obj!{"statusCode": out.status, "headers": pairs(&log_headers), "body": crate::trace::body(&body_text), "isBase64Encoded": b64,
                   "wireHeaders": pairs(&wire)},
            notes,
        );
        Response {
            status: out.status,
            headers: wire,
            body: out.body,
        }
    }

    /// The response `Connection` value: `close` when the client asked to close (`Connection: close` got
    /// `Connection: close` back on success and error responses alike [AWS-REC: LocalStack
    /// `TestApiGatewayHeaderRemapping`, REGIONAL]), else `keep-alive` (spec §1.4).
    fn connection_value(&self) -> &'static str {
        let close = self.client_headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("Connection")
                && v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close"))
        });
        if close {
            "close"
        } else {
            "keep-alive"
        }
    }

    /// Headers every response carries (spec §1.4).
    fn standard_headers(&self, len: usize) -> Vec<(String, String)> {
        vec![
            ("Content-Length".into(), len.to_string()),
            ("Connection".into(), self.connection_value().into()),
            ("Date".into(), shim::http_date(self.env.request_time_epoch)),
            ("x-amzn-RequestId".into(), self.env.request_id.clone()),
            (
                "x-amz-apigw-id".into(),
                self.env.extended_request_id.clone(),
            ),
        ]
    }

    /// A gateway response for `stop` (spec §9.1), recorded as the last stage.
    fn gateway_response(&mut self, stop: Stop) -> Response {
        let g = crate::gwresp::render(self.s, &stop, &self.trace);
        if self.s.request.test_invoke {
            // A failed TestInvoke has headers {x-amzn-ErrorType} only (spec §10.3).
            let wire: Vec<(String, String)> = g
                .headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("Content-Type"))
                .cloned()
                .collect();
            return self.record_gateway_response(&stop, g, wire);
        }
        let mut wire = g.headers.clone();
        if !wire
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        {
            wire.insert(0, ("Content-Type".into(), "application/json".into()));
        }
        // Standard headers go right after Content-Type / x-amzn-ErrorType (spec §1.4).
        let at = wire
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case("x-amzn-ErrorType"))
            .map_or(1, |i| i + 1)
            .min(wire.len());
        let std = self.standard_headers(g.body.len());
        for (i, h) in std.into_iter().enumerate() {
            wire.insert(at + i, h);
        }
        wire.extend(shim::endpoint_response_headers(
            self.endpoint,
            &self.eenv,
            g.status,
        ));
        self.record_gateway_response(&stop, g, wire)
    }

    /// Records the gateway response as the last stage and the run's failure; returns it with
    /// the headers it goes out with.
    fn record_gateway_response(
        &mut self,
        stop: &Stop,
        g: crate::gwresp::GatewayOut,
        wire: Vec<(String, String)>,
    ) -> Response {
        self.trace.push(
            StageKind::GatewayResponse,
            obj! {"responseType": stop.response_type, "message": stop.message},
            obj! {"statusCode": g.status, "body": g.body, "headers": pairs(&wire)},
            g.notes,
        );
        self.trace.failure = Some(Failure {
            stage: stop.stage,
            log_line: stop.log_line.clone(),
            response_type: stop.response_type.to_string(),
        });
        Response {
            status: g.status,
            headers: wire,
            body: Payload::text(g.body),
        }
    }
}

/// `requestContext.identity` of a console Test tab call (spec §2.5): the published captures (2018-2025) all use
/// this key order, the `test-invoke-*` placeholders and the caller's IAM identity. The caller is taken to be the
/// account's root user (`caller`/`user` = the account id, `userArn` `arn:aws:iam::<account>:root`, as in the 2018,
/// 2020, 2021 and 2025 captures); the access key is a stand-in. `userAgent` was the console backend's Java SDK
/// until 2023 and is the browser's in the current console (a 2025 capture); the latter is used.
fn test_invoke_identity(account_id: &str) -> Map<String, Value> {
    let mut m = Map::new();
    put(&mut m, "cognitoIdentityPoolId", Value::Null);
    put(&mut m, "cognitoIdentityId", Value::Null);
    put(&mut m, "apiKey", ToJson::to_json(&"test-invoke-api-key"));
    put(&mut m, "principalOrgId", Value::Null);
    put(&mut m, "cognitoAuthenticationType", Value::Null);
    put(
        &mut m,
        "userArn",
        ToJson::to_json(&format!("arn:aws:iam::{account_id}:root")),
    );
    put(
        &mut m,
        "apiKeyId",
        ToJson::to_json(&"test-invoke-api-key-id"),
    );
    put(
        &mut m,
        "userAgent",
        ToJson::to_json(&TEST_INVOKE_USER_AGENT),
    );
    put(&mut m, "accountId", ToJson::to_json(&account_id));
    put(&mut m, "caller", ToJson::to_json(&account_id));
    put(
        &mut m,
        "sourceIp",
        ToJson::to_json(&"test-invoke-source-ip"),
    );
    put(
        &mut m,
        "accessKey",
        ToJson::to_json(&"ASIAIOSFODNN7EXAMPLE"),
    );
    put(&mut m, "cognitoAuthenticationProvider", Value::Null);
    put(&mut m, "user", ToJson::to_json(&account_id));
    m
}

/// The browser user agent in a 2025 TestInvoke capture (the 2023 console sent
/// `aws-internal/3 aws-sdk-java/1.12.358 …` instead, spec §2.5).
const TEST_INVOKE_USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36";

/// A deterministic lowercase-alphanumeric id derived from a resource path (AWS's are random; spec §2.2).
pub fn derived_id(seed: &str, len: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| {
            let c = A.get((h % 36) as usize).copied().unwrap_or(b'a') as char;
            h = (h / 36) ^ h.rotate_left(17);
            c
        })
        .collect()
}

/// Request-template choice (spec §4.1).
pub enum TemplateChoice<'t> {
    Template { key: String, source: &'t str },
    Passthrough,
    Reject,
}

pub fn choose_request_template<'t>(
    integration: &'t Integration,
    content_type: Option<&str>,
    notes: &mut Vec<String>,
) -> TemplateChoice<'t> {
    let key = content_type
        .map(binary::mime)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "application/json".into());
    let why = if content_type.is_some() {
        "Content-Type"
    } else {
        "no Content-Type: treated as application/json"
    };
    let behavior = integration
        .passthrough_behavior
        .unwrap_or(crate::scenario::PassthroughBehavior::WhenNoMatch);
    if let Some((k, src)) = integration
        .request_templates
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&key))
    {
        notes.push(format!(
            "request template {k} chosen ({why} {key}, spec §4.1)"
        ));
        return TemplateChoice::Template {
            key: k.clone(),
            source: src.as_deref().unwrap_or(""),
        };
    }
    use crate::scenario::PassthroughBehavior::*;
    let none = integration.request_templates.is_empty();
    let bname = match behavior {
        WhenNoMatch => "WHEN_NO_MATCH",
        WhenNoTemplates => "WHEN_NO_TEMPLATES",
        Never => "NEVER",
    };
    let pass = match behavior {
        WhenNoMatch => true,
        WhenNoTemplates => none,
        Never => false,
    };
    if pass {
        notes.push(format!(
            "no request template for {key}; passthroughBehavior {bname} with {}: body passed through unchanged (spec §4.1)",
            if none { "no templates" } else { "other templates defined" }
        ));
        TemplateChoice::Passthrough
    } else {
        notes.push(format!(
            "no request template for {key}; passthroughBehavior {bname} with {}: 415 Unsupported Media Type (spec §4.1)",
            if none { "no templates" } else { "other templates defined" }
        ));
        TemplateChoice::Reject
    }
}

/// Response-template choice by the first `Accept` type (spec §4.3).
pub fn choose_response_template<'t>(
    templates: &'t IndexMap<String, Option<String>>,
    accept: Option<&str>,
    notes: &mut Vec<String>,
) -> Option<(String, &'t str)> {
    if templates.is_empty() {
        notes.push("no response templates: body passed through (spec §4.3)".into());
        return None;
    }
    let key = accept
        .map(binary::first_accept)
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "application/json".into());
    if let Some((k, t)) = templates.iter().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
        notes.push(format!(
            "response template {k} chosen (Accept {key}, spec §4.3)"
        ));
        return Some((k.clone(), t.as_deref().unwrap_or("")));
    }
    if let Some((k, t)) = templates
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("application/json"))
    {
        notes.push(format!(
            "no response template for Accept {key}: using application/json (spec §4.3)"
        ));
        return Some((k.clone(), t.as_deref().unwrap_or("")));
    }
    let (k, t) = templates.iter().next()?;
    notes.push(format!("no response template for Accept {key} nor application/json: using the first, {k} (spec §4.3 [INFER])"));
    Some((k.clone(), t.as_deref().unwrap_or("")))
}

/// Request-side content handling wrapper (spec §11.2) returning a 500 stop on bad base64.
pub fn convert_request_body(
    p: &Payload,
    integration: &Integration,
    notes: &mut Vec<String>,
) -> Result<Payload, Stop> {
    match binary::convert_request(p, Handling::from(integration.content_handling)) {
        Ok((p, note)) => {
            notes.extend(note.map(str::to_string));
            Ok(p)
        }
        Err(e) => {
            notes.push(format!(
                "CONVERT_TO_BINARY failed: the body is not base64 ({e})"
            ));
            Err(Stop::config(
                StageKind::IntegrationRequest,
                "Unable to base64 decode the body",
            ))
        }
    }
}
