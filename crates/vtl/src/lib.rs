//! Apache Velocity 1.7, as a pure library: no IO, no panics on any input, every loop,
//! recursion and output bounded by [`Limits`].
//!
//! Public contract used by the other crates (keep it stable; internals are free to change):
//! - [`Template::parse`] never fails: it returns the tree it could build plus [`Diagnostic`]s.
//! - [`Template::render`] evaluates against a [`Context`] of global variables.
//! - [`Value`] is the Java-like value model; [`HostObject`] lets an embedder (API Gateway's
//!   `$input`, `$util`) expose methods and properties.
//! - [`java_regex`] is a Java `java.util.regex` engine of its own (a backtracker, as Java's is;
//!   also used by the gateway for `selectionPattern` and JSON-schema `pattern`).
//!
//! Fidelity: outputs are checked against the real Velocity 1.7 jar (`tests/cases`, produced with
//! `tests/java/run.sh`), including 1.7's whitespace gobbling (a directive's `)`, `#end`, `#else`
//! and `##` comments swallow the rest of their line; `#set` also swallows the indentation before
//! it when that starts a token), escaping, `#set` with a null right side (no change), literal
//! truthiness (`#if("a")` is false), MathUtils arithmetic (Integer → Long → BigInteger), and
//! `Double.toString` digits of Java 8–18.
//!
//! Limits and decisions:
//! - `#foreach` stops silently after [`Limits::max_foreach_iterations`] (API Gateway's 1000,
//!   spec §7.6), the way Velocity's `directive.foreach.maxloops` does.
//! - Macro calls nest at most 20 deep (Velocity's `velocimacro.max.depth`), then rendering fails
//!   with Velocity's message; `#evaluate`/`#define` nesting is bounded by [`Limits::max_depth`].
//! - Steps ([`Limits::max_steps`]) count nodes, expression evaluations and the work done inside
//!   string/collection methods; output, strings and collections are size-bounded.
//! - The parser never recurses deeper than 150 levels: deeper input is a diagnostic.
//! - `#parse` and `#include` are errors (no files in API Gateway).

mod eval;
pub mod java_regex;
pub mod jchar;
mod jchar_tables;
mod jdouble;
mod methods;
mod parser;
mod value;

pub use value::{write_integer, HostObject, Map, Value};

use std::fmt;
use std::rc::Rc;

/// A position in the template source: 1-based line and column (in characters), plus byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found while parsing, with a sentence a person understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Span,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.span.line, self.span.column, self.message
        )
    }
}

/// Bounds on evaluation. Defaults follow API Gateway's quotas where it has them.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum iterations of one `#foreach` (API Gateway: 1000).
    pub max_foreach_iterations: usize,
    /// Total evaluation steps (nodes visited) before giving up.
    pub max_steps: u64,
    /// Maximum macro / evaluate / expression nesting depth.
    pub max_depth: usize,
    /// Maximum output size in bytes.
    pub max_output_bytes: usize,
    /// Maximum template source size in bytes (API Gateway: 300 KB).
    pub max_template_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_foreach_iterations: 1000,
            max_steps: 10_000_000,
            max_depth: 64,
            max_output_bytes: 10 * 1024 * 1024,
            max_template_bytes: 300 * 1024,
        }
    }
}

