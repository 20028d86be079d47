//! Robustness of the whole simulation core (the project invariant: the core never panics on
//! user input and bounds every loop, recursion, regex and output by explicit limits).
//!
//! Seeded, structured mutations of every example scenario (examples/scenarios/*.json) and of
//! every template case (tests/cases/template/*.case, which include the shared benchmark cases)
//! go through the JSON edge (`run_scenario_json`, `run_comparison_json`,
//! `validate_scenario_json`) and `template::render_case`. Each run must not panic, must finish
//! within [`TIME_BOUND`], and must produce a result whose size stays within a bound derived from
//! API Gateway's limits (10 MB payloads, spec §7.6).
//!
//! Run it under a memory cap so a blow-up fails fast instead of eating the machine:
//! `cargo test -p gateway --test robustness --no-run` then
//! `bash -c 'ulimit -v 4000000; <the test binary>'` (docs/robustness.md).
//! `ROBUST_ITERS=N` raises the number of mutations per seed file (default keeps the test < 30 s
//! in a debug build); `ROBUST_SEED=S` changes the seed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gateway::api::{run_comparison_json, run_scenario_json, validate_scenario_json};
use gateway::template;
use serde_json::{json, Value};

/// CPU time one run (debug build) may use. Generous on purpose: the engine's own step budget
/// must stop pathological inputs long before. CPU time, not wall time, so a loaded machine
/// (several builds sharing two cores) does not make the test flaky.
/// A debug build is 10-20× slower than the release build the browser runs.
const TIME_BOUND: Duration = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 10 });

/// Largest generated body. Release runs (`cargo test --release`, the fuzz-like soak) go up to
/// API Gateway's 10 MB; the debug run keeps to 512 KiB so the normal `cargo test` stays fast
/// (the 10 MB path is still run once per test, see `pathological_templates_are_bounded`).
const BIG: usize = if cfg!(debug_assertions) {
    512 * 1024
} else {
    TEN_MB
};

/// Wall-clock time after which a run counts as hung (the thread is left behind and the test
/// fails; the process ends right after).
const HANG_BOUND: Duration = Duration::from_secs(120);

/// CPU time of the calling thread (Linux `/proc/thread-self/schedstat`, nanoseconds on CPU);
/// elsewhere, wall time is the fallback measure.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// API Gateway's payload quota (spec §7.6).
const TEN_MB: usize = 10 * 1024 * 1024;

/// A result document may hold the response body (≤ 10 MB), the integration request and
/// response bodies (≤ 10 MB each) and a trace that keeps at most 64 KiB of each body, plus
/// whatever the input itself carried (echoed headers, the proxy event). Anything beyond this is
/// unbounded growth.
fn output_bound(input_len: usize) -> usize {
    4 * TEN_MB + 4 * input_len
}

