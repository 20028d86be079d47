//! Java (`java.util.regex`) regular expressions: our own parser (`parse.rs`), compiler
//! (`compile.rs`) and backtracking matcher (`exec.rs`) with `java.util.regex`'s semantics, since
//! Java's engine is itself a backtracker: leftmost-first alternation, greedy/lazy/possessive
//! quantifiers, atomic groups, lookahead and bounded lookbehind, backreferences (a reference
//! to a group that did not participate fails), `\G`, Java's `.`/`^`/`$` line terminators,
//! ASCII `\w \d \s` (Unicode under `(?U)`), `(?i)` folding ASCII only unless `u`, `(?x)`
//! comments, `\p{..}` with Java 17's general categories (tables generated from Java, see
//! `tools/`). Not supported (a clear error): `(?c)` CANON_EQ, `\X`, `\N{name}`, Unicode scripts
//! and blocks. Where Java throws StackOverflowError (`(a|b)*` over a long input) this engine
//! goes on up to its own stack bound (2^22 entries), then stops with an error.
//!
//! Matching iterates like `Matcher.find` (after an empty match the next search starts one
//! character later; `\G` is where the previous match ended), replacement strings follow
//! `Matcher.appendReplacement` (`$1`, `${name}`, `\$`), and [`JavaRegex::split`] follows
//! `Pattern.split`. Offsets are UTF-8 byte offsets; the matcher steps by code point (Java
//! steps by UTF-16 unit, which only differs when an empty match lands inside a surrogate pair).
//!
//! Every search is bounded: a step budget (the template's, through [`StepBudget`]) and a
//! backtrack-stack bound stop a catastrophic pattern like `(a+)+b\1` with an error instead of a
//! hang; nothing recurses natively on the input.

mod compile;
mod exec;
mod parse;
mod tables;
pub(crate) mod unicode;

use compile::Prog;
use exec::{Exec, Limit};
use std::fmt;

/// Longest accepted pattern (characters).
const MAX_PATTERN_CHARS: usize = 10_000;

/// Steps the methods without a budget argument may use per call (about a second of work):
/// past it they report no match (see [`JavaRegex::is_match_whole`]).
pub const DEFAULT_STEPS: u64 = 50_000_000;

/// Why a pattern (or a replacement string) was rejected, or a search stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JavaRegexError {
    pub message: String,
    /// Character index in the pattern (or replacement) where the problem is, like Java's
    /// `PatternSyntaxException.getIndex()` (0 for a search that ran out of steps).
    pub offset: usize,
}

impl fmt::Display for JavaRegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at index {})", self.message, self.offset)
    }
}

impl std::error::Error for JavaRegexError {}

/// Matcher steps one call may use (`limit`) and has used (`used`, updated by the call).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepBudget {
    pub limit: u64,
    pub used: u64,
}

impl StepBudget {
    pub fn new(limit: u64) -> StepBudget {
        StepBudget { limit, used: 0 }
    }
}

/// Marker text of the error a search that ran out of steps or stack reports.
pub const LIMIT_MESSAGE: &str = "regular expression search stopped";

fn limit_error(l: Limit, budget: &StepBudget) -> JavaRegexError {
    let why = match l {
        Limit::Steps => format!(
            "it used its {} steps (catastrophic backtracking: nested quantifiers like \
             `(a+)+` over a long non-matching input?)",
            budget.limit
        ),
        Limit::Stack => format!(
            "its backtrack stack passed {} entries (a repeated group over a very long input; \
             Java would throw StackOverflowError)",
            exec::MAX_STACK
        ),
    };
    JavaRegexError {
        message: format!("{LIMIT_MESSAGE}: {why}"),
        offset: 0,
    }
}

/// A compiled Java regular expression.
#[derive(Clone, Debug)]
pub struct JavaRegex {
    prog: Prog,
    group_count: usize,
    names: Vec<(String, usize)>,
}

impl JavaRegex {
    /// Compiles a Java pattern (`Pattern.compile` with no flags; inline flags work).
    pub fn compile(pattern: &str) -> Result<JavaRegex, JavaRegexError> {
        let chars: Vec<char> = pattern.chars().collect();
        if chars.len() > MAX_PATTERN_CHARS {
            return Err(JavaRegexError {
                message: format!(
                    "pattern is too long ({} characters; at most {MAX_PATTERN_CHARS})",
                    chars.len()
                ),
                offset: 0,
            });
        }
        let parsed = parse::parse(&chars)?;
        let prog = compile::compile(&parsed.node, parsed.groups)?;
        Ok(JavaRegex {
            prog,
            group_count: parsed.groups,
            names: parsed.names,
        })
    }

    /// Number of capturing groups (Java's `Matcher.groupCount()`).
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    /// Java `Pattern.matches` / `String.matches`: the whole input must match. A search that
    /// passes [`DEFAULT_STEPS`] counts as no match (use [`JavaRegex::try_is_match_whole`] to
    /// tell the two apart).
    pub fn is_match_whole(&self, s: &str) -> bool {
        self.try_is_match_whole(s, &mut StepBudget::new(DEFAULT_STEPS))
            .unwrap_or(false)
    }

    /// [`JavaRegex::is_match_whole`] within a step budget.
    pub fn try_is_match_whole(
        &self,
        s: &str,
        budget: &mut StepBudget,
    ) -> Result<bool, JavaRegexError> {
        check_len(s)?;
        let mut ex = Exec::new(&self.prog, budget.limit.saturating_sub(budget.used));
        let r = ex.matches(s);
        budget.used += ex.steps;
        r.map_err(|l| limit_error(l, budget))
    }

    /// Java `Matcher.find()` from the start: byte range of the first match. A search past
    /// [`DEFAULT_STEPS`] reports no match (use [`JavaRegex::try_find`] to see it).
    pub fn find(&self, s: &str) -> Option<(usize, usize)> {
        self.try_find(s, &mut StepBudget::new(DEFAULT_STEPS))
            .unwrap_or(None)
    }

