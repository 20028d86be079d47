//! Stage, resource and method routing of a REST API request (spec §0 steps 1–2, §2.1 `path`, §2.3).
//!
//! API (all pure, no allocation beyond the results):
//! - [`split_stage`]`(raw_path) -> Option<(stage, rest_path)>`: the first path segment is the stage; extra
//!   leading slashes are tolerated (`//prod/x`, `/prod//hardcoded` → `/hardcoded`). `rest_path` is exactly
//!   the Lambda proxy event's `path` (§2.1): leading `//` collapsed, inner `//` and a trailing slash kept,
//!   percent-escapes untouched. `None` when there is no stage segment (→ 403 MISSING_AUTHENTICATION_TOKEN).
//! - [`match_resource`]`(templates, rest_path) -> Option<RouteMatch>`: picks the resource whose path
//!   template matches, with precedence static segment > `{var}` > `{greedy+}` compared segment by segment
//!   from the left. Path parameters are the raw (still percent-encoded) segments; a greedy variable captures
//!   the remainder without the trailing slash. `/{proxy+}` never matches `/`.
//! - [`select_method`]`(available, method) -> Option<&str>`: an explicit method beats `ANY`; `ANY` covers
//!   `DELETE GET HEAD OPTIONS PATCH POST PUT`.
//!
//! Choices where AWS is undocumented (each marked \[INFER\] in the spec or here):
//! - Matching is case-sensitive and compares raw segments: `/hard%63oded` does not hit `/hardcoded`.
//! - An empty inner segment (`/a//b`) never binds a `{var}` (a greedy variable still captures it verbatim,
//!   as recorded for `/proxy-value//double-slash`).

/// The result of [`match_resource`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMatch {
    /// Index into the `templates` slice given to [`match_resource`].
    pub index: usize,
    /// `(name, raw value)` in template order; names without braces or `+`.
    pub path_params: Vec<(String, String)>,
}

/// The concrete methods an `ANY` method answers (spec §0 step 2).
pub const ANY_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Splits `/stage/rest` into the stage and the event path (spec §2.1, §2.3).
pub fn split_stage(raw_path: &str) -> Option<(&str, String)> {
    let trimmed = raw_path.trim_start_matches('/');
    let (stage, rest) = match trimmed.find('/') {
        Some(i) => (&trimmed[..i], &trimmed[i..]),
        None => (trimmed, ""),
    };
    if stage.is_empty() {
        return None;
    }
    Some((stage, event_path(rest)))
}

/// The proxy event `path` for a stage-less path: leading slashes collapse to one, everything else is
/// kept byte-for-byte (spec §2.1: `//x` → `/x`, `/proxy-value//double-slash` kept, `/proxy-value/` kept).
pub fn event_path(rest: &str) -> String {
    let inner = rest.trim_start_matches('/');
    format!("/{inner}")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SegKind {
    Static = 0,
    Var = 1,
    Greedy = 2,
}

/// Splits a template like `/orders/{id}` into segments; `/` has none.
fn template_segments(template: &str) -> Vec<&str> {
    template.split('/').filter(|s| !s.is_empty()).collect()
}

fn segment_kind(seg: &str) -> (SegKind, &str) {
    if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        if let Some(name) = inner.strip_suffix('+') {
            return (SegKind::Greedy, name);
        }
        return (SegKind::Var, inner);
    }
    (SegKind::Static, seg)
}

type Params = Vec<(String, String)>;

/// Matches one template; returns the per-segment kinds (for precedence) and the parameters.
fn match_one(
    template: &str,
    path_segs: &[&str],
    path_body: &str,
) -> Option<(Vec<SegKind>, Params)> {
    let tsegs = template_segments(template);
    let mut kinds = Vec::with_capacity(tsegs.len());
    let mut params = Vec::new();
    let mut consumed = 0usize; // byte offset into path_body of the next unmatched segment
    for (i, tseg) in tsegs.iter().enumerate() {
        let (kind, name) = segment_kind(tseg);
        match kind {
            SegKind::Greedy => {
                // Must be the last template segment (control plane enforces it, spec §2.3); it captures
                // one or more segments, i.e. a non-empty remainder.
                if i + 1 != tsegs.len() {
                    return None;
                }
                let rest = path_body.get(consumed..).unwrap_or("");
                if rest.is_empty() {
                    return None;
                }
                kinds.push(kind);
                params.push((name.to_string(), rest.to_string()));
                return Some((kinds, params));
            }
            SegKind::Static | SegKind::Var => {
                let seg = *path_segs.get(i)?;
                if kind == SegKind::Static && seg != name {
                    return None;
                }
                if kind == SegKind::Var {
                    if seg.is_empty() {
                        return None;
                    }
                    params.push((name.to_string(), seg.to_string()));
                }
                kinds.push(kind);
                consumed += seg.len() + 1;
            }
        }
    }
    if path_segs.len() != tsegs.len() {
        return None;
    }
    Some((kinds, params))
}