/// xorshift64*: deterministic and dependency-free, so a failure replays from its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Templates that stress every bound of the engine: loops, recursion, growth, regexes.
const PATHOLOGICAL_TEMPLATES: &[&str] = &[
    // Nested #foreach: 1000 × 1000 × 1000 iterations if nothing but the per-loop cap applied.
    "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])x#end#end#end",
    "#foreach($a in [1..100000000])$a#end",
    "#foreach($i in [-2147483648..2147483647])#end",
    // Recursive macros.
    "#macro(r $n)#r($n)#end#r(1)",
    "#macro(a)#b()#end#macro(b)#a()#end#a()",
    "#macro(f $s)#set($s = \"$s$s\")#f($s)#end#f('ab')",
    // Doubling strings.
    "#set($s = 'x')#foreach($i in [1..64])#set($s = \"$s$s\")#end$s.length()",
    "#set($s = 'xy')#foreach($i in [1..64])#set($s = $s.concat($s))#end$s",
    "#set($s = 'xy')#foreach($i in [1..64])#set($s = $s.replace('x', $s))#end$s",
    "#set($l = [1])#foreach($i in [1..64])#set($d = $l.addAll($l))#end$l.size()",
    "#set($m = {})#foreach($i in [1..1000])#set($d = $m.put(\"k$i\", $m))#end$m",
    "#set($l = [])#set($d = $l.add($l))$l",
    "#set($m = {})#set($d = $m.put('self', $m))$m $m.toString() $util.escapeJavaScript($m)",
    "#set($s = 'x')#foreach($i in [1..30])#set($s = $util.escapeJavaScript(\"$s\\\"'$s\"))#end$s.length()",
    "#set($s = 'a+b')#foreach($i in [1..40])#set($s = $util.urlEncode($s))#set($s = \"$s$s\")#end",
    "#set($s = 'x')#foreach($i in [1..40])#set($s = $util.base64Encode(\"$s$s\"))#end$s.length()",
    // Catastrophic regexes (backtracking engines blow up; ours must not).
    "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')$s.matches('(a+)+$') $s.matches('(a|a)*b') $s.replaceAll('(a*)*b', 'z')",
    "$input.body.replaceAll('', 'zz').replaceAll('', 'zz').replaceAll('', 'zz')",
    "#set($s = 'ab')$s.replaceAll('(', 'x')$s.matches('[')$s.split('*')$s.replaceAll('a', '$9')$s.replaceAll('(a)', '\\\\')$s.replaceFirst('a', '$')",
    // Deep nesting of expressions and directives.
    "#if(true)#if(true)#if(true)#if(true)#if(true)#if(true)#if(true)#if(true)x#end#end#end#end#end#end#end#end",
    "#evaluate('#evaluate(\"#evaluate(''$x'')\")')",
    "#set($t = '#evaluate($t)')#evaluate($t)",
    "#define($d)$d$d#end$d",
    // $input / $util on a huge or hostile body.
    "$input.json('$..*')$input.path('$..a..b..c')$input.json('$[*][*][*]')",
    "$input.path('$[0:100000000:1]')$input.json('$[-2147483648:2147483647]')",
    "#foreach($k in $input.path('$').keySet())$input.path(\"$.$k\")#end",
    "$util.parseJson($input.body)$util.parseJson($util.parseJson($input.json('$')))",
    "$util.base64Decode($input.body)$util.base64Decode('!!!')$util.base64Decode('a')$util.urlDecode('%')$util.urlDecode('%zz%')",
    "#set($d = $util.parseJson('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['))$d",
    "$context.requestOverride.header.put('X', $input.body)#foreach($i in [1..1000])#set($context.responseOverride.header[\"h$i\"] = $input.body)#end",
    "$input.params().toString()$input.params().header.keySet()$stageVariables.toString()$context",
    // Syntax soup.
    "#if(#foreach(#set(#macro((((((((((((((((((((((((((((((((((((((((((((((((((((((",
    "${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${${",
    "$a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z(((((((((((((((((((((((((((",
    "#set($x = 9223372036854775807 * 9223372036854775807 / 0 % 0)$x $math 1e999999 -0.0",
    "",
];

/// Regex-dense templates: millions of matches on multi-MiB strings. Bounded (the string cap
/// stops them) but each match costs more than the step budget charges for it, so they take
/// 1-3 s of CPU in a release build and minutes in a debug build (docs/robustness.md, open
/// finding). Run by `slow_templates_are_bounded_in_release`.
const SLOW_TEMPLATES: &[&str] = &[
    "#set($s = 'ab')#foreach($i in [1..64])#set($s = $s.replaceAll('a', $s))#end$s",
    "#set($s = 'x')#foreach($i in [1..20])#set($s = \"$s$s\")#end$s.replaceAll('(x+x+)+y', '$1$1$1')",
    "#set($s = 'a,b')#foreach($i in [1..30])#set($s = $s.replaceAll(',', ',,'))#end$s.split(',').size()",
];

