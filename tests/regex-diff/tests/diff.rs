//! Differential test: a fixed-seed corpus of generated patterns run by java.util.regex (Java 17)
//! and by `vtl::java_regex` must agree section by section, apart from the documented tolerances
//! (`TOLERANCES`, `KNOWN_BUGS` in src/lib.rs). Without Java this test FAILS with install
//! instructions, unless SKIP_REGEX_DIFF=1. `DIFF_SEED` / `DIFF_COUNT` override the corpus.

use regex_diff::{format_diff, gen, java::Java, run_corpus, KNOWN_BUGS};

const SEED: u64 = 20_261_125;
const COUNT: usize = 6000;
const SHOW: usize = 15;

fn env_num<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn skip() -> bool {
    std::env::var("SKIP_REGEX_DIFF").is_ok_and(|v| v == "1")
}

#[test]
fn java_regex_agrees_with_java_util_regex_on_generated_patterns() {
    if skip() {
        eprintln!("SKIP_REGEX_DIFF=1: differential test skipped");
        return;
    }
    let java = Java::setup().unwrap_or_else(|e| panic!("cannot run Java: {e}"));
    let seed = env_num("DIFF_SEED").unwrap_or(SEED);
    let count = env_num("DIFF_COUNT").unwrap_or(COUNT);
    let cases = gen::corpus(seed, count);
    let report = run_corpus(&java, &cases).unwrap_or_else(|e| panic!("Java batch failed: {e}"));
    eprintln!("seed {seed}: {}", report.summary());
    // A corpus Java mostly rejects, or one where nothing matches, compares little: keep the
    // generator honest.
    assert!(
        report.java_rejected * 4 < report.total,
        "Java rejected {} of {} generated patterns",
        report.java_rejected,
        report.total
    );
    for k in KNOWN_BUGS {
        if !report.diffs.iter().any(|d| d.4.tolerated == Some(k.name)) {
            eprintln!(
                "`{}` did not occur in this corpus: if vtl fixed it, remove it from KNOWN_BUGS",
                k.name
            );
        }
    }
    let failures: Vec<_> = report.failures().collect();
    if !failures.is_empty() {
        let mut text = String::new();
        for (i, case, j, v, verdict) in failures.iter().take(SHOW) {
            text.push_str(&format_diff(
                &format!("seed {seed} case {i}"),
                case,
                j,
                v,
                verdict,
            ));
            text.push('\n');
        }
        panic!(
            "{}\nfirst {} failing differences; reproduce one with \
             `cargo run -p regex-diff -- show --seed {seed} --case N`:\n{text}",
            report.summary(),
            failures.len().min(SHOW)
        );
    }
}

/// The regression case files must state what Java 17 really does.
#[test]
fn regex_case_files_match_java() {
    if skip() {
        return;
    }
    let java = Java::setup().unwrap_or_else(|e| panic!("cannot run Java: {e}"));
    let bad = regex_diff::check_case_files(&java, &regex_diff::cases_dir())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        bad.is_empty(),
        "case files disagree with Java 17:\n{}",
        bad.join("\n")
    );
}

/// The comparison itself must catch differences: a wrong vtl answer is reported, a matching one not.
#[test]
fn compare_detects_a_difference_and_classifies_it() {
    use regex_diff::{compare, observe_vtl, Compile, Observed, RegexCase};
    let case = RegexCase {
        pattern: "a+".into(),
        input: "xaay".into(),
        replacement: "-".into(),
        features: vec![],
    };
    let vtl = observe_vtl(&case);
    assert_eq!(vtl.section("find"), Some("1..3"));
    assert!(compare(&case, &vtl, &vtl).class.is_none());
    let mut wrong = vtl.clone();
    wrong.sections[1].1 = "1..2".into();
    let v = compare(&case, &vtl, &wrong);
    assert_eq!(v.class.as_deref(), Some("find"));
    assert!(v.tolerated.is_none());
    let rejected = Observed::failed(Compile::Error {
        message: "backreferences (like \\1) are not supported".into(),
        index: 0,
    });
    assert_eq!(
        compare(&case, &vtl, &rejected).tolerated,
        Some("unsupported-construct")
    );
    let translation_bug = Observed::failed(Compile::Error {
        message: "pattern is not supported: regex parse error".into(),
        index: 0,
    });
    assert!(compare(&case, &vtl, &translation_bug).tolerated.is_none());
}

/// Java's UTF-16 indexes must come back as UTF-8 byte offsets, also after non-BMP characters, and
/// an empty match between the halves of a surrogate pair must be flagged, not mistranslated.
#[test]
fn java_offsets_are_utf8_byte_offsets() {
    use regex_diff::{RegexCase, MID_SURROGATE, SPLITS_SURROGATE};
    if skip() {
        return;
    }
    let java = Java::setup().unwrap_or_else(|e| panic!("cannot run Java: {e}"));
    let case = |pattern: &str, input: &str| RegexCase {
        pattern: pattern.into(),
        input: input.into(),
        replacement: "-".into(),
        features: vec![],
    };
    let out = java
        .run_batch(&[case("a", "😀éa"), case("", "x😀")])
        .unwrap_or_else(|e| panic!("{e}"));
    // 😀 is 4 bytes (2 UTF-16 units), é 2 bytes (1 unit): `a` is at byte 6.
    assert_eq!(out[0].section("find"), Some("6..7"));
    assert_eq!(out[0].section("replaceAll"), Some("\"😀é-\""));
    // Java's empty matches after `x`: 0, 1, inside the pair (unit 2), 3.
    let find = out[1].section("find").unwrap_or("");
    assert_eq!(find, format!("0..0\n1..1\n{MID_SURROGATE}\n5..5"));
    assert_eq!(out[1].section("replaceAll"), Some(SPLITS_SURROGATE));
}
