//! Gateway responses: the errors API Gateway itself produces (spec §9.1, §8.3, §3.2, §5.4, §7.4).
//!
//! API:
//! - [`GatewayResponseType`]: every type, with [`default_status`](GatewayResponseType::default_status),
//!   [`default_message`](GatewayResponseType::default_message), [`error_type`](GatewayResponseType::error_type)
//!   (`x-amzn-ErrorType`) and [`parent`](GatewayResponseType::parent) (`DEFAULT_4XX`/`DEFAULT_5XX`).
//! - [`GatewayResponses::from_json`]: the scenario's `gatewayResponses` — a list of items, or `{"items": [...]}`, as
//!   `aws apigateway get-gateway-responses` prints them (`responseType`, `statusCode`, `responseParameters`,
//!   `responseTemplates`, `defaultResponse`). Errors name the offending field.
//! - [`Failure`]: what went wrong (type, message, natural status, whether it is an integration-stage failure).
//! - [`render`]`(&GatewayResponses, &Failure, &RequestParams) -> GatewayResponseOut`: status, headers
//!   (`Content-Type`, `x-amzn-ErrorType`, then the `gatewayresponse.header.*` mappings), body, and notes.
//!
//! Which body bytes (the decision the spec asks to make precisely, §3.2 vs §9.1):
//! - **Integration-stage failures** — everything the execution log reports as `Execution failed due to …` or
//!   `Lambda execution failed …` after the method request (§10.3): malformed Lambda proxy response (502), function
//!   error (502), invoke rejected / bad permissions (500), invalid endpoint (500), network error (500), timeout
//!   (504), restricted header mapping (500), no matching integration response (500), base64 decode failure (500),
//!   MOCK without a parsable statusCode (500). Built with [`Failure::integration`]. When neither the type nor its
//!   `DEFAULT_5XX` is customized, the body is the legacy form with a space after the colon,
//!   `{"message": "Internal server error"}` (36 bytes) / `{"message": "Endpoint request timed out"}`, and the status is
//!   the failure's own (500/502/504; the recorded 500 for an unmodified `INTEGRATION_FAILURE`, §5.4) \[AWS-REC\].
//! - **Everything else** (routing 403, validation 400, 415, authorizer/API-key/throttling errors), built with
//!   [`Failure::gateway`], and any failure whose response *is* customized: the selected response template is
//!   rendered. The default template `{"message":$context.error.messageString}` gives compact `{"message":"…"}`
//!   \[AWS-REC `get-gateway-responses`\].
//!
//! Resolution (§9.1 inheritance): the type's own customization (an item with `defaultResponse: false`, or no
//! `defaultResponse` key) wins as a whole; otherwise the customization of its `DEFAULT_4XX`/`DEFAULT_5XX` parent
//! applies; otherwise AWS's default. A customized item without `statusCode` keeps the inherited status; without
//! `responseTemplates` it keeps the default template \[INFER: what `put-gateway-response` stores\].
//! `REQUEST_TOO_LARGE` cannot be customized \[DOC\]. Items with `defaultResponse: true` are AWS's echo of the defaults
//! and change nothing.
//!
//! Template rendering is plain substitution, not VTL (§7.4): `$context.<path>` and `${context.<path>}` read the
//! request's `$context` tree plus `error.message`, `error.messageString` (the message as a JSON string literal, or
//! `null` when there is no message — which is how AWS's `{"message": null}` bodies for authorizer configuration errors
//! arise), `error.responseType`, `error.validationErrorString`; `$stageVariables.<name>` too. Unknown references
//! render as the empty string (§7.1). Header values (§8.3): `method.request.{header,querystring,path}.<n>` (last
//! value), `method.request.multivalue{header,querystring}.<n>` (values joined with `,` \[EMU:LS\]),
//! `stageVariables.<n>`, `context.<path>`, `'static'`; a missing source sets no header.

use serde_json::{Map, Value};

