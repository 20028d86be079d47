//! Differential testing of `vtl::java_regex::JavaRegex` against the real `java.util.regex`.
//!
//! The same `(pattern, input, replacement)` triples go through Java 17 (a small batch program,
//! `java/RegexBatch.java`, compiled at test time, one JVM per batch) and through `JavaRegex`.
//! Each engine's behaviour is written as the same named text sections (`compile`, `matches`,
//! `find`, `replaceAll`, `replaceFirst`, `groups`, `split -1`, `split 0`, `split 2`), which are
//! compared byte for byte and are also the sections of a regression case file
//! (`crates/vtl/tests/regex_cases/*.case`). Offsets are UTF-8 byte offsets (Java's UTF-16
//! indexes are converted on the Java side).

pub mod gen;
pub mod java;
pub mod rng;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use vtl::java_regex::JavaRegex;

/// One differential case.
#[derive(Clone, Debug)]
pub struct RegexCase {
    pub pattern: String,
    pub input: String,
    pub replacement: String,
    /// Constructs the generator used (for triage summaries); empty for hand-written cases.
    pub features: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compile {
    Ok(usize),
    /// `index` is Java's `PatternSyntaxException.getIndex()` (a character index) or vtl's offset.
    Error {
        message: String,
        index: i64,
    },
}

/// What one engine did with a case, as case-file sections.
#[derive(Clone, Debug)]
pub struct Observed {
    pub compile: Compile,
    /// `(section, text)` in a fixed order; empty when the pattern did not compile.
    pub sections: Vec<(&'static str, String)>,
    /// Java only: each find's group spans (`start..end` or `null`), one line per match. Not
    /// compared (vtl's API has no captures); shown in reports and case files.
    pub java_group_spans: Option<String>,
    /// vtl only: it panicked (always a bug).
    pub panic: Option<String>,
}

impl Observed {
    pub fn failed(compile: Compile) -> Observed {
        Observed {
            compile,
            sections: Vec::new(),
            java_group_spans: None,
            panic: None,
        }
    }

    /// The `compile` section: `ok, groups: N` or `error` (messages are not compared).
    pub fn compile_text(&self) -> String {
        match &self.compile {
            Compile::Ok(n) => format!("ok, groups: {n}"),
            Compile::Error { .. } => "error".into(),
        }
    }

