//! Which headers API Gateway passes, drops, overwrites or renames to `x-amzn-Remapped-<Name>`
//! (spec §5.5 table and its "Recorded reality" notes, §2.1 dropped list, §3.3 proxy remaps, §5.1, §5.3).
//!
//! API (header names are matched case-insensitively against the table; output keeps the caller's spelling):
//! - [`IntegrationKind`]: `Aws` (Lambda custom and other AWS services), `AwsProxy`, `Http`, `HttpProxy`, `Mock`;
//!   [`IntegrationKind::parse`] takes the integration `type` string.
//! - [`dropped_from_method_request`]`(name)`: the headers that never reach the method request (invisible to
//!   `$input.params`, the proxy event and HTTP_PROXY forwarding; §2.1, §5.5 recorded).
//! - [`request_rule`]`(name, kind) -> Rule`: what happens to a client header forwarded toward the integration.
//! - [`authorization_dropped`]`(value, method_uses_aws_iam)`: the table's `Authorization` footnote.
//! - [`restricted_request_mapping`]`(name, kind)`: mapping this header with `requestParameters` fails every call
//!   with 500 (§5.1). Any other *mapped* request header is delivered as mapped, even names the table drops for client
//!   headers: AWS recorded mapped `Content-MD5`, `Max-Forwards`, `Server`, `Trailer`, `Upgrade`, `WWW-Authenticate`
//!   and `Content-Encoding` arriving at HTTP and HTTP_PROXY backends (LocalStack `TestApiGatewayHeaderRemapping`
//!   snapshot, 2024-07). [`request_rule`] is for client headers only.
//! - [`response_rule`]`(name, kind, mapped) -> Rule`: what happens to a header on its way to the client; `mapped`
//!   is true for values produced by `method.response.header.*` mappings (§5.5 "Recorded reality"), false for
//!   headers a proxy backend or Lambda proxy function returned (§3.3, §5.3).
//! - [`apply_response_rules`]`(headers, kind, mapped) -> (headers, notes)`: applies [`response_rule`]; remapped
//!   names become `x-amzn-Remapped-<Name>` (lowercase `x`, capital `R`, the name as given — the wire spelling
//!   recorded in §5.5, not the docs' `X-Amzn-Remapped-`). For `RemapOverwritten` the caller writes its own value
//!   under the original name afterwards (`Date`, `Content-Length`, `Connection`, ...).
//!
//! Column choice: `Aws`/`AwsProxy` use the table's "lambda" column; `Mock` uses the "http" column [INFER: MOCK is
//! not in the table; its mapped response headers behave like `HTTP`/`AWS` mapped ones, §5.5 recorded].
//! Deviations from the docs' table, each from a recording (recordings win, spec §How to read):
//! - `Content-Length` returned by a backend/function or mapped is remapped (`x-amzn-Remapped-Content-Length`) and
//!   API Gateway writes its own (§5.3 recorded; the table says Passthrough).
//! - HTTP_PROXY responses drop `Content-Encoding` (§5.3 recorded; the table says Passthrough).
//! - Mapped response values: the recorded pass/remap lists of §5.5 override the table (e.g. mapped `TE` and
//!   `Via` are delivered; mapped `Expect`, `Host`, `Proxy-Authenticate`, `Trailer`, `Upgrade` are remapped).

/// The integration `type` (spec §0 step 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntegrationKind {
    Aws,
    AwsProxy,
    Http,
    HttpProxy,
    Mock,
}

