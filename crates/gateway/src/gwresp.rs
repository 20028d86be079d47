//! Gateway responses as the pipeline emits them (spec §9.1, §8.3, §3.2).

use serde_json::Value;

use crate::env::Env;
use crate::pipeline::Stop;
use crate::scenario::Scenario;
use crate::trace::{StageKind, Trace};

pub struct GatewayOut {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub error_type: String,
    pub notes: Vec<String>,
}

/// (default status, default message, x-amzn-ErrorType) per type (spec §9.1 table).
fn defaults(t: &str) -> (u16, &'static str, &'static str) {
    match t {
        "ACCESS_DENIED" => (
            403,
            "User is not authorized to access this resource",
            "AccessDeniedException",
        ),
        "API_CONFIGURATION_ERROR" => (500, "Internal server error", "InternalServerErrorException"),
        "AUTHORIZER_CONFIGURATION_ERROR" => {
            (500, "Internal server error", "InternalServerErrorException")
        }
        "AUTHORIZER_FAILURE" => (500, "Internal server error", "InternalServerErrorException"),
        "BAD_REQUEST_PARAMETERS" | "BAD_REQUEST_BODY" => {
            (400, "Bad Request", "BadRequestException")
        }
        "EXPIRED_TOKEN" => (403, "Forbidden", "ForbiddenException"),
        // Documented 504; recorded 500 when not customized (spec §5.4, §9.1).
        "INTEGRATION_FAILURE" => (500, "Internal server error", "InternalServerErrorException"),
        "INTEGRATION_TIMEOUT" => (
            504,
            "Endpoint request timed out",
            "InternalServerErrorException",
        ),
        "INVALID_API_KEY" => (403, "Forbidden", "ForbiddenException"),
        "INVALID_SIGNATURE" => (403, "Forbidden", "InvalidSignatureException"),
        "MISSING_AUTHENTICATION_TOKEN" => (
            403,
            "Missing Authentication Token",
            "MissingAuthenticationTokenException",
        ),
        "QUOTA_EXCEEDED" => (429, "Limit Exceeded", "LimitExceededException"),
        "REQUEST_TOO_LARGE" => (413, "Request Too Long", "RequestTooLargeException"),
        "RESOURCE_NOT_FOUND" => (404, "Not Found", "ResourceNotFoundException"),
        "THROTTLED" => (429, "Too Many Requests", "TooManyRequestsException"),
        "UNAUTHORIZED" => (401, "Unauthorized", "UnauthorizedException"),
        "UNSUPPORTED_MEDIA_TYPE" => (
            415,
            "Unsupported Media Type",
            "UnsupportedMediaTypeException",
        ),
        "WAF_FILTERED" => (403, "Forbidden", "WAFFilteredException"),
        "DEFAULT_4XX" => (400, "Bad Request", "BadRequestException"),
        _ => (500, "Internal server error", "InternalServerErrorException"),
    }
}

/// Failures whose body API Gateway writes itself with a space after the colon (`{"message": "..."}`,
/// 36 bytes for `Internal server error`, spec §3.2, §5.4) rather than through the compact default template.
fn spaced_body(stop: &Stop) -> bool {
    matches!(
        stop.response_type,
        "API_CONFIGURATION_ERROR" | "INTEGRATION_FAILURE" | "INTEGRATION_TIMEOUT" | "DEFAULT_5XX"
    ) && stop.stage != StageKind::MethodRequest
}

fn json_string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