    pub fn section(&self, name: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.as_str())
    }
}

pub const SPLIT_SECTIONS: [&str; 3] = ["split -1", "split 0", "split 2"];
const SPLIT_LIMITS: [i32; 3] = [-1, 0, 2];

/// Java produced a string with half a surrogate pair (it steps one UTF-16 unit after an empty
/// match, so an empty match can land inside an emoji): not representable in UTF-8.
pub const SPLITS_SURROGATE: &str = "<splits a surrogate pair>";
/// A match offset inside a surrogate pair (same cause).
pub const MID_SURROGATE: &str = "mid-surrogate";
pub const TIMEOUT: &str = "<timeout>";
/// vtl stopped a search at its step or backtrack-stack bound (`vtl::java_regex::LIMIT_MESSAGE`).
pub const VTL_LIMIT: &str = "<vtl step limit>";
pub const STACK_OVERFLOW: &str = "<stack overflow>";
/// Prefix of an unexpected exception thrown inside java.util.regex (a JDK bug).
pub const JAVA_INTERNAL: &str = "<java internal error:";

/// The replacement whose result shows every match's groups: `<$1|$2|...|$N>` (N ≤ 99).
/// `RegexBatch.groupsReplacement` builds the same text.
pub fn groups_replacement(group_count: usize) -> String {
    let refs: Vec<String> = (1..=group_count.min(99)).map(|g| format!("${g}")).collect();
    format!("<{}>", refs.join("|"))
}

pub use testkit::quote;

pub fn span_text(start: i64, end: i64) -> String {
    if start < 0 || end < 0 {
        MID_SURROGATE.into()
    } else {
        format!("{start}..{end}")
    }
}

pub fn lines_text(lines: &[String]) -> String {
    if lines.is_empty() {
        "(none)".into()
    } else {
        lines.join("\n")
    }
}

/// A Java exception as section text: timeouts and stack overflows are kept apart (they are Java
/// giving up, not a result); every other exception is `error` (messages are not compared).
pub fn exception_text(e: &str) -> String {
    let class = e.split(':').next().unwrap_or("");
    match class {
        _ if e.starts_with("Timeout") => TIMEOUT.into(),
        "StackOverflowError" => STACK_OVERFLOW.into(),
        // What appendReplacement throws for a bad replacement (`No group 9`, `Illegal group
        // reference`): the documented errors.
        "IllegalArgumentException" | "IndexOutOfBoundsException" => "error".into(),
        // Anything else is a bug inside java.util.regex (e.g. StringIndexOutOfBoundsException from
        // CIBackRef reading past the end next to a supplementary character).
        other => format!("{JAVA_INTERNAL} {other}>"),
    }
}

/// Runs a case through `JavaRegex`, catching panics.
pub fn observe_vtl(case: &RegexCase) -> Observed {
    let run = catch_unwind(AssertUnwindSafe(|| {
        let re = match JavaRegex::compile(&case.pattern) {
            Ok(re) => re,
            Err(e) => {
                return Observed::failed(Compile::Error {
                    message: e.message,
                    index: e.offset as i64,
                })
            }
        };
        let gc = re.group_count();
        let s = case.input.as_str();
        let mut obs = Observed::failed(Compile::Ok(gc));
        let text = |r: Result<String, vtl::java_regex::JavaRegexError>| match r {
            Ok(t) => quote(&t),
            // The engine's own step/stack bound, not a Java error: kept apart.
            Err(e) if e.message.starts_with(vtl::java_regex::LIMIT_MESSAGE) => VTL_LIMIT.into(),
            Err(_) => "error".to_string(),
        };
        // The `try_` forms tell vtl's step bound apart from "no match".
        let budget = || vtl::java_regex::StepBudget::new(vtl::java_regex::DEFAULT_STEPS);
        let limit_or_error = |e: vtl::java_regex::JavaRegexError| {
            if e.message.starts_with(vtl::java_regex::LIMIT_MESSAGE) {
                VTL_LIMIT.to_string()
            } else {
                "error".to_string()
            }
        };
        let matches = re
            .try_is_match_whole(s, &mut budget())
            .map(|m| m.to_string())
            .unwrap_or_else(limit_or_error);
        obs.sections.push(("matches", matches));
        let finds: Vec<String> = re
            .find_all(s)
            .into_iter()
            .map(|(a, b)| span_text(a as i64, b as i64))
            .collect();
        obs.sections.push(("find", lines_text(&finds)));
        obs.sections
            .push(("replaceAll", text(re.replace_all(s, &case.replacement))));
        obs.sections
            .push(("replaceFirst", text(re.replace_first(s, &case.replacement))));
        if gc > 0 {
            obs.sections
                .push(("groups", text(re.replace_all(s, &groups_replacement(gc)))));
        }
        for (name, limit) in SPLIT_SECTIONS.iter().zip(SPLIT_LIMITS) {
            let text = match re.try_split(s, limit, &mut budget()) {
                Ok(parts) => {
                    let parts: Vec<String> = parts.iter().map(|p| quote(p)).collect();
                    format!("[{}]", parts.join(", "))
                }
                Err(e) => limit_or_error(e),
            };
            obs.sections.push((name, text));
        }
        obs
    }));
    run.unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into());
        let mut o = Observed::failed(Compile::Error {
            message: format!("PANIC: {msg}"),
            index: -1,
        });
        o.panic = Some(msg);
        o
    })
}

