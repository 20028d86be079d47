//! Runs the comparison and turns each column's result into the rows the grid shows.
//!
//! Pure (no browser access) so it is tested natively. The grid compares columns line by line:
//! a line that is not present, identically, in every shown column of the same row is a difference.

use crate::state::Column;
use serde_json::Value;

/// Lines per cell before the rest is summarized (keeps one render bounded whatever the backend returns).
pub const MAX_LINES: usize = 400;
/// Characters per displayed line before it is cut (a 10 MB body must not become one DOM text node).
pub const MAX_LINE_CHARS: usize = 2000;

/// What one run produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `{"AWS": result, ...}`.
    Ran(serde_json::Map<String, Value>),
    /// The document was rejected: (field path, message).
    Invalid(Vec<(String, String)>),
}

/// An outcome shared by pointer: two renders of the same run compare equal without walking the results.
#[derive(Clone, Debug)]
pub struct Shared(pub std::rc::Rc<Outcome>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

pub fn run(doc: &Value) -> Outcome {
    match gateway::api::run_comparison_json(&doc.to_string()) {
        Ok(Value::Object(m)) => Outcome::Ran(m),
        Ok(other) => Outcome::Invalid(vec![(
            String::new(),
            format!("unexpected result shape: {}", short(&other.to_string())),
        )]),
        Err(errors) => Outcome::Invalid(errors.into_iter().map(|e| (e.path, e.message)).collect()),
    }
}

fn short(s: &str) -> String {
    s.chars().take(200).collect()
}

/// The stage rows, top to bottom. `trace` names what the gateway calls the stage (docs/scenario.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    MethodRequest,
    Validation,
    IntegrationRequest,
    Backend,
    IntegrationResponse,
    GatewayResponse,
    MethodResponse,
}

impl Row {
    pub const ALL: [Row; 7] = [
        Row::MethodRequest,
        Row::Validation,
        Row::IntegrationRequest,
        Row::Backend,
        Row::IntegrationResponse,
        Row::GatewayResponse,
        Row::MethodResponse,
    ];

    pub fn trace_name(self) -> &'static str {
        match self {
            Row::MethodRequest => "methodRequest",
            Row::Validation => "validation",
            Row::IntegrationRequest => "integrationRequest",
            Row::Backend => "backend",
            Row::IntegrationResponse => "integrationResponse",
            Row::GatewayResponse => "gatewayResponse",
            Row::MethodResponse => "methodResponse",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Row::MethodRequest => "Method request (after the endpoint)",
            Row::Validation => "Request validation",
            Row::IntegrationRequest => "Integration request",
            Row::Backend => "Backend received / returned",
            Row::IntegrationResponse => "Integration response",
            Row::GatewayResponse => "Gateway response",
            Row::MethodResponse => "Method response (to the client)",
        }
    }

    /// Rows shown only when some column has them.
    pub fn optional(self) -> bool {
        matches!(self, Row::Validation | Row::GatewayResponse)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A `key:` heading for a nested value.
    Key,
    /// `key: value`.
    Field,
    /// A line of a body.
    Body,
    /// The selection pattern and the string it matched.
    Match,
    /// A "why" note from the trace.
    Note,
    /// Something went wrong at this stage.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Identity for comparison across columns (full path and value).
    pub key: String,
    /// What is shown (indentation is applied from `depth`).
    pub text: String,
    pub depth: usize,
    pub kind: Kind,
    /// Filled by [`mark_differences`].
    pub differs: bool,
}

impl Line {
    fn new(key: String, text: String, depth: usize, kind: Kind) -> Line {
        Line {
            key,
            text: cut(&text),
            depth,
            kind,
            differs: false,
        }
    }
}

