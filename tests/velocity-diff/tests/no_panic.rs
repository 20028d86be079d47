//! Stable, bounded stand-in for the fuzzer in the normal test suite: thousands of generated and
//! randomly mutated templates go through parse + render with tight limits, asserting no panic,
//! bounded output and a bounded time per template; and hand-written runaway templates (infinite
//! recursion, exponential growth, huge loops, deep nesting) must be stopped by the limits.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};
use velocity_diff::fuzzing::{check_bounded, context_for, fuzz_context, fuzz_limits, mutate};
use velocity_diff::{gen, rng::Rng};

/// Generous for a debug build on a busy machine; the limits make real cost a few milliseconds.
const PER_TEMPLATE: Duration = Duration::from_secs(3);

fn run_one(
    label: &str,
    source: &str,
    context: &mut vtl::Context,
    limits: &vtl::Limits,
) -> Result<(), String> {
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| check_bounded(source, context, limits)));
    let took = start.elapsed();
    if let Err(payload) = result {
        let msg = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        return Err(format!("{label}: panicked: {msg}\ntemplate: {source:?}"));
    }
    if took > PER_TEMPLATE {
        return Err(format!(
            "{label}: took {took:?} (> {PER_TEMPLATE:?})\ntemplate: {source:?}"
        ));
    }
    Ok(())
}

#[test]
fn generated_and_mutated_templates_never_panic() {
    let limits = fuzz_limits();
    let mut rng = Rng::new(0xF022);
    let count: u64 = std::env::var("SMOKE_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut failures = Vec::new();
    for i in 0..count {
        let case = gen::generate(0xF022, i);
        let source = if i % 3 == 0 {
            case.template.clone()
        } else {
            mutate(&mut rng, &case.template)
        };
        let mut context = context_for(&case);
        if let Err(e) = run_one(&format!("case {i}"), &source, &mut context, &limits) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn random_bytes_never_panic() {
    let limits = fuzz_limits();
    let mut rng = Rng::new(0xB17E5);
    let alphabet: Vec<char> = "$#!{}()[]\"'\\.,=<>&|*@ \n\tabcxyz019-+/%éinforeachsetendmacro"
        .chars()
        .collect();
    let mut failures = Vec::new();
    for i in 0..2000 {
        let len = rng.below(80);
        let source: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        if let Err(e) = run_one(
            &format!("random {i}"),
            &source,
            &mut fuzz_context(),
            &limits,
        ) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Templates that would run forever, grow without bound or nest deeply. Each must finish quickly
/// (an error is fine) without panicking or overflowing the stack.
#[test]
fn runaway_templates_are_stopped_by_limits() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    let cases: Vec<(&str, String)> = vec![
        ("recursive macro", "#macro(r)x#r()#end#r()".into()),
        ("mutually recursive macros", "#macro(a)#b()#end#macro(b)#a()#end#a()".into()),
        ("recursive evaluate", "#set($e = '#evaluate($e)')#evaluate($e)".into()),
        ("recursive define", "#define($d)x$d#end$d".into()),
        ("huge range", "#foreach($i in [1..100000000])x#end".into()),
        ("nested loops", "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])x#end#end#end".into()),
        ("string doubling", "#set($s = 'xx')#foreach($i in [1..64])#set($s = \"$s$s\")#end$s.length()".into()),
        ("list growth", "#set($l = [1])#foreach($i in [1..64])#set($x = $l.addAll($l))#end$l.size()".into()),
        ("output flood", "#foreach($i in [1..1000])#foreach($j in [1..1000])xxxxxxxxxxxxxxxx#end#end".into()),
        ("deep parentheses", format!("#set($x = {})", deep("(", ")", 5000).replace("()", "(1)"))),
        ("deep if nesting", deep("#if(true)", "#end", 5000)),
        ("deep list literal", format!("#set($x = {})", deep("[", "]", 5000))),
        ("deep map literal", format!("#set($x = {}1{})", "{\"a\": ".repeat(3000), "}".repeat(3000))),
        ("long reference chain", format!("$m{}", ".a".repeat(20000))),
        ("deep string interpolation", format!("#set($x = {}){}", "\"$x".repeat(500), "\"".repeat(500))),
        ("unclosed everything", "#if(#foreach(#macro(${$!{#set(".repeat(2000)),
        ("many macro args", format!("#macro(m{})#end#m({})", " $a".repeat(5000), " 1".repeat(5000))),
        ("regex blowup", "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')$s.matches('(a+)+$')".into()),
        ("replaceAll growth", "#set($s = 'ab')#foreach($i in [1..40])#set($s = $s.replaceAll('a', 'aa'))#end$s.length()".into()),
    ];
    let limits = fuzz_limits();
    let mut failures = Vec::new();
    let only = std::env::var("RUNAWAY").ok();
    for (label, source) in &cases {
        if only.as_deref().is_some_and(|o| !label.contains(o)) {
            continue;
        }
        eprintln!("runaway: {label}");
        // A fresh thread with a modest stack: deep nesting must be limited, not survived by luck.
        let (label, source, limits) = (label.to_string(), source.clone(), limits.clone());
        let handle = std::thread::Builder::new()
            .stack_size(4 << 20)
            .spawn(move || run_one(&label, &source, &mut fuzz_context(), &limits));
        match handle.map(|h| h.join()) {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => failures.push(e),
            Ok(Err(_)) => failures.push("thread panicked outside catch_unwind".into()),
            Err(e) => failures.push(format!("spawn: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
