//! The simulated backend of one column: a Lambda result, a thrown error or a timeout; an HTTP response or
//! failure; or the echo backend (docs/scenario.md "Backend").

use super::draft_area::{DraftArea, Form};
use super::{approx, Dispatch};
use crate::state::{Action, Column, Path};
use serde_json::{json, Value};
use yew::prelude::*;

/// The kinds offered, with the document each starts from.
fn kinds(column: Column) -> Vec<(&'static str, &'static str)> {
    let mut k = Vec::new();
    if column.is_lambda() {
        k.extend([
            ("returns", "Lambda returns"),
            ("throws", "Lambda throws an error"),
            ("timesOut", "Lambda times out"),
        ]);
    } else {
        k.extend([
            ("http", "HTTP response"),
            ("connection", "HTTP connection fails"),
            ("timeout", "HTTP times out"),
        ]);
    }
    k.push(("echo", "Echo what it received"));
    k
}

pub fn kind_of(v: Option<&Value>) -> &'static str {
    let Some(v) = v else { return "" };
    if v.get("echo").is_some() {
        return "echo";
    }
    if let Some(l) = v.get("lambda") {
        return if l.get("throws").is_some() {
            "throws"
        } else if l.get("timesOut").is_some() {
            "timesOut"
        } else {
            "returns"
        };
    }
    if let Some(h) = v.get("http") {
        return match h.get("fails").and_then(Value::as_str) {
            Some("connection") => "connection",
            Some("timeout") => "timeout",
            _ => "http",
        };
    }
    ""
}

/// The document a kind starts from, parsed from JSON text: each `json!` literal inlined its
/// inserts and drops, a parse of constant text reuses the parser the page links anyway
/// (docs/size.md, fourth round). Twin test: `templates_equal_the_json_literals`.
fn template(kind: &str, column: Column) -> Value {
    let text = match kind {
        "returns" if column == Column::AwsProxy => {
            r#"{"lambda": {"returns": {"statusCode": 200, "body": "{\"ok\":true}"}}}"#
        }
        "returns" => r#"{"lambda": {"returns": {"ok": true}}}"#,
        "throws" => {
            r#"{"lambda": {"throws": {"errorMessage": "Something went wrong", "errorType": "Error", "stackTrace": []}}}"#
        }
        "timesOut" => r#"{"lambda": {"timesOut": true}}"#,
        "connection" => r#"{"http": {"fails": "connection"}}"#,
        "timeout" => r#"{"http": {"fails": "timeout"}}"#,
        "echo" => r#"{"echo": {}}"#,
        _ => {
            r#"{"http": {"status": 200, "headers": {"Content-Type": ["application/json"]}, "body": "{\"ok\":true}", "isBase64Encoded": false}}"#
        }
    };
    // The texts are constants checked by the twin test; Null (never reached) instead of a panic.
    serde_json::from_str(text).unwrap_or_default()
}