/// Strings that are wrong in interesting ways wherever a string is expected.
fn weird_string(rng: &mut Rng, body: &str) -> String {
    match rng.below(16) {
        0 => "x".repeat(1 << (10 + rng.below(11))), // 1 KiB .. 1 MiB
        1 => String::new(),
        2 => "\u{202E}\u{0301}\u{FEFF}\u{FFFF}\u{10FFFF}😀\u{0}\r\n\t\"\\'".into(),
        3 => "(a+)+$".into(),
        4 => "(".into(),
        5 => "[".into(),
        6 => "(a|a)*b".into(),
        7 => ".*.*.*.*.*.*.*.*.*.*.*.*=".into(),
        8 => "!!!not base64===".into(),
        9 => "a".into(),
        10 => rng.pick(PATHOLOGICAL_TEMPLATES).to_string(),
        11 => "{\"a\":".repeat(1 + rng.below(5000)),
        12 => "[".repeat(1 + rng.below(100_000)),
        13 => format!("{body}{body}"),
        14 => "%zz%%%\u{0}/../..//{proxy+}/{id}".into(),
        _ => "$input.json('$')#foreach($x in $input.path('$'))$x#end".into(),
    }
}

/// Values of the wrong type or shape, including nesting deeper than the parser allows.
fn weird_value(rng: &mut Rng, body: &str) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1.0e308),
        4 => json!(u64::MAX),
        5 => json!([]),
        6 => json!({}),
        7 => {
            let mut v = json!("x");
            for _ in 0..rng.below(200) {
                v = json!([v]);
            }
            v
        }
        _ => Value::String(weird_string(rng, body)),
    }
}

/// A large or hostile JSON body, up to API Gateway's 10 MB.
fn weird_body(rng: &mut Rng) -> String {
    match rng.below(7) {
        0 => {
            let n = 1 + rng.below(BIG);
            "a".repeat(n)
        }
        1 => {
            // A wide JSON array near the 10 MB quota: every element is a path target.
            let n = 1 + rng.below(BIG / 8);
            let mut s = String::with_capacity(n * 8 + 2);
            s.push('[');
            for i in 0..n {
                if i > 0 {
                    s.push(',');
                }
                s.push_str("{\"a\":1}");
            }
            s.push(']');
            s
        }
        2 => {
            let d = 1 + rng.below(100_000);
            format!("{}1{}", "[".repeat(d), "]".repeat(d))
        }
        3 => {
            let d = 1 + rng.below(100_000);
            "{\"a\":".repeat(d)
        }
        4 => "{\"errorMessage\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", \"errorType\": \"Error\", \"trace\": []}".into(),
        5 => "\"\\ud800\\udc00\\u0000\\uffff".into(),
        _ => "{\"statusCode\": 200, \"headers\": {\"a\": [1,2]}, \"multiValueHeaders\": 7, \"body\": {\"x\": 1}, \"isBase64Encoded\": true}".into(),
    }
}

/// Collects every node's path (as indices into objects/arrays) so one can be chosen uniformly.
fn paths(v: &Value, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(here.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(i);
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(o) => {
            for (i, x) in o.values().enumerate() {
                here.push(i);
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[usize]) -> Option<&'a mut Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(v);
    };
    let child = match v {
        Value::Array(a) => a.get_mut(*first)?,
        Value::Object(o) => o.values_mut().nth(*first)?,
        _ => return None,
    };
    node_mut(child, rest)
}

/// Keys whose string values are templates or patterns: mutating these with pathological
/// templates and regexes reaches the engine instead of being rejected by the schema.
const TEMPLATE_KEYS: &[&str] = &["requestTemplates", "responseTemplates"];

fn mutate_targeted(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if TEMPLATE_KEYS.contains(&k.as_str()) {
                    if let Value::Object(t) = x {
                        for tv in t.values_mut() {
                            if rng.below(2) == 0 {
                                *tv = Value::String(rng.pick(PATHOLOGICAL_TEMPLATES).to_string());
                            }
                        }
                    }
                } else if k == "selectionPattern" && rng.below(2) == 0 {
                    *x = Value::String(
                        rng.pick(&["(a+)+$", "(a|a)*b", "(", "", ".*", "[", "(.*)*x", "\\"])
                            .to_string(),
                    );
                } else if (k == "body" || k == "errorMessage") && rng.below(3) == 0 {
                    *x = Value::String(weird_body(rng));
                } else {
                    mutate_targeted(x, rng);
                }
            }
        }
        Value::Array(a) => {
            for x in a {
                mutate_targeted(x, rng);
            }
        }
        _ => {}
    }
}

