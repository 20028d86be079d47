//! The five columns with shared stage rows, differences marked, each column's execution log,
//! and controls to hide or focus columns.

use super::Dispatch;
use crate::compute::{Cell, ColumnView, Kind, Outcome, Row, Shared};
use crate::state::{Action, Column};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsGridProps {
    pub outcome: Option<Shared>,
    /// The last outcome that ran, while `outcome` is a rejected document (a template being typed):
    /// its columns stay on screen, marked as stale, instead of all five disappearing at each keystroke.
    #[prop_or_default]
    pub stale: Option<Shared>,
    /// The document revision the outcome belongs to (exposed for tests as `data-rev`).
    pub rev: u64,
    pub millis: f64,
    pub visible: Vec<Column>,
    pub hidden: Vec<Column>,
    pub focus: Option<Column>,
    pub present: Vec<Column>,
    pub dispatch: Dispatch,
    #[prop_or_default]
    pub compact: bool,
}

#[function_component(ResultsGrid)]
pub fn results_grid(p: &ResultsGridProps) -> Html {
    // The outcome the grid draws: the current one when it ran, else the last one that did.
    let drawn = match p.outcome.as_ref().map(|o| &*o.0) {
        Some(Outcome::Invalid(_)) => p.stale.clone(),
        _ => p.outcome.clone(),
    };
    let views = use_memo(
        (drawn, p.visible.clone()),
        |(outcome, visible)| match outcome.as_ref().map(|o| &*o.0) {
            Some(Outcome::Ran(map)) => {
                let mut v: Vec<ColumnView> = visible
                    .iter()
                    .filter_map(|c| map.get(c.key()).map(|r| crate::compute::column_view(*c, r)))
                    .collect();
                crate::compute::mark_differences(&mut v);
                // Cells behind Rc: a cell whose lines did not change between two runs is not re-rendered.
                let v: Vec<GridColumn> = v
                    .into_iter()
                    .map(|mut view| {
                        let cells = std::mem::take(&mut view.cells)
                            .into_iter()
                            .map(|(r, c)| (r, Rc::new(c)))
                            .collect();
                        (view, cells)
                    })
                    .collect();
                Some(v)
            }
            _ => None,
        },
    );
    // Start-up timeline: the first results are in the DOM (docs/playground.md, "Performance").
    {
        let has = p.outcome.is_some();
        let marked = use_mut_ref(|| false);
        use_effect_with(has, move |has| {
            if *has && !*marked.borrow() {
                *marked.borrow_mut() = true;
                crate::browser::mark("app:results-render");
            }
        });
    }
    let toolbar = html! {
        <div class="column-toolbar" role="group" aria-label="Columns">
            <span class="toolbar-label">{ "Columns:" }</span>
            { for p.present.iter().map(|c| {
                let c = *c;
                let shown = !p.hidden.contains(&c);
                let onchange = { let d = p.dispatch.clone(); Callback::from(move |_: Event| d.dispatch(Action::ToggleColumn(c))) };
                let id = format!("show-{}", c.key());
                html! {
                    <span class="check">
                        <input type="checkbox" id={id.clone()} checked={shown} {onchange} data-testid={format!("show-{}", c.key())} />
                        <label for={id}>{ c.key() }</label>
                    </span>
                }
            }) }
            if let Some(c) = p.focus {
                <button type="button" class="small" onclick={{ let d = p.dispatch.clone(); Callback::from(move |_| {
                    d.dispatch(Action::Focus(None));
                    // This button goes away: the focus moves to the column's own Focus button.
                    crate::browser::focus_id_after_render(format!("focus-{}", c.key()));
                }) }}>
                    { "Show all again" }
                </button>
            }
            if p.millis > 0.0 { <span class="timing" data-testid="compute-ms">{ format!("computed in {:.1} ms", p.millis) }</span> }
        </div>
    };
    let body = match (p.outcome.as_ref().map(|o| &*o.0), views.as_ref()) {
        (None, _) => html! { <p class="hint">{ "Computing…" }</p> },
        (Some(Outcome::Invalid(errors)), views) => html! { <>
            <div class="invalid-doc" role="alert" data-testid="input-errors">
                <h3>{ "The scenario cannot run" }</h3>
                <ul>
                    { for errors.iter().take(50).map(|(path, msg)| html! {
                        <li>if !path.is_empty() { <code>{ path.clone() }</code>{ ": " } }{ msg.clone() }</li>
                    }) }
                </ul>
            </div>
            if let Some(views) = views.as_ref().filter(|v| !v.is_empty()) {
                <div class="stale">
                    <p class="hint">{ "The last results that ran, before this change:" }</p>
                    { grid(views, p) }
                </div>
            }
        </> },
        (Some(Outcome::Ran(_)), Some(views)) if views.is_empty() => {
            html! { <p class="hint">{ "All columns are hidden." }</p> }
        }
        (Some(Outcome::Ran(_)), Some(views)) => grid(views, p),
        _ => html! {},
    };
    html! {
        // Not a live region: the table changes on every keystroke, and a screen reader would read all of it
        // each time. The parts that need announcing are `role="alert"` (a rejected document).
        <section class={classes!("results", p.compact.then_some("compact"))} aria-labelledby="results-heading" data-testid="results"
            data-rev={p.rev.to_string()}>
            <h2 id="results-heading" class={classes!(p.compact.then_some("sr-only"))}>{ "What API Gateway does, side by side" }</h2>
            { toolbar }
            { body }
        </section>
    }
}

type GridColumn = (ColumnView, Vec<(Row, Rc<Cell>)>);

fn find(cells: &[(Row, Rc<Cell>)], row: Row) -> Option<Rc<Cell>> {
    cells
        .iter()
        .find(|(r, _)| *r == row)
        .map(|(_, c)| c.clone())
}

