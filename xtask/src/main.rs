//! `cargo xtask`: the project's two set-up-and-go commands.
//!
//! ```text
//! cargo xtask serve [--port N]   install tools, release-build the playground, print its gzipped
//!                                size, serve dist/ on http://127.0.0.1:N/ (default 8080)
//! cargo xtask test               install tools, then run every test: native, wasm build,
//!                                playground build, browser end-to-end, npm package
//! cargo xtask setup              only install the tools (both commands do this first)
//! cargo xtask build              only install tools + release build + size report
//! ```
//!
//! Every step prints `==> name` and its duration. Installing is idempotent: each tool's version is
//! checked first, so a warm run spends well under a second per tool. Nothing is downloaded from
//! outside the package registries (crates.io, npm, Debian apt).

mod proc;
mod serve;
mod size;
mod steps;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use proc::run;
use steps::Steps;
use tools::Env;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--port N]   build the playground (release, wasm-opt), print its gzipped size and serve it
                     on http://127.0.0.1:N/ (default 8080; also read from $PORT)
  test [--keep-going]  run every test: native, wasm build, browser end-to-end, npm package;
                     stops at the first failure unless --keep-going (then reports all at the end)
  setup              install the tools the two commands above need, then stop
  build              install tools, release-build the playground into dist/, print its size";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!(
            "error: cannot enter the repository root {}: {e}",
            root.display()
        );
        return ExitCode::FAILURE;
    }
    let result = match args.first().map(String::as_str) {
        Some("serve") => parse_port(&args[1..]).and_then(|port| serve_cmd(&root, port)),
        Some("test") => match args.get(1).map(String::as_str) {
            Some("--keep-going") => no_more_args(&args[2..]).and_then(|()| test_cmd(&root, true)),
            _ => no_more_args(&args[1..]).and_then(|()| test_cmd(&root, false)),
        },
        Some("setup") => no_more_args(&args[1..]).and_then(|()| setup_cmd(&root)),
        Some("build") => no_more_args(&args[1..]).and_then(|()| build_cmd(&root)),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("\nerror: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives in `<root>/xtask`.
fn repo_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

fn no_more_args(rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(extra) => Err(format!("unexpected argument `{extra}`\n\n{USAGE}")),
    }
}

fn parse_port(rest: &[String]) -> Result<u16, String> {
    let mut port: Option<String> = std::env::var("PORT").ok().filter(|p| !p.is_empty());
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        if arg == "--port" || arg == "-p" {
            port = Some(
                it.next()
                    .ok_or("`--port` needs a value, e.g. `--port 8081`")?
                    .clone(),
            );
        } else if let Some(v) = arg.strip_prefix("--port=") {
            port = Some(v.to_string());
        } else {
            return Err(format!("unexpected argument `{arg}`\n\n{USAGE}"));
        }
    }
    match port {
        None => Ok(8080),
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|&n| n != 0)
            .ok_or_else(|| format!("invalid port `{p}`: give a number from 1 to 65535")),
    }
}

/// Tools for building the playground: wasm target, wasm-bindgen-cli, trunk, wasm-opt.
fn ensure_build_tools(steps: &mut Steps, env: &mut Env) -> Result<(), String> {
    steps.run("install: rust target wasm32-unknown-unknown", || {
        tools::wasm_target()
    })?;
    steps.run("install: rust-src (std rebuilt for size)", tools::rust_src)?;
    steps.run("install: wasm-bindgen-cli", || tools::wasm_bindgen_cli(env))?;
    steps.run("install: trunk", || tools::trunk(env))?;
    steps.run("install: wasm-opt (npm binaryen)", || tools::wasm_opt(env))?;
    steps.run("check: Trunk.toml tool pins", || {
        tools::check_trunk_pins(env)
    })?;
    Ok(())
}

/// `trunk build --release` (wasm-opt runs in release mode) followed by the size table.
fn build_playground(steps: &mut Steps, env: &Env) -> Result<(), String> {
    steps.run(
        "build: playground (trunk build --release, wasm-opt)",
        || {
            let mut cmd = Command::new(env.trunk());
            // The cargo profile comes from index.html (`data-cargo-profile="wasm-release"`, the
            // size-tuned release profile), the std and panic settings from
            // scripts/wasm-size.env: both shared with the npm package's browser build.
            cmd.args(["build", "--release"]);
            cmd.envs(tools::wasm_size_env()?);
            env.apply(&mut cmd);
            run(&mut cmd)
        },
    )?;
    steps.run("report: gzipped size of dist/", || {
        size::report(Path::new("dist"))
    })
}

