//! The URL fragment: share links and embeds.
//!
//! Format (documented in docs/playground.md): `#` then `&`-separated parts, in any order:
//! - `v1:<data>`: the state, JSON → raw deflate → base64url without padding;
//! - `embed` or `embed=1`: iframe mode (minimal chrome);
//! - `preset=NAME`: start from a preset (ignored when `v1:` is present);
//! - `columns=AWS,MOCK`: the columns to show (others hidden).
//!
//! Everything read from a link is untrusted: sizes are capped before and after inflating, the JSON
//! is checked for the expected shape, and any failure yields an error message the page shows while
//! it falls back to the default scenario. Nothing here ever reaches the DOM as markup.

use crate::state::{Column, State};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

/// Longest `v1:` payload accepted (characters). Browsers allow far longer URLs; this bounds work.
pub const MAX_ENCODED: usize = 256 * 1024;
/// Largest inflated state accepted (bytes): a deflate bomb stops here.
pub const MAX_INFLATED: usize = 2 * 1024 * 1024;

/// What a fragment asked for.
#[derive(Debug, Default, PartialEq)]
pub struct Fragment {
    /// The decoded state, if a `v1:` part was present and valid.
    pub state: Option<SharedState>,
    /// Why the `v1:` part (or another part) could not be used.
    pub error: Option<String>,
    pub embed: bool,
    pub preset: Option<String>,
    pub columns: Option<Vec<Column>>,
}

/// The part of [`State`] a link carries.
#[derive(Debug, PartialEq, Clone)]
pub struct SharedState {
    pub doc: Value,
    pub preset: Option<String>,
    pub hidden: Vec<Column>,
    pub focus: Option<Column>,
}

impl SharedState {
    pub fn of(state: &State) -> SharedState {
        SharedState {
            doc: (*state.doc).clone(),
            preset: state.preset.clone(),
            hidden: state.hidden.clone(),
            focus: state.focus,
        }
    }

    /// Built directly, not with `json!`: `json!` ran `to_value` on the document, the only use of
    /// serde_json's value serializer for `Value` in the page (docs/size.md, fourth round). Same
    /// keys in the same order. Twin test: `tests::to_json_equals_the_json_literal`.
    fn to_json(&self) -> Value {
        let text = |s: Option<&str>| s.map_or(Value::Null, Value::from);
        let mut m = serde_json::Map::new();
        m.insert("doc".into(), self.doc.clone());
        m.insert("preset".into(), text(self.preset.as_deref()));
        m.insert(
            "hidden".into(),
            self.hidden.iter().map(|c| Value::from(c.key())).collect(),
        );
        m.insert("focus".into(), text(self.focus.map(|c| c.key())));
        Value::Object(m)
    }