fn cut(s: &str) -> String {
    if s.len() <= MAX_LINE_CHARS {
        return s.to_string();
    }
    let mut t: String = s.chars().take(MAX_LINE_CHARS).collect();
    t.push_str(" … [cut]");
    t
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Cell {
    pub lines: Vec<Line>,
    /// Lines left out beyond [`MAX_LINES`].
    pub omitted: usize,
}

impl Cell {
    fn push(&mut self, line: Line) {
        if self.lines.len() < MAX_LINES {
            self.lines.push(line);
        } else {
            self.omitted += 1;
        }
    }
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Consecutive lines of a cell that are drawn alike (same kind, depth and difference mark), as one block.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub kind: Kind,
    pub depth: usize,
    pub differs: bool,
    /// The lines, joined by `\n` (the block keeps them apart with `white-space: pre-wrap`).
    pub text: String,
}

/// Groups a cell's lines into [`Run`]s. The page draws one element per run instead of one per line: a
/// pets-get grid has ~550 lines but ~190 runs, and creating DOM elements through the wasm boundary is
/// most of the first render's cost (docs/playground.md, "Performance"). What is shown is unchanged:
/// indentation is per run, and every line of a run has the same color and difference mark.
pub fn runs(lines: &[Line]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(r) if r.kind == l.kind && r.depth == l.depth && r.differs == l.differs => {
                r.text.push('\n');
                r.text.push_str(&l.text);
            }
            _ => out.push(Run {
                kind: l.kind,
                depth: l.depth,
                differs: l.differs,
                text: l.text.clone(),
            }),
        }
    }
    out
}

/// One column of the grid, derived from one result.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnView {
    pub column: Column,
    pub status: Option<i64>,
    pub cells: Vec<(Row, Cell)>,
    /// Shared so the log view's props compare without copying.
    pub log: std::rc::Rc<Vec<String>>,
}

impl ColumnView {
    pub fn cell(&self, row: Row) -> Option<&Cell> {
        self.cells.iter().find(|(r, _)| *r == row).map(|(_, c)| c)
    }
}

fn stage<'a>(result: &'a Value, name: &str) -> Option<&'a Value> {
    result
        .get("trace")?
        .get("stages")?
        .as_array()?
        .iter()
        .find(|s| s.get("stage").and_then(Value::as_str) == Some(name))
}

fn notes(cell: &mut Cell, st: Option<&Value>, prefix: &str) {
    if let Some(list) = st.and_then(|s| s.get("notes")).and_then(Value::as_array) {
        for (i, n) in list.iter().enumerate() {
            let text = n
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| n.to_string());
            cell.push(Line::new(
                format!("{prefix}#note{i}={text}"),
                text,
                0,
                Kind::Note,
            ));
        }
    }
}

/// The `label:` line that opens a nested object or list (when it has a label), and the depth of its children.
fn heading(cell: &mut Cell, path: &str, label: Option<&str>, depth: usize) -> usize {
    match label {
        Some(l) => {
            cell.push(Line::new(
                format!("{path}:"),
                format!("{l}:"),
                depth,
                Kind::Key,
            ));
            depth + 1
        }
        None => depth,
    }
}

/// Flattens a JSON value into indented lines; strings that hold JSON are left as strings (that is what was sent).
pub fn flatten(cell: &mut Cell, v: &Value, path: &str, label: Option<&str>, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let d = heading(cell, path, label, depth);
            for (k, val) in m {
                flatten(cell, val, &format!("{path}.{k}"), Some(k), d);
            }
        }
        // The trace writes ordered headers and parameters as [name, value] pairs: show them as `name: value`.
        Value::Array(list) if !list.is_empty() && list.iter().all(is_pair) => {
            let d = heading(cell, path, label, depth);
            for pair in list {
                let (name, value) = (scalar(&pair[0]), scalar(&pair[1]));
                cell.push(Line::new(
                    format!("{path}.{name}={value}"),
                    format!("{name}: {value}"),
                    d,
                    Kind::Field,
                ));
            }
        }
        Value::Array(list)
            if !list.is_empty() && list.iter().any(|x| x.is_object() || x.is_array()) =>
        {
            let d = heading(cell, path, label, depth);
            for (i, val) in list.iter().enumerate() {
                flatten(
                    cell,
                    val,
                    &format!("{path}[{i}]"),
                    Some(&format!("[{i}]")),
                    d,
                );
            }
        }
        other => {
            let shown = match other {
                Value::String(s) => format!("\"{s}\""),
                Value::Array(list) => {
                    let parts: Vec<String> = list
                        .iter()
                        .map(|x| {
                            x.as_str()
                                .map(|s| format!("\"{s}\""))
                                .unwrap_or_else(|| x.to_string())
                        })
                        .collect();
                    format!("[{}]", parts.join(", "))
                }
                x => x.to_string(),
            };
            let text = match label {
                Some(l) => format!("{l}: {shown}"),
                None => shown.clone(),
            };
            cell.push(Line::new(
                format!("{path}={}", other),
                text,
                depth,
                Kind::Field,
            ));
        }
    }
}

fn is_pair(v: &Value) -> bool {
    matches!(v, Value::Array(p) if p.len() == 2 && p[0].is_string() && !p[1].is_object() && !p[1].is_array())
}

