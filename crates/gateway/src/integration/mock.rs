//! `MOCK` integrations (spec §6): the request template names the status; nothing is called.

use serde_json::Value;

use crate::jobj::obj;

use super::{
    custom_response, keep_request_override, map_request, render, unsupported_media_type,
    CustomInput, Output,
};
use crate::binary::Payload;
use crate::pipeline::{choose_request_template, MethodRequest, Run, Stop, TemplateChoice};
use crate::trace::StageKind;

/// Finds `statusCode` in a MOCK request template's output. API Gateway's parser is lenient:
/// `{ statusCode: 200 }` with an unquoted key works (spec §6 [EMU:LS from CDK users]).
pub fn parse_status(text: &str) -> Option<u16> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return match v.get("statusCode")? {
            Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
    }
    let i = text.find("statusCode")?;
    let rest = text[i + "statusCode".len()..]
        .trim_start_matches(['"', '\''])
        .trim_start();
    let rest = rest
        .strip_prefix(':')?
        .trim_start()
        .trim_start_matches(['"', '\'']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

pub fn run(r: &mut Run, mr: &MethodRequest) -> Result<Output, Stop> {
    let mut notes = Vec::new();
    let _ = map_request(r, mr, &mut notes)?;
    let choice = choose_request_template(mr.integration, mr.content_type.as_deref(), &mut notes);
    let (text, templated) = match choice {
        TemplateChoice::Reject => return Err(unsupported_media_type(r, notes)),
        TemplateChoice::Passthrough => (mr.body_text.clone(), false),
        TemplateChoice::Template { source, .. } => {
            let out = render(
                r,
                mr,
                source,
                &mr.body_text,
                StageKind::IntegrationRequest,
                &mut notes,
            )?;
            keep_request_override(r, &out.request_override);
            (out.output, true)
        }
    };
    let status = parse_status(&text);
    let subject = match (status, templated) {
        (Some(s), _) => {
            notes.push(format!(
                "statusCode {s} read from the request template output (spec §6)"
            ));
            s.to_string()
        }
        (None, false) => {
            // spec §6: without a request template the default integration response is returned [DOC].
            notes.push("no statusCode (no request template): the default integration response is used (spec §6 [DOC])".into());
            String::new()
        }
        (None, true) => {
            notes.push("the request template output has no integer statusCode (spec §6)".into());
            r.trace.push(
                StageKind::IntegrationRequest,
                obj! {},
                obj! {"mock": true, "body": text},
                notes,
            );
            return Err(Stop::config(
                StageKind::IntegrationRequest,
                "Unable to parse statusCode. It should be an integer that is defined in the request template.",
            ));
        }
    };
    r.trace.push(
        StageKind::IntegrationRequest,
        obj! {},
        obj! {"mock": true, "body": crate::trace::body(&text), "statusCode": status},
        notes,
    );
    custom_response(
        r,
        mr,
        CustomInput {
            backend_status: status.unwrap_or(200),
            subject,
            subject_name: "statusCode",
            backend_headers: &[],
            body: Payload::text(String::new()),
            lambda_error: false,
            header_kind: crate::header_rules::IntegrationKind::Mock,
        },
    )
}