/// Why rendering stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderError {
    pub message: String,
    pub span: Option<Span>,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span {
            Some(s) => write!(f, "{}:{}: {}", s.line, s.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RenderError {}

/// The FxHash function (as used by rustc): variable names are short and not attacker-chosen
/// in a way that matters for a per-render map, and SipHash dominated render profiles.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Global variables visible to a template (`$name`).
#[derive(Default, Debug, Clone)]
pub struct Context {
    vars: indexmap::IndexMap<String, Value, std::hash::BuildHasherDefault<FxHasher>>,
    null_renders_empty: bool,
    /// See [`Context::set_values_acyclic`].
    values_acyclic: bool,
    /// See [`Context::removals`].
    removals: u32,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }
    /// An empty context with room for `n` variables (an embedder's globals plus a template's).
    pub fn with_capacity(n: usize) -> Self {
        Context {
            vars: indexmap::IndexMap::with_capacity_and_hasher(n, Default::default()),
            ..Self::default()
        }
    }
    pub fn insert(&mut self, name: impl Into<String>, value: Value) {
        self.vars.insert(name.into(), value);
    }
    /// Sets an existing variable without allocating its name, or inserts it.
    pub(crate) fn set(&mut self, name: &str, value: Value) {
        match value::map_index(&self.vars, name).and_then(|i| self.vars.get_index_mut(i)) {
            Some((_, slot)) => *slot = value,
            None => {
                self.vars.insert(name.to_string(), value);
            }
        }
    }
    pub fn get(&self, name: &str) -> Option<&Value> {
        value::map_get(&self.vars, name)
    }
    /// [`Context::get`], trying the slot `hint` first (a reference's last answer, updated on a
    /// miss): a name comparison instead of a hash when the variables kept their places.
    pub(crate) fn get_hinted(&self, name: &str, hint: &std::cell::Cell<u32>) -> Option<&Value> {
        if let Some((k, v)) = self.vars.get_index(hint.get() as usize) {
            if k == name {
                return Some(v);
            }
        }
        let i = value::map_index(&self.vars, name)?;
        hint.set(u32::try_from(i).unwrap_or(u32::MAX));
        self.vars.get_index(i).map(|(_, v)| v)
    }
    /// Sets a global; a name already present keeps its slot (no allocation), a new one is
    /// added at the end.
    pub fn put(&mut self, name: &str, value: Value) {
        self.set(name, value);
    }
    /// Readies the context for another rendering without giving its memory back: what
    /// dropping it would do (collect the cycles a template may have tied), then only the first
    /// `keep` globals remain, with null values, for the embedder to [`Context::put`] again.
    pub fn recycle(&mut self, keep: usize) {
        if !self.values_acyclic {
            value::free_cycles(self.vars.values());
        }
        self.vars.truncate(keep);
        for v in self.vars.values_mut() {
            *v = Value::Null;
        }
    }
    /// Replaces the value of the `index`-th variable (in insertion order), for an embedder
    /// putting its globals back into a [`Context::recycle`]d context without looking their
    /// names up. Gives the value back when there is no such variable.
    pub fn put_at(&mut self, index: usize, value: Value) -> Result<(), Value> {
        match self.vars.get_index_mut(index) {
            Some((_, slot)) => {
                *slot = value;
                Ok(())
            }
            None => Err(value),
        }
    }
    /// How many variables were removed so far (by templates: a `#foreach` variable when its
    /// loop ends). The only change that moves a name to another position: while this count
    /// is unchanged, the first names stay where they were.
    pub fn removals(&self) -> u32 {
        self.removals
    }
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.removals = self.removals.wrapping_add(1);
        self.vars.shift_remove(name)
    }
    /// All globals, in insertion order (including those the template `#set`).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// `false` (default): stock Velocity 1.7, an undefined or null `$x` renders as the text
    /// `$x`. `true`: API Gateway (spec §7.1), it renders as nothing, and `==`/`!=` treat a
    /// null compared with a string as `""`.
    pub fn set_null_renders_empty(&mut self, on: bool) {
        self.null_renders_empty = on;
    }
    pub fn null_renders_empty(&self) -> bool {
        self.null_renders_empty
    }
    /// The embedder's promise that the values it inserted hold no reference cycles (values
    /// converted from JSON cannot). Dropping the context then skips the cycle collection
    /// (a walk of everything reachable, a few percent of a small render) unless a template
    /// that can change containers ([`Template::changes_nothing`] false) was rendered with it:
    /// only such a template can tie a cycle.
    pub fn set_values_acyclic(&mut self, on: bool) {
        self.values_acyclic = on;
    }
}

/// `#set($m.self = $m)` makes a map that contains itself: an `Rc` cycle that would never be
/// freed (Java's garbage collector has no such problem). When the context goes, containers
/// that only it could reach are emptied, which frees any cycle among them; containers that
/// anything else still holds (a clone of the context, the embedder, a host object) are left
/// exactly as they are.
impl Drop for Context {
    fn drop(&mut self) {
        if !self.values_acyclic {
            value::free_cycles(self.vars.values());
        }
    }
}

