//! The whole comparison document as JSON, for what the forms do not cover (models, validators,
//! gateway responses, env) and for pasting what `aws apigateway get-*` prints.

use super::Dispatch;
use crate::state::{Action, State};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct JsonEditorProps {
    pub state: State,
    pub dispatch: Dispatch,
}

#[function_component(JsonEditor)]
pub fn json_editor(p: &JsonEditorProps) -> Html {
    // The draft is rebuilt from the document whenever the document changes elsewhere.
    let draft = use_state(|| None::<(u64, String)>);
    // Closed, it costs nothing: the document is only serialized while the editor is open.
    let open = use_state(|| false);
    // Hooks are called unconditionally, before the early return below (Yew keys hooks by call order).
    let error = use_state(|| None::<String>);
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open.set(!*open);
        })
    };
    if !*open {
        return html! {
            <details class="panel json-editor">
                <summary onclick={toggle} data-testid="doc-json-toggle">{ "The whole document (JSON)" }</summary>
            </details>
        };
    }
    let text = match &*draft {
        Some((rev, t)) if *rev == p.state.rev => t.clone(),
        _ => crate::state::pretty_json(&p.state.doc),
    };
    let oninput = {
        let (draft, rev) = (draft.clone(), p.state.rev);
        Callback::from(move |e: InputEvent| draft.set(Some((rev, super::input_value(&e)))))
    };
    let apply = {
        let (d, text, error, preset) = (
            p.dispatch.clone(),
            text.clone(),
            error.clone(),
            p.state.preset.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) if v.is_object() => {
                    error.set(None);
                    d.dispatch(Action::ReplaceDoc(v, preset.clone()));
                }
                Ok(_) => error.set(Some("The document must be a JSON object.".into())),
                Err(e) => error.set(Some(format!("Not valid JSON: {e}"))),
            }
        })
    };
    html! {
        <details class="panel json-editor" open=true>
            <summary onclick={toggle} data-testid="doc-json-toggle">{ "The whole document (JSON)" }</summary>
            <p class="hint">{ "The comparison document of docs/scenario.md §3: models, validators, gateway responses and env are edited here." }</p>
            <label for="doc-json" class="sr-only">{ "Comparison document JSON" }</label>
            <textarea id="doc-json" class="code" rows="18" spellcheck="false" wrap="off" value={text} {oninput} data-testid="doc-json" />
            <div class="row">
                <button type="button" onclick={apply} data-testid="doc-json-apply">{ "Apply" }</button>
                if let Some(e) = &*error { <p class="error-text" role="status">{ e.clone() }</p> }
            </div>
        </details>
    }
}
