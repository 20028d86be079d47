//! Per integration type: its settings (templates, selection patterns, parameter mappings, passthrough
//! behavior) and its backend. One tab per type, keyboard-selectable.

use super::backend_editor::backend_editor;
use super::draft_area::{DraftArea, Form};
use super::template_editor::TemplateEditor;
use super::{approx, Dispatch, SelectField, TextField};
use crate::state::{Action, Column, Path, State};
use serde_json::{json, Value};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct IntegrationPanelProps {
    pub state: State,
    pub dispatch: Dispatch,
}

fn p(base: &Path, rest: &[&str]) -> Path {
    base.iter()
        .cloned()
        .chain(rest.iter().map(|s| s.to_string()))
        .collect()
}

#[function_component(IntegrationPanel)]
pub fn integration_panel(props: &IntegrationPanelProps) -> Html {
    let s = &props.state;
    let d = props.dispatch.clone();
    let tab = s.tab;
    // The settings (≈100 elements, template diagnostics, the backend editor) are below the fold on a
    // laptop screen: they are built in the task after the first render, so the five result columns are
    // in the DOM first (docs/playground.md, "Performance"; the test reports both moments).
    let ready = use_state(|| false);
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(std::time::Duration::ZERO).await;
                ready.set(true);
            });
        });
    }
    let present: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| s.get(&["integrations", c.key()]).is_some())
        .collect();
    let settings_shown = *ready && present.contains(&tab);
    // Start-up timeline: once per page, when the deferred settings first reach the DOM (this
    // effect runs after the render that put them there).
    use_effect_with(settings_shown, |shown| {
        static MARKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if *shown && !MARKED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            crate::browser::mark("app:settings-render");
        }
    });
    // Arrow keys move between tabs, Home and End to the first and last (WAI-ARIA tabs pattern); Tab moves
    // into the panel.
    let onkeydown = {
        let (d, present) = (d.clone(), present.clone());
        Callback::from(move |e: KeyboardEvent| {
            let i = present.iter().position(|c| *c == tab).unwrap_or(0);
            let n = present.len().max(1);
            let next = match e.key().as_str() {
                "ArrowRight" => present.get((i + 1) % n),
                "ArrowLeft" => present.get((i + n - 1) % n),
                "Home" => present.first(),
                "End" => present.last(),
                _ => None,
            };
            if let Some(c) = next {
                e.prevent_default();
                d.dispatch(Action::SelectTab(*c));
                crate::browser::focus_id(&format!("tab-{}", c.key()));
            }
        })
    };
    html! {
        <section class="panel integration-panel" aria-labelledby="integration-heading">
            <h2 id="integration-heading">{ "Integrations" }</h2>
            <div class="tabs" role="tablist" aria-label="Integration type" onkeydown={onkeydown}>
                { for present.iter().map(|c| {
                    let c = *c;
                    let onclick = { let d = d.clone(); Callback::from(move |_| d.dispatch(Action::SelectTab(c))) };
                    html! {
                        <button type="button" role="tab" id={format!("tab-{}", c.key())} aria-selected={(c == tab).to_string()}
                            aria-controls="integration-tabpanel" tabindex={if c == tab { "0" } else { "-1" }}
                            data-testid={format!("tab-{}", c.key())} {onclick}>{ c.key() }</button>
                    }
                }) }
            </div>
            <div id="integration-tabpanel" role="tabpanel" aria-labelledby={format!("tab-{}", tab.key())}>
                if !*ready {
                    <p class="hint">{ "Loading the settings…" }</p>
                } else if settings_shown {
                    { settings(tab, s, &d) }
                } else {
                    <p class="hint">{ "This document has no such integration." }</p>
                }
            </div>
        </section>
    }
}

