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
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub path: Vec<String>,
    pub dispatch: Dispatch,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(TextField)]
pub fn text_field(p: &TextFieldProps) -> Html {
    let oninput = {
        let (d, path) = (p.dispatch.clone(), p.path.clone());
        Callback::from(move |e: InputEvent| {
            d.dispatch(Action::Set(
                path.clone(),
                serde_json::Value::String(input_value(&e)),
            ))
        })
    };
    html! {
        <div class={classes!("field", p.class.clone())}>
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input id={p.id.clone()} type="text" spellcheck="false" autocomplete="off" value={p.value.clone()}
                data-testid={p.testid.clone()} placeholder={p.placeholder.clone()} {oninput} />
        </div>
    }
}

/// A labelled `<select>` bound to a string at `path`; the empty option removes the field.
#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub options: Vec<(&'static str, &'static str)>,
    pub path: Vec<String>,
    pub dispatch: Dispatch,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

#[function_component(SelectField)]
pub fn select_field(p: &SelectFieldProps) -> Html {
    let onchange = {
        let (d, path) = (p.dispatch.clone(), p.path.clone());
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            if v.is_empty() {
                d.dispatch(Action::Remove(path.clone()));
            } else {
                d.dispatch(Action::Set(path.clone(), serde_json::Value::String(v)));
            }
        })
    };
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <select id={p.id.clone()} data-testid={p.testid.clone()} {onchange}>
                { for p.options.iter().map(|(v, text)| html! {
                    <option value={*v} selected={p.value.as_str() == *v}>{ *text }</option>
                }) }
            </select>
        </div>
    }
}

/// "This part is approximate" next to the feature it concerns.
#[derive(Properties, PartialEq)]
pub struct ApproxProps {
    pub children: Html,
}

#[function_component(Approx)]
pub fn approx(p: &ApproxProps) -> Html {
    html! { <p class="approx"><span class="approx-mark" aria-hidden="true">{ "≈ " }</span><span class="sr-only">{ "Approximation: " }</span>{ p.children.clone() }</p> }
}
