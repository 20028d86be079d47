//! The preset gallery: every topic, with what to look at.

use super::Dispatch;
use crate::state::Action;
use yew::prelude::*;

/// A plain function rather than a component (no state of its own; a component type links its
/// own copy of Yew's lifecycle code, docs/size.md, fourth round). Same DOM as the component.
pub fn preset_gallery(current: Option<&str>, dispatch: &Dispatch) -> Html {
    let presets = crate::presets::all();
    let current = current.and_then(crate::presets::find);
    html! {
        <nav class="gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">{ "Presets" }</h2>
            <ul class="preset-list">
                { for presets.iter().map(|preset| {
                    let selected = current.map(|c| c.name == preset.name).unwrap_or(false);
                    // The preset is 'static: its document is copied on click, not for every button on every render.
                    let onclick = {
                        let d = dispatch.clone();
                        Callback::from(move |_: MouseEvent| d.dispatch(Action::ReplaceDoc(preset.doc.clone(), Some(preset.name.clone()))))
                    };
                    html! {
                        <li>
                            <button type="button" class={classes!("preset", selected.then_some("selected"))} aria-current={selected.then_some("true")}
                                data-testid={format!("preset-{}", preset.name)} data-preset={preset.name.clone()} {onclick}>
                                { preset.title.clone() }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
