//! One component per file. Components read the [`crate::state::State`] they are given and send
//! [`crate::state::Action`]s; none of them touches the document directly.

pub mod app;
pub mod backend_editor;
pub mod draft_area;
pub mod integration_panel;
pub mod json_editor;
pub mod preset_gallery;
pub mod request_panel;
pub mod results_grid;
pub mod share_bar;
pub mod template_editor;

use crate::state::{Action, State};
use std::rc::Rc;
use yew::prelude::*;

/// The reducer as Yew sees it: a thin wrapper so `state::reduce` stays a plain function.
#[derive(Clone, Debug, PartialEq)]
pub struct Store(pub State);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(crate::state::reduce(&self.0, action)))
    }
}

pub type Dispatch = UseReducerDispatcher<Store>;

/// The value of the element an input event came from.
pub fn input_value(e: &InputEvent) -> String {
    use wasm_bindgen::JsCast;
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return a.value();
    }
    String::new()
}

/// The value of a `<select>` after a change event.
pub fn select_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// A labelled one-line text input bound to a string at `path`.
/// A plain function, not a component: it keeps no state, and each component type links its
/// own copy of Yew's generic lifecycle code (about 1 KB gzipped; docs/size.md, fourth round).
/// The DOM it produces is the component's.
pub struct TextField {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub path: Vec<String>,
    pub dispatch: Dispatch,
    pub testid: Option<AttrValue>,
    /// Extra class of the wrapping `div` (after `field`).
    pub class: Option<&'static str>,
}

impl TextField {
    pub fn view(self) -> Html {
        let TextField {
            id,
            label,
            value,
            path,
            dispatch: d,
            testid,
            class,
        } = self;
        let oninput = Callback::from(move |e: InputEvent| {
            d.dispatch(Action::Set(
                path.clone(),
                serde_json::Value::String(input_value(&e)),
            ))
        });
        html! {
            <div class={classes!("field", class)}>
                <label for={id.clone()}>{ label }</label>
                <input {id} type="text" spellcheck="false" autocomplete="off" {value}
                    data-testid={testid} {oninput} />
            </div>
        }
    }
}

/// A labelled `<select>` bound to a string at `path`; the empty option removes the field.
/// A plain function, not a component: it keeps no state, and each component type links its
/// own copy of Yew's generic lifecycle code (about 1 KB gzipped; docs/size.md, fourth round).
/// The DOM it produces is the component's.
pub struct SelectField {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    /// `(value, text)` of each option.
    pub options: &'static [(&'static str, &'static str)],
    pub path: Vec<String>,
    pub dispatch: Dispatch,
    pub testid: Option<AttrValue>,
}

impl SelectField {
    pub fn view(self) -> Html {
        let SelectField {
            id,
            label,
            value,
            options,
            path,
            dispatch: d,
            testid,
        } = self;
        let onchange = Callback::from(move |e: Event| {
            let v = select_value(&e);
            if v.is_empty() {
                d.dispatch(Action::Remove(path.clone()));
            } else {
                d.dispatch(Action::Set(path.clone(), serde_json::Value::String(v)));
            }
        });
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <select {id} data-testid={testid} {onchange}>
                    { for options.iter().map(|(v, text)| html! {
                        <option value={*v} selected={value.as_str() == *v}>{ *text }</option>
                    }) }
                </select>
            </div>
        }
    }
}

/// "This part is approximate" next to the feature it concerns. A plain function, not a
/// component: it has no state, and each component type links its own copy of Yew's generic
/// lifecycle code (~1.7 KB of wasm; docs/size.md, fourth round). Same DOM as before.
pub fn approx(text: &'static str) -> Html {
    html! { <p class="approx"><span class="approx-mark" aria-hidden="true">{ "≈ " }</span><span class="sr-only">{ "Approximation: " }</span>{ text }</p> }
}
