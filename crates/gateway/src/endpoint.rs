//! Endpoint types (EDGE, REGIONAL, PRIVATE) and what each does to request and response headers (spec §1).
//!
//! API:
//! - [`EndpointType`] and [`EndpointType::from_config`]`(endpointConfiguration)`: the first entry of
//!   `endpointConfiguration.types`; EDGE when absent (the REST API default, §1.1).
//! - [`EndpointEnv`]: every value AWS would generate (host, client IP, trace id, CloudFront ids/POP/ASN/country,
//!   edge IP, VPC ids, TLS details). All injected, so runs are deterministic; [`Default`] uses the spec's example
//!   values (§1.3, §1.6, §2.4). Deserializable from camelCase JSON with every field optional.
//! - [`transform_request_headers`]`(ty, client_headers, env) -> Vec<(String, String)>`: the headers as API
//!   Gateway's method request sees them (what a Lambda proxy event / HTTP_PROXY backend receives before the
//!   §5.5 per-integration rules), in the order of §1.6: client headers in arrival order, then `Host`, then the
//!   headers this endpoint type adds.
//! - [`response_headers`]`(ty, env, status) -> Vec<(String, String)>`: headers CloudFront adds to the response
//!   on EDGE (§1.4); nothing for REGIONAL/PRIVATE.
//!
//! Request rules (§1.2, §1.3, §1.5, §1.6, §2.1):
//! - The §2.1 drop list (`header_rules::dropped_from_method_request`: `Connection`, `Content-Length`, ...) is
//!   removed for every type.
//! - EDGE canonicalizes exactly the observed well-known names ([`EDGE_CANONICAL`]: `Accept`, `Accept-Encoding`,
//!   `Accept-Language`, `Authorization`, `Cookie`, `Host`, `Referer`, `User-Agent`) and keeps every other name
//!   byte-for-byte (`x-foo-bar`, `tEsT-HEADeR`, `cache-control`, `origin`, `pragma`, `sec-fetch-*` recorded).
//!   `Content-Type` is not canonicalized: never observed lowercase (§1.2 says unverified). Cookies are sorted by
//!   name (§1.5). REGIONAL/PRIVATE keep names and cookie order as sent.
//! - A client `Host` is replaced by `env.host` ([`EndpointEnv::host`]). A client `X-Forwarded-For` is kept and
//!   appended to (`<client XFF>, <source IP>[, <edge IP>]`, §1.3). Client `X-Forwarded-Port`/`-Proto`,
//!   `X-Amzn-Trace-Id`, and on EDGE `CloudFront-*`/`X-Amz-Cf-Id`, are replaced by the generated values [INFER:
//!   CloudFront and API Gateway own these names]. On EDGE a client `Via` is kept and CloudFront's hop appended
//!   (`<client Via>, 2.0 … (CloudFront)`) \[INFER from RFC 7230 §5.7.1, which proxies follow\]; on REGIONAL/PRIVATE a
//!   client `Via` passes unchanged (§1.3 recorded).
//! - Added headers: EDGE `Host, CloudFront-Forwarded-Proto, CloudFront-Is-Desktop-Viewer, CloudFront-Is-Mobile-Viewer,
//!   CloudFront-Is-SmartTV-Viewer, CloudFront-Is-Tablet-Viewer, CloudFront-Viewer-ASN, CloudFront-Viewer-Country, Via,
//!   X-Amz-Cf-Id, X-Amzn-Trace-Id, X-Forwarded-For, X-Forwarded-Port, X-Forwarded-Proto`; REGIONAL `Host,
//!   X-Amzn-Trace-Id, X-Forwarded-For, X-Forwarded-Port, X-Forwarded-Proto`; PRIVATE `Host, x-amzn-cipher-suite,
//!   x-amzn-tls-version, x-amzn-vpc-id, x-amzn-vpce-config, x-amzn-vpce-id[, x-amzn-vpce-policy-url],
//!   X-Forwarded-For, X-Amzn-Trace-Id` (§1.6 order; `CloudFront-Viewer-ASN` sits before `-Country` as in §2.4).

use crate::header_rules::dropped_from_method_request;

/// `endpointConfiguration.types[0]` (spec §1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EndpointType {
    #[default]
    Edge,
    Regional,
    Private,
}

