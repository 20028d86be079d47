//! Shrinks a mismatching template to a small one that still mismatches the same way, so a repro
//! case shows one problem. Greedy delta debugging: every round tries removing each line and
//! each chunk of characters (halves, quarters, … single characters), renders all candidates with
//! Velocity in one JVM run, and keeps the shortest candidate that still differs in the same shape.

use crate::{compare, diff_limits, java::Velocity, render_vtl, Agreement, DiffCase, Outcome};

/// The kind of disagreement, kept stable while shrinking so the repro does not drift to another bug.
fn shape(expected: &Outcome, actual: &Outcome) -> (bool, u8) {
    let a = match actual {
        Outcome::Rendered(_) => 0,
        Outcome::Failed { .. } => 1,
        Outcome::Panicked(_) => 2,
    };
    (expected.is_failure(), a)
}

pub fn minimize(
    velocity: &Velocity,
    case: &DiffCase,
    max_rounds: usize,
) -> Result<(DiffCase, Outcome, Outcome), String> {
    let limits = diff_limits();
    let mut best = case.clone();
    let mut expected = velocity
        .render_batch(std::slice::from_ref(&best))?
        .remove(0);
    let mut actual = render_vtl(&best, &limits);
    if compare(&best, &expected, &actual) != Agreement::Differ {
        return Err("the case does not mismatch".into());
    }
    let target = shape(&expected, &actual);
    for _ in 0..max_rounds {
        let chars: Vec<char> = best.template.chars().collect();
        let mut candidates: Vec<String> = Vec::new();
        // Whole lines first: removals that keep the layout of the remaining lines intact.
        let lines: Vec<&str> = best.template.split_inclusive('\n').collect();
        for i in 0..lines.len() {
            let t: String = lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| *l)
                .collect();
            candidates.push(t);
        }
        let mut size = chars.len() / 2;
        while size >= 1 {
            let mut start = 0;
            while start < chars.len() {
                let end = (start + size).min(chars.len());
                let t: String = chars[..start].iter().chain(chars[end..].iter()).collect();
                candidates.push(t);
                start += size;
            }
            size /= 2;
        }
        candidates.sort_by_key(|t| t.chars().count());
        candidates.dedup();
        let cases: Vec<DiffCase> = candidates
            .into_iter()
            .map(|template| DiffCase {
                template,
                vars: best.vars.clone(),
            })
            .collect();
        let outcomes = velocity.render_batch(&cases)?;
        let mut improved = false;
        for (cand, exp) in cases.into_iter().zip(outcomes) {
            if cand.template.len() >= best.template.len() {
                break;
            }
            let act = render_vtl(&cand, &limits);
            if compare(&cand, &exp, &act) == Agreement::Differ && shape(&exp, &act) == target {
                best = cand;
                expected = exp;
                actual = act;
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
    Ok((best, expected, actual))
}
