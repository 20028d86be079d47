//! Idempotent tool installation. Each function checks the installed version first and returns
//! at once when it matches; otherwise it installs from a package registry (crates.io, npm,
//! Debian apt) and re-checks. Failures name the tool and the fix.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::proc::{probe, run, show};

/// trunk 0.22 needs a newer rustc than the project's; 0.21.14 is the last that builds here.
pub const TRUNK_VERSION: &str = "0.21.14";
/// The committed npm manifest + lockfile that provide wasm-opt (the `binaryen` package; Debian's
/// binaryen 108 is too old) ...
const TOOLS_MANIFEST_DIR: &str = "xtask/tools";
/// ... installed into this gitignored folder: `.tools/node_modules/.bin/wasm-opt`.
const TOOLS_NPM_DIR: &str = ".tools";

/// Where the installed tools live, and the PATH that puts them first for trunk.
pub struct Env {
    cargo_bin: PathBuf,
    npm_bin: PathBuf,
    path: OsString,
    wasm_bindgen_version: String,
    /// `wasm-opt --version` output, recorded by [`wasm_opt`] (node takes a second to start it).
    wasm_opt_version: Option<String>,
}

impl Env {
    pub fn new() -> Result<Self, String> {
        let cargo_bin = cargo_install_root().join("bin");
        let npm_bin = std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?
            .join(TOOLS_NPM_DIR)
            .join("node_modules/.bin");
        // Our tools first, so trunk's PATH lookup finds exactly the pinned versions and never
        // falls back to downloading.
        let mut dirs = vec![npm_bin.clone(), cargo_bin.clone()];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        let wasm_bindgen_version = locked_version("wasm-bindgen")?;
        Ok(Env {
            cargo_bin,
            npm_bin,
            path,
            wasm_bindgen_version,
            wasm_opt_version: None,
        })
    }

    /// Gives a child process the PATH with the project's tools first.
    pub fn apply(&self, cmd: &mut Command) {
        cmd.env("PATH", &self.path);
    }

    pub fn cargo(&self) -> Command {
        // `cargo xtask` runs us through cargo, which tells us which cargo it is.
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        self.apply(&mut cmd);
        cmd
    }

    pub fn trunk(&self) -> PathBuf {
        self.cargo_bin.join("trunk")
    }
}

/// The browser builds' settings (scripts/wasm-size.env, shared with scripts/build-npm.sh):
/// `KEY=VALUE` lines, `#` comments, a value optionally in double quotes.
pub fn wasm_size_env() -> Result<Vec<(String, String)>, String> {
    const FILE: &str = "scripts/wasm-size.env";
    let text = std::fs::read_to_string(FILE).map_err(|e| format!("cannot read {FILE}: {e}"))?;
    let mut vars = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("{FILE}:{}: expected KEY=VALUE", n + 1))?;
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        vars.push((key.to_string(), value.to_string()));
    }
    Ok(vars)
}

/// `cargo install`'s destination: $CARGO_INSTALL_ROOT, else $CARGO_HOME, else ~/.cargo.
fn cargo_install_root() -> PathBuf {
    if let Some(p) = std::env::var_os("CARGO_INSTALL_ROOT").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(p) = std::env::var_os("CARGO_HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
    PathBuf::from(home).join(".cargo")
}

/// The version of `package` recorded in Cargo.lock (the CLI must match the library exactly).
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string("Cargo.lock")
        .map_err(|e| format!("cannot read Cargo.lock: {e} (run `cargo generate-lockfile`)"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!(
        "Cargo.lock has no `{package}` package; run `cargo update -p {package}`"
    ))
}

/// The standard library's source, which the browser builds compile with their own settings
/// (scripts/wasm-size.env).
pub fn rust_src() -> Result<(), String> {
    let installed = || {
        probe(Command::new("rustc").args(["--print", "sysroot"])).is_some_and(|sysroot| {
            Path::new(&sysroot)
                .join("lib/rustlib/src/rust/library/Cargo.lock")
                .is_file()
        })
    };
    if installed() {
        println!("rust-src: already installed");
        return Ok(());
    }
    run(Command::new("rustup").args(["component", "add", "rust-src"])).map_err(|e| {
        format!("could not install rust-src: {e}\n  fix: run `rustup component add rust-src` (the toolchain must be managed by rustup)")
    })?;
    if installed() {
        Ok(())
    } else {
        Err("rust-src is still missing after `rustup component add rust-src`".to_string())
    }
}

pub fn wasm_target() -> Result<(), String> {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = || {
        probe(Command::new("rustc").args(["--print", "sysroot"])).is_some_and(|sysroot| {
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(TARGET)
                .is_dir()
        })
    };
    if installed() {
        println!("{TARGET}: already installed");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", TARGET])).map_err(|e| {
        format!("could not install the Rust target {TARGET}: {e}\n  fix: run `rustup target add {TARGET}` (the toolchain must be managed by rustup)")
    })?;
    if installed() {
        Ok(())
    } else {
        Err(format!(
            "the Rust target {TARGET} is still missing after `rustup target add`"
        ))
    }
}