    /// [`JavaRegex::find`] within a step budget.
    pub fn try_find(
        &self,
        s: &str,
        budget: &mut StepBudget,
    ) -> Result<Option<(usize, usize)>, JavaRegexError> {
        let mut out = None;
        self.each_match(s, 1, budget, |ex| {
            out = ex.group(0);
            true
        })?;
        Ok(out)
    }

    /// Every match as Java's repeated `Matcher.find()` reports them (byte ranges).
    pub fn find_all(&self, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let _ = self.each_match(s, usize::MAX, &mut StepBudget::new(DEFAULT_STEPS), |ex| {
            if let Some(m) = ex.group(0) {
                out.push(m);
            }
            true
        });
        out
    }

    /// Iterates matches Java-style: after an empty match the next search starts one character
    /// later (`Matcher.find`), and `\G` is where the previous match ended.
    fn each_match(
        &self,
        s: &str,
        max: usize,
        budget: &mut StepBudget,
        mut f: impl FnMut(&Exec<'_>) -> bool,
    ) -> Result<(), JavaRegexError> {
        check_len(s)?;
        let mut ex = Exec::new(&self.prog, budget.limit.saturating_sub(budget.used));
        let mut pos = 0;
        let mut last = 0;
        let mut count = 0;
        let mut result = Ok(());
        while pos <= s.len() && count < max {
            match ex.find(s, pos, last) {
                Ok(true) => {}
                Ok(false) => break,
                Err(l) => {
                    result = Err(l);
                    break;
                }
            }
            let Some((start, end)) = ex.group(0) else {
                break;
            };
            if !f(&ex) {
                break;
            }
            count += 1;
            last = end;
            if end == start {
                match s[end..].chars().next() {
                    Some(c) => pos = end + c.len_utf8(),
                    None => break,
                }
            } else {
                pos = end;
            }
        }
        budget.used += ex.steps;
        result.map_err(|l| limit_error(l, budget))
    }

    /// Java `String.replaceAll(regex, replacement)`. A result that would pass the engine's
    /// string cap is returned cut short just past it (the method layer then refuses it).
    pub fn replace_all(&self, s: &str, replacement: &str) -> Result<String, JavaRegexError> {
        self.replace_capped(s, replacement, usize::MAX, crate::methods::MAX_STRING)
    }

    /// Java `String.replaceFirst(regex, replacement)`.
    pub fn replace_first(&self, s: &str, replacement: &str) -> Result<String, JavaRegexError> {
        self.replace_capped(s, replacement, 1, crate::methods::MAX_STRING)
    }

    /// Replaces up to `max` matches; once the result passes `cap` bytes it stops growing,
    /// returning a string just past `cap` that the caller refuses.
    pub(crate) fn replace_capped(
        &self,
        s: &str,
        replacement: &str,
        max: usize,
        cap: usize,
    ) -> Result<String, JavaRegexError> {
        self.replace_budgeted(
            s,
            replacement,
            max,
            cap,
            &mut StepBudget::new(DEFAULT_STEPS),
        )
    }

    /// [`JavaRegex::replace_capped`] within a step budget.
    pub(crate) fn replace_budgeted(
        &self,
        s: &str,
        replacement: &str,
        max: usize,
        cap: usize,
        budget: &mut StepBudget,
    ) -> Result<String, JavaRegexError> {
        // Java parses the replacement only when there is a match (in appendReplacement): with
        // no match, `replaceAll('x', '$9')` returns the input instead of throwing.
        let mut parts: Option<Result<Vec<Rep>, JavaRegexError>> = None;
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        self.each_match(s, max, budget, |ex| {
            // Stop growing once past the string cap: the caller refuses any result longer than
            // it (`cap`), and `$s.replaceAll('x', $s)` on a 1 MiB `$s` would otherwise try to
            // build 1 TiB. Remaining matches cost only the search.
            if out.len() > cap {
                return true;
            }
            let Some((start, end)) = ex.group(0) else {
                return false;
            };
            let Ok(parts) = parts.get_or_insert_with(|| self.parse_replacement(replacement)) else {
                return false;
            };
            out.push_str(&s[last..start]);
            for p in parts.iter() {
                match p {
                    Rep::Lit(t) => out.push_str(t),
                    Rep::Group(g) => {
                        if let Some((a, b)) = ex.group(*g) {
                            out.push_str(&s[a..b]);
                        }
                    }
                }
            }
            last = end;
            true
        })?;
        if let Some(Err(e)) = parts {
            return Err(e);
        }
        out.push_str(&s[last..]);
        Ok(out)
    }

    /// Parses a Java replacement string (`Matcher.appendReplacement` rules).
    fn parse_replacement(&self, r: &str) -> Result<Vec<Rep>, JavaRegexError> {
        let chars: Vec<char> = r.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                i += 1;
                match chars.get(i) {
                    Some(&e) => lit.push(e),
                    None => {
                        return Err(JavaRegexError {
                            message: "character to be escaped is missing".into(),
                            offset: i - 1,
                        })
                    }
                }
                i += 1;
            } else if c == '$' {
                let at = i;
                i += 1;
                let group = match chars.get(i) {
                    None => {
                        return Err(JavaRegexError {
                            message: "Illegal group reference: group index is missing".into(),
                            offset: at,
                        })
                    }
                    Some('{') => {
                        let start = i + 1;
                        let mut j = start;
                        while j < chars.len() && chars[j].is_ascii_alphanumeric() {
                            j += 1;
                        }
                        if j == start || chars.get(j) != Some(&'}') {
                            return Err(JavaRegexError {
                                message: "named capturing group is missing trailing '}'".into(),
                                offset: at,
                            });
                        }
                        let name: String = chars[start..j].iter().collect();
                        i = j + 1;
                        match self.names.iter().find(|(n, _)| *n == name) {
                            Some((_, g)) => *g,
                            None => {
                                return Err(JavaRegexError {
                                    message: format!("No group with name {{{name}}}"),
                                    offset: at,
                                })
                            }
                        }
                    }
                    Some(d) if d.is_ascii_digit() => {
                        // Java reads the first digit, then more digits while the number stays a valid group.
                        let mut g = (*d as u8 - b'0') as usize;
                        i += 1;
                        while let Some(d2) = chars.get(i).filter(|c| c.is_ascii_digit()) {
                            let ng = g * 10 + (*d2 as u8 - b'0') as usize;
                            if ng > self.group_count {
                                break;
                            }
                            g = ng;
                            i += 1;
                        }
                        if g > self.group_count {
                            return Err(JavaRegexError {
                                message: format!("No group {g}"),
                                offset: at,
                            });
                        }
                        g
                    }
                    Some(_) => {
                        return Err(JavaRegexError {
                            message: "Illegal group reference".into(),
                            offset: at,
                        })
                    }
                };
                if !lit.is_empty() {
                    parts.push(Rep::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Rep::Group(group));
            } else {
                lit.push(c);
                i += 1;
            }
        }
        if !lit.is_empty() {
            parts.push(Rep::Lit(lit));
        }
        Ok(parts)
    }

