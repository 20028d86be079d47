//! Java (`java.util.regex`) patterns on top of the `regex` crate.
//!
//! A Java pattern is translated, construct by construct, into `regex` syntax with Java's
//! meaning: `.` excludes Java's line terminators, `\w \d \s` are ASCII, `(?i)` folds ASCII only,
//! `$` also matches before a final line terminator, `(?x)` comments are stripped. Constructs the
//! `regex` crate cannot express with the same meaning (backreferences, lookaround, atomic groups,
//! possessive quantifiers, `\G`, ...) are rejected with a [`JavaRegexError`] — never silently
//! changed. Matching iterates like `java.util.regex.Matcher.find` (an empty match right after a
//! previous match is reported, as Java does), replacement strings follow
//! `Matcher.appendReplacement` (`$1`, `${name}`, `\$`), and [`JavaRegex::split`] follows
//! `Pattern.split`. `\p{..}` supports Java's POSIX classes, Unicode general categories
//! (`\p{L}`, `\p{IsLu}`), `javaWhitespace` and `IsWhite_Space`; Unicode scripts (`\p{IsLatin}`),
//! blocks (`\p{InGreek}`) and binary properties (`\p{IsAlphabetic}`, `\p{javaLowerCase}`) are
//! rejected, because their tables would add ~300 KB to the browser build.

use regex::{Regex, RegexBuilder};
use std::fmt;

/// Compiled program size bound, so a user-typed pattern like `(a{1000}){1000}` is an error
/// rather than a memory blow-up.
const SIZE_LIMIT: usize = 1 << 20;
/// Longest accepted pattern (characters).
const MAX_PATTERN_CHARS: usize = 10_000;
/// Deepest group nesting accepted (the `regex` parser has its own limit; ours gives a clear message).
const MAX_NESTING: usize = 100;

/// Why a pattern (or a replacement string) was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JavaRegexError {
    pub message: String,
    /// Character index in the pattern (or replacement) where the problem is, like Java's
    /// `PatternSyntaxException.getIndex()`.
    pub offset: usize,
}

impl fmt::Display for JavaRegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at index {})", self.message, self.offset)
    }
}

impl std::error::Error for JavaRegexError {}

/// A compiled Java regular expression.
#[derive(Clone, Debug)]
pub struct JavaRegex {
    /// `$`/`\Z` (outside multiline mode) translated as end of input.
    find: Regex,
    whole: Regex,
    /// When the pattern has a non-multiline `$`/`\Z`: the same pattern with that anchor as
    /// `(?mR:$)`, which equals Java's "end, or before the final line terminator" on inputs whose
    /// only line terminator is a final `\n`, `\r` or `\r\n`.
    eol: Option<(Regex, Regex)>,
    group_count: usize,
    names: Vec<(String, usize)>,
}

/// Line terminators in Java's sense.
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

impl JavaRegex {
    /// Compiles a Java pattern.
    pub fn compile(pattern: &str) -> Result<JavaRegex, JavaRegexError> {
        let n = pattern.chars().count();
        if n > MAX_PATTERN_CHARS {
            return Err(JavaRegexError {
                message: format!(
                    "pattern is too long ({n} characters; at most {MAX_PATTERN_CHARS})"
                ),
                offset: 0,
            });
        }
        let t = Translator::run(pattern, false)?;
        let build = |src: &str| {
            RegexBuilder::new(src)
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(SIZE_LIMIT)
                .nest_limit(250)
                .build()
                .map_err(|e| {
                    let msg = match e {
                        regex::Error::CompiledTooBig(_) => {
                            "pattern is too large once compiled".to_string()
                        }
                        other => format!("pattern is not supported: {other}"),
                    };
                    JavaRegexError {
                        message: msg,
                        offset: 0,
                    }
                })
        };
        let find = build(&t.out)?;
        let whole = build(&format!(r"\A(?:{})\z", t.out))?;
        let eol = if t.uses_eol_anchor {
            let t2 = Translator::run(pattern, true)?;
            Some((build(&t2.out)?, build(&format!(r"\A(?:{})\z", t2.out))?))
        } else {
            None
        };
        Ok(JavaRegex {
            find,
            whole,
            eol,
            group_count: t.groups,
            names: t.names,
        })
    }