/// Finds the resource for `path` (an event path as returned by [`split_stage`]).
pub fn match_resource(templates: &[&str], path: &str) -> Option<RouteMatch> {
    // Body = the path without its leading slash and without one trailing slash (spec §2.3: a trailing
    // slash still matches; §2.1: greedy captures exclude it).
    let body = path.strip_prefix('/').unwrap_or(path);
    let body = body.strip_suffix('/').unwrap_or(body);
    let path_segs: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body.split('/').collect()
    };
    let mut best: Option<(Vec<SegKind>, RouteMatch)> = None;
    for (index, template) in templates.iter().enumerate() {
        if let Some((kinds, path_params)) = match_one(template, &path_segs, body) {
            let better = match &best {
                None => true,
                Some((best_kinds, _)) => kinds < *best_kinds,
            };
            if better {
                best = Some((kinds, RouteMatch { index, path_params }));
            }
        }
    }
    best.map(|(_, m)| m)
}

/// Picks the method entry that handles `method` (spec §0 step 2, §2.3).
pub fn select_method<'a>(available: &[&'a str], method: &str) -> Option<&'a str> {
    if let Some(m) = available.iter().find(|m| **m == method) {
        return Some(m);
    }
    if ANY_METHODS.contains(&method) {
        return available.iter().find(|m| **m == "ANY").copied();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_split_tolerates_extra_leading_slashes_spec_2_3() {
        assert_eq!(split_stage("/prod/x"), Some(("prod", "/x".to_string())));
        assert_eq!(split_stage("//prod/x"), Some(("prod", "/x".to_string())));
        assert_eq!(
            split_stage("/prod//hardcoded"),
            Some(("prod", "/hardcoded".to_string()))
        );
        assert_eq!(split_stage("/prod"), Some(("prod", "/".to_string())));
        assert_eq!(split_stage("/prod/"), Some(("prod", "/".to_string())));
        assert_eq!(split_stage("/"), None);
        assert_eq!(split_stage(""), None);
    }

    #[test]
    fn event_path_keeps_inner_double_slash_and_trailing_slash_spec_2_1() {
        assert_eq!(
            split_stage("/prod/proxy-value//double-slash").unwrap().1,
            "/proxy-value//double-slash"
        );
        assert_eq!(
            split_stage("/prod/proxy-value/").unwrap().1,
            "/proxy-value/"
        );
        assert_eq!(
            split_stage("/prod/test%2Balias@gmail.com").unwrap().1,
            "/test%2Balias@gmail.com"
        );
    }

    fn params(m: &RouteMatch) -> Vec<(&str, &str)> {
        m.path_params
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    #[test]
    fn static_beats_var_beats_greedy_spec_2_3() {
        let t = ["/{proxy+}", "/orders/{id}", "/orders/latest", "/"];
        assert_eq!(match_resource(&t, "/orders/latest").unwrap().index, 2);
        let m = match_resource(&t, "/orders/42").unwrap();
        assert_eq!((m.index, params(&m)), (1, vec![("id", "42")]));
        let m = match_resource(&t, "/orders/42/items").unwrap();
        assert_eq!(
            (m.index, params(&m)),
            (0, vec![("proxy", "orders/42/items")])
        );
        assert_eq!(match_resource(&t, "/").unwrap().index, 3);
    }

    #[test]
    fn greedy_proxy_does_not_match_root_spec_2_3() {
        assert_eq!(match_resource(&["/{proxy+}"], "/"), None);
        assert_eq!(match_resource(&["/{proxy+}"], "//"), None);
    }

    #[test]
    fn greedy_capture_drops_trailing_slash_keeps_inner_spec_2_1() {
        let m = match_resource(&["/{proxy+}"], "/proxy-value/").unwrap();
        assert_eq!(params(&m), vec![("proxy", "proxy-value")]);
        let m = match_resource(&["/{proxy+}"], "/proxy-value//double-slash").unwrap();
        assert_eq!(params(&m), vec![("proxy", "proxy-value//double-slash")]);
        let m = match_resource(&["/orders/{proxy+}"], "/orders/42/items").unwrap();
        assert_eq!(params(&m), vec![("proxy", "42/items")]);
    }

    #[test]
    fn trailing_slash_still_matches_static_spec_2_3() {
        assert_eq!(
            match_resource(&["/hardcoded"], "/hardcoded/")
                .unwrap()
                .index,
            0
        );
    }

    #[test]
    fn path_params_stay_percent_encoded_spec_2_1() {
        let m = match_resource(&["/users/{email}"], "/users/test%2Balias@gmail.com").unwrap();
        assert_eq!(params(&m), vec![("email", "test%2Balias@gmail.com")]);
    }

    #[test]
    fn unmatched_paths_return_none_spec_0() {
        let t = ["/orders", "/orders/{id}"];
        assert_eq!(match_resource(&t, "/users"), None);
        assert_eq!(match_resource(&t, "/orders/1/2"), None);
        assert_eq!(match_resource(&t, "/Orders"), None, "case-sensitive");
        assert_eq!(
            match_resource(&["/a/{id}/b"], "/a//b"),
            None,
            "empty segment binds no variable"
        );
    }

    #[test]
    fn explicit_method_beats_any_spec_0() {
        assert_eq!(select_method(&["ANY", "GET"], "GET"), Some("GET"));
        assert_eq!(select_method(&["ANY", "GET"], "POST"), Some("ANY"));
        assert_eq!(select_method(&["GET"], "POST"), None);
        for m in ANY_METHODS {
            assert_eq!(select_method(&["ANY"], m), Some("ANY"));
        }
        assert_eq!(
            select_method(&["ANY"], "TRACE"),
            None,
            "ANY covers only the seven methods"
        );
    }
}