    /// Java `Pattern.split(input, limit)` (and `String.split`, apart from its one-character
    /// fast path which gives the same result). A search past [`DEFAULT_STEPS`] ends the
    /// splitting early (use [`JavaRegex::try_split`] to see it).
    pub fn split(&self, s: &str, limit: i32) -> Vec<String> {
        match self.try_split(s, limit, &mut StepBudget::new(DEFAULT_STEPS)) {
            Ok(v) => v,
            Err(_) => vec![s.to_string()],
        }
    }

    /// [`JavaRegex::split`] within a step budget.
    pub fn try_split(
        &self,
        s: &str,
        limit: i32,
        budget: &mut StepBudget,
    ) -> Result<Vec<String>, JavaRegexError> {
        let mut list: Vec<String> = Vec::new();
        let mut index = 0usize;
        let limited = limit > 0;
        let mut stop = false;
        self.each_match(s, usize::MAX, budget, |ex| {
            if stop {
                return false;
            }
            let Some((start, end)) = ex.group(0) else {
                return false;
            };
            if !limited || (list.len() as i64) < (limit as i64) - 1 {
                // Java 8+: a zero-width match at the very beginning never yields a leading empty string.
                if !(index == 0 && start == 0 && start == end) {
                    list.push(s[index..start].to_string());
                    index = end;
                }
            } else {
                stop = true;
            }
            true
        })?;
        if index == 0 && list.is_empty() {
            return Ok(vec![s.to_string()]);
        }
        if !limited || (list.len() as i64) < limit as i64 {
            list.push(s[index..].to_string());
        }
        if limit == 0 {
            while list.last().is_some_and(|x| x.is_empty()) {
                list.pop();
            }
        }
        Ok(list)
    }
}

/// Inputs are addressed with 32-bit offsets in the matcher (the engine's strings stop at 16 MiB).
fn check_len(s: &str) -> Result<(), JavaRegexError> {
    if s.len() >= u32::MAX as usize - 1 {
        return Err(JavaRegexError {
            message: "input is too long for the regular expression matcher (4 GiB)".into(),
            offset: 0,
        });
    }
    Ok(())
}