    /// Number of capturing groups (Java's `Matcher.groupCount()`).
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    /// Picks the program whose `$` means what Java's `$` means on this input.
    fn pick(&self, s: &str) -> (&Regex, &Regex) {
        if let Some((f, w)) = &self.eol {
            let body = s
                .strip_suffix("\r\n")
                .or_else(|| s.strip_suffix('\n'))
                .or_else(|| s.strip_suffix('\r'));
            if let Some(body) = body {
                if !body.chars().any(is_line_terminator) {
                    return (f, w);
                }
            }
        }
        (&self.find, &self.whole)
    }

    /// Java `Pattern.matches` / `String.matches`: the whole input must match.
    pub fn is_match_whole(&self, s: &str) -> bool {
        self.pick(s).1.is_match(s)
    }

    /// Java `Matcher.find()` from the start: byte range of the first match.
    pub fn find(&self, s: &str) -> Option<(usize, usize)> {
        self.pick(s).0.find(s).map(|m| (m.start(), m.end()))
    }

    /// Every match as Java's repeated `Matcher.find()` reports them (byte ranges).
    pub fn find_all(&self, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        self.each_match(s, usize::MAX, false, |start, end, _| out.push((start, end)));
        out
    }

    /// Iterates matches Java-style: after an empty match the next search starts one character
    /// later, and an empty match right after a non-empty one is reported. Group captures are
    /// computed only when asked for (they cost a second, slower search).
    fn each_match(
        &self,
        s: &str,
        max: usize,
        groups: bool,
        mut f: impl FnMut(usize, usize, Option<&regex::Captures<'_>>),
    ) {
        let re = self.pick(s).0;
        let mut pos = 0;
        let mut count = 0;
        while pos <= s.len() && count < max {
            let (start, end) = if groups {
                let Some(caps) = re.captures_at(s, pos) else {
                    break;
                };
                let Some(m) = caps.get(0) else { break };
                f(m.start(), m.end(), Some(&caps));
                (m.start(), m.end())
            } else {
                let Some(m) = re.find_at(s, pos) else { break };
                f(m.start(), m.end(), None);
                (m.start(), m.end())
            };
            count += 1;
            if end == start {
                match s[end..].chars().next() {
                    Some(c) => pos = end + c.len_utf8(),
                    None => break,
                }
            } else {
                pos = end;
            }
        }
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
        let parts = self.parse_replacement(replacement)?;
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        let groups = parts.iter().any(|p| matches!(p, Rep::Group(_)));
        self.each_match(s, max, groups, |start, end, caps| {
            // Stop growing once past the string cap: the caller refuses any result longer than
            // it (`cap`), and `$s.replaceAll('x', $s)` on a 1 MiB `$s` would otherwise try to
            // build 1 TiB. Remaining matches cost only the search.
            if out.len() > cap {
                return;
            }
            out.push_str(&s[last..start]);
            for p in &parts {
                match p {
                    Rep::Lit(t) => out.push_str(t),
                    Rep::Group(0) => out.push_str(&s[start..end]),
                    Rep::Group(g) => {
                        if let Some(gm) = caps.and_then(|c| c.get(*g)) {
                            out.push_str(gm.as_str());
                        }
                    }
                }
            }
            last = end;
        });
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
    /// fast path which gives the same result).
    pub fn split(&self, s: &str, limit: i32) -> Vec<String> {
        let mut list: Vec<String> = Vec::new();
        let mut index = 0usize;
        let limited = limit > 0;
        let mut done = false;
        let re = self.pick(s).0;
        let mut pos = 0;
        while !done && pos <= s.len() {
            let Some(m) = re.find_at(s, pos) else { break };
            if !limited || (list.len() as i64) < (limit as i64) - 1 {
                // Java 8+: a zero-width match at the very beginning never yields a leading empty string.
                if !(index == 0 && m.start() == 0 && m.start() == m.end()) {
                    list.push(s[index..m.start()].to_string());
                    index = m.end();
                }
            } else {
                done = true;
            }
            if m.end() == m.start() {
                match s[m.end()..].chars().next() {
                    Some(c) => pos = m.end() + c.len_utf8(),
                    None => break,
                }
            } else {
                pos = m.end();
            }
        }
        if index == 0 && list.is_empty() {
            return vec![s.to_string()];
        }
        if !limited || (list.len() as i64) < limit as i64 {
            list.push(s[index..].to_string());
        }
        if limit == 0 {
            while list.last().is_some_and(|x| x.is_empty()) {
                list.pop();
            }
        }
        list
    }
}

enum Rep {
    Lit(String),
    Group(usize),
}

#[derive(Clone, Copy, Default)]
struct Flags {
    i: bool,
    s: bool,
    m: bool,
    x: bool,
    u: bool,
    d: bool,
}

struct Translator<'a> {
    c: Vec<char>,
    i: usize,
    out: String,
    flags: Flags,
    groups: usize,
    names: Vec<(String, usize)>,
    uses_eol_anchor: bool,
    /// Translate non-multiline `$` as `(?mR:$)` instead of `\z`.
    eol_variant: bool,
    _src: &'a str,
}

fn err<T>(message: impl Into<String>, offset: usize) -> Result<T, JavaRegexError> {
    Err(JavaRegexError {
        message: message.into(),
        offset,
    })
}

/// Escapes one literal character for the `regex` crate (outside or inside a class).
fn push_lit(out: &mut String, c: char) {
    if c.is_ascii_punctuation() || c == ' ' {
        // Escaping any ASCII punctuation is allowed by `regex`; space is escaped so `(?x)` never matters.
        if c == ' ' {
            out.push_str("\\x20");
        } else {
            out.push('\\');
            out.push(c);
        }
    } else if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    } else {
        out.push(c);
    }
}