/// The editor of `column`'s backend document `value` (may be absent).
/// A plain function, not a component: it keeps no state, and each component type links its
/// own copy of Yew's generic lifecycle code (about 1 KB gzipped; docs/size.md, fourth round).
/// The DOM it produces is the component's.
pub fn backend_editor(column: Column, value: Option<&Value>, dispatch: &Dispatch) -> Html {
    let base: Path = vec!["integrations".into(), column.key().into(), "backend".into()];
    let at = |rest: &[&str]| -> Path {
        base.iter()
            .cloned()
            .chain(rest.iter().map(|s| s.to_string()))
            .collect()
    };
    let kind = kind_of(value);
    let id = |s: &str| format!("{}-{s}", column.key().to_ascii_lowercase());
    let onchange = {
        let (d, base, column) = (dispatch.clone(), base.clone(), column);
        Callback::from(move |e: Event| {
            d.dispatch(Action::Set(
                base.clone(),
                template(&super::select_value(&e), column),
            ))
        })
    };
    let get = |rest: &[&str]| -> Option<Value> {
        let mut cur = value?;
        for k in rest {
            cur = cur.get(k)?;
        }
        Some(cur.clone())
    };
    let set_cb = |rest: &[&str]| {
        let (d, path) = (dispatch.clone(), at(rest));
        Callback::from(move |v: Value| d.dispatch(Action::Set(path.clone(), v)))
    };
    let str_input = |rest: &'static [&'static str], label: &'static str| {
        let (d, path) = (dispatch.clone(), at(rest));
        let value = get(rest)
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default();
        let oninput = Callback::from(move |e: InputEvent| {
            d.dispatch(Action::Set(
                path.clone(),
                Value::String(super::input_value(&e)),
            ))
        });
        let fid = id(&rest.join("-"));
        html! {
            <div class="field">
                <label for={fid.clone()}>{ label }</label>
                <input id={fid} type="text" spellcheck="false" {value} {oninput} />
            </div>
        }
    };
    let details = match kind {
        "returns" => html! {
            <DraftArea id={id("returns")} label="The function returns (JSON)" value={get(&["lambda", "returns"]).unwrap_or(Value::Null)}
                form={Form::Json}
                on_change={set_cb(&["lambda", "returns"])} rows={4} testid={format!("backend-returns-{}", column.key())} />
        },
        "throws" => html! { <>
            { str_input(&["lambda", "throws", "errorMessage"], "errorMessage") }
            { str_input(&["lambda", "throws", "errorType"], "errorType") }
        </> },
        "http" => {
            let status = get(&["http", "status"])
                .and_then(|v| v.as_i64())
                .unwrap_or(200);
            let on_status = {
                let (d, path) = (dispatch.clone(), at(&["http", "status"]));
                Callback::from(move |e: InputEvent| {
                    if let Ok(n) = super::input_value(&e).trim().parse::<i64>() {
                        d.dispatch(Action::Set(path.clone(), json!(n)))
                    }
                })
            };
            let on_b64 = {
                let (d, path) = (dispatch.clone(), at(&["http", "isBase64Encoded"]));
                Callback::from(move |e: Event| {
                    use wasm_bindgen::JsCast;
                    let on = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .map(|i| i.checked())
                        .unwrap_or(false);
                    d.dispatch(Action::Set(path.clone(), Value::Bool(on)))
                })
            };
            let body_id = id("http-body");
            let on_body = {
                let (d, path) = (dispatch.clone(), at(&["http", "body"]));
                Callback::from(move |e: InputEvent| {
                    d.dispatch(Action::Set(
                        path.clone(),
                        Value::String(super::input_value(&e)),
                    ))
                })
            };
            html! { <>
                <div class="row">
                    <div class="field narrow">
                        <label for={id("http-status")}>{ "Status" }</label>
                        <input id={id("http-status")} type="number" min="100" max="599" value={status.to_string()} oninput={on_status} />
                    </div>
                    <div class="field check">
                        <input id={id("http-b64")} type="checkbox" checked={get(&["http", "isBase64Encoded"]).and_then(|v| v.as_bool()).unwrap_or(false)} onchange={on_b64} />
                        <label for={id("http-b64")}>{ "Body is base64" }</label>
                    </div>
                </div>
                <DraftArea id={id("http-headers")} label="Response headers (Name: value per line)"
                    value={get(&["http", "headers"]).unwrap_or(json!({}))} form={Form::Headers} on_change={set_cb(&["http", "headers"])} rows={2} />
                <div class="field">
                    <label for={body_id.clone()}>{ "Response body" }</label>
                    <textarea id={body_id} rows="3" spellcheck="false" value={get(&["http", "body"]).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()}
                        data-testid={format!("backend-body-{}", column.key())} oninput={on_body} />
                </div>
            </> }
        }
        "echo" => html! { <p class="hint">{ if column.is_lambda() {
            "The function returns the payload it received."
        } else {
            "The backend answers 200 with a JSON description of the method, URL, headers and body it received."
        } }</p> },
        _ => html! {},
    };
    html! {
        <fieldset class="backend">
            <legend>{ "Backend" }</legend>
            <div class="field">
                <label for={id("backend-kind")}>{ "Behavior" }</label>
                <select id={id("backend-kind")} {onchange} data-testid={format!("backend-kind-{}", column.key())}>
                    if kind.is_empty() { <option value="" selected=true>{ "(none)" }</option> }
                    { for kinds(column).into_iter().map(|(v, t)| html! { <option value={v} selected={kind == v}>{ t }</option> }) }
                </select>
            </div>
            { details }
            { approx("No network or Lambda runtime is involved: latency is the fixed env.integrationLatency, and a timeout is simulated as reaching timeoutInMillis.") }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The former `json!` literals, kept as the reference for the parsed texts.
    fn literal(kind: &str, column: Column) -> Value {
        match kind {
            "returns" if column == Column::AwsProxy => {
                json!({"lambda": {"returns": {"statusCode": 200, "body": "{\"ok\":true}"}}})
            }
            "returns" => json!({"lambda": {"returns": {"ok": true}}}),
            "throws" => {
                json!({"lambda": {"throws": {"errorMessage": "Something went wrong", "errorType": "Error", "stackTrace": []}}})
            }
            "timesOut" => json!({"lambda": {"timesOut": true}}),
            "connection" => json!({"http": {"fails": "connection"}}),
            "timeout" => json!({"http": {"fails": "timeout"}}),
            "echo" => json!({"echo": {}}),
            _ => {
                json!({"http": {"status": 200, "headers": {"Content-Type": ["application/json"]}, "body": "{\"ok\":true}", "isBase64Encoded": false}})
            }
        }
    }

    #[test]
    fn templates_equal_the_json_literals() {
        for c in Column::ALL {
            for k in [
                "returns",
                "throws",
                "timesOut",
                "connection",
                "timeout",
                "echo",
                "http",
            ] {
                let (got, want) = (template(k, c), literal(k, c));
                assert_eq!(got, want, "{c:?} {k}");
                // Same key order too (Value's equality ignores it): the document is shown as text.
                assert_eq!(got.to_string(), want.to_string(), "{c:?} {k}");
            }
        }
    }

    #[test]
    fn every_offered_kind_round_trips_through_its_template() {
        for c in Column::ALL {
            for (k, _) in kinds(c) {
                assert_eq!(kind_of(Some(&template(k, c))), k, "{c:?} {k}");
            }
        }
    }
}
