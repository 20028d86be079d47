//! Case mapping and case properties exactly as Java 17 computes them (`Character.toLowerCase`,
//! `String.toUpperCase`, `equalsIgnoreCase`, ...), from tables generated on that JDK
//! (tools/GenCaseTables.java). Rust's own `char` methods follow a newer Unicode version and
//! map full-width (`"ß".to_uppercase()` is `SS`) where Java's `Character` maps one to one; both
//! show in template output, so templates and the regex engine use these instead.
//!
//! Strings are case-mapped with the English locale's rules (the JVM default assumed for API
//! Gateway [INFER]): no Turkish dotless i, `İ` lowercases to `i̇`.

use crate::java_regex::unicode::{gc, general_category};
use crate::jchar_tables::{
    LOWER, LOWER_SPECIAL, OTHER_ALPHABETIC, OTHER_LOWER, OTHER_UPPER, UPPER, UPPER_SPECIAL,
};

/// Applies a `(start, count, stride, delta)` run table to one code point.
fn map_runs(table: &[(u32, u16, u8, i32)], c: char) -> char {
    let cp = c as u32;
    let i = table.partition_point(|r| r.0 <= cp);
    let Some(&(start, count, stride, delta)) = i.checked_sub(1).and_then(|i| table.get(i)) else {
        return c;
    };
    let off = cp - start;
    let stride = u32::from(stride.max(1));
    if off % stride != 0 || off / stride >= u32::from(count) {
        return c;
    }
    char::from_u32(cp.wrapping_add_signed(delta)).unwrap_or(c)
}

/// Whether `c` is in a toggle list (membership switches at each listed code point).
fn in_toggles(table: &[u32], c: char) -> bool {
    table.partition_point(|&t| t <= c as u32) % 2 == 1
}

/// `Character.toLowerCase(int)`: one character to one character.
pub fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    map_runs(&LOWER, c)
}

/// `Character.toUpperCase(int)`: one character to one character (`ß` stays `ß`).
pub fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    map_runs(&UPPER, c)
}

/// `Character.isLowerCase(int)`.
pub fn is_lower(c: char) -> bool {
    general_category(c) == gc::LL || in_toggles(&OTHER_LOWER, c)
}

/// `Character.isUpperCase(int)`.
pub fn is_upper(c: char) -> bool {
    general_category(c) == gc::LU || in_toggles(&OTHER_UPPER, c)
}

/// `Character.isAlphabetic(int)`.
pub fn is_alphabetic(c: char) -> bool {
    matches!(
        general_category(c),
        gc::LU | gc::LL | gc::LT | gc::LM | gc::LO | gc::NL
    ) || in_toggles(&OTHER_ALPHABETIC, c)
}

fn special(table: &'static [(u32, &'static str)], c: char) -> Option<&'static str> {
    table
        .binary_search_by_key(&(c as u32), |e| e.0)
        .ok()
        .and_then(|i| table.get(i))
        .map(|e| e.1)
}

/// `String.toUpperCase()`: the one-to-one mapping, or one-to-many where Java's `String` has
/// one (`ß` -> `SS`, `ŉ` -> `ʼN`).
pub fn string_to_upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match special(&UPPER_SPECIAL, c) {
            Some(full) => out.push_str(full),
            None => out.push(to_upper(c)),
        }
    }
    out
}

/// `String.toLowerCase()`: the one-to-one mapping, `İ` -> `i̇`, and capital sigma as final `ς`
/// at the end of a word that has a cased letter before it (Java's Final_Sigma condition).
pub fn string_to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c == '\u{3A3}' {
            out.push(if is_final_sigma(s, i) {
                '\u{3C2}'
            } else {
                '\u{3C3}'
            });
            continue;
        }
        match special(&LOWER_SPECIAL, c) {
            Some(full) => out.push_str(full),
            None => out.push(to_lower(c)),
        }
    }
    out
}

/// Java's `ConditionalSpecialCasing.isCased`: an upper, lower or title case letter, or one of
/// the Other_Lowercase/Other_Uppercase ranges that class lists.
fn is_cased(c: char) -> bool {
    matches!(general_category(c), gc::LU | gc::LL | gc::LT)
        || matches!(c as u32,
            0x02B0..=0x02B8 | 0x02C0..=0x02C1 | 0x02E0..=0x02E4 | 0x0345 | 0x037A
            | 0x1D2C..=0x1D61 | 0x2160..=0x217F | 0x24B6..=0x24E9)
}