/// The settings of column `c`. A plain function, not a component (its start-up mark moved to
/// [`integration_panel`]'s effect): each component type links its own copy of Yew's generic
/// lifecycle code (about 1 KB gzipped; docs/size.md, fourth round). Same DOM as the component.
fn settings(c: Column, s: &State, d: &Dispatch) -> Html {
    let d = d.clone();
    let key = c.key();
    let lc = key.to_ascii_lowercase();
    let base: Path = vec!["integrations".into(), key.into()];
    let method = p(&base, &["method"]);
    let integ = p(&method, &["methodIntegration"]);
    let integ_strs: Vec<&str> = vec!["integrations", key, "method", "methodIntegration"];
    let get = |rest: &[&str]| -> Option<Value> {
        let full: Vec<&str> = integ_strs
            .iter()
            .copied()
            .chain(rest.iter().copied())
            .collect();
        s.get(&full).cloned()
    };
    let set_cb = |path: Path| {
        let d = d.clone();
        Callback::from(move |v: Value| d.dispatch(Action::Set(path.clone(), v)))
    };

    let uri_fields = if c != Column::Mock {
        html! {
            <div class="row">
                { TextField { id: format!("{lc}-http-method").into(), label: "Integration HTTP method".into(), class: Some("narrow"),
                    value: get(&["httpMethod"]).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default().into(),
                    path: p(&integ, &["httpMethod"]), dispatch: d.clone(), testid: None }.view() }
                { TextField { id: format!("{lc}-uri").into(), label: "URI".into(), class: Some("grow"),
                    value: get(&["uri"]).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default().into(),
                    path: p(&integ, &["uri"]), dispatch: d.clone(), testid: None }.view() }
            </div>
        }
    } else {
        html! {}
    };

    let mappings = html! {
        <DraftArea id={format!("{lc}-request-parameters")} label="Request parameter mappings (integration.request.* = source)"
            value={get(&["requestParameters"]).unwrap_or(json!({}))} form={Form::Map} on_change={set_cb(p(&integ, &["requestParameters"]))} rows={2}
            hint="Sources: method.request.path|querystring|multivaluequerystring|header|multivalueheader.NAME, context.*, stageVariables.*, 'static'." />
    };

    let templates = if !c.is_proxy() {
        let map = get(&["requestTemplates"])
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        html! { <>
            { SelectField { id: format!("{lc}-passthrough").into(), label: "Passthrough behavior".into(),
                value: get(&["passthroughBehavior"]).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default().into(),
                options: &[("", "(default: WHEN_NO_MATCH)"), ("WHEN_NO_MATCH", "WHEN_NO_MATCH"), ("WHEN_NO_TEMPLATES", "WHEN_NO_TEMPLATES"), ("NEVER", "NEVER")],
                path: p(&integ, &["passthroughBehavior"]), dispatch: d.clone(), testid: Some(format!("passthrough-{key}").into()) }.view() }
            <TemplateMap id={format!("{lc}-req")} title="Request templates (by Content-Type)" context={format!("{key} request")} map={map}
                path={p(&integ, &["requestTemplates"])} dispatch={d.clone()} />
        </> }
    } else {
        html! {}
    };

    let responses = if !c.is_proxy() {
        let map = get(&["integrationResponses"])
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        let add = {
            let (d, path, map) = (d.clone(), p(&integ, &["integrationResponses"]), map.clone());
            Callback::from(move |_: MouseEvent| {
                let code = [
                    "400", "404", "500", "502", "403", "401", "201", "202", "204", "409", "429",
                    "503",
                ]
                .into_iter()
                .find(|k| !map.contains_key(*k))
                .unwrap_or("599");
                let mut path = path.clone();
                path.push(code.into());
                d.dispatch(Action::Set(path, json!({"statusCode": code, "selectionPattern": code, "responseTemplates": {"application/json": ""}})));
            })
        };
        let what = if c.is_lambda() {
            "the Lambda errorMessage"
        } else {
            "the status code"
        };
        html! {
            <fieldset class="responses">
                <legend>{ "Integration responses" }</legend>
                <p class="hint">{ format!("selectionPattern is a Java regex matched against the whole of {what}; the entry without one is the default.") }</p>
                { for map.iter().map(|(k, v)| {
                    let rbase = p(&integ, &["integrationResponses", k]);
                    let rid = format!("{lc}-ir-{}", k.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>());
                    let remove = { let (d, path) = (d.clone(), rbase.clone()); Callback::from(move |_: MouseEvent| d.dispatch(Action::Remove(path.clone()))) };
                    let text = |f: &str| v.get(f).map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string())).unwrap_or_default();
                    html! {
                        <div class="response" key={k.clone()}>
                            <div class="row">
                                { TextField { id: format!("{rid}-status").into(), label: format!("Response {k}: status").into(), class: Some("narrow"),
                                    value: text("statusCode").into(), path: p(&rbase, &["statusCode"]), dispatch: d.clone(), testid: None }.view() }
                                { TextField { id: format!("{rid}-pattern").into(), label: format!("Response {k}: selectionPattern").into(), class: Some("grow"), value: text("selectionPattern").into(),
                                    path: p(&rbase, &["selectionPattern"]), dispatch: d.clone(), testid: Some(format!("pattern-{key}-{k}").into()) }.view() }
                                <button type="button" class="small" onclick={remove} aria-label={format!("Remove integration response {k}")}>{ "Remove" }</button>
                            </div>
                            <DraftArea id={format!("{rid}-params")} label={format!("Response {k}: parameter mappings (method.response.header.NAME = source)")}
                                value={v.get("responseParameters").cloned().unwrap_or(json!({}))} form={Form::Map} on_change={set_cb(p(&rbase, &["responseParameters"]))} rows={1} />
                            <TemplateMap id={format!("{rid}-tpl")} title="Response templates (by Accept)" context={format!("{key} response {k}")}
                                map={v.get("responseTemplates").and_then(|t| t.as_object().cloned()).unwrap_or_default()}
                                path={p(&rbase, &["responseTemplates"])} dispatch={d.clone()} />
                        </div>
                    }
                }) }
                <button type="button" onclick={add}>{ "Add integration response" }</button>
                { approx("selectionPattern runs on the simulator's own Java regex engine (backreferences, lookaround, possessive and atomic groups included). Not emulated: CANON_EQ (?c), \\X, \\N{name}, Unicode scripts and blocks (reported as errors), and Java's StackOverflowError on deep backtracking (the simulator stops at its own step and stack bounds instead).") }
            </fieldset>
        }
    } else {
        html! {}
    };

    let backend = if c != Column::Mock {
        backend_editor(c, s.get(&["integrations", key, "backend"]), &d)
    } else {
        html! { <p class="hint">{ "MOCK has no backend: the request template's statusCode selects the integration response." }</p> }
    };

    html! {
        <div class="settings" data-testid={format!("settings-{key}")}>
            <p class="hint">{ c.blurb() }</p>
            { uri_fields }
            { mappings }
            { templates }
            { responses }
            { backend }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TemplateMapProps {
    id: String,
    title: AttrValue,
    /// Whose templates these are ("AWS request", "MOCK response 404"): it names the controls for
    /// assistive technology, where five editors all labelled "application/json" cannot be told apart.
    context: String,
    map: serde_json::Map<String, Value>,
    path: Path,
    dispatch: Dispatch,
}

/// Templates keyed by media type, each in its own editor; add and remove media types.
#[function_component(TemplateMap)]
fn template_map(props: &TemplateMapProps) -> Html {
    let new_type = use_state(String::new);
    let add = {
        let (d, path, new_type) = (props.dispatch.clone(), props.path.clone(), new_type.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let t = new_type.trim().to_string();
            if !t.is_empty() {
                let mut path = path.clone();
                path.push(t);
                d.dispatch(Action::Set(path, Value::String(String::new())));
                new_type.set(String::new());
            }
        })
    };
    let on_type = {
        let new_type = new_type.clone();
        Callback::from(move |e: InputEvent| new_type.set(super::input_value(&e)))
    };
    let add_id = format!("{}-add", props.id);
    html! {
        <div class="template-map">
            <h3>{ props.title.clone() }</h3>
            if props.map.is_empty() { <p class="hint">{ "None." }</p> }
            { for props.map.iter().enumerate().map(|(i, (ct, v))| {
                let mut path = props.path.clone();
                path.push(ct.clone());
                let on_change = { let (d, path) = (props.dispatch.clone(), path.clone()); Callback::from(move |t: String| d.dispatch(Action::Set(path.clone(), Value::String(t)))) };
                let remove = { let (d, path) = (props.dispatch.clone(), path.clone()); Callback::from(move |_: MouseEvent| d.dispatch(Action::Remove(path.clone()))) };
                html! {
                    <div class="template-item" key={ct.clone()}>
                        <TemplateEditor id={format!("{}-{i}", props.id)} label={ct.clone()} context={format!("{} template for ", props.context)}
                            value={v.as_str().unwrap_or_default().to_string()} {on_change} />
                        <button type="button" class="small" onclick={remove} aria-label={format!("Remove the {} template for {ct}", props.context)}>{ "Remove template" }</button>
                    </div>
                }
            }) }
            <form class="row add-row" onsubmit={add}>
                <div class="field grow">
                    <label for={add_id.clone()}>{ "Add a template for media type" }<span class="sr-only">{ format!(" ({} templates)", props.context) }</span></label>
                    <input id={add_id} type="text" placeholder="application/xml" value={(*new_type).clone()} oninput={on_type} />
                </div>
                <button type="submit" class="small" aria-label={format!("Add {} template", props.context)}>{ "Add" }</button>
            </form>
        </div>
    }
}