/// Differences that are not counted as failures, each with its reason.
pub const TOLERANCES: &[(&str, &str)] = &[
    (
        "unsupported-construct",
        "vtl refused a pattern Java compiles with a message saying the construct is not supported \
         (backreferences, lookaround, atomic groups, possessive quantifiers, \\G, ... while the \
         regex-crate translation is in place); only messages containing `not supported` count, \
         and not `pattern is not supported: <regex crate error>`, which is a translation defect",
    ),
    (
        "error-index",
        "both engines reject the pattern but report different positions \
         (PatternSyntaxException.getIndex(), a UTF-16 index, vs JavaRegexError.offset); messages \
         and positions are not part of the contract, so this is counted for information only",
    ),
    (
        "java-splits-surrogate",
        "after an empty match Java steps one UTF-16 unit, so it can report an empty match inside \
         a surrogate pair and produce strings holding half an emoji; UTF-8 strings cannot hold \
         that, so sections whose Java text has a mid-pair offset or such a string are not compared",
    ),
    (
        "java-timeout",
        "Java's backtracking needed more than the per-case deadline (2 s): it has no result",
    ),
    (
        "vtl-step-limit",
        "vtl's documented search bound (steps / backtrack stack) stopped a search that Java \
         completes (Java 9+ remembers the positions a greedy group loop already failed at, so \
         some nested-quantifier patterns stay fast there); only sections where vtl reports its \
         limit are covered, and they are counted in their own class",
    ),
    (
        "java-internal-error",
        "java.util.regex itself threw an unexpected exception (a JDK bug: Java 17's CIBackRef \
         reads past the end of the input next to a supplementary character and throws \
         StringIndexOutOfBoundsException); vtl answering instead is not a fidelity defect",
    ),
    (
        "java-stack-overflow",
        "java.util.regex recursed out of stack; an engine that does not overflow is not wrong",
    ),
];