enum Rep {
    Lit(String),
    Group(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> JavaRegex {
        JavaRegex::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn whole_match() {
        assert!(re("4\\d{2}").is_match_whole("404"));
        assert!(!re("4\\d{2}").is_match_whole("4040"));
        assert!(re(".*error.*").is_match_whole("an error here"));
        assert!(!re(".*error.*").is_match_whole("an\nerror"));
        assert!(re("(?s).*error.*").is_match_whole("an\nerror"));
        assert!(!re("\\d").is_match_whole("٣"));
        assert!(!re("\\w+").is_match_whole("é"));
        assert!(re("(?i)abc").is_match_whole("AbC"));
        assert!(re("a|ab").is_match_whole("ab"));
        assert!(re("[a-z&&[^e]]+").is_match_whole("abcd"));
        assert!(!re("[a-z&&[^e]]+").is_match_whole("abed"));
        assert!(re("(?x) a b # comment\n c").is_match_whole("abc"));
        assert!(re("\\Qa.b\\E").is_match_whole("a.b"));
        assert!(!re("\\Qa.b\\E").is_match_whole("axb"));
        assert!(re("\\p{Alpha}+").is_match_whole("abc"));
        assert!(re("\\p{L}+").is_match_whole("été"));
        assert!(re("[{}\\[\\]]+").is_match_whole("{}[]"));
    }

    /// Java's `\p{javaWhitespace}` is `Character.isWhitespace` (no-break spaces excluded,
    /// U+001C-U+001F included); `\p{IsWhite_Space}` is Unicode's White_Space property.
    #[test]
    fn whitespace_properties_follow_java() {
        let jw = re("\\p{javaWhitespace}");
        for c in ["\t", "\u{1C}", " ", "\u{2003}", "\u{2028}", "\u{3000}"] {
            assert!(jw.is_match_whole(c), "{c:?}");
        }
        for c in ["\u{A0}", "\u{2007}", "\u{202F}", "\u{85}", "x"] {
            assert!(!jw.is_match_whole(c), "{c:?}");
        }
        let ws = re("\\p{IsWhite_Space}");
        for c in ["\t", "\u{85}", "\u{A0}", "\u{2007}", "\u{202F}"] {
            assert!(ws.is_match_whole(c), "{c:?}");
        }
        assert!(!ws.is_match_whole("\u{1C}"));
        assert!(re("[^\\P{javaWhitespace}]").is_match_whole(" "));
        assert!(re("\\P{IsWhite_Space}").is_match_whole("a"));
    }

    /// Java 17 resolves `\p{IsX}` as a binary property first, then a category; scripts and
    /// blocks are not shipped (their tables would dwarf the engine) and say so.
    #[test]
    fn unicode_scripts_and_blocks_are_clear_errors() {
        assert!(re("\\p{Lu}\\p{IsLl}+").is_match_whole("Été"));
        assert!(re("\\p{Nd}").is_match_whole("٣"));
        assert!(re("\\p{gc=Lu}").is_match_whole("É"));
        assert!(re("\\p{general_category=Nd}").is_match_whole("٣"));
        assert!(re("\\p{IsAlphabetic}+").is_match_whole("aé中"));
        assert!(re("\\p{javaLowerCase}+").is_match_whole("aéß"));
        assert!(!re("\\p{javaLowerCase}").is_match_whole("A"));
        assert!(re("\\p{javaUpperCase}").is_match_whole("Σ"));
        assert!(
            re("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*").is_match_whole("$x_1é")
        );
        assert!(!re("\\p{javaJavaIdentifierStart}").is_match_whole("1"));
        assert!(re("\\p{javaIdentifierIgnorable}").is_match_whole("\u{AD}"));
        assert!(JavaRegex::compile("\\p{javaMirrored}")
            .unwrap_err()
            .message
            .contains("not supported"));
        // Characters assigned after Unicode 13 (Java 17's) have no properties in Java 17.
        assert!(!re("\\p{IsAlphabetic}").is_match_whole("\u{870}"));
        assert!(!re("\\p{javaLowerCase}").is_match_whole("\u{1DF00}"));
        assert!(!re("\\p{javaUpperCase}").is_match_whole("\u{2C2F}"));
        for p in ["\\p{IsLatin}", "\\p{InGreek}", "\\p{script=Latin}"] {
            let e = JavaRegex::compile(p).unwrap_err();
            assert!(
                e.message.contains("scripts and blocks are not"),
                "{p}: {}",
                e.message
            );
            assert_eq!(e.offset, 0, "{p}");
        }
        // Java: "Unknown character property name {Foo}" at the closing brace.
        let e = JavaRegex::compile("\\p{Foo}").unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.offset),
            ("Unknown character property name {Foo}", 6)
        );
    }

    #[test]
    fn dollar_before_final_terminator() {
        let r = re("abc$");
        assert_eq!(r.find("abc\n"), Some((0, 3)));
        assert!(!r.is_match_whole("abc\n"));
        assert_eq!(r.replace_all("abc\n", "X").unwrap(), "X\n");
        assert_eq!(re("$").replace_all("abc\n", "X").unwrap(), "abcX\nX");
    }

    /// Syntax errors carry Java 17's message and index (`PatternSyntaxException`).
    #[test]
    fn syntax_errors_like_java() {
        let cases: &[(&str, &str, usize)] = &[
            ("*a", "Dangling meta character '*'", 0),
            ("a**", "Dangling meta character '*'", 2),
            ("a|*", "Dangling meta character '*'", 2),
            ("x{a", "Illegal repetition", 2),
            ("a{,2}", "Illegal repetition", 2),
            ("a{1", "Unclosed counted closure", 3),
            ("a{2,1}", "Illegal repetition range", 5),
            ("[]", "Unclosed character class", 1),
            ("[a", "Unclosed character class", 1),
            ("[a-\\d]", "Illegal character range", 4),
            (
                "(?<1n>a)",
                "capturing group name does not start with a Latin letter",
                3,
            ),
            (
                "(?<a>x)(?<a>y)",
                "Named capturing group <a> is already defined",
                11,
            ),
            ("\\0", "Illegal octal escape sequence", 2),
            ("\\08", "Illegal octal escape sequence", 2),
            ("a)", "Unmatched closing ')'", 0),
            ("(?", "Unknown inline modifier", 2),
            ("(?z)", "Unknown inline modifier", 2),
            ("a\\E", "Illegal/unsupported escape sequence", 2),
            (
                "(?<=(a)\\1)b",
                "Look-behind group does not have an obvious maximum length",
                8,
            ),
            ("[a-", "Illegal character range", 3),
            ("a{99999999999}", "Illegal repetition range", 11),
            ("\\x{110000}", "Hexadecimal codepoint is too big", 8),
            ("\\u12", "Illegal Unicode escape sequence", 4),
            ("\\c", "Illegal control escape sequence", 1),
        ];
        for (p, msg, at) in cases {
            let e = JavaRegex::compile(p).unwrap_err();
            assert_eq!((e.message.as_str(), e.offset), (*msg, *at), "{p}");
        }
        assert!(JavaRegex::compile("(a").is_err());
        assert!(JavaRegex::compile("\\k<x>").is_err());
        // Counted repetitions of one character are a loop; of a group, unrolled, with a
        // bound on the program (Java would accept the second one too).
        assert!(re("(a{1000}){1000}").is_match_whole(&"a".repeat(1_000_000)));
        let e = JavaRegex::compile("((ab){1000}){1000}").unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
        // Unrolling that emits nothing is bounded as well (would be 10^9 visits).
        let e = JavaRegex::compile("(?:(?:(?:){1000}){1000}){1000}").unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
    }

    /// Java parses the replacement only in appendReplacement, i.e. at the first match.
    #[test]
    fn replacement_is_parsed_only_when_something_matches() {
        assert_eq!(re("x").replace_all("abc", "$9").unwrap(), "abc");
        assert_eq!(re("x").replace_first("abc", "\\").unwrap(), "abc");
        assert!(re("b").replace_all("abc", "$9").is_err());
    }

