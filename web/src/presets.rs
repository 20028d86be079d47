//! The preset gallery: comparison documents compiled into the page.
//!
//! web/presets/presets.json holds one base document and, per preset, an RFC 7386 merge patch over it
//! (a preset only states what differs, which keeps the bundle small and each preset readable).

use serde_json::Value;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub name: String,
    pub title: String,
    pub description: String,
    pub doc: Value,
}

const SOURCE: &str = include_str!("../presets/presets.json");

/// All presets, parsed once. The file is ours and checked by a test, so a broken file yields an empty gallery
/// rather than a panic in the page.
pub fn all() -> &'static [Preset] {
    static PRESETS: OnceLock<Vec<Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| parse(SOURCE).unwrap_or_default())
}

pub fn find(name: &str) -> Option<&'static Preset> {
    all().iter().find(|p| p.name == name)
}

/// The preset shown when nothing else was asked for.
pub fn default_preset() -> Option<&'static Preset> {
    all().first()
}

fn parse(src: &str) -> Result<Vec<Preset>, String> {
    let v: Value = serde_json::from_str(src).map_err(|e| e.to_string())?;
    let base = v.get("base").ok_or("no base")?;
    let list = v
        .get("presets")
        .and_then(Value::as_array)
        .ok_or("no presets")?;
    let mut out = Vec::new();
    for p in list {
        let text = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or(format!("preset without {k}"))
        };
        let mut doc = base.clone();
        if let Some(patch) = p.get("patch") {
            merge_patch(&mut doc, patch);
        }
        if let (Some(obj), Ok(d)) = (doc.as_object_mut(), text("description")) {
            obj.insert("description".into(), Value::String(d));
        }
        out.push(Preset {
            name: text("name")?,
            title: text("title")?,
            description: text("description")?,
            doc,
        });
    }
    Ok(out)
}

/// RFC 7386: objects merge recursively, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.shift_remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_preset_parses_and_has_all_five_columns() {
        let all = parse(SOURCE).expect("presets.json parses");
        assert!(all.len() >= 13, "the issue lists 13 topics");
        for p in &all {
            let integ = p
                .doc
                .get("integrations")
                .and_then(Value::as_object)
                .expect("integrations");
            for k in ["AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"] {
                assert!(integ.contains_key(k), "{} lacks {k}", p.name);
            }
            let sentences = p.description.matches(". ").count() + 1;
            assert!(
                (2..=4).contains(&sentences),
                "{}: {} sentences",
                p.name,
                sentences
            );
            // A backend has exactly one kind after patching (the patch removed the base's other kind).
            for (k, v) in integ {
                if let Some(b) = v.get("backend").and_then(Value::as_object) {
                    assert_eq!(b.len(), 1, "{}: {k} backend {b:?}", p.name);
                }
            }
        }
    }

    #[test]
    fn preset_names_are_unique_url_safe() {
        let all = parse(SOURCE).unwrap();
        for (i, p) in all.iter().enumerate() {
            assert!(
                p.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{}",
                p.name
            );
            assert!(all[..i].iter().all(|q| q.name != p.name));
        }
    }

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut t = json!({"a": {"b": 1, "c": 2}, "d": [1]});
        merge_patch(&mut t, &json!({"a": {"b": null, "e": 3}, "d": {"x": 1}}));
        assert_eq!(t, json!({"a": {"c": 2, "e": 3}, "d": {"x": 1}}));
    }
}
