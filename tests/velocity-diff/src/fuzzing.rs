//! Shared by the cargo-fuzz targets (`fuzz/`) and the stable no-panic smoke test: tight limits,
//! a context with every kind of value, the bounded-render check, and input mutation.

use crate::rng::Rng;
use crate::{gen, json_to_value, DiffCase};

/// Limits small enough that any input finishes in milliseconds; a template that keeps going must
/// be stopped by them, not by the fuzzer's timeout.
pub fn fuzz_limits() -> vtl::Limits {
    vtl::Limits {
        max_foreach_iterations: 100,
        max_steps: 50_000,
        max_depth: 16,
        max_output_bytes: 64 * 1024,
        max_template_bytes: 64 * 1024,
    }
}

/// The variables of generated case 0: strings, numbers, lists, maps, null.
pub fn fuzz_context() -> vtl::Context {
    context_for(&gen::generate(0, 0))
}

pub fn context_for(case: &DiffCase) -> vtl::Context {
    let mut context = vtl::Context::new();
    for (name, value) in &case.vars {
        context.insert(name.clone(), json_to_value(value));
    }
    context
}

/// Parses and renders `source`; panics (a fuzz finding) if the output exceeds the limit. A panic
/// inside the engine propagates as is.
pub fn check_bounded(source: &str, context: &mut vtl::Context, limits: &vtl::Limits) {
    let template = vtl::Template::parse(source);
    for d in template.diagnostics() {
        // Diagnostics must be printable (their spans and messages are user-facing).
        let _ = d.to_string();
    }
    if let Ok(out) = template.render(context, limits) {
        assert!(
            out.len() <= limits.max_output_bytes,
            "output of {} bytes exceeds max_output_bytes {}",
            out.len(),
            limits.max_output_bytes
        );
    }
}

/// Reads a generated case number from the first 8 bytes and splices the rest into its template
/// at a position chosen by the input.
pub fn splice_generated(data: &[u8]) -> (DiffCase, vtl::Context) {
    let mut head = [0u8; 8];
    let n = data.len().min(8);
    head[..n].copy_from_slice(&data[..n]);
    let index = u64::from_le_bytes(head);
    let mut case = gen::generate(0x5eed, index % 1_000_000);
    let context = context_for(&case);
    let rest = String::from_utf8_lossy(data.get(8..).unwrap_or(&[]));
    if !rest.is_empty() {
        let chars: Vec<char> = case.template.chars().collect();
        let at = (index >> 20) as usize % (chars.len() + 1);
        let mut t: String = chars[..at].iter().collect();
        t.push_str(&rest);
        t.extend(chars[at..].iter());
        case.template = t;
    }
    (case, context)
}

/// VTL fragments that make mutations land on interesting syntax.
const TOKENS: &[&str] = &[
    "$",
    "$!",
    "${",
    "}",
    "#",
    "#if(",
    "#elseif(",
    "#else",
    "#end",
    "#{end}",
    "#set(",
    "#foreach(",
    " in ",
    "#break",
    "#stop",
    "#macro(",
    "#define(",
    "#evaluate(",
    "#parse(",
    "#include(",
    "##",
    "#*",
    "*#",
    "\\",
    "(",
    ")",
    "[",
    "]",
    "..",
    "\"",
    "'",
    "=",
    "==",
    "&&",
    "||",
    "!",
    ".",
    ",",
    "\n",
    " ",
    "$x",
    "$foreach.hasNext",
    "[1..1000]",
    "$m.a",
    "$l.get(0)",
    "#@",
    "#[[",
    "]]#",
    "${x.y(",
    "\u{0}",
    "é",
    "\r",
];

/// A random edit of `s`: delete, duplicate or swap a range, or insert a VTL token.
pub fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..rng.range(1, 4) {
        let len = chars.len();
        let a = rng.below(len + 1);
        let b = (a + rng.below(12)).min(len);
        match rng.below(4) {
            0 => {
                chars.drain(a..b);
            }
            1 => {
                let piece: Vec<char> = chars[a..b].to_vec();
                let at = rng.below(chars.len() + 1);
                chars.splice(at..at, piece);
            }
            2 if b > a => {
                let piece: Vec<char> = chars.drain(a..b).collect();
                let at = rng.below(chars.len() + 1);
                chars.splice(at..at, piece);
            }
            _ => {
                let tok = rng.pick_str(TOKENS);
                chars.splice(a..a, tok.chars());
            }
        }
    }
    chars.into_iter().collect()
}
