//! Data-driven tests of the mapping-template environment (spec §7): every file under
//! tests/cases/template/ is one AWS behavior, named after it.
//!
//! Sections:
//! - `=== template`: the template text (raw, as typed in the console).
//! - `=== input` (optional): the rest of a render case as JSON (`body`, `params`,
//!   `stageVariables`, `context`, `contentType`), see docs/render.md.
//! - `=== body` (optional): the payload as raw text (overrides `input.body`; lets a case
//!   show a payload without JSON escaping).
//! - `=== case` (instead of the three above): a whole render case, JSON with `template`.
//! - Checked: `=== output` (rendered text, what AWS produces) or `=== error` (why it
//!   failed), and `=== overrides` when present (`request.header.NAME=value`,
//!   `response.status=...`).
//! - `=== output-java-lists` (optional): the output while JSON arrays are plain lists,
//!   i.e. while the engine does not iterate host objects (see `json::json_array`): lists
//!   then print Java-style (`[a, b]`) instead of AWS's JSON (`["a","b"]`). Checked instead
//!   of `output` in that configuration, so the known difference stays pinned down.
//!
//! Run one case: `CASE=input-body-empty cargo test -p gateway --test template_cases`.

use gateway::template::{self, CaseInput, Overrides, TemplateCase};

fn load(case: &testkit::Case) -> Result<TemplateCase, String> {
    if let Some(json) = case.section("case") {
        return template::parse_case(json).map_err(|e| format!("=== case {e}"));
    }
    let template = case
        .section("template")
        .ok_or("needs `=== template` (or `=== case`)")?
        .to_string();
    let mut input: CaseInput = match case.section("input") {
        Some(json) => serde_json::from_str(json).map_err(|e| format!("=== input: {e}"))?,
        None => CaseInput::default(),
    };
    if let Some(body) = case.section("body") {
        input.body = body.to_string();
    }
    Ok(TemplateCase { template, input })
}

fn describe_overrides(out: &mut String, side: &str, o: &Overrides) {
    for (kind, map) in [
        ("header", &o.header),
        ("path", &o.path),
        ("querystring", &o.querystring),
    ] {
        for (k, v) in map {
            out.push_str(&format!("{side}.{kind}.{k}={v}\n"));
        }
    }
    if let Some(s) = &o.status {
        out.push_str(&format!("{side}.status={s}\n"));
    }
}

#[test]
fn template_cases() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/template");
    testkit::run_dir(dir, "case", |case| {
        let tc = load(case)?;
        let mut checks = Vec::new();
        match template::render_case(&tc) {
            Ok(r) => {
                let section = if case.section("output-java-lists").is_some()
                    && !template::json::engine_iterates_objects()
                {
                    "output-java-lists"
                } else {
                    "output"
                };
                checks.push((section.to_string(), r.output));
                if case.section("overrides").is_some() {
                    let mut s = String::new();
                    describe_overrides(&mut s, "request", &r.request_override);
                    describe_overrides(&mut s, "response", &r.response_override);
                    checks.push(("overrides".to_string(), s.trim_end().to_string()));
                }
            }
            Err(e) => checks.push(("error".to_string(), e.to_string())),
        }
        Ok(checks)
    });
}

/// spec §7.6 [DOC]: mapping templates are limited to 300 KB.
#[test]
fn template_over_300_kb_is_rejected() {
    let big = "x".repeat(300 * 1024 + 1);
    let case = TemplateCase {
        template: big,
        input: CaseInput::default(),
    };
    assert!(
        template::render_case(&case).is_err(),
        "a 300 KB + 1 byte template must not render"
    );
    let ok = TemplateCase {
        template: "x".repeat(300 * 1024),
        input: CaseInput::default(),
    };
    assert_eq!(
        template::render_case(&ok).map(|r| r.output.len()).ok(),
        Some(300 * 1024)
    );
}

/// Parse once, render many: each input sees its own payload and parameters.
#[test]
fn compiled_template_renders_many_inputs() {
    let t = template::compile("$input.params('id'):$input.path('$.n')");
    for n in 0..3 {
        let input: CaseInput = serde_json::from_value(
            serde_json::json!({"body": format!("{{\"n\": {n}}}"), "params": {"path": {"id": "p"}}}),
        )
        .expect("valid input");
        let r = template::render_case_with(&t, &input).expect("renders");
        assert_eq!(r.output, format!("p:{n}"));
    }
}

/// No input makes the environment panic: garbage payloads, paths and arguments.
#[test]
fn hostile_inputs_do_not_panic() {
    let bodies = [
        "",
        "{",
        "[",
        "\"",
        "{\"a\":",
        "[[[[[[",
        "\u{0}",
        "{'a':1,,}",
        "{\"a\":\"\\ud800\"}",
        "\"\\u12",
    ];
    let templates = [
        "$input.path('$..*')",
        "$input.json('$[')",
        "$input.path('$[?(@.a >')",
        "$util.urlDecode('%')",
        "$util.base64Decode('!')",
        "$util.parseJson('{')",
        "$input.params(1)",
        "$util.escapeJavaScript($input.path('$'))",
    ];
    for b in bodies {
        for t in templates {
            let case = TemplateCase {
                template: t.to_string(),
                input: CaseInput {
                    body: b.to_string(),
                    ..Default::default()
                },
            };
            let _ = template::render_case(&case);
        }
    }
}

/// spec §7.4 [DOC]: "overrides are final": assigning the same override twice fails the
/// request (5XX). The engine routes `#set($obj.name = v)` on host objects to `put`, as
/// Velocity 1.7's SetExecutor does, and the override maps refuse a second assignment.
#[test]
fn override_set_twice() {
    let case = TemplateCase {
        template: "#set($context.responseOverride.header.X = \"1\")\n#set($context.responseOverride.header.X = \"2\")\nok".into(),
        input: CaseInput::default(),
    };
    let e = template::render_case(&case)
        .expect_err("a second assignment of the same override must fail");
    assert!(e.to_string().contains("overrides are final"), "{e}");
}