    fn from_json(v: Value) -> Result<SharedState, String> {
        let Value::Object(mut m) = v else {
            return Err("the link's state is not a JSON object".into());
        };
        let doc = m.remove("doc").ok_or("the link's state has no document")?;
        let Some(doc_map) = doc.as_object() else {
            return Err("the link's document is not a JSON object".into());
        };
        match doc_map.get("integrations") {
            Some(Value::Object(i)) => {
                if let Some(bad) = i.keys().find(|k| Column::from_key(k).is_none()) {
                    return Err(format!(
                        "the link's document names an unknown integration type {bad:?}"
                    ));
                }
            }
            _ => return Err("the link's document has no \"integrations\" object".into()),
        }
        let preset = match m.remove("preset") {
            Some(Value::String(s)) if s.len() <= 100 => Some(s),
            Some(Value::Null) | None => None,
            Some(_) => return Err("the link's preset name is not a short string".into()),
        };
        let hidden = match m.remove("hidden") {
            Some(Value::Array(list)) => {
                let mut out = Vec::new();
                for item in list {
                    let c = item
                        .as_str()
                        .and_then(Column::from_key)
                        .ok_or("the link hides an unknown column")?;
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
                out.sort();
                out
            }
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err("the link's hidden columns are not a list".into()),
        };
        let focus = match m.remove("focus") {
            Some(Value::String(s)) => {
                Some(Column::from_key(&s).ok_or("the link focuses an unknown column")?)
            }
            Some(Value::Null) | None => None,
            Some(_) => return Err("the link's focused column is not a string".into()),
        };
        Ok(SharedState {
            doc,
            preset,
            hidden,
            focus,
        })
    }
}

/// `v1:<data>` for the state (without the leading `#`).
pub fn encode(state: &SharedState) -> String {
    let json = state.to_json().to_string();
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("v1:{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Decodes the data after `v1:`.
pub fn decode(data: &str) -> Result<SharedState, String> {
    if data.len() > MAX_ENCODED {
        return Err(format!(
            "the link is too long ({} characters; at most {MAX_ENCODED})",
            data.len()
        ));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('=').as_bytes())
        .map_err(|e| format!("the link is damaged (not base64url: {e})"))?;
    let raw =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
            if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
                format!("the link's state is larger than {MAX_INFLATED} bytes")
            } else {
                "the link is damaged (it does not inflate)".to_string()
            }
        })?;
    let text =
        std::str::from_utf8(&raw).map_err(|_| "the link's state is not UTF-8 text".to_string())?;
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("the link's state is not valid JSON ({e})"))?;
    SharedState::from_json(v)
}

/// Parses a whole fragment (with or without `#`). Unknown parts are ignored so future links degrade gracefully.
pub fn parse_fragment(fragment: &str) -> Fragment {
    let mut out = Fragment::default();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    for part in fragment.split('&') {
        if let Some(data) = part.strip_prefix("v1:") {
            match decode(data) {
                Ok(s) => out.state = Some(s),
                Err(e) => out.error = Some(e),
            }
        } else if let Some(other) = part.strip_prefix('v').filter(|p| {
            p.split_once(':')
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        }) {
            let version = other.split_once(':').map(|(n, _)| n).unwrap_or("");
            out.error = Some(format!("the link uses state format v{version}, which this playground does not know (it reads v1)"));
        } else if part == "embed" || part == "embed=1" || part == "embed=true" {
            out.embed = true;
        } else if let Some(name) = part.strip_prefix("preset=") {
            out.preset = Some(percent_decode(name).chars().take(100).collect());
        } else if let Some(list) = part.strip_prefix("columns=") {
            let list = percent_decode(list);
            let cols: Vec<Column> = list.split(',').filter_map(Column::from_key).collect();
            if !cols.is_empty() {
                out.columns = Some(cols);
            }
        }
    }
    out
}