/// `cargo install`s `krate` at `version` unless `bin --version` already reports it.
/// `version_of` extracts the version from the `--version` output.
fn cargo_tool(
    env: &Env,
    bin: &str,
    krate: &str,
    version: &str,
    locked: bool,
    version_of: fn(&str) -> Option<&str>,
) -> Result<(), String> {
    let exe = env.cargo_bin.join(bin);
    let current = || probe(Command::new(&exe).arg("--version"));
    if let Some(out) = current() {
        if version_of(&out) == Some(version) {
            println!("{bin} {version}: already installed at {}", exe.display());
            return Ok(());
        }
        println!("{bin}: found `{out}`, want {version}; reinstalling");
    }
    let mut cmd = env.cargo();
    cmd.arg("install");
    if locked {
        cmd.arg("--locked");
    }
    cmd.arg(format!("{krate}@{version}"));
    // Installing must not touch the workspace's target dir (another build may hold its lock).
    cmd.env_remove("CARGO_TARGET_DIR");
    run(&mut cmd).map_err(|e| {
        format!(
            "could not install {bin} {version}: {e}\n  fix: read the cargo output above, then run `{}` by hand \
             (needs crates.io and a C linker: `apt-get install build-essential`)",
            show(&cmd)
        )
    })?;
    match current() {
        Some(out) if version_of(&out) == Some(version) => Ok(()),
        other => Err(format!(
            "{bin} was installed but `{} --version` reports {:?}, not {version}; is {} writable?",
            exe.display(),
            other,
            env.cargo_bin.display()
        )),
    }
}

/// "wasm-bindgen 0.2.130" / "trunk 0.21.14" -> the second word.
fn second_word(out: &str) -> Option<&str> {
    out.split_whitespace().nth(1)
}

pub fn wasm_bindgen_cli(env: &Env) -> Result<(), String> {
    // Without --locked: the CLI's own lockfile can need a newer rustc than ours.
    let version = env.wasm_bindgen_version.clone();
    cargo_tool(
        env,
        "wasm-bindgen",
        "wasm-bindgen-cli",
        &version,
        false,
        second_word,
    )
}

pub fn trunk(env: &Env) -> Result<(), String> {
    cargo_tool(env, "trunk", "trunk", TRUNK_VERSION, true, second_word)
}

