//! The one helper that runs data-driven cases.
//!
//! A case file is a sequence of sections. A line `=== NAME` starts a section; its content is
//! every line up to the next `=== ` line, without the single newline that precedes that next
//! header (so a section whose content must end in a newline is followed by an empty line).
//! Lines before the first header are a free-form description.
//!
//! ```text
//! Whole-string selectionPattern match (spec §4.2)
//! === template
//! $a
//! === vars
//! {"a": 1}
//! === output
//! 1
//! ```
//!
//! [`run_dir`] calls the runner for every file with the given extension; the runner returns the
//! actual value for each section it checks, and every mismatch is reported with a line diff.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One parsed case file.
#[derive(Debug, Clone)]
pub struct Case {
    pub path: PathBuf,
    pub name: String,
    pub description: String,
    sections: Vec<(String, String)>,
}

impl Case {
    pub fn parse(path: &Path, text: &str) -> Case {
        let mut description = String::new();
        let mut sections: Vec<(String, String)> = Vec::new();
        for line in text.split_inclusive('\n') {
            let bare = line.strip_suffix('\n').unwrap_or(line);
            if let Some(name) = bare.strip_prefix("=== ") {
                sections.push((name.trim().to_string(), String::new()));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push_str(line);
            } else {
                description.push_str(line);
            }
        }
        for (_, body) in sections.iter_mut() {
            if body.ends_with('\n') {
                body.pop();
            }
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Case {
            path: path.to_path_buf(),
            name,
            description: description.trim().to_string(),
            sections,
        }
    }

    /// The content of section `name`, if present.
    pub fn section(&self, name: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_str())
    }

    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|(n, _)| n.as_str())
    }
}

/// What a runner reports for one case: `(section, actual)` pairs to compare with the file.
pub type Checks = Vec<(String, String)>;

/// Runs every `*.{ext}` file under `dir` (recursively, sorted). Panics with a report of every
/// failing case, each with a line diff, so `cargo test` shows all failures at once.
pub fn run_dir(
    dir: impl AsRef<Path>,
    ext: &str,
    mut runner: impl FnMut(&Case) -> Result<Checks, String>,
) {
    let dir = dir.as_ref();
    let mut files = Vec::new();
    collect(dir, ext, &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no *.{ext} case files under {}",
        dir.display()
    );
    let filter = std::env::var("CASE").ok();
    let mut failures = String::new();
    let mut ran = 0;
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(failures, "\n--- {}: cannot read: {e}", file.display());
                continue;
            }
        };
        let case = Case::parse(file, &text);
        if filter.as_deref().is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        ran += 1;
        match runner(&case) {
            Err(e) => {
                let _ = writeln!(failures, "\n--- {}: {e}", file.display());
            }
            Ok(checks) => {
                for (section, actual) in checks {
                    match case.section(&section) {
                        None => {
                            let _ = writeln!(
                                failures,
                                "\n--- {}: no `=== {section}` section; actual value was:\n{actual}",
                                file.display()
                            );
                        }
                        Some(expected) if expected != actual => {
                            let _ = writeln!(
                                failures,
                                "\n--- {} [{section}] differs (- expected, + actual):\n{}",
                                file.display(),
                                diff(expected, &actual)
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
    eprintln!("testkit: {ran} case(s) from {}", dir.display());
    if !failures.is_empty() {
        panic!("failing cases:{failures}");
    }
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// A line diff (longest common subsequence). Invisible differences are made visible:
/// trailing spaces show as `·`, a missing final newline is noted.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split('\n').collect();
    let b: Vec<&str> = actual.split('\n').collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let show = |l: &str| {
        let trimmed = l.trim_end_matches(' ');
        format!("{trimmed}{}", "·".repeat(l.len() - trimmed.len()))
    };
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            let _ = writeln!(out, "  {}", show(a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "+ {}", show(b[j]));
            j += 1;
        } else {
            let _ = writeln!(out, "- {}", show(a[i]));
            i += 1;
        }
    }
    out
}

/// A string as a one-line, double-quoted case-file value: `\` `"` and control characters
/// escaped, and so are the invisible line terminators U+0085, U+2028, U+2029 and U+212A KELVIN
/// SIGN (it looks like `K` and folds differently); everything else is kept as is. Writers and
/// runners of case files quote with this one function, so their sections compare.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{212A}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_drop_only_the_newline_before_the_next_header() {
        let c = Case::parse(Path::new("x.case"), "about\n=== a\none\n\n=== b\ntwo");
        assert_eq!(c.description, "about");
        assert_eq!(c.section("a"), Some("one\n"));
        assert_eq!(c.section("b"), Some("two"));
        assert_eq!(c.section("c"), None);
    }

    #[test]
    fn diff_marks_changed_lines_and_trailing_spaces() {
        let d = diff("a\nb \nc", "a\nb\nc");
        assert!(d.contains("- b·"), "{d}");
        assert!(d.contains("+ b\n"), "{d}");
    }
}
