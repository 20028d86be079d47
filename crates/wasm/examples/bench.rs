//! Native renders per second of the ../shared/bench cases through the same core the wasm
//! module runs (parse once / parse each time). One JSON line per measurement, like
//! bench/node-bench.mjs: `{"engine":"native","mode","case","rps","runs":[..]}`.
//!
//! `cargo run --release -p apigw-wasm --example bench [CASES_DIR]`
//! Env: BENCH_MS (one timed run, default 400), BENCH_CASES (comma-separated names).

use std::time::{Duration, Instant};

use apigw_wasm::core;

fn measure(run_ms: u64, mut f: impl FnMut()) -> (u64, [u64; 3]) {
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_millis(run_ms / 2) {
        for _ in 0..10 {
            f();
        }
    }
    let mut runs = [0u64; 3];
    for run in &mut runs {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < Duration::from_millis(run_ms) {
            for _ in 0..10 {
                f();
            }
            n += 10;
        }
        *run = (n as f64 / start.elapsed().as_secs_f64()).round() as u64;
    }
    let mut sorted = runs;
    sorted.sort_unstable();
    (sorted[1], runs)
}

fn main() -> Result<(), String> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/bench/cases".to_string());
    let run_ms: u64 = std::env::var("BENCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let only: Option<Vec<String>> = std::env::var("BENCH_CASES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {dir}: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if only.as_ref().is_some_and(|o| !o.contains(&name)) {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let case = core::parse_case_json(&text)
            .map_err(|e| format!("{}: {}", file.display(), e.message))?;
        let compiled = vtl::Template::parse(&case.template);
        let uses = gateway::template::Uses::of(&case.template);
        // As a compiled template in the JS API holds its current input.
        let prepared = core::PreparedInput::new(case.input.clone());
        core::render_compiled(&compiled, &case.template, &case.input)
            .map_err(|e| format!("{name}: {}", e.message))?;
        for (mode, (rps, runs)) in [
            (
                "once",
                measure(run_ms, || {
                    std::hint::black_box(
                        core::render_prepared(&compiled, uses, &case.template, &prepared).ok(),
                    );
                }),
            ),
            (
                "each",
                measure(run_ms, || {
                    std::hint::black_box(core::render_case(&case).ok());
                }),
            ),
            (
                // What the JavaScript API does per `renderTemplate(json)` call: the case's
                // JSON text parsed, then parse + render.
                "each-json",
                measure(run_ms, || {
                    std::hint::black_box(core::render_case_json(&text).ok());
                }),
            ),
        ] {
            println!(
                r#"{{"engine":"native","mode":"{mode}","case":"{name}","rps":{rps},"runs":[{},{},{}]}}"#,
                runs[0], runs[1], runs[2]
            );
        }
    }
    Ok(())
}