impl EndpointType {
    /// Parses `EDGE` / `REGIONAL` / `PRIVATE` (AWS's exact upper-case values).
    pub fn parse(s: &str) -> Option<EndpointType> {
        match s {
            "EDGE" => Some(EndpointType::Edge),
            "REGIONAL" => Some(EndpointType::Regional),
            "PRIVATE" => Some(EndpointType::Private),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EndpointType::Edge => "EDGE",
            EndpointType::Regional => "REGIONAL",
            EndpointType::Private => "PRIVATE",
        }
    }

    /// Reads `{"types": ["REGIONAL"], ...}`; `None`/`null`/missing `types` → EDGE. Errors name the field.
    pub fn from_config(config: Option<&serde_json::Value>) -> Result<EndpointType, String> {
        let types = match config {
            None | Some(serde_json::Value::Null) => return Ok(EndpointType::Edge),
            Some(serde_json::Value::Object(m)) => match m.get("types") {
                None | Some(serde_json::Value::Null) => return Ok(EndpointType::Edge),
                Some(serde_json::Value::Array(a)) => a,
                Some(_) => return Err("endpointConfiguration.types must be a list".into()),
            },
            Some(_) => return Err("endpointConfiguration must be an object".into()),
        };
        match types.first() {
            None => Ok(EndpointType::Edge),
            Some(serde_json::Value::String(s)) => EndpointType::parse(s).ok_or_else(|| {
                format!("endpointConfiguration.types[0]: unknown endpoint type `{s}` (EDGE, REGIONAL or PRIVATE)")
            }),
            Some(_) => Err("endpointConfiguration.types[0] must be a string".into()),
        }
    }
}

/// Values AWS generates per request, injected for determinism. Defaults are the spec's examples.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndpointEnv {
    pub api_id: String,
    pub region: String,
    /// The `Host` the client used; `None` → `{apiId}.execute-api.{region}.amazonaws.com`.
    pub host_override: Option<String>,
    /// Client IP (EDGE/REGIONAL) or the VPC-private client IP (PRIVATE).
    pub source_ip: String,
    /// Full `X-Amzn-Trace-Id` value, `Root=1-{8 hex}-{24 hex}`.
    pub trace_id: String,
    /// CloudFront's IP that connects to API Gateway (EDGE; second `X-Forwarded-For` entry).
    pub edge_ip: String,
    /// 56-char `X-Amz-Cf-Id`.
    pub cf_id: String,
    /// 32 hex chars of the `Via` host name.
    pub cf_via_id: String,
    /// `2.0` for HTTP/2 viewers, `1.1` for HTTP/1.1 (prefix of `Via`).
    pub viewer_http_version: String,
    pub cf_pop: String,
    pub viewer_asn: String,
    pub viewer_country: String,
    pub is_desktop_viewer: bool,
    pub is_mobile_viewer: bool,
    pub is_smart_tv_viewer: bool,
    pub is_tablet_viewer: bool,
    pub vpc_id: String,
    pub vpce_id: String,
    pub vpce_config: String,
    pub vpce_policy_url: Option<String>,
    pub cipher_suite: String,
    pub tls_version: String,
}

impl Default for EndpointEnv {
    fn default() -> Self {
        EndpointEnv {
            api_id: "abc123defg".into(),
            region: "us-east-1".into(),
            host_override: None,
            source_ip: "203.0.113.10".into(),
            trace_id: "Root=1-6925b2d8-3b9a2c4d5e6f708192a3b4c5".into(),
            edge_ip: "130.176.33.165".into(),
            cf_id: "kXo2nM7cK3b0dQ1mYp5QfWj8lWm0sZ3u9t7Qy0aB1cD2eF3gH4iJ5A==".into(),
            cf_via_id: "4f1d6b0c0a2a4d7c0e4b7a1e2f3c4d5e".into(),
            viewer_http_version: "2.0".into(),
            cf_pop: "IAD89-C1".into(),
            viewer_asn: "16509".into(),
            viewer_country: "US".into(),
            is_desktop_viewer: true,
            is_mobile_viewer: false,
            is_smart_tv_viewer: false,
            is_tablet_viewer: false,
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            vpce_id: "vpce-0123456789abcdef0".into(),
            vpce_config: "1".into(),
            vpce_policy_url: None,
            cipher_suite: "ECDHE-RSA-AES128-GCM-SHA256".into(),
            tls_version: "TLSv1.2".into(),
        }
    }
}

impl EndpointEnv {
    /// The `Host` header value and `$context.domainName` (§1.1).
    pub fn host(&self) -> String {
        match &self.host_override {
            Some(h) => h.clone(),
            None => format!("{}.execute-api.{}.amazonaws.com", self.api_id, self.region),
        }
    }

