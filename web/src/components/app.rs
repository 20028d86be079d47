//! The page: state, recomputation, URL and storage sync, and the layout (full or embed).

use super::integration_panel::IntegrationPanel;
use super::json_editor::JsonEditor;
use super::preset_gallery::preset_gallery;
use super::request_panel::request_panel;
use super::results_grid::ResultsGrid;
use super::share_bar::share_bar;
use super::Store;
use crate::compute::Outcome;
use crate::state::{Action, Column};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// Runs slower than this switch recomputation from "on every keystroke" to debounced. The median of the
/// last three runs decides, so one slow run (the first runs after loading execute freshly compiled, not
/// yet optimized code; a garbage collection) does not delay the next keystroke by the debounce, while a
/// document that is really slow to simulate is debounced from its second slow run on.
const FAST_ENOUGH_MS: f64 = 12.0;
const RECENT_RUNS: usize = 3;
const DEBOUNCE_MS: u64 = 150;

#[derive(Clone, PartialEq)]
struct Computed {
    outcome: Rc<Outcome>,
    /// The last outcome that ran, kept while the document is rejected (see [`Computed::next`]).
    last_ran: Option<Rc<Outcome>>,
    rev: u64,
    millis: f64,
}

impl Computed {
    /// The run after `prev`. A rejected document (a template half typed) keeps the last results
    /// that ran, so the grid can show them as stale instead of emptying all five columns.
    fn next(prev: Option<&Computed>, outcome: Outcome, rev: u64, millis: f64) -> Computed {
        let last_ran = match outcome {
            Outcome::Ran(_) => None,
            Outcome::Invalid(_) => prev.and_then(|p| match &*p.outcome {
                Outcome::Ran(_) => Some(p.outcome.clone()),
                Outcome::Invalid(_) => p.last_ran.clone(),
            }),
        };
        Computed {
            outcome: Rc::new(outcome),
            last_ran,
            rev,
            millis,
        }
    }
}

/// The durations of the last few simulation runs.
#[derive(Default)]
struct RecentRuns(std::collections::VecDeque<f64>);

impl RecentRuns {
    fn push(&mut self, ms: f64) {
        if self.0.len() == RECENT_RUNS {
            self.0.pop_front();
        }
        self.0.push_back(ms);
    }

    /// The median (the lower middle for an even count); 0 before any run.
    fn median(&self) -> f64 {
        let mut v: Vec<f64> = self.0.iter().copied().collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v.get(v.len().saturating_sub(1) / 2).copied().unwrap_or(0.0)
    }
}

/// How long after the last change the link and the saved state are written.
const URL_SYNC_DELAY_MS: u64 = 300;

/// The state waiting to be written to the URL fragment and `localStorage`.
#[derive(Default)]
struct UrlSync {
    pending: Option<crate::state::State>,
    /// Bumped by every change; a timer writes only if no newer change came after it.
    generation: u64,
    /// The fragment as the page last saw or wrote it (without `#`).
    known: Option<String>,
}

/// Whether a delayed write may replace the fragment: not if it changed since the page last saw or wrote it.
/// That is a link the user just opened in this tab; its `hashchange` handler restores that state and
/// schedules a write of its own, and overwriting it first would lose the link.
fn may_overwrite(known: Option<&str>, current: &str) -> bool {
    known.is_none_or(|k| k == current)
}

impl UrlSync {
    fn schedule(this: &Rc<RefCell<UrlSync>>, state: crate::state::State) {
        let generation = {
            let mut s = this.borrow_mut();
            if s.pending.is_none() {
                // Nothing of ours is waiting: the fragment now is what the page shows.
                s.known = Some(crate::browser::hash());
            }
            s.pending = Some(state);
            s.generation += 1;
            s.generation
        };
        let this = this.clone();
        yew::platform::spawn_local(async move {
            yew::platform::time::sleep(std::time::Duration::from_millis(URL_SYNC_DELAY_MS)).await;
            if this.borrow().generation == generation {
                UrlSync::flush(&this);
            }
        });
    }