fn setup_cmd(_root: &Path) -> Result<(), String> {
    let mut steps = Steps::new();
    let mut env = Env::new()?;
    let r = ensure_build_tools(&mut steps, &mut env).and_then(|()| ensure_test_tools(&mut steps));
    steps.finish(r)
}

fn build_cmd(_root: &Path) -> Result<(), String> {
    let mut steps = Steps::new();
    let mut env = Env::new()?;
    let r =
        ensure_build_tools(&mut steps, &mut env).and_then(|()| build_playground(&mut steps, &env));
    steps.finish(r)
}

fn serve_cmd(_root: &Path, port: u16) -> Result<(), String> {
    let mut steps = Steps::new();
    let mut env = Env::new()?;
    let r =
        ensure_build_tools(&mut steps, &mut env).and_then(|()| build_playground(&mut steps, &env));
    steps.finish(r)?;
    serve::serve(Path::new("dist"), port)
}

/// Tools only the tests need: Chromium + driver, Velocity + Java, the e2e npm packages.
fn ensure_test_tools(steps: &mut Steps) -> Result<(), String> {
    steps.run(
        "install: chromium, chromium-driver, fonts, velocity (apt)",
        || {
            tools::apt(&[
                ("chromium", "/usr/bin/chromium"),
                ("chromium-driver", "/usr/bin/chromedriver"),
                // Without it, screenshots show text as empty boxes (recommends are not installed).
                (
                    "fonts-dejavu-core",
                    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                ),
                ("velocity", "/usr/share/java/velocity.jar"),
            ])
        },
    )?;
    steps.run(
        "install: java + javac (for the Velocity differential test)",
        tools::java,
    )?;
    steps.run("install: npm packages (tests/e2e)", || {
        tools::npm_ci(Path::new("tests/e2e"))
    })?;
    Ok(())
}

fn test_cmd(_root: &Path, keep_going: bool) -> Result<(), String> {
    let mut steps = Steps::new();
    if keep_going {
        steps.keep_going();
    }
    let mut env = Env::new()?;
    let r = run_tests(&mut steps, &mut env);
    steps.finish(r)
}

/// The test plan, in order; the first failing step stops the run. Steps owned by other parts of
/// the project run only when their files exist.
fn run_tests(steps: &mut Steps, env: &mut Env) -> Result<(), String> {
    ensure_build_tools(steps, env)?;
    ensure_test_tools(steps)?;

    steps.test(
        "test: native (cargo test --workspace --no-fail-fast)",
        || {
            let mut cmd = env.cargo();
            // --no-fail-fast: report every failing test binary, not just the first.
            cmd.args(["test", "--workspace", "--no-fail-fast"]);
            run(&mut cmd)
        },
    )?;

    // The fuzz targets are their own workspace (cargo-fuzz builds them with a sanitizer, on flags
    // stable cargo lacks), so the step above never compiles them: a change to a crate's API once
    // broke one unnoticed. Type-checking them needs no fuzzing toolchain (~30 s cold).
    if Path::new("fuzz/Cargo.toml").is_file() {
        steps.test(
            "check: fuzz targets compile (cargo check --manifest-path fuzz/Cargo.toml)",
            || {
                let mut cmd = env.cargo();
                cmd.args(["check", "--manifest-path", "fuzz/Cargo.toml", "--bins"]);
                run(&mut cmd)
            },
        )?;
    }

    build_playground(steps, env)?;

    // The npm package (JS-API part of the project): its browser test page under tests/e2e/pages/
    // imports the built package, so it is built before the browser tests run.
    if Path::new("scripts/build-npm.sh").is_file() {
        steps.run("build: npm package (scripts/build-npm.sh)", || {
            let mut cmd = Command::new("bash");
            cmd.arg("scripts/build-npm.sh");
            env.apply(&mut cmd);
            run(&mut cmd)
        })?;
    }

    steps.test("test: browser end-to-end (headless Chromium)", || {
        let mut cmd = Command::new("node");
        cmd.arg("tests/e2e/run.mjs").env("E2E_DIST", "dist");
        run(&mut cmd)
    })?;

    let node_tests = proc::files_with_suffix(Path::new("tests/node"), &[".test.mjs", ".test.js"]);
    if !node_tests.is_empty() {
        steps.test("test: npm package (node --test tests/node/)", || {
            let mut cmd = Command::new("node");
            cmd.arg("--test").args(&node_tests);
            run(&mut cmd)
        })?;
    }
    Ok(())
}
