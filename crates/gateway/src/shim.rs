//! The pipeline's adapters over the "parts" modules (`endpoint`, `header_rules`, `javafmt`): fills their
//! inputs from the injected [`Env`] and turns their results into trace notes.

use crate::endpoint::{self, EndpointEnv};
use crate::env::Env;

pub use crate::endpoint::EndpointType;
pub use crate::javafmt::{amz_date, clf_time as clf, http_date};

pub fn endpoint_type(s: &crate::scenario::Scenario) -> EndpointType {
    s.rest_api
        .endpoint_configuration
        .as_ref()
        .and_then(|e| e.types.first())
        .and_then(|t| EndpointType::parse(t))
        .unwrap_or(EndpointType::Edge)
}

pub fn endpoint_env(env: &Env, api_id: &str, region: &str, source_ip: &str) -> EndpointEnv {
    EndpointEnv {
        api_id: api_id.to_string(),
        region: region.to_string(),
        source_ip: source_ip.to_string(),
        trace_id: env.trace_id.clone(),
        edge_ip: env.edge_ip.clone(),
        cf_id: env.cf_id.clone(),
        cf_via_id: env.via_id.clone(),
        cf_pop: env.cf_pop.clone(),
        vpc_id: env.vpc_id.clone(),
        vpce_id: env.vpce_id.clone(),
        ..EndpointEnv::default()
    }
}

/// What API Gateway receives for this endpoint type (spec §1.2-1.6), with notes saying what changed.
pub fn transform_request_headers(
    ty: EndpointType,
    client: &[(String, String)],
    eenv: &EndpointEnv,
) -> (Vec<(String, String)>, Vec<String>) {
    let out = endpoint::transform_request_headers(ty, client, eenv);
    let mut notes = Vec::new();
    for (n, v) in client {
        if crate::header_rules::dropped_from_method_request(n) {
            notes.push(format!(
                "header {n} dropped before the method request (spec §2.1, §5.5 recorded)"
            ));
            continue;
        }
        if ty == EndpointType::Edge {
            let c = endpoint::canonical_name(n);
            if &c != n && out.iter().any(|(o, _)| o == &c) && !out.iter().any(|(o, _)| o == n) {
                notes.push(format!(
                    "EDGE: header name {n} re-emitted as {c} by CloudFront (spec §1.2)"
                ));
            }
            if n.eq_ignore_ascii_case("cookie") {
                let sorted = endpoint::sort_cookies(v);
                if &sorted != v {
                    notes.push(format!(
                        "EDGE: cookies sorted by name: {v:?} -> {sorted:?} (spec §1.5)"
                    ));
                }
            }
        }
    }
    let added: Vec<&str> = out
        .iter()
        .filter(|(n, _)| !client.iter().any(|(c, _)| c.eq_ignore_ascii_case(n)))
        .map(|(n, _)| n.as_str())
        .collect();
    if !added.is_empty() {
        notes.push(format!(
            "{} endpoint added {} (spec §1.3)",
            ty.as_str(),
            added.join(", ")
        ));
    }
    (out, notes)
}

/// Response headers the endpoint type adds (spec §1.4).
pub fn endpoint_response_headers(
    ty: EndpointType,
    eenv: &EndpointEnv,
    status: u16,
) -> Vec<(String, String)> {
    endpoint::response_headers(ty, eenv, status)
}
