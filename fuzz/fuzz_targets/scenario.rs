//! The scenario JSON edge (`run_scenario_json`, `validate_scenario_json`, `run_comparison_json`)
//! must never panic, hang or grow without bound on any input.
//!
//! The first byte picks the mode:
//! - even: the rest is arbitrary bytes, decoded lossily as the scenario document;
//! - odd: structured — the second byte picks one of the 30 example scenarios, and the rest
//!   drives mutations: each 3-byte step chooses a node and what to put there (the fuzzer's own
//!   bytes as a string, a template, a selection pattern, a body, a number or a wrong type).
//!   This reaches the pipeline with near-valid documents that bytes alone rarely produce.
#![no_main]

use std::sync::OnceLock;

use gateway::api::{run_comparison_json, run_scenario_json, validate_scenario_json};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn examples() -> &'static [Value] {
    static EX: OnceLock<Vec<Value>> = OnceLock::new();
    EX.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/scenarios");
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("examples/scenarios")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .filter_map(|p| serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok())
            .collect()
    })
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

fn node_at(v: &mut Value, mut k: usize) -> Option<&mut Value> {
    // Pre-order walk to the k-th node.
    fn walk<'a>(v: &'a mut Value, k: &mut usize) -> Option<&'a mut Value> {
        if *k == 0 {
            return Some(v);
        }
        *k -= 1;
        match v {
            Value::Array(a) => a.iter_mut().find_map(|x| walk(x, k)),
            Value::Object(o) => o.values_mut().find_map(|x| walk(x, k)),
            _ => None,
        }
    }
    walk(v, &mut k)
}

const TEMPLATES: &[&str] = &[
    "#foreach($a in [1..1000])#foreach($b in [1..1000])$a$b#end#end",
    "#macro(r $n)#r($n)#end#r(1)",
    "#set($s = 'x')#foreach($i in [1..64])#set($s = \"$s$s\")#end$s",
    "$input.json('$..*')$input.body.replaceAll('', 'zz')",
    "#set($s = $input.body)$s.matches('(a+)+$')$s.replaceAll('(a|a)*b', '$1')",
    "$util.parseJson($input.body)$util.base64Decode($input.body)",
];

fn structured(data: &[u8]) -> Option<String> {
    let (&pick, rest) = data.split_first()?;
    let ex = examples();
    let mut doc = ex.get(pick as usize % ex.len().max(1))?.clone();
    // The bytes after the 3-byte steps (if any) become the payload text used by the steps.
    let steps = (rest.len() / 3).min(8);
    let (ops, tail) = rest.split_at(steps * 3);
    let text = String::from_utf8_lossy(tail).into_owned();
    for op in ops.chunks_exact(3) {
        let idx = u16::from_le_bytes([op[0], op[1]]) as usize % count(&doc);
        let Some(node) = node_at(&mut doc, idx) else {
            continue;
        };
        *node = match op[2] % 10 {
            0 | 1 | 2 => json!(text),
            3 => json!(TEMPLATES[op[2] as usize / 10 % TEMPLATES.len()]),
            4 => json!(format!("{text}{text}")),
            5 => json!(text.repeat(1 + op[2] as usize)),
            6 => Value::Null,
            7 => json!(op[2] as i64 - 128),
            8 => json!([text]),
            _ => json!({ "a": text }),
        };
    }
    Some(doc.to_string())
}

fn comparison(doc: &str) -> Option<String> {
    let s: Value = serde_json::from_str(doc).ok()?;
    let res = s.get("resources")?.get(0)?;
    let (verb, method) = res.get("resourceMethods")?.as_object()?.iter().next()?;
    let kind = method.pointer("/methodIntegration/type")?.as_str()?;
    Some(
        json!({
            "resourcePath": res.get("path")?,
            "httpMethod": verb,
            "request": s.get("request"),
            "integrations": { kind: { "method": method, "backend": s.get("backend") } },
        })
        .to_string(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let doc = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        match structured(rest) {
            Some(d) => d,
            None => return,
        }
    };
    let _ = validate_scenario_json(&doc);
    if let Ok(v) = run_scenario_json(&doc) {
        // A result document holds at most three 10 MB bodies plus the input's own echoes.
        let n = v.to_string().len();
        assert!(n <= 40 * 1024 * 1024 + 4 * doc.len(), "result of {n} bytes");
    }
    if mode % 4 == 1 {
        if let Some(c) = comparison(&doc) {
            let _ = run_comparison_json(&c);
        }
    }
});
