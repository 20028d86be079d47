//! Running child processes with readable errors instead of panics.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Shell-like rendering of a command for log lines and error messages.
pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn spawn_error(cmd: &Command, e: std::io::Error) -> String {
    let prog = cmd.get_program().to_string_lossy().into_owned();
    if e.kind() == ErrorKind::NotFound {
        let hint = match Path::new(&prog).file_name().and_then(|n| n.to_str()).unwrap_or("") {
            "node" | "npm" => "install Node.js 20 or newer with npm (e.g. `apt-get install nodejs npm`)",
            "cargo" | "rustc" | "rustup" => "install Rust with rustup (the toolchain in use needs rustup for `rustup target add`)",
            "apt-get" | "dpkg-query" => "this needs a Debian/Ubuntu system; install the package named above by other means",
            _ => "install it and make sure it is on PATH",
        };
        format!("`{prog}` was not found: {hint}")
    } else {
        format!("could not start `{}`: {e}", show(cmd))
    }
}

/// Runs with inherited stdout/stderr (so test runners' own summaries reach the log) and no stdin
/// (CI has none; nothing may wait for input).
pub fn run(cmd: &mut Command) -> Result<(), String> {
    println!("$ {}", show(cmd));
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .map_err(|e| spawn_error(cmd, e))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` exited with {status}", show(cmd)))
    }
}

/// Runs quietly and returns trimmed stdout, or None when the program is missing or fails.
/// Used for version probes, where "absent" and "broken" both mean "install it".
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Files directly in `dir` whose names end with one of `suffixes`, sorted; empty if no dir.
pub fn files_with_suffix(dir: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| suffixes.iter().any(|s| n.ends_with(s)))
        })
        .collect();
    out.sort();
    out
}