macro_rules! types {
    ($($variant:ident = $name:literal, $status:expr, $msg:expr, $err:expr;)*) => {
        /// Every gateway response type (spec §9.1).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum GatewayResponseType { $($variant),* }

        impl GatewayResponseType {
            pub const ALL: &'static [GatewayResponseType] = &[$(GatewayResponseType::$variant),*];

            /// AWS's name (`MISSING_AUTHENTICATION_TOKEN`).
            pub fn as_str(self) -> &'static str {
                match self { $(GatewayResponseType::$variant => $name),* }
            }

            pub fn parse(s: &str) -> Option<GatewayResponseType> {
                match s { $($name => Some(GatewayResponseType::$variant),)* _ => None }
            }

            /// Documented default status; `None` for `DEFAULT_4XX`/`DEFAULT_5XX` (their status is null).
            pub fn default_status(self) -> Option<u16> {
                match self { $(GatewayResponseType::$variant => $status),* }
            }

            /// The default `$context.error.message`; `None` renders `{"message":null}`.
            pub fn default_message(self) -> Option<&'static str> {
                match self { $(GatewayResponseType::$variant => $msg),* }
            }

            /// The `x-amzn-ErrorType` header, when known.
            pub fn error_type(self) -> Option<&'static str> {
                match self { $(GatewayResponseType::$variant => $err),* }
            }
        }
    };
}

// Status / message / error type per spec §9.1. Values the spec leaves blank are AWS's general API error
// wording for the same condition and marked [INFER] in the spec's sense: `EXPIRED_TOKEN`, `INVALID_SIGNATURE`,
// `REQUEST_TOO_LARGE`, `RESOURCE_NOT_FOUND`, `WAF_FILTERED`, and the authorizer error types.
types! {
    AccessDenied = "ACCESS_DENIED", Some(403), Some("User is not authorized to access this resource"), Some("AccessDeniedException");
    ApiConfigurationError = "API_CONFIGURATION_ERROR", Some(500), Some("Internal server error"), Some("InternalServerErrorException");
    AuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR", Some(500), None, Some("AuthorizerConfigurationException");
    AuthorizerFailure = "AUTHORIZER_FAILURE", Some(500), None, Some("AuthorizerFailureException");
    BadRequestParameters = "BAD_REQUEST_PARAMETERS", Some(400), Some("Missing required request parameters: []"), Some("BadRequestException");
    BadRequestBody = "BAD_REQUEST_BODY", Some(400), Some("Invalid request body"), Some("BadRequestException");
    Default4xx = "DEFAULT_4XX", None, None, None;
    Default5xx = "DEFAULT_5XX", None, None, None;
    ExpiredToken = "EXPIRED_TOKEN", Some(403), Some("The security token included in the request is expired"), Some("ExpiredTokenException");
    IntegrationFailure = "INTEGRATION_FAILURE", Some(504), Some("Internal server error"), Some("InternalServerErrorException");
    IntegrationTimeout = "INTEGRATION_TIMEOUT", Some(504), Some("Endpoint request timed out"), None;
    InvalidApiKey = "INVALID_API_KEY", Some(403), Some("Forbidden"), Some("ForbiddenException");
    InvalidSignature = "INVALID_SIGNATURE", Some(403), Some("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."), Some("InvalidSignatureException");
    MissingAuthenticationToken = "MISSING_AUTHENTICATION_TOKEN", Some(403), Some("Missing Authentication Token"), Some("MissingAuthenticationTokenException");
    QuotaExceeded = "QUOTA_EXCEEDED", Some(429), Some("Limit Exceeded"), Some("LimitExceededException");
    RequestTooLarge = "REQUEST_TOO_LARGE", Some(413), Some("Request Too Long"), Some("RequestTooLargeException");
    ResourceNotFound = "RESOURCE_NOT_FOUND", Some(404), Some("Not Found"), Some("NotFoundException");
    Throttled = "THROTTLED", Some(429), Some("Too Many Requests"), Some("TooManyRequestsException");
    Unauthorized = "UNAUTHORIZED", Some(401), Some("Unauthorized"), Some("UnauthorizedException");
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE", Some(415), Some("Unsupported Media Type"), Some("BadRequestException");
    WafFiltered = "WAF_FILTERED", Some(403), Some("Forbidden"), Some("ForbiddenException");
}

