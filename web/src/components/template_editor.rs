//! A mapping-template editor: a textarea with a line-number gutter, diagnostics marked at their line
//! (message on hover), and a list below whose entries move the cursor to the line and column.
//! Diagnostics come from `vtl::Template::parse`, the same parser the gateway renders with.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TemplateEditorProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Read before the label by assistive technology only ("AWS request template for "), so each
    /// editor has its own name while the visible label stays the media type.
    #[prop_or_default]
    pub context: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
}

/// One diagnostic, reduced to what the editor shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub error: bool,
}

pub fn diagnostics(src: &str) -> Vec<Mark> {
    vtl::Template::parse(src)
        .diagnostics()
        .iter()
        .take(50)
        .map(|d| Mark {
            line: d.span.line,
            column: d.span.column,
            message: d.message.clone(),
            error: d.severity == vtl::Severity::Error,
        })
        .collect()
}

/// The UTF-16 offset of 1-based (line, column) in `src` (columns count characters), for `setSelectionRange`.
pub fn utf16_offset(src: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0u32;
    for (i, l) in src.split('\n').enumerate() {
        if i as u32 + 1 == line {
            let col: u32 = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(|c| c.len_utf16() as u32)
                .sum();
            return offset + col;
        }
        offset += l.chars().map(|c| c.len_utf16() as u32).sum::<u32>() + 1;
    }
    offset.saturating_sub(1)
}

#[function_component(TemplateEditor)]
pub fn template_editor(p: &TemplateEditorProps) -> Html {
    let src = p.value.to_string();
    let marks = use_memo(src.clone(), |s| diagnostics(s));
    let area = use_node_ref();
    let gutter = use_node_ref();
    let line_count = src.split('\n').count().max(1);
    let rows = line_count.clamp(3, 18);
    let oninput = {
        let cb = p.on_change.clone();
        Callback::from(move |e: InputEvent| cb.emit(super::input_value(&e)))
    };
    // Keep the gutter aligned with the text when the textarea scrolls.
    let onscroll = {
        let (area, gutter) = (area.clone(), gutter.clone());
        Callback::from(move |_: Event| {
            if let (Some(a), Some(g)) = (
                area.cast::<web_sys::HtmlElement>(),
                gutter.cast::<web_sys::HtmlElement>(),
            ) {
                g.set_scroll_top(a.scroll_top());
            }
        })
    };
    let goto = |m: &Mark| {
        let (area, src, line, column) = (area.clone(), src.clone(), m.line, m.column);
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<web_sys::HtmlTextAreaElement>() {
                let at = utf16_offset(&src, line, column);
                let _ = a.focus();
                let _ = a.set_selection_range(at, at + 1);
            }
        })
    };
    let list_id = format!("{}-diagnostics", p.id);
    let has = !marks.is_empty();
    html! {
        <div class="field template-editor">
            <label for={p.id.clone()}><span class="sr-only">{ p.context.clone() }</span>{ p.label.clone() }</label>
            <div class={classes!("editor", has.then_some("has-diagnostics"))}>
                <div class="gutter" ref={gutter} aria-hidden="true">
                    { for (1..=line_count).map(|n| {
                        let here: Vec<&Mark> = marks.iter().filter(|m| m.line as usize == n).collect();
                        let title = here.iter().map(|m| format!("{}:{}: {}", m.line, m.column, m.message)).collect::<Vec<_>>().join("\n");
                        let class = if here.iter().any(|m| m.error) { "ln err" } else if !here.is_empty() { "ln warn" } else { "ln" };
                        html! { <div class={class} title={(!here.is_empty()).then_some(title)} data-line={n.to_string()}>{ n }</div> }
                    }) }
                </div>
                <textarea id={p.id.clone()} ref={area.clone()} class="code" rows={rows.to_string()} wrap="off" spellcheck="false"
                    autocomplete="off" value={p.value.clone()} aria-invalid={has.then_some("true")}
                    aria-describedby={has.then(|| list_id.clone())} data-testid="template-editor" {oninput} {onscroll} />
            </div>
            if has {
                <ul class="diagnostics" id={list_id} data-testid="diagnostics">
                    { for marks.iter().map(|m| html! {
                        <li class={if m.error { "err" } else { "warn" }}>
                            <button type="button" class="link" onclick={goto(m)} data-testid="diagnostic"
                                data-line={m.line.to_string()} data-column={m.column.to_string()}>
                                { format!("Line {}, column {}", m.line, m.column) }
                            </button>
                            { ": " }{ m.message.clone() }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_point_at_the_broken_line() {
        let marks = diagnostics("{\n  \"a\": 1,\n  #end\n}");
        assert!(!marks.is_empty(), "a stray #end is reported");
        assert_eq!((marks[0].line, marks[0].column), (3, 3), "{marks:?}");
        assert!(diagnostics("{\"ok\": \"$input.params('id')\"}").is_empty());
    }

    #[test]
    fn utf16_offsets_count_characters_and_surrogates() {
        let src = "ab\nc😀d\n";
        assert_eq!(utf16_offset(src, 1, 1), 0);
        assert_eq!(utf16_offset(src, 2, 1), 3);
        assert_eq!(utf16_offset(src, 2, 3), 6); // 'c' is 1 unit, the emoji 2
        assert_eq!(utf16_offset(src, 9, 1), 8);
    }
}