    /// Java's legacy `\v` before `-` in a class: U+000B starting a range.
    #[test]
    fn class_v_before_dash_is_vertical_tab_range() {
        let r = re("[\\v-a]");
        assert!(r.is_match_whole("\u{B}"));
        assert!(r.is_match_whole("B"));
        assert!(!r.is_match_whole("\u{2028}"));
        assert!(re("[\\v]").is_match_whole("\u{2028}"));
    }

    /// Java's GroupCurly drops a zero-length iteration: `(\b)*` never records group 1, so
    /// `\1` (a group that did not participate) fails.
    #[test]
    fn empty_iteration_of_deterministic_group_is_not_recorded() {
        assert_eq!(re("(\\b)*\\1").find("ab"), None);
        assert_eq!(groups("(\\b)*", "ab"), g(&[Some(""), None]));
        // A non-deterministic body (Java's Loop) does record its final empty iteration.
        assert_eq!(groups("(a*)+", "aaab"), g(&[Some("aaa"), Some("")]));
    }

    /// Lookbehind needs Java's "obvious maximum length": `?`/`{0,1}` and possessive loops of
    /// groups are fine, greedy or lazy `{n,m}` of a variable group are not.
    #[test]
    fn lookbehind_maximum_length_rules_like_java() {
        for ok in [
            "(?<=(ab){2})c",
            "(?<=(?:ab|c)?)d",
            "(?<=(?:a?b){0,1})c",
            "(?<=(?:a?b){1,2}+)c",
        ] {
            assert!(JavaRegex::compile(ok).is_ok(), "{ok}");
        }
        for bad in ["(?<=(?:ab|c){1,2})d", "(?<=(?:a?b){2}?)c", "(?<=(?:ab)*)c"] {
            let e = JavaRegex::compile(bad).unwrap_err();
            assert!(e.message.starts_with("Look-behind group"), "{bad}");
        }
    }

    /// Java 17 applies a counted closure with nothing before it to the empty string.
    #[test]
    fn counted_closure_after_nothing_repeats_empty() {
        assert!(re("{2}a").is_match_whole("a"));
        assert_eq!(
            re("x{2}{3}").find_all("xxxxxx"),
            vec![(0, 2), (2, 4), (4, 6)]
        );
        assert!(re("a*{2}").is_match_whole("aa"));
    }

    fn groups(p: &str, s: &str) -> Vec<Option<String>> {
        let r = re(p);
        let prog = &r.prog;
        let mut ex = Exec::new(prog, DEFAULT_STEPS);
        assert!(ex.find(s, 0, 0).unwrap(), "{p} on {s:?}");
        (0..=r.group_count())
            .map(|g| ex.group(g).map(|(a, b)| s[a..b].to_string()))
            .collect()
    }

    fn g(v: &[Option<&str>]) -> Vec<Option<String>> {
        v.iter().map(|x| x.map(str::to_string)).collect()
    }

    /// Java's backreferences: `\k<name>`, the multi-digit rule, a group that did not
    /// participate fails the reference, `(?i)` compares ASCII case-insensitively.
    #[test]
    fn backreferences_like_java() {
        assert!(re("(a)\\1").is_match_whole("aa"));
        assert!(re("(?<x>a)\\k<x>").is_match_whole("aa"));
        assert!(re("(a)?b\\1").find("b").is_none());
        // \11 with one group: group 1 then a literal '1'.
        assert!(re("(a)\\11").is_match_whole("aa1"));
        // \11 with no group at all: a reference to group 1, which never matches.
        assert!(re("\\11").find("x").is_none());
        assert!(re("(?i)(a)\\1").is_match_whole("aA"));
        assert!(!re("(?i)(é)\\1").is_match_whole("éÉ"));
        assert!(re("(?iu)(é)\\1").is_match_whole("éÉ"));
    }

    #[test]
    fn lookaround_like_java() {
        assert_eq!(re("a(?=b)").find("ab"), Some((0, 1)));
        assert_eq!(re("a(?!b)").find("abac"), Some((2, 3)));
        assert_eq!(re("(?<=a)b").find("ab"), Some((1, 2)));
        assert_eq!(re("(?<!a)b").find("abcb"), Some((3, 4)));
        assert_eq!(re("(?<=\\d{1,3})x").find("12x"), Some((2, 3)));
        // Java 17 accepts one-character loops in a lookbehind (no error), and finds.
        assert_eq!(re("(?<=a.*)b").find("ab"), Some((1, 2)));
        assert_eq!(re("(?<=xa+)b").find("xab"), Some((2, 3)));
        assert!(JavaRegex::compile("(?<=(?:ab)*)c").is_err());
        // Captures inside a positive lookahead stay; inside a negative one they are reset.
        assert_eq!(groups("(?=(a))", "a"), g(&[Some(""), Some("a")]));
        assert_eq!(groups("(?!(a))b", "b"), g(&[Some("b"), None]));
    }

    #[test]
    fn atomic_and_possessive_never_give_back() {
        assert!(!re("a*+a").is_match_whole("aaa"));
        assert!(re("a*+").is_match_whole("aaa"));
        assert!(!re("(?>a*)a").is_match_whole("aaa"));
        assert!(!re("(?:ab)++ab").is_match_whole("ababab"));
        assert!(re("(?:ab)+ab").is_match_whole("ababab"));
        assert_eq!(re("\\R").find("\r\n"), Some((0, 2)));
    }