/// Mismatches already diagnosed and pinned by a `known-failure` case file in
/// `crates/vtl/tests/regex_cases/` (listed in `FINDINGS.md`), tolerated by the corpus test so it
/// keeps guarding against new classes while the engine is being rewritten. Each predicate is as
/// narrow as the diagnosis; a class that no longer occurs is reported so it can be removed.
pub struct KnownBug {
    pub name: &'static str,
    pub reason: &'static str,
    pub matches: fn(&RegexCase, &Observed, &Observed, &[&'static str]) -> bool,
}

pub const KNOWN_BUGS: &[KnownBug] = &[
    KnownBug {
        name: "known: lookbehind next to a surrogate pair",
        reason: "a pattern without supplementary characters in its text gets Java's Behind node, \
                 which steps back in UTF-16 units and can match the lone low surrogate of an emoji \
                 (`(?<=\\P{So})b` matches after 😀); with them, BehindS (cases \
                 lookbehind-sees-low-surrogate, lookbehind-supplementary-in-pattern)",
        matches: |case, java, vtl, _| {
            same_compile(java, vtl)
                && (case.pattern.contains("(?<=") || case.pattern.contains("(?<!"))
                && case.input.chars().any(|c| c > '\u{FFFF}')
        },
    },
    KnownBug {
        name: "known: (?x) & before whitespace in a class",
        reason: "in COMMENTS mode `[[& ]x]` is an Unclosed character class in Java 17 (clazz skips \
                 the whitespace after `&` looking for `&&`, then steps back one character only); vtl \
                 accepts it (case x-mode-ampersand-space-in-class)",
        matches: |case, java, vtl, _| {
            matches!(java.compile, Compile::Error { .. })
                && matches!(vtl.compile, Compile::Ok(_))
                && case.pattern.contains("(?x")
                && case.pattern.contains("& ")
        },
    },
    KnownBug {
        name: "known: lookbehind maximum length (vtl rejects)",
        reason: "Java accepts some lookbehinds vtl finds unbounded: `(?<!(9[^..](ſ<_)*{1,1}|S{1,3}+)?){0,}` \
                 and a fixed-length group repeated `{1,}` (GroupCurly multiplies the maximum \
                 length without an overflow check) (cases lookbehind-generated-loop-accepted, \
                 lookbehind-unbounded-group-accepted)",
        matches: |_, java, vtl, _| {
            matches!(java.compile, Compile::Ok(_))
                && matches!(&vtl.compile, Compile::Error { message, .. }
                    if message.contains("obvious maximum length"))
        },
    },
    KnownBug {
        name: "known: large counted repetition of a group",
        reason: "Java accepts `(ab){1,2147483647}` (its Loop counts); vtl unrolls counted \
                 repetitions and rejects the pattern as too large (case quantifier-count-max)",
        matches: |_, java, vtl, _| {
            matches!(java.compile, Compile::Ok(_))
                && matches!(&vtl.compile, Compile::Error { message, .. }
                    if message.contains("too large once compiled"))
        },
    },
    KnownBug {
        name: "known: case-insensitive backreference after a supplementary character",
        reason: "Java 17's CIBackRef loops over the group length in UTF-16 units but steps by code \
                 points, so after an emoji it compares characters past the group (a JDK bug); vtl \
                 compares the group (case ci-backreference-supplementary)",
        matches: |case, java, vtl, _| {
            let p = &case.pattern;
            let backref = p.contains("\\k<")
                || p.as_bytes()
                    .windows(2)
                    .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0');
            same_compile(java, vtl)
                && backref
                && has_i_flag(p)
                && case.input.chars().any(|c| c > '\u{FFFF}')
        },
    },
    KnownBug {
        name: "known: JDK crash class ([\\d-z&&..])",
        reason: "a predefined class followed by `-` and then `&&` (`[\\w-&&]`, `[\\d-z&&&a-f]`) \
                 compiles in Java 17 but throws NullPointerException as soon as the class is \
                 evaluated (a JDK bug, see FINDINGS.md); vtl rejects it up front (Bad intersection \
                 syntax), which is tolerated even when the input never reaches the class",
        matches: |case, java, vtl, _| {
            let p = case.pattern.as_bytes();
            let predefined_dash = p.windows(3).any(|w| {
                w[0] == b'\\' && b"dDwWsShHvV".contains(&w[1]) && w[2] == b'-'
            });
            matches!(java.compile, Compile::Ok(_))
                && matches!(&vtl.compile, Compile::Error { message, .. }
                    if message.contains("Bad intersection syntax"))
                && predefined_dash
                && case.pattern.contains("&&")
        },
    },
    KnownBug {
        name: "known: lookbehind maximum length (vtl accepts)",
        reason: "Java finds no obvious maximum length for `(?<=(?:(?>ab?)){2})` (a quantified group \
                 around an atomic group), `(?<=xa{1,2147483647})` (int overflow) and an unbounded \
                 quantifier under a possessive `{0}+`; vtl accepts them (cases \
                 lookbehind-quantified-group-around-atomic, lookbehind-count-overflow, \
                 lookbehind-unbounded-under-possessive-zero)",
        matches: |_, java, vtl, _| {
            matches!(&java.compile, Compile::Error { message, .. }
                if message.contains("obvious maximum length"))
                && matches!(vtl.compile, Compile::Ok(_))
        },
    },
    KnownBug {
        name: "known: lookaround captures from other attempts",
        reason: "a group captured inside a lookahead keeps its value from an attempt that failed \
                 (an earlier start position of the same find, or an alternative that failed later); \
                 vtl reports another value (cases lookahead-capture-from-earlier-start, \
                 lookahead-capture-failed-alternative, lookahead-capture-earlier-start-backreference: \
                 through a backreference the matches differ too); lookbehind alike",
        matches: |case, java, vtl, diff| {
            let p = &case.pattern;
            let lookaround = ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|l| p.contains(l));
            let backref = p
                .as_bytes()
                .windows(2)
                .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0');
            let groups_only = diff.contains(&"groups")
                && diff
                    .iter()
                    .all(|s| matches!(*s, "groups" | "replaceAll" | "replaceFirst"));
            same_compile(java, vtl) && lookaround && (groups_only || backref)
        },
    },
    KnownBug {
        name: "known: possessive group with a self-backreference",
        reason: "`(S|\\1+?( ..)|){2,}+` (a possessive loop over a group with an empty alternative \
                 and a backreference to itself) matches differently (case \
                 possessive-group-backreference-loop)",
        matches: |case, java, vtl, _| {
            let p = &case.pattern;
            same_compile(java, vtl)
                && (p.contains("}+") || p.contains(")++") || p.contains(")*+"))
                && p.as_bytes()
                    .windows(2)
                    .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
        },
    },
];

/// Does an inline flag group (`(?i)`, `(?iu:`, `(?s-i)`) turn on `i`?
fn has_i_flag(p: &str) -> bool {
    p.match_indices("(?").any(|(at, _)| {
        let flags = p[at + 2..]
            .split(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
            .next()
            .unwrap_or("");
        flags.split('-').next().unwrap_or("").contains('i')
    })
}

/// Both compiled or both failed: a known bug that explains only match results must not hide a
/// compile-status difference.
fn same_compile(java: &Observed, vtl: &Observed) -> bool {
    java.compile_text() == vtl.compile_text()
}

/// One compared case.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// `None` when the engines agree.
    pub class: Option<String>,
    /// The tolerance that covers the difference, if any.
    pub tolerated: Option<&'static str>,
    /// The differing sections.
    pub sections: Vec<&'static str>,
}

fn is_unsupported_message(m: &str) -> bool {
    // vtl's wording for Unicode scripts and blocks (`\\p{IsLatin}`, `\\p{InGreek}`), left out by
    // design; Java's own message for an unknown name has no "unsupported".
    (m.contains("not supported") && !m.starts_with("pattern is not supported:"))
        || m.contains("unsupported character property name")
}

/// Compares Java's and vtl's observations of one case and classifies the difference.
pub fn compare(case: &RegexCase, java: &Observed, vtl: &Observed) -> Verdict {
    let mut v = compare_raw(java, vtl);
    if v.class.is_some() && v.tolerated.is_none() && !matches!(v.class.as_deref(), Some("panic")) {
        if let Some(k) = KNOWN_BUGS
            .iter()
            .find(|k| (k.matches)(case, java, vtl, &v.sections))
        {
            v.class = Some(k.name.to_string());
            v.tolerated = Some(k.name);
        }
    }
    v
}

fn compare_raw(java: &Observed, vtl: &Observed) -> Verdict {
    let verdict = |class: &str, tolerated, sections| Verdict {
        class: Some(class.to_string()),
        tolerated,
        sections,
    };
    if vtl.panic.is_some() {
        return verdict("panic", None, vec!["compile"]);
    }
    match (&java.compile, &vtl.compile) {
        (Compile::Error { index: a, .. }, Compile::Error { index: b, .. }) => {
            // Both refuse: agreement. Error positions are informative only (Java's is a UTF-16
            // index, -1 for non-syntax failures); a different one is counted, never failed.
            return if a != b && *a >= 0 {
                verdict("error-index", Some("error-index"), vec!["compile"])
            } else {
                Verdict {
                    class: None,
                    tolerated: None,
                    sections: vec![],
                }
            };
        }
        (Compile::Error { .. }, Compile::Ok(_)) => {
            return verdict(
                "compile: vtl accepts what Java rejects",
                None,
                vec!["compile"],
            )
        }
        (Compile::Ok(_), Compile::Error { message, .. }) => {
            // Java compiled `[\\w-&&]` but throws NullPointerException as soon as it matches: a
            // JDK bug, and vtl refusing the pattern up front is not less faithful.
            let java_crashes = java.sections.iter().any(|(_, t)| t.contains(JAVA_INTERNAL));
            if java_crashes {
                return verdict(
                    "java-internal-error",
                    Some("java-internal-error"),
                    vec!["compile"],
                );
            }
            return if is_unsupported_message(message) {
                verdict(
                    "unsupported-construct",
                    Some("unsupported-construct"),
                    vec!["compile"],
                )
            } else {
                verdict(
                    "compile: vtl rejects what Java accepts",
                    None,
                    vec!["compile"],
                )
            };
        }
        (Compile::Ok(a), Compile::Ok(b)) if a != b => {
            return verdict("group count", None, vec!["compile"]);
        }
        _ => {}
    }
    // A Java match inside a surrogate pair shifts everything derived from the matches
    // (replacements, splits, an invalid replacement's error), so all differences are its effect.
    let java_split_pair = java
        .section("find")
        .is_some_and(|f| f.contains(MID_SURROGATE));
    let mut differing = Vec::new();
    let mut tolerated_only: Option<&'static str> = None;
    let mut real = Vec::new();
    for (name, jt) in &java.sections {
        let vt = vtl.section(name).unwrap_or("<missing>");
        if jt == vt {
            continue;
        }
        differing.push(*name);
        let why = if vt.contains(VTL_LIMIT) {
            Some("vtl-step-limit")
        } else if jt.contains(TIMEOUT) {
            Some("java-timeout")
        } else if jt.contains(STACK_OVERFLOW) {
            Some("java-stack-overflow")
        } else if jt.contains(JAVA_INTERNAL) {
            Some("java-internal-error")
        } else if java_split_pair || jt.contains(SPLITS_SURROGATE) || jt.contains(MID_SURROGATE) {
            Some("java-splits-surrogate")
        } else {
            None
        };
        match why {
            Some(t) => tolerated_only = tolerated_only.or(Some(t)),
            None => real.push(*name),
        }
    }
    if differing.is_empty() {
        return Verdict {
            class: None,
            tolerated: None,
            sections: vec![],
        };
    }
    if real.is_empty() {
        let t = tolerated_only.unwrap_or("java-timeout");
        return verdict(t, Some(t), differing);
    }
    // Class: the first differing section in this order of "root cause" likelihood: `find` drives
    // replace and split, `matches` is independent.
    let order = [
        "find",
        "matches",
        "groups",
        "replaceAll",
        "replaceFirst",
        "split -1",
        "split 0",
        "split 2",
    ];
    let first = order
        .iter()
        .find(|s| real.contains(s))
        .copied()
        .unwrap_or("other");
    verdict(first, None, differing)
}

/// Result of a whole corpus run.
#[derive(Default)]
pub struct Report {
    pub total: usize,
    pub java_rejected: usize,
    pub agreed: usize,
    /// `(index, case, java, vtl, verdict)` for every difference, tolerated or not.
    pub diffs: Vec<(usize, RegexCase, Observed, Observed, Verdict)>,
    pub java_ms: u128,
    pub vtl_ms: u128,
    /// The case vtl spent longest on: `(index, milliseconds)` (a backtracking blow-up shows here).
    pub slowest: (usize, u128),
}

impl Report {
    pub fn failures(
        &self,
    ) -> impl Iterator<Item = &(usize, RegexCase, Observed, Observed, Verdict)> {
        self.diffs.iter().filter(|d| d.4.tolerated.is_none())
    }