    fn flush(this: &Rc<RefCell<UrlSync>>) {
        // Taken before writing so a re-entrant flush finds nothing to do.
        let (pending, known) = {
            let mut s = this.borrow_mut();
            (s.pending.take(), s.known.take())
        };
        if let Some(s) = pending {
            if !may_overwrite(known.as_deref(), &crate::browser::hash()) {
                return;
            }
            let f = crate::url_state::fragment_for(&s, false);
            crate::browser::replace_hash(&f);
            crate::browser::save(&f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_document_keeps_the_last_results_that_ran() {
        let ran = || Outcome::Ran(Default::default());
        let invalid = || Outcome::Invalid(vec![("t".into(), "#end closes nothing".into())]);
        let first = Computed::next(None, ran(), 1, 1.0);
        assert!(first.last_ran.is_none());
        let typing = Computed::next(Some(&first), invalid(), 2, 1.0);
        assert!(Rc::ptr_eq(
            typing.last_ran.as_ref().unwrap(),
            &first.outcome
        ));
        // Still typing: the same last good run, not the rejected one.
        let still = Computed::next(Some(&typing), invalid(), 3, 1.0);
        assert!(Rc::ptr_eq(still.last_ran.as_ref().unwrap(), &first.outcome));
        let fixed = Computed::next(Some(&still), ran(), 4, 1.0);
        assert!(fixed.last_ran.is_none());
        assert!(Computed::next(None, invalid(), 1, 1.0).last_ran.is_none());
    }

    #[test]
    fn a_delayed_write_never_replaces_a_link_opened_meanwhile() {
        assert!(may_overwrite(None, "preset=mock"));
        assert!(may_overwrite(Some("v1:abc"), "v1:abc"));
        assert!(!may_overwrite(Some("v1:abc"), "v1:pasted"));
    }

    #[test]
    fn one_slow_run_does_not_switch_to_debouncing_but_two_do() {
        let mut r = RecentRuns::default();
        assert_eq!(r.median(), 0.0);
        r.push(3.0);
        r.push(40.0); // a cold or interrupted run
        assert!(r.median() <= FAST_ENOUGH_MS);
        r.push(3.0);
        assert!(r.median() <= FAST_ENOUGH_MS);
        r.push(3.0);
        r.push(30.0);
        assert!(r.median() <= FAST_ENOUGH_MS);
        r.push(30.0); // the document became slow to simulate
        assert!(r.median() > FAST_ENOUGH_MS);
        r.push(2.0);
        assert!(
            r.median() > FAST_ENOUGH_MS,
            "still slow: two of the last three runs"
        );
        r.push(2.0);
        assert!(r.median() <= FAST_ENOUGH_MS);
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| {
        let s = Store(crate::url_state::initial_state_with(
            &crate::browser::hash(),
            crate::browser::load_saved,
        ));
        crate::browser::mark("app:state-ready");
        s
    });
    // The first run happens before the first render, so the first render already shows the results
    // (one render of the page, instead of a "Computing…" render followed by a second one). It does not
    // count towards debouncing: it also pays for compiling the simulation's code (the browser compiles
    // wasm functions on first call), which says nothing about how fast this document runs.
    let computed = use_state(|| {
        let doc = &store.0.doc;
        let t0 = crate::browser::now_ms();
        let outcome = crate::compute::run(doc);
        let millis = crate::browser::now_ms() - t0;
        crate::browser::mark("app:first-compute");
        Some(Computed::next(None, outcome, store.0.rev, millis))
    });
    let recent_ms = use_mut_ref(RecentRuns::default);
    let latest_rev = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    let state = &store.0;

    // Recompute when the document changes: at once while runs are fast, debounced once they are not.
    {
        let (computed, recent_ms, latest) = (
            computed.clone(),
            recent_ms.clone(),
            latest_rev.borrow().clone(),
        );
        let (doc, rev) = (state.doc.clone(), state.rev);
        use_effect_with(rev, move |_| {
            latest.set(rev);
            if computed.as_ref().is_some_and(|c| c.rev == rev) {
                // The first render, which already shows the first run's results, is in the DOM.
                crate::browser::mark("app:first-render");
                return;
            }
            let fast = recent_ms.borrow().median() <= FAST_ENOUGH_MS;
            let run = move || {
                let t0 = crate::browser::now_ms();
                let outcome = crate::compute::run(&doc);
                let millis = crate::browser::now_ms() - t0;
                recent_ms.borrow_mut().push(millis);
                computed.set(Some(Computed::next(
                    computed.as_ref(),
                    outcome,
                    rev,
                    millis,
                )));
            };
            if fast {
                run();
            } else {
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::from_millis(DEBOUNCE_MS)).await;
                    if latest.get() == rev {
                        run();
                    }
                });
            }
        });
    }