    /// Java does not restore groups captured inside an independent node (atomic group,
    /// lookaround, possessive iteration) when the match backtracks past it, nor clears groups
    /// between start positions of one search.
    #[test]
    fn captures_in_independent_nodes_are_not_restored() {
        assert_eq!(groups("(?>(a))b|a", "ac"), g(&[Some("a"), Some("a")]));
        assert_eq!(groups("(?=(a))x|a", "ab"), g(&[Some("a"), Some("a")]));
        assert_eq!(groups("(?<!(a))b|b", "ab"), g(&[Some("b"), Some("a")]));
        assert_eq!(groups("(a)x|a", "ab"), g(&[Some("a"), None]));
        // (a+){2}+: each iteration is independent and the count never backs off.
        assert_eq!(re("(a+){2}+").find("aaaa"), None);
        assert_eq!(re("b(?:c|cd){2}+d").find_all("bccd bcdcd"), vec![(0, 4)]);
    }

    /// `\R` is one node with a known maximum (fine in a lookbehind) that can give back the
    /// `\n` of a `\r\n`; lookbehind lengths count UTF-16 units unless the pattern has a
    /// supplementary character after the lookbehind's start (Java's Behind vs BehindS).
    #[test]
    fn linebreak_and_lookbehind_units_like_java() {
        assert_eq!(re("\\R\\H").find("\r\n"), Some((0, 2)));
        assert_eq!(
            re("(?<=x\\R{1,2})b").find_all("x\r\nb x\n\nb xb"),
            vec![(3, 4), (8, 9)]
        );
        // (?<=a.) looks back at most 2 units: not past 'a' + an emoji (3 units).
        assert_eq!(re("(?<=a.)b").find_all("a😀b ayb"), vec![(9, 10)]);
        // With a supplementary character in the pattern Java counts code points.
        assert_eq!(re("(?<=a.)b|😀").find_all("a😀b"), vec![(1, 5), (5, 6)]);
    }

    /// Java's GroupCurly (a group with a deterministic body under `*`, `+`, `{n,m}`) restores
    /// only the repeated group when it gives iterations back: a group nested inside keeps what
    /// the furthest iteration captured.
    #[test]
    fn group_curly_keeps_inner_captures_like_java() {
        // (.) last took the "b" that the loop then gave back to the literal b.
        assert_eq!(groups("(?:(.))+b", "xyzb"), g(&[Some("xyzb"), Some("b")]));
        // (?:(.))+ takes "xyz", gives back "z" for the final literal: group 1 stays "z".
        assert_eq!(groups("(?:(.))+z", "xyz"), g(&[Some("xyz"), Some("z")]));
        // The repeated group itself is restored (last kept iteration).
        assert_eq!(groups("(.)+z", "xyz"), g(&[Some("xyz"), Some("y")]));
    }

    /// A `?` records a group whose body matched empty, quantified lookarounds and possessive
    /// iterations keep what their one attempt captured; a quantified `\R` is atomic each time.
    #[test]
    fn zero_width_quantified_captures_like_java() {
        assert_eq!(re("(x{0})??\\1").find(""), Some((0, 0)));
        assert!(re("x(?=(-a))?\\1").is_match_whole("x-a"));
        assert_eq!(re("(x{0}){0,2}+\\1a").find("a"), Some((0, 1)));
        assert_eq!(re("\\R{2}").find("\r\n"), None);
        assert_eq!(re("\\R\\R").find("\r\n"), Some((0, 2)));
    }

    /// Java's Loop (a repeated body with alternatives or variable parts) ends at the first
    /// iteration that matched empty, even below its minimum count.
    #[test]
    fn loop_ends_at_empty_iteration_like_java() {
        assert_eq!(re("(x\\1|)+").find_all("xx"), vec![(0, 0), (1, 1), (2, 2)]);
        assert_eq!(groups("(\\A[^-]*){2}?", "ab-c"), g(&[Some(""), Some("")]));
        assert_eq!(groups("(a|b)*", "ab"), g(&[Some("ab"), Some("b")]));
    }

    /// (?x) whitespace: before a quantifier and its suffix, between `(` and `?`; an empty
    /// `\Q\E` is no node, so a quantifier after it applies to the atom before.
    #[test]
    fn comments_mode_and_empty_quote_like_java() {
        assert_eq!(re("(?x)a +b ?c{2} +").find_all("aab aacc a"), vec![(4, 8)]);
        assert_eq!(re("(?x)a( ?i)b").find_all("aB ab AB"), vec![(0, 2), (3, 5)]);
        assert_eq!(
            re("a\\Q\\E{2}|b\\Q\\E*c").find_all("aa a bbbc"),
            vec![(0, 2), (5, 9)]
        );
    }

    /// `\G` is where the previous match ended (0 for the first search).
    #[test]
    fn g_anchor_is_previous_match_end() {
        assert_eq!(re("\\Ga").find_all("aab"), vec![(0, 1), (1, 2)]);
        assert_eq!(re("\\Ga").replace_all("aaba", "x").unwrap(), "xxba");
    }

    /// Leftmost-first alternation, greedy/lazy order and last-iteration captures, as Java.
    #[test]
    fn captures_like_java() {
        assert_eq!(
            groups("(a|ab)(c|bcd)(d*)", "abcd"),
            g(&[Some("abcd"), Some("a"), Some("bcd"), Some("")])
        );
        assert_eq!(groups("(a|b)*", "ab"), g(&[Some("ab"), Some("b")]));
        assert_eq!(groups("(a*)*", "b"), g(&[Some(""), Some("")]));
        assert_eq!(
            groups("(a+?)(a*)", "aaa"),
            g(&[Some("aaa"), Some("a"), Some("aa")])
        );
        assert_eq!(groups("(?:(a)|b)+", "ab"), g(&[Some("ab"), Some("a")]));
        assert_eq!(re("(a*)*").find_all("b"), vec![(0, 0), (1, 1)]);
    }