/// How Java's word BreakIterator (the JDK's own rules, not ICU's) classes a character for
/// the final-sigma test, as measured on Java 17: letters (but not kana, CJK ideographs or
/// supplementary letters, which it does not join to Greek), marks, numbers, connectors and
/// format characters continue a word; a dash, `'`, `"`, `.` or U+2027 continues it only alone
/// between two letters (`Α-Σ` and `Α.Σ` are one word, `Α--Σ`, `Α..Σ` and `Α1.Σ` are not);
/// anything else ends it. Marks and format characters take the class of the letter or digit
/// or number they follow, and end the word after anything else or at the start. Not modelled
/// (a differential test bounds how often it matters): how the JDK's rules treat supplementary
/// characters next to a sigma (`𐐨Σ` is final there, `B𐐀Σ` is not), and some format-character
/// contexts (`KΣ\u{AD}Ⅰ` is final there).
#[derive(Clone, Copy, PartialEq)]
enum WordPart {
    Word,
    Mid,
    End,
}

fn word_part(c: char) -> WordPart {
    let cat = general_category(c);
    if cat == gc::PD || matches!(c, '\'' | '"' | '.' | '\u{2027}') {
        return WordPart::Mid;
    }
    let own_words = matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x10000..);
    match cat {
        gc::LU | gc::LL | gc::LT | gc::LM | gc::LO if !own_words => WordPart::Word,
        gc::MN | gc::ME | gc::MC | gc::ND | gc::NL | gc::NO | gc::PC | gc::CF => WordPart::Word,
        _ => WordPart::End,
    }
}

fn is_letter(c: char) -> bool {
    matches!(
        general_category(c),
        gc::LU | gc::LL | gc::LT | gc::LM | gc::LO
    )
}

fn is_extend(c: char) -> bool {
    matches!(general_category(c), gc::MN | gc::ME | gc::MC | gc::CF)
}

/// A base character with the marks and format characters after it, as the word rules see it.
struct Cluster {
    part: WordPart,
    letter: bool,
    cased: bool,
}

impl Cluster {
    /// `base` with the marks/format characters after it (`extends`; `extend_cased` if one is
    /// cased). Marks after a letter or number belong to it; after anything else (a dash, a
    /// quote, `_`) they end the word there (`ﬁ-\u{345}Σ`, `a_\u{345}Σ`).
    fn new(base: char, extends: bool, extend_cased: bool) -> Cluster {
        let letter = is_letter(base);
        let digit = matches!(general_category(base), gc::ND | gc::NL | gc::NO);
        let part = match word_part(base) {
            _ if is_extend(base) => WordPart::End, // a mark with nothing before it
            _ if extends && !letter && !digit => WordPart::End,
            part => part,
        };
        Cluster {
            part,
            letter,
            cased: is_cased(base) || extend_cased,
        }
    }
}

/// The clusters of `before`, last first. Lazy: the final-sigma test stops at the first cased
/// character or word end, which keeps a string with many sigmas linear.
fn clusters_before(before: &str) -> impl Iterator<Item = Cluster> + '_ {
    let mut chars = before.chars().rev();
    std::iter::from_fn(move || {
        let (mut extends, mut extend_cased) = (false, false);
        loop {
            match chars.next() {
                Some(c) if is_extend(c) => {
                    extends = true;
                    extend_cased |= is_cased(c);
                }
                Some(c) => return Some(Cluster::new(c, extends, extend_cased)),
                // Marks at the very start: no part of a word.
                None if extends => return Some(Cluster::new('\u{300}', false, false)),
                None => return None,
            }
        }
    })
}

/// The clusters of `after`, first first (lazy, as [`clusters_before`]).
fn clusters_after(after: &str) -> impl Iterator<Item = Cluster> + '_ {
    let mut chars = after.chars().peekable();
    std::iter::from_fn(move || {
        let base = chars.next()?;
        let (mut extends, mut extend_cased) = (false, false);
        while let Some(c) = chars.next_if(|&c| is_extend(c)) {
            extends = true;
            extend_cased |= is_cased(c);
        }
        Some(Cluster::new(base, extends, extend_cased))
    })
}