impl GatewayResponseType {
    /// `DEFAULT_4XX` / `DEFAULT_5XX` by the default status class; `None` for the two defaults themselves
    /// and for `REQUEST_TOO_LARGE`, which cannot be customized (spec §9.1, §7.6).
    pub fn parent(self) -> Option<GatewayResponseType> {
        match self {
            GatewayResponseType::Default4xx
            | GatewayResponseType::Default5xx
            | GatewayResponseType::RequestTooLarge => None,
            other => match other.default_status() {
                Some(s) if s >= 500 => Some(GatewayResponseType::Default5xx),
                Some(_) => Some(GatewayResponseType::Default4xx),
                None => None,
            },
        }
    }
}

/// AWS's default template for every type (spec §9.1).
pub const DEFAULT_TEMPLATE: &str = "{\"message\":$context.error.messageString}";

/// One customization, as `get-gateway-responses` prints it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayResponseConfig {
    pub status_code: Option<u16>,
    /// `gatewayresponse.header.<name>` → source expression, in order.
    pub response_parameters: Vec<(String, String)>,
    /// Content type → template, in order; `None` when the item had no `responseTemplates`.
    pub response_templates: Option<Vec<(String, String)>>,
    pub default_response: bool,
}

/// The API's gateway-response customizations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayResponses {
    items: Vec<(GatewayResponseType, GatewayResponseConfig)>,
}

fn string_map(
    v: Option<&Value>,
    path: &str,
    errors: &mut Vec<String>,
) -> Option<Vec<(String, String)>> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => {
            let mut out = Vec::new();
            for (k, v) in m {
                match v {
                    Value::String(s) => out.push((k.clone(), s.clone())),
                    _ => errors.push(format!("{path}.{k}: must be a string")),
                }
            }
            Some(out)
        }
        Some(_) => {
            errors.push(format!("{path}: must be an object of strings"));
            None
        }
    }
}

impl GatewayResponses {
    /// Parses `[item, ...]` or `{"items": [item, ...]}`; `path` prefixes error messages
    /// (e.g. `gatewayResponses`). Later items for the same type replace earlier ones.
    pub fn from_json(value: &Value, path: &str) -> Result<GatewayResponses, Vec<String>> {
        let (list, base) = match value {
            Value::Null => return Ok(GatewayResponses::default()),
            Value::Array(a) => (a, path.to_string()),
            Value::Object(m) => match m.get("items") {
                Some(Value::Array(a)) => (a, format!("{path}.items")),
                _ => {
                    return Err(vec![format!(
                        "{path}: expected a list of gateway responses or {{\"items\": [...]}}"
                    )])
                }
            },
            _ => {
                return Err(vec![format!(
                    "{path}: expected a list of gateway responses"
                )])
            }
        };
        let mut errors = Vec::new();
        let mut out = GatewayResponses::default();
        for (i, item) in list.iter().enumerate() {
            let p = format!("{base}[{i}]");
            let Value::Object(m) = item else {
                errors.push(format!("{p}: must be an object"));
                continue;
            };
            let ty = match m.get("responseType") {
                Some(Value::String(s)) => match GatewayResponseType::parse(s) {
                    Some(t) => t,
                    None => {
                        errors.push(format!(
                            "{p}.responseType: unknown gateway response type `{s}`"
                        ));
                        continue;
                    }
                },
                _ => {
                    errors.push(format!("{p}.responseType: required string"));
                    continue;
                }
            };
            let status_code = match m.get("statusCode") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => match s.parse::<u16>() {
                    Ok(c) if (100..=599).contains(&c) => Some(c),
                    _ => {
                        errors.push(format!("{p}.statusCode: `{s}` is not an HTTP status code"));
                        None
                    }
                },
                Some(Value::Number(n)) => match n.as_u64() {
                    Some(c) if (100..=599).contains(&c) => Some(c as u16),
                    _ => {
                        errors.push(format!("{p}.statusCode: {n} is not an HTTP status code"));
                        None
                    }
                },
                Some(_) => {
                    errors.push(format!("{p}.statusCode: must be a string like \"403\""));
                    None
                }
            };
            let response_parameters = string_map(
                m.get("responseParameters"),
                &format!("{p}.responseParameters"),
                &mut errors,
            )
            .unwrap_or_default();
            for (k, _) in &response_parameters {
                if !k.starts_with("gatewayresponse.header.") {
                    errors.push(format!(
                        "{p}.responseParameters.{k}: keys must be gatewayresponse.header.<name> (spec §8.3)"
                    ));
                }
            }
            let response_templates = string_map(
                m.get("responseTemplates"),
                &format!("{p}.responseTemplates"),
                &mut errors,
            );
            let default_response = match m.get("defaultResponse") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    errors.push(format!("{p}.defaultResponse: must be a boolean"));
                    false
                }
            };
            let cfg = GatewayResponseConfig {
                status_code,
                response_parameters,
                response_templates,
                default_response,
            };
            out.items.retain(|(t, _)| *t != ty);
            out.items.push((ty, cfg));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The customization of `ty`, if it is customized (not a default echo).
    pub fn customized(&self, ty: GatewayResponseType) -> Option<&GatewayResponseConfig> {
        if ty == GatewayResponseType::RequestTooLarge {
            return None;
        }
        self.items
            .iter()
            .find(|(t, c)| *t == ty && !c.default_response)
            .map(|(_, c)| c)
    }
}

