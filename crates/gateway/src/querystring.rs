//! Query-string decoding as API Gateway does it for the method request (spec §2.1 "Query-string decoding").
//!
//! API:
//! - [`parse`]`(raw) -> Vec<(String, String)>`: the raw query (with or without the leading `?`, never the
//!   `#fragment`, which browsers do not send) as ordered `(name, value)` pairs, duplicates kept in arrival
//!   order. Callers build single-value maps with "last wins" and multi-value maps in order (§2.1).
//! - [`unsupported_characters`]`(raw) -> Vec<char>`: the unencoded characters AWS documents as unsupported
//!   (`|`, `{`, `}`), for a trace note.
//!
//! Decoding rules:
//! - `+` → space, then `%XX` decoded (so `%2B` → `+`) \[AWS-REC: `test+alias@gmail.com` → `test alias@gmail.com`\].
//! - An invalid percent sequence (`%zz`, a trailing `%`) is kept literally; bytes that do not form UTF-8 after
//!   decoding are replaced by U+FFFD [INFER: AWS undocumented; this is what the `percent-encoding` crate and
//!   Java's lenient decoders do].
//! - `a=` and a bare `a` both give `("a", "")` \[EMU:SAM/LS for `a=`; INFER for the bare name\].
//! - Empty pieces (`a=1&&b=2`, a lone `?`) are skipped; a piece with an empty name (`=x`) is skipped \[INFER\].
//! - `;` is a separator like `&`. AWS documents `;` as "not supported … results in the data being split"
//!   \[DOC known issues\]; splitting there is the reading of that sentence that this simulator implements.
//! - `|`, `{`, `}` are decoded like any other character (AWS says they must be encoded; what it does with them
//!   unencoded is undocumented), and reported by [`unsupported_characters`].

use percent_encoding::percent_decode_str;

/// Decodes one name or value: `+` is a space, then percent-decoding.
pub fn decode_component(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// Parses a raw query string into ordered pairs.
pub fn parse(raw: &str) -> Vec<(String, String)> {
    let raw = raw.strip_prefix('?').unwrap_or(raw);
    let raw = raw.split('#').next().unwrap_or("");
    let mut out = Vec::new();
    for piece in raw.split(['&', ';']) {
        if piece.is_empty() {
            continue;
        }
        let (name, value) = match piece.split_once('=') {
            Some((n, v)) => (n, v),
            None => (piece, ""),
        };
        if name.is_empty() {
            continue;
        }
        out.push((decode_component(name), decode_component(value)));
    }
    out
}

/// Unencoded characters AWS does not support in query strings (spec §2.1, DOC known issues), in order
/// of first appearance, without duplicates.
pub fn unsupported_characters(raw: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in raw.chars() {
        if matches!(c, '|' | '{' | '}') && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(raw: &str) -> Vec<(String, String)> {
        parse(raw)
    }
    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn plus_is_space_and_percent_2b_is_plus_spec_2_1() {
        assert_eq!(
            p("plus=test+alias@gmail.com"),
            pairs(&[("plus", "test alias@gmail.com")])
        );
        assert_eq!(
            p("t=2023-06-12T18:05:10.123456+00:00"),
            pairs(&[("t", "2023-06-12T18:05:10.123456 00:00")])
        );
        assert_eq!(
            p("e=test%2Balias%40gmail.com"),
            pairs(&[("e", "test+alias@gmail.com")])
        );
        assert_eq!(p("q=hello+world"), pairs(&[("q", "hello world")]));
    }

    #[test]
    fn duplicates_kept_in_order_spec_2_1() {
        assert_eq!(
            p("?category=electronics&category=books"),
            pairs(&[("category", "electronics"), ("category", "books")])
        );
    }

    #[test]
    fn empty_value_and_bare_name_are_empty_strings_spec_2_1() {
        assert_eq!(p("a=&b"), pairs(&[("a", ""), ("b", "")]));
        assert_eq!(
            p("a=b=c"),
            pairs(&[("a", "b=c")]),
            "only the first = splits"
        );
    }

    #[test]
    fn empty_pieces_and_names_are_skipped() {
        assert_eq!(p(""), vec![]);
        assert_eq!(p("?"), vec![]);
        assert_eq!(p("a=1&&=x&b=2"), pairs(&[("a", "1"), ("b", "2")]));
    }

    #[test]
    fn invalid_percent_sequences_are_kept_literally() {
        assert_eq!(
            p("a=%zz&b=50%&c=%e9"),
            pairs(&[("a", "%zz"), ("b", "50%"), ("c", "\u{FFFD}")])
        );
    }

    #[test]
    fn semicolon_splits_the_data_spec_2_1() {
        assert_eq!(p("a=1;b=2"), pairs(&[("a", "1"), ("b", "2")]));
    }

    #[test]
    fn encoded_names_are_decoded() {
        assert_eq!(
            p("my%20key=v&x+y=z"),
            pairs(&[("my key", "v"), ("x y", "z")])
        );
    }

    #[test]
    fn unsupported_characters_are_reported_spec_2_1() {
        assert_eq!(unsupported_characters("a={x}|y&b={z}"), vec!['{', '}', '|']);
        assert!(unsupported_characters("a=%7B").is_empty());
    }
}