    /// Counts per class (tolerated ones marked) and, per class, the constructs most often in its
    /// patterns.
    pub fn summary(&self) -> String {
        let mut classes: BTreeMap<String, (usize, bool, BTreeMap<&str, usize>)> = BTreeMap::new();
        for (_, case, _, _, v) in &self.diffs {
            let class = v.class.clone().unwrap_or_default();
            let e = classes
                .entry(class)
                .or_insert((0, v.tolerated.is_some(), BTreeMap::new()));
            e.0 += 1;
            for f in &case.features {
                *e.2.entry(f).or_default() += 1;
            }
        }
        let failing: usize = self.failures().count();
        let mut s = format!(
            "{} cases: {} agree, {} differ ({} failing, {} tolerated); Java rejected {} patterns; \
             Java {} ms, vtl {} ms (slowest: case {}, {} ms)\n",
            self.total,
            self.agreed,
            self.diffs.len(),
            failing,
            self.diffs.len() - failing,
            self.java_rejected,
            self.java_ms,
            self.vtl_ms,
            self.slowest.0,
            self.slowest.1
        );
        for (class, (n, tolerated, features)) in &classes {
            let mut top: Vec<(&&str, &usize)> = features.iter().collect();
            top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = top
                .iter()
                .take(5)
                .map(|(f, n)| format!("{f} {n}"))
                .collect();
            let _ = writeln!(
                s,
                "  {n:6}  {class}{}   [{}]",
                if *tolerated { " (tolerated)" } else { "" },
                top.join(", ")
            );
        }
        s
    }
}

/// Runs `cases` through Java (one batch) and vtl and compares them.
pub fn run_corpus(java: &java::Java, cases: &[RegexCase]) -> Result<Report, String> {
    let t = std::time::Instant::now();
    let javas = java.run_batch(cases)?;
    let java_ms = t.elapsed().as_millis();
    let t = std::time::Instant::now();
    let mut report = Report {
        total: cases.len(),
        java_ms,
        ..Report::default()
    };
    for (i, (case, j)) in cases.iter().zip(javas).enumerate() {
        let started = std::time::Instant::now();
        let v = observe_vtl(case);
        let ms = started.elapsed().as_millis();
        if ms > report.slowest.1 {
            report.slowest = (i, ms);
        }
        if matches!(j.compile, Compile::Error { .. }) {
            report.java_rejected += 1;
        }
        let verdict = compare(case, &j, &v);
        if verdict.class.is_none() {
            report.agreed += 1;
        } else {
            report.diffs.push((i, case.clone(), j, v, verdict));
        }
    }
    report.vtl_ms = t.elapsed().as_millis();
    Ok(report)
}

/// A readable report of one difference: the case, then each differing section from both sides.
pub fn format_diff(
    label: &str,
    case: &RegexCase,
    java: &Observed,
    vtl: &Observed,
    v: &Verdict,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "=== {label}: {}{}",
        v.class.as_deref().unwrap_or("agree"),
        v.tolerated
            .map(|t| format!(" (tolerated: {t})"))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "pattern     {}", quote(&case.pattern));
    let _ = writeln!(s, "input       {}", quote(&case.input));
    let _ = writeln!(s, "replacement {}", quote(&case.replacement));
    for (who, o) in [("java", java), ("vtl ", vtl)] {
        let _ = write!(s, "{who} compile: {}", o.compile_text());
        if let Compile::Error { message, index } = &o.compile {
            let _ = write!(s, " ({message} at {index})");
        }
        s.push('\n');
    }
    for name in &v.sections {
        if *name == "compile" {
            continue;
        }
        let _ = writeln!(s, "--- {name}");
        let _ = writeln!(
            s,
            "java: {}",
            java.section(name)
                .unwrap_or("<missing>")
                .replace('\n', "\n      ")
        );
        let _ = writeln!(
            s,
            "vtl:  {}",
            vtl.section(name)
                .unwrap_or("<missing>")
                .replace('\n', "\n      ")
        );
    }
    if let Some(g) = java.java_group_spans.as_deref().filter(|g| !g.is_empty()) {
        if java.compile != Compile::Ok(0) {
            let _ = writeln!(s, "java groups per find: {}", g.replace('\n', "; "));
        }
    }
    s
}

