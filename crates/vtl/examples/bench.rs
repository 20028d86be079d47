//! Renders per second for the core-VTL benchmark cases (tests/cases/bench/*.case), parsing once
//! and parsing on every render. Run: `cargo run -p vtl --release --example bench`.

use std::time::{Duration, Instant};
use vtl::{Context, Limits, Map, Template, Value};

fn to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i32::try_from(i).map(Value::Int).unwrap_or(Value::Long(i)),
            None => Value::Double(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(to_value).collect()),
        serde_json::Value::Object(o) => {
            let mut m = Map::default();
            for (k, v) in o {
                m.insert(k.clone(), to_value(v));
            }
            Value::map(m)
        }
    }
}

fn rate(mut f: impl FnMut()) -> f64 {
    // Warm up, then count renders in ~1 s; median of 3.
    let mut rates = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < Duration::from_millis(700) {
            for _ in 0..10 {
                f();
            }
            n += 10;
        }
        rates.push(n as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(|a, b| a.total_cmp(b));
    rates[1]
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/bench");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut cases: Vec<(String, String, Option<serde_json::Value>)> = Vec::new();
    for f in files {
        let case = testkit::Case::parse(&f, &std::fs::read_to_string(&f).unwrap());
        let vars = case
            .section("vars")
            .map(|v| serde_json::from_str(v).unwrap());
        cases.push((
            case.name.clone(),
            case.section("template").unwrap().to_string(),
            vars,
        ));
    }
    // A 1,000-item array transform (like the shared large-array case).
    let items: Vec<serde_json::Value> = (0..1000)
        .map(|i| serde_json::json!({"id": i, "type": "dog", "price": 10.5 + i as f64, "tags": ["a", "b"]}))
        .collect();
    let large = "[\n#foreach($elem in $items)\n  {\"id\": $elem.id, \"type\": \"$elem.type.toUpperCase()\", \"price\": $elem.price, \"tags\": \"$elem.tags.size()\"}#if($foreach.hasNext),#end\n\n#end\n]";
    cases.push((
        "large-array (1000 items)".into(),
        large.into(),
        Some(serde_json::json!({"items": items})),
    ));
    let limits = Limits::default();
    println!(
        "{:<26} {:>14} {:>14}",
        "case", "parse once/s", "parse each/s"
    );
    for (name, src, vars) in &cases {
        let mut ctx = Context::new();
        if let Some(serde_json::Value::Object(o)) = vars {
            for (k, v) in o {
                ctx.insert(k.clone(), to_value(v));
            }
        }
        let t = Template::parse(src);
        let once = rate(|| {
            let mut c = ctx.clone();
            std::hint::black_box(t.render(&mut c, &limits).unwrap());
        });
        let each = rate(|| {
            let mut c = ctx.clone();
            let t = Template::parse(src);
            std::hint::black_box(t.render(&mut c, &limits).unwrap());
        });
        println!("{name:<26} {once:>14.0} {each:>14.0}");
    }
}