/// Whether a cased character comes first in the same word, walking `list` away from a sigma.
fn cased_in_word(mut list: impl Iterator<Item = Cluster>) -> bool {
    // Whether the cluster on the sigma's side of the current one is a letter (the sigma is).
    let mut inner_is_letter = true;
    let mut next = list.next();
    while let Some(c) = next {
        next = list.next();
        match c.part {
            WordPart::Word if c.cased => return true,
            WordPart::Word => inner_is_letter = c.letter,
            WordPart::Mid if inner_is_letter && next.as_ref().is_some_and(|n| n.letter) => {
                inner_is_letter = false
            }
            _ => return false,
        }
    }
    false
}

/// Java's Final_Sigma test for the sigma at byte `at`: a cased character before it within the
/// word, and none after it (its own marks included) [INFER: word rules measured on Java 17,
/// see [`word_part`]]. Each scan stops at the neighbouring sigma at the latest (it is cased), so
/// lowercasing a string is linear however many sigmas it has.
fn is_final_sigma(s: &str, at: usize) -> bool {
    let (before, rest) = s.split_at(at);
    let after = rest.get('\u{3A3}'.len_utf8()..).unwrap_or("");
    if !cased_in_word(clusters_before(before)) {
        return false;
    }
    let mut own_marks = after.chars().take_while(|&c| is_extend(c));
    if own_marks.any(is_cased) {
        return false;
    }
    let after = after.trim_start_matches(is_extend);
    !cased_in_word(clusters_after(after))
}

/// The units Java's case-insensitive comparisons step through: code points, except when
/// exactly one of the strings is Latin-1 (then Java compares UTF-16 units and never pairs
/// surrogates: `"𐐨".compareToIgnoreCase("k")` is `0xD801 - 'k'`).
fn ci_units<'a>(s: &'a str, by_unit: bool) -> Box<dyn Iterator<Item = u32> + 'a> {
    if by_unit {
        Box::new(s.encode_utf16().map(u32::from))
    } else {
        Box::new(s.chars().map(|c| c as u32))
    }
}

/// Java's per-unit case-insensitive difference: 0 when equal after `toUpperCase`, else the
/// difference after `toLowerCase` of those (0 again when those are equal).
fn ci_difference(x: u32, y: u32) -> i32 {
    if x == y {
        return 0;
    }
    let map = |u: u32, f: fn(char) -> char| char::from_u32(u).map_or(u, |c| f(c) as u32);
    let (ux, uy) = (map(x, to_upper), map(y, to_upper));
    if ux == uy {
        return 0;
    }
    map(ux, to_lower) as i32 - map(uy, to_lower) as i32
}

fn mixed_latin1(a: &str, b: &str) -> bool {
    let latin1 = |s: &str| s.chars().all(|c| (c as u32) <= 0xFF);
    latin1(a) != latin1(b)
}

/// `String.equalsIgnoreCase`: equal UTF-16 lengths, and each pair of characters equal after
/// `Character.toUpperCase`, or after `toLowerCase` of that (one to one: `ß` is not `SS`).
pub fn equals_ignore_case(a: &str, b: &str) -> bool {
    let by_unit = mixed_latin1(a, b);
    a.encode_utf16().count() == b.encode_utf16().count()
        && ci_units(a, by_unit)
            .zip(ci_units(b, by_unit))
            .all(|(x, y)| ci_difference(x, y) == 0)
}