/// One mutated variant of `seed`: random nodes replaced (wrong types, huge or weird strings),
/// plus, half the time, the templates/patterns/bodies replaced by pathological ones.
fn mutate(seed: &Value, rng: &mut Rng) -> Value {
    let mut v = seed.clone();
    let body = seed
        .pointer("/request/body")
        .or_else(|| seed.get("body"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if rng.below(2) == 0 {
        mutate_targeted(&mut v, rng);
    }
    let mut all = Vec::new();
    paths(&v, &mut Vec::new(), &mut all);
    for _ in 0..1 + rng.below(3) {
        let path = rng.pick(&all).clone();
        if let Some(node) = node_mut(&mut v, &path) {
            *node = if node.is_string() && rng.below(2) == 0 {
                Value::String(weird_string(rng, &body))
            } else {
                weird_value(rng, &body)
            };
        }
    }
    v
}

/// Runs `f` on its own thread: a panic is reported with the input that caused it, and a run
/// that does not finish within [`TIME_BOUND`] fails the test (the thread is left behind; the
/// test process ends right after).
fn guarded(what: &str, input: String, f: fn(&str) -> usize) -> usize {
    let (tx, rx) = mpsc::channel();
    let len = input.len();
    let copy = if len <= 4096 {
        input.clone()
    } else {
        format!(
            "{}… ({} bytes)",
            &input[..input.floor_char_boundary_compat(4096)],
            len
        )
    };
    std::thread::Builder::new()
        .name(what.to_string())
        .spawn(move || {
            let (wall, cpu) = (Instant::now(), thread_cpu());
            let r = catch_unwind(AssertUnwindSafe(|| f(&input)));
            let took = match (cpu, thread_cpu()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => wall.elapsed(),
            };
            let _ = tx.send((r, took));
        })
        .expect("spawn");
    match rx.recv_timeout(HANG_BOUND) {
        Ok((Ok(size), took)) => {
            assert!(
                size <= output_bound(len),
                "{what}: output of {size} bytes exceeds the bound for a {len}-byte input; input:\n{copy}"
            );
            assert!(
                took <= TIME_BOUND,
                "{what}: took {took:?} of CPU; input:\n{copy}"
            );
            if took > Duration::from_secs(1) {
                eprintln!("slow: {what}: {took:?} of CPU");
            }
            size
        }
        Ok((Err(_), _)) => panic!("{what}: panicked; input:\n{copy}"),
        Err(_) => panic!("{what}: did not finish within {HANG_BOUND:?}; input:\n{copy}"),
    }
}

trait CharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl CharBoundary for String {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

fn scenario_run(json: &str) -> usize {
    match run_scenario_json(json) {
        Ok(v) => v.to_string().len(),
        Err(e) => {
            assert!(!e.is_empty(), "an input error must say what is wrong");
            e.iter().map(|x| x.path.len() + x.message.len()).sum()
        }
    }
}

fn scenario_validate(json: &str) -> usize {
    validate_scenario_json(json)
        .iter()
        .map(|x| x.path.len() + x.message.len())
        .sum()
}

fn comparison_run(json: &str) -> usize {
    match run_comparison_json(json) {
        Ok(v) => v.to_string().len(),
        Err(e) => e.iter().map(|x| x.path.len() + x.message.len()).sum(),
    }
}

fn case_render(json: &str) -> usize {
    let Ok(case) = template::parse_case(json) else {
        return 0;
    };
    match template::render_case(&case) {
        Ok(r) => {
            assert!(
                r.output.len() <= TEN_MB,
                "rendered output beyond the 10 MB cap"
            );
            r.output.len()
        }
        Err(e) => e.to_string().len(),
    }
}

fn example_scenarios() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("examples/scenarios") {
        let p = e.expect("dir entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).expect("read example");
            let v: Value = serde_json::from_str(&text).expect("example is JSON");
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 30, "expected the 30 example scenarios");
    out
}

/// Every template case as a render-case JSON document (tests/cases/template, which holds the
/// shared benchmark cases as bench-*.case).
fn template_cases() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/template");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("tests/cases/template") {
        let p = e.expect("dir entry").path();
        if p.extension().is_none_or(|x| x != "case") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("read case");
        let case = testkit::Case::parse(&p, &text);
        let doc = if let Some(json) = case.section("case") {
            match serde_json::from_str::<Value>(json) {
                Ok(v) => v,
                Err(_) => continue,
            }
        } else {
            let Some(t) = case.section("template") else {
                continue;
            };
            let mut input: Value = case
                .section("input")
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_else(|| json!({}));
            if let Some(b) = case.section("body") {
                input["body"] = json!(b);
            }
            input["template"] = json!(t);
            input
        };
        out.push((p.file_name().unwrap().to_string_lossy().into_owned(), doc));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 10, "expected the template cases");
    out
}

/// A comparison document (docs/scenario.md) built from a scenario's first method.
fn as_comparison(s: &Value) -> Option<Value> {
    let res = s.get("resources")?.get(0)?;
    let (verb, method) = res.get("resourceMethods")?.as_object()?.iter().next()?;
    let kind = method.pointer("/methodIntegration/type")?.as_str()?;
    let mut doc = serde_json::Map::new();
    for k in ["restApi", "region", "accountId", "stage", "request", "env"] {
        if let Some(v) = s.get(k) {
            doc.insert(k.into(), v.clone());
        }
    }
    doc.insert("resourcePath".into(), res.get("path")?.clone());
    doc.insert("httpMethod".into(), json!(verb));
    doc.insert(
        "integrations".into(),
        json!({ kind: { "method": method, "backend": s.get("backend").cloned().unwrap_or(json!({})) } }),
    );
    Some(Value::Object(doc))
}

fn iterations() -> usize {
    std::env::var("ROBUST_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 2 } else { 6 })
}

fn seed() -> u64 {
    std::env::var("ROBUST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED)
}

#[test]
fn mutated_example_scenarios_never_panic_hang_or_blow_up() {
    let started = Instant::now();
    let mut runs = 0;
    for (i, (name, doc)) in example_scenarios().iter().enumerate() {
        // The unmutated example must run too (a baseline that cannot be vacuous).
        let size = guarded(name, doc.to_string(), scenario_run);
        assert!(size > 0, "{name}: empty result");
        let mut rng = Rng::new(seed() ^ (i as u64) << 32);
        for k in 0..iterations() {
            let m = mutate(doc, &mut rng);
            let text = m.to_string();
            let what = format!("{name} mutation {k} (seed {})", seed());
            guarded(&what, text.clone(), scenario_run);
            guarded(&what, text, scenario_validate);
            if let Some(c) = as_comparison(&m) {
                guarded(&what, c.to_string(), comparison_run);
            }
            runs += 1;
        }
    }
    eprintln!("{runs} mutated scenarios in {:?}", started.elapsed());
}

#[test]
fn mutated_template_cases_never_panic_hang_or_blow_up() {
    let started = Instant::now();
    let mut runs = 0;
    for (i, (name, doc)) in template_cases().iter().enumerate() {
        let mut rng = Rng::new(seed() ^ 0xCA5E ^ (i as u64) << 32);
        for k in 0..iterations() {
            let mut m = mutate(doc, &mut rng);
            // Half the runs swap in a pathological template with a hostile body.
            if rng.below(2) == 0 {
                if let Some(o) = m.as_object_mut() {
                    o.insert(
                        "template".into(),
                        json!(rng.pick(PATHOLOGICAL_TEMPLATES).to_string()),
                    );
                    if rng.below(2) == 0 {
                        o.insert("body".into(), json!(weird_body(&mut rng)));
                    }
                }
            }
            let what = format!("{name} mutation {k} (seed {})", seed());
            guarded(&what, m.to_string(), case_render);
            runs += 1;
        }
    }
    eprintln!("{runs} mutated render cases in {:?}", started.elapsed());
}

/// Every pathological template against a 10 MB body, through render_case and through a MOCK
/// scenario's request template (the pipeline path). No template may run away.
#[test]
fn pathological_templates_are_bounded() {
    let body = format!("[{}]", vec!["{\"a\":[1,2,3]}"; BIG / 16].join(","));
    assert!(body.len() < TEN_MB);
    let small =
        "{\"a\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}";
    for (i, t) in PATHOLOGICAL_TEMPLATES.iter().enumerate() {
        for b in [small, body.as_str()] {
            let case = json!({ "template": t, "body": b });
            guarded(&format!("template {i}"), case.to_string(), case_render);
        }
    }
    // One full 10 MB payload through the pipeline (MOCK passthrough + a JSONPath template).
    let big = "[".to_string() + &vec!["{\"a\":[1,2,3]}"; 690_000].join(",") + "]";
    let mut s: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples/scenarios/lambda-request-template.json"),
        )
        .expect("example"),
    )
    .expect("JSON");
    s["request"]["body"] = json!(big);
    guarded("10 MB body", s.to_string(), scenario_run);
}

/// Renders `template` (empty body) under the guard; returns the output or the error text.
fn render_text(template: &str) -> String {
    let case = template::parse_case(&json!({ "template": template }).to_string()).expect("case");
    match catch_unwind(AssertUnwindSafe(|| template::render_case(&case))) {
        Ok(Ok(r)) => r.output,
        Ok(Err(e)) => format!("error: {e}"),
        Err(_) => panic!("panicked on {template}"),
    }
}

/// A 16 KiB string `$s` of `x`: replacing each `x` by `$s` would need 256 MiB, past the 16 MiB
/// string cap (with 1 MiB it would be 1 TiB). The size must be
/// refused before the string is built (it used to allocate until the process died).
const SIXTEEN_KIB_OF_X: &str = "#set($s = 'x')#foreach($i in [1..14])#set($s = \"$s$s\")#end";

#[test]
fn string_replace_refuses_a_result_beyond_the_string_cap_before_building_it() {
    let out = render_text(&format!("{SIXTEEN_KIB_OF_X}$s.replace('x', $s)"));
    assert!(
        out.contains("OutOfMemoryError"),
        "{}",
        &out[..out.len().min(300)]
    );
}

#[test]
fn replace_all_refuses_a_result_beyond_the_string_cap_before_building_it() {
    for m in [
        "replaceAll('x', $s)",
        "replaceAll('', $s)",
        "replaceFirst('', $s).replaceAll('x', $s)",
    ] {
        let out = render_text(&format!("{SIXTEEN_KIB_OF_X}$s.{m}"));
        assert!(
            out.contains("OutOfMemoryError"),
            "{m}: {}",
            &out[..out.len().min(300)]
        );
    }
}

/// The regex-dense templates, with a small and a 10 MB body, in a release build (where the
/// browser's cost is measured): `cargo test --release -p gateway --test robustness`.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "regex-dense templates take minutes in a debug build; run with --release"
)]
fn slow_templates_are_bounded_in_release() {
    let body = format!("[{}]", vec!["{\"a\":[1,2,3]}"; BIG / 16].join(","));
    for (i, t) in SLOW_TEMPLATES.iter().enumerate() {
        for b in ["{\"a\": \"aaaa!\"}", body.as_str()] {
            let case = json!({ "template": t, "body": b });
            guarded(&format!("slow template {i}"), case.to_string(), case_render);
        }
    }
}