/// Installs the npm packages locked in `dir/package-lock.json` unless the same lockfile was
/// already installed (a copy is kept in node_modules as the stamp).
pub fn npm_ci(dir: &Path) -> Result<(), String> {
    let lock_path = dir.join("package-lock.json");
    let lock = std::fs::read(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let stamp = dir.join("node_modules/.xtask-installed-lock.json");
    if std::fs::read(&stamp).is_ok_and(|s| s == lock) {
        println!("{}: npm packages already installed", dir.display());
        return Ok(());
    }
    // --ignore-scripts: no package may run install hooks (they would download from elsewhere).
    let mut cmd = Command::new("npm");
    cmd.args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(dir);
    run(&mut cmd).map_err(|e| {
        format!(
            "could not install the npm packages of {}: {e}\n  fix: check that the npm registry is reachable (`npm ping`), then run `npm ci` in {}",
            dir.display(),
            dir.display()
        )
    })?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

pub fn wasm_opt(env: &mut Env) -> Result<(), String> {
    let dir = Path::new(TOOLS_NPM_DIR);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        let (from, to) = (Path::new(TOOLS_MANIFEST_DIR).join(file), dir.join(file));
        let data =
            std::fs::read(&from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        if std::fs::read(&to).ok().as_ref() != Some(&data) {
            std::fs::write(&to, &data)
                .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        }
    }
    npm_ci(dir)?;
    let exe = env.npm_bin.join("wasm-opt");
    let mut cmd = Command::new(&exe);
    cmd.arg("--version");
    env.apply(&mut cmd);
    match probe(&mut cmd) {
        Some(out) => {
            println!("{out}");
            env.wasm_opt_version = Some(out);
            Ok(())
        }
        None => Err(format!(
            "wasm-opt from the npm package `binaryen` does not run (`{} --version` failed)\n  \
             fix: delete {TOOLS_NPM_DIR}/ and rerun; it needs Node.js 20+ on PATH",
            exe.display()
        )),
    }
}

/// Trunk.toml's `[tools]` pins must equal what is installed, or trunk would try to download.
pub fn check_trunk_pins(env: &Env) -> Result<(), String> {
    let toml = std::fs::read_to_string("Trunk.toml")
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let pin = |key: &str| -> Option<String> {
        toml.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
        })
    };
    // "wasm-opt version 132 (version_132)" -> "version_132", the form Trunk.toml uses.
    let wasm_opt = env
        .wasm_opt_version
        .as_deref()
        .and_then(|out| {
            out.split_whitespace()
                .nth(2)
                .map(|n| format!("version_{n}"))
        })
        .unwrap_or_default();
    let checks = [
        (
            "wasm_bindgen",
            env.wasm_bindgen_version.clone(),
            "the wasm-bindgen version in Cargo.lock",
        ),
        (
            "wasm_opt",
            wasm_opt,
            "the installed wasm-opt (xtask/tools/package.json)",
        ),
    ];
    for (key, want, source) in checks {
        match pin(key) {
            Some(have) if have == want => println!("Trunk.toml {key} = \"{have}\": matches {source}"),
            have => {
                return Err(format!(
                    "Trunk.toml [tools] {key} is {} but {source} is \"{want}\"\n  \
                     fix: set `{key} = \"{want}\"` in Trunk.toml (trunk would otherwise download its own)",
                    have.map_or("missing".to_string(), |h| format!("\"{h}\""))
                ))
            }
        }
    }
    Ok(())
}

fn is_root() -> bool {
    probe(Command::new("id").arg("-u")).is_some_and(|u| u == "0")
}

fn dpkg_installed(pkg: &str) -> bool {
    probe(Command::new("dpkg-query").args(["-W", "-f=${Status}", pkg]))
        .is_some_and(|s| s == "install ok installed")
}

/// Installs Debian packages that are missing. `(package, file it provides)`: the file is the
/// fast check, dpkg the authority.
pub fn apt(pkgs: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> = pkgs
        .iter()
        .filter(|(pkg, file)| !(Path::new(file).exists() && dpkg_installed(pkg)))
        .map(|(pkg, _)| *pkg)
        .collect();
    if missing.is_empty() {
        let names: Vec<&str> = pkgs.iter().map(|(p, _)| *p).collect();
        println!("{}: already installed", names.join(", "));
        return Ok(());
    }
    apt_install(&missing)
}

fn apt_install(missing: &[&str]) -> Result<(), String> {
    let list = missing.join(" ");
    let fix = format!("fix: run `sudo apt-get update && sudo apt-get install -y {list}`");
    let sudo = if is_root() {
        false
    } else if probe(Command::new("sudo").args(["-n", "true"])).is_some() {
        true
    } else {
        return Err(format!(
            "missing Debian packages: {list} (installing them needs root)\n  {fix}"
        ));
    };
    let apt_get = |args: &[&str]| -> Command {
        let mut cmd = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            cmd.args(["-n", "apt-get"]);
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    let mut install_args = vec!["install", "-y", "--no-install-recommends"];
    install_args.extend_from_slice(missing);
    // The package lists may be absent or stale on a fresh machine: update once, then retry.
    if run(&mut apt_get(&install_args)).is_ok() {
        return Ok(());
    }
    println!("apt-get install failed; refreshing the package lists and retrying");
    run(&mut apt_get(&["update"])).map_err(|e| format!("`apt-get update` failed: {e}\n  {fix}"))?;
    run(&mut apt_get(&install_args)).map_err(|e| format!("could not install {list}: {e}\n  {fix}"))
}

/// The differential test compiles its Java shim with `javac` and runs Apache Velocity on `java`:
/// install a JDK only when either is missing (a JDK includes the runtime).
pub fn java() -> Result<(), String> {
    // `-version` prints to stderr; its success is what matters.
    let ok = |bin: &str| probe(Command::new(bin).arg("-version")).is_some();
    if ok("java") && ok("javac") {
        println!("java, javac: already installed");
        return Ok(());
    }
    apt_install(&["default-jdk-headless"])
}