/// A failure to turn into a gateway response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub response_type: GatewayResponseType,
    /// `$context.error.message`; `None` → the type's default message.
    pub message: Option<String>,
    /// The status this failure has when the response is not customized (e.g. 502 for a malformed proxy response);
    /// `None` → the type's default status.
    pub status: Option<u16>,
    /// `$context.error.validationErrorString`.
    pub validation_error_string: Option<String>,
    /// Integration-stage failure: legacy spaced body when uncustomized (see the module doc).
    pub integration: bool,
}

impl Failure {
    /// A failure detected before the integration (routing, validation, auth, throttling).
    pub fn gateway(response_type: GatewayResponseType, message: Option<String>) -> Failure {
        Failure {
            response_type,
            message,
            status: None,
            validation_error_string: None,
            integration: false,
        }
    }

    /// An integration-stage failure with its own status (500, 502, 504).
    pub fn integration(
        response_type: GatewayResponseType,
        status: u16,
        message: Option<String>,
    ) -> Failure {
        Failure {
            response_type,
            message,
            status: Some(status),
            validation_error_string: None,
            integration: true,
        }
    }

    fn message(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.response_type.default_message())
    }
}

/// What the failed request looked like, for header mappings and `$context` substitution.
#[derive(Clone, Copy, Debug)]
pub struct RequestParams<'a> {
    pub headers: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub path: &'a [(String, String)],
    pub stage_variables: &'a [(String, String)],
    /// The `$context` tree (objects nest: `identity.sourceIp`); `error` is added by [`render`].
    pub context: &'a Value,
}

/// The response to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayResponseOut {
    pub response_type: GatewayResponseType,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How the response was chosen (for the trace).
    pub notes: Vec<String>,
}

fn last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn all(pairs: &[(String, String)], name: &str) -> Option<String> {
    let v: Vec<&str> = pairs
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect();
    if v.is_empty() {
        None
    } else {
        Some(v.join(","))
    }
}

