//! The whole playground state and the one pure function that changes it.
//!
//! The comparison document (docs/scenario.md §3) is kept as JSON rather than typed structs: the
//! gateway crate owns the model and its validation, and the playground must be able to show (and
//! let the user fix) documents the model rejects. Every edit is a [`Action`] applied by [`reduce`].

use serde_json::{Map, Value};
use std::rc::Rc;

/// The five integration types, in the order the columns are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Aws,
    AwsProxy,
    Http,
    HttpProxy,
    Mock,
}

impl Column {
    pub const ALL: [Column; 5] = [
        Column::Aws,
        Column::AwsProxy,
        Column::Http,
        Column::HttpProxy,
        Column::Mock,
    ];

    /// The key used in the comparison document and its result (`"AWS_PROXY"`).
    pub fn key(self) -> &'static str {
        match self {
            Column::Aws => "AWS",
            Column::AwsProxy => "AWS_PROXY",
            Column::Http => "HTTP",
            Column::HttpProxy => "HTTP_PROXY",
            Column::Mock => "MOCK",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL
            .into_iter()
            .find(|c| c.key().eq_ignore_ascii_case(key.trim()))
    }

    /// A short human description for headings.
    pub fn blurb(self) -> &'static str {
        match self {
            Column::Aws => "Lambda, custom (non-proxy)",
            Column::AwsProxy => "Lambda proxy",
            Column::Http => "HTTP, custom",
            Column::HttpProxy => "HTTP proxy",
            Column::Mock => "Mock",
        }
    }

    pub fn is_proxy(self) -> bool {
        matches!(self, Column::AwsProxy | Column::HttpProxy)
    }

    pub fn is_lambda(self) -> bool {
        matches!(self, Column::Aws | Column::AwsProxy)
    }
}

/// A location in the document: object keys from the root (`["request", "path"]`).
pub type Path = Vec<String>;

pub fn path(parts: &[&str]) -> Path {
    parts.iter().map(|s| s.to_string()).collect()
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The comparison document, shared cheaply with components.
    pub doc: Rc<Value>,
    /// Bumped on every document change; effects key on it.
    pub rev: u64,
    /// The preset the document came from (kept while the user edits, for the gallery and embeds).
    pub preset: Option<String>,
    /// Columns the user hid.
    pub hidden: Vec<Column>,
    /// A single column shown alone, if any.
    pub focus: Option<Column>,
    /// Which integration's settings the editor shows.
    pub tab: Column,
    /// Iframe embed: minimal chrome.
    pub embed: bool,
    /// A message for the user (e.g. a link could not be read).
    pub notice: Option<String>,
}

impl State {
    pub fn new(doc: Value, preset: Option<String>) -> State {
        State {
            doc: Rc::new(doc),
            rev: 0,
            preset,
            hidden: Vec::new(),
            focus: None,
            tab: Column::Aws,
            embed: false,
            notice: None,
        }
    }

    /// The columns to draw, in order: the focused one alone, else all not hidden and present in the document.
    pub fn visible_columns(&self) -> Vec<Column> {
        if let Some(c) = self.focus {
            return vec![c];
        }
        Column::ALL
            .into_iter()
            .filter(|c| !self.hidden.contains(c))
            .filter(|c| {
                self.doc
                    .get("integrations")
                    .and_then(|i| i.get(c.key()))
                    .is_some()
            })
            .collect()
    }

    pub fn get(&self, p: &[&str]) -> Option<&Value> {
        get(&self.doc, p)
    }