/// Does `s` survive a case-file section as raw text (one line, no invisible characters)?
fn raw_ok(s: &str) -> bool {
    !s.is_empty()
        && !s
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{212A}'))
        && !s.starts_with("=== ")
}

fn push_value(out: &mut String, name: &str, value: &str) {
    if raw_ok(value) {
        let _ = writeln!(out, "=== {name}\n{value}");
    } else {
        let _ = writeln!(out, "=== {name}-json\n{}", quote(value));
    }
}

/// A regression case file with Java's real behaviour (the format `crates/vtl/tests/regex_cases.rs` runs).
/// `known_failure`: the reason vtl is expected to fail it for now.
pub fn case_file_text(
    desc: &str,
    case: &RegexCase,
    java: &Observed,
    known_failure: Option<&str>,
) -> String {
    let mut out = String::new();
    for line in desc.lines() {
        let _ = writeln!(out, "{line}");
    }
    if let Compile::Error { message, index } = &java.compile {
        let _ = writeln!(out, "Java 17: {message} (index {index})");
    }
    push_value(&mut out, "pattern", &case.pattern);
    push_value(&mut out, "input", &case.input);
    push_value(&mut out, "replacement", &case.replacement);
    let _ = writeln!(out, "=== compile\n{}", java.compile_text());
    for (name, text) in &java.sections {
        let _ = writeln!(out, "=== {name}\n{text}");
    }
    if let Some(g) = java.java_group_spans.as_deref() {
        if !matches!(java.compile, Compile::Ok(0)) && !g.is_empty() {
            let _ = writeln!(
                out,
                "=== java-group-spans (not checked: each find, then each group)\n{g}"
            );
        }
    }
    if let Some(reason) = known_failure {
        let _ = writeln!(out, "=== known-failure\n{reason}");
    }
    out
}

