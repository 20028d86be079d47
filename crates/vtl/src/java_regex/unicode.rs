//! Character properties with Java 17's answers: `Character.getType` from a generated range table
//! (tools/GenUnicodeTables.java); case mapping and the case properties from `crate::jchar`
//! (tables generated on the same JDK).

use super::tables::GC_RUNS;

/// Java's `Character` type constants (`Character.getType` values).
pub(crate) mod gc {
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
pub(crate) fn general_category(c: char) -> u32 {
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

pub(super) use crate::jchar::{
    is_alphabetic, is_lower as is_lowercase, is_upper as is_uppercase, to_lower, to_upper,
};

/// The key Java's `UNICODE_CASE` comparisons use: `toLowerCase(toUpperCase(c))`.
pub(super) fn fold_unicode(c: char) -> char {
    to_lower(to_upper(c))
}

/// `Character.isTitleCase`.
pub(super) fn is_titlecase(c: char) -> bool {
    general_category(c) == gc::LT
}