    pub fn get_str(&self, p: &[&str]) -> String {
        match self.get(p) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Set the value at a path, creating objects on the way.
    Set(Path, Value),
    /// Remove the value at a path (no-op when absent).
    Remove(Path),
    /// Replace the whole document (JSON editor, preset).
    ReplaceDoc(Value, Option<String>),
    ToggleColumn(Column),
    Focus(Option<Column>),
    SelectTab(Column),
    /// Replace everything (a link was opened).
    Restore(Box<State>),
    Notice(Option<String>),
}

/// The reducer: pure, total, no browser access.
pub fn reduce(state: &State, action: Action) -> State {
    let mut next = state.clone();
    match action {
        Action::Set(p, v) => {
            let mut doc = (*state.doc).clone();
            set(&mut doc, &p, v);
            next.doc = Rc::new(doc);
            next.rev += 1;
        }
        Action::Remove(p) => {
            let mut doc = (*state.doc).clone();
            if remove(&mut doc, &p) {
                next.doc = Rc::new(doc);
                next.rev += 1;
            }
        }
        Action::ReplaceDoc(doc, preset) => {
            next.doc = Rc::new(doc);
            next.preset = preset;
            next.rev += 1;
            next.focus = None;
        }
        Action::ToggleColumn(c) => {
            if let Some(i) = next.hidden.iter().position(|h| *h == c) {
                next.hidden.remove(i);
            } else {
                next.hidden.push(c);
                next.hidden.sort();
            }
            if next.focus == Some(c) {
                next.focus = None;
            }
        }
        Action::Focus(c) => next.focus = c,
        Action::SelectTab(c) => next.tab = c,
        Action::Restore(s) => {
            let rev = state.rev + 1;
            next = *s;
            next.rev = rev;
        }
        Action::Notice(n) => next.notice = n,
    }
    next
}

pub fn get<'a>(doc: &'a Value, p: &[&str]) -> Option<&'a Value> {
    let mut cur = doc;
    for k in p {
        cur = cur.as_object()?.get(*k)?;
    }
    Some(cur)
}

/// Sets `v` at `p`, replacing non-objects on the way by objects (the user asked for this field to exist).
pub fn set(doc: &mut Value, p: &[String], v: Value) {
    let Some((last, parents)) = p.split_last() else {
        *doc = v;
        return;
    };
    let mut cur = doc;
    for k in parents {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Value::Object(m) = cur else { return };
        cur = m
            .entry(k.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    if let Value::Object(m) = cur {
        m.insert(last.clone(), v);
    }
}

/// Removes the value at `p`; returns whether something was removed.
pub fn remove(doc: &mut Value, p: &[String]) -> bool {
    let Some((last, parents)) = p.split_last() else {
        return false;
    };
    let mut cur = doc;
    for k in parents {
        match cur.as_object_mut().and_then(|m| m.get_mut(k)) {
            Some(next) => cur = next,
            None => return false,
        }
    }
    cur.as_object_mut()
        .map(|m| m.shift_remove(last).is_some())
        .unwrap_or(false)
}

/// Headers as editable text: one `Name: value` line per value, repeated names allowed, order kept.
pub fn headers_to_text(v: Option<&Value>) -> String {
    let mut out = String::new();
    if let Some(Value::Object(m)) = v {
        for (name, values) in m {
            match values {
                Value::Array(list) => {
                    for item in list {
                        out.push_str(&format!("{name}: {}\n", scalar_text(item)));
                    }
                }
                other => out.push_str(&format!("{name}: {}\n", scalar_text(other))),
            }
        }
    }
    out
}

/// Parses `Name: value` lines into `{name: [values]}`, grouping repeated names under the first spelling seen.
/// Lines without a colon are ignored (the user is still typing).
pub fn text_to_headers(text: &str) -> Value {
    let mut m = Map::new();
    for line in text.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let entry = m
            .entry(name.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::String(value.trim_start().to_string()));
        }
    }
    Value::Object(m)
}

/// A flat string map as `key = value` lines (stage variables, parameter mappings).
pub fn map_to_text(v: Option<&Value>, sep: &str) -> String {
    let mut out = String::new();
    if let Some(Value::Object(m)) = v {
        for (k, val) in m {
            out.push_str(&format!("{k}{sep}{}\n", scalar_text(val)));
        }
    }
    out
}

/// Parses `key = value` lines into an object of strings (last one wins, as a JSON object must).
pub fn text_to_map(text: &str) -> Value {
    let mut m = Map::new();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let k = k.trim();
        if k.is_empty() {
            continue;
        }
        m.insert(k.to_string(), Value::String(v.trim().to_string()));
    }
    Value::Object(m)
}