    /// Java's CASE_INSENSITIVE folds ASCII only unless UNICODE_CASE (`u`) is on: `(?i)[k]`
    /// does not match U+212A KELVIN SIGN, `(?i)é` does not match `É`.
    #[test]
    fn case_insensitive_is_ascii_unless_u() {
        assert!(!re("(?i)[k]").is_match_whole("\u{212A}"));
        assert!(re("(?i)[k]").is_match_whole("K"));
        assert!(!re("(?i)é").is_match_whole("É"));
        assert!(!re("(?i)[é]").is_match_whole("É"));
        assert!(!re("(?i)[à-ë]").is_match_whole("É"));
        assert!(re("(?iu)é").is_match_whole("É"));
        assert!(re("(?iu)[é]").is_match_whole("É"));
        assert!(re("(?iu)k").is_match_whole("\u{212A}"));
        assert!(re("(?i)[a-c]+").is_match_whole("AbC"));
        assert!(re("(?i)\\p{Lower}").is_match_whole("A"));
        assert!(re("(?i)\\p{Lu}").is_match_whole("a"));
        // Flags are scoped to the group they appear in.
        assert!(re("(a(?i)b)c").is_match_whole("aBc"));
        assert!(!re("(a(?i)b)c").is_match_whole("aBC"));
        assert!(re("a(?i:b)c").is_match_whole("aBc"));
        assert!(!re("(?i)a(?-i)b").is_match_whole("AB"));
    }

    /// `^`/`$` with and without `m`, Java's line terminators, `d` (UNIX_LINES).
    #[test]
    fn anchors_and_line_terminators_like_java() {
        assert_eq!(re("(?m)^a$").find_all("a\nb\na"), vec![(0, 1), (4, 5)]);
        assert_eq!(re("a$").find("a\r\n"), Some((0, 1)));
        assert_eq!(re("a$").find("a\n\n"), None);
        // Multiline `^` never matches at the very end of the input (even an empty one).
        assert_eq!(re("(?m)^").find(""), None);
        assert_eq!(re("(?m)^").find_all("a\n"), vec![(0, 0)]);
        // No line start between \r and \n.
        assert_eq!(re("(?m)^").find_all("a\r\nb"), vec![(0, 0), (3, 3)]);
        assert!(re(".").is_match_whole("\u{B}"));
        assert!(!re(".").is_match_whole("\u{85}"));
        assert!(re("(?d).").is_match_whole("\r"));
        assert!(!re("(?d).").is_match_whole("\n"));
        assert_eq!(re("(?d)a$").find("a\r"), None);
        assert_eq!(re("a\\Z").find("a\n"), Some((0, 1)));
        assert_eq!(re("(?m)a\\Z").find("a\nb"), None);
    }

    /// Java 8-17's `\b` uses `Character.isLetterOrDigit` while `\w` is ASCII: `\b\w+\b`
    /// finds nothing in "héllo".
    #[test]
    fn word_boundary_is_unicode_while_w_is_ascii() {
        assert_eq!(re("\\b\\w+\\b").find("héllo wörld"), None);
        assert_eq!(re("\\bé").find("café é"), Some((6, 8)));
        // A non-spacing mark after a letter is part of the word.
        assert_eq!(re("e\u{301}\\b").find("e\u{301}x e\u{301}"), Some((5, 8)));
    }

    /// `(?U)` (UNICODE_CHARACTER_CLASS): `\w \d \s \b` and the POSIX names become Unicode,
    /// and UNICODE_CASE comes with it (compared with Java 17 on each line).
    #[test]
    fn unicode_character_class_flag() {
        assert!(re("(?U)\\w+").is_match_whole("héllo_1٣"));
        assert!(re("(?U)\\d").is_match_whole("٣"));
        assert!(!re("(?U)\\S").is_match_whole("\u{A0}"));
        assert_eq!(re("(?U)\\b\\w+\\b").find("héllo wörld"), Some((0, 6)));
        assert!(re("(?U)\\p{Lower}").is_match_whole("é"));
        assert!(re("(?U)\\p{Punct}").is_match_whole("«"));
        assert!(re("(?U)(?i)é").is_match_whole("É"));
        assert!(!re("(?U)(?-U)\\w").is_match_whole("é"));
    }

    /// Java's `clazz` unions its Latin-1 bit set by reference, so characters after an `&&`
    /// operand join the whole class; `[&&&` is an error.
    #[test]
    fn class_intersection_corners_like_java() {
        assert_eq!(re("[a-z&&&x]").find_all("abx&q-").len(), 5);
        assert_eq!(re("[[ab]&&[b]&]").find_all("a b & x"), vec![(2, 3), (4, 5)]);
        assert_eq!(re("[[ab]&&[b]x]").find_all("a b & x"), vec![(2, 3)]);
        let e = JavaRegex::compile("[&&&A-F]").unwrap_err();
        assert_eq!((e.message.as_str(), e.offset), ("Bad class syntax", 2));
        assert!(re("[\\Q+\\E-/]").is_match_whole(","));
    }

    /// Classes: Java 9+ negation covers nested classes; intersections; `]` first is literal.
    #[test]
    fn classes_like_java() {
        assert!(!re("[^a[b]]").is_match_whole("b"));
        assert!(re("[^a[b]]").is_match_whole("c"));
        assert!(re("[]a]").is_match_whole("]"));
        assert!(re("[a-]").is_match_whole("-"));
        assert_eq!(re("[\\w&&\\d]").find("a1"), Some((1, 2)));
        assert!(re("[a-z&&b&&b-c]").is_match_whole("b"));
        assert!(!re("[a-z&&b&&c]").is_match_whole("b"));
        assert!(re("[\\Q]\\E]").is_match_whole("]"));
        assert!(re("\\x{1F600}").is_match_whole("😀"));
        assert!(re("\\uD83D\\uDE00").is_match_whole("😀"));
        assert!(re("\\cA").is_match_whole("\u{1}"));
        assert!(re("\\0101").is_match_whole("A"));
        assert!(re("\\h\\v").is_match_whole("\u{A0}\u{2028}"));
    }