fn scalar(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

/// A body as lines: pretty JSON when it parses, else the text as is.
pub fn body_lines(cell: &mut Cell, body: &str, base64: bool, prefix: &str) {
    if base64 {
        cell.push(Line::new(
            format!("{prefix}base64"),
            "(base64-encoded body)".into(),
            0,
            Kind::Note,
        ));
    }
    let pretty = serde_json::from_str::<Value>(body)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
        .map(|v| crate::state::pretty_json(&v));
    let text = pretty.as_deref().unwrap_or(body);
    for (i, l) in text.lines().enumerate() {
        cell.push(Line::new(
            format!("{prefix}body{i}={l}"),
            l.to_string(),
            0,
            Kind::Body,
        ));
    }
}

pub fn column_view(column: Column, result: &Value) -> ColumnView {
    let mut cells = Vec::new();
    for row in Row::ALL {
        let st = stage(result, row.trace_name());
        let mut cell = Cell::default();
        match row {
            Row::IntegrationRequest => {
                match result.get("integrationRequest") {
                    Some(Value::Null) | None => {}
                    Some(v) => flatten(&mut cell, v, "ir", None, 0),
                }
                if cell.is_empty() {
                    if let Some(out) = st.and_then(|s| s.get("output")) {
                        flatten(&mut cell, out, "ir", None, 0);
                    }
                }
            }
            Row::IntegrationResponse => {
                if let Some(ir) = result.get("integrationResponse").filter(|v| !v.is_null()) {
                    let text = |k: &str| {
                        ir.get(k).filter(|v| !v.is_null()).map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                    };
                    let key = text("key").unwrap_or_default();
                    let status = text("statusCode").unwrap_or_default();
                    cell.push(Line::new(
                        format!("sel.key={key}"),
                        format!("response {key} → status {status}"),
                        0,
                        Kind::Field,
                    ));
                    match text("selectionPattern").filter(|p| !p.is_empty()) {
                        Some(p) => cell.push(Line::new(
                            format!("sel.pattern={p}"),
                            format!("pattern: {p}"),
                            0,
                            Kind::Match,
                        )),
                        None => cell.push(Line::new(
                            "sel.default".into(),
                            "default response (no selectionPattern)".into(),
                            0,
                            Kind::Field,
                        )),
                    }
                    let has_pattern = ir
                        .get("selectionPattern")
                        .and_then(Value::as_str)
                        .is_some_and(|p| !p.is_empty());
                    if let Some(m) = ir.get("matched").filter(|v| !v.is_null() && has_pattern) {
                        let m = m
                            .as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| m.to_string());
                        cell.push(Line::new(
                            format!("sel.matched={m}"),
                            format!("matched: \"{m}\""),
                            0,
                            Kind::Match,
                        ));
                    }
                } else if let Some(out) = st.and_then(|s| s.get("output")) {
                    flatten(&mut cell, out, "irs", None, 0);
                }
            }
            Row::MethodResponse => {
                if let Some(code) = result.get("statusCode") {
                    cell.push(Line::new(
                        format!("mr.status={code}"),
                        format!("status: {code}"),
                        0,
                        Kind::Field,
                    ));
                }
                if let Some(Value::Object(h)) = result.get("headers") {
                    for (name, values) in h {
                        let list: Vec<String> = match values {
                            Value::Array(l) => l
                                .iter()
                                .map(|x| {
                                    x.as_str()
                                        .map(str::to_string)
                                        .unwrap_or_else(|| x.to_string())
                                })
                                .collect(),
                            x => vec![x
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| x.to_string())],
                        };
                        for v in list {
                            cell.push(Line::new(
                                format!("mr.h.{name}={v}"),
                                format!("{name}: {v}"),
                                0,
                                Kind::Field,
                            ));
                        }
                    }
                }
                if let Some(b) = result.get("body").and_then(Value::as_str) {
                    let b64 = result
                        .get("isBase64Encoded")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    body_lines(&mut cell, b, b64, "mr.");
                }
            }
            _ => {
                if let Some(s) = st {
                    if let Some(out) = s.get("output").filter(|v| !v.is_null()) {
                        flatten(&mut cell, out, row.trace_name(), None, 0);
                    } else if let Some(inp) = s.get("input").filter(|v| !v.is_null()) {
                        flatten(&mut cell, inp, row.trace_name(), None, 0);
                    }
                }
            }
        }
        if let Some(err) = st.and_then(|s| s.get("error")).filter(|v| !v.is_null()) {
            let text = err
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| err.to_string());
            cell.push(Line::new(format!("err={text}"), text, 0, Kind::Error));
        }
        notes(&mut cell, st, row.trace_name());
        if !row.optional() || !cell.is_empty() {
            cells.push((row, cell));
        }
    }
    let log: Vec<String> = result
        .get("log")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    ColumnView {
        column,
        status: result.get("statusCode").and_then(Value::as_i64),
        cells,
        log: std::rc::Rc::new(log),
    }
}

