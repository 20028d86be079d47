//! `$util` (spec §7.3): escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode,
//! base64Decode, with the Java library behavior AWS runs.

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use vtl::{HostObject, Value};

use std::rc::Rc;

use super::input::Memo;

use super::input::holder;
use super::json;

pub struct Util;

/// `$util` for the renderings that share a prepared input's [`Memo`]: `parseJson` of a text
/// it parsed before gives the same (unchangeable, [`super::input::Sharing`]) value again.
pub(crate) struct SharingUtil(pub Rc<Memo>);

impl HostObject for SharingUtil {
    fn type_name(&self) -> &str {
        Util.type_name()
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        Util.get_property(name)
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args) {
            ("parseJson", [Value::Str(text)]) => {
                Some(Memo::through(&self.0.parse_json, text, || {
                    Util.call_method(name, args)
                        .unwrap_or_else(|| Err("no method parseJson".into()))
                }))
            }
            _ => Util.call_method(name, args),
        }
    }
    fn to_java_string(&self) -> String {
        Util.to_java_string()
    }
}

/// A method argument as the Java `String` parameter receives it: null stays null, other
/// values are passed as their `toString()` [INFER: AWS's method signatures take String;
/// Velocity would not find the method for a non-String argument].
fn string_arg(args: &[Value]) -> Option<std::borrow::Cow<'_, str>> {
    match args.first() {
        None | Some(Value::Null) => None,
        // Borrowed: every method reads its argument, none keeps it.
        Some(Value::Str(s)) => Some(std::borrow::Cow::Borrowed(s)),
        Some(other) => Some(std::borrow::Cow::Owned(json::java_string(other))),
    }
}

impl HostObject for Util {
    fn type_name(&self) -> &str {
        "$util"
    }

    fn get_property(&self, _name: &str) -> Option<Value> {
        // `$util.urlEncode` without parentheses renders `{}` (spec §7.1 [AWS-REC old]).
        Some(holder())
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if args.len() != 1 {
            return None;
        }
        // A string these three would return unchanged is handed back as it is (no copy).
        if let Some(Value::Str(s)) = args.first() {
            let unchanged = match name {
                "escapeJavaScript" => !s.bytes().any(js_escaped),
                "urlEncode" => s.bytes().all(url_kept),
                "urlDecode" => !s.bytes().any(|b| b == b'%' || b == b'+'),
                _ => false,
            };
            if unchanged {
                return Some(Ok(args[0].clone()));
            }
        }
        let arg = string_arg(args);
        Some(match name {
            // commons-lang returns null for null.
            "escapeJavaScript" => Ok(arg
                .map(|s| Value::str(&escape_javascript(&s)))
                .unwrap_or(Value::Null)),
            // Null ⇒ empty (spec §7.3 [AWS-REC]).
            "urlEncode" => Ok(Value::str(&arg.map(|s| url_encode(&s)).unwrap_or_default())),
            "urlDecode" => match arg {
                None => Ok(Value::str("")),
                Some(s) => url_decode(&s).map(|s| Value::str(&s)),
            },
            "base64Encode" => Ok(arg
                .map(|s| Value::str(&base64_encode(&s)))
                .unwrap_or(Value::Null)),
            "base64Decode" => match arg {
                None => Ok(Value::Null),
                Some(s) => base64_decode(&s).map(|s| Value::str(&s)),
            },
            "parseJson" => match arg {
                None => Ok(Value::Null),
                Some(s) => json::parse(s.trim_start())
                    .map_err(|e| format!("$util.parseJson: invalid JSON: {}", e.message)),
            },
            _ => return None,
        })
    }

    fn to_java_string(&self) -> String {
        "{}".into()
    }
}

/// commons-lang 2.6 `StringEscapeUtils.escapeJavaScript`: `'`→`\'`, `"`→`\"`, `\`→`\\`,
/// `/`→`\/`, `\b \f \n \r \t`, other controls as `\u00XX`, and every UTF-16 unit above
/// 0x7F as `\uXXXX` in upper-case hex (checked against commons-lang 2.6 on Java 17).
pub fn escape_javascript(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut units = [0u16; 2];
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7f => {
                for u in c.encode_utf16(&mut units) {
                    // `\uXXXX`, upper-case hex (written out: `write!` was most of the cost of
                    // escaping a short value with one non-ASCII character).
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(char::from(
                            b"0123456789ABCDEF"[usize::from((*u >> shift) & 0xF)],
                        ));
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A byte [`escape_javascript`] changes: the four escaped ASCII characters, controls, and every
/// byte of a character above U+007F.
fn js_escaped(b: u8) -> bool {
    matches!(b, b'\'' | b'"' | b'\\' | b'/') || !(0x20..=0x7f).contains(&b)
}

/// A byte [`url_encode`] writes as it is (the complement of [`FORM`]).
fn url_kept(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'*' | b'_')
}

/// Characters `java.net.URLEncoder` leaves alone: alphanumerics and `. - * _`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'*')
    .remove(b'_');

/// `java.net.URLEncoder.encode(s, "UTF-8")`: `application/x-www-form-urlencoded`, space as
/// `+` (spec §7.3 [AWS-REC]: `{"some": "value"}` → `%7B%22some%22%3A+%22value%22%7D`).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in percent_encoding::utf8_percent_encode(s, FORM) {
        // Each encoded byte comes as its own `%XX` piece.
        if part == "%20" {
            out.push('+');
        } else {
            out.push_str(part);
        }
    }
    out
}

