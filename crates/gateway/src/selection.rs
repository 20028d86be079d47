//! Integration-response selection (spec §4.2, §5.2, §6).
//!
//! `selectionPattern` is a Java regex matched against the WHOLE string (`Pattern.matches`): for Lambda
//! custom integrations the function error's `errorMessage` (the empty string on success, so a pattern
//! that matches "" such as `.*` also captures successes), for HTTP and MOCK the status code as text.
//! Non-default patterns are tried in the order the scenario lists them (which one wins when several
//! match is unspecified by AWS; first-listed is LocalStack's choice, spec §4.2 [INFER]); when none
//! matches, the default response (no pattern, or `""`) is used.

use indexmap::IndexMap;
use vtl::java_regex::{JavaRegex, StepBudget, DEFAULT_STEPS};

use crate::scenario::IntegrationResponse;

/// Compiled patterns by source text: a scenario is checked and then run (and the playground re-runs it on
/// every edit), so each pattern would otherwise be compiled again each time. Bounded; results are identical
/// with or without the cache.
const CACHE_LIMIT: usize = 256;

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Result<JavaRegex, String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Compiles a user's selectionPattern (Java syntax, size-limited; unsupported constructs are errors).
pub fn compile(pattern: &str) -> Result<JavaRegex, String> {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return hit;
    }
    let compiled = JavaRegex::compile(pattern).map_err(|e| e.to_string());
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(pattern.to_string(), compiled.clone());
    });
    compiled
}

#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Key of the chosen entry in `integrationResponses`.
    pub key: String,
    pub pattern: Option<String>,
    /// The string the patterns were matched against.
    pub subject: String,
    /// True when no pattern matched and the default entry was used.
    pub by_default: bool,
}

/// Chooses an integration response for `subject`; notes say why.
pub fn select(
    responses: &IndexMap<String, IntegrationResponse>,
    subject: &str,
    what: &str,
) -> (Option<Selection>, Vec<String>) {
    let mut notes = Vec::new();
    for (key, r) in responses {
        let Some(p) = r.selection_pattern.as_deref().filter(|p| !p.is_empty()) else {
            continue;
        };
        match compile(p) {
            Ok(re) => {
                let mut budget = StepBudget::new(DEFAULT_STEPS);
                let matched = match re.try_is_match_whole(subject, &mut budget) {
                    Ok(m) => m,
                    // Java has no step bound: AWS would spend unbounded time in this match
                    // (catastrophic backtracking). The simulation stops and says so.
                    Err(e) => {
                        notes.push(format!(
                            "selectionPattern {p:?} (integrationResponses.{key}) treated as not matching {what} {subject:?}: {}. \u{2248} Java has no step bound: on AWS this match would run for an unbounded time",
                            e.message
                        ));
                        continue;
                    }
                };
                if matched {
                    notes.push(format!(
                        "selectionPattern {p:?} (integrationResponses.{key}) matched {what} {subject:?} as a whole-string Java regex (spec §4.2)"
                    ));
                    return (
                        Some(Selection {
                            key: key.clone(),
                            pattern: Some(p.to_string()),
                            subject: subject.to_string(),
                            by_default: false,
                        }),
                        notes,
                    );
                }
                notes.push(format!("selectionPattern {p:?} (integrationResponses.{key}) did not match {what} {subject:?} (whole-string match)"));
            }
            // Checked at load time; kept so a bad pattern can never panic here.
            Err(e) => notes.push(format!("selectionPattern {p:?} skipped: {e}")),
        }
    }
    let default = responses
        .iter()
        .find(|(_, r)| r.selection_pattern.as_deref().is_none_or(str::is_empty));
    match default {
        Some((key, _)) => {
            notes.push(format!("no selectionPattern matched; using the default response integrationResponses.{key} (no selectionPattern)"));
            (
                Some(Selection {
                    key: key.clone(),
                    pattern: None,
                    subject: subject.to_string(),
                    by_default: true,
                }),
                notes,
            )
        }
        None => {
            notes.push("no selectionPattern matched and there is no default response".to_string());
            (None, notes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn responses(list: &[(&str, Option<&str>)]) -> IndexMap<String, IntegrationResponse> {
        list.iter()
            .map(|(k, p)| {
                (
                    k.to_string(),
                    IntegrationResponse {
                        status_code: Some(k.to_string()),
                        selection_pattern: p.map(str::to_string),
                        ..Default::default()
                    },
                )
            })
            .collect()
    }

    #[test]
    fn recorded_selection_example_spec_4_2() {
        let r = responses(&[
            ("200", Some("")),
            ("405", Some(".*four hundred.*")),
            ("502", Some(".+")),
        ]);
        assert_eq!(select(&r, "", "errorMessage").0.unwrap().key, "200");
        assert_eq!(
            select(
                &r,
                "Error: Raising four hundred from within the Lambda function",
                "e"
            )
            .0
            .unwrap()
            .key,
            "405"
        );
        assert_eq!(
            select(
                &r,
                "Error: Raising five hundred from within the Lambda function",
                "e"
            )
            .0
            .unwrap()
            .key,
            "502"
        );
    }

    #[test]
    fn invalid_star_does_not_match_invalid_input_whole_string_spec_4_2() {
        let r = responses(&[("200", None), ("400", Some("Invalid*"))]);
        assert_eq!(select(&r, "Invalid input", "e").0.unwrap().key, "200");
        let r = responses(&[("200", None), ("400", Some("Invalid.*"))]);
        assert_eq!(select(&r, "Invalid input", "e").0.unwrap().key, "400");
    }

    #[test]
    fn dot_does_not_match_newline_spec_4_2() {
        let r = responses(&[("200", None), ("400", Some("Bad.*"))]);
        assert_eq!(select(&r, "Bad\nthing", "e").0.unwrap().key, "200");
        let r = responses(&[("200", None), ("400", Some("Bad(\\n|.)*"))]);
        assert_eq!(select(&r, "Bad\nthing", "e").0.unwrap().key, "400");
    }

    #[test]
    fn status_pattern_4xx_spec_5_2() {
        let r = responses(&[("200", None), ("400", Some("4\\d{2}"))]);
        assert_eq!(select(&r, "404", "status").0.unwrap().key, "400");
        assert_eq!(select(&r, "201", "status").0.unwrap().key, "200");
    }

    #[test]
    fn no_default_and_no_match_is_none_spec_4_2() {
        let r = responses(&[("400", Some("4\\d{2}"))]);
        assert!(select(&r, "200", "status").0.is_none());
    }

    #[test]
    fn a_selection_pattern_that_backtracks_without_end_is_stopped_and_said() {
        // `(a+)+b\1`: exponential in Java too (backreferences turn off Java 9's loop memo).
        let r = responses(&[("400", Some("(a+)+b\\1")), ("200", None)]);
        let (sel, notes) = select(&r, &"a".repeat(40), "errorMessage");
        assert_eq!(sel.map(|s| s.key), Some("200".to_string()));
        assert!(
            notes[0].contains("regular expression search stopped")
                && notes[0].contains("unbounded time"),
            "{notes:?}"
        );
    }

    #[test]
    fn backreference_and_lookahead_follow_java() {
        // vtl::java_regex is a Java-faithful backtracker: both constructs compile and match.
        assert!(compile("(a)\\1").unwrap().is_match_whole("aa"));
        assert!(compile("(?=a)a").unwrap().is_match_whole("a"));
        assert!(compile("(a").is_err());
    }
}