/// Scalar text of a context value; objects/arrays/null have none.
fn lookup_context(context: &Value, dotted: &str) -> Option<String> {
    let mut cur = context;
    for part in dotted.split('.') {
        cur = cur.as_object()?.get(part)?;
    }
    match cur {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Evaluates one `gatewayresponse.header.*` source expression (spec §8.3).
pub fn mapping_value(expr: &str, req: &RequestParams) -> Option<String> {
    if let Some(lit) = expr.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Some(lit.to_string());
    }
    if let Some(n) = expr.strip_prefix("method.request.header.") {
        return last(req.headers, n).map(str::to_string);
    }
    if let Some(n) = expr.strip_prefix("method.request.querystring.") {
        return last(req.query, n).map(str::to_string);
    }
    if let Some(n) = expr.strip_prefix("method.request.path.") {
        return last(req.path, n).map(str::to_string);
    }
    if let Some(n) = expr.strip_prefix("method.request.multivalueheader.") {
        return all(req.headers, n);
    }
    if let Some(n) = expr.strip_prefix("method.request.multivaluequerystring.") {
        return all(req.query, n);
    }
    if let Some(n) = expr.strip_prefix("stageVariables.") {
        return last(req.stage_variables, n).map(str::to_string);
    }
    if let Some(p) = expr.strip_prefix("context.") {
        return lookup_context(req.context, p);
    }
    None
}

/// Plain `$context.*` / `$stageVariables.*` substitution (spec §7.4); see the module doc.
pub fn substitute(template: &str, context: &Value, stage_variables: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (braced, body) = match after.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, after),
        };
        let root = ["context.", "stageVariables."]
            .into_iter()
            .find(|r| body.starts_with(r));
        let Some(root) = root else {
            out.push('$');
            rest = after;
            continue;
        };
        let ident_len = body[root.len()..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(body.len() - root.len());
        let mut name = &body[root.len()..root.len() + ident_len];
        // A trailing dot is punctuation, not part of the reference (`$context.requestId.`).
        while let Some(n) = name.strip_suffix('.') {
            name = n;
        }
        let mut consumed = root.len() + name.len();
        if braced {
            if body[consumed..].starts_with('}') {
                consumed += 1;
            } else {
                // `${context.x` without `}` is not a reference: emit literally.
                out.push('$');
                rest = after;
                continue;
            }
        }
        let value = if root == "context." {
            lookup_context(context, name)
        } else {
            last(stage_variables, name).map(str::to_string)
        };
        out.push_str(&value.unwrap_or_default());
        rest = &after[usize::from(braced) + consumed..];
    }
    out.push_str(rest);
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Builds the gateway response for `failure` (spec §9.1; see the module doc for the body decision).
pub fn render(
    responses: &GatewayResponses,
    failure: &Failure,
    req: &RequestParams,
) -> GatewayResponseOut {
    let ty = failure.response_type;
    let own = responses.customized(ty);
    let parent = ty
        .parent()
        .and_then(|p| responses.customized(p).map(|c| (p, c)));
    let (config, source) = match (own, parent) {
        (Some(c), _) => (Some(c), format!("customized {}", ty.as_str())),
        (None, Some((p, c))) => (
            Some(c),
            format!("{} inherits customized {}", ty.as_str(), p.as_str()),
        ),
        (None, None) => (None, format!("default {}", ty.as_str())),
    };
    let natural = failure.status.or(ty.default_status()).unwrap_or(
        if ty == GatewayResponseType::Default4xx {
            400
        } else {
            500
        },
    );
    let status = config.and_then(|c| c.status_code).unwrap_or(natural);
    let message = failure.message();
    let mut notes = vec![format!("gateway response: {source}, status {status}")];
    let mut headers = Vec::new();

    if config.is_none() && failure.integration {
        notes.push(
            "integration failure body `{\"message\": \"…\"}` (with a space, spec §3.2)".to_string(),
        );
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
        if let Some(e) = ty.error_type() {
            headers.push(("x-amzn-ErrorType".to_string(), e.to_string()));
        }
        let body = format!(
            "{{\"message\": {}}}",
            message.map_or("null".to_string(), json_string)
        );
        return GatewayResponseOut {
            response_type: ty,
            status,
            headers,
            body,
            notes,
        };
    }

    let templates: Vec<(String, String)> = config
        .and_then(|c| c.response_templates.clone())
        .unwrap_or_else(|| vec![("application/json".to_string(), DEFAULT_TEMPLATE.to_string())]);
    let chosen = templates
        .iter()
        .find(|(ct, _)| ct == "application/json")
        .or(templates.first());
    let content_type = chosen.map_or("application/json".to_string(), |(ct, _)| ct.clone());
    headers.push(("Content-Type".to_string(), content_type));
    if let Some(e) = ty.error_type() {
        headers.push(("x-amzn-ErrorType".to_string(), e.to_string()));
    }

    let mut context = match req.context {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let mut error = Map::new();
    error.insert(
        "message".into(),
        Value::String(message.unwrap_or("").to_string()),
    );
    error.insert(
        "messageString".into(),
        Value::String(message.map_or("null".to_string(), json_string)),
    );
    error.insert(
        "responseType".into(),
        Value::String(ty.as_str().to_string()),
    );
    error.insert(
        "validationErrorString".into(),
        Value::String(failure.validation_error_string.clone().unwrap_or_default()),
    );
    context.insert("error".into(), Value::Object(error));
    let context = Value::Object(context);

    for (key, expr) in config
        .map(|c| c.response_parameters.as_slice())
        .unwrap_or(&[])
    {
        let Some(name) = key.strip_prefix("gatewayresponse.header.") else {
            continue;
        };
        let with_ctx = RequestParams {
            context: &context,
            ..*req
        };
        match mapping_value(expr, &with_ctx) {
            Some(v) => headers.push((name.to_string(), v)),
            None => notes.push(format!(
                "gatewayresponse.header.{name}: source `{expr}` has no value; header not set"
            )),
        }
    }
    let body = chosen.map_or(String::new(), |(_, t)| {
        substitute(t, &context, req.stage_variables)
    });
    GatewayResponseOut {
        response_type: ty,
        status,
        headers,
        body,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use GatewayResponseType as T;

    fn req<'a>(ctx: &'a Value, h: &'a [(String, String)]) -> RequestParams<'a> {
        RequestParams {
            headers: h,
            query: &[],
            path: &[],
            stage_variables: &[],
            context: ctx,
        }
    }

    #[test]
    fn missing_token_default_is_compact_spec_9_1() {
        let ctx = json!({});
        let out = render(
            &GatewayResponses::default(),
            &Failure::gateway(T::MissingAuthenticationToken, None),
            &req(&ctx, &[]),
        );
        assert_eq!(out.status, 403);
        assert_eq!(out.body, r#"{"message":"Missing Authentication Token"}"#);
        assert!(out.headers.contains(&(
            "x-amzn-ErrorType".into(),
            "MissingAuthenticationTokenException".into()
        )));
    }

    #[test]
    fn integration_failure_body_has_a_space_36_bytes_spec_3_2() {
        let ctx = json!({});
        let f = Failure::integration(T::IntegrationFailure, 502, None);
        let out = render(&GatewayResponses::default(), &f, &req(&ctx, &[]));
        assert_eq!(
            (out.status, out.body.as_str()),
            (502, r#"{"message": "Internal server error"}"#)
        );
        assert_eq!(out.body.len(), 36);
        let t = render(
            &GatewayResponses::default(),
            &Failure::integration(T::IntegrationTimeout, 504, None),
            &req(&ctx, &[]),
        );
        assert_eq!(t.body, r#"{"message": "Endpoint request timed out"}"#);
    }

    #[test]
    fn default_5xx_customization_applies_to_integration_failures_spec_9_1() {
        let g = GatewayResponses::from_json(
            &json!([{"responseType": "DEFAULT_5XX", "statusCode": "503",
                     "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
                     "responseTemplates": {"application/json": "{\"err\":$context.error.messageString,\"t\":\"$context.error.responseType\"}"}}]),
            "gatewayResponses",
        )
        .unwrap();
        let ctx = json!({});
        let out = render(
            &g,
            &Failure::integration(T::IntegrationFailure, 502, None),
            &req(&ctx, &[]),
        );
        assert_eq!(out.status, 503);
        assert_eq!(
            out.body,
            r#"{"err":"Internal server error","t":"INTEGRATION_FAILURE"}"#
        );
        assert!(out
            .headers
            .contains(&("Access-Control-Allow-Origin".into(), "*".into())));
    }

    #[test]
    fn own_customization_beats_default_4xx_spec_9_1() {
        let g = GatewayResponses::from_json(
            &json!({"items": [
                {"responseType": "DEFAULT_4XX", "statusCode": "418", "defaultResponse": false},
                {"responseType": "UNAUTHORIZED", "responseTemplates": {"application/json": "no"}, "defaultResponse": false},
                {"responseType": "THROTTLED", "statusCode": "429", "defaultResponse": true}
            ]}),
            "gatewayResponses",
        )
        .unwrap();
        let ctx = json!({});
        let r = |t| render(&g, &Failure::gateway(t, None), &req(&ctx, &[]));
        assert_eq!(r(T::MissingAuthenticationToken).status, 418);
        assert_eq!(
            r(T::Throttled).status,
            418,
            "a defaultResponse:true item is an echo, DEFAULT_4XX applies"
        );
        let u = r(T::Unauthorized);
        assert_eq!((u.status, u.body.as_str()), (401, "no"));
        assert_eq!(r(T::RequestTooLarge).status, 413, "not customizable");
    }

    #[test]
    fn authorizer_configuration_error_renders_null_message_spec_9_1() {
        let ctx = json!({});
        let out = render(
            &GatewayResponses::default(),
            &Failure::gateway(T::AuthorizerConfigurationError, None),
            &req(&ctx, &[]),
        );
        assert_eq!(
            (out.status, out.body.as_str()),
            (500, r#"{"message":null}"#)
        );
    }

    #[test]
    fn header_mapping_sources_spec_8_3() {
        let ctx = json!({"requestId": "r-1", "identity": {"sourceIp": "1.2.3.4"}});
        let h = vec![
            ("x-a".to_string(), "1".to_string()),
            ("x-a".to_string(), "2".to_string()),
        ];
        let q = vec![("q".to_string(), "v".to_string())];
        let p = vec![("petId".to_string(), "7".to_string())];
        let sv = vec![("env".to_string(), "prod".to_string())];
        let r = RequestParams {
            headers: &h,
            query: &q,
            path: &p,
            stage_variables: &sv,
            context: &ctx,
        };
        assert_eq!(mapping_value("'a.b.c'", &r).as_deref(), Some("a.b.c"));
        assert_eq!(
            mapping_value("method.request.header.x-a", &r).as_deref(),
            Some("2")
        );
        assert_eq!(
            mapping_value("method.request.multivalueheader.x-a", &r).as_deref(),
            Some("1,2")
        );
        assert_eq!(
            mapping_value("method.request.querystring.q", &r).as_deref(),
            Some("v")
        );
        assert_eq!(
            mapping_value("method.request.path.petId", &r).as_deref(),
            Some("7")
        );
        assert_eq!(
            mapping_value("stageVariables.env", &r).as_deref(),
            Some("prod")
        );
        assert_eq!(
            mapping_value("context.identity.sourceIp", &r).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(
            mapping_value("method.request.header.X-A", &r),
            None,
            "case-sensitive (spec §1.2)"
        );
    }

    #[test]
    fn substitution_is_plain_not_vtl_spec_7_4() {
        let ctx = json!({"requestId": "r-1", "error": {"message": "m"}});
        let sv = vec![("env".to_string(), "prod".to_string())];
        assert_eq!(substitute("id=$context.requestId.", &ctx, &sv), "id=r-1.");
        assert_eq!(
            substitute("${context.requestId}x $stageVariables.env", &ctx, &sv),
            "r-1x prod"
        );
        assert_eq!(
            substitute("#if(1)$context.nope$5 $x", &ctx, &sv),
            "#if(1)$5 $x"
        );
        assert_eq!(
            substitute("${context.requestId", &ctx, &sv),
            "${context.requestId"
        );
    }

    #[test]
    fn validation_error_string_and_message_escaping_spec_9_2() {
        let g = GatewayResponses::from_json(
            &json!([{"responseType": "BAD_REQUEST_BODY",
                     "responseTemplates": {"application/json": "{\"message\": \"$context.error.validationErrorString\"}"}}]),
            "gr",
        )
        .unwrap();
        let ctx = json!({});
        let mut f = Failure::gateway(T::BadRequestBody, None);
        f.validation_error_string =
            Some("[object has missing required properties ([\"name\"])]".into());
        let out = render(&g, &f, &req(&ctx, &[]));
        assert_eq!(
            out.body,
            "{\"message\": \"[object has missing required properties ([\"name\"])]\"}"
        );
        let q = Failure::gateway(T::BadRequestParameters, Some("say \"hi\"".into()));
        assert_eq!(
            render(&GatewayResponses::default(), &q, &req(&ctx, &[])).body,
            r#"{"message":"say \"hi\""}"#
        );
    }

    #[test]
    fn config_errors_name_the_field() {
        let e = GatewayResponses::from_json(
            &json!([{"responseType": "NOPE"}, {"statusCode": "x"}]),
            "gatewayResponses",
        )
        .unwrap_err();
        assert!(
            e[0].starts_with("gatewayResponses[0].responseType"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("gatewayResponses[1].responseType"),
            "{e:?}"
        );
    }

    #[test]
    fn every_type_roundtrips_and_inherits() {
        for t in T::ALL {
            assert_eq!(T::parse(t.as_str()), Some(*t));
        }
        assert_eq!(T::ALL.len(), 21);
        assert_eq!(T::IntegrationTimeout.parent(), Some(T::Default5xx));
        assert_eq!(T::Unauthorized.parent(), Some(T::Default4xx));
    }
}