/// Minimal `%XX` decoding for preset and column names (ASCII identifiers in practice).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            // Work on bytes: slicing the str could split a multi-byte character.
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The fragment for a state: `v1:...`, plus `&embed` and `&columns=` when asked.
pub fn fragment_for(state: &State, embed: bool) -> String {
    let mut f = encode(&SharedState::of(state));
    if embed {
        f.push_str("&embed");
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SharedState {
        SharedState {
            doc: json!({"request": {"path": "/dev/x", "headers": {"X": ["<script>alert(1)</script>"]}},
                        "integrations": {"AWS": {}, "MOCK": {}}}),
            preset: Some("mock".into()),
            hidden: vec![Column::Http],
            focus: Some(Column::Mock),
        }
    }

    #[test]
    fn to_json_equals_the_json_literal() {
        let none = SharedState {
            preset: None,
            hidden: vec![],
            focus: None,
            ..sample()
        };
        for s in [sample(), none] {
            let literal = json!({
                "doc": s.doc,
                "preset": s.preset,
                "hidden": s.hidden.iter().map(|c| c.key()).collect::<Vec<_>>(),
                "focus": s.focus.map(|c| c.key()),
            });
            // As text too: key order is part of the encoded link.
            assert_eq!(s.to_json().to_string(), literal.to_string());
            assert_eq!(s.to_json(), literal);
        }
    }

    #[test]
    fn encode_decode_round_trip() {
        let s = sample();
        let enc = encode(&s);
        assert!(enc.starts_with("v1:"));
        assert!(
            !enc.contains('&') && !enc.contains('#') && !enc.contains('+') && !enc.contains('/')
        );
        assert_eq!(decode(&enc[3..]).unwrap(), s);
    }

    #[test]
    fn fragment_with_embed_and_columns() {
        let enc = encode(&sample());
        let f = parse_fragment(&format!("#{enc}&embed=1&columns=AWS,mock,nope"));
        assert!(f.embed);
        assert_eq!(f.columns, Some(vec![Column::Aws, Column::Mock]));
        assert_eq!(f.state, Some(sample()));
        assert_eq!(f.error, None);
    }

    #[test]
    fn embed_preset_link() {
        let f = parse_fragment("#embed&preset=lambda-error-regex&columns=AWS");
        assert!(f.embed);
        assert_eq!(f.preset.as_deref(), Some("lambda-error-regex"));
        assert_eq!(f.state, None);
    }

    #[test]
    fn corrupted_links_give_messages_not_panics() {
        for bad in [
            "v1:",
            "v1:!!!!",
            "v1:AAAA",
            "v1:eJzLSM3JyQcABiwCFQ",
            "v9:abc",
        ] {
            let f = parse_fragment(bad);
            assert!(f.state.is_none(), "{bad}");
            assert!(f.error.is_some(), "{bad}");
        }
    }

    #[test]
    fn wrong_shapes_are_rejected_with_reasons() {
        let pack = |v: Value| {
            let packed = miniz_oxide::deflate::compress_to_vec(v.to_string().as_bytes(), 6);
            URL_SAFE_NO_PAD.encode(packed)
        };
        assert!(decode(&pack(json!([1, 2])))
            .unwrap_err()
            .contains("not a JSON object"));
        assert!(decode(&pack(json!({"doc": {}})))
            .unwrap_err()
            .contains("integrations"));
        assert!(
            decode(&pack(json!({"doc": {"integrations": {"SOAP": {}}}})))
                .unwrap_err()
                .contains("SOAP")
        );
        assert!(decode(&pack(json!({"doc": {"integrations": {}}, "focus": "X"}))).is_err());
    }

    #[test]
    fn deflate_bomb_is_capped() {
        let big = vec![b' '; MAX_INFLATED + 10];
        let packed = miniz_oxide::deflate::compress_to_vec(&big, 9);
        let err = decode(&URL_SAFE_NO_PAD.encode(packed)).unwrap_err();
        assert!(err.contains("larger than"), "{err}");
    }

    #[test]
    fn overlong_link_is_rejected_before_decoding() {
        let err = decode(&"A".repeat(MAX_ENCODED + 1)).unwrap_err();
        assert!(err.contains("too long"));
    }

    #[test]
    fn percent_decoding_is_total() {
        assert_eq!(percent_decode("a%2Cb"), "a,b");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}

/// The state the page starts in, from the fragment and the last saved fragment (pure, so it is tested natively).
pub fn initial_state(fragment: &str, saved: Option<&str>) -> State {
    initial_state_with(fragment, || saved.map(str::to_string))
}

/// [`initial_state`], reading the saved fragment only when the link does not decide the state: the
/// first `localStorage` access of a page costs several milliseconds (Chromium opens the storage area;
/// 6-7 ms in a CPU profile of the start-up), which a link or preset URL does not need to pay.
pub fn initial_state_with(fragment: &str, saved: impl FnOnce() -> Option<String>) -> State {
    let f = parse_fragment(fragment);
    let mut notice = f.error.as_ref().map(|e| {
        format!("This link could not be opened: {e}. Showing the default scenario instead.")
    });
    let default = || match crate::presets::default_preset() {
        Some(p) => State::new(p.doc.clone(), Some(p.name.clone())),
        None => State::new(json!({"integrations": {}}), None),
    };
    let mut state = if let Some(s) = f.state {
        let mut st = State::new(s.doc, s.preset);
        st.hidden = s.hidden;
        st.focus = s.focus;
        st
    } else if f.error.is_some() {
        default()
    } else if let Some(name) = &f.preset {
        match crate::presets::find(name) {
            Some(p) => State::new(p.doc.clone(), Some(p.name.clone())),
            None => {
                notice = Some(format!(
                    "There is no preset named {name:?}. Showing the default scenario instead."
                ));
                default()
            }
        }
    } else if let Some(saved) = (!f.embed).then(saved).flatten() {
        // A saved state that no longer reads (older format) is dropped silently: the user did not ask for it.
        match parse_fragment(&saved).state {
            Some(s) => {
                let mut st = State::new(s.doc, s.preset);
                st.hidden = s.hidden;
                st.focus = s.focus;
                st
            }
            None => default(),
        }
    } else {
        default()
    };
    state.embed = f.embed;
    if let Some(cols) = f.columns {
        state.hidden = Column::ALL
            .into_iter()
            .filter(|c| !cols.contains(c))
            .collect();
        state.focus = None;
    }
    state.notice = notice;
    state
}

#[cfg(test)]
mod startup_tests {
    use super::*;

    #[test]
    fn saved_state_is_read_only_when_the_link_does_not_decide() {
        for (fragment, reads) in [
            ("", true),
            ("#", true),
            ("#preset=mock", false),
            ("#v1:AAAA", false),
            ("#embed", false),
            ("#embed&preset=mock", false),
        ] {
            let mut read = false;
            let _ = initial_state_with(fragment, || {
                read = true;
                None
            });
            assert_eq!(read, reads, "{fragment}");
        }
    }

    #[test]
    fn empty_fragment_without_saved_state_is_the_default_preset() {
        let s = initial_state("", None);
        assert_eq!(
            s.preset.as_deref(),
            crate::presets::default_preset().map(|p| p.name.as_str())
        );
        assert!(s.notice.is_none() && !s.embed);
    }

    #[test]
    fn saved_state_is_restored_when_the_link_is_empty() {
        let mut st = initial_state("", None);
        st.hidden = vec![Column::Mock];
        let saved = fragment_for(&st, false);
        let back = initial_state("", Some(&saved));
        assert_eq!(back.hidden, vec![Column::Mock]);
        assert_eq!(back.doc, st.doc);
    }

    #[test]
    fn corrupted_link_shows_a_message_and_the_default_even_with_saved_state() {
        let mut st = initial_state("", None);
        st.hidden = vec![Column::Mock];
        let saved = fragment_for(&st, false);
        let s = initial_state("#v1:%%%garbage", Some(&saved));
        assert!(s
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("could not be opened"));
        assert!(s.hidden.is_empty());
    }

    #[test]
    fn embed_preset_columns() {
        let s = initial_state("#embed&preset=mock&columns=MOCK,HTTP", None);
        assert!(s.embed);
        assert_eq!(s.preset.as_deref(), Some("mock"));
        assert_eq!(s.visible_columns(), vec![Column::Http, Column::Mock]);
    }

    #[test]
    fn unknown_preset_is_reported() {
        let s = initial_state("#preset=<img src=x onerror=alert(1)>", None);
        assert!(s.notice.unwrap().contains("no preset named"));
    }

    #[test]
    fn share_link_round_trips_the_state() {
        let mut st = initial_state("#preset=lambda-error-regex", None);
        st.focus = Some(Column::Aws);
        let back = initial_state(&fragment_for(&st, true), None);
        assert_eq!(back.doc, st.doc);
        assert_eq!(back.focus, Some(Column::Aws));
        assert!(back.embed);
    }
}
