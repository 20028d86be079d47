//! Field paths for `serde_json` errors, recovered from the error's position.
//!
//! A path-tracking deserializer (`serde_path_to_error`) wraps the visitor of every deserialized
//! type; for the scenario types that was ~300 KB of wasm code, a fifth of the browser build.
//! `serde_json` already reports where an error happened (line and byte column, i.e. the bytes
//! consumed so far), so the path (`resources[0].resourceMethods.GET.integration.type`, in
//! `serde_path_to_error`'s format) is recovered here by scanning the JSON text up to that point:
//! one small non-generic function instead of a copy of every visitor.

/// Byte offset of `serde_json`'s (line, column) position: `column` counts the bytes consumed on
/// that (1-based) line.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut remaining = line.saturating_sub(1);
    while remaining > 0 {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
        remaining -= 1;
    }
    (start + column).min(text.len())
}

/// One open container while scanning.
struct Frame {
    /// Object: the member key once read; array: unused.
    key: Option<String>,
    /// Array: index of the current element.
    index: usize,
    is_object: bool,
    /// A member key (object) or an element (array) has started and its separator has not been
    /// read yet: the frame contributes a path segment.
    active: bool,
}

/// The field path of the value at the error `err` in `text`, in `serde_path_to_error`'s format
/// without the root marker (`""` for the document itself, `a.b[2].c`).
pub fn error_path(text: &str, err: &serde_json::Error) -> String {
    if err.line() == 0 {
        return String::new();
    }
    let at = offset_of(text, err.line(), err.column());
    // serde_json reports a container's own errors ("missing field", "invalid length") after
    // consuming its closing bracket, so the scan has already closed it: the path names the
    // container, as serde_path_to_error's did.
    let frames = scan(text, at);
    let mut path = String::new();
    for f in &frames {
        if !f.active {
            break;
        }
        if f.is_object {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(f.key.as_deref().unwrap_or("?"));
        } else {
            path.push_str(&format!("[{}]", f.index));
        }
    }
    path
}

/// The error message without `serde_json`'s " at line L column C" suffix (for documents that
/// were re-serialized, whose positions mean nothing to the user).
pub fn message_without_position(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match msg.strip_suffix(&suffix) {
        Some(m) => m.to_string(),
        None => msg,
    }
}

/// Scans the tokens that start before byte `end` and returns the open containers. Linear in
/// the input, no recursion (the nesting is a vector), never panics on malformed JSON.
fn scan(text: &str, end: usize) -> Vec<Frame> {
    let b = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    // A value starts: inside an array it opens a new element.
    fn value_starts(frames: &mut [Frame]) {
        if let Some(top) = frames.last_mut() {
            if !top.is_object {
                top.active = true;
            }
        }
    }
    while i < b.len() && i < end {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
            b'{' | b'[' => {
                value_starts(&mut frames);
                frames.push(Frame {
                    key: None,
                    index: 0,
                    is_object: b[i] == b'{',
                    active: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                i += 1;
            }
            b',' => {
                if let Some(top) = frames.last_mut() {
                    if top.is_object {
                        top.key = None;
                    } else {
                        top.index += 1;
                    }
                    top.active = false;
                }
                i += 1;
            }
            b'"' => {
                let (s, next) = string_at(text, i + 1);
                i = next;
                match frames.last_mut() {
                    Some(top) if top.is_object && !top.active => {
                        top.key = Some(s);
                        top.active = true;
                    }
                    _ => value_starts(&mut frames),
                }
            }
            _ => {
                // Number or literal: up to the next delimiter.
                value_starts(&mut frames);
                while i < b.len() && !b" \t\n\r,:]}[{\"".contains(&b[i]) {
                    i += 1;
                }
                if i < b.len() && b[i] == b'"' {
                    i += 1; // malformed (`1"`): step over so the scan always advances
                }
            }
        }
    }
    frames
}

/// Decodes the JSON string whose content starts at byte `start` (after the opening quote);
/// returns it and the offset after the closing quote (or the end of the text).
fn string_at(text: &str, start: usize) -> (String, usize) {
    let mut out = String::new();
    let mut chars = text[start..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return (out, start + k + 1),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'f')) => out.push('\u{c}'),
                Some((_, 'u')) => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    let unit = u32::from_str_radix(&hex, 16).ok();
                    out.push(unit.and_then(char::from_u32).unwrap_or('\u{FFFD}'));
                }
                Some((_, other)) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    (out, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
        n: Option<u32>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
        map: Option<std::collections::BTreeMap<String, Inner>>,
    }

    fn path_of(json: &str) -> String {
        let err = serde_json::from_str::<Outer>(json).unwrap_err();
        error_path(json, &err)
    }

    #[test]
    fn paths_match_serde_path_to_error_format() {
        assert_eq!(path_of(r#"{"items": [{"name": 1}]}"#), "items[0].name");
        assert_eq!(
            path_of("{\"items\": [{\"name\": \"a\"},\n {\"name\": \"b\", \"n\": \"x\"}]}"),
            "items[1].n"
        );
        assert_eq!(
            path_of(r#"{"items": [], "map": {"k.1": {"name": "a", "bad": 1}}}"#),
            "map.k.1.bad"
        );
        assert_eq!(path_of(r#"{"items": [{"name": {}}]}"#), "items[0].name");
        assert_eq!(path_of(r#"{"items": [{"n": 1}]}"#), "items[0]");
        assert_eq!(path_of(r#"{"items": [{}]}"#), "items[0]");
        assert_eq!(
            path_of(r#"{"items": [{"name":"a"}], "map": {"k": {"n":1}}}"#),
            "map.k"
        );
        assert_eq!(path_of(r#"{"items": 3}"#), "items");
        assert_eq!(path_of(r#"{}"#), "");
        assert_eq!(path_of(r#"{"it\u0065ms": [{"name": 2}]}"#), "items[0].name");
    }

    #[test]
    fn malformed_input_never_panics() {
        for s in [
            "",
            "{",
            "[",
            "\"",
            "{\"a",
            "{\"a\":",
            "[1,",
            "{\"a\\",
            "1\"",
            "}}]]",
            "{\"é\":[é",
        ] {
            for end in 0..=s.len() + 2 {
                let _ = scan(s, end);
            }
        }
        assert_eq!(offset_of("a\nbc", 9, 9), 4);
    }

    #[test]
    fn scenario_entry_points_name_the_field() {
        use crate::scenario::{from_str_with_path, from_value_with_path};
        let e = from_str_with_path::<Outer>("{\"items\": [\n{\"name\": 1}]}").unwrap_err();
        assert_eq!(e.path, "items[0].name");
        assert!(e.message.ends_with("at line 2 column 10"), "{}", e.message);
        let v = serde_json::json!({"items": [{"name": "a"}, {"name": "b", "x": 1}]});
        let e = from_value_with_path::<Outer>(&v, "integrations.a").unwrap_err();
        assert_eq!(e.path, "integrations.a.items[1].x");
        assert!(e.message.starts_with("unknown field `x`"), "{}", e.message);
        assert!(!e.message.contains("line"), "{}", e.message);
    }

    #[test]
    fn position_suffix_is_stripped() {
        let err = serde_json::from_str::<Outer>("{\"items\": 3}").unwrap_err();
        assert_eq!(
            message_without_position(&err),
            "invalid type: integer `3`, expected a sequence"
        );
    }
}
