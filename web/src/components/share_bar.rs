//! Copy a link that carries the whole state, or an embed link for documentation iframes.

use crate::state::State;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    pub state: State,
}

#[function_component(ShareBar)]
pub fn share_bar(p: &ShareBarProps) -> Html {
    let message = use_state(|| None::<String>);
    let copy = |embed: bool| {
        let (state, message) = (p.state.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let url = format!(
                "{}#{}",
                crate::browser::base_url(),
                crate::url_state::fragment_for(&state, embed)
            );
            let what = if embed { "Embed link" } else { "Link" };
            if crate::browser::copy(&url) {
                message.set(Some(format!("{what} copied ({} characters).", url.len())));
            } else {
                message.set(Some(format!("{what} (copy it by hand): {url}")));
            }
        })
    };
    html! {
        <div class="share-bar">
            <button type="button" onclick={copy(false)} data-testid="copy-link">{ "Copy link" }</button>
            <button type="button" onclick={copy(true)} data-testid="copy-embed-link">{ "Copy embed link" }</button>
            <span class="share-message" role="status" data-testid="share-message">{ (*message).clone().unwrap_or_default() }</span>
        </div>
    }
}