/// Reads a case file's pattern, input and replacement (raw or `-json` sections).
pub fn case_from_file(text: &str, path: &std::path::Path) -> Result<RegexCase, String> {
    let c = testkit::Case::parse(path, text);
    let get = |name: &str| -> Result<String, String> {
        if let Some(raw) = c.section(name) {
            return Ok(raw.to_string());
        }
        match c.section(&format!("{name}-json")) {
            Some(j) => serde_json::from_str::<String>(j.trim())
                .map_err(|e| format!("{}: bad `{name}-json`: {e}", path.display())),
            None if name == "replacement" => Ok(String::new()),
            None => Err(format!("{}: no `=== {name}` section", path.display())),
        }
    };
    Ok(RegexCase {
        pattern: get("pattern")?,
        input: get("input")?,
        replacement: get("replacement")?,
        features: Vec::new(),
    })
}

/// Where regression case files live.
pub fn cases_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/vtl/tests/regex_cases")
}

/// Re-runs every case file under `dir` through Java: each stated section must be what Java 17
/// really does (so a hand-edited expectation cannot drift). Returns one line per problem.
pub fn check_case_files(java: &java::Java, dir: &std::path::Path) -> Result<Vec<String>, String> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut parsed = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("read {}: {e}", f.display()))?;
        cases.push(case_from_file(&text, f)?);
        parsed.push(testkit::Case::parse(f, &text));
    }
    let javas = java.run_batch(&cases)?;
    let mut bad = Vec::new();
    for ((f, c), j) in files.iter().zip(&parsed).zip(&javas) {
        let mut expected = vec![("compile", j.compile_text())];
        expected.extend(j.sections.iter().cloned());
        for (name, text) in expected {
            match c.section(name) {
                Some(t) if t == text => {}
                Some(t) => bad.push(format!(
                    "{} [{name}]: file says {t:?}, Java says {text:?}",
                    f.display()
                )),
                None => bad.push(format!(
                    "{} lacks `=== {name}` (Java: {text:?})",
                    f.display()
                )),
            }
        }
    }
    Ok(bad)
}