fn grid(columns: &[GridColumn], p: &ResultsGridProps) -> Html {
    let rows: Vec<Row> = Row::ALL
        .into_iter()
        .filter(|r| !r.optional() || columns.iter().any(|(_, cells)| find(cells, *r).is_some()))
        .collect();
    let views: Vec<&ColumnView> = columns.iter().map(|(v, _)| v).collect();
    html! {
        <div class="grid-scroll" tabindex="0" role="region" aria-label="Results table (scrolls sideways on narrow screens)">
            <table class="grid" style={format!("--cols: {}", views.len())}>
                <thead>
                    <tr>
                        { for views.iter().map(|v| column_head(v, p)) }
                    </tr>
                </thead>
                // Each stage is a titled band across all columns, then one row of cells: the title costs no width,
                // so five columns fit a laptop screen.
                { for rows.iter().map(|r| html! {
                    <tbody data-row={r.trace_name()}>
                        <tr class="band"><th colspan={views.len().to_string()} scope="colgroup">{ r.title() }</th></tr>
                        <tr>
                            { for columns.iter().map(|(v, cells)| html! {
                                <td key={v.column.key()} data-testid={format!("cell-{}-{}", v.column.key(), r.trace_name())}>
                                    <CellView cell={find(cells, *r)} label={format!("{}: {}", v.column.key(), r.title())} />
                                </td>
                            }) }
                        </tr>
                    </tbody>
                }) }
                <tbody data-row="log">
                    <tr class="band"><th colspan={views.len().to_string()} scope="colgroup">{ "Execution log" }</th></tr>
                    <tr>
                        { for views.iter().map(|v| html! {
                            <td key={v.column.key()}><LogView column={v.column} lines={v.log.clone()} /></td>
                        }) }
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

fn column_head(v: &ColumnView, p: &ResultsGridProps) -> Html {
    let c = v.column;
    let focused = p.focus == Some(c);
    // Both buttons change which columns exist: the focus is put back on the control that was used
    // (or, for Hide, on the column's checkbox, which brings it back), not lost to the top of the page.
    let focus = {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::Focus(if focused { None } else { Some(c) }));
            crate::browser::focus_id_after_render(format!("focus-{}", c.key()));
        })
    };
    let hide = {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::ToggleColumn(c));
            crate::browser::focus_id_after_render(format!("show-{}", c.key()));
        })
    };
    let status_class = match v.status {
        Some(s) if s < 300 => "ok",
        Some(s) if s < 500 => "client-error",
        Some(_) => "server-error",
        None => "",
    };
    html! {
        <th scope="col" key={c.key()} data-testid={format!("column-{}", c.key())}>
            <div class="col-head">
                <div>
                    <div class="col-name">{ c.key() }</div>
                    <div class="col-blurb">{ c.blurb() }</div>
                </div>
                if let Some(s) = v.status {
                    <span class={classes!("status", status_class)} data-testid={format!("status-{}", c.key())}>{ s }</span>
                }
            </div>
            <div class="col-actions">
                <button type="button" class="small" id={format!("focus-{}", c.key())} onclick={focus} aria-pressed={focused.to_string()}
                    aria-label={format!("{} the {} column", if focused { "Unfocus" } else { "Focus" }, c.key())}>
                    { if focused { "Unfocus" } else { "Focus" } }
                </button>
                <button type="button" class="small" onclick={hide} aria-label={format!("Hide the {} column", c.key())}>{ "Hide" }</button>
            </div>
        </th>
    }
}

#[derive(Properties, PartialEq)]
struct CellProps {
    cell: Option<Rc<Cell>>,
    /// "AWS: Integration request": the name of the cell's scrollable box for keyboard users.
    label: AttrValue,
}

/// One stage of one column. Its props compare by content, so unchanged cells skip rendering.
#[function_component(CellView)]
fn cell_view(p: &CellProps) -> Html {
    let Some(c) = p.cell.as_deref().filter(|c| !c.is_empty()) else {
        return html! { <span class="none">{ "—" }</span> };
    };
    html! {
        <div class="cell" tabindex="0" role="group" aria-label={p.label.clone()}>
            { for crate::compute::runs(&c.lines).into_iter().map(|r| {
                let kind = match r.kind {
                    Kind::Key => "k-key",
                    Kind::Field => "k-field",
                    Kind::Body => "k-body",
                    Kind::Match => "k-match",
                    Kind::Note => "k-note",
                    Kind::Error => "k-error",
                };
                let style = (r.depth > 0).then(|| format!("padding-left: {}em", r.depth.min(12)));
                let title = r.differs.then_some("differs from another column");
                html! { <div class={classes!("line", kind, r.differs.then_some("differs"))} {style} {title}>{ r.text }</div> }
            }) }
            if c.omitted > 0 { <div class="line k-note">{ format!("… {} more lines", c.omitted) }</div> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LogProps {
    column: Column,
    lines: Rc<Vec<String>>,
}

/// A column's execution log. The text is only put in the page while the panel is open: closed (as it
/// starts), it costs one summary line instead of a text node of every log line on each run.
#[function_component(LogView)]
fn log_view(p: &LogProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            if let Some(d) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                open.set(d.has_attribute("open"));
            }
        })
    };
    html! {
        <details class="log" data-testid={format!("log-{}", p.column.key())} {ontoggle}>
            <summary>{ format!("Execution log ({} lines)", p.lines.len()) }</summary>
            if *open { <pre tabindex="0" role="group" aria-label={format!("{} execution log", p.column.key())}>{ p.lines.join("\n") }</pre> }
        </details>
    }
}
