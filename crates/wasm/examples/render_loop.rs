//! A template rendered N times, for profilers (`valgrind --tool=callgrind`, `perf`) to count
//! what one render costs without JavaScript. Two modes, the two of `bench/node-bench.mjs`:
//! - `once` (default): compiled once, rendered with one prepared input: the path of
//!   `CompiledTemplate.renderInputOutput`;
//! - `each`: the input's `params` parsed from JSON text, the template parsed, then rendered, every
//!   time: the package's `renderTemplate` for a request that changes on every call
//!   (`setRenderInput` then `renderWithInput`; with an unchanged request it skips the first).
//!
//! `cargo build --release -p apigw-wasm --example render_loop`
//! `valgrind --tool=callgrind target/release/examples/render_loop CASE.json [N] [once|each]`
//! (CASE.json is a template case, e.g. ../shared/bench/cases/tiny.json; N defaults to 20,000.)

use apigw_wasm::core;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: render_loop CASE.json [N] [once|each]")?;
    let n: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("N: {e}"))?,
        None => 20_000,
    };
    let each = match args.next().as_deref() {
        None | Some("once") => false,
        Some("each") => true,
        Some(other) => return Err(format!("mode {other:?}: expected once or each")),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let case = core::parse_case_json(&text).map_err(|e| format!("{path}: {}", e.message))?;
    if each {
        // What the wrapper sends: the params as JSON text (the other two sections are sent
        // only when the template names them; counted here as the worst case for `params`).
        let whole: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let params = whole
            .get("params")
            .map_or("{}".to_string(), |p| p.to_string());
        for _ in 0..n {
            // Only what the wrapper sends for a template that names neither `$context` nor
            // `$stageVariables` (the bench's tiny case).
            let input = gateway::template::CaseInput {
                body: case.input.body.clone(),
                content_type: case.input.content_type.clone(),
                params: serde_json::from_str(&params).map_err(|e| e.to_string())?,
                ..Default::default()
            };
            let compiled = vtl::Template::parse(&case.template);
            std::hint::black_box(core::render_compiled(&compiled, &case.template, &input).ok());
        }
        return Ok(());
    }
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
