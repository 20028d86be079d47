//! The one record of what happened to a request. The execution log (`log.rs`), the CLI and the
//! playground all render this structure; nothing else carries run data.
//!
//! Each stage record has `input` (what the stage received), `output` (what it produced) and `notes`
//! (why: which template key was chosen, which pattern matched which string, which header was remapped).
//! Header lists are `[[name, value], ...]` so order and repeats survive. Keys per stage are listed in
//! docs/scenario.md §4.

use serde::Serialize;
use serde_json::Value;

use crate::jobj::{object, ToJson};

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

    /// The trace as `serde_json::to_value(self)` gives it (the derive's keys and order), built
    /// directly: `to_value` linked serde_json's value serializer for these types and deep-copied
    /// every stage through it (docs/size.md, third round). Twin test:
    /// `tests::to_json_equals_the_serde_derive`.
    pub fn to_json(&self) -> Value {
        let stages = self
            .stages
            .iter()
            .map(|s| {
                object(&mut [
                    ("stage", s.stage.to_json()),
                    ("input", s.input.clone()),
                    ("output", s.output.clone()),
                    ("notes", s.notes.to_json()),
                ])
            })
            .collect();
        let failure = self.failure.as_ref().map_or(Value::Null, |f| {
            object(&mut [
                ("stage", f.stage.to_json()),
                ("logLine", f.log_line.to_json()),
                ("responseType", f.response_type.to_json()),
            ])
        });
        object(&mut [
            ("requestId", self.request_id.to_json()),
            ("requestTimeEpoch", self.request_time_epoch.to_json()),
            ("integrationType", self.integration_type.to_json()),
            ("stages", Value::Array(stages)),
            ("failure", failure),
            ("statusCode", self.status_code.to_json()),
        ])
    }
}

impl ToJson for StageKind {
    /// The variant name in camelCase, as `#[serde(rename_all = "camelCase")]` writes it.
    fn to_json(&self) -> Value {
        Value::from(match self {
            StageKind::MethodRequest => "methodRequest",
            StageKind::Authorization => "authorization",
            StageKind::Validation => "validation",
            StageKind::IntegrationRequest => "integrationRequest",
            StageKind::Backend => "backend",
            StageKind::IntegrationResponse => "integrationResponse",
            StageKind::MethodResponse => "methodResponse",
            StageKind::GatewayResponse => "gatewayResponse",
        })
    }
}

/// `[[name, value], ...]` for a header list.
pub fn pairs(h: &[(String, String)]) -> Value {
    Value::Array(
        h.iter()
            .map(|(n, v)| Value::Array(vec![n.to_json(), v.to_json()]))
            .collect(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample(failure: bool) -> Trace {
        let mut t = Trace::new("req-1", 1_795_615_200_000);
        t.integration_type = Some("AWS_PROXY");
        t.status_code = 502;
        let kinds = [
            StageKind::MethodRequest,
            StageKind::Authorization,
            StageKind::Validation,
            StageKind::IntegrationRequest,
            StageKind::Backend,
            StageKind::IntegrationResponse,
            StageKind::MethodResponse,
            StageKind::GatewayResponse,
        ];
        for (i, k) in kinds.into_iter().enumerate() {
            t.push(
                k,
                json!({"i": i, "h": [["a", "b"]]}),
                json!(null),
                vec![format!("note {i}"), "\"quoted\"\n".into()],
            );
        }
        if failure {
            t.failure = Some(Failure {
                stage: StageKind::Backend,
                log_line: Some("Execution failed due to a timeout error".into()),
                response_type: "INTEGRATION_TIMEOUT".into(),
            });
        }
        t
    }

    // The result document's `trace` was `to_value(&trace)`; the built one must not differ
    // in any key, order or value.
    #[test]
    fn to_json_equals_the_serde_derive() {
        for failure in [false, true] {
            let t = sample(failure);
            let derived = serde_json::to_value(&t).unwrap_or_default();
            assert_eq!(t.to_json().to_string(), derived.to_string());
        }
        let mut empty = Trace::new("", -1);
        empty.failure = Some(Failure {
            stage: StageKind::MethodRequest,
            log_line: None,
            response_type: String::new(),
        });
        let derived = serde_json::to_value(&empty).unwrap_or_default();
        assert_eq!(empty.to_json().to_string(), derived.to_string());
    }

    #[test]
    fn pairs_are_two_element_arrays() {
        let h = vec![("A".to_string(), "1".to_string()), ("A".into(), "2".into())];
        assert_eq!(pairs(&h).to_string(), r#"[["A","1"],["A","2"]]"#);
        assert_eq!(read_pairs(&pairs(&h)), h);
    }
}
