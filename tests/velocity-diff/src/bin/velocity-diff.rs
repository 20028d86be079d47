//! Exploratory driver for the differential test.
//!
//! ```text
//! velocity-diff run [--seed S] [--count N] [--show K] [--rejected K] [--skip 'a|b']   long runs (env DIFF_SEED / DIFF_COUNT too)
//!                      [--methods [--gated]]              the method-call corpus (gen/methods.rs);
//!                                                         --gated leaves out gen::KNOWN_GAPS
//! velocity-diff show --seed S --case I [--minimize] [--methods]   one generated case, both outputs
//! velocity-diff case NAME (--seed S --case I [--minimize] | --template FILE [--vars FILE]) [--desc TEXT] [--dir methods]
//!                                                         write crates/vtl/tests/cases/from-diff/NAME.case
//!                                                         with Velocity's real output
//! velocity-diff check [FILE.case ...]                      re-render case files with Velocity and compare
//! velocity-diff splice ARTIFACT                            the template a `generated` fuzz input stands for
//! velocity-diff splice ARTIFACT                            the template a `generated` fuzz input stands for
//! ```

use std::path::{Path, PathBuf};
use velocity_diff::cli::parse_args;
use velocity_diff::{
    case_file_text, compare, diff_limits, format_mismatch, gen, java::Velocity, minimize::minimize,
    render_vtl, run_corpus, DiffCase, JsonMap,
};

fn main() {
    if let Err(e) = real_main() {
        eprintln!("velocity-diff: {e}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<(), String> {
    let args = parse_args();
    let cmd = args.positional.first().map(String::as_str).unwrap_or("run");
    let velocity = Velocity::setup()?;
    match cmd {
        "run" => {
            let seed: u64 = args.num("seed", "DIFF_SEED", 1)?;
            let count: usize = args.num("count", "DIFF_COUNT", 10_000)?;
            let show: usize = args.num("show", "DIFF_SHOW", 20)?;
            let start = std::time::Instant::now();
            let mut cases = if args.flags.contains_key("methods") {
                // `--methods` explores: the known gaps are generated too, unless `--gated` (the
                // corpus of the test `vtl_agrees_with_velocity_1_7_on_method_calls`).
                gen::method_corpus(seed, count, !args.flags.contains_key("gated"))
            } else {
                gen::corpus(seed, count)
            };
            // Mismatches are reported by their index in the generated corpus, so that `show
            // --case` finds them, also after `--skip` dropped some.
            let mut original_index: Vec<usize> = (0..cases.len()).collect();
            // Triage aid: drop templates containing any of these `|`-separated substrings, to see
            // the mismatch classes hidden behind a frequent one.
            if let Some(skip) = args
                .flags
                .get("skip")
                .cloned()
                .or_else(|| std::env::var("DIFF_SKIP").ok())
            {
                let needles: Vec<&str> = skip.split('|').filter(|n| !n.is_empty()).collect();
                let kept: Vec<(usize, DiffCase)> = cases
                    .into_iter()
                    .enumerate()
                    .filter(|(_, c)| !needles.iter().any(|n| c.template.contains(n)))
                    .collect();
                original_index = kept.iter().map(|(i, _)| *i).collect();
                cases = kept.into_iter().map(|(_, c)| c).collect();
            }
            let report = run_corpus(&velocity, &cases)?;
            // Tuning aid: show templates Velocity itself rejects, with its message.
            let rejected: usize = args.num("rejected", "DIFF_REJECTED", 0)?;
            if rejected > 0 {
                let outcomes = velocity.render_batch(&cases)?;
                for (case, out) in cases
                    .iter()
                    .zip(outcomes)
                    .filter(|(_, o)| o.is_failure())
                    .take(rejected)
                {
                    if let velocity_diff::Outcome::Failed { message, .. } = out {
                        let first = message.lines().next().unwrap_or("");
                        println!("--- {}\n{first}\n", velocity_diff::visible(&case.template));
                    }
                }
            }
            for (i, case, exp, act) in report.mismatches.iter().take(show) {
                println!(
                    "{}",
                    format_mismatch(
                        &format!(
                            "seed {seed} case {}",
                            original_index.get(*i).copied().unwrap_or(*i)
                        ),
                        case,
                        exp,
                        act
                    )
                );
            }
            println!(
                "seed {seed}: {} in {:.1?}",
                report.summary(),
                start.elapsed()
            );
        }
        "show" | "case" => {
            let (case, label) = if let Some(file) = args.flags.get("template") {
                let template = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
                let vars = match args.flags.get("vars") {
                    Some(f) => {
                        let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?;
                        serde_json::from_str::<JsonMap<String, serde_json::Value>>(&text)
                            .map_err(|e| format!("{f}: {e}"))?
                    }
                    None => JsonMap::new(),
                };
                (DiffCase { template, vars }, file.clone())
            } else {
                let seed: u64 = args.num("seed", "DIFF_SEED", 1)?;
                let index: u64 = args.num("case", "DIFF_CASE", 0)?;
                if args.flags.contains_key("methods") {
                    (
                        gen::generate_methods(seed, index, !args.flags.contains_key("gated")),
                        format!("methods seed {seed} case {index}"),
                    )
                } else {
                    (
                        gen::generate(seed, index),
                        format!("seed {seed} case {index}"),
                    )
                }
            };
            let (case, expected, actual) = if args.flags.contains_key("minimize") {
                minimize(&velocity, &case, 200)?
            } else {
                let expected = velocity
                    .render_batch(std::slice::from_ref(&case))?
                    .remove(0);
                let actual = render_vtl(&case, &diff_limits());
                (case, expected, actual)
            };
            let agreement = compare(&case, &expected, &actual);
            println!(
                "{}\nagreement: {agreement:?}",
                format_mismatch(&label, &case, &expected, &actual)
            );
            if cmd == "case" {
                let name = args.positional.get(1).ok_or("usage: case NAME ...")?;
                let desc = args
                    .flags
                    .get("desc")
                    .cloned()
                    .unwrap_or_else(|| format!("Found by the differential test ({label})."));
                // `--dir methods` writes into crates/vtl/tests/cases/methods/ instead.
                let sub = args.flags.get("dir").map_or("from-diff", String::as_str);
                let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../crates/vtl/tests/cases")
                    .join(sub);
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let path = dir.join(format!("{name}.case"));
                std::fs::write(&path, case_file_text(&desc, &case, &expected))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                println!("wrote {}", path.display());
            }
        }
        "check" => {
            let files: Vec<PathBuf> = if args.positional.len() > 1 {
                args.positional[1..].iter().map(PathBuf::from).collect()
            } else {
                velocity_diff::from_diff_case_files()
            };
            let bad = velocity_diff::check_case_files(&velocity, &files)?;
            for b in &bad {
                println!("{b}");
            }
            println!(
                "{} case file(s) checked, {} disagree with Velocity",
                files.len(),
                bad.len()
            );
        }
        "splice" => {
            // Replays a `generated` fuzz artifact on stable: prints the template it stands for.
            let file = args.positional.get(1).ok_or("usage: splice ARTIFACT")?;
            let data = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
            let (case, _) = velocity_diff::fuzzing::splice_generated(&data);
            let actual = render_vtl(&case, &velocity_diff::fuzzing::fuzz_limits());
            println!(
                "{}",
                format_mismatch(
                    file,
                    &case,
                    &velocity_diff::Outcome::Rendered(String::new()),
                    &actual
                )
            );
        }
        other => {
            return Err(format!(
                "unknown command {other:?} (run, show, case, check, splice)"
            ))
        }
    }
    Ok(())
}