/// A parsed template. Parse once, render many times (cloning is cheap).
#[derive(Clone)]
pub struct Template {
    inner: Rc<parser::Parsed>,
    source_len: usize,
    /// See [`Template::changes_nothing`].
    changes_nothing: bool,
    /// The length of the last output, reserved up front by the next rendering: a template
    /// rendered many times then builds its output without growing it step by step (each
    /// step a reallocation and copy, dear in wasm's allocator).
    output_hint: std::cell::Cell<usize>,
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("diagnostics", &self.inner.diagnostics)
            .finish_non_exhaustive()
    }
}

impl Template {
    /// Parses `source`. Never fails: syntax errors are reported in [`Template::diagnostics`].
    /// A source longer than API Gateway's 300 KB (spec §7.6) is reported as an error too.
    pub fn parse(source: &str) -> Template {
        let mut parsed = parser::parse_template(source);
        let max = Limits::default().max_template_bytes;
        if source.len() > max {
            parsed.diagnostics.insert(
                0,
                Diagnostic {
                    severity: Severity::Error,
                    message: format!(
                        "template is {} bytes, more than the {max} bytes allowed",
                        source.len()
                    ),
                    span: Span {
                        start: 0,
                        end: 0,
                        line: 1,
                        column: 1,
                    },
                },
            );
        }
        Template {
            changes_nothing: eval::changes_nothing(&parsed),
            output_hint: std::cell::Cell::new(0),
            inner: Rc::new(parsed),
            source_len: source.len(),
        }
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.inner.diagnostics
    }

    /// True when no rendering of this template can change a list or map it did not create
    /// itself (no `put`/`add`/`remove`..., no `#set($a.b = ..)`, no `#evaluate`; a
    /// conservative test of the parsed tree). An embedder rendering one input many times may
    /// then share that input's converted values between renderings instead of copying them.
    pub fn changes_nothing(&self) -> bool {
        self.changes_nothing
    }

    pub fn has_errors(&self) -> bool {
        self.inner
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Renders with the given globals. `#set` on globals is visible to the caller afterwards
    /// (API Gateway reads `$context.responseOverride` after rendering). A template with
    /// syntax errors renders what could be parsed (callers should check [`Template::has_errors`]).
    pub fn render(&self, context: &mut Context, limits: &Limits) -> Result<String, RenderError> {
        if self.source_len > limits.max_template_bytes {
            return Err(RenderError {
                message: format!(
                    "template is {} bytes, more than the {} bytes allowed",
                    self.source_len, limits.max_template_bytes
                ),
                span: None,
            });
        }
        if !self.changes_nothing {
            // This template may tie a cycle: the context's drop must look for them.
            context.values_acyclic = false;
        }
        let mut rt = eval::Runtime::new(context, limits, &self.inner.macros);
        // Bounded by the output limit, so a hint never reserves more than a render may write.
        rt.out
            .reserve(self.output_hint.get().min(limits.max_output_bytes));
        rt.set_loop_variables(self.inner.loop_counters, self.inner.loop_scope);
        rt.render_template(&self.inner.block)?;
        self.output_hint.set(rt.out.len());
        Ok(rt.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_at_replaces_in_place_and_removals_count_what_can_move_names() {
        let mut cx = Context::new();
        cx.put("input", Value::Int(1));
        cx.put("util", Value::Int(2));
        assert!(cx.put_at(1, Value::Int(3)).is_ok());
        assert!(matches!(cx.get("util"), Some(Value::Int(3))));
        assert!(matches!(cx.put_at(2, Value::Int(4)), Err(Value::Int(4))));
        // A #foreach variable new to the context is removed when its loop ends.
        let t = Template::parse("#foreach($x in [1])$x#end");
        let before = cx.removals();
        assert_eq!(
            t.render(&mut cx, &Limits::default()).ok().as_deref(),
            Some("1")
        );
        assert_eq!(cx.removals(), before + 1);
        assert_eq!(
            cx.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["input", "util"]
        );
    }
}
