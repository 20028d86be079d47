//! `apigw`: the simulator on the command line.
//!
//! `render` (mapping templates) lives in render.rs, `run` (whole scenarios) in run.rs.

mod render;
mod run;

const HELP: &str = "apigw: Amazon API Gateway REST API simulator

USAGE:
    apigw render CASE.json|-    render a mapping template case
    apigw run SCENARIO.json|-   run a request through an API definition
    apigw help [COMMAND]        show help

Run `apigw help render` or `apigw help run` for the file formats.";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("render") => render::main(&args[1..]),
        Some("run") => run::main(&args[1..]),
        Some("help") | Some("--help") | Some("-h") => match args.get(1).map(String::as_str) {
            Some("render") => render::main(&["--help".to_string()]),
            Some("run") => run::main(&["--help".to_string()]),
            _ => {
                println!("{HELP}");
                0
            }
        },
        Some("--version") | Some("-V") => {
            println!("apigw {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some(other) => {
            eprintln!("apigw: unknown command `{other}`\n\n{HELP}");
            2
        }
        None => {
            eprintln!("{HELP}");
            2
        }
    };
    std::process::exit(code);
}

/// Reads a file argument, where `-` means standard input.
pub fn read_input(path: &str) -> Result<String, String> {
    use std::io::Read as _;
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}
