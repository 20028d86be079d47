//! Differential testing of the `vtl` engine against Apache Velocity 1.7.
//!
//! The same `(template, vars)` pairs are rendered by the real Velocity 1.7 (a small Java program,
//! `java/VelocityBatch.java`, compiled at test time and run once per batch) and by `vtl`; the
//! outputs must agree byte for byte, and a template Velocity rejects (parse error, method
//! exception) must also fail in `vtl`. [`gen`] generates the templates from a seed.

pub mod cli;
pub mod fuzzing;
pub mod gen;
pub mod java;
pub mod jvm;
pub mod minimize;
pub mod rng;

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use serde_json::Map as JsonMap;
pub use serde_json::Value as Json;

/// One template with its global variables (a JSON object: strings, numbers, booleans, lists, maps, null).
#[derive(Clone, Debug)]
pub struct DiffCase {
    pub template: String,
    pub vars: JsonMap<String, Json>,
}

/// What an engine did with a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Rendered(String),
    /// The engine refused the template or stopped rendering. `kind` is Velocity's exception class
    /// (`PARSE`, `METHOD`, `ERROR`) or, for `vtl`, `parse` / `render`; messages are not compared.
    Failed {
        kind: String,
        message: String,
    },
    /// `vtl` panicked: always a bug.
    Panicked(String),
}

impl Outcome {
    pub fn is_failure(&self) -> bool {
        !matches!(self, Outcome::Rendered(_))
    }
}

