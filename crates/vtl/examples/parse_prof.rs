//! Parse-only loop for profiling: `cargo run -p vtl --release --example parse_prof`.
fn main() {
    let src = include_str!("../tests/cases/bench/vtl-core.case");
    let start = std::time::Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < 3.0 {
        for _ in 0..100 {
            std::hint::black_box(vtl::Template::parse(std::hint::black_box(src)));
        }
        n += 100;
    }
    println!(
        "{:.0} parses/s ({} bytes)",
        n as f64 / start.elapsed().as_secs_f64(),
        src.len()
    );
}
