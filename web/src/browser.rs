//! The few browser facilities the app uses, each failing quietly (a page in a sandboxed iframe may have
//! no storage or clipboard; that must not break the playground).

const STORAGE_KEY: &str = "apigw-playground:state";

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// A named point on the page's performance timeline (`performance.mark`), for the start-up phases the
/// browser test reports (docs/playground.md, "Performance"). Only used once per phase per page load, so the
/// timeline does not grow while the user types.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The fragment without `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the fragment without adding a history entry or firing `hashchange`.
pub fn replace_hash(fragment: &str) {
    let Some(w) = web_sys::window() else { return };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{fragment}")),
        );
    }
}

/// The page address without the fragment (for share and "open in playground" links).
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load_saved() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok()?
}

pub fn save(fragment: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, fragment);
    }
}

/// Copies text, then calls `done(true)`, or `done(false)` when the clipboard is unavailable or refuses
/// (the link is then shown for manual copying). The answer comes from the promise: the API exists in a
/// cross-origin iframe without `allow="clipboard-write"`, or with the permission denied, and then rejects,
/// so its presence alone does not mean the text was copied.
pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    let Some(w) = web_sys::window() else {
        return done(false);
    };
    let nav = w.navigator();
    // `navigator.clipboard` is undefined outside secure contexts; calling into it would throw.
    let present = js_sys::Reflect::get(&nav, &"clipboard".into())
        .map(|v| !v.is_undefined())
        .unwrap_or(false);
    if !present {
        return done(false);
    }
    // One of the two handlers runs; the rejection is handled, so it is not an uncaught error.
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let answer = |ok: bool| {
        let done = done.clone();
        Closure::once(move |_: JsValue| {
            if let Some(f) = done.take() {
                f(ok)
            }
        })
    };
    let (copied, refused) = (answer(true), answer(false));
    let _ = nav.clipboard().write_text(text).then2(&copied, &refused);
    copied.forget();
    refused.forget();
}

/// Moves the keyboard focus to the element with this id, if it exists and can take focus.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// [`focus_id`] once the change being dispatched is in the DOM (a task later). A control that
/// removes or rebuilds the element holding the focus (Hide, Focus a column) would otherwise send
/// a keyboard user back to the top of the page.
pub fn focus_id_after_render(id: String) {
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::ZERO).await;
        focus_id(&id);
    });
}
