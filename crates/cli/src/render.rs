//! `apigw render CASE.json|-`: renders one mapping-template case and prints the output
//! exactly (no newline added). Problems go to standard error as `file:line:col: message`
//! with positions in the case file (template positions are mapped into the JSON string).

use gateway::template::{self, CaseError, TemplateError};

const HELP: &str = r#"apigw render: render an API Gateway mapping template (VTL) the way AWS does

USAGE:
    apigw render CASE.json      render the case in a file
    apigw render -              read the case from standard input

The rendered text is printed exactly as produced (no newline added); exit status 0.
On a problem, `file:line:col: message` lines go to standard error; exit status 1.

CASE FORMAT (JSON; every field but "template" is optional):
    {
      "template": "{\"id\": \"$input.params('id')\", \"body\": $input.json('$')}",
      "body": "{\"a\": 1}",                        request payload text ("" renders $input.body as {})
      "contentType": "application/json",          recorded for the pipeline; rendering ignores it
      "params": {"path": {}, "querystring": {}, "header": {}},
      "stageVariables": {"env": "prod"},
      "context": {"identity": {"sourceIp": "198.51.100.7"}}
    }

"context" is laid over a realistic default $context (requestId, apiId a1b2c3d4e5, stage
test, POST /pets, identity.sourceIp 203.0.113.10, ...) key by key; see docs/render.md.
Unknown fields are errors. A payload that starts like JSON but does not parse is reported
as API Gateway's 400 message."#;

pub fn main(args: &[String]) -> i32 {
    let mut file: Option<&str> = None;
    for a in args {
        match a.as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return 0;
            }
            "-" => file = Some("-"),
            s if s.starts_with('-') => {
                eprintln!("apigw render: unknown option `{s}` (try `apigw render --help`)");
                return 2;
            }
            s => {
                if file.is_some() {
                    eprintln!("apigw render: expected one case file, got more (try `apigw render --help`)");
                    return 2;
                }
                file = Some(s);
            }
        }
    }
    let Some(path) = file else {
        eprintln!("apigw render: missing CASE.json (or `-` for standard input)\n\n{HELP}");
        return 2;
    };
    let name = if path == "-" { "<stdin>" } else { path };
    let text = match crate::read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("apigw render: {e}");
            return 1;
        }
    };
    match run(&text) {
        Ok(output) => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            if out
                .write_all(output.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
            {
                return 1;
            }
            0
        }
        Err(lines) => {
            for l in lines {
                eprintln!("{name}:{l}");
            }
            1
        }
    }
}

/// Renders case text; on failure returns `line:col: message` lines (positions in the file).
pub fn run(text: &str) -> Result<String, Vec<String>> {
    let case = template::parse_case(text).map_err(
        |CaseError {
             line,
             column,
             message,
         }| { vec![format!("{line}:{column}: {message}")] },
    )?;
    template::render_case(&case)
        .map(|r| r.output)
        .map_err(|e| describe(text, &e))
}

fn describe(text: &str, e: &TemplateError) -> Vec<String> {
    let origin = TemplateOrigin::find(text);
    let at = |offset: usize, line: u32, column: u32| match origin
        .as_ref()
        .and_then(|o| o.position(text, offset))
    {
        Some((fl, fc)) => format!("{fl}:{fc}: (template {line}:{column}) "),
        None => format!("1:1: (template {line}:{column}) "),
    };
    let mut out = Vec::new();
    for d in &e.diagnostics {
        let level = match d.severity {
            vtl::Severity::Error => "error",
            vtl::Severity::Warning => "warning",
        };
        out.push(format!(
            "{}{level}: {}",
            at(d.span.start, d.span.line, d.span.column),
            d.message
        ));
    }
    if let Some(p) = &e.invalid_payload {
        let (l, c) = origin
            .as_ref()
            .map(|o| o.body_position(text))
            .unwrap_or((1, 1));
        out.push(format!(
            "{l}:{c}: body: API Gateway answers 400 {{\"message\": \"{p}\"}}"
        ));
    } else if let Some(r) = &e.render_error {
        match r.span {
            Some(s) => out.push(format!(
                "{}error: {}",
                at(s.start, s.line, s.column),
                r.message
            )),
            None => out.push(format!("1:1: error: {}", r.message)),
        }
    }
    out
}

/// Where the `"template"` string sits in the case file, to map template offsets back.
struct TemplateOrigin {
    /// For each byte of the decoded template, its byte offset in the file.
    raw_offsets: Vec<usize>,
    /// Byte offset of the `"body"` value, if present.
    body_at: Option<usize>,
}