    // Keep the link and the saved state current (not in embeds: a documentation page must not overwrite
    // the reader's own playground, and its iframe URL stays what the author wrote).
    // Written shortly after the last change rather than on every keystroke: Chromium's
    // `history.replaceState` with a multi-kilobyte URL plus `localStorage.setItem` cost ~14 ms per call
    // (measured, docs/playground.md "Performance"), more than the whole simulation, and Chromium throttles
    // frequent replaceState calls anyway. A pending write is flushed when the page is hidden or left.
    let url_sync = use_mut_ref(UrlSync::default);
    {
        let s = state.clone();
        let sync = url_sync.clone();
        use_effect_with(
            (
                state.rev,
                state.hidden.clone(),
                state.focus,
                state.preset.clone(),
            ),
            move |_| {
                if !s.embed {
                    UrlSync::schedule(&sync, s);
                }
            },
        );
    }
    {
        let sync = url_sync.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let cb = Closure::<dyn Fn()>::new(move || UrlSync::flush(&sync));
            let w = web_sys::window();
            if let Some(w) = &w {
                for ev in ["pagehide", "visibilitychange"] {
                    let _ = w.add_event_listener_with_callback(ev, cb.as_ref().unchecked_ref());
                }
            }
            move || {
                if let Some(w) = w {
                    for ev in ["pagehide", "visibilitychange"] {
                        let _ =
                            w.remove_event_listener_with_callback(ev, cb.as_ref().unchecked_ref());
                    }
                }
            }
        });
    }

    // A link pasted into this tab's address bar.
    {
        let d = store.dispatcher();
        let sync = url_sync.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let cb = Closure::<dyn Fn()>::new(move || {
                let hash = crate::browser::hash();
                // The page now shows this link: the write the restore schedules may replace it.
                sync.borrow_mut().known = Some(hash.clone());
                let s = crate::url_state::initial_state(&hash, None);
                d.dispatch(Action::Restore(Box::new(s)));
            });
            let w = web_sys::window();
            if let Some(w) = &w {
                let _ =
                    w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = w {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        cb.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    let dispatch = store.dispatcher();
    // Hiding the inputs gives the five columns the whole width (a view preference, not part of the link).
    let inputs_hidden = use_state(|| false);
    // The share bar's last message (the bar is a plain function, so its state lives here).
    let share_message = use_state(|| None::<String>);
    let toggle_inputs = {
        let h = inputs_hidden.clone();
        Callback::from(move |_: MouseEvent| h.set(!*h))
    };
    let present: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| state.get(&["integrations", c.key()]).is_some())
        .collect();
    let (outcome, stale, rev, millis) = match &*computed {
        Some(c) => (
            Some(crate::compute::Shared(c.outcome.clone())),
            c.last_ran.clone().map(crate::compute::Shared),
            c.rev,
            c.millis,
        ),
        None => (None, None, 0, 0.0),
    };
    let results = html! {
        <ResultsGrid {outcome} {stale} {rev} {millis} visible={state.visible_columns()} hidden={state.hidden.clone()}
            focus={state.focus} present={present} dispatch={dispatch.clone()} compact={state.embed} />
    };
    let notice = state.notice.clone().map(|n| {
        let d = dispatch.clone();
        html! {
            <div class="notice" role="alert" data-testid="notice">
                <span>{ n }</span>
                <button type="button" class="small" onclick={Callback::from(move |_| d.dispatch(Action::Notice(None)))}>{ "Dismiss" }</button>
            </div>
        }
    });
    let preset = state.preset.as_deref().and_then(crate::presets::find);
    let description = preset.map(|p| p.description.clone()).or_else(|| {
        state
            .get(&["description"])
            .and_then(|d| d.as_str())
            .map(str::to_string)
    });

    // An embed's "Open in playground" link carries the state: serialized and deflated only when the
    // state changes, not on every render.
    let open_link = {
        let s = state.clone();
        use_memo(
            (
                state.rev,
                state.hidden.clone(),
                state.focus,
                state.preset.clone(),
                state.embed,
            ),
            move |_| {
                if s.embed {
                    format!(
                        "{}#{}",
                        crate::browser::base_url(),
                        crate::url_state::fragment_for(&s, false)
                    )
                } else {
                    String::new()
                }
            },
        )
    };
    if state.embed {
        let open = (*open_link).clone();
        return html! {
            <div class="app embed" data-testid="app-ready">
                { for notice }
                <header class="embed-head">
                    <div>
                        <strong>{ preset.map(|p| p.title.clone()).unwrap_or_else(|| "API Gateway playground".into()) }</strong>
                        if let Some(d) = &description { <p class="description">{ d.clone() }</p> }
                    </div>
                    <a href={open} target="_blank" rel="noopener noreferrer" data-testid="open-in-playground">{ "Open in playground ↗" }</a>
                </header>
                <details class="embed-inputs">
                    <summary>{ "Edit the request" }</summary>
                    { request_panel(state, &dispatch) }
                    <IntegrationPanel state={state.clone()} dispatch={dispatch.clone()} />
                </details>
                { results }
            </div>
        };
    }

    html! {
        <div class="app" data-testid="app-ready">
            <header class="top">
                <div class="brand">
                    <h1>{ "API Gateway integration playground" }</h1>
                    <p class="tagline">{ "One REST API request through AWS, AWS_PROXY, HTTP, HTTP_PROXY and MOCK, stage by stage." }</p>
                </div>
                { share_bar(state, &share_message) }
            </header>
            { for notice }
            { preset_gallery(state.preset.as_deref(), &dispatch) }
            if let Some(d) = &description {
                <p class="description" data-testid="preset-description">{ d.clone() }</p>
            }
            <div class="layout-bar">
                <button type="button" class="small" onclick={toggle_inputs} aria-expanded={(!*inputs_hidden).to_string()}
                    aria-controls="inputs" data-testid="toggle-inputs">
                    { if *inputs_hidden { "Show the inputs" } else { "Hide the inputs (results full width)" } }
                </button>
            </div>
            <div class={classes!("layout", inputs_hidden.then_some("inputs-hidden"))}>
                <div class="inputs" id="inputs" hidden={*inputs_hidden}>
                    { request_panel(state, &dispatch) }
                    <IntegrationPanel state={state.clone()} dispatch={dispatch.clone()} />
                    <JsonEditor state={state.clone()} dispatch={dispatch.clone()} />
                </div>
                <div class="outputs">{ results }</div>
            </div>
            <footer class="foot">
                <p>{ "A simulation from the documented and recorded behavior of Amazon API Gateway REST APIs; where it is approximate, a ≈ note says so. Nothing here calls AWS." }</p>
            </footer>
        </div>
    }
}
