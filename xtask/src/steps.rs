//! A tiny step runner: prints `==> name`, times it, and prints a summary at the end so the
//! failing step is named even after pages of test output.

use std::time::{Duration, Instant};

pub struct Steps {
    started: Instant,
    done: Vec<(String, Duration, bool)>,
    /// `--keep-going`: a failed test step is recorded and the run goes on to the next step.
    keep_going: bool,
    failed_tests: Vec<String>,
}

impl Steps {
    pub fn new() -> Self {
        Steps {
            started: Instant::now(),
            done: Vec::new(),
            keep_going: false,
            failed_tests: Vec::new(),
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

    pub fn keep_going(&mut self) {
        self.keep_going = true;
    }

    /// Runs a test step: like [`Steps::run`], except that with `--keep-going` its failure is
    /// recorded and reported at the end instead of stopping the run. (Install and build steps
    /// always stop it: later steps would run against missing tools or a stale build.)
    pub fn test(
        &mut self,
        name: &str,
        f: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        match self.run(name, f) {
            Err(e) if self.keep_going => {
                eprintln!("error: {e}\n(--keep-going: continuing)");
                self.failed_tests.push(name.to_string());
                Ok(())
            }
            r => r,
        }
    }

    /// Prints the summary table and passes the overall result through.
    pub fn finish(self, result: Result<(), String>) -> Result<(), String> {
        let result = result.and_then(|()| match self.failed_tests.as_slice() {
            [] => Ok(()),
            failed => Err(format!(
                "{} test step(s) failed: {}",
                failed.len(),
                failed.join("; ")
            )),
        });
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
            match (&result, self.keep_going) {
                (Ok(()), _) => "all steps passed",
                (Err(_), true) => "FAILED (see the steps marked FAILED)",
                (Err(_), false) => "stopped at the failed step",
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
