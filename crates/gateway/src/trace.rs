//! The one record of what happened to a request. The execution log (`log.rs`), the CLI and the
//! playground all render this structure; nothing else carries run data.
//!
//! Each stage record has `input` (what the stage received), `output` (what it produced) and `notes`
//! (why: which template key was chosen, which pattern matched which string, which header was remapped).
//! Header lists are `[[name, value], ...]` so order and repeats survive. Keys per stage are listed in
//! docs/scenario.md §4.

use serde::Serialize;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StageKind {
    MethodRequest,
    /// The slot for authorizers, API keys and resource policies (spec part 2); records "not configured" today.
    Authorization,
    Validation,
    IntegrationRequest,
    Backend,
    IntegrationResponse,
    MethodResponse,
    GatewayResponse,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageRecord {
    pub stage: StageKind,
    pub input: Value,
    pub output: Value,
    pub notes: Vec<String>,
}

/// Why processing stopped early: the log line AWS writes and the gateway response type used.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub stage: StageKind,
    /// The execution-log message (without timestamp), e.g. `Execution failed due to a timeout error`.
    pub log_line: Option<String>,
    pub response_type: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub request_id: String,
    pub request_time_epoch: i64,
    pub integration_type: Option<&'static str>,
    pub stages: Vec<StageRecord>,
    pub failure: Option<Failure>,
    pub status_code: u16,
}

impl Trace {
    pub fn new(request_id: &str, request_time_epoch: i64) -> Trace {
        Trace {
            request_id: request_id.to_string(),
            request_time_epoch,
            integration_type: None,
            stages: Vec::new(),
            failure: None,
            status_code: 0,
        }
    }

    pub fn push(&mut self, stage: StageKind, input: Value, output: Value, notes: Vec<String>) {
        self.stages.push(StageRecord {
            stage,
            input,
            output,
            notes,
        });
    }

    pub fn stage(&self, kind: StageKind) -> Option<&StageRecord> {
        self.stages.iter().find(|s| s.stage == kind)
    }
}

/// `[[name, value], ...]` for a header list.
pub fn pairs(h: &[(String, String)]) -> Value {
    Value::Array(h.iter().map(|(n, v)| json!([n, v])).collect())
}

/// Reads back a `[[name, value], ...]` list (the log renders from the trace).
pub fn read_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let n = p.get(0)?.as_str()?;
                    let v = p.get(1)?.as_str()?;
                    Some((n.to_string(), v.to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Bodies kept in the trace are cut at this many bytes: the log prints at most ~1000 characters (spec §10.2)
/// and a UI cannot show more usefully; full bodies stay in the result (`body`, `integrationRequest`).
pub const TRACE_BODY_LIMIT: usize = 64 * 1024;

/// A body for the trace, cut at [`TRACE_BODY_LIMIT`] on a character boundary.
pub fn body(s: &str) -> Value {
    if s.len() <= TRACE_BODY_LIMIT {
        return Value::String(s.to_string());
    }
    let mut cut = TRACE_BODY_LIMIT;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    Value::String(format!(
        "{}… [{} more bytes not kept in the trace]",
        &s[..cut],
        s.len() - cut
    ))
}
