//! A compiled template rendered N times with one prepared input: the path of
//! `CompiledTemplate.renderInputOutput`, without JavaScript, for profilers
//! (`valgrind --tool=callgrind`, `perf`) to count what one render costs.
//!
//! `cargo build --release -p apigw-wasm --example render_loop`
//! `valgrind --tool=callgrind target/release/examples/render_loop CASE.json [N]`
//! (CASE.json is a template case, e.g. ../shared/bench/cases/tiny.json; N defaults to 20,000.)

use apigw_wasm::core;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: render_loop CASE.json [N]")?;
    let n: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("N: {e}"))?,
        None => 20_000,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let case = core::parse_case_json(&text).map_err(|e| format!("{path}: {}", e.message))?;
    let compiled = vtl::Template::parse(&case.template);
    let uses = gateway::template::Uses::of(&case.template);
    let prepared = core::PreparedInput::new(case.input.clone());
    for _ in 0..n {
        std::hint::black_box(
            core::render_prepared(&compiled, uses, &case.template, &prepared).ok(),
        );
    }
    Ok(())
}