    /// `$context.domainPrefix`: the first DNS label of the host (§1.1).
    pub fn domain_prefix(&self) -> String {
        let host = self.host();
        host.split('.').next().unwrap_or("").to_string()
    }

    /// The `Via` value CloudFront adds (§1.3).
    pub fn via(&self) -> String {
        format!(
            "{} {}.cloudfront.net (CloudFront)",
            self.viewer_http_version, self.cf_via_id
        )
    }
}

/// Header names EDGE re-emits in canonical form (§1.2 observed set).
pub const EDGE_CANONICAL: [&str; 8] = [
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Cookie",
    "Host",
    "Referer",
    "User-Agent",
];

/// `accept-language` → `Accept-Language`: each hyphen-separated token upper-case first, rest lower (§1.2).
pub fn canonical_name(name: &str) -> String {
    name.split('-')
        .map(|tok| {
            let mut chars = tok.chars();
            match chars.next() {
                // Java's one-to-one character mappings (the same as ASCII's for real header names).
                Some(first) => std::iter::once(vtl::jchar::to_upper(first))
                    .chain(chars.map(vtl::jchar::to_lower))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("-")
}

/// `b=2; a=1` → `a=1; b=2` (stable sort by cookie name, §1.5).
pub fn sort_cookies(value: &str) -> String {
    let mut parts: Vec<&str> = value
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    crate::sorting::sort_by_str_key(&mut parts, |p| p.split('=').next().unwrap_or(""));
    parts.join("; ")
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Headers as the method request sees them (spec §1.2, §1.3, §1.5, §1.6, §2.1). See the module doc.
pub fn transform_request_headers(
    ty: EndpointType,
    client_headers: &[(String, String)],
    env: &EndpointEnv,
) -> Vec<(String, String)> {
    let edge = ty == EndpointType::Edge;
    let mut out: Vec<(String, String)> = Vec::with_capacity(client_headers.len() + 16);
    let mut client_xff: Vec<&str> = Vec::new();
    let mut client_via: Vec<&str> = Vec::new();
    for (name, value) in client_headers {
        let n = name.as_str();
        if dropped_from_method_request(n)
            || eq(n, "Host")
            || eq(n, "X-Forwarded-Port")
            || eq(n, "X-Forwarded-Proto")
            || eq(n, "X-Amzn-Trace-Id")
        {
            continue;
        }
        if eq(n, "X-Forwarded-For") {
            client_xff.push(value);
            continue;
        }
        if edge {
            let lower = n.to_ascii_lowercase();
            if lower.starts_with("cloudfront-") || lower == "x-amz-cf-id" {
                continue;
            }
            if lower == "via" {
                client_via.push(value);
                continue;
            }
            if EDGE_CANONICAL.iter().any(|c| eq(c, n)) {
                let canon = canonical_name(n);
                let v = if lower == "cookie" {
                    sort_cookies(value)
                } else {
                    value.clone()
                };
                out.push((canon, v));
                continue;
            }
        }
        out.push((name.clone(), value.clone()));
    }

    let mut xff: Vec<&str> = client_xff;
    xff.push(&env.source_ip);
    if edge {
        xff.push(&env.edge_ip);
    }
    let xff = xff.join(", ");
    let push = |out: &mut Vec<(String, String)>, n: &str, v: String| out.push((n.to_string(), v));
    push(&mut out, "Host", env.host());
    match ty {
        EndpointType::Edge => {
            let b = |x: bool| x.to_string();
            push(&mut out, "CloudFront-Forwarded-Proto", "https".into());
            push(
                &mut out,
                "CloudFront-Is-Desktop-Viewer",
                b(env.is_desktop_viewer),
            );
            push(
                &mut out,
                "CloudFront-Is-Mobile-Viewer",
                b(env.is_mobile_viewer),
            );
            push(
                &mut out,
                "CloudFront-Is-SmartTV-Viewer",
                b(env.is_smart_tv_viewer),
            );
            push(
                &mut out,
                "CloudFront-Is-Tablet-Viewer",
                b(env.is_tablet_viewer),
            );
            push(&mut out, "CloudFront-Viewer-ASN", env.viewer_asn.clone());
            push(
                &mut out,
                "CloudFront-Viewer-Country",
                env.viewer_country.clone(),
            );
            let mut via: Vec<String> = client_via.iter().map(|s| s.to_string()).collect();
            via.push(env.via());
            push(&mut out, "Via", via.join(", "));
            push(&mut out, "X-Amz-Cf-Id", env.cf_id.clone());
            push(&mut out, "X-Amzn-Trace-Id", env.trace_id.clone());
            push(&mut out, "X-Forwarded-For", xff);
            push(&mut out, "X-Forwarded-Port", "443".into());
            push(&mut out, "X-Forwarded-Proto", "https".into());
        }
        EndpointType::Regional => {
            push(&mut out, "X-Amzn-Trace-Id", env.trace_id.clone());
            push(&mut out, "X-Forwarded-For", xff);
            push(&mut out, "X-Forwarded-Port", "443".into());
            push(&mut out, "X-Forwarded-Proto", "https".into());
        }
        EndpointType::Private => {
            push(&mut out, "x-amzn-cipher-suite", env.cipher_suite.clone());
            push(&mut out, "x-amzn-tls-version", env.tls_version.clone());
            push(&mut out, "x-amzn-vpc-id", env.vpc_id.clone());
            push(&mut out, "x-amzn-vpce-config", env.vpce_config.clone());
            push(&mut out, "x-amzn-vpce-id", env.vpce_id.clone());
            if let Some(url) = &env.vpce_policy_url {
                push(&mut out, "x-amzn-vpce-policy-url", url.clone());
            }
            push(&mut out, "X-Forwarded-For", xff);
            push(&mut out, "X-Amzn-Trace-Id", env.trace_id.clone());
        }
    }
    out
}

/// Response headers the endpoint adds (spec §1.4): on EDGE CloudFront's `X-Cache`, `Via`, `X-Amz-Cf-Pop`,
/// `X-Amz-Cf-Id` (the order CloudFront emits them). `X-Cache` is `Miss from cloudfront` (recorded) below 400 and
/// `Error from cloudfront` from 400 up \[INFER: CloudFront's wording for origin errors\].
pub fn response_headers(ty: EndpointType, env: &EndpointEnv, status: u16) -> Vec<(String, String)> {
    if ty != EndpointType::Edge {
        return Vec::new();
    }
    let cache = if status >= 400 {
        "Error from cloudfront"
    } else {
        "Miss from cloudfront"
    };
    vec![
        ("X-Cache".to_string(), cache.to_string()),
        ("Via".to_string(), env.via()),
        ("X-Amz-Cf-Pop".to_string(), env.cf_pop.clone()),
        ("X-Amz-Cf-Id".to_string(), env.cf_id.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }
    fn get<'a>(hs: &'a [(String, String)], n: &str) -> Option<&'a str> {
        hs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str())
    }

    #[test]
    fn edge_canonicalizes_only_observed_names_spec_1_2() {
        let out = transform_request_headers(
            EndpointType::Edge,
            &h(&[
                ("aUThorization", "x"),
                ("user-Agent", "ua"),
                ("accept-language", "en"),
                ("referer", "r"),
                ("tEsT-HEADeR", "t"),
                ("cache-control", "no-cache"),
                ("origin", "o"),
                ("pragma", "p"),
                ("sec-fetch-mode", "cors"),
                ("content-type", "text/plain"),
                ("X-Foo-Bar", "1"),
                ("sec-fetch-dest", "empty"),
                ("sec-fetch-site", "same-origin"),
                ("accept-encoding", "gzip"),
                ("cookie", "b=1"),
                ("accept", "*/*"),
            ]),
            &EndpointEnv::default(),
        );
        let names: Vec<&str> = out.iter().take(16).map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "User-Agent",
                "Accept-Language",
                "Referer",
                "tEsT-HEADeR",
                "cache-control",
                "origin",
                "pragma",
                "sec-fetch-mode",
                "content-type",
                "X-Foo-Bar",
                "sec-fetch-dest",
                "sec-fetch-site",
                "Accept-Encoding",
                "Cookie",
                "Accept"
            ]
        );
    }

    #[test]
    fn edge_sorts_cookies_regional_keeps_order_spec_1_5() {
        let client = h(&[("cookie", "theme=dark; b=2; a=1")]);
        let e = transform_request_headers(EndpointType::Edge, &client, &EndpointEnv::default());
        assert_eq!(get(&e, "Cookie"), Some("a=1; b=2; theme=dark"));
        let r = transform_request_headers(EndpointType::Regional, &client, &EndpointEnv::default());
        assert_eq!(get(&r, "cookie"), Some("theme=dark; b=2; a=1"));
    }

    #[test]
    fn client_xff_is_appended_to_spec_1_3() {
        let client = h(&[("X-Forwarded-For", "198.51.100.7")]);
        let env = EndpointEnv::default();
        let e = transform_request_headers(EndpointType::Edge, &client, &env);
        assert_eq!(
            get(&e, "X-Forwarded-For"),
            Some("198.51.100.7, 203.0.113.10, 130.176.33.165")
        );
        let r = transform_request_headers(EndpointType::Regional, &client, &env);
        assert_eq!(
            get(&r, "X-Forwarded-For"),
            Some("198.51.100.7, 203.0.113.10")
        );
        assert_eq!(
            r.iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-for"))
                .count(),
            1
        );
    }

    #[test]
    fn dropped_headers_never_reach_the_method_request_spec_2_1() {
        let client = h(&[
            ("Connection", "keep-alive"),
            ("Content-Length", "3"),
            ("TE", "trailers"),
            ("Via", "1.1 p"),
        ]);
        let r = transform_request_headers(EndpointType::Regional, &client, &EndpointEnv::default());
        assert_eq!(get(&r, "Connection"), None);
        assert_eq!(get(&r, "Content-Length"), None);
        assert_eq!(get(&r, "TE"), None);
        assert_eq!(
            get(&r, "Via"),
            Some("1.1 p"),
            "client Via passes on REGIONAL (spec §1.3)"
        );
    }

    #[test]
    fn host_is_replaced_and_custom_domain_respected_spec_1_1() {
        let env = EndpointEnv {
            host_override: Some("api.example.com".into()),
            ..Default::default()
        };
        let r = transform_request_headers(EndpointType::Regional, &h(&[("host", "x")]), &env);
        assert_eq!(
            r,
            h(&[
                ("Host", "api.example.com"),
                (
                    "X-Amzn-Trace-Id",
                    "Root=1-6925b2d8-3b9a2c4d5e6f708192a3b4c5"
                ),
                ("X-Forwarded-For", "203.0.113.10"),
                ("X-Forwarded-Port", "443"),
                ("X-Forwarded-Proto", "https"),
            ])
        );
        assert_eq!(env.domain_prefix(), "api");
        assert_eq!(EndpointEnv::default().domain_prefix(), "abc123defg");
    }

    #[test]
    fn edge_response_headers_spec_1_4() {
        let env = EndpointEnv::default();
        let r = response_headers(EndpointType::Edge, &env, 200);
        assert_eq!(get(&r, "X-Cache"), Some("Miss from cloudfront"));
        assert_eq!(get(&r, "X-Amz-Cf-Pop"), Some("IAD89-C1"));
        assert_eq!(
            get(&r, "Via"),
            Some("2.0 4f1d6b0c0a2a4d7c0e4b7a1e2f3c4d5e.cloudfront.net (CloudFront)")
        );
        assert_eq!(
            get(&response_headers(EndpointType::Edge, &env, 502), "X-Cache"),
            Some("Error from cloudfront")
        );
        assert!(response_headers(EndpointType::Regional, &env, 200).is_empty());
        assert!(response_headers(EndpointType::Private, &env, 200).is_empty());
    }

    #[test]
    fn endpoint_type_from_config_spec_1() {
        use serde_json::json;
        assert_eq!(EndpointType::from_config(None), Ok(EndpointType::Edge));
        assert_eq!(
            EndpointType::from_config(Some(&json!({"types": ["REGIONAL"]}))),
            Ok(EndpointType::Regional)
        );
        assert_eq!(
            EndpointType::from_config(Some(&json!({"types": ["PRIVATE"]}))),
            Ok(EndpointType::Private)
        );
        assert!(
            EndpointType::from_config(Some(&json!({"types": ["regional"]})))
                .unwrap_err()
                .contains("types[0]")
        );
    }

    #[test]
    fn canonical_name_tokens() {
        assert_eq!(canonical_name("accept-language"), "Accept-Language");
        assert_eq!(canonical_name("USER-AGENT"), "User-Agent");
    }

    #[test]
    fn env_deserializes_with_defaults() {
        let env: EndpointEnv = serde_json::from_str(r#"{"sourceIp":"10.0.12.34"}"#).unwrap();
        assert_eq!(env.source_ip, "10.0.12.34");
        assert_eq!(env.api_id, "abc123defg");
    }
}
