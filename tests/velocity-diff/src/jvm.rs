//! One JVM per batch: the plumbing the two differential harnesses share (this crate's Apache
//! Velocity side and `tests/regex-diff`'s `java.util.regex` side). The batch program's source
//! is embedded in the harness, compiled next to the Rust build output only when it changed, and
//! run with its input on stdin under a wall-clock bound, so a runaway case cannot hang a test.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// Checks that `java` and `javac` run, then compiles `source` (the file `<class>.java`) into
/// `<target>/<dir>/classes` unless the last compiled copy has the same text. Returns the classes
/// folder. `classpath` is what the program compiles against; errors end with `hint` (how to
/// install what is missing, how to skip).
pub fn compile(
    dir: &str,
    class: &str,
    source: &str,
    classpath: Option<&str>,
    hint: &str,
) -> Result<PathBuf, String> {
    for tool in ["java", "javac"] {
        let ok = Command::new(tool)
            .arg("-version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            return Err(format!("`{tool} -version` failed: {hint}"));
        }
    }
    let dir = target_dir().join(dir);
    let src_dir = dir.join("src");
    let classes = dir.join("classes");
    for d in [&src_dir, &classes] {
        std::fs::create_dir_all(d).map_err(|e| format!("create {}: {e}", d.display()))?;
    }
    let src = src_dir.join(format!("{class}.java"));
    let stale = std::fs::read_to_string(&src)
        .map(|s| s != source)
        .unwrap_or(true)
        || !classes.join(format!("{class}.class")).exists();
    if stale {
        std::fs::write(&src, source).map_err(|e| format!("write {}: {e}", src.display()))?;
        let mut javac = Command::new("javac");
        javac.args(["-nowarn", "-d"]).arg(&classes);
        if let Some(cp) = classpath {
            javac.args(["-cp", cp]);
        }
        let out = javac
            .arg(&src)
            .output()
            .map_err(|e| format!("javac: {e}: {hint}"))?;
        if !out.status.success() {
            // Compile again next time rather than trusting a half-written class folder.
            let _ = std::fs::remove_file(&src);
            return Err(format!(
                "javac failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(classes)
}

/// Runs `java <args>` with `input` on stdin and returns its stdout; an error names the exit
/// status with stderr, or says that the batch (`what`) passed `timeout` and was killed.
pub fn run(
    args: &[&str],
    input: Vec<u8>,
    timeout: Duration,
    what: &str,
    hint: &str,
) -> Result<Vec<u8>, String> {
    let mut child = Command::new("java")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("java: {e}: {hint}"))?;
    // Writer and readers on their own threads: a full pipe on either side must not deadlock.
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
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what} timed out after {timeout:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
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
    Ok(out)
}