pub fn render(s: &Scenario, stop: &Stop, trace: &Trace, env: &Env) -> GatewayOut {
    let t = stop.response_type;
    let (mut status, default_msg, error_type) = defaults(t);
    if let Some(st) = stop.status {
        status = st;
    }
    let message = stop
        .message
        .clone()
        .unwrap_or_else(|| default_msg.to_string());
    let mut notes = vec![format!("gateway response {t}")];
    let family = if status >= 500 {
        "DEFAULT_5XX"
    } else {
        "DEFAULT_4XX"
    };
    let own = s.gateway_responses.iter().find(|g| g.response_type == t);
    let fam = s
        .gateway_responses
        .iter()
        .find(|g| g.response_type == family);
    // Inheritance (spec §9.1): a type without its own customization uses DEFAULT_4XX/5XX.
    let custom = own.or(if t == "UNAUTHORIZED" { None } else { fam });
    if let Some(c) = custom {
        notes.push(format!(
            "customized by gatewayResponses {}",
            c.response_type
        ));
        if let Some(code) = c.status_code.as_deref().and_then(|c| c.parse::<u16>().ok()) {
            status = code;
        }
    }
    let ctx = |name: &str| -> Option<String> {
        let v = match name {
            "error.message" => return Some(message.clone()),
            "error.messageString" => return Some(json_string(&message)),
            "error.responseType" => return Some(t.to_string()),
            "error.validationErrorString" => {
                return Some(stop.validation_error.clone().unwrap_or_default())
            }
            "requestId" => return Some(env.request_id.clone()),
            "extendedRequestId" => return Some(env.extended_request_id.clone()),
            "stage" => return Some(s.stage.stage_name.clone()),
            "apiId" => return Some(s.rest_api.id.clone()),
            "accountId" => return Some(s.account_id.clone()),
            "identity.sourceIp" => return Some(s.request.source_ip.clone()),
            other => trace
                .stage(StageKind::MethodRequest)
                .and_then(|m| m.output.get(other))
                .cloned(),
        };
        v.map(|v| crate::mapping::value_text(&v))
    };
    let body = match custom.and_then(|c| {
        c.response_templates
            .get("application/json")
            .or_else(|| c.response_templates.values().next())
    }) {
        Some(tpl) => substitute(tpl, &ctx),
        None if spaced_body(stop) => format!("{{\"message\": {}}}", json_string(&message)),
        None => format!("{{\"message\":{}}}", json_string(&message)),
    };
    let mut headers = Vec::new();
    if let Some(c) = custom {
        let mr = trace.stage(StageKind::MethodRequest).map(|m| &m.output);
        let find = |key: &str, name: &str| -> Option<String> {
            let list = crate::trace::read_pairs(mr?.get(key)?);
            list.iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        for (target, source) in &c.response_parameters {
            let Some(name) = target.strip_prefix("gatewayresponse.header.") else {
                continue;
            };
            let value =
                if let Some(l) = source.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                    Some(l.to_string())
                } else if let Some(n) = source
                    .strip_prefix("method.request.header.")
                    .or_else(|| source.strip_prefix("method.request.multivalueheader."))
                {
                    find("headers", n)
                } else if let Some(n) = source
                    .strip_prefix("method.request.querystring.")
                    .or_else(|| source.strip_prefix("method.request.multivaluequerystring."))
                {
                    find("queryString", n)
                } else if let Some(n) = source.strip_prefix("method.request.path.") {
                    find("pathParameters", n)
                } else if let Some(n) = source.strip_prefix("stageVariables.") {
                    s.stage.variables.get(n).cloned()
                } else if let Some(n) = source.strip_prefix("context.") {
                    ctx(n)
                } else {
                    None
                };
            if let Some(v) = value {
                notes.push(format!("{target} = {v:?} from {source} (spec §8.3)"));
                headers.push((name.to_string(), v));
            }
        }
    }
    GatewayOut {
        status,
        headers,
        body,
        error_type: error_type.to_string(),
        notes,
    }
}

/// `$context.x` / `${context.x}`-free plain substitution of gateway-response templates (spec §7.4: not VTL).
fn substitute(tpl: &str, ctx: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(tpl.len());
    let mut rest = tpl;
    while let Some(i) = rest.find("$context.") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "$context.".len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(after.len());
        let name = after[..end].trim_end_matches('.');
        out.push_str(&ctx(name).unwrap_or_default());
        rest = &after[name.len()..];
    }
    out.push_str(rest);
    out
}