const DOT_EXCLUDES: &str = "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]";

impl<'a> Translator<'a> {
    fn run(src: &'a str, eol_variant: bool) -> Result<Translator<'a>, JavaRegexError> {
        let mut t = Translator {
            c: src.chars().collect(),
            i: 0,
            out: String::with_capacity(src.len() * 2),
            flags: Flags::default(),
            groups: 0,
            names: Vec::new(),
            uses_eol_anchor: false,
            eol_variant,
            _src: src,
        };
        t.alternation(0)?;
        if t.i < t.c.len() {
            return err("Unmatched closing ')'", t.i);
        }
        Ok(t)
    }

    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    /// Skips whitespace and `#` comments in `(?x)` mode.
    fn skip_extended(&mut self) {
        if !self.flags.x {
            return;
        }
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.i += 1;
            } else if c == '#' {
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if is_line_terminator(c) {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    /// Parses until an unmatched `)` or the end. Flags set inside are scoped to this group.
    fn alternation(&mut self, depth: usize) -> Result<(), JavaRegexError> {
        if depth > MAX_NESTING {
            return err("groups are nested too deeply", self.i);
        }
        let saved = self.flags;
        let mut have_atom = false;
        loop {
            self.skip_extended();
            let Some(c) = self.peek() else { break };
            let at = self.i;
            match c {
                ')' => break,
                '|' => {
                    self.i += 1;
                    self.out.push('|');
                    have_atom = false;
                }
                '*' | '+' | '?' | '{' => {
                    if !have_atom {
                        if c == '{' {
                            return err("Illegal repetition", at);
                        }
                        return err(format!("Dangling meta character '{c}'"), at);
                    }
                    self.quantifier()?;
                    have_atom = false;
                }
                '(' => {
                    self.i += 1;
                    if self.group(depth)? {
                        have_atom = true;
                    }
                }
                '[' => {
                    self.i += 1;
                    let class = self.class(0)?;
                    self.push_class(&class);
                    have_atom = true;
                }
                '.' => {
                    self.i += 1;
                    if self.flags.s {
                        self.out.push_str("(?s:.)");
                    } else if self.flags.d {
                        self.out.push_str("[^\\n]");
                    } else {
                        self.out.push_str(DOT_EXCLUDES);
                    }
                    have_atom = true;
                }
                '^' => {
                    self.i += 1;
                    self.out
                        .push_str(if self.flags.m { "(?mR:^)" } else { "\\A" });
                    have_atom = true;
                }
                '$' => {
                    self.i += 1;
                    self.dollar();
                    have_atom = true;
                }
                '\\' => {
                    self.i += 1;
                    self.escape_outside()?;
                    have_atom = true;
                }
                _ => {
                    self.i += 1;
                    self.literal(c);
                    have_atom = true;
                }
            }
        }
        self.flags = saved;
        Ok(())
    }

    fn dollar(&mut self) {
        if self.flags.m {
            self.out.push_str("(?mR:$)");
        } else {
            self.uses_eol_anchor = true;
            self.out
                .push_str(if self.eol_variant { "(?mR:$)" } else { "\\z" });
        }
    }

    fn literal(&mut self, c: char) {
        if self.flags.i && c.is_ascii_alphabetic() && !self.flags.u {
            self.out.push('[');
            self.out.push(c.to_ascii_lowercase());
            self.out.push(c.to_ascii_uppercase());
            self.out.push(']');
        } else if self.flags.i && self.flags.u && c.is_alphabetic() {
            self.out.push_str("(?i:");
            push_lit(&mut self.out, c);
            self.out.push(')');
        } else {
            push_lit(&mut self.out, c);
        }
    }

    fn push_class(&mut self, class: &str) {
        if self.flags.i {
            self.out.push_str("(?i:");
            self.out.push_str(class);
            self.out.push(')');
        } else {
            self.out.push_str(class);
        }
    }

    fn quantifier(&mut self) -> Result<(), JavaRegexError> {
        let at = self.i;
        let c = self.c[self.i];
        self.i += 1;
        if c == '{' {
            let start = self.i;
            while self.peek().is_some_and(|d| d.is_ascii_digit()) {
                self.i += 1;
            }
            if self.i == start {
                return err("Illegal repetition", at);
            }
            let min: String = self.c[start..self.i].iter().collect();
            let mut max: Option<String> = Some(min.clone());
            if self.peek() == Some(',') {
                self.i += 1;
                let s2 = self.i;
                while self.peek().is_some_and(|d| d.is_ascii_digit()) {
                    self.i += 1;
                }
                max = if self.i == s2 {
                    None
                } else {
                    Some(self.c[s2..self.i].iter().collect())
                };
            }
            if self.peek() != Some('}') {
                return err("Unclosed counted closure", self.i);
            }
            self.i += 1;
            let (Ok(lo), hi) = (min.parse::<u32>(), max.as_ref().map(|m| m.parse::<u32>())) else {
                return err("repetition count is too large", at);
            };
            match hi {
                Some(Ok(h)) if h < lo => return err("Illegal repetition range", at),
                Some(Err(_)) => return err("repetition count is too large", at),
                _ => {}
            }
            match max {
                Some(m) if m == min => self.out.push_str(&format!("{{{lo}}}")),
                Some(_) => self.out.push_str(&format!(
                    "{{{lo},{}}}",
                    hi.and_then(|h| h.ok()).unwrap_or(lo)
                )),
                None => self.out.push_str(&format!("{{{lo},}}")),
            }
        } else {
            self.out.push(c);
        }
        match self.peek() {
            Some('?') => {
                self.i += 1;
                self.out.push('?');
            }
            Some('+') => {
                return err(
                    "possessive quantifiers (like 'a*+') are not supported",
                    self.i,
                )
            }
            _ => {}
        }
        Ok(())
    }

    /// After `(`. Returns whether an atom (a group) was emitted, `false` for a bare `(?flags)`.
    fn group(&mut self, depth: usize) -> Result<bool, JavaRegexError> {
        let open = self.i - 1;
        if self.peek() == Some('?') {
            self.i += 1;
            match self.peek() {
                Some(':') => {
                    self.i += 1;
                    self.out.push_str("(?:");
                }
                Some('=') | Some('!') => {
                    return err("lookahead groups '(?=' and '(?!' are not supported", open)
                }
                Some('>') => return err("atomic groups '(?>' are not supported", open),
                Some('<') => {
                    self.i += 1;
                    match self.peek() {
                        Some('=') | Some('!') => {
                            return err(
                                "lookbehind groups '(?<=' and '(?<!' are not supported",
                                open,
                            )
                        }
                        Some(c) if c.is_ascii_alphabetic() => {
                            let start = self.i;
                            while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
                                self.i += 1;
                            }
                            if self.peek() != Some('>') {
                                return err(
                                    "named capturing group is missing trailing '>'",
                                    self.i,
                                );
                            }
                            let name: String = self.c[start..self.i].iter().collect();
                            self.i += 1;
                            if self.names.iter().any(|(n, _)| *n == name) {
                                return err(
                                    format!("Named capturing group <{name}> is already defined"),
                                    open,
                                );
                            }
                            self.groups += 1;
                            self.names.push((name.clone(), self.groups));
                            self.out.push_str(&format!("(?P<{name}>"));
                        }
                        _ => {
                            return err(
                                "capturing group name does not start with a Latin letter",
                                self.i,
                            )
                        }
                    }
                }
                _ => {
                    // Inline flags: (?idmsux-idmsux) or (?idmsux-idmsux:X)
                    let mut on = true;
                    let mut f = self.flags;
                    loop {
                        let Some(c) = self.peek() else {
                            return err("Unknown inline modifier", self.i);
                        };
                        self.i += 1;
                        match c {
                            'i' => f.i = on,
                            's' => f.s = on,
                            'm' => f.m = on,
                            'x' => f.x = on,
                            'u' => f.u = on,
                            'd' => f.d = on,
                            'U' => {
                                if on {
                                    return err(
                                        "flag (?U) UNICODE_CHARACTER_CLASS is not supported",
                                        self.i - 1,
                                    );
                                }
                            }
                            'c' => {
                                if on {
                                    return err("flag (?c) CANON_EQ is not supported", self.i - 1);
                                }
                            }
                            '-' if on => on = false,
                            ')' => {
                                self.flags = f;
                                return Ok(false);
                            }
                            ':' => {
                                let saved = self.flags;
                                self.flags = f;
                                self.out.push_str("(?:");
                                self.alternation(depth + 1)?;
                                self.close(open)?;
                                self.flags = saved;
                                return Ok(true);
                            }
                            _ => return err("Unknown inline modifier", self.i - 1),
                        }
                    }
                }
            }
        } else {
            self.groups += 1;
            self.out.push('(');
        }
        self.alternation(depth + 1)?;
        self.close(open)?;
        Ok(true)
    }

    fn close(&mut self, open: usize) -> Result<(), JavaRegexError> {
        if self.peek() != Some(')') {
            return err("Unclosed group", open.max(self.c.len()));
        }
        self.i += 1;
        self.out.push(')');
        Ok(())
    }

    /// Escape outside a class, after the backslash.
    fn escape_outside(&mut self) -> Result<(), JavaRegexError> {
        let at = self.i - 1;
        let Some(c) = self.peek() else {
            return err("Unexpected internal error: trailing backslash", at);
        };
        match c {
            'A' => {
                self.i += 1;
                self.out.push_str("\\A");
            }
            'z' => {
                self.i += 1;
                self.out.push_str("\\z");
            }
            'Z' => {
                self.i += 1;
                self.uses_eol_anchor = true;
                self.out
                    .push_str(if self.eol_variant { "(?mR:$)" } else { "\\z" });
            }
            // Java 8/17's \b uses Character.isLetterOrDigit (Unicode), close to regex's Unicode \b.
            'b' => {
                self.i += 1;
                self.out.push_str("\\b");
            }
            'B' => {
                self.i += 1;
                self.out.push_str("\\B");
            }
            'G' => return err("\\G (end of previous match) is not supported", at),
            'R' => {
                self.i += 1;
                self.out
                    .push_str("(?:\\r\\n|[\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}])");
            }
            'X' => return err("\\X (grapheme cluster) is not supported", at),
            'k' => return err("named backreferences (\\k<name>) are not supported", at),
            '1'..='9' => return err("backreferences (like \\1) are not supported", at),
            'Q' => {
                self.i += 1;
                while self.i < self.c.len() {
                    if self.c[self.i] == '\\' && self.c.get(self.i + 1) == Some(&'E') {
                        self.i += 2;
                        return Ok(());
                    }
                    let ch = self.c[self.i];
                    self.i += 1;
                    self.literal(ch);
                }
            }
            'E' => {
                // A stray \E is ignored by Java.
                self.i += 1;
            }
            _ => {
                let piece = self.class_escape()?;
                match piece {
                    ClassPiece::Char(ch) => self.literal(ch),
                    ClassPiece::Set(s) => self.out.push_str(&s),
                }
            }
        }
        Ok(())
    }

    /// An escape that denotes a character or a set (valid inside and outside classes). Cursor on
    /// the character after the backslash.
    fn class_escape(&mut self) -> Result<ClassPiece, JavaRegexError> {
        let at = self.i - 1;
        let Some(c) = self.peek() else {
            return err("Unexpected internal error: trailing backslash", at);
        };
        self.i += 1;
        let set = |s: &str| Ok(ClassPiece::Set(s.to_string()));
        match c {
            'd' => set("[0-9]"),
            'D' => set("[^0-9]"),
            'w' => set("[a-zA-Z_0-9]"),
            'W' => set("[^a-zA-Z_0-9]"),
            's' => set("[\\t\\n\\x0B\\x0C\\r\\x20]"),
            'S' => set("[^\\t\\n\\x0B\\x0C\\r\\x20]"),
            'h' => set(
                "[\\x20\\t\\xA0\\x{1680}\\x{180e}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}]",
            ),
            'H' => set(
                "[^\\x20\\t\\xA0\\x{1680}\\x{180e}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}]",
            ),
            'v' => set("[\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}]"),
            'V' => set("[^\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}]"),
            't' => Ok(ClassPiece::Char('\t')),
            'n' => Ok(ClassPiece::Char('\n')),
            'r' => Ok(ClassPiece::Char('\r')),
            'f' => Ok(ClassPiece::Char('\u{c}')),
            'a' => Ok(ClassPiece::Char('\u{7}')),
            'e' => Ok(ClassPiece::Char('\u{1b}')),
            'c' => {
                let Some(x) = self.peek() else {
                    return err("Illegal control escape sequence", at);
                };
                self.i += 1;
                char::from_u32((x as u32) ^ 64)
                    .map(ClassPiece::Char)
                    .ok_or(JavaRegexError {
                        message: "Illegal control escape sequence".into(),
                        offset: at,
                    })
            }
            '0' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while n < 3 {
                    match self.peek() {
                        Some(d @ '0'..='7') if n < 2 || v <= 0o37 => {
                            v = v * 8 + (d as u32 - '0' as u32);
                            self.i += 1;
                            n += 1;
                        }
                        _ => break,
                    }
                }
                if n == 0 {
                    return err("Illegal octal escape sequence", at);
                }
                char::from_u32(v)
                    .map(ClassPiece::Char)
                    .ok_or(JavaRegexError {
                        message: "Illegal octal escape sequence".into(),
                        offset: at,
                    })
            }
            'x' => {
                let v = if self.peek() == Some('{') {
                    self.i += 1;
                    let start = self.i;
                    while self.peek().is_some_and(|d| d.is_ascii_hexdigit()) {
                        self.i += 1;
                    }
                    if self.peek() != Some('}') || self.i == start || self.i - start > 8 {
                        return err("Unclosed hexadecimal escape sequence", at);
                    }
                    let h: String = self.c[start..self.i].iter().collect();
                    self.i += 1;
                    u32::from_str_radix(&h, 16).ok()
                } else {
                    self.hex(2)
                };
                match v.and_then(char::from_u32) {
                    Some(ch) => Ok(ClassPiece::Char(ch)),
                    None => err("Illegal hexadecimal escape sequence", at),
                }
            }
            'u' => match self.hex(4).and_then(char::from_u32) {
                Some(ch) => Ok(ClassPiece::Char(ch)),
                None => err(
                    "Illegal Unicode escape sequence (surrogates are not supported)",
                    at,
                ),
            },
            'p' | 'P' => self.property(c == 'P', at),
            'N' => err("\\N{name} is not supported", at),
            c if c.is_ascii_alphanumeric() => err("Illegal/unsupported escape sequence", at),
            c => Ok(ClassPiece::Char(c)),
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        if self.i + n > self.c.len() {
            return None;
        }
        let h: String = self.c[self.i..self.i + n].iter().collect();
        if !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += n;
        u32::from_str_radix(&h, 16).ok()
    }

    /// `\p{Name}` / `\pL`: Java's POSIX classes are ASCII; Unicode categories and scripts map to
    /// the `regex` crate's.
    fn property(&mut self, negated: bool, at: usize) -> Result<ClassPiece, JavaRegexError> {
        let name: String = if self.peek() == Some('{') {
            self.i += 1;
            let start = self.i;
            while self.peek().is_some_and(|c| c != '}') {
                self.i += 1;
            }
            if self.peek() != Some('}') {
                return err("Unclosed character family", at);
            }
            let n = self.c[start..self.i].iter().collect();
            self.i += 1;
            n
        } else {
            match self.peek() {
                Some(c) => {
                    self.i += 1;
                    c.to_string()
                }
                None => return err("Illegal character family", at),
            }
        };
        let ascii = match name.as_str() {
            "Lower" => Some("a-z"),
            "Upper" => Some("A-Z"),
            "ASCII" => Some("\\x00-\\x7F"),
            "Alpha" => Some("a-zA-Z"),
            "Digit" => Some("0-9"),
            "Alnum" => Some("a-zA-Z0-9"),
            "Punct" | "Graph" | "Print" => None,
            "Blank" => Some("\\x20\\t"),
            "Cntrl" => Some("\\x00-\\x1F\\x7F"),
            "XDigit" => Some("0-9a-fA-F"),
            "Space" => Some("\\x20\\t\\n\\x0B\\x0C\\r"),
            _ => None,
        };
        let neg = if negated { "^" } else { "" };
        if let Some(a) = ascii {
            return Ok(ClassPiece::Set(format!("[{neg}{a}]")));
        }
        let punct = "!-/:-@\\[-`\\{-~";
        match name.as_str() {
            "Punct" => return Ok(ClassPiece::Set(format!("[{neg}{punct}]"))),
            "Graph" => return Ok(ClassPiece::Set(format!("[{neg}a-zA-Z0-9{punct}]"))),
            "Print" => return Ok(ClassPiece::Set(format!("[{neg}a-zA-Z0-9{punct}\\x20]"))),
            _ => {}
        }
        // Whitespace sets are short, so they are spelled out instead of shipping Unicode's
        // binary-property tables. `javaWhitespace` is `Character.isWhitespace`: space/line/
        // paragraph separators except the no-break ones (U+00A0, U+2007, U+202F), plus
        // \t-\r and U+001C-U+001F. `IsWhite_Space` is Unicode's White_Space property.
        let stripped = name.strip_prefix("Is").unwrap_or(&name);
        match stripped {
            "javaWhitespace" => {
                return Ok(ClassPiece::Set(format!(
                    "[{neg}\\t-\\r\\x1C-\\x20\\x{{1680}}\\x{{2000}}-\\x{{2006}}\\x{{2008}}-\\x{{200A}}\\x{{2028}}\\x{{2029}}\\x{{205F}}\\x{{3000}}]"
                )))
            }
            "White_Space" | "WhiteSpace" => {
                return Ok(ClassPiece::Set(format!(
                    "[{neg}\\t-\\r\\x20\\x{{85}}\\x{{A0}}\\x{{1680}}\\x{{2000}}-\\x{{200A}}\\x{{2028}}\\x{{2029}}\\x{{202F}}\\x{{205F}}\\x{{3000}}]"
                )))
            }
            _ => {}
        }
        // Unicode general categories (L, Lu, IsL). The browser build ships only the
        // general-category tables (see the root Cargo.toml), so scripts (IsLatin), blocks
        // (InGreek) and binary properties (IsAlphabetic, javaLowerCase) are a clear error
        // rather than a silently different class.
        let mapped = match stripped {
            "Letter" => "L".to_string(),
            other
                if other.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !other.is_empty() =>
            {
                other.to_string()
            }
            _ => return err(format!("Unknown character property name {{{name}}}"), at),
        };
        let candidate = format!("\\p{{{mapped}}}");
        if regex_syntax::Parser::new().parse(&candidate).is_err() {
            return err(
                format!(
                    "Unknown or unsupported character property name {{{name}}}: only POSIX \
                     classes, Unicode general categories (L, Lu, Nd, P, ...) and \
                     javaWhitespace/IsWhite_Space are supported; Unicode scripts, blocks and \
                     binary properties are not"
                ),
                at,
            );
        }
        Ok(ClassPiece::Set(format!("[{neg}{candidate}]")))
    }

    /// Parses a character class after `[`, returning it in `regex` syntax.
    fn class(&mut self, depth: usize) -> Result<String, JavaRegexError> {
        if depth > MAX_NESTING {
            return err("character classes are nested too deeply", self.i);
        }
        let open = self.i.saturating_sub(1);
        let mut out = String::from("[");
        if self.peek() == Some('^') {
            self.i += 1;
            out.push('^');
        }
        let mut any = false;
        // The previous single character, for ranges.
        let mut prev_char: Option<char> = None;
        loop {
            if self.flags.x {
                while self.peek().is_some_and(|c| c.is_whitespace()) {
                    self.i += 1;
                }
            }
            let Some(c) = self.peek() else {
                return err("Unclosed character class", self.c.len().saturating_sub(1));
            };
            match c {
                ']' if any => {
                    self.i += 1;
                    break;
                }
                '[' => {
                    self.i += 1;
                    let inner = self.class(depth + 1)?;
                    out.push_str(&inner);
                    prev_char = None;
                }
                '&' if self.c.get(self.i + 1) == Some(&'&') => {
                    self.i += 2;
                    out.push_str("&&");
                    prev_char = None;
                    any = false;
                    // Java allows `[a&&]`-like empty right operands only in odd ways; require one.
                    continue;
                }
                '-' if prev_char.is_some()
                    && self
                        .c
                        .get(self.i + 1)
                        .is_some_and(|n| *n != ']' && *n != '[') =>
                {
                    self.i += 1;
                    let lo = prev_char.take().unwrap_or('\0');
                    let hi = match self.peek() {
                        Some('\\') => {
                            self.i += 1;
                            match self.class_escape()? {
                                ClassPiece::Char(h) => h,
                                ClassPiece::Set(_) => {
                                    return err("Illegal character range", self.i)
                                }
                            }
                        }
                        Some(h) => {
                            self.i += 1;
                            h
                        }
                        None => return err("Unclosed character class", self.i),
                    };
                    if hi < lo {
                        return err("Illegal character range", self.i - 1);
                    }
                    out.push('-');
                    push_lit(&mut out, hi);
                }
                '\\' => {
                    self.i += 1;
                    if self.peek() == Some('Q') {
                        self.i += 1;
                        while self.i < self.c.len() {
                            if self.c[self.i] == '\\' && self.c.get(self.i + 1) == Some(&'E') {
                                self.i += 2;
                                break;
                            }
                            push_lit(&mut out, self.c[self.i]);
                            prev_char = Some(self.c[self.i]);
                            self.i += 1;
                        }
                    } else {
                        match self.class_escape()? {
                            ClassPiece::Char(ch) => {
                                push_lit(&mut out, ch);
                                prev_char = Some(ch);
                            }
                            ClassPiece::Set(s) => {
                                out.push_str(&s);
                                prev_char = None;
                            }
                        }
                    }
                }
                _ => {
                    self.i += 1;
                    push_lit(&mut out, c);
                    prev_char = Some(c);
                }
            }
            any = true;
        }
        if out == "[" || out == "[^" {
            return err("empty character class", open);
        }
        out.push(']');
        Ok(out)
    }
}

enum ClassPiece {
    Char(char),
    Set(String),
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

    /// Only general categories are shipped (root Cargo.toml): scripts, blocks and binary
    /// properties are an error naming what is supported, never a silently different class.
    #[test]
    fn unicode_scripts_and_binary_properties_are_clear_errors() {
        assert!(re("\\p{Lu}\\p{IsLl}+").is_match_whole("Été"));
        assert!(re("\\p{Nd}").is_match_whole("٣"));
        for p in [
            "\\p{IsLatin}",
            "\\p{InGreek}",
            "\\p{IsAlphabetic}",
            "\\p{javaLowerCase}",
        ] {
            let e = JavaRegex::compile(p).unwrap_err();
            assert!(
                e.message
                    .contains("scripts, blocks and binary properties are not"),
                "{p}: {}",
                e.message
            );
            assert_eq!(e.offset, 0, "{p}");
        }
    }

    #[test]
    fn dollar_before_final_terminator() {
        let r = re("abc$");
        assert_eq!(r.find("abc\n"), Some((0, 3)));
        assert!(!r.is_match_whole("abc\n"));
        assert_eq!(r.replace_all("abc\n", "X").unwrap(), "X\n");
        assert_eq!(re("$").replace_all("abc\n", "X").unwrap(), "abcX\nX");
    }

    #[test]
    fn unsupported_are_errors() {
        for p in [
            "(a)\\1", "a(?=b)", "(?<=a)b", "a*+", "\\G", "(?>a)", "(?!a)", "\\k<x>", "*a", "a{",
            "(a", "[a",
        ] {
            assert!(JavaRegex::compile(p).is_err(), "{p} should fail");
        }
        assert!(JavaRegex::compile("(a{1000}){1000}").is_err());
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
