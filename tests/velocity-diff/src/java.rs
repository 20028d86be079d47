//! Runs the real Apache Velocity 1.7 (Java) on a batch of cases in one JVM.

use crate::{number_kind, DiffCase, Json, NumberKind, Outcome};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// Where cargo puts build output for the running binary (`…/target`), found from the executable's
/// path (`target/<profile>/deps/<test>`), so the Java classes live next to the Rust ones.
pub fn target_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors() {
            if dir
                .file_name()
                .is_some_and(|n| n == "debug" || n == "release")
            {
                if let Some(parent) = dir.parent() {
                    return parent.to_path_buf();
                }
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target")
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
        for tool in ["java", "javac"] {
            let ok = Command::new(tool)
                .arg("-version")
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            if !ok {
                return Err(format!("`{tool} -version` failed: {INSTALL_HINT}"));
            }
        }
        let dir = target_dir().join("velocity-diff-java");
        let src_dir = dir.join("src");
        let classes = dir.join("classes");
        std::fs::create_dir_all(&src_dir)
            .map_err(|e| format!("create {}: {e}", src_dir.display()))?;
        std::fs::create_dir_all(&classes)
            .map_err(|e| format!("create {}: {e}", classes.display()))?;
        let src = src_dir.join("VelocityBatch.java");
        let class = classes.join("VelocityBatch.class");
        // Recompile only when the embedded source differs from the last compiled copy.
        let stale = std::fs::read_to_string(&src)
            .map(|s| s != SOURCE)
            .unwrap_or(true)
            || !class.exists();
        let jar_cp = jars.join(":");
        if stale {
            std::fs::write(&src, SOURCE).map_err(|e| format!("write {}: {e}", src.display()))?;
            let out = Command::new("javac")
                .args(["-nowarn", "-d"])
                .arg(&classes)
                .args(["-cp", &jar_cp])
                .arg(&src)
                .output()
                .map_err(|e| format!("javac: {e}: {INSTALL_HINT}"))?;
            if !out.status.success() {
                let _ = std::fs::remove_file(&src);
                return Err(format!(
                    "javac failed:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
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
        let mut child = Command::new("java")
            // Deep #evaluate/macro recursion must end in an exception, not a crashed JVM.
            .args([
                "-Xss8m",
                "-XX:+UseSerialGC",
                "-cp",
                &self.classpath,
                "VelocityBatch",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("java: {e}: {INSTALL_HINT}"))?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            buf
        });
        let mut stderr = child.stderr.take().ok_or("no stderr")?;
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("Velocity batch timed out after {:?}", self.timeout));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(format!("waiting for java: {e}")),
            }
        };
        let _ = writer.join();
        let out = reader.join().map_err(|_| "stdout reader panicked")?;
        let err = err_reader.join().map_err(|_| "stderr reader panicked")?;
        if !status.success() {
            return Err(format!(
                "java exited with {status}:\n{}",
                String::from_utf8_lossy(&err)
            ));
        }
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