/// `java.net.URLDecoder.decode(s, "UTF-8")`: `+` is a space, runs of `%XX` are UTF-8
/// (malformed sequences become U+FFFD); a bad escape is an error with Java's message.
pub fn url_decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(' ');
                i += 1;
            }
            b'%' => {
                let mut bytes = Vec::new();
                while i < b.len() && b[i] == b'%' {
                    if i + 3 > b.len() {
                        return Err("URLDecoder: Incomplete trailing escape (%) pattern".into());
                    }
                    let hex = s.get(i + 1..i + 3).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(v) if hex.bytes().all(|c| c.is_ascii_hexdigit()) => bytes.push(v),
                        _ => {
                            return Err(format!(
                                "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"{hex}\""
                            ))
                        }
                    }
                    i += 3;
                }
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
            _ => {
                let start = i;
                while i < b.len() && b[i] != b'+' && b[i] != b'%' {
                    i += 1;
                }
                out.push_str(s.get(start..i).unwrap_or(""));
            }
        }
    }
    Ok(out)
}

/// Standard base64 with padding of the UTF-8 bytes (spec §7.3 [DOC]).
pub fn base64_encode(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
}

/// Decodes standard base64 (padding optional) into UTF-8 text; invalid UTF-8 becomes U+FFFD.
pub fn base64_decode(s: &str) -> Result<String, String> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    engine
        .decode(s.trim().as_bytes())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|e| format!("$util.base64Decode: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unchanged-string shortcut in `call_method` answers what the functions answer.
    #[test]
    fn unchanged_strings_are_returned_as_the_functions_return_them() {
        let texts = [
            "",
            "plain",
            "price desc",
            "a+b",
            "50%",
            "%41",
            "q-id_1.x*",
            "it's",
            "say \"hi\"",
            "a/b",
            "back\\slash",
            "tab\there",
            "caf\u{e9}",
            "\u{7f}",
            "\u{1f600}",
            "~!@#$^&()=[]{};:,<>?`|",
        ];
        let text_of = |v: Value| match v {
            Value::Str(s) => s.to_string(),
            other => panic!("not a string: {other:?}"),
        };
        for t in texts {
            let call = |name: &str| {
                Util.call_method(name, &[Value::str(t)])
                    .and_then(Result::ok)
                    .map(text_of)
            };
            assert_eq!(
                call("escapeJavaScript"),
                Some(escape_javascript(t)),
                "{t:?}"
            );
            assert_eq!(call("urlEncode"), Some(url_encode(t)), "{t:?}");
            assert_eq!(call("urlDecode"), url_decode(t).ok(), "{t:?}");
        }
    }

    #[test]
    fn escape_javascript_matches_commons_lang() {
        // Expected output printed by commons-lang 2.6 StringEscapeUtils.escapeJavaScript on Java 17.
        let input =
            "He said \"hi\" & it's <b>bold</b>\n\ttab/slash\\ é 😀\u{1}\u{7f}\u{85}\u{2028}";
        let expected = "He said \\\"hi\\\" & it\\'s <b>bold<\\/b>\\n\\ttab\\/slash\\\\ \\u00E9 \\uD83D\\uDE00\\u0001\u{7f}\\u0085\\u2028";
        assert_eq!(escape_javascript(input), expected);
    }

    #[test]
    fn url_encoding_matches_java() {
        assert_eq!(
            url_encode("a b&c=d/é~*-._!'()"),
            "a+b%26c%3Dd%2F%C3%A9%7E*-._%21%27%28%29"
        );
        assert_eq!(
            url_encode("{\"some\": \"value\"}"),
            "%7B%22some%22%3A+%22value%22%7D"
        );
        assert_eq!(
            url_decode("a+b%26c%3Dd%2F%C3%A9%FF").unwrap(),
            "a b&c=d/é\u{FFFD}"
        );
        assert_eq!(
            url_decode("100%").unwrap_err(),
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        assert_eq!(
            url_decode("%zz").unwrap_err(),
            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"zz\""
        );
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(base64_encode("hello wörld"), "aGVsbG8gd8O2cmxk");
        assert_eq!(base64_decode("aGVsbG8gd29ybGQ=").unwrap(), "hello world");
        assert!(base64_decode("***").is_err());
    }
}