impl IntegrationKind {
    /// Parses AWS's `type` value (`AWS`, `AWS_PROXY`, `HTTP`, `HTTP_PROXY`, `MOCK`; exact, upper-case).
    pub fn parse(s: &str) -> Option<IntegrationKind> {
        Some(match s {
            "AWS" => IntegrationKind::Aws,
            "AWS_PROXY" => IntegrationKind::AwsProxy,
            "HTTP" => IntegrationKind::Http,
            "HTTP_PROXY" => IntegrationKind::HttpProxy,
            "MOCK" => IntegrationKind::Mock,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationKind::Aws => "AWS",
            IntegrationKind::AwsProxy => "AWS_PROXY",
            IntegrationKind::Http => "HTTP",
            IntegrationKind::HttpProxy => "HTTP_PROXY",
            IntegrationKind::Mock => "MOCK",
        }
    }

    fn column(self) -> Column {
        match self {
            IntegrationKind::Aws | IntegrationKind::AwsProxy => Column::Lambda,
            IntegrationKind::Http | IntegrationKind::Mock => Column::Http,
            IntegrationKind::HttpProxy => Column::HttpProxy,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Http,
    HttpProxy,
    Lambda,
}

/// What happens to one header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Passthrough,
    Drop,
    /// The value is replaced by API Gateway's own (request `Host` → the integration endpoint's host).
    Overwrite,
    /// Renamed to `x-amzn-Remapped-<Name>`.
    Remap,
    /// Renamed to `x-amzn-Remapped-<Name>`, and API Gateway sends its own value under the original name.
    RemapOverwritten,
    /// Not allowed toward this integration (`Transfer-Encoding` to Lambda: "Exception" in the table).
    Reject,
}

/// The wire prefix of remapped headers (§5.5 recorded).
pub const REMAPPED_PREFIX: &str = "x-amzn-Remapped-";

/// Headers dropped from the method request (§2.1 list, identical to §5.5 recorded `$input.params` list).
const DROPPED_FROM_METHOD_REQUEST: [&str; 12] = [
    "Connection",
    "Content-Length",
    "Content-MD5",
    "Expect",
    "Max-Forwards",
    "Proxy-Authenticate",
    "Server",
    "TE",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "WWW-Authenticate",
];

fn is(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// True for headers that API Gateway removes from the client request before anything sees it (§2.1).
pub fn dropped_from_method_request(name: &str) -> bool {
    is(name, &DROPPED_FROM_METHOD_REQUEST)
}

/// A header set by `integration.request.header.<name>` that never reaches an `HTTP`/`HTTP_PROXY` backend:
/// AWS recorded mapped `Connection`, `Expect`, `Proxy-Authenticate`, `TE` and `Via` absent at the backend while
/// every other mapped name arrived (LocalStack `TestApiGatewayHeaderRemapping` `full-integration`, REGIONAL,
/// 2024-07; spec §5.5 table "Dropped" for the request column).
pub fn dropped_mapped_request_header(name: &str) -> bool {
    is(
        name,
        &["Connection", "Expect", "Proxy-Authenticate", "TE", "Via"],
    )
}

/// The request column of the §5.5 table (toward the integration).
pub fn request_rule(name: &str, kind: IntegrationKind) -> Rule {
    let col = kind.column();
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "host" => Rule::Overwrite,
        "content-md5" | "expect" | "max-forwards" | "proxy-authenticate" | "server" | "te"
        | "trailer" | "upgrade" | "www-authenticate" => Rule::Drop,
        "connection" if col == Column::Lambda => Rule::Drop,
        "content-encoding" if col == Column::HttpProxy => Rule::Drop,
        "transfer-encoding" if col == Column::Lambda => Rule::Reject,
        "transfer-encoding" => Rule::Drop,
        "via" if col != Column::Lambda => Rule::Drop,
        _ => Rule::Passthrough,
    }
}

/// The §5.5 footnote: a client `Authorization` header is dropped toward the integration when it carries a SigV4
/// signature (`AWS4-HMAC-SHA256 Credential=…`) or the method uses `AWS_IAM` authorization.
pub fn authorization_dropped(value: &str, method_uses_aws_iam: bool) -> bool {
    method_uses_aws_iam || value.trim_start().starts_with("AWS4-HMAC-SHA256")
}

/// Mapping this header as `integration.request.header.<name>` makes every call fail with 500 (§5.1 \[AWS-REC\]).
pub fn restricted_request_mapping(name: &str, kind: IntegrationKind) -> bool {
    if is(name, &["Content-Length", "Transfer-Encoding"]) {
        return true;
    }
    matches!(kind, IntegrationKind::Aws | IntegrationKind::AwsProxy)
        && is(
            name,
            &[
                "Authorization",
                "Connection",
                "Expect",
                "Proxy-Authenticate",
                "TE",
            ],
        )
}

/// The response column of the §5.5 table (toward the client), with the recorded deviations.
pub fn response_rule(name: &str, kind: IntegrationKind, mapped: bool) -> Rule {
    let lower = name.to_ascii_lowercase();
    if mapped {
        // §5.5 "Recorded reality": mapped values (HTTP and AWS types).
        return match lower.as_str() {
            "date" | "content-length" | "connection" => Rule::RemapOverwritten,
            "authorization" | "content-md5" | "expect" | "host" | "max-forwards"
            | "proxy-authenticate" | "server" | "trailer" | "upgrade" | "user-agent"
            | "www-authenticate" => Rule::Remap,
            "transfer-encoding" => Rule::Drop,
            _ => Rule::Passthrough,
        };
    }
    let col = kind.column();
    match lower.as_str() {
        "accept" if col == Column::Http => Rule::Drop,
        "authorization" | "content-md5" | "max-forwards" | "user-agent" | "www-authenticate" => {
            Rule::Remap
        }
        "connection" | "content-length" | "date" | "server" => Rule::RemapOverwritten,
        // API Gateway writes its own request id: an HTTP_PROXY backend's (a Lambda function URL's) came back as
        // `x-amzn-Remapped-x-amzn-RequestId` [AWS-REC: LocalStack test_http_integration_with_lambda[HTTP_PROXY],
        // 2024-03]; a Lambda proxy function's is treated alike [INFER].
        "x-amzn-requestid" if col != Column::Http => Rule::RemapOverwritten,
        "content-encoding" if col == Column::HttpProxy => Rule::Drop,
        "expect" | "host" | "proxy-authenticate" | "te" | "transfer-encoding" | "trailer"
        | "upgrade" => Rule::Drop,
        "via" if col != Column::Http => Rule::Drop,
        _ => Rule::Passthrough,
    }
}

/// What [`apply_response_rules`] did to one header (for the trace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub header: String,
    pub rule: Rule,
    pub message: String,
}

/// Applies [`response_rule`] to every header, keeping order; returns the new headers and one note per
/// header that was not passed through.
pub fn apply_response_rules(
    headers: &[(String, String)],
    kind: IntegrationKind,
    mapped: bool,
) -> (Vec<(String, String)>, Vec<Note>) {
    let mut out = Vec::with_capacity(headers.len());
    let mut notes = Vec::new();
    let origin = if mapped {
        "mapped response header".to_string()
    } else {
        format!("{} response header", kind.as_str())
    };
    for (name, value) in headers {
        let rule = response_rule(name, kind, mapped);
        let message = match rule {
            Rule::Passthrough | Rule::Overwrite => {
                out.push((name.clone(), value.clone()));
                continue;
            }
            Rule::Drop | Rule::Reject => format!("{origin} `{name}` dropped (spec §5.5)"),
            Rule::Remap => {
                out.push((format!("{REMAPPED_PREFIX}{name}"), value.clone()));
                format!("{origin} `{name}` renamed to `{REMAPPED_PREFIX}{name}` (spec §5.5)")
            }
            Rule::RemapOverwritten => {
                out.push((format!("{REMAPPED_PREFIX}{name}"), value.clone()));
                format!(
                    "{origin} `{name}` renamed to `{REMAPPED_PREFIX}{name}`; API Gateway sets its own `{name}` (spec §5.5)"
                )
            }
        };
        notes.push(Note {
            header: name.clone(),
            rule,
            message,
        });
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IntegrationKind::*;

    #[test]
    fn method_request_drop_list_is_case_insensitive_spec_2_1() {
        for n in [
            "connection",
            "Content-Length",
            "CONTENT-MD5",
            "expect",
            "Max-Forwards",
            "proxy-authenticate",
        ] {
            assert!(dropped_from_method_request(n), "{n}");
        }
        for n in [
            "server",
            "te",
            "Trailer",
            "transfer-encoding",
            "upgrade",
            "www-authenticate",
        ] {
            assert!(dropped_from_method_request(n), "{n}");
        }
        for n in [
            "Via",
            "Date",
            "Authorization",
            "Content-Encoding",
            "Age",
            "Pragma",
            "Range",
            "Referer",
            "Warn",
        ] {
            assert!(!dropped_from_method_request(n), "{n} passes (spec §2.1)");
        }
    }

    #[test]
    fn request_column_per_integration_spec_5_5() {
        assert_eq!(request_rule("Host", HttpProxy), Rule::Overwrite);
        assert_eq!(request_rule("Connection", AwsProxy), Rule::Drop);
        assert_eq!(request_rule("Connection", Http), Rule::Passthrough);
        assert_eq!(request_rule("content-encoding", HttpProxy), Rule::Drop);
        assert_eq!(request_rule("content-encoding", Http), Rule::Passthrough);
        assert_eq!(request_rule("Transfer-Encoding", Aws), Rule::Reject);
        assert_eq!(request_rule("Transfer-Encoding", HttpProxy), Rule::Drop);
        assert_eq!(request_rule("Via", AwsProxy), Rule::Passthrough);
        assert_eq!(request_rule("Via", HttpProxy), Rule::Drop);
        assert_eq!(request_rule("Authorization", HttpProxy), Rule::Passthrough);
        assert_eq!(request_rule("X-Custom", Http), Rule::Passthrough);
    }

    #[test]
    fn sigv4_or_iam_authorization_is_dropped_spec_5_5() {
        assert!(authorization_dropped(
            "AWS4-HMAC-SHA256 Credential=AKIA/20251125/us-east-1/execute-api/aws4_request",
            false
        ));
        assert!(authorization_dropped("Bearer x", true));
        assert!(!authorization_dropped("Bearer x", false));
    }

    #[test]
    fn restricted_request_mappings_fail_spec_5_1() {
        assert!(restricted_request_mapping("Content-Length", Http));
        assert!(restricted_request_mapping("transfer-encoding", Mock));
        assert!(restricted_request_mapping("Authorization", Aws));
        assert!(!restricted_request_mapping("Authorization", Http));
        assert!(restricted_request_mapping("TE", AwsProxy));
        assert!(!restricted_request_mapping("X-Foo", Aws));
    }

    #[test]
    fn lambda_proxy_www_authenticate_is_remapped_spec_3_3() {
        let (h, notes) = apply_response_rules(
            &[("WWW-Authenticate".into(), "Bearer".into())],
            AwsProxy,
            false,
        );
        assert_eq!(
            h,
            vec![(
                "x-amzn-Remapped-WWW-Authenticate".to_string(),
                "Bearer".to_string()
            )]
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, Rule::Remap);
    }

    #[test]
    fn http_proxy_response_remaps_and_drops_spec_5_3() {
        let input: Vec<(String, String)> = [
            ("Connection", "keep-alive"),
            ("Content-Length", "5"),
            ("Date", "d"),
            ("Server", "nginx"),
            ("Content-Encoding", "gzip"),
            ("Via", "1.1 x"),
            ("Transfer-Encoding", "chunked"),
            ("Access-Control-Allow-Origin", "*"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let (h, _) = apply_response_rules(&input, HttpProxy, false);
        let names: Vec<&str> = h.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "x-amzn-Remapped-Connection",
                "x-amzn-Remapped-Content-Length",
                "x-amzn-Remapped-Date",
                "x-amzn-Remapped-Server",
                "Access-Control-Allow-Origin"
            ]
        );
    }

    #[test]
    fn mapped_response_headers_recorded_reality_spec_5_5() {
        for n in [
            "Authorization",
            "Connection",
            "Content-Length",
            "Content-MD5",
            "Date",
            "Expect",
            "Host",
            "Max-Forwards",
            "Proxy-Authenticate",
            "Server",
            "Trailer",
            "Upgrade",
            "User-Agent",
            "WWW-Authenticate",
        ] {
            let r = response_rule(n, Http, true);
            assert!(
                matches!(r, Rule::Remap | Rule::RemapOverwritten),
                "{n}: {r:?}"
            );
        }
        for n in [
            "Accept",
            "Accept-Charset",
            "Accept-Encoding",
            "Age",
            "Content-Encoding",
            "Content-Type",
            "Pragma",
            "Range",
            "Referer",
            "TE",
            "Warn",
            "Via",
        ] {
            assert_eq!(response_rule(n, Aws, true), Rule::Passthrough, "{n}");
        }
    }

    #[test]
    fn unmapped_response_columns_spec_5_5() {
        assert_eq!(response_rule("Accept", Http, false), Rule::Drop);
        assert_eq!(response_rule("Accept", AwsProxy, false), Rule::Passthrough);
        assert_eq!(response_rule("Via", Http, false), Rule::Passthrough);
        assert_eq!(response_rule("Via", AwsProxy, false), Rule::Drop);
        assert_eq!(
            response_rule("Date", AwsProxy, false),
            Rule::RemapOverwritten
        );
        assert_eq!(response_rule("user-agent", AwsProxy, false), Rule::Remap);
    }

    #[test]
    fn kind_parse_roundtrip() {
        for k in [Aws, AwsProxy, Http, HttpProxy, Mock] {
            assert_eq!(IntegrationKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(IntegrationKind::parse("aws"), None);
    }
}
