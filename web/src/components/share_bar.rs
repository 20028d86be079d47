//! Copy a link that carries the whole state, or an embed link for documentation iframes.

use crate::state::State;
use yew::prelude::*;

/// The bar for `state`; `message` is the last copy's outcome, held by the caller. A plain
/// function, not a component: each component type links its own copy of Yew's generic
/// lifecycle code (about 1 KB gzipped; docs/size.md, fourth round). Same DOM as the component.
pub fn share_bar(state: &State, message: &UseStateHandle<Option<String>>) -> Html {
    let copy = |embed: bool| {
        let (state, message) = (state.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let url = format!(
                "{}#{}",
                crate::browser::base_url(),
                crate::url_state::fragment_for(&state, embed)
            );
            let what = if embed { "Embed link" } else { "Link" };
            let (message, shown) = (message.clone(), url.clone());
            crate::browser::copy(&url, move |copied| {
                message.set(Some(if copied {
                    format!("{what} copied ({} characters).", shown.len())
                } else {
                    format!("{what} (copy it by hand): {shown}")
                }))
            });
        })
    };
    html! {
        <div class="share-bar">
            <button type="button" onclick={copy(false)} data-testid="copy-link">{ "Copy link" }</button>
            <button type="button" onclick={copy(true)} data-testid="copy-embed-link">{ "Copy embed link" }</button>
            <span class="share-message" role="status" data-testid="share-message">{ (**message).clone().unwrap_or_default() }</span>
        </div>
    }
}