    /// A catastrophic pattern stops with a clear error within its step budget instead of
    /// running for 2^30 steps; the budget also records what was used.
    #[test]
    fn catastrophic_backtracking_stops_within_budget() {
        // With a backreference Java does not memoize its loops either: 27 a's took Java 17
        // 15.8 s (and `(?:(a+)+)+b` on 29 a's three minutes).
        let r = re("(a+)+b\\1");
        let input = "a".repeat(30);
        let mut b = StepBudget::new(1_000_000);
        let e = r.try_is_match_whole(&input, &mut b).unwrap_err();
        assert!(e.message.starts_with(LIMIT_MESSAGE), "{}", e.message);
        assert!(b.used > 1_000_000 && b.used < 1_100_000, "{}", b.used);
        assert!(!r.is_match_whole(&input));
        let mut b = StepBudget::new(1_000_000);
        assert!(r.try_is_match_whole("aaaba", &mut b).unwrap());
        assert!(b.used > 0 && b.used < 1000);
    }

    /// Java 9+ remembers where another iteration of a top-level greedy loop failed (no
    /// backreferences in the pattern), so `(a+)+b` costs n^2 steps (the inner `a+` still gives
    /// back one character at a time, as in Java) instead of 2^n.
    #[test]
    fn greedy_loop_failures_are_memoized_like_java() {
        let input = "a".repeat(300);
        for p in ["(a+)+b", "(a|aa)*b", "(?:a+)+b", "x*(a|a)*c"] {
            let mut b = StepBudget::new(u64::MAX);
            assert!(!re(p).try_is_match_whole(&input, &mut b).unwrap(), "{p}");
            assert!(b.used < 2_000_000, "{p}: {}", b.used);
            let mut b = StepBudget::new(50_000_000);
            let r = re(p);
            let found = r.each_match(&input, 1, &mut b, |_| true);
            assert!(found.is_ok(), "{p}: {}", b.used);
        }
        // Still exponential where Java is: inside a quantified group, or with a backreference.
        let mut b = StepBudget::new(1_000_000);
        assert!(re("(?:(a+)+)+b")
            .try_is_match_whole(&"a".repeat(40), &mut b)
            .is_err());
    }

    /// In a template, a catastrophic regex is charged to the template's step limit and
    /// stops the render with the regex's message (methods.rs `RegexCache::regex_budget`).
    #[test]
    fn catastrophic_regex_in_template_uses_the_step_limit() {
        let src = "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')$s.matches('(a+)+b\\1')";
        let limits = crate::Limits {
            max_steps: 100_000,
            ..crate::Limits::default()
        };
        let t0 = std::time::Instant::now();
        let e = crate::Template::parse(src)
            .render(&mut crate::Context::new(), &limits)
            .unwrap_err();
        assert!(e.message.contains(LIMIT_MESSAGE), "{e}");
        assert!(t0.elapsed().as_secs() < 5);
        // A normal regex in a template still works and is charged a little.
        let ok = crate::Template::parse("$s.replaceAll('(\\w)(\\w*)', '$2$1')")
            .render(
                &mut {
                    let mut c = crate::Context::new();
                    c.insert("s", crate::value::Value::Str("hello world".into()));
                    c
                },
                &limits,
            )
            .unwrap();
        assert_eq!(ok, "elloh orldw");
    }

    /// Long inputs: loops over one character or class run without a backtrack entry per
    /// character, and a repeated group over a long input stops cleanly at the stack bound
    /// (Java throws StackOverflowError there) instead of overflowing the native stack.
    #[test]
    fn long_inputs_are_bounded() {
        let big = "ab".repeat(1 << 20);
        assert!(re(".*b").is_match_whole(&big));
        assert!(re("[ab]*+").is_match_whole(&big));
        assert_eq!(re("x").find(&big), None);
        let mut b = StepBudget::new(u64::MAX);
        let r = re("(a|b)*c").try_is_match_whole(&"ab".repeat(3 << 20), &mut b);
        assert!(r.unwrap_err().message.contains("backtrack stack"));
    }

    #[test]
    fn replace_java_style() {
        assert_eq!(re("a*").replace_all("baaac", "X").unwrap(), "XbXXcX");
        assert_eq!(
            re("(\\w+)@(\\w+)")
                .replace_all("me@host", "$2 at $1")
                .unwrap(),
            "host at me"
        );
        assert_eq!(re("o").replace_first("foo", "0").unwrap(), "f0o");
        assert_eq!(re("x").replace_all("axb", "\\$").unwrap(), "a$b");
        assert_eq!(re("(?<n>b)").replace_all("abc", "[${n}]").unwrap(), "a[b]c");
        assert_eq!(re("(b)").replace_all("abc", "$11").unwrap(), "ab1c");
        assert!(re("b").replace_all("abc", "$1").is_err());
        assert!(re("b").replace_all("abc", "\\").is_err());
        assert!(re("b").replace_all("abc", "$x").is_err());
    }

    #[test]
    fn split_java_style() {
        let s = |p: &str, input: &str, l: i32| re(p).split(input, l);
        assert_eq!(s(",", "a,b,,", 0), vec!["a", "b"]);
        assert_eq!(s(",", "a,b,,", -1), vec!["a", "b", "", ""]);
        assert_eq!(s(",", "a,b,c", 2), vec!["a", "b,c"]);
        assert_eq!(s(",", "", 0), vec![""]);
        assert_eq!(s(",", ",a", 0), vec!["", "a"]);
        assert_eq!(s("", "abc", 0), vec!["a", "b", "c"]);
        assert_eq!(s(",", ",,,", 0), Vec::<String>::new());
        assert_eq!(s("\\s+", " a b", 0), vec!["", "a", "b"]);
    }
}
