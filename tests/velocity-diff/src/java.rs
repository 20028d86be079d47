//! Runs the real Apache Velocity 1.7 (Java) on a batch of cases in one JVM.

use crate::jvm;
use crate::{number_kind, DiffCase, Json, NumberKind, Outcome};
use std::path::Path;
use std::time::Duration;

pub const INSTALL_HINT: &str = "install Java and Velocity 1.7 with `apt-get install -y velocity default-jre-headless` \
     (plus `default-jdk-headless` for javac), or set SKIP_VELOCITY_DIFF=1 to skip the differential test";

/// The jars Velocity 1.7 needs, as Debian installs them. `VELOCITY_CLASSPATH` overrides the list.
const JARS: &[&str] = &[
    "/usr/share/java/velocity-1.7.jar",
    "/usr/share/java/commons-collections3.jar",
    "/usr/share/java/commons-lang.jar",
];

const SOURCE: &str = include_str!("../java/VelocityBatch.java");

/// A compiled `VelocityBatch` ready to run.
pub struct Velocity {
    classpath: String,
    /// Wall-clock bound for one batch: a runaway template must not hang the test suite.
    pub timeout: Duration,
}

impl Velocity {
    /// Finds java, javac and the jars and compiles the batch program (when its source changed).
    /// The error says what is missing and how to install it.
    pub fn setup() -> Result<Velocity, String> {
        let jars: Vec<String> = match std::env::var("VELOCITY_CLASSPATH") {
            Ok(cp) => cp.split(':').map(str::to_string).collect(),
            Err(_) => JARS.iter().map(|s| s.to_string()).collect(),
        };
        for jar in &jars {
            if !Path::new(jar).exists() {
                return Err(format!("{jar} not found: {INSTALL_HINT}"));
            }
        }
        let jar_cp = jars.join(":");
        let classes = jvm::compile(
            "velocity-diff-java",
            "VelocityBatch",
            SOURCE,
            Some(&jar_cp),
            INSTALL_HINT,
        )?;
        Ok(Velocity {
            classpath: format!("{}:{jar_cp}", classes.display()),
            timeout: Duration::from_secs(300),
        })
    }

    /// Renders every case with Velocity 1.7, in order.
    pub fn render_batch(&self, cases: &[DiffCase]) -> Result<Vec<Outcome>, String> {
        let mut input = Vec::new();
        for case in cases {
            input.push(b'T');
            push_bytes(&mut input, case.template.as_bytes());
            encode_map(&mut input, &case.vars);
        }
        // Deep #evaluate/macro recursion must end in an exception, not a crashed JVM.
        let out = jvm::run(
            &[
                "-Xss8m",
                "-XX:+UseSerialGC",
                "-cp",
                &self.classpath,
                "VelocityBatch",
            ],
            input,
            self.timeout,
            "Velocity batch",
            INSTALL_HINT,
        )?;
        let outcomes = parse_output(&out)?;
        if outcomes.len() != cases.len() {
            return Err(format!(
                "Velocity returned {} results for {} cases",
                outcomes.len(),
                cases.len()
            ));
        }
        Ok(outcomes)
    }
}

fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(bytes.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(bytes);
}

fn encode_map(out: &mut Vec<u8>, map: &serde_json::Map<String, Json>) {
    out.push(b'm');
    out.extend_from_slice(map.len().to_string().as_bytes());
    out.push(b':');
    for (k, v) in map {
        out.push(b's');
        push_bytes(out, k.as_bytes());
        encode_value(out, v);
    }
}

/// Encodes a JSON value in the batch input format (see the header of `VelocityBatch.java`).
pub fn encode_value(out: &mut Vec<u8>, v: &Json) {
    match v {
        Json::Null => out.push(b'n'),
        Json::Bool(true) => out.push(b't'),
        Json::Bool(false) => out.push(b'f'),
        Json::Number(n) => {
            let text = match number_kind(n) {
                NumberKind::Int(i) => format!("i{i};"),
                NumberKind::Long(l) => format!("L{l};"),
                // `{:?}` is the shortest text that round-trips, which Double.valueOf reads exactly.
                NumberKind::Double(d) => format!("d{d:?};"),
            };
            out.extend_from_slice(text.as_bytes());
        }
        Json::String(s) => {
            out.push(b's');
            push_bytes(out, s.as_bytes());
        }
        Json::Array(items) => {
            out.push(b'l');
            out.extend_from_slice(items.len().to_string().as_bytes());
            out.push(b':');
            for item in items {
                encode_value(out, item);
            }
        }
        Json::Object(map) => encode_map(out, map),
    }
}

/// Parses `STATUS LEN\nBYTES\n` records.
fn parse_output(mut out: &[u8]) -> Result<Vec<Outcome>, String> {
    let mut results = Vec::new();
    while !out.is_empty() {
        let nl = out
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("truncated record header")?;
        let header = std::str::from_utf8(&out[..nl]).map_err(|_| "non-UTF-8 record header")?;
        let (status, len) = header
            .split_once(' ')
            .ok_or_else(|| format!("bad header {header:?}"))?;
        let len: usize = len
            .parse()
            .map_err(|_| format!("bad length in {header:?}"))?;
        let body_start = nl + 1;
        let body_end = body_start + len;
        if out.len() < body_end + 1 {
            return Err("truncated record body".into());
        }
        let body = String::from_utf8_lossy(&out[body_start..body_end]).into_owned();
        results.push(match status {
            "OK" => Outcome::Rendered(body),
            kind => Outcome::Failed {
                kind: kind.to_string(),
                message: body,
            },
        });
        out = &out[body_end + 1..];
    }
    Ok(results)
}
