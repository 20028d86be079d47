//! Character properties with Java 17's answers: `Character.getType` from a generated range table
//! (tools/GenUnicodeTables.java), the rest from Rust's `char` methods where they implement the
//! same Unicode property (Rust may carry a newer Unicode version than Java 17's 13.0; only
//! characters assigned since then can differ).

use super::tables::GC_RUNS;

/// Java's `Character` type constants (`Character.getType` values).
pub(super) mod gc {
    pub const CN: u32 = 0;
    pub const LU: u32 = 1;
    pub const LL: u32 = 2;
    pub const LT: u32 = 3;
    pub const LM: u32 = 4;
    pub const LO: u32 = 5;
    pub const MN: u32 = 6;
    pub const ME: u32 = 7;
    pub const MC: u32 = 8;
    pub const ND: u32 = 9;
    pub const NL: u32 = 10;
    pub const NO: u32 = 11;
    pub const ZS: u32 = 12;
    pub const ZL: u32 = 13;
    pub const ZP: u32 = 14;
    pub const CC: u32 = 15;
    pub const CF: u32 = 16;
    pub const CO: u32 = 18;
    pub const CS: u32 = 19;
    pub const PD: u32 = 20;
    pub const PS: u32 = 21;
    pub const PE: u32 = 22;
    pub const PC: u32 = 23;
    pub const PO: u32 = 24;
    pub const SM: u32 = 25;
    pub const SC: u32 = 26;
    pub const SK: u32 = 27;
    pub const SO: u32 = 28;
    pub const PI: u32 = 29;
    pub const PF: u32 = 30;
}

/// `Character.getType(c)`.
pub(super) fn general_category(c: char) -> u32 {
    let key = ((c as u32) << 5) | 31;
    // Index of the last run whose start is <= c: the first run starts at 0, so it exists.
    let i = GC_RUNS.partition_point(|&r| r <= key);
    GC_RUNS.get(i.wrapping_sub(1)).map_or(gc::CN, |r| r & 31)
}

/// Bit mask of one category, for `mask & bit(gc) != 0` tests.
pub(super) const fn bit(cat: u32) -> u32 {
    1 << cat
}

pub(super) const LETTER: u32 = bit(gc::LU) | bit(gc::LL) | bit(gc::LT) | bit(gc::LM) | bit(gc::LO);
pub(super) const CASED_LETTER: u32 = bit(gc::LU) | bit(gc::LL) | bit(gc::LT);

/// `Character.isLetterOrDigit`, the word test of Java 8-17's `\b`.
pub(super) fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (LETTER | bit(gc::ND)) & bit(general_category(c)) != 0
}

/// `Character.isWhitespace`: space/line/paragraph separators except the no-break ones
/// (U+00A0, U+2007, U+202F), plus U+0009-U+000D and U+001C-U+001F.
pub(super) fn is_java_whitespace(c: char) -> bool {
    match c {
        '\t'..='\r' | '\u{1C}'..='\u{1F}' => true,
        '\u{A0}' | '\u{2007}' | '\u{202F}' => false,
        _ => bit(general_category(c)) & (bit(gc::ZS) | bit(gc::ZL) | bit(gc::ZP)) != 0,
    }
}

/// Java's `White_Space` predicate (CharPredicates.WHITE_SPACE): separators, U+0009-U+000D, U+0085.
pub(super) fn is_white_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\u{85}')
        || bit(general_category(c)) & (bit(gc::ZS) | bit(gc::ZL) | bit(gc::ZP)) != 0
}

/// Whether Java 17 (Unicode 13) knows the character. Rust's `char` tables are newer: gating
/// them with this leaves 70 code points where Java 17 and Rust disagree on isAlphabetic /
/// isLowerCase / isUpperCase / toUpperCase (properties Unicode changed since 13.0, e.g.
/// U+0295 is lowercase in Java 17, U+019B gained an uppercase in Unicode 16), instead of
/// thousands (measured over all code points against `java.lang.Character`).
pub(super) fn assigned(c: char) -> bool {
    c.is_ascii() || general_category(c) != gc::CN
}

/// `Character.isAlphabetic`.
pub(super) fn is_alphabetic(c: char) -> bool {
    c.is_alphabetic() && assigned(c)
}

/// `Character.isLowerCase`.
pub(super) fn is_lowercase(c: char) -> bool {
    c.is_lowercase() && assigned(c)
}

/// `Character.isUpperCase`.
pub(super) fn is_uppercase(c: char) -> bool {
    c.is_uppercase() && assigned(c)
}

/// `Character.toUpperCase(int)`: the single-character mapping (a character whose full
/// uppercase is several characters, like `ß`, maps to itself, as in Java).
pub(super) fn to_upper(c: char) -> char {
    if !assigned(c) {
        return c;
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `Character.toLowerCase(int)` (single-character mapping; `İ` maps to `i`, as in Java).
pub(super) fn to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    if !assigned(c) {
        return c;
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The key Java's `UNICODE_CASE` comparisons use: `toLowerCase(toUpperCase(c))`.
pub(super) fn fold_unicode(c: char) -> char {
    to_lower(to_upper(c))
}

/// `Character.isTitleCase`.
pub(super) fn is_titlecase(c: char) -> bool {
    general_category(c) == gc::LT
}
