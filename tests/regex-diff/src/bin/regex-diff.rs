//! Driver for the regex differential test.
//!
//! ```text
//! regex-diff run [--seed S] [--count N] [--show K] [--class C] [--tolerated]
//!                                      a corpus; prints the summary and K differences (of class C)
//! regex-diff show --seed S --case I    one generated case, both engines' sections
//! regex-diff try --pattern P --input I [--replacement R]   the same for a given case
//! regex-diff case NAME (--seed S --case I | --pattern P --input I [--replacement R])
//!                 [--input-json '"a\r\n"'] [--desc TEXT] [--known-failure REASON]
//!                                      writes crates/vtl/tests/regex_cases/NAME.case with Java's output
//! regex-diff check                     re-verifies every regex case file against Java
//! ```

use regex_diff::{
    case_file_text, cases_dir, compare, format_diff, gen, java::Java, observe_vtl, run_corpus,
    RegexCase,
};
use velocity_diff::cli::{parse_args, Args};

fn main() {
    if let Err(e) = real_main() {
        eprintln!("regex-diff: {e}");
        std::process::exit(1);
    }
}

/// `--flag TEXT`, or `--flag-json '"a\\r\\n"'` for text a shell cannot pass.
fn string(args: &Args, flag: &str) -> Result<Option<String>, String> {
    if let Some(v) = args.flags.get(flag) {
        return Ok(Some(v.clone()));
    }
    match args.flags.get(&format!("{flag}-json")) {
        Some(j) => serde_json::from_str(j)
            .map(Some)
            .map_err(|e| format!("--{flag}-json: {e}")),
        None => Ok(None),
    }
}

fn real_main() -> Result<(), String> {
    let args = parse_args();
    let cmd = args.positional.first().map(String::as_str).unwrap_or("run");
    let java = Java::setup()?;
    match cmd {
        "run" => {
            let seed: u64 = args.num("seed", "DIFF_SEED", 1)?;
            let count: usize = args.num("count", "DIFF_COUNT", 10_000)?;
            let show: usize = args.num("show", "DIFF_SHOW", 10)?;
            let cases = gen::corpus(seed, count);
            let report = run_corpus(&java, &cases)?;
            let class = args.flags.get("class");
            let with_tolerated = args.flags.contains_key("tolerated");
            let mut shown = 0;
            for (i, case, j, v, verdict) in &report.diffs {
                if shown >= show {
                    break;
                }
                if verdict.tolerated.is_some() && !with_tolerated && class.is_none() {
                    continue;
                }
                if class.is_some_and(|c| verdict.class.as_deref() != Some(c.as_str())) {
                    continue;
                }
                shown += 1;
                println!(
                    "{}",
                    format_diff(&format!("seed {seed} case {i}"), case, j, v, verdict)
                );
            }
            println!("seed {seed}: {}", report.summary());
            Ok(())
        }
        "show" => {
            let case = generated(&args)?;
            show_one(&java, &case)
        }
        "try" => show_one(&java, &flag_case(&args)?),
        "case" => {
            let name = args
                .positional
                .get(1)
                .ok_or("usage: regex-diff case NAME ...")?;
            let case = if args.flags.contains_key("case") {
                generated(&args)?
            } else {
                flag_case(&args)?
            };
            let j = java
                .run_batch(std::slice::from_ref(&case))?
                .pop()
                .ok_or("no Java result")?;
            let desc = args.flags.get("desc").cloned().unwrap_or_default();
            let kf = args.flags.get("known-failure").map(String::as_str);
            let text = case_file_text(&desc, &case, &j, kf);
            let path = cases_dir().join(format!("{name}.case"));
            std::fs::write(&path, &text).map_err(|e| format!("write {}: {e}", path.display()))?;
            println!("wrote {}\n{text}", path.display());
            show_one(&java, &case)
        }
        "check" => {
            let bad = check_case_files(&java)?;
            if bad.is_empty() {
                println!("every case file agrees with Java");
                Ok(())
            } else {
                Err(bad.join("\n"))
            }
        }
        other => Err(format!(
            "unknown command {other:?} (run, show, try, case, check)"
        )),
    }
}

/// The case given by `--pattern`, `--input`, `--replacement` (or their `-json` forms).
fn flag_case(args: &Args) -> Result<RegexCase, String> {
    Ok(RegexCase {
        pattern: string(args, "pattern")?.ok_or("--pattern is required")?,
        input: string(args, "input")?.ok_or("--input is required")?,
        replacement: string(args, "replacement")?.unwrap_or_default(),
        features: Vec::new(),
    })
}

fn generated(args: &Args) -> Result<RegexCase, String> {
    let seed: u64 = args.num("seed", "DIFF_SEED", 1)?;
    let index: u64 = args.num("case", "DIFF_CASE", 0)?;
    Ok(gen::case(seed, index))
}

fn show_one(java: &Java, case: &RegexCase) -> Result<(), String> {
    let j = java
        .run_batch(std::slice::from_ref(case))?
        .pop()
        .ok_or("no Java result")?;
    let v = observe_vtl(case);
    let mut verdict = compare(case, &j, &v);
    // Show every section, not only the differing ones.
    verdict.sections = j.sections.iter().map(|(n, _)| *n).collect();
    println!("{}", format_diff("case", case, &j, &v, &verdict));
    Ok(())
}

/// Every case file whose Java-side sections no longer match what Java does.
fn check_case_files(java: &Java) -> Result<Vec<String>, String> {
    regex_diff::check_case_files(java, &cases_dir())
}
