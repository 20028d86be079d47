//! The client request, the endpoint type and the stage: everything the five columns share.

use super::draft_area::{DraftArea, Form};
use super::{approx, Dispatch, SelectField, TextField};
use crate::state::{header_value, path, with_header, Action, State};
use serde_json::Value;
use yew::prelude::*;

const METHODS: [(&str, &str); 7] = [
    ("GET", "GET"),
    ("POST", "POST"),
    ("PUT", "PUT"),
    ("PATCH", "PATCH"),
    ("DELETE", "DELETE"),
    ("HEAD", "HEAD"),
    ("OPTIONS", "OPTIONS"),
];

/// The panel. A plain function, not a component: it keeps no state, and each component type links its
/// own copy of Yew's generic lifecycle code (about 1 KB gzipped; docs/size.md, fourth round).
/// The DOM it produces is the component's.
pub fn request_panel(s: &State, d: &Dispatch) -> Html {
    let d = d.clone();
    let endpoint = s
        .get(&["restApi", "endpointConfiguration", "types"])
        .and_then(|t| t.get(0))
        .and_then(Value::as_str)
        .unwrap_or("EDGE")
        .to_string();
    let on_endpoint = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = super::select_value(&e);
            d.dispatch(Action::Set(
                path(&["restApi", "endpointConfiguration", "types"]),
                Value::Array(vec![Value::String(v)]),
            ))
        })
    };
    let headers = s
        .get(&["request", "headers"])
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    let header_input = |name: &'static str, id: &'static str, testid: &'static str| {
        let (d, headers) = (d.clone(), headers.clone());
        let oninput = Callback::from(move |e: InputEvent| {
            let v = super::input_value(&e);
            d.dispatch(Action::Set(
                path(&["request", "headers"]),
                with_header(Some(&headers), name, &v),
            ))
        });
        html! {
            <div class="field">
                <label for={id}>{ name }</label>
                <input id={id} type="text" spellcheck="false" autocomplete="off" data-testid={testid}
                    value={header_value(s.get(&["request", "headers"]), name)} {oninput} />
            </div>
        }
    };
    let on_headers = {
        let d = d.clone();
        Callback::from(move |v: Value| d.dispatch(Action::Set(path(&["request", "headers"]), v)))
    };
    let on_vars = {
        let d = d.clone();
        Callback::from(move |v: Value| d.dispatch(Action::Set(path(&["stage", "variables"]), v)))
    };
    let on_body = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            d.dispatch(Action::Set(
                path(&["request", "body"]),
                Value::String(super::input_value(&e)),
            ))
        })
    };
    let method_path_key = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            d.dispatch(Action::Set(
                path(&["httpMethod"]),
                Value::String(super::select_value(&e)),
            ))
        })
    };
    let resource_method = s.get_str(&["httpMethod"]);
    html! {
        <section class="panel request-panel" aria-labelledby="request-heading">
            <h2 id="request-heading">{ "Client request" }</h2>
            <div class="row">
                <div class="field">
                    <label for="endpoint-type">{ "Endpoint type" }</label>
                    <select id="endpoint-type" data-testid="endpoint-type" onchange={on_endpoint}>
                        { for ["EDGE", "REGIONAL", "PRIVATE"].iter().map(|t| html! {
                            <option value={*t} selected={endpoint == *t}>{ *t }</option>
                        }) }
                    </select>
                </div>
                { SelectField { id: "request-method".into(), label: "Method".into(), value: s.get_str(&["request", "method"]).into(),
                    options: &METHODS, path: path(&["request", "method"]), dispatch: d.clone(), testid: Some("request-method".into()) }.view() }
            </div>
            { approx("CloudFront and VPC endpoint ids, IPs and the trace id are fixed placeholders (the document's \"env\" overrides them).") }
            { TextField { id: "request-path".into(), label: "Path (with the stage)".into(), value: s.get_str(&["request", "path"]).into(),
                path: path(&["request", "path"]), dispatch: d.clone(), testid: Some("request-path".into()), class: None }.view() }
            { TextField { id: "request-query".into(), label: "Query string (raw, without ?)".into(), value: s.get_str(&["request", "query"]).into(),
                path: path(&["request", "query"]), dispatch: d.clone(), testid: Some("request-query".into()), class: None }.view() }
            <div class="row">
                { header_input("Content-Type", "request-content-type", "request-content-type") }
                { header_input("Accept", "request-accept", "request-accept") }
            </div>
            <DraftArea id="request-headers" label="Headers (one Name: value per line; repeat a name for several values)"
                value={headers.clone()} form={Form::Headers} on_change={on_headers} testid="request-headers" />
            <div class="field">
                <label for="request-body">{ "Body" }</label>
                <textarea id="request-body" rows="3" spellcheck="false" value={s.get_str(&["request", "body"])}
                    data-testid="request-body" oninput={on_body} />
            </div>
            <h3>{ "Resource and stage" }</h3>
            <div class="row">
                { TextField { id: "resource-path".into(), label: "Resource path".into(), value: s.get_str(&["resourcePath"]).into(),
                    path: path(&["resourcePath"]), dispatch: d.clone(), testid: Some("resource-path".into()), class: None }.view() }
                <div class="field">
                    <label for="resource-method">{ "Resource method" }</label>
                    <select id="resource-method" onchange={method_path_key}>
                        { for ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].iter().map(|m| html! {
                            <option value={*m} selected={resource_method == *m}>{ *m }</option>
                        }) }
                    </select>
                </div>
            </div>
            { TextField { id: "stage-name".into(), label: "Stage name".into(), value: s.get_str(&["stage", "stageName"]).into(),
                path: path(&["stage", "stageName"]), dispatch: d.clone(), testid: None, class: None }.view() }
            <DraftArea id="stage-variables" label="Stage variables (name = value per line)"
                value={s.get(&["stage", "variables"]).cloned().unwrap_or(Value::Object(Default::default()))}
                form={Form::Map}
                on_change={on_vars} rows={2} />
        </section>
    }
}
