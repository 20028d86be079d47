//! Runs every `tests/cases/**/*.case` file (see `tests/cases/README.md` for the format).
//! Expected outputs come from real Velocity 1.7 (`tests/java/run.sh --write`), except cases
//! with an `=== options` section (API Gateway behaviour stock Velocity does not have).

use std::path::Path;
use vtl::{Context, Limits, Map, Template, Value};

fn to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                match i32::try_from(i) {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Long(i),
                }
            } else {
                Value::Double(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(to_value).collect()),
        serde_json::Value::Object(o) => {
            let mut m = Map::default();
            for (k, v) in o {
                m.insert(k.clone(), to_value(v));
            }
            Value::map(m)
        }
    }
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    testkit::run_dir(dir, "case", |case| {
        let template = case
            .section("template")
            .ok_or("no `=== template` section")?;
        let t = Template::parse(template);
        let mut ctx = Context::new();
        if let Some(vars) = case.section("vars") {
            let j: serde_json::Value =
                serde_json::from_str(vars).map_err(|e| format!("bad vars JSON: {e}"))?;
            let serde_json::Value::Object(o) = j else {
                return Err("vars must be a JSON object".into());
            };
            for (k, v) in o {
                // Velocity contexts cannot hold null: a null var is simply absent.
                if !v.is_null() {
                    ctx.insert(k, to_value(&v));
                }
            }
        }
        let options = case.section("options").unwrap_or("");
        if options
            .split_whitespace()
            .any(|o| o == "null_renders_empty")
        {
            ctx.set_null_renders_empty(true);
        }
        let mut checks = Vec::new();
        if case.section("diagnostics").is_some() {
            let d: Vec<String> = t
                .diagnostics()
                .iter()
                .map(|d| match d.severity {
                    vtl::Severity::Error => d.to_string(),
                    vtl::Severity::Warning => format!("warning: {d}"),
                })
                .collect();
            checks.push(("diagnostics".to_string(), d.join("\n")));
            return Ok(checks);
        }
        // `=== error` of a from-diff case starting with `PARSE:`: Velocity rejected the
        // template; any syntax-error diagnostic will do.
        if case
            .section("error")
            .is_some_and(|e| e.starts_with("PARSE:"))
        {
            let exp = case.section("error").unwrap_or_default().to_string();
            checks.push((
                "error".to_string(),
                if t.has_errors() {
                    exp
                } else {
                    "(no syntax error reported)".into()
                },
            ));
            return Ok(checks);
        }
        if !t.diagnostics().is_empty() {
            let d: Vec<String> = t.diagnostics().iter().map(|d| d.to_string()).collect();
            return Err(format!("unexpected diagnostics: {}", d.join("; ")));
        }
        match t.render(&mut ctx, &Limits::default()) {
            Ok(out) => {
                checks.push(("output".to_string(), out));
                if case.section("globals").is_some() {
                    let mut g = String::new();
                    for (k, v) in ctx.iter() {
                        g.push_str(&format!("{k}={}\n", v.to_java_string()));
                    }
                    checks.push(("globals".to_string(), g.trim_end().to_string()));
                }
            }
            Err(e) => {
                let actual = e.to_string();
                // Cases from the differential harness (from-diff/) carry Java's error text
                // (`ERROR: java.util.SomeException: detail`): the render must fail with an
                // error naming the same Java exception.
                match case.section("error") {
                    Some(exp) if exp.starts_with("ERROR: ") => {
                        let class = exp["ERROR: ".len()..].split(':').next().unwrap_or("");
                        if actual.contains(class) {
                            checks.push(("error".to_string(), exp.to_string()));
                        } else {
                            checks.push(("error".to_string(), actual));
                        }
                    }
                    _ => checks.push(("error".to_string(), actual)),
                }
            }
        }
        Ok(checks)
    });
}