impl TemplateOrigin {
    fn find(text: &str) -> Option<TemplateOrigin> {
        let b = text.as_bytes();
        let mut i = skip_ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return None;
        }
        i += 1;
        let mut template = None;
        let mut body_at = None;
        loop {
            i = skip_ws(b, i);
            if b.get(i) != Some(&b'"') {
                break;
            }
            let key_end = skip_string(b, i)?;
            let key = text.get(i + 1..key_end - 1)?;
            i = skip_ws(b, key_end);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            if key == "body" {
                body_at = Some(i);
            }
            if key == "template" && b.get(i) == Some(&b'"') {
                template = Some(i);
            }
            i = skip_value(b, i)?;
            i = skip_ws(b, i);
            if b.get(i) == Some(&b',') {
                i += 1;
            } else {
                break;
            }
        }
        let start = template?;
        Some(TemplateOrigin {
            raw_offsets: decode_offsets(text, start),
            body_at,
        })
    }

    /// File line and column (1-based, in characters) of template byte `offset`.
    fn position(&self, text: &str, offset: usize) -> Option<(usize, usize)> {
        let raw = self
            .raw_offsets
            .get(offset)
            .or_else(|| self.raw_offsets.last())
            .copied()?;
        Some(line_col(text, raw))
    }

    fn body_position(&self, text: &str) -> (usize, usize) {
        self.body_at.map(|o| line_col(text, o)).unwrap_or((1, 1))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// Index just past the JSON string starting at `i`.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Index just past the JSON value starting at `i` (validated JSON: only delimiters matter).
fn skip_value(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match b.get(i)? {
            b'"' => i = skip_string(b, i)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
                i += 1;
            }
            b',' if depth == 0 => return Some(i),
            _ => i += 1,
        }
        if depth == 0 && matches!(b.get(i.wrapping_sub(1)), Some(b'"' | b'}' | b']')) {
            return Some(i);
        }
    }
}

/// Decodes the JSON string literal at `start`, recording each decoded byte's file offset.
fn decode_offsets(text: &str, start: usize) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start + 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => break,
            b'\\' => {
                let esc_len = if b.get(i + 1) == Some(&b'u') { 6 } else { 2 };
                // A \uXXXX escape decodes to 1–3 UTF-8 bytes (a surrogate pair spans two
                // escapes and 4 bytes); map them all to the backslash.
                let decoded_len = match b.get(i + 1) {
                    Some(b'u') => {
                        let hex = text
                            .get(i + 2..i + 6)
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .unwrap_or(0);
                        match hex {
                            0..=0x7f => 1,
                            0x80..=0x7ff => 2,
                            0xd800..=0xdbff => 2,
                            0xdc00..=0xdfff => 2,
                            _ => 3,
                        }
                    }
                    _ => 1,
                };
                out.extend(std::iter::repeat_n(i, decoded_len));
                i += esc_len;
            }
            _ => {
                out.push(i);
                i += 1;
            }
        }
    }
    out.push(i);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_offsets_map_into_the_file() {
        let text = "{\n  \"body\": \"\",\n  \"template\": \"a\\nb\\u00e9c\"\n}";
        let o = TemplateOrigin::find(text).unwrap();
        // Template "a\nbéc": byte 2 is `b`, at file line 3 column 19.
        assert_eq!(o.position(text, 2), Some((3, 19)));
        assert_eq!(o.body_position(text), (2, 11));
    }

    /// Every benchmark case (shared/bench/cases, beside the repository) must render.
    #[test]
    fn every_benchmark_case_renders() {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let candidates = [
            here.join("../../../shared/bench/cases"),
            std::path::PathBuf::from("/work/shared/bench/cases"),
        ];
        let dir = candidates
            .iter()
            .find(|d| d.is_dir())
            .expect("shared/bench/cases not found beside the repository");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("readable bench dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(
            files.len() >= 12,
            "expected the 12 benchmark cases, found {}",
            files.len()
        );
        let mut failures = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).expect("readable case");
            if let Err(e) = run(&text) {
                failures.push(format!("{}: {}", f.display(), e.join("; ")));
            }
        }
        assert!(
            failures.is_empty(),
            "benchmark cases failed:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn bad_json_reports_line_and_column() {
        let e = run("{\n \"template\": 1}").unwrap_err();
        assert_eq!(
            e,
            vec!["2:14: template: invalid type: integer `1`, expected a string".to_string()]
        );
        let e = run("{\"template\": \"x\", \"bogus\": 1}").unwrap_err();
        assert!(
            e[0].starts_with("1:") && e[0].contains("unknown field `bogus`"),
            "{e:?}"
        );
    }
}
