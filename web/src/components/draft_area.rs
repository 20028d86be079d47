//! A labelled textarea editing a JSON value through a text form (header lines, `key = value` lines, raw JSON).
//!
//! The text the user types is kept as a draft: half-typed lines that do not parse yet must not vanish on the
//! next render. The draft is shown as long as the document still holds the value this editor last produced;
//! any other change (a preset, a link) replaces it with the document's value.

use serde_json::Value;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DraftAreaProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: Value,
    pub form: Form,
    pub on_change: Callback<Value>,
    #[prop_or(4)]
    pub rows: u32,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

#[function_component(DraftArea)]
pub fn draft_area(p: &DraftAreaProps) -> Html {
    // (draft text, the value the document held when the draft was last synced, parse error)
    let draft = use_state(|| None::<(String, Value, Option<String>)>);
    let (text, error) = match &*draft {
        Some((t, v, e)) if *v == p.value => (t.clone(), e.clone()),
        _ => (p.form.format(&p.value), None),
    };
    let oninput = {
        let (draft, form, cb, current) =
            (draft.clone(), p.form, p.on_change.clone(), p.value.clone());
        Callback::from(move |e: InputEvent| {
            let t = super::input_value(&e);
            match form.parse(&t) {
                Ok(v) => {
                    draft.set(Some((t, v.clone(), None)));
                    if v != current {
                        cb.emit(v);
                    }
                }
                Err(msg) => draft.set(Some((t, current.clone(), Some(msg)))),
            }
        })
    };
    let lines = text.lines().count() as u32 + 1;
    let rows = lines.clamp(p.rows.min(lines.max(2)), 16);
    let err_id = format!("{}-error", p.id);
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <textarea id={p.id.clone()} rows={rows.to_string()} spellcheck="false" autocomplete="off"
                class={classes!(error.is_some().then_some("invalid"))} value={text}
                aria-invalid={error.is_some().then_some("true")} aria-describedby={error.is_some().then(|| err_id.clone())}
                data-testid={p.testid.clone()} {oninput} />
            if let Some(h) = &p.hint { <p class="hint">{ h.clone() }</p> }
            if let Some(e) = error { <p class="error-text" id={err_id} role="status">{ e }</p> }
        </div>
    }
}

/// The text forms a value can be edited in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `Name: value` lines into `{name: [values]}`.
    Headers,
    /// `key = value` lines into `{key: "value"}`.
    Map,
    /// Raw JSON.
    Json,
}

impl Form {
    pub fn format(self, v: &Value) -> String {
        match self {
            Form::Headers => crate::state::headers_to_text(Some(v)),
            Form::Map => crate::state::map_to_text(Some(v), " = "),
            Form::Json => crate::state::pretty_json(v),
        }
    }
    pub fn parse(self, t: &str) -> Result<Value, String> {
        match self {
            Form::Headers => Ok(crate::state::text_to_headers(t)),
            Form::Map => Ok(crate::state::text_to_map(t)),
            Form::Json => serde_json::from_str(t).map_err(|e| format!("not valid JSON: {e}")),
        }
    }
}
