//! Compact JSON text of a `serde_json::Value`, byte for byte what `serde_json::to_string`
//! writes, with a faster string escaper for long strings.
//!
//! Why: the Lambda proxy event carries the request body (up to API Gateway's 10 MB payload
//! quota) and is serialized on every proxy request. serde_json escapes strings one byte at a
//! time, which in the size-optimized wasm build cost about 15 ns per byte (150 ms for a 10 MB
//! body); here a string is scanned eight bytes at a time and copied in runs.

use serde_json::Value;

/// Appends the JSON text of `value` to `out` (serde_json's compact format).
pub fn write(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // serde_json's own formatting of numbers (itoa / ryu), through `Display`.
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write(out, v);
            }
            out.push('}');
        }
    }
}

/// The JSON text of `value`, with room reserved for `hint` more bytes (a body about to be
/// written should not make the buffer grow and copy itself repeatedly).
pub fn to_string(value: &Value, hint: usize) -> String {
    let mut out = String::with_capacity(hint + 1024);
    write(&mut out, value);
    out
}

/// True when one of the eight bytes in `w` needs escaping: a control character (< 0x20),
/// `"` or `\`. Bytes ≥ 0x80 (UTF-8 sequences) are copied as they are, as serde_json does.
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte is zero in `x` exactly when it equals the byte broadcast in the constant; the
    // classic "has zero byte" test then finds it. `< 0x20` uses the same trick on `w - 0x20`,
    // masked to bytes whose top bit was clear (so UTF-8 bytes never match).
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let quote = has_zero(w ^ (ONES * b'"' as u64));
    let backslash = has_zero(w ^ (ONES * b'\\' as u64));
    (control | quote | backslash) != 0
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0; // first byte not yet copied
    let mut i = 0;
    while i < bytes.len() {
        // Skip eight clean bytes at a time.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !needs_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let escape: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0x00..=0x1f => None,
            _ => {
                i += 1;
                continue;
            }
        };
        // `start..i` ends before an ASCII byte, so it is a whole number of characters.
        out.push_str(&s[start..i]);
        match escape {
            Some(e) => out.push_str(e),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn output_equals_serde_json_byte_for_byte() {
        let mut every_byte = String::new();
        for c in 0u8..0x80 {
            every_byte.push(c as char);
        }
        let values = [
            json!(null),
            json!({"a": [1, -2, 3.5, 1e300, 0.1, true, false, null], "": {}, "e": []}),
            json!(every_byte),
            json!("é ü 日本 🎉 \u{7f} \u{2028} \"quoted\" back\\slash"),
            json!({"body": "x".repeat(1000) + "\"" + &"y".repeat(13) + "\n", "k\"ey": "v"}),
            json!(["", "1234567", "12345678", "123456789", "\u{1}\u{1f}\u{20}"]),
            json!(u64::MAX),
            json!(i64::MIN),
        ];
        for v in values {
            assert_eq!(to_string(&v, 0), serde_json::to_string(&v).unwrap(), "{v}");
        }
    }

    #[test]
    fn every_position_of_an_escape_inside_a_word_is_found() {
        for special in ['"', '\\', '\n', '\u{0}', '\u{1f}'] {
            for len in 0..20 {
                for at in 0..=len {
                    let mut s: String = "a".repeat(len);
                    s.insert(at, special);
                    let v = json!(s);
                    assert_eq!(to_string(&v, 0), serde_json::to_string(&v).unwrap());
                }
            }
        }
    }
}
