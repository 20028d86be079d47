//! Data-driven tests of the pipeline's building blocks (routing, querystring, endpoint, proxy, gateway_response):
//! every file under tests/cases/parts/ is one tabular AWS fact, its description citing the spec section.
//!
//! The first section decides what a case tests:
//! - `=== payloads` (one Lambda proxy response per line) → checked `=== results` (one line each:
//!   `STATUS headers=[...] body="..." b64=BOOL`, or `502 malformed: REASON | BODY` with the client body). Spec §3.2.
//! - `=== request` (JSON: `endpointType`, optional `env`, `method`, `rawPath`, `rawQuery`, `headers` as
//!   `[name, value]` pairs, `resources`, `stageVariables`, `requestContext`, `body`, `isBase64Encoded`) → the
//!   whole chain routing → querystring → endpoint → proxy event, checked `=== event` (JSON; compared after
//!   parsing, so the expected text may be formatted freely, but key ORDER is checked too). Spec §2.
//! - `=== client` (`name: value` lines) with `=== endpoint` (`EDGE`/`REGIONAL`/`PRIVATE`) and optional
//!   `=== env` (JSON) → checked `=== headers` (`name: value` lines in order). Spec §1.
//! - `=== failure` (JSON: `type`, optional `message`, `status`, `integration`, `validationErrorString`) with
//!   optional `=== responses` (gatewayResponses JSON) and `=== params` (JSON: `headers`, `query`, `path`,
//!   `stageVariables` as pairs, `context`) → checked `=== response` (status line, header lines, blank line, body).
//! - `=== queries` (one raw query string per line) → checked `=== pairs` (one JSON array of `[name, value]`
//!   pairs per line). Spec §2.1.
//! - `=== response-headers` (`name: value` lines toward the client) with `=== kind` (`AWS`, `AWS_PROXY`, `HTTP`,
//!   `HTTP_PROXY`, `MOCK`) and `=== mapped` (`true` for `method.response.header.*` mappings, `false` for headers a
//!   proxy backend/function returned) → checked `=== client-headers` (`name: value` lines). Spec §5.5, §3.3, §5.3.
//! - `=== all-defaults` (empty) → checked `=== defaults`: one line per gateway response type. Spec §9.1.
//!
//! Run one case: `CASE=three-endpoints cargo test -p gateway --test parts_cases`.

use gateway::endpoint::{transform_request_headers, EndpointEnv, EndpointType};
use gateway::gateway_response::{
    self as gr, Failure, GatewayResponseType, GatewayResponses, RequestParams,
};
use gateway::{proxy, querystring, routing};
use serde_json::Value;

fn main_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/parts")
}

#[test]
fn parts_cases() {
    testkit::run_dir(main_dir(), "case", |case| {
        let first = case.section_names().next().unwrap_or("").to_string();
        match first.as_str() {
            "payloads" => proxy_results(case),
            "request" => event(case),
            "client" | "endpoint" => endpoint(case),
            "failure" => failure(case),
            "all-defaults" => defaults(),
            "queries" => queries(case),
            "response-headers" | "kind" | "mapped" => response_headers(case),
            other => Err(format!("unknown first section `{other}`")),
        }
    });
}

fn parse_json(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("section `{what}` is not JSON: {e}"))
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p.get(0)?.as_str()?.to_string(),
                p.get(1)?.as_str()?.to_string(),
            ))
        })
        .collect()
}

fn header_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(": ") {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (l.trim_end_matches(':').to_string(), String::new()),
        })
        .collect()
}

fn proxy_results(case: &testkit::Case) -> Result<testkit::Checks, String> {
    let payloads = case.section("payloads").unwrap_or("");
    let ctx = Value::Object(Default::default());
    let mut lines = Vec::new();
    for payload in payloads.lines() {
        let line = match proxy::parse_response(payload) {
            Ok(r) => {
                let hs: Vec<String> = r
                    .folded_headers()
                    .iter()
                    .map(|(n, v)| format!("{n}: {v}"))
                    .collect();
                format!(
                    "{} headers=[{}] body={:?} b64={}",
                    r.status,
                    hs.join("; "),
                    r.body,
                    r.is_base64_encoded
                )
            }
            Err(m) => {
                let f = Failure::integration(GatewayResponseType::IntegrationFailure, 502, None);
                let req = RequestParams {
                    headers: &[],
                    query: &[],
                    path: &[],
                    stage_variables: &[],
                    context: &ctx,
                };
                let out = gr::render(&GatewayResponses::default(), &f, &req);
                format!("{} malformed: {} | {}", out.status, m.reason, out.body)
            }
        };
        lines.push(line);
    }
    Ok(vec![("results".into(), lines.join("\n"))])
}

fn endpoint_type(s: &str) -> Result<EndpointType, String> {
    EndpointType::parse(s.trim()).ok_or_else(|| format!("unknown endpoint type `{s}`"))
}

