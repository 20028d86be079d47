//! The preset gallery: every topic, with what to look at.

use super::Dispatch;
use crate::state::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PresetGalleryProps {
    pub current: Option<String>,
    pub dispatch: Dispatch,
}

#[function_component(PresetGallery)]
pub fn preset_gallery(p: &PresetGalleryProps) -> Html {
    let presets = crate::presets::all();
    let current = p.current.as_deref().and_then(crate::presets::find);
    html! {
        <nav class="gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">{ "Presets" }</h2>
            <ul class="preset-list">
                { for presets.iter().map(|preset| {
                    let selected = current.map(|c| c.name == preset.name).unwrap_or(false);
                    // The preset is 'static: its document is copied on click, not for every button on every render.
                    let onclick = {
                        let d = p.dispatch.clone();
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