/// Marks each line that is not present, identically, in every given column's cell of the same row.
/// With one column there is nothing to compare, so nothing is marked.
pub fn mark_differences(views: &mut [ColumnView]) {
    if views.len() < 2 {
        return;
    }
    for row in Row::ALL {
        // Borrowed keys (no copy of every line's key), then the marks are set in a second pass.
        let differs: Vec<Vec<bool>> = {
            // A map with unused values rather than a `HashSet<&str>`: the gateway's
            // `javafmt` uses this map type, so the page links one hash table instead of two
            // (docs/size.md, fourth round).
            let keys: Vec<std::collections::HashMap<&str, usize>> = views
                .iter()
                .map(|v| {
                    v.cell(row)
                        .map(|c| c.lines.iter().map(|l| (l.key.as_str(), 0)).collect())
                        .unwrap_or_default()
                })
                .collect();
            views
                .iter()
                .map(|v| {
                    v.cell(row)
                        .map(|c| {
                            c.lines
                                .iter()
                                .map(|l| {
                                    l.kind != Kind::Note
                                        && !keys.iter().all(|k| k.contains_key(l.key.as_str()))
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        };
        for (view, marks) in views.iter_mut().zip(differs) {
            if let Some((_, cell)) = view.cells.iter_mut().find(|(r, _)| *r == row) {
                for (line, d) in cell.lines.iter_mut().zip(marks) {
                    line.differs = d;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn result(status: i64, body: &str) -> Value {
        json!({
            "statusCode": status,
            "headers": {"Content-Type": ["application/json"], "X-Multi": ["a", "b"]},
            "body": body,
            "isBase64Encoded": false,
            "integrationRequest": {"lambda": {"payload": {"id": "1"}, "invocationType": "RequestResponse"}},
            "integrationResponse": {"key": "400", "statusCode": "400", "selectionPattern": "Malformed.*", "matched": "Malformed input"},
            "log": ["line 1", "line 2"],
            "trace": {"stages": [
                {"stage": "methodRequest", "input": {}, "output": {"headers": {"Host": "x"}}, "notes": ["edge canonicalized Accept"]},
                {"stage": "integrationResponse", "input": {}, "output": {}, "notes": ["selectionPattern 'Malformed.*' matched"]}
            ]}
        })
    }

    #[test]
    fn column_view_has_every_stage_row_and_the_match() {
        let v = column_view(Column::Aws, &result(400, "{\"a\":1}"));
        assert_eq!(v.status, Some(400));
        let rows: Vec<Row> = v.cells.iter().map(|(r, _)| *r).collect();
        assert_eq!(
            rows,
            vec![
                Row::MethodRequest,
                Row::IntegrationRequest,
                Row::Backend,
                Row::IntegrationResponse,
                Row::MethodResponse
            ]
        );
        let ir = v.cell(Row::IntegrationResponse).unwrap();
        assert!(ir
            .lines
            .iter()
            .any(|l| l.kind == Kind::Match && l.text == "pattern: Malformed.*"));
        assert!(ir
            .lines
            .iter()
            .any(|l| l.kind == Kind::Match && l.text == "matched: \"Malformed input\""));
        let mr = v.cell(Row::MethodResponse).unwrap();
        let texts: Vec<&str> = mr.lines.iter().map(|l| l.text.as_str()).collect();
        assert!(texts.contains(&"X-Multi: a") && texts.contains(&"X-Multi: b"));
        assert!(texts.contains(&"  \"a\": 1"), "{texts:?}");
        assert_eq!(v.log.len(), 2);
        let mreq = v.cell(Row::MethodRequest).unwrap();
        assert!(mreq.lines.iter().any(|l| l.kind == Kind::Note));
    }

    #[test]
    fn differences_are_marked_per_line() {
        let mut views = vec![
            column_view(Column::Aws, &result(400, "x")),
            column_view(Column::Mock, &result(200, "x")),
        ];
        mark_differences(&mut views);
        let mr = views[0].cell(Row::MethodResponse).unwrap();
        let status = mr
            .lines
            .iter()
            .find(|l| l.text.starts_with("status"))
            .unwrap();
        assert!(status.differs);
        let ct = mr
            .lines
            .iter()
            .find(|l| l.text.starts_with("Content-Type"))
            .unwrap();
        assert!(!ct.differs);
    }

    #[test]
    fn a_null_selection_pattern_is_the_default_response() {
        let mut r = result(200, "x");
        r["integrationResponse"] =
            json!({"key": "200", "statusCode": "200", "selectionPattern": null, "matched": ""});
        let v = column_view(Column::Aws, &r);
        let t: Vec<&str> = v
            .cell(Row::IntegrationResponse)
            .unwrap()
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        assert!(
            t.contains(&"default response (no selectionPattern)"),
            "{t:?}"
        );
        assert!(
            !t.iter()
                .any(|l| l.contains("null") || l.starts_with("matched")),
            "{t:?}"
        );
    }

    #[test]
    fn runs_group_alike_neighbours_and_keep_every_line() {
        let line = |text: &str, depth, kind, differs| Line {
            key: text.into(),
            text: text.into(),
            depth,
            kind,
            differs,
        };
        let lines = vec![
            line("headers:", 0, Kind::Key, false),
            line("A: 1", 1, Kind::Field, false),
            line("B: 2", 1, Kind::Field, false),
            line("C: 3", 1, Kind::Field, true),
            line("{", 0, Kind::Body, true),
            line("}", 0, Kind::Body, true),
            line("D: 4", 1, Kind::Field, true),
        ];
        let r = runs(&lines);
        let shown: Vec<(&str, usize, bool)> = r
            .iter()
            .map(|r| (r.text.as_str(), r.depth, r.differs))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("headers:", 0, false),
                ("A: 1\nB: 2", 1, false),
                ("C: 3", 1, true),
                ("{\n}", 0, true),
                ("D: 4", 1, true),
            ]
        );
        // Nothing is lost or reordered.
        let joined: Vec<String> = r.iter().map(|r| r.text.clone()).collect();
        let original: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined.join("\n"), original.join("\n"));
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn a_single_column_marks_nothing() {
        let mut views = vec![column_view(Column::Aws, &result(400, "x"))];
        mark_differences(&mut views);
        assert!(views[0]
            .cells
            .iter()
            .all(|(_, c)| c.lines.iter().all(|l| !l.differs)));
    }

    #[test]
    fn huge_bodies_are_bounded() {
        let body = "x\n".repeat(MAX_LINES * 3);
        let v = column_view(Column::Http, &result(200, &body));
        let mr = v.cell(Row::MethodResponse).unwrap();
        assert_eq!(mr.lines.len(), MAX_LINES);
        assert!(mr.omitted > 0);
        let long = "y".repeat(MAX_LINE_CHARS * 2);
        let v = column_view(Column::Http, &result(200, &long));
        assert!(v
            .cell(Row::MethodResponse)
            .unwrap()
            .lines
            .iter()
            .all(|l| l.text.chars().count() <= MAX_LINE_CHARS + 10));
    }

    #[test]
    fn header_pairs_render_as_name_value_lines() {
        let mut c = Cell::default();
        flatten(
            &mut c,
            &json!({"headers": [["Accept", "a"], ["X", "1"], ["X", "2"]]}),
            "p",
            None,
            0,
        );
        let t: Vec<&str> = c.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(t, vec!["headers:", "Accept: a", "X: 1", "X: 2"]);
    }

    #[test]
    fn odd_results_do_not_panic() {
        for r in [
            json!(null),
            json!([]),
            json!({"trace": 5, "headers": "x", "integrationResponse": 3}),
            json!({"trace": {"stages": [1, "x"]}}),
        ] {
            let _ = column_view(Column::Mock, &r);
        }
    }
}

#[cfg(test)]
mod preset_runs {
    use super::*;

    /// Every preset is a valid comparison document and yields all five columns.
    #[test]
    fn every_preset_runs_through_all_five_types() {
        for p in crate::presets::all() {
            match run(&p.doc) {
                Outcome::Ran(m) => {
                    for c in Column::ALL {
                        assert!(m.contains_key(c.key()), "{}: no {} result", p.name, c.key());
                    }
                }
                Outcome::Invalid(e) => panic!("{}: {e:?}", p.name),
            }
        }
    }
}

#[cfg(test)]
mod preset_expectations {
    use super::*;

    fn results(name: &str) -> serde_json::Map<String, Value> {
        let p = crate::presets::find(name).expect("preset exists");
        match run(&p.doc) {
            Outcome::Ran(m) => m,
            Outcome::Invalid(e) => panic!("{name}: {e:?}"),
        }
    }

    fn status(m: &serde_json::Map<String, Value>, col: &str) -> i64 {
        m[col]["statusCode"].as_i64().unwrap_or(-1)
    }

    /// A column that answers an error is something the reader will ask about: the preset's two or
    /// three sentences name it (binary-response once showed two unexplained 500s).
    #[test]
    fn every_column_that_answers_an_error_is_named_in_its_preset_description() {
        let named = |text: &str, key: &str| {
            text.match_indices(key).any(|(i, _)| {
                let next = text[i + key.len()..].chars().next();
                let prev = text[..i].chars().next_back();
                !matches!(next, Some(c) if c == '_' || c.is_ascii_alphanumeric())
                    && !matches!(prev, Some(c) if c == '_' || c.is_ascii_alphanumeric())
            })
        };
        for p in crate::presets::all() {
            let m = results(&p.name);
            for c in Column::ALL {
                let s = status(&m, c.key());
                assert!(
                    s < 400 || named(&p.description, c.key()),
                    "{}: {} answers {s}, which the description does not mention: {}",
                    p.name,
                    c.key(),
                    p.description
                );
            }
        }
    }

    /// Each preset demonstrates one behavior; if the simulation stops showing it, the preset's text is wrong.
    #[test]
    fn presets_show_what_their_descriptions_promise() {
        // spec §4.2: `Malformed.*` matches the whole errorMessage and selects 400.
        assert_eq!(status(&results("lambda-error-regex"), "AWS"), 400);
        // spec §3.2: body not a string is malformed.
        assert_eq!(status(&results("proxy-malformed-502"), "AWS_PROXY"), 502);
        // spec §4.1: NEVER with no template for text/plain → 415; WHEN_NO_MATCH passes through.
        let m = results("passthrough-415");
        assert_eq!(
            (status(&m, "AWS"), status(&m, "MOCK"), status(&m, "HTTP")),
            (415, 415, 200)
        );
        // spec §6: the mock template's statusCode selects the 404 response.
        assert_eq!(status(&results("mock"), "MOCK"), 404);
        // spec §5.2/§5.3: HTTP custom selects the default 200, HTTP_PROXY passes 404 through.
        let m = results("http-vs-http-proxy");
        assert_eq!((status(&m, "HTTP"), status(&m, "HTTP_PROXY")), (200, 404));
        // spec §4.2: the custom error JSON is matched and unpacked.
        let m = results("lambda-custom-error-parsejson");
        assert_eq!(status(&m, "AWS"), 404);
        assert!(
            m["AWS"]["body"].as_str().unwrap_or("").contains("NotFound"),
            "{}",
            m["AWS"]["body"]
        );
        // spec §4.4: async invocation.
        let m = results("lambda-async");
        assert_eq!(
            m["AWS"]["integrationRequest"]["lambda"]["invocationType"],
            "Event"
        );
        // spec §3.3: proxy headers reach the client.
        let m = results("proxy-event-cors");
        assert!(m["AWS_PROXY"]["headers"]
            .get("Access-Control-Allow-Origin")
            .is_some());
        // spec §11.2: a binary Accept with text from a non-proxy integration and no contentHandling
        // means "base64-decode it"; JSON text does not decode, so AWS and MOCK answer 500.
        let m = results("binary-response");
        assert_eq!(
            (status(&m, "AWS"), status(&m, "MOCK")),
            (500, 500),
            "the binary-response description explains these 500s"
        );
        assert_eq!(status(&m, "AWS_PROXY"), 200);
        assert_eq!(m["AWS_PROXY"]["isBase64Encoded"], true);
        // spec §2.3: greedy path with ANY routes a DELETE.
        let m = results("greedy-proxy-any");
        for c in Column::ALL {
            assert_eq!(status(&m, c.key()), 200, "{}", c.key());
        }
        // Presets that only look at headers must not show failures elsewhere.
        for name in ["pets-get", "endpoint-headers", "cookie-sorting"] {
            let m = results(name);
            for c in Column::ALL {
                assert_eq!(status(&m, c.key()), 200, "{name} {}", c.key());
            }
        }
    }
}
