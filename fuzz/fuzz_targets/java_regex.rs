//! `vtl::java_regex` (our own Java regex engine) on arbitrary patterns, subjects and replacement
//! strings: compiling and every operation must never panic, hang or overflow the stack; a
//! search past its step budget must stop with the engine's limit error.
//!
//! Input layout: `pattern \0 subject \0 replacement` (missing parts are empty), decoded lossily.
//! The operations run twice: directly with a small step budget, and through a template
//! (`replaceAll`, `replaceFirst`, `matches`, `split`) so the template's step accounting is
//! exercised too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vtl::java_regex::{JavaRegex, StepBudget, LIMIT_MESSAGE};
use vtl::{Context, Limits, Template, Value};

const STEPS: u64 = 200_000;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let pattern = parts.next().unwrap_or_default();
    let subject = parts.next().unwrap_or_default();
    let replacement = parts.next().unwrap_or_default();

    if let Ok(re) = JavaRegex::compile(pattern) {
        let mut budget = StepBudget::new(STEPS);
        match re.try_is_match_whole(subject, &mut budget) {
            Ok(_) => {}
            Err(e) => assert!(e.message.starts_with(LIMIT_MESSAGE), "{e}"),
        }
        for limit in [-1, 0, 2] {
            let mut budget = StepBudget::new(STEPS);
            if let Ok(pieces) = re.try_split(subject, limit, &mut budget) {
                // Every piece but the last ends at a match; matches are non-empty (at most one
                // per character) or empty (at most one per position, and Java reports one right
                // after a non-empty match): `"aa".split("a?", -1)` has 4 pieces.
                assert!(pieces.len() <= 2 * subject.chars().count() + 2);
            }
        }
    }

    let template = Template::parse(
        "$s.replaceAll($p, $r)|$s.replaceFirst($p, $r)|$s.matches($p)|$s.split($p).size()",
    );
    let mut cx = Context::new();
    cx.insert("s", Value::str(subject));
    cx.insert("p", Value::str(pattern));
    cx.insert("r", Value::str(replacement));
    let limits = Limits {
        max_steps: STEPS,
        max_output_bytes: 1 << 20,
        ..Limits::default()
    };
    if let Ok(out) = template.render(&mut cx, &limits) {
        assert!(out.len() <= 1 << 20);
    }
});
