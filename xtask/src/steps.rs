//! A tiny step runner: prints `==> name`, times it, and prints a summary at the end so the
//! failing step is named even after pages of test output.

use std::time::{Duration, Instant};

pub struct Steps {
    started: Instant,
    done: Vec<(String, Duration, bool)>,
}

impl Steps {
    pub fn new() -> Self {
        Steps {
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one step; its error is returned unchanged after the step is recorded as failed.
    pub fn run<T>(
        &mut self,
        name: &str,
        f: impl FnOnce() -> Result<T, String>,
    ) -> Result<T, String> {
        println!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        let took = t.elapsed();
        let ok = r.is_ok();
        println!(
            "<== {name}: {} in {}",
            if ok { "ok" } else { "FAILED" },
            fmt_duration(took)
        );
        self.done.push((name.to_string(), took, ok));
        r.map_err(|e| format!("step `{name}` failed: {e}"))
    }

    /// Prints the summary table and passes the overall result through.
    pub fn finish(self, result: Result<(), String>) -> Result<(), String> {
        println!("\n==> summary");
        for (name, took, ok) in &self.done {
            println!(
                "  {:>7}  {:<6} {name}",
                fmt_duration(*took),
                if *ok { "ok" } else { "FAILED" }
            );
        }
        println!(
            "  {:>7}  total: {}",
            fmt_duration(self.started.elapsed()),
            if result.is_ok() {
                "all steps passed"
            } else {
                "stopped at the failed step"
            }
        );
        result
    }
}

pub fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1}s")
    } else {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    }
}