fn env_of(v: Option<&Value>) -> Result<EndpointEnv, String> {
    match v {
        None => Ok(EndpointEnv::default()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("env: {e}")),
    }
}

fn endpoint(case: &testkit::Case) -> Result<testkit::Checks, String> {
    let ty = endpoint_type(case.section("endpoint").ok_or("missing `=== endpoint`")?)?;
    let env = match case.section("env") {
        Some(t) => env_of(Some(&parse_json(t, "env")?))?,
        None => EndpointEnv::default(),
    };
    let client = header_lines(case.section("client").unwrap_or(""));
    let out = transform_request_headers(ty, &client, &env);
    let lines: Vec<String> = out.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    Ok(vec![("headers".into(), lines.join("\n"))])
}

/// Key order of every object, depth first, so order differences fail even though `Value` equality ignores it.
fn key_order(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(format!(
                "{path}: {}",
                m.keys().cloned().collect::<Vec<_>>().join(",")
            ));
            for (k, child) in m {
                key_order(child, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                key_order(child, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn event(case: &testkit::Case) -> Result<testkit::Checks, String> {
    let req = parse_json(case.section("request").unwrap_or(""), "request")?;
    let s = |k: &str| req[k].as_str().unwrap_or("").to_string();
    let ty = endpoint_type(req["endpointType"].as_str().unwrap_or("EDGE"))?;
    let env = env_of(req.get("env"))?;
    let (_stage, path) = routing::split_stage(&s("rawPath")).ok_or("rawPath has no stage")?;
    let resources: Vec<String> = req["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(String::from))
        .collect();
    let templates: Vec<&str> = resources.iter().map(String::as_str).collect();
    let m = routing::match_resource(&templates, &path).ok_or("no resource matches")?;
    let input = proxy::ProxyEventInput {
        resource: resources[m.index].clone(),
        path,
        http_method: s("method"),
        headers: transform_request_headers(ty, &pairs(&req["headers"]), &env),
        query: querystring::parse(&s("rawQuery")),
        path_params: m.path_params,
        stage_variables: pairs(&req["stageVariables"]),
        request_context: req["requestContext"].clone(),
        body: req["body"].as_str().map(String::from),
        is_base64_encoded: req["isBase64Encoded"].as_bool().unwrap_or(false),
    };
    let actual = proxy::build_event(&input);
    let expected_text = case.section("event").unwrap_or("");
    let shown = match serde_json::from_str::<Value>(expected_text) {
        Ok(expected) => {
            let (mut a, mut e) = (Vec::new(), Vec::new());
            key_order(&actual, "$", &mut a);
            key_order(&expected, "$", &mut e);
            if expected == actual && a == e {
                expected_text.to_string()
            } else {
                serde_json::to_string_pretty(&actual).unwrap_or_default()
            }
        }
        Err(_) => serde_json::to_string_pretty(&actual).unwrap_or_default(),
    };
    Ok(vec![("event".into(), shown)])
}

fn failure(case: &testkit::Case) -> Result<testkit::Checks, String> {
    let f = parse_json(case.section("failure").unwrap_or(""), "failure")?;
    let ty_name = f["type"].as_str().unwrap_or("");
    let ty =
        GatewayResponseType::parse(ty_name).ok_or_else(|| format!("unknown type `{ty_name}`"))?;
    let message = f["message"].as_str().map(String::from);
    let mut failure = if f["integration"].as_bool() == Some(true) {
        let status = f["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(500);
        Failure::integration(ty, status, message)
    } else {
        Failure::gateway(ty, message)
    };
    failure.validation_error_string = f["validationErrorString"].as_str().map(String::from);
    let responses = match case.section("responses") {
        Some(t) => GatewayResponses::from_json(&parse_json(t, "responses")?, "responses")
            .map_err(|e| e.join("; "))?,
        None => GatewayResponses::default(),
    };
    let params = match case.section("params") {
        Some(t) => parse_json(t, "params")?,
        None => Value::Object(Default::default()),
    };
    let (h, q, p, sv) = (
        pairs(&params["headers"]),
        pairs(&params["query"]),
        pairs(&params["path"]),
        pairs(&params["stageVariables"]),
    );
    let ctx = params
        .get("context")
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    let req = RequestParams {
        headers: &h,
        query: &q,
        path: &p,
        stage_variables: &sv,
        context: &ctx,
    };
    let out = gr::render(&responses, &failure, &req);
    let mut text = format!("{}\n", out.status);
    for (n, v) in &out.headers {
        text.push_str(&format!("{n}: {v}\n"));
    }
    text.push('\n');
    text.push_str(&out.body);
    Ok(vec![("response".into(), text)])
}

fn response_headers(case: &testkit::Case) -> Result<testkit::Checks, String> {
    use gateway::header_rules::{apply_response_rules, IntegrationKind};
    let kind_name = case.section("kind").unwrap_or("").trim();
    let kind =
        IntegrationKind::parse(kind_name).ok_or_else(|| format!("unknown kind `{kind_name}`"))?;
    let mapped = case.section("mapped").map(str::trim) == Some("true");
    let input = header_lines(case.section("response-headers").unwrap_or(""));
    let (out, _notes) = apply_response_rules(&input, kind, mapped);
    let lines: Vec<String> = out.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    Ok(vec![("client-headers".into(), lines.join("\n"))])
}

fn queries(case: &testkit::Case) -> Result<testkit::Checks, String> {
    let lines: Vec<String> = case
        .section("queries")
        .unwrap_or("")
        .lines()
        .map(|raw| serde_json::to_string(&querystring::parse(raw)).unwrap_or_default())
        .collect();
    Ok(vec![("pairs".into(), lines.join("\n"))])
}

fn defaults() -> Result<testkit::Checks, String> {
    let ctx = Value::Object(Default::default());
    let req = RequestParams {
        headers: &[],
        query: &[],
        path: &[],
        stage_variables: &[],
        context: &ctx,
    };
    let mut lines = Vec::new();
    for ty in GatewayResponseType::ALL {
        let out = gr::render(
            &GatewayResponses::default(),
            &Failure::gateway(*ty, None),
            &req,
        );
        let parent = ty.parent().map_or("-", |p| p.as_str());
        lines.push(format!(
            "{} {} {} {} parent={}",
            ty.as_str(),
            out.status,
            out.body,
            ty.error_type().unwrap_or("-"),
            parent
        ));
    }
    Ok(vec![("defaults".into(), lines.join("\n"))])
}

/// Deterministic xorshift generator: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A short string over the characters these parsers treat specially, plus multi-byte ones.
    fn text(&mut self) -> String {
        const ALPHABET: &[&str] = &[
            "/",
            "{",
            "}",
            "+",
            "%",
            "%2",
            "%2B",
            "%zz",
            "=",
            "&",
            ";",
            "?",
            "#",
            "$",
            "$context.",
            "${",
            ".",
            "'",
            "\"",
            "\\",
            "a",
            "B",
            "0",
            "é",
            "😀",
            " ",
            "\n",
            "proxy",
            "context.requestId",
            "stageVariables.x",
            "{proxy+}",
            "{id}",
            "[",
            "]",
            ":",
            ",",
            "true",
            "null",
        ];
        let n = (self.next() % 12) as usize;
        (0..n)
            .map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize])
            .collect()
    }
}

/// The building blocks take user input (paths, query strings, Lambda output, templates, headers): none may
/// panic, whatever the bytes (working agreement: the core never panics on user input).
#[test]
fn building_blocks_never_panic_on_arbitrary_input() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let ctx = serde_json::json!({"requestId": "r", "identity": {"sourceIp": "1.2.3.4"}});
    for _ in 0..10_000 {
        let (a, b, c) = (rng.text(), rng.text(), rng.text());
        let _ = querystring::parse(&a);
        if let Some((_, path)) = routing::split_stage(&a) {
            let _ = routing::match_resource(&[b.as_str(), c.as_str(), "/{proxy+}"], &path);
        }
        let _ = routing::select_method(&[b.as_str(), "ANY"], &c);
        let _ = proxy::parse_response(&a);
        let _ = proxy::parse_response(&format!(
            "{{\"statusCode\":\"{a}\",\"headers\":{{\"{b}\":\"{c}\"}}}}"
        ));
        let _ = proxy::first_accept_type(&a);
        let _ = proxy::media_type_matches(&a, &b);
        let hs = vec![(a.clone(), b.clone()), (b.clone(), c.clone())];
        for ty in [
            EndpointType::Edge,
            EndpointType::Regional,
            EndpointType::Private,
        ] {
            let _ = transform_request_headers(ty, &hs, &EndpointEnv::default());
        }
        let _ = gr::substitute(&a, &ctx, &hs);
        let req = RequestParams {
            headers: &hs,
            query: &hs,
            path: &hs,
            stage_variables: &hs,
            context: &ctx,
        };
        let _ = gr::mapping_value(&b, &req);
        let _ = gateway::javafmt::mask_authorization(&a);
        let _ = gateway::javafmt::truncate_log(&a.repeat(200));
        let _ = gateway::header_rules::apply_response_rules(
            &hs,
            gateway::header_rules::IntegrationKind::HttpProxy,
            false,
        );
        if let Ok(schema) =
            serde_json::from_str::<Value>(&format!("{{\"pattern\":\"{a}\",\"$ref\":\"#{b}\"}}"))
        {
            let _ = gateway::jsonschema::validate(
                &schema,
                &Value::String(c.clone()),
                &Default::default(),
            );
        }
        let ms = (rng.next() as i64) >> (rng.next() % 64);
        let _ = (
            gateway::javafmt::java_date(ms),
            gateway::javafmt::clf_time(ms),
        );
    }
}
