//! Small JSON object builders for the trace and result documents, in place of `serde_json::json!`.
//!
//! Why (docs/size.md, third round): every entry of a `json!({..})` object expands at its call
//! site into a `String` allocation for the key, `to_value(&expr).unwrap()` (a generic serializer
//! call plus a panic path), an `IndexMap` insert and the drop glue of the `Option<Value>` it
//! returns. The pipeline and the integrations build ~90 such objects, so that code was repeated
//! several hundred times in the wasm bundle. Here the values are converted by [`ToJson`] (one tiny
//! non-generic function per source type), and [`object`] / [`put`] do the key allocation and the
//! insert once, out of line.
//!
//! The result is the same `Value` as `json!` builds: the same key order, and for a repeated key
//! the later value in the earlier position (both go through `Map::insert`). Numbers are the same
//! variants (`to_value` of an integer and `Value::from` both make `Number::from`).

use serde_json::{Map, Value};

/// A value as `serde_json::to_value(&self)` would give it, without the serializer round trip.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for u16 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for u64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

/// In the map's order, as `to_value` serializes an `IndexMap` (keys are unique in both).
impl<T: ToJson> ToJson for indexmap::IndexMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        match self {
            Some(v) => v.to_json(),
            None => Value::Null,
        }
    }
}

/// An object of `entries` in order; each value is moved out (left `Null`).
#[inline(never)]
pub fn object(entries: &mut [(&'static str, Value)]) -> Value {
    let mut m = Map::new();
    for (k, v) in entries.iter_mut() {
        m.insert((*k).to_string(), std::mem::take(v));
    }
    Value::Object(m)
}

/// `m[k] = v` as `Map::insert` does it (a present key keeps its position).
#[inline(never)]
pub fn put(m: &mut Map<String, Value>, k: &'static str, v: Value) {
    m.insert(k.to_string(), v);
}

/// `obj!{"key": expr, ..}`: like `json!({"key": expr, ..})` for a flat object whose values
/// implement [`ToJson`] (taken by reference, as `json!` does, so nothing is moved).
macro_rules! obj {
    ($($k:literal : $v:expr),* $(,)?) => {
        $crate::jobj::object(&mut [$(($k, $crate::jobj::ToJson::to_json(&$v))),*])
    };
}
pub(crate) use obj;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The builders must give exactly what `json!` gives: the trace and the result documents are
    // compared byte for byte by the scenario suites.
    #[test]
    fn obj_equals_json_macro() {
        let s = String::from("a\"b");
        let none: Option<String> = None;
        let some = Some("x".to_string());
        let v = json!({"n": [1, 2]});
        let built = obj! {"s": s, "str": "lit", "t": true, "u": 404u16, "i": -5i64, "big": 1_700_000_000_123i64,
        "none": none, "some": some, "v": v, "ref": &s};
        let expected = json!({"s": s, "str": "lit", "t": true, "u": 404u16, "i": -5i64, "big": 1_700_000_000_123i64,
                              "none": none, "some": some, "v": v, "ref": &s});
        assert_eq!(built, expected);
        assert_eq!(built.to_string(), expected.to_string());
        // Nothing was moved: the sources are still usable.
        assert_eq!(s, "a\"b");
        assert_eq!(obj! {}, json!({}));
    }

    #[test]
    fn repeated_key_keeps_first_position_and_last_value() {
        let built = obj! {"a": 1u16, "b": 2u16, "a": 3u16};
        let expected = json!({"a": 1, "b": 2, "a": 3});
        assert_eq!(built.to_string(), expected.to_string());
        assert_eq!(built.to_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn put_is_map_insert() {
        let mut m = Map::new();
        put(&mut m, "x", Value::Null);
        put(&mut m, "y", json!(1));
        put(&mut m, "x", json!("z"));
        assert_eq!(Value::Object(m).to_string(), r#"{"x":"z","y":1}"#);
    }
}
