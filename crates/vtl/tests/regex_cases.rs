//! Runs every `tests/regex_cases/*.case` file through `vtl::java_regex::JavaRegex`.
//!
//! The files are written by `cargo run -p regex-diff -- case NAME ...` with the real output of
//! java.util.regex (Java 17), and `cargo test -p regex-diff` re-checks them against Java. Each
//! file gives a pattern, an input and a replacement (sections `pattern`, `input`, `replacement`,
//! or `pattern-json` etc. holding a JSON string when the text has invisible characters), then
//! Java's results: `compile` (`ok, groups: N` or `error`), `matches` (`Pattern.matches`), `find`
//! (every `Matcher.find()` as UTF-8 byte ranges), `replaceAll`, `replaceFirst`, `groups` (the
//! replacement `<$1|...|$N>` applied with replaceAll: every match's groups), and `split -1`,
//! `split 0`, `split 2` (`Pattern.split(input, limit)`), strings in double quotes with `\n \r \t
//! \" \\ \uXXXX` escapes.
//!
//! A file with a `=== known-failure` section (its content says why) pins a Java behaviour vtl does
//! not have yet: it is reported as an expected failure and does not fail the test; once it passes,
//! the test prints "now passes: remove known-failure from X" (tests/regex-diff/FINDINGS.md lists them).

use std::path::Path;
use vtl::java_regex::JavaRegex;

use testkit::quote;

fn text(case: &testkit::Case, name: &str) -> Result<String, String> {
    if let Some(raw) = case.section(name) {
        return Ok(raw.to_string());
    }
    match case.section(&format!("{name}-json")) {
        Some(j) => serde_json::from_str::<String>(j.trim())
            .map_err(|e| format!("bad `{name}-json` section: {e}")),
        None if name == "replacement" => Ok(String::new()),
        None => Err(format!("no `=== {name}` (or `{name}-json`) section")),
    }
}

/// vtl's behaviour as `(section, text)` pairs, in the order of the files.
fn observe(pattern: &str, input: &str, replacement: &str) -> Vec<(String, String)> {
    let re = match JavaRegex::compile(pattern) {
        Ok(re) => re,
        Err(_) => return vec![("compile".into(), "error".into())],
    };
    let gc = re.group_count();
    let result = |r: Result<String, vtl::java_regex::JavaRegexError>| match r {
        Ok(t) => quote(&t),
        Err(_) => "error".to_string(),
    };
    let mut out = vec![
        ("compile".to_string(), format!("ok, groups: {gc}")),
        ("matches".to_string(), re.is_match_whole(input).to_string()),
    ];
    let finds: Vec<String> = re
        .find_all(input)
        .into_iter()
        .map(|(a, b)| format!("{a}..{b}"))
        .collect();
    let finds = if finds.is_empty() {
        "(none)".to_string()
    } else {
        finds.join("\n")
    };
    out.push(("find".into(), finds));
    out.push((
        "replaceAll".into(),
        result(re.replace_all(input, replacement)),
    ));
    out.push((
        "replaceFirst".into(),
        result(re.replace_first(input, replacement)),
    ));
    if gc > 0 {
        let refs: Vec<String> = (1..=gc.min(99)).map(|g| format!("${g}")).collect();
        let groups = format!("<{}>", refs.join("|"));
        out.push(("groups".into(), result(re.replace_all(input, &groups))));
    }
    for limit in [-1, 0, 2] {
        let parts: Vec<String> = re.split(input, limit).iter().map(|p| quote(p)).collect();
        out.push((format!("split {limit}"), format!("[{}]", parts.join(", "))));
    }
    out
}

#[test]
fn regex_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regex_cases");
    testkit::run_dir(&dir, "case", |case| {
        let pattern = text(case, "pattern")?;
        let input = text(case, "input")?;
        let replacement = text(case, "replacement")?;
        let mut checks = observe(&pattern, &input, &replacement);
        // When vtl and Java disagree on compiling, the other sections cannot be compared.
        if checks.first().map(|(_, t)| t.as_str()) != case.section("compile") {
            checks.truncate(1);
        }
        let Some(reason) = case.section("known-failure") else {
            return Ok(checks);
        };
        let failing: Vec<&str> = checks
            .iter()
            .filter(|(n, t)| case.section(n) != Some(t.as_str()))
            .map(|(n, _)| n.as_str())
            .collect();
        // Printed as they come: a real failure elsewhere makes run_dir panic at the end.
        if failing.is_empty() {
            eprintln!(
                "now passes: remove known-failure from {}.case (and from tests/regex-diff/FINDINGS.md)",
                case.name
            );
        } else {
            eprintln!(
                "expected failure: {} [{}]: {}",
                case.name,
                failing.join(", "),
                reason.lines().next().unwrap_or("")
            );
        }
        Ok(Vec::new())
    });
}