/// Converts JSON to the value Velocity would see: integers in `int` range are `Integer`, larger
/// ones `Long`, other numbers `Double`; arrays are `ArrayList`, objects `LinkedHashMap`. The Java
/// side ([`java::encode_vars`]) applies the same rule.
pub fn json_to_value(j: &Json) -> vtl::Value {
    match j {
        Json::Null => vtl::Value::Null,
        Json::Bool(b) => vtl::Value::Bool(*b),
        Json::Number(n) => match number_kind(n) {
            NumberKind::Int(i) => vtl::Value::Int(i),
            NumberKind::Long(l) => vtl::Value::Long(l),
            NumberKind::Double(d) => vtl::Value::Double(d),
        },
        Json::String(s) => vtl::Value::str(s),
        Json::Array(items) => vtl::Value::list(items.iter().map(json_to_value).collect()),
        Json::Object(map) => vtl::Value::map(
            map.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

pub(crate) enum NumberKind {
    Int(i32),
    Long(i64),
    Double(f64),
}

pub(crate) fn number_kind(n: &serde_json::Number) -> NumberKind {
    if let Some(i) = n.as_i64() {
        match i32::try_from(i) {
            Ok(small) => NumberKind::Int(small),
            Err(_) => NumberKind::Long(i),
        }
    } else {
        NumberKind::Double(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Limits for the differential run: the engine defaults (the generator keeps loops small, so
/// API Gateway's 1000-iteration `#foreach` cap never triggers).
pub fn diff_limits() -> vtl::Limits {
    vtl::Limits::default()
}

/// Parses and renders `case` with `vtl`, turning a panic into [`Outcome::Panicked`].
pub fn render_vtl(case: &DiffCase, limits: &vtl::Limits) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let template = vtl::Template::parse(&case.template);
        if template.has_errors() {
            let message = template
                .diagnostics()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("; ");
            return Outcome::Failed {
                kind: "parse".into(),
                message,
            };
        }
        let mut context = vtl::Context::new();
        for (name, value) in &case.vars {
            context.insert(name.clone(), json_to_value(value));
        }
        match template.render(&mut context, limits) {
            Ok(out) => Outcome::Rendered(out),
            Err(e) => Outcome::Failed {
                kind: "render".into(),
                message: e.to_string(),
            },
        }
    }));
    match result {
        Ok(outcome) => outcome,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "non-string panic payload".into());
            Outcome::Panicked(msg)
        }
    }
}

/// A documented, deliberate difference the harness accepts. Each entry says why.
pub struct Tolerance {
    pub name: &'static str,
    pub reason: &'static str,
    /// True when this tolerance explains the difference between `expected` (Velocity) and `actual` (vtl).
    pub applies: fn(&DiffCase, &Outcome, &Outcome) -> bool,
}

/// The known differences the harness tolerates. Keep this list short: every entry hides behaviour.
pub const TOLERANCES: &[Tolerance] = &[
    Tolerance {
        name: "error-messages",
        reason: "Both engines reject the template; Velocity's exception text (JavaCC token lists, Java \
                 stack details) is not reproduced, only the fact that it fails.",
        applies: |_, expected, actual| expected.is_failure() && matches!(actual, Outcome::Failed { .. }),
    },
    Tolerance {
        name: "java-array-identity",
        reason: "Velocity prints a Java array (from String.split, getBytes) with Object.toString(): its \
                 type and identity hash, e.g. `[Ljava.lang.String;@1b6d3586`, different on every run. \
                 No engine can reproduce it, so any text is accepted in its place.",
        applies: |_, expected, actual| match (expected, actual) {
            (Outcome::Rendered(e), Outcome::Rendered(a)) => matches_with_array_wildcards(e, a),
            _ => false,
        },
    },
];

/// True when `expected` contains Java array identity strings and `actual` equals it with each of
/// them replaced by arbitrary text.
fn matches_with_array_wildcards(expected: &str, actual: &str) -> bool {
    let Ok(token) = regex::Regex::new(r"\[+(?:L[A-Za-z0-9_.$]+;|[BCDFIJSZ])@[0-9a-f]+") else {
        return false;
    };
    if !token.is_match(expected) {
        return false;
    }
    let pattern: Vec<String> = token.split(expected).map(regex::escape).collect();
    let Ok(re) = regex::Regex::new(&format!("^(?s:{})$", pattern.join(".*?"))) else {
        return false;
    };
    re.is_match(actual)
}

/// How two outcomes relate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Agreement {
    Same,
    Tolerated(&'static str),
    Differ,
}

pub fn compare(case: &DiffCase, expected: &Outcome, actual: &Outcome) -> Agreement {
    if let Outcome::Panicked(_) = actual {
        return Agreement::Differ;
    }
    if expected == actual {
        return Agreement::Same;
    }
    for t in TOLERANCES {
        if (t.applies)(case, expected, actual) {
            return Agreement::Tolerated(t.name);
        }
    }
    Agreement::Differ
}

/// Makes invisible characters visible: space `·`, tab `→`, CR `␍`, newline `↵` (then a real newline).
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            ' ' => out.push('·'),
            '\t' => out.push('→'),
            '\r' => out.push('␍'),
            '\n' => out.push_str("↵\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn show_outcome(o: &Outcome) -> String {
    match o {
        Outcome::Rendered(s) => visible(s),
        Outcome::Failed { kind, message } => format!("<{kind} failure: {}>", first_line(message)),
        Outcome::Panicked(m) => format!("<PANIC: {m}>"),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// A readable report of one mismatch: template, vars, expected (Velocity) and actual (vtl).
pub fn format_mismatch(
    label: &str,
    case: &DiffCase,
    expected: &Outcome,
    actual: &Outcome,
) -> String {
    let vars = serde_json::to_string(&case.vars).unwrap_or_default();
    format!(
        "=== {label}\n--- template:\n{}\n--- vars: {vars}\n--- velocity 1.7:\n{}\n--- vtl:\n{}\n",
        visible(&case.template),
        show_outcome(expected),
        show_outcome(actual)
    )
}

/// The text of a case file (`crates/testkit` format) pinning Velocity's output for `case`.
/// A template Velocity rejects gets an `=== error` section instead of `=== output`.
pub fn case_file_text(description: &str, case: &DiffCase, expected: &Outcome) -> String {
    let vars = serde_json::to_string_pretty(&case.vars).unwrap_or_else(|_| "{}".into());
    let mut text = String::new();
    let _ = writeln!(text, "{}", description.trim());
    let _ = writeln!(text, "=== template\n{}", case.template);
    let _ = writeln!(text, "=== vars\n{vars}");
    match expected {
        Outcome::Rendered(out) => {
            let _ = writeln!(text, "=== output\n{out}");
        }
        // A method's exception is written the way tests/cases.rs matches it: `ERROR: ` and
        // the Java exception (the render must fail naming the same exception class).
        Outcome::Failed { kind, message } if kind == "METHOD" => {
            let line = first_line(message);
            let exception = line.split_once("threw exception ").map_or(line, |(_, e)| e);
            let exception = exception.split(" at case").next().unwrap_or(exception);
            let _ = writeln!(text, "=== error\nERROR: {exception}");
        }
        Outcome::Failed { kind, message } => {
            let _ = writeln!(text, "=== error\n{kind}: {}", first_line(message));
        }
        Outcome::Panicked(_) => {}
    }
    text
}

/// Result of running a corpus through both engines.
pub struct Report {
    pub total: usize,
    pub same: usize,
    pub tolerated: usize,
    pub mismatches: Vec<(usize, DiffCase, Outcome, Outcome)>,
    pub velocity_failures: usize,
}

/// Runs `cases` through Velocity (one JVM) and `vtl`, comparing each pair.
pub fn run_corpus(java: &java::Velocity, cases: &[DiffCase]) -> Result<Report, String> {
    let expected = java.render_batch(cases)?;
    let limits = diff_limits();
    let mut report = Report {
        total: cases.len(),
        same: 0,
        tolerated: 0,
        mismatches: Vec::new(),
        velocity_failures: 0,
    };
    for (i, (case, exp)) in cases.iter().zip(expected).enumerate() {
        if exp.is_failure() {
            report.velocity_failures += 1;
        }
        let actual = render_vtl(case, &limits);
        match compare(case, &exp, &actual) {
            Agreement::Same => report.same += 1,
            Agreement::Tolerated(_) => report.tolerated += 1,
            Agreement::Differ => report.mismatches.push((i, case.clone(), exp, actual)),
        }
    }
    Ok(report)
}

impl Report {
    pub fn summary(&self) -> String {
        format!(
            "{} cases: {} identical, {} tolerated (both failed), {} mismatched; Velocity rejected {}",
            self.total,
            self.same,
            self.tolerated,
            self.mismatches.len(),
            self.velocity_failures
        )
    }
}

/// The repro case files this harness writes for the engine owner.
pub fn from_diff_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/vtl/tests/cases/from-diff")
}

/// Every `*.case` file under [`from_diff_dir`], sorted.
pub fn from_diff_case_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(from_diff_dir())
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "case"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Reads a case file (`=== template`, `=== vars`, `=== output` or `=== error`) as a [`DiffCase`]
/// plus what it expects (`Ok(output)` or `Err(())` for "fails").
pub fn read_case_file(path: &std::path::Path) -> Result<(DiffCase, Result<String, ()>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let case = testkit::Case::parse(path, &text);
    let template = case
        .section("template")
        .ok_or_else(|| format!("{}: no template section", path.display()))?;
    let vars = match case.section("vars") {
        Some(v) if !v.trim().is_empty() => serde_json::from_str::<JsonMap<String, Json>>(v)
            .map_err(|e| format!("{}: vars: {e}", path.display()))?,
        _ => JsonMap::new(),
    };
    let expect = match (case.section("output"), case.section("error")) {
        (Some(out), _) => Ok(out.to_string()),
        (None, Some(_)) => Err(()),
        (None, None) => {
            return Err(format!(
                "{}: neither output nor error section",
                path.display()
            ))
        }
    };
    Ok((
        DiffCase {
            template: template.to_string(),
            vars,
        },
        expect,
    ))
}

/// Re-renders case files with Velocity; returns a description of each file whose expectation is
/// not what Velocity 1.7 really does (so repro cases can be trusted).
pub fn check_case_files(
    velocity: &java::Velocity,
    files: &[std::path::PathBuf],
) -> Result<Vec<String>, String> {
    let mut cases = Vec::new();
    let mut expects = Vec::new();
    for f in files {
        let (case, expect) = read_case_file(f)?;
        cases.push(case);
        expects.push(expect);
    }
    let outcomes = velocity.render_batch(&cases)?;
    let mut bad = Vec::new();
    for ((file, expect), got) in files.iter().zip(expects).zip(outcomes) {
        let ok = match (&expect, &got) {
            (Ok(want), Outcome::Rendered(out)) => want == out,
            (Err(()), other) => other.is_failure(),
            _ => false,
        };
        if !ok {
            bad.push(format!(
                "{}: file expects {}, Velocity 1.7 gives {}",
                file.display(),
                match &expect {
                    Ok(s) => visible(s),
                    Err(()) => "a failure".into(),
                },
                show_outcome(&got)
            ));
        }
    }
    Ok(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_identity_wildcards_accept_any_text_only_in_their_place() {
        let e = "x [Ljava.lang.String;@1b6d3586 y [B@5abca1e0.";
        assert!(matches_with_array_wildcards(e, "x [a, b] y [104]."));
        assert!(!matches_with_array_wildcards(e, "z [a, b] y [104]."));
        assert!(!matches_with_array_wildcards("no arrays", "no arrays"));
    }

    #[test]
    fn visible_marks_whitespace() {
        assert_eq!(visible(" \t\r\n"), "·→␍↵\n");
    }

    #[test]
    fn a_panic_in_the_engine_is_never_tolerated() {
        let case = DiffCase {
            template: String::new(),
            vars: JsonMap::new(),
        };
        let failed = Outcome::Failed {
            kind: "PARSE".into(),
            message: String::new(),
        };
        assert_eq!(
            compare(&case, &failed, &Outcome::Panicked("boom".into())),
            Agreement::Differ
        );
        let other = Outcome::Failed {
            kind: "parse".into(),
            message: "x".into(),
        };
        assert_eq!(
            compare(&case, &failed, &other),
            Agreement::Tolerated("error-messages")
        );
        assert_eq!(
            compare(&case, &Outcome::Rendered("a".into()), &other),
            Agreement::Differ
        );
    }
}
