//! Command-line arguments of the two differential drivers (`velocity-diff`, `regex-diff`):
//! positional words, and `--flag value`, `--flag=value` or a bare `--flag` (= `"true"`).

use std::collections::HashMap;

pub struct Args {
    pub positional: Vec<String>,
    pub flags: HashMap<String, String>,
}

/// The process's arguments (without the program name).
pub fn parse_args() -> Args {
    let mut positional = Vec::new();
    let mut flags = HashMap::new();
    let mut it = std::env::args().skip(1).peekable();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            // A value may itself start with `--` only via `--flag=value`.
            if let Some((n, v)) = name.split_once('=') {
                flags.insert(n.to_string(), v.to_string());
                continue;
            }
            let value = match it.peek() {
                Some(v) if !v.starts_with("--") => it.next().unwrap_or_default(),
                _ => "true".to_string(),
            };
            flags.insert(name.to_string(), value);
        } else {
            positional.push(a);
        }
    }
    Args { positional, flags }
}

impl Args {
    /// `--flag`, else the environment variable `env`, else `default`.
    pub fn num<T: std::str::FromStr>(
        &self,
        flag: &str,
        env: &str,
        default: T,
    ) -> Result<T, String> {
        match self
            .flags
            .get(flag)
            .cloned()
            .or_else(|| std::env::var(env).ok())
        {
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{flag}: not a number: {v}")),
            None => Ok(default),
        }
    }
}