/// JSON text with two-space indentation: `serde_json::to_string_pretty`'s output, through
/// `Value`'s alternate `Display` (`{:#}`). The page links that `Display` anyway (every
/// `Value::to_string`), while `to_string_pretty` instantiated serde_json's whole serializer a
/// further time for its `Vec<u8>` writer (docs/size.md, fourth round). Twin test:
/// `tests::pretty_json_equals_to_string_pretty`.
pub fn pretty_json(v: &Value) -> String {
    format!("{v:#}")
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The value of the first header named `name` (case-insensitive), for the Content-Type / Accept fields.
pub fn header_value(headers: Option<&Value>, name: &str) -> String {
    let Some(Value::Object(m)) = headers else {
        return String::new();
    };
    for (k, v) in m {
        if k.eq_ignore_ascii_case(name) {
            return match v {
                Value::Array(list) => list.first().map(scalar_text).unwrap_or_default(),
                other => scalar_text(other),
            };
        }
    }
    String::new()
}

/// Sets (or with an empty value removes) the header `name`, keeping the client's spelling of an existing name.
pub fn with_header(headers: Option<&Value>, name: &str, value: &str) -> Value {
    let mut m = match headers {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let existing = m.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned();
    let key = existing.unwrap_or_else(|| name.to_string());
    if value.is_empty() {
        m.shift_remove(&key);
    } else {
        m.insert(key, Value::Array(vec![Value::String(value.to_string())]));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state() -> State {
        State::new(
            json!({"request": {"path": "/dev/a"}, "integrations": {"AWS": {}, "MOCK": {}}}),
            None,
        )
    }

    #[test]
    fn set_creates_missing_objects_and_bumps_revision() {
        let s = reduce(
            &state(),
            Action::Set(path(&["stage", "variables", "x"]), json!("1")),
        );
        assert_eq!(s.get(&["stage", "variables", "x"]), Some(&json!("1")));
        assert_eq!(s.rev, 1);
    }

    #[test]
    fn set_replaces_a_scalar_on_the_way_instead_of_panicking() {
        let s = reduce(
            &state(),
            Action::Set(path(&["request", "path", "deeper"]), json!(1)),
        );
        assert_eq!(s.get(&["request", "path", "deeper"]), Some(&json!(1)));
    }

    #[test]
    fn remove_absent_is_a_no_op() {
        let s = reduce(&state(), Action::Remove(path(&["nope", "x"])));
        assert_eq!(s.rev, 0);
    }

    #[test]
    fn visible_columns_follow_hide_focus_and_document() {
        let s = state();
        assert_eq!(s.visible_columns(), vec![Column::Aws, Column::Mock]);
        let s = reduce(&s, Action::ToggleColumn(Column::Aws));
        assert_eq!(s.visible_columns(), vec![Column::Mock]);
        let s = reduce(&s, Action::Focus(Some(Column::Http)));
        assert_eq!(s.visible_columns(), vec![Column::Http]);
        let s = reduce(&s, Action::ToggleColumn(Column::Aws));
        assert_eq!(s.hidden, vec![]);
    }

    #[test]
    fn headers_text_round_trips_repeated_names_in_order() {
        let v = text_to_headers("Accept: a\nX-Multi: 1\nX-Multi: 2\nno colon\n: empty\n");
        assert_eq!(v, json!({"Accept": ["a"], "X-Multi": ["1", "2"]}));
        assert_eq!(
            headers_to_text(Some(&v)),
            "Accept: a\nX-Multi: 1\nX-Multi: 2\n"
        );
    }

    #[test]
    fn header_value_value_with_colons_is_kept_whole() {
        let v = text_to_headers("Referer: https://x.example/a:b");
        assert_eq!(header_value(Some(&v), "referer"), "https://x.example/a:b");
    }

    #[test]
    fn with_header_keeps_client_spelling_and_removes_on_empty() {
        let h = json!({"accept": ["x"], "B": ["y"]});
        assert_eq!(
            with_header(Some(&h), "Accept", "z"),
            json!({"accept": ["z"], "B": ["y"]})
        );
        assert_eq!(with_header(Some(&h), "Accept", ""), json!({"B": ["y"]}));
    }

    #[test]
    fn pretty_json_equals_to_string_pretty() {
        for v in [
            json!(null),
            json!(1.5),
            json!("a\"b\\c\n\u{1}é😀"),
            json!([]),
            json!({}),
            json!([1, [2, {}], {"x": []}]),
            json!({"b": 1, "a": {"c": [true, false, null], "d": "<script>"}, "e": -0.0, "f": 1e300}),
        ] {
            assert_eq!(pretty_json(&v), serde_json::to_string_pretty(&v).unwrap());
        }
    }

    #[test]
    fn map_text_round_trips() {
        let v = text_to_map("a = 1\nb=x=y\n");
        assert_eq!(v, json!({"a": "1", "b": "x=y"}));
        assert_eq!(map_to_text(Some(&v), " = "), "a = 1\nb = x=y\n");
    }
}