/// `String.compareToIgnoreCase`: the first pair of characters that differs after
/// `toLowerCase(toUpperCase(c))` decides (their difference), else the UTF-16 length difference.
pub fn compare_ignore_case(a: &str, b: &str) -> i32 {
    let by_unit = mixed_latin1(a, b);
    ci_units(a, by_unit)
        .zip(ci_units(b, by_unit))
        .map(|(x, y)| ci_difference(x, y))
        .find(|&d| d != 0)
        .unwrap_or_else(|| a.encode_utf16().count() as i32 - b.encode_utf16().count() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Java 17 answers (jshell), one per quirk.
    #[test]
    fn java_character_mapping_is_one_to_one() {
        assert_eq!(to_upper('ß'), 'ß');
        assert_eq!(to_lower('\u{130}'), 'i');
        assert_eq!(to_upper('ǅ'), 'Ǆ');
        assert_eq!(to_lower('ǅ'), 'ǆ');
        assert_eq!(to_upper('ÿ'), 'Ÿ');
        assert_eq!(to_upper('µ'), 'Μ');
        assert_eq!(to_lower('Ā'), 'ā');
        assert_eq!(to_upper('ā'), 'Ā');
        assert_eq!(to_upper('ă'), 'Ă');
        assert_eq!(to_upper('𐐨'), '𐐀');
    }

    #[test]
    fn java_string_mapping_expands_where_java_does() {
        assert_eq!(string_to_upper("straße"), "STRASSE");
        assert_eq!(string_to_upper("ﬁx"), "FIX");
        assert_eq!(string_to_lower("İ"), "i\u{307}");
        // Final sigma, shown as `S` (ς) and `s` (σ) (Java 17: ς where the sigma ends a word
        // that has a cased letter before it).
        let sigma = |s: &str| {
            string_to_lower(s)
                .replace('\u{3C2}', "S")
                .replace('\u{3C3}', "s")
        };
        for (input, want) in [
            ("ΟΔΟΣ", "\u{3BF}\u{3B4}\u{3BF}S"),
            ("ΑΣ ΣΑ", "\u{3B1}S s\u{3B1}"),
            ("Σ", "s"),
            ("ΑΣ1", "\u{3B1}S1"),
            ("1Σ", "1s"),
            ("ΑΣΣ", "\u{3B1}sS"),
            ("Α.Σ", "\u{3B1}.S"),
            ("Α..Σ", "\u{3B1}..s"),
            ("Α--Σ", "\u{3B1}--s"),
            ("Α1.Σ", "\u{3B1}1.s"),
            ("ΑΣ-Β", "\u{3B1}s-\u{3B2}"),
            ("ΑΣ..Β", "\u{3B1}S..\u{3B2}"),
            ("ΑΣ_Β", "\u{3B1}s_\u{3B2}"),
            ("ΑΣ\u{301}Β", "\u{3B1}s\u{301}\u{3B2}"),
            ("Α\u{3042}Σ", "\u{3B1}\u{3042}s"),
            ("Α\u{AC00}Σ", "\u{3B1}\u{AC00}S"),
            ("ΑΣ\u{345}", "\u{3B1}s\u{345}"),
            ("Α\u{301}-Σ", "\u{3B1}\u{301}-S"),
            ("Α-\u{301}Σ", "\u{3B1}-\u{301}s"),
            ("a_\u{345}Σ", "a_\u{345}s"),
            ("\u{345}Σ", "\u{345}s"),
            ("²\u{345}Σ", "²\u{345}S"),
        ] {
            assert_eq!(sigma(input), want, "{input}");
        }
    }

    #[test]
    fn many_sigmas_stay_linear() {
        // Each sigma's scans stop at its neighbours: 200,000 sigmas between digits take
        // milliseconds, not the minutes a whole-prefix scan per sigma would.
        let s = "1Σ".repeat(200_000);
        let lower = string_to_lower(&s);
        // Every sigma has a cased sigma in its word after it, except the last, which is final.
        assert_eq!(lower.chars().filter(|&c| c == '\u{3C3}').count(), 199_999);
        assert!(lower.ends_with('\u{3C2}'));
    }

    #[test]
    fn java_ignore_case_comparisons() {
        assert!(!equals_ignore_case("ß", "SS"));
        assert!(equals_ignore_case("ǅ", "ǆ"));
        assert!(equals_ignore_case("Straße", "STRAßE"));
        assert_eq!(compare_ignore_case("a", "B"), -1);
        assert_eq!(compare_ignore_case("abc", "AB"), 1);
        assert_eq!(compare_ignore_case("µ", "x"), 0x3BC - 'x' as i32);
        assert!(equals_ignore_case("𐐀", "𐐨"));
        assert_eq!(compare_ignore_case("𐐨", "k"), 0xD801 - 'k' as i32);
        assert_eq!(compare_ignore_case("a𐐨", "aΩ"), 0x10428 - 0x3C9);
    }

    #[test]
    fn properties_follow_java() {
        assert!(is_lower('ª'));
        assert!(is_lower('\u{295}'));
        assert!(is_upper('Ⓐ'));
        assert!(is_alphabetic('\u{345}'));
        assert!(!is_alphabetic('1'));
    }
}
