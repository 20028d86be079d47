//! `gateway::template::render_case` (the `apigw render` format, docs/render.md) must never
//! panic, hang, or exceed the 10 MB output cap on any case.
//!
//! The first byte picks the mode:
//! - 0 mod 3: the rest is the case JSON itself (arbitrary bytes, decoded lossily);
//! - 1 mod 3: the rest is the template, rendered with a template case's input (the second byte
//!   picks which of tests/cases/template/*.case);
//! - 2 mod 3: the rest is the body, rendered by that case's template.
#![no_main]

use gateway::template::{self, CaseInput, TemplateCase};
use libfuzzer_sys::fuzz_target;

/// The template cases that are whole `=== case` documents (the shared benchmark cases among them).
/// Per thread, because a case's input shares its parameters through an `Rc` (libFuzzer runs the
/// target on one thread; the list is loaded once and kept for the process).
fn cases() -> &'static [TemplateCase] {
    thread_local! {
        static CASES: &'static [TemplateCase] = Box::leak(load_cases().into_boxed_slice());
    }
    CASES.with(|c| *c)
}

fn load_cases() -> Vec<TemplateCase> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/gateway/tests/cases/template"
    );
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/cases/template")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .collect();
    paths.sort();
    let mut out = vec![TemplateCase {
        template: "$input.json('$')".into(),
        input: CaseInput::default(),
    }];
    for p in paths {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        if let Some((_, json)) = text.split_once("=== case\n") {
            let json = json.split("\n=== ").next().unwrap_or("");
            if let Ok(c) = template::parse_case(json) {
                out.push(c);
            }
        }
    }
    out
}

fn check(case: &TemplateCase) {
    if let Ok(r) = template::render_case(case) {
        assert!(
            r.output.len() <= 10 * 1024 * 1024,
            "output of {} bytes",
            r.output.len()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            if let Ok(case) = template::parse_case(&String::from_utf8_lossy(rest)) {
                check(&case);
            }
        }
        m => {
            let Some((&pick, rest)) = rest.split_first() else {
                return;
            };
            let all = cases();
            let mut case = all[pick as usize % all.len()].clone();
            let text = String::from_utf8_lossy(rest).into_owned();
            if m == 1 {
                case.template = text;
            } else {
                case.input.body = text;
            }
            check(&case);
        }
    }
});
