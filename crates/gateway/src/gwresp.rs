//! Turns a pipeline [`Stop`] into a gateway response through `gateway_response` (spec §9.1, §8.3, §3.2).

use serde_json::Value;

use crate::gateway_response::{
    self, Failure, GatewayResponseType, GatewayResponses, RequestParams,
};
use crate::jobj::ToJson;
use crate::pipeline::Stop;
use crate::scenario::Scenario;
use crate::trace::{read_pairs, StageKind, Trace};

pub struct GatewayOut {
    pub status: u16,
    /// `Content-Type`, `x-amzn-ErrorType`, then the `gatewayresponse.header.*` mappings.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub notes: Vec<String>,
}

/// The scenario's `gatewayResponses` in the parts module's form (checked at load time, so errors here
/// are impossible; an unparsable list falls back to AWS's defaults).
pub fn responses(s: &Scenario) -> Result<GatewayResponses, Vec<String>> {
    let items: Vec<Value> = s
        .gateway_responses
        .iter()
        .map(|g| {
            let mut m = serde_json::Map::new();
            m.insert(
                "responseType".into(),
                Value::String(g.response_type.clone()),
            );
            if let Some(c) = &g.status_code {
                m.insert("statusCode".into(), Value::String(c.clone()));
            }
            if !g.response_parameters.is_empty() {
                m.insert("responseParameters".into(), g.response_parameters.to_json());
            }
            if !g.response_templates.is_empty() {
                m.insert("responseTemplates".into(), g.response_templates.to_json());
            }
            if let Some(d) = g.default_response {
                m.insert("defaultResponse".into(), Value::Bool(d));
            }
            Value::Object(m)
        })
        .collect();
    GatewayResponses::from_json(&Value::Array(items), "gatewayResponses")
}

pub fn render(s: &Scenario, stop: &Stop, trace: &Trace) -> GatewayOut {
    let ty =
        GatewayResponseType::parse(stop.response_type).unwrap_or(GatewayResponseType::Default5xx);
    let integration_stage = matches!(
        stop.stage,
        StageKind::IntegrationRequest | StageKind::Backend | StageKind::IntegrationResponse
    ) && !matches!(
        ty,
        GatewayResponseType::UnsupportedMediaType | GatewayResponseType::BadRequestBody
    );
    let mut failure = if integration_stage {
        let status = stop.status.or(ty.default_status()).unwrap_or(500);
        // INTEGRATION_FAILURE: documented 504, recorded 500 when not customized (spec §5.4, §9.1).
        let status = if ty == GatewayResponseType::IntegrationFailure && stop.status.is_none() {
            500
        } else {
            status
        };
        Failure::integration(ty, status, stop.message.clone())
    } else {
        Failure::gateway(ty, stop.message.clone())
    };
    failure.validation_error_string = stop.validation_error.clone();
    let mr = trace.stage(StageKind::MethodRequest).map(|m| &m.output);
    let list = |k: &str| {
        mr.and_then(|o| o.get(k))
            .map(read_pairs)
            .unwrap_or_default()
    };
    let (headers, query, path) = (list("headers"), list("queryString"), list("pathParameters"));
    let stage_variables: Vec<(String, String)> = s
        .stage
        .variables
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let context = mr
        .and_then(|o| o.get("context"))
        .cloned()
        .unwrap_or(Value::Null);
    let req = RequestParams {
        headers: &headers,
        query: &query,
        path: &path,
        stage_variables: &stage_variables,
        context: &context,
    };
    let mut notes = Vec::new();
    let rs = match responses(s) {
        Ok(r) => r,
        Err(e) => {
            notes.push(format!("gatewayResponses ignored: {}", e.join("; ")));
            GatewayResponses::default()
        }
    };
    let out = gateway_response::render(&rs, &failure, &req);
    notes.extend(out.notes);
    GatewayOut {
        status: out.status,
        headers: out.headers,
        body: out.body,
        notes,
    }
}
