//! The evaluator: walks the parsed tree with Velocity 1.7's runtime rules, bounded by
//! [`Limits`] (steps, depth, output size, `#foreach` iterations).

use crate::methods::{self, Call, RegexCache};
use crate::parser::{self, BinOp, Block, CallNode, Expr, MacroDef, Node, Part, Reference};
use crate::value::{HostObject, Value};
use crate::{Context, Limits, RenderError, Span};
use std::collections::HashMap;
use std::rc::Rc;

/// Velocity 1.7's `velocimacro.max.depth`.
const VELOCITY_MACRO_DEPTH: usize = 20;
/// Largest `[a..b]` range materialized as a list.
const MAX_RANGE: i64 = 10_000_000;
/// Property name that identifies a `#define` block (not reachable from templates: it contains NUL).
const DEFINE_ID: &str = "\0vtl-define";

pub(crate) enum Ctl {
    Break,
    Stop,
    Err(RenderError),
}

type R<T> = Result<T, Ctl>;

fn err<T>(message: impl Into<String>, span: Option<Span>) -> R<T> {
    Err(Ctl::Err(RenderError {
        message: message.into(),
        span,
    }))
}

/// A `#define` block or a block macro's `$bodyContent`: rendered when referenced.
struct DefineBlock {
    id: usize,
}

impl HostObject for DefineBlock {
    fn type_name(&self) -> &str {
        "org.apache.velocity.runtime.directive.Block$Reference"
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        (name == DEFINE_ID).then_some(Value::Int(self.id as i32))
    }
    fn to_java_string(&self) -> String {
        String::new()
    }
}

/// `$foreach` (1.7's ForeachScope).
struct ForeachScope {
    index: i32,
    has_next: bool,
    parent: Value,
}

impl HostObject for ForeachScope {
    fn type_name(&self) -> &str {
        "org.apache.velocity.runtime.directive.ForeachScope"
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        Some(match name {
            "index" => Value::Int(self.index),
            "count" => Value::Int(self.index + 1),
            "hasNext" => Value::Bool(self.has_next),
            "first" => Value::Bool(self.index == 0),
            "last" => Value::Bool(!self.has_next),
            "parent" => self.parent.clone(),
            _ => return None,
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !args.is_empty() {
            return None;
        }
        let prop = match name {
            "getIndex" => "index",
            "getCount" => "count",
            "hasNext" | "getHasNext" => "hasNext",
            "isFirst" | "getFirst" => "first",
            "isLast" | "getLast" => "last",
            "getParent" => "parent",
            _ => return None,
        };
        self.get_property(prop).map(Ok)
    }
    /// 1.7's scope object is a map of its extra entries: empty, so `{}`.
    fn to_java_string(&self) -> String {
        "{}".into()
    }
}

enum Local {
    Val(Value),
    /// Pass-by-name macro argument: re-evaluated in the caller's scope at each use.
    Expr(Rc<Expr>, Option<usize>),
}

struct Frame {
    locals: Vec<(Rc<str>, Local)>,
    parent: Option<usize>,
    macro_name: Rc<str>,
}

pub(crate) struct Runtime<'a> {
    ctx: &'a mut Context,
    limits: &'a Limits,
    pub out: String,
    steps: u64,
    depth: usize,
    /// The template's macros, and those defined later by `#evaluate`.
    macros: &'a HashMap<Rc<str>, Rc<MacroDef>>,
    extra_macros: HashMap<Rc<str>, Rc<MacroDef>>,
    frames: Vec<Frame>,
    cur: Option<usize>,
    blocks: Vec<Rc<Block>>,
    regexes: RegexCache,
    null_empty: bool,
    loop_counters: bool,
    loop_scope: bool,
    /// Loop variables whose current item is null: 1.7 renders such a loop body through a
    /// `NullHolderContext` whose `get` of that name is always null, even in nested loops that
    /// reuse the name.
    /// Each entry is a loop's `NullHolderContext`: the name it hides and whether it is still
    /// active (1.7 deactivates it when the name is removed through it — an inner loop on the
    /// same name ending — and keeps one holder per loop run).
    masked: Vec<(Rc<str>, Rc<std::cell::Cell<bool>>)>,
}

fn truthy_value(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => true,
    }
}

impl<'a> Runtime<'a> {
    pub(crate) fn new(
        ctx: &'a mut Context,
        limits: &'a Limits,
        macros: &'a HashMap<Rc<str>, Rc<MacroDef>>,
    ) -> Self {
        let null_empty = ctx.null_renders_empty();
        Runtime {
            ctx,
            limits,
            out: String::new(),
            steps: 0,
            depth: 0,
            macros,
            extra_macros: HashMap::new(),
            frames: Vec::new(),
            cur: None,
            blocks: Vec::new(),
            regexes: RegexCache::default(),
            null_empty,
            masked: Vec::new(),
            loop_counters: true,
            loop_scope: true,
        }
    }

    pub(crate) fn set_loop_variables(&mut self, counters: bool, scope: bool) {
        self.loop_counters = counters;
        self.loop_scope = scope;
    }

    /// Renders a whole template: `#stop` and a top-level `#break` end it quietly.
    pub(crate) fn render_template(&mut self, block: &Block) -> Result<(), RenderError> {
        match self.block(block) {
            Ok(()) | Err(Ctl::Break) | Err(Ctl::Stop) => Ok(()),
            Err(Ctl::Err(e)) => Err(e),
        }
    }

    fn step(&mut self, span: Option<Span>) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return err(
                format!(
                    "template exceeded {} evaluation steps",
                    self.limits.max_steps
                ),
                span,
            );
        }
        Ok(())
    }

    fn write(&mut self, s: &str) -> R<()> {
        self.out.push_str(s);
        self.check_output()
    }

    fn check_output(&self) -> R<()> {
        if self.out.len() > self.limits.max_output_bytes {
            return err(
                format!("output exceeded {} bytes", self.limits.max_output_bytes),
                None,
            );
        }
        Ok(())
    }

    fn enter(&mut self, span: Option<Span>) -> R<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return err(
                format!(
                    "nesting exceeded {} levels (macros, #evaluate, #define)",
                    self.limits.max_depth
                ),
                span,
            );
        }
        Ok(())
    }

    // ---------------------------------------------------------------- variables

    fn lookup(&mut self, name: &str) -> R<Value> {
        self.lookup_hinted(name, None)
    }

    /// [`Runtime::lookup`] of a reference's root, with the reference's slot hint for globals.
    fn lookup_ref(&mut self, r: &Reference) -> R<Value> {
        self.lookup_hinted(&r.root, Some(&r.slot))
    }

    fn lookup_hinted(&mut self, name: &str, hint: Option<&std::cell::Cell<u32>>) -> R<Value> {
        if !self.masked.is_empty() && self.masked.iter().any(|(m, on)| &**m == name && on.get()) {
            return Ok(Value::Null);
        }
        let mut f = self.cur;
        while let Some(i) = f {
            let frame = &self.frames[i];
            if let Some((_, l)) = frame.locals.iter().find(|(n, _)| &**n == name) {
                return match l {
                    Local::Val(v) => Ok(v.clone()),
                    Local::Expr(e, caller) => {
                        let (e, caller) = (e.clone(), *caller);
                        let saved = self.cur;
                        self.cur = caller;
                        let r = self.eval(&e);
                        self.cur = saved;
                        r
                    }
                };
            }
            f = frame.parent;
        }
        let global = match hint {
            Some(hint) => self.ctx.get_hinted(name, hint),
            None => self.ctx.get(name),
        };
        Ok(global.cloned().unwrap_or(Value::Null))
    }

    /// `#set($name = v)`: a macro-local name (argument) is set locally, anything else globally.
    fn assign(&mut self, name: &Rc<str>, v: Value) {
        // Putting null under a hidden name through a null holder turns it back on.
        if v.is_null() && !self.masked.is_empty() {
            if let Some((_, on)) = self.masked.iter().rev().find(|(m, _)| m == name) {
                on.set(true);
            }
        }
        let mut f = self.cur;
        while let Some(i) = f {
            if let Some(slot) = self.frames[i].locals.iter_mut().find(|(n, _)| n == name) {
                slot.1 = Local::Val(v);
                return;
            }
            f = self.frames[i].parent;
        }
        self.ctx.set(name, v);
    }

    /// Removes/restores a loop variable after `#foreach` (1.7 restores the previous value).
    fn restore(&mut self, name: &Rc<str>, old: Option<Value>) {
        match old {
            Some(v) => self.assign(name, v),
            None => {
                // Removing a name through an active null holder turns that holder off.
                if let Some((_, on)) = self
                    .masked
                    .iter()
                    .rev()
                    .find(|(m, on)| m == name && on.get())
                {
                    on.set(false);
                }
                let mut f = self.cur;
                while let Some(i) = f {
                    if let Some(slot) = self.frames[i].locals.iter_mut().find(|(n, _)| n == name) {
                        slot.1 = Local::Val(Value::Null);
                        return;
                    }
                    f = self.frames[i].parent;
                }
                self.ctx.remove(name);
            }
        }
    }

    fn current(&mut self, name: &str) -> R<Option<Value>> {
        let v = self.lookup(name)?;
        Ok((!v.is_null()).then_some(v))
    }

    // ---------------------------------------------------------------- rendering

    fn block(&mut self, block: &Block) -> R<()> {
        for n in block {
            self.node(n)?;
        }
        Ok(())
    }

    fn node(&mut self, node: &Node) -> R<()> {
        self.step(None)?;
        match node {
            Node::Text(t) => self.write(t),
            Node::Pending(t) => self.write(t),
            Node::Raw(t) => self.write(t),
            Node::Ref(r) => self.render_ref(r),
            Node::Set(s) => {
                let v = self.eval(&s.value)?;
                // directive.set.null.allowed=false: a null right side leaves the left unchanged.
                if v.is_null() {
                    return Ok(());
                }
                self.set_ref(&s.target, v)
            }
            Node::If(i) => {
                for (cond, body) in &i.branches {
                    if self.truthy(cond)? {
                        return self.block(body);
                    }
                }
                if let Some(b) = &i.otherwise {
                    return self.block(b);
                }
                Ok(())
            }
            Node::Foreach(f) => self.foreach(f),
            Node::Call(c) => self.call_macro(c),
            Node::Define(d) => {
                let id = self.blocks.len();
                self.blocks.push(d.body.clone());
                self.set_ref(&d.target, Value::Object(Rc::new(DefineBlock { id })))
            }
            Node::Evaluate(e, span) => self.evaluate(e, *span),
            Node::Break => Err(Ctl::Break),
            Node::Stop => Err(Ctl::Stop),
            Node::Fail(msg, span) => err(msg.to_string(), Some(*span)),
        }
    }

    fn define_id(&self, v: &Value) -> Option<usize> {
        if let Value::Object(o) = v {
            if let Some(Value::Int(id)) = o.get_property(DEFINE_ID) {
                return Some(id as usize);
            }
        }
        None
    }

    fn render_define(&mut self, id: usize, span: Span) -> R<()> {
        let Some(b) = self.blocks.get(id).cloned() else {
            return Ok(());
        };
        self.enter(Some(span))?;
        let r = self.block(&b);
        self.depth -= 1;
        match r {
            Err(Ctl::Break) => Ok(()),
            other => other,
        }
    }

    fn render_ref(&mut self, r: &Reference) -> R<()> {
        let v = self.eval_ref(r)?;
        if r.escaped {
            self.write(&r.esc_prefix)?;
            if v.is_null() {
                self.write("\\")?;
            }
            return self.write(&r.literal);
        }
        if v.is_null() {
            self.write(&r.esc_prefix)?;
            self.write(&r.esc_prefix)?;
            if r.quiet || self.null_empty {
                return Ok(());
            }
            let lit = self.null_literal(r);
            return self.write(&lit);
        }
        self.write(&r.esc_prefix)?;
        if matches!(v, Value::List(_) | Value::Map(_)) && indirect_cycle(&v, &mut Vec::new()) {
            // Java's toString recurses until StackOverflowError (only a direct self-reference
            // prints "(this Map)").
            return err(
                format!("java.lang.StackOverflowError while printing {}", r.literal),
                Some(r.span),
            );
        }
        if let Some(id) = self.define_id(&v) {
            return self.render_define(id, r.span);
        }
        match &v {
            Value::Str(s) => self.write(s),
            other => {
                // Straight into the output (no string of its own per printed number).
                other.write_java(&mut self.out, 0);
                self.check_output()
            }
        }
    }

    /// What a null reference prints: its source, or — for a bare macro argument bound to a
    /// reference — the caller's reference source (1.7's `.literal.` lookup).
    fn null_literal(&self, r: &Reference) -> Rc<str> {
        if r.parts.is_empty() {
            if let Some(i) = self.cur {
                if let Some((_, Local::Expr(e, _))) =
                    self.frames[i].locals.iter().find(|(n, _)| *n == r.root)
                {
                    if let Expr::Ref(cr) = &**e {
                        return cr.literal.clone();
                    }
                }
            }
        }
        r.literal.clone()
    }

    fn eval_ref(&mut self, r: &Reference) -> R<Value> {
        let mut v = self.lookup_ref(r)?;
        for p in &r.parts {
            if v.is_null() {
                return Ok(Value::Null);
            }
            v = self.apply_part(&v, p, r)?;
        }
        Ok(v)
    }

    fn apply_part(&mut self, v: &Value, p: &Part, r: &Reference) -> R<Value> {
        match p {
            Part::Prop(name) => Ok(methods::property(v, name)),
            Part::Method(name, args, span) => {
                // Arguments of the common calls (up to two) stay on the stack: one allocation
                // less per method call.
                let (mut few, mut many) = ([Value::Null, Value::Null], Vec::new());
                let vals: &[Value] = if args.len() <= few.len() {
                    for (slot, a) in few.iter_mut().zip(args) {
                        *slot = self.eval(a)?;
                    }
                    few.get(..args.len()).unwrap_or_default()
                } else {
                    many.reserve(args.len());
                    for a in args {
                        many.push(self.eval(a)?);
                    }
                    &many
                };
                self.step(Some(*span))?;
                self.regexes.budget = self.limits.max_steps.saturating_sub(self.steps);
                self.regexes.max_string = self.limits.max_output_bytes.min(methods::MAX_STRING);
                let res = methods::call(v, name, vals, &mut self.regexes);
                self.steps += std::mem::take(&mut self.regexes.work);
                self.step(Some(*span))?;
                match res {
                    Call::Ok(v) => Ok(v),
                    Call::NoMethod => Ok(Value::Null),
                    Call::Throw(e) => err(
                        format!(
                            "Invocation of method '{name}' in {} threw exception {e} ({})",
                            v.java_class(),
                            r.literal
                        ),
                        Some(*span),
                    ),
                }
            }
            Part::Index(e, span) => {
                let idx = self.eval(e)?;
                match (v, &idx) {
                    (Value::List(l), Value::Int(i)) => {
                        let l = l.borrow();
                        // 1.7's index syntax counts a negative index from the end.
                        let k = if *i < 0 {
                            *i as i64 + l.len() as i64
                        } else {
                            *i as i64
                        };
                        if k >= 0 && (k as usize) < l.len() {
                            Ok(l[k as usize].clone())
                        } else {
                            err(
                                format!(
                                    "Error invoking method 'get(java.lang.Integer)' in java.util.ArrayList: index {i} out of bounds for length {} ({})",
                                    l.len(),
                                    r.literal
                                ),
                                Some(*span),
                            )
                        }
                    }
                    (Value::Map(m), Value::Str(k)) => Ok(crate::value::map_get(&m.borrow(), k)
                        .cloned()
                        .unwrap_or(Value::Null)),
                    (Value::Object(_), _) => {
                        match methods::call(v, "get", std::slice::from_ref(&idx), &mut self.regexes)
                        {
                            Call::Ok(v) => Ok(v),
                            Call::NoMethod => Ok(Value::Null),
                            Call::Throw(e) => err(e, Some(*span)),
                        }
                    }
                    _ => Ok(Value::Null),
                }
            }
        }
    }

    /// `#set($a.b.c = v)` / `#set($a[0] = v)` / `#set($a = v)`.
    fn set_ref(&mut self, target: &Reference, v: Value) -> R<()> {
        let Some((last, prefix)) = target.parts.split_last() else {
            self.assign(&target.root, v);
            return Ok(());
        };
        let mut base = self.lookup_ref(target)?;
        for p in prefix {
            if base.is_null() {
                return Ok(());
            }
            base = self.apply_part(&base, p, target)?;
        }
        match (last, &base) {
            (Part::Prop(name), Value::Map(m)) => {
                m.borrow_mut().insert(name.to_string(), v);
            }
            // 1.7's SetExecutor falls back to `put(name, value)` on objects without a setter; an
            // exception thrown by it fails the render (API Gateway's final overrides rely on this).
            (Part::Prop(name), Value::Object(o)) => {
                if let Some(Err(e)) = o.call_method("put", &[Value::str(name), v]) {
                    return err(e, Some(target.span));
                }
            }
            (Part::Index(e, span), _) => {
                let idx = self.eval(e)?;
                match (&base, idx) {
                    (Value::Map(m), Value::Str(k)) => {
                        m.borrow_mut().insert(k.to_string(), v);
                    }
                    (Value::List(l), Value::Int(i)) => {
                        let mut l = l.borrow_mut();
                        if i >= 0 && (i as usize) < l.len() {
                            l[i as usize] = v;
                        } else {
                            return err(
                                format!(
                                    "index {i} out of bounds for length {} in #set({})",
                                    l.len(),
                                    target.literal
                                ),
                                Some(*span),
                            );
                        }
                    }
                    _ => {}
                }
            }
            // No setter: 1.7 logs and leaves things unchanged.
            _ => {}
        }
        Ok(())
    }

    fn foreach(&mut self, f: &parser::ForeachNode) -> R<()> {
        // Ranges are iterated without building the list; lists and maps are iterated live,
        // as Java's iterators are (a structural change during the loop is an error).
        let items: Items = match &f.iterable {
            Expr::Range(a, b, span) => match self.range_bounds(a, b, *span, false)? {
                Some((lo, hi)) => Items::Range(lo, hi),
                None => return Ok(()),
            },
            // `$m.values()` / `$m.keySet()` / `$m.entrySet()` are live views of the map.
            Expr::Ref(r)
                if matches!(r.parts.last(), Some(Part::Method(n, a, _))
                    if a.is_empty() && matches!(&**n, "values" | "keySet" | "entrySet")) =>
            {
                let view = match r.parts.last() {
                    Some(Part::Method(n, _, _)) if &**n == "keySet" => View::Keys,
                    Some(Part::Method(n, _, _)) if &**n == "entrySet" => View::Entries,
                    _ => View::Values,
                };
                let mut v = self.lookup_ref(r)?;
                for p in &r.parts[..r.parts.len() - 1] {
                    if v.is_null() {
                        break;
                    }
                    v = self.apply_part(&v, p, r)?;
                }
                match v {
                    Value::Map(m) => Items::Map(m, view),
                    _ => match self.eval(&f.iterable)? {
                        Value::List(l) => Items::List(l),
                        _ => return Ok(()),
                    },
                }
            }
            e => match self.eval(e)? {
                Value::List(l) => Items::List(l),
                Value::Map(m) => Items::Map(m, View::Values),
                // A map's views iterate the map live; an iterator, what it has left.
                Value::Object(o) if o.iterable().is_some() => match o.iterable() {
                    Some(crate::value::Iterable::Keys(m)) => Items::Map(m, View::Keys),
                    Some(crate::value::Iterable::Values(m)) => Items::Map(m, View::Values),
                    Some(crate::value::Iterable::Entries(m)) => Items::Map(m, View::Entries),
                    Some(crate::value::Iterable::List(l)) => Items::List(l),
                    None => return Ok(()),
                },
                // 1.7's UberspectImpl.getIterator: any object with an `iterator()` method.
                Value::Object(o) => match o.call_method("iterator", &[]) {
                    Some(Ok(Value::List(l))) => Items::List(l),
                    Some(Ok(Value::Map(m))) => Items::Map(m, View::Values),
                    Some(Err(e)) => {
                        return err(format!("#foreach: iterator() threw {e}"), Some(f.span))
                    }
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            },
        };
        let start_len = items.len();
        if start_len == 0 {
            return Ok(());
        }
        let var = &f.var;
        let (counters, scope_on) = (self.loop_counters, self.loop_scope);
        // Names of the loop variables, allocated only when the template can see them.
        let k_foreach: Option<Rc<str>> = scope_on.then(|| Rc::from("foreach"));
        let k_counters: Option<(Rc<str>, Rc<str>)> =
            counters.then(|| (Rc::from("velocityCount"), Rc::from("velocityHasNext")));
        let saved_var = self.current(var)?;
        let saved_foreach = if scope_on {
            self.current("foreach")?
        } else {
            None
        };
        let saved_count = if counters {
            self.current("velocityCount")?
        } else {
            None
        };
        let saved_has_next = if counters {
            self.current("velocityHasNext")?
        } else {
            None
        };
        let parent = saved_foreach.clone().unwrap_or(Value::Null);
        let max = self.limits.max_foreach_iterations;
        let mut result = Ok(());
        let mut i = 0usize;
        let mut holder: Option<Rc<std::cell::Cell<bool>>> = None;
        loop {
            // API Gateway's 1000-iteration quota (spec §7.6), applied like Velocity's
            // `directive.foreach.maxloops`: the loop silently stops.
            if i >= max {
                break;
            }
            let len = items.len();
            // Java's iterator: hasNext() is `cursor != size`; next() fails after a change.
            if i == len {
                break;
            }
            if len != start_len {
                result = err(
                    "java.util.ConcurrentModificationException: the collection changed while #foreach iterated it",
                    Some(f.span),
                );
                break;
            }
            if let Err(e) = self.step(Some(f.span)) {
                result = Err(e);
                break;
            }
            let has_next = i + 1 != len;
            let item = items.get(i);
            let null_item = item.is_null();
            if let Some((k_count, k_has_next)) = &k_counters {
                self.assign(k_count, Value::Int(i as i32 + 1));
                self.assign(k_has_next, Value::Bool(has_next));
            }
            self.assign(var, item);
            if let Some(k_foreach) = &k_foreach {
                let scope = ForeachScope {
                    index: i as i32,
                    has_next,
                    parent: parent.clone(),
                };
                self.assign(k_foreach, Value::Object(Rc::new(scope)));
            }
            if null_item {
                let h = holder
                    .get_or_insert_with(|| Rc::new(std::cell::Cell::new(true)))
                    .clone();
                self.masked.push((var.clone(), h));
            }
            let r = self.block(&f.body);
            if null_item {
                self.masked.pop();
            }
            match r {
                Ok(()) => {}
                Err(Ctl::Break) => break,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
            i += 1;
        }
        if let Some((k_count, k_has_next)) = &k_counters {
            self.restore(k_count, saved_count);
            self.restore(k_has_next, saved_has_next);
        }
        if let Some(k_foreach) = &k_foreach {
            self.restore(k_foreach, saved_foreach);
        }
        self.restore(var, saved_var);
        result
    }

    /// The ends of `[a..b]`; `materialize` bounds the size of a range that becomes a list (a
    /// `#foreach` over a range is lazy and capped by the iteration limit instead).
    fn range_bounds(
        &mut self,
        a: &Expr,
        b: &Expr,
        span: Span,
        materialize: bool,
    ) -> R<Option<(i64, i64)>> {
        let (x, y) = (self.eval(a)?, self.eval(b)?);
        let num = |v: &Value| match v {
            Value::Int(i) => Some(*i as i64),
            Value::Long(l) => Some(*l),
            Value::Double(d) => Some(*d as i32 as i64),
            _ => None,
        };
        match (num(&x), num(&y)) {
            (Some(lo), Some(hi)) => {
                if materialize && (hi - lo).abs() >= MAX_RANGE {
                    return err(
                        format!("range [{lo}..{hi}] is too large (at most {MAX_RANGE} elements)"),
                        Some(span),
                    );
                }
                Ok(Some((lo, hi)))
            }
            // 1.7 logs an error and the range is null.
            _ => Ok(None),
        }
    }

    fn call_macro(&mut self, c: &CallNode) -> R<()> {
        let Some(m) = self
            .macros
            .get(&c.name)
            .or_else(|| self.extra_macros.get(&c.name))
            .cloned()
        else {
            // Not a macro (nor a directive): the text stays.
            return self.write(&c.literal);
        };
        let depth = self.frames.len();
        if depth >= VELOCITY_MACRO_DEPTH.min(self.limits.max_depth) {
            let stack: Vec<&str> = self.frames.iter().map(|f| &*f.macro_name).collect();
            return err(
                format!(
                    "Max calling depth of {} was exceeded in macro '{}' with Call Stack:{}",
                    VELOCITY_MACRO_DEPTH.min(self.limits.max_depth),
                    c.name,
                    stack.join("->")
                ),
                Some(c.span),
            );
        }
        let mut locals = Vec::with_capacity(m.params.len() + 1);
        for (i, p) in m.params.iter().enumerate() {
            let Some(a) = c.args.get(i) else { break };
            let local = match a {
                Expr::Lit(v) => Local::Val(v.clone()),
                Expr::Word(w) => Local::Val(Value::Str(w.clone())),
                _ => Local::Expr(Rc::new(clone_expr_ref(a)), self.cur),
            };
            locals.push((p.clone(), local));
        }
        if let Some(body) = &c.body {
            let id = self.blocks.len();
            self.blocks.push(body.clone());
            locals.push((
                Rc::from("bodyContent"),
                Local::Val(Value::Object(Rc::new(DefineBlock { id }))),
            ));
        }
        self.frames.push(Frame {
            locals,
            parent: self.cur,
            macro_name: m.name.clone(),
        });
        let saved = self.cur;
        self.cur = Some(self.frames.len() - 1);
        let r = self.block(&m.body);
        self.cur = saved;
        self.frames.pop();
        match r {
            Err(Ctl::Break) => Ok(()),
            other => other,
        }
    }

    fn evaluate(&mut self, e: &Expr, span: Span) -> R<()> {
        let v = self.eval(e)?;
        if v.is_null() {
            return Ok(());
        }
        let src = v.to_java_string();
        self.enter(Some(span))?;
        let parsed = parser::parse_template(&src);
        if let Some(d) = parsed
            .diagnostics
            .iter()
            .find(|d| d.severity == crate::Severity::Error)
        {
            self.depth -= 1;
            return err(format!("#evaluate: {d}"), Some(span));
        }
        for (k, m) in parsed.macros {
            if !self.macros.contains_key(&k) {
                self.extra_macros.entry(k).or_insert(m);
            }
        }
        let r = self.block(&parsed.block);
        self.depth -= 1;
        match r {
            Err(Ctl::Break) => Ok(()),
            other => other,
        }
    }

    // ---------------------------------------------------------------- expressions

    /// `#if(expr)`: 1.7 evaluates a reference by its value (null/false are false), operators by
    /// their result, and every literal — even `"abc"` or `1` — as false.
    fn truthy(&mut self, e: &Expr) -> R<bool> {
        self.step(None)?;
        Ok(match e {
            Expr::Ref(r) => {
                let v = self.eval_ref(r)?;
                truthy_value(&v)
            }
            Expr::Lit(Value::Bool(b)) => *b,
            Expr::Not(inner) => !self.truthy(inner)?,
            Expr::Bin(BinOp::And, a, b, _, _) => self.truthy(a)? && self.truthy(b)?,
            Expr::Bin(BinOp::Or, a, b, _, _) => self.truthy(a)? || self.truthy(b)?,
            Expr::Bin(
                op @ (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge),
                a,
                b,
                _,
                _,
            ) => self.compare(*op, a, b)?,
            _ => {
                // Still evaluated (method calls inside have effects).
                self.eval(e)?;
                false
            }
        })
    }

    pub(crate) fn eval(&mut self, e: &Expr) -> R<Value> {
        self.step(None)?;
        match e {
            Expr::Lit(v) => Ok(v.clone()),
            Expr::Word(w) => Ok(Value::Str(w.clone())),
            Expr::Ref(r) => self.eval_ref(r),
            Expr::Interp(block) => {
                let saved = std::mem::take(&mut self.out);
                let r = self.block(block);
                let s = std::mem::replace(&mut self.out, saved);
                match r {
                    Ok(()) | Err(Ctl::Break) => {}
                    Err(e) => return Err(e),
                }
                // The interpolated text also counts towards the output bound.
                if s.len() > self.limits.max_output_bytes {
                    return err(
                        format!("string exceeded {} bytes", self.limits.max_output_bytes),
                        None,
                    );
                }
                Ok(Value::Str(Rc::from(s.as_str())))
            }
            Expr::List(items) => {
                let mut v = Vec::with_capacity(items.len());
                for i in items {
                    v.push(self.eval(i)?);
                }
                Ok(Value::list(v))
            }
            Expr::Map(entries) => {
                let mut m = crate::Map::with_capacity_and_hasher(entries.len(), Default::default());
                for (k, v) in entries {
                    let k = self.eval(k)?.to_java_string();
                    let v = self.eval(v)?;
                    m.insert(k, v);
                }
                Ok(Value::map(m))
            }
            Expr::Range(a, b, span) => {
                let Some((lo, hi)) = self.range_bounds(a, b, *span, true)? else {
                    return Ok(Value::Null);
                };
                let n = (hi - lo).unsigned_abs() + 1;
                self.steps += n;
                if self.steps > self.limits.max_steps {
                    return err(
                        format!(
                            "template exceeded {} evaluation steps",
                            self.limits.max_steps
                        ),
                        Some(*span),
                    );
                }
                let v: Vec<Value> = if lo <= hi {
                    (lo..=hi).map(|i| Value::Int(i as i32)).collect()
                } else {
                    (hi..=lo).rev().map(|i| Value::Int(i as i32)).collect()
                };
                Ok(Value::list(v))
            }
            Expr::Not(inner) => Ok(Value::Bool(!self.truthy(inner)?)),
            Expr::Bin(op, a, b, span, _) => match op {
                BinOp::And
                | BinOp::Or
                | BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Gt
                | BinOp::Le
                | BinOp::Ge => Ok(Value::Bool(self.truthy(e)?)),
                _ => {
                    let l = self.eval(a)?;
                    let r = self.eval(b)?;
                    self.math(*op, l, r, a, b, *span)
                }
            },
        }
    }

    fn compare(&mut self, op: BinOp, a: &Expr, b: &Expr) -> R<bool> {
        let l = self.eval(a)?;
        let r = self.eval(b)?;
        Ok(match op {
            BinOp::Eq => self.equals(&l, &r),
            BinOp::Ne => !self.equals(&l, &r),
            _ => match num_cmp(&l, &r) {
                None => false,
                Some(o) => match op {
                    BinOp::Lt => o == std::cmp::Ordering::Less,
                    BinOp::Gt => o == std::cmp::Ordering::Greater,
                    BinOp::Le => o != std::cmp::Ordering::Greater,
                    _ => o != std::cmp::Ordering::Less,
                },
            },
        })
    }

    /// 1.7's `==`: numbers by value across types; same classes by `equals`; otherwise by
    /// `toString()`; null equals only null. With null-renders-empty (API Gateway, spec §7.1:
    /// `#if($missing == "")` is true) a null compares as the empty string.
    fn equals(&self, l: &Value, r: &Value) -> bool {
        if let Some(o) = num_cmp(l, r) {
            return o == std::cmp::Ordering::Equal;
        }
        if self.null_empty {
            match (l, r) {
                (Value::Null, Value::Str(s)) | (Value::Str(s), Value::Null) => return s.is_empty(),
                _ => {}
            }
        }
        let same_class = std::mem::discriminant(l) == std::mem::discriminant(r);
        if same_class && !l.is_null() {
            return l.java_equals(r);
        }
        match (l, r) {
            (Value::Null, Value::Null) => true,
            (Value::Null, _) | (_, Value::Null) => false,
            _ => l.to_java_string() == r.to_java_string(),
        }
    }

    /// `+ - * / %` with MathUtils rules: a string on either side concatenates (a null side
    /// shows its source text); Integer overflow widens to Long; division by zero is null.
    fn math(&self, op: BinOp, l: Value, r: Value, a: &Expr, b: &Expr, span: Span) -> R<Value> {
        if op == BinOp::Add && (matches!(l, Value::Str(_)) || matches!(r, Value::Str(_))) {
            let ls = if l.is_null() {
                expr_literal(a)
            } else {
                l.to_java_string()
            };
            let rs = if r.is_null() {
                expr_literal(b)
            } else {
                r.to_java_string()
            };
            if ls.len() + rs.len() > self.limits.max_output_bytes {
                return err(
                    format!(
                        "string concatenation exceeded {} bytes",
                        self.limits.max_output_bytes
                    ),
                    Some(span),
                );
            }
            return Ok(Value::Str(Rc::from(format!("{ls}{rs}").as_str())));
        }
        let (Some(x), Some(y)) = (Num::of(&l), Num::of(&r)) else {
            return Ok(Value::Null);
        };
        // 1.7's MathUtils gives a Float result when a Float meets a Float or an integer.
        let is_float =
            |v: &Value| matches!(v, Value::Object(o) if o.type_name() == "java.lang.Float");
        let to_float = (is_float(&l) || is_float(&r))
            && !matches!(l, Value::Double(_))
            && !matches!(r, Value::Double(_));
        let v = match (x, y) {
            // MathUtils' long arithmetic, overflow checks included (they miss
            // Long.MIN_VALUE * -1 and / -1, which wrap, as in 1.7).
            (Num::I(x, xl), Num::I(y, yl)) => {
                let long = xl || yl;
                let wrap = |v: i64| -> Value {
                    match i32::try_from(v) {
                        Ok(i) if !long => Value::Int(i),
                        _ => Value::Long(v),
                    }
                };
                let big = |v: i128| Value::Object(Rc::new(methods::BigInteger(v.to_string())));
                let (wx, wy) = (x as i128, y as i128);
                match op {
                    BinOp::Add => {
                        let r = x.wrapping_add(y);
                        if (r ^ x) < 0 && (r ^ y) < 0 {
                            big(wx + wy)
                        } else {
                            wrap(r)
                        }
                    }
                    BinOp::Sub => {
                        let r = x.wrapping_sub(y);
                        if (x ^ y) < 0 && (x ^ r) < 0 {
                            big(wx - wy)
                        } else {
                            wrap(r)
                        }
                    }
                    BinOp::Mul => {
                        let r = x.wrapping_mul(y);
                        if y != 0 && r.wrapping_div(y) != x {
                            big(wx * wy)
                        } else {
                            wrap(r)
                        }
                    }
                    BinOp::Div if y == 0 => Value::Null,
                    BinOp::Div => wrap(x.wrapping_div(y)),
                    BinOp::Mod if y == 0 => Value::Null,
                    BinOp::Mod => wrap(x.wrapping_rem(y)),
                    _ => Value::Null,
                }
            }
            // A Double with a BigInteger is BigDecimal math, whose modulo 1.7 refuses.
            (Num::B(_), Num::F(f)) | (Num::F(f), Num::B(_)) if op == BinOp::Mod => {
                let zero = match y {
                    Num::F(d) => d == 0.0,
                    other => other.big() == Some(0),
                };
                let _ = f;
                if zero {
                    Value::Null
                } else {
                    return err("java.lang.ArithmeticException: Cannot calculate the modulo of BigDecimals.", Some(span));
                }
            }
            // BigInteger with a Double is BigDecimal arithmetic in MathUtils: exact (the double
            // enters as `new BigDecimal(double)`, its full binary expansion), printed plainly.
            // BigInteger / Double: BigDecimal.divide(right, ROUND_HALF_DOWN) keeps the left
            // scale (0): an integer.
            (Num::B(bi), Num::F(d)) if op == BinOp::Div && d.is_finite() => {
                if d == 0.0 {
                    Value::Null
                } else {
                    Value::Object(Rc::new(methods::BigInteger(big_div_double(bi, d))))
                }
            }
            (Num::B(bi), Num::F(d)) | (Num::F(d), Num::B(bi))
                if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) && d.is_finite() =>
            {
                let big_first = matches!(x, Num::B(_));
                Value::Object(Rc::new(methods::BigInteger(big_decimal(
                    op, bi, d, big_first,
                ))))
            }
            // BigInteger arithmetic stays BigInteger (MathUtils' BASE_BIGINTEGER).
            (x, y) if x.big().is_some() && y.big().is_some() => {
                let (x, y) = (x.big().unwrap_or(0), y.big().unwrap_or(0));
                let r = match op {
                    BinOp::Add => x.checked_add(y),
                    BinOp::Sub => x.checked_sub(y),
                    BinOp::Mul => x.checked_mul(y),
                    BinOp::Div if y == 0 => return Ok(Value::Null),
                    BinOp::Div => x.checked_div(y),
                    BinOp::Mod if y == 0 => return Ok(Value::Null),
                    BinOp::Mod if y < 0 => {
                        return err(
                            "java.lang.ArithmeticException: BigInteger: modulus not positive",
                            Some(span),
                        )
                    }
                    // BigInteger.mod: never negative.
                    BinOp::Mod => Some(x.rem_euclid(y)),
                    _ => None,
                };
                match r {
                    Some(v) => Value::Object(Rc::new(methods::BigInteger(v.to_string()))),
                    None => Value::Null,
                }
            }
            (x, y) => {
                let (x, y) = (x.f(), y.f());
                match op {
                    BinOp::Add => Value::Double(x + y),
                    BinOp::Sub => Value::Double(x - y),
                    BinOp::Mul => Value::Double(x * y),
                    BinOp::Div if y == 0.0 => Value::Null,
                    BinOp::Div => Value::Double(x / y),
                    BinOp::Mod if y == 0.0 => Value::Null,
                    BinOp::Mod => Value::Double(x % y),
                    _ => Value::Null,
                }
            }
        };
        Ok(match v {
            Value::Double(d) if to_float => methods::float(d as f32),
            v => v,
        })
    }
}

/// A copy of a macro argument expression for pass-by-name binding (references are shared).
fn clone_expr_ref(e: &Expr) -> Expr {
    match e {
        Expr::Ref(r) => Expr::Ref(r.clone()),
        Expr::Interp(b) => Expr::Interp(b.clone()),
        Expr::Lit(v) => Expr::Lit(v.clone()),
        Expr::Word(w) => Expr::Word(w.clone()),
        Expr::List(items) => Expr::List(items.iter().map(clone_expr_ref).collect()),
        Expr::Map(entries) => Expr::Map(
            entries
                .iter()
                .map(|(k, v)| (clone_expr_ref(k), clone_expr_ref(v)))
                .collect(),
        ),
        Expr::Range(a, b, s) => {
            Expr::Range(Box::new(clone_expr_ref(a)), Box::new(clone_expr_ref(b)), *s)
        }
        Expr::Bin(op, a, b, s, lit) => Expr::Bin(
            *op,
            Box::new(clone_expr_ref(a)),
            Box::new(clone_expr_ref(b)),
            *s,
            lit.clone(),
        ),
        Expr::Not(a) => Expr::Not(Box::new(clone_expr_ref(a))),
    }
}

/// A finite double as `(negative, m, e)` with |d| = m · 2^e and m odd (or zero): the exact
/// value `new BigDecimal(d)` holds.
fn double_parts(d: f64) -> (bool, u64, i32) {
    let bits = d.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut mant, mut e2) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    if mant != 0 {
        let tz = mant.trailing_zeros();
        mant >>= tz;
        e2 += tz as i32;
    }
    (bits >> 63 == 1, mant, e2)
}

/// `new BigDecimal(bi).divide(new BigDecimal(d), ROUND_HALF_DOWN)` with scale 0.
fn big_div_double(bi: i128, d: f64) -> String {
    use crate::jdouble::Big;
    let (d_neg, mant, e2) = double_parts(d);
    // bi / (mant * 2^e2) = bi * 2^-e2 / mant   (e2 < 0)   or   bi / (mant << e2)
    let mut num = Big::from_u128(bi.unsigned_abs());
    let mut den = Big::from_u128(mant as u128);
    if e2 < 0 {
        num.shl(-e2);
    } else {
        den.shl(e2);
    }
    let (mut q, r) = num.div_rem(&den);
    let mut twice = r;
    twice.shl(1);
    if twice.cmp(&den) == std::cmp::Ordering::Greater {
        q = q.add(&Big::from_u128(1));
    }
    let digits = q.to_dec();
    let neg = (bi < 0) != d_neg && digits != "0";
    format!("{}{digits}", if neg { "-" } else { "" })
}

/// `new BigDecimal(bi) op new BigDecimal(d)` as `BigDecimal.toString` prints it (plain).
fn big_decimal(op: BinOp, bi: i128, d: f64, big_first: bool) -> String {
    use crate::jdouble::Big;
    use std::cmp::Ordering;
    let (d_neg, mant, e2) = double_parts(d);
    // The double as D / 10^k.
    let mut dm = Big::from_u128(mant as u128);
    let k = if e2 >= 0 {
        dm.shl(e2);
        0
    } else {
        dm.mul_pow5(-e2);
        (-e2) as u32
    };
    let b_neg = bi < 0;
    let bm = Big::from_u128(bi.unsigned_abs());
    let (neg, mag) = match op {
        BinOp::Mul => (b_neg != d_neg && mant != 0 && bi != 0, bm.mul(&dm)),
        _ => {
            let mut bs = bm;
            bs.mul_pow5(k as i32);
            bs.shl(k as i32);
            // left ± right with signs
            let (ln, lm, rn, rm) = if big_first {
                (b_neg, bs, d_neg, dm)
            } else {
                (d_neg, dm, b_neg, bs)
            };
            let rn = if op == BinOp::Sub { !rn } else { rn };
            if ln == rn {
                (ln, lm.add(&rm))
            } else {
                match lm.cmp(&rm) {
                    Ordering::Less => {
                        let mut r = rm;
                        r.sub_assign(&lm);
                        (rn, r)
                    }
                    _ => {
                        let mut l = lm;
                        l.sub_assign(&rm);
                        (ln, l)
                    }
                }
            }
        }
    };
    let digits = mag.to_dec();
    let neg = neg && digits != "0";
    let k = k as usize;
    let body = if k == 0 {
        digits
    } else if digits.len() > k {
        format!(
            "{}.{}",
            &digits[..digits.len() - k],
            &digits[digits.len() - k..]
        )
    } else {
        format!("0.{}{digits}", "0".repeat(k - digits.len()))
    };
    format!("{}{body}", if neg { "-" } else { "" })
}

/// Whether a collection contains itself through another collection (a cycle Java's `toString`
/// cannot print). Direct self-references are printable (`(this Map)`).
fn indirect_cycle(v: &Value, ancestors: &mut Vec<*const ()>) -> bool {
    if ancestors.len() > 200 {
        return false;
    }
    let (ptr, children): (*const (), Vec<Value>) = match v {
        Value::List(l) => match l.try_borrow() {
            Ok(items) => (
                Rc::as_ptr(l) as *const (),
                items
                    .iter()
                    .filter(|x| matches!(x, Value::List(_) | Value::Map(_)))
                    .cloned()
                    .collect(),
            ),
            Err(_) => return false,
        },
        Value::Map(m) => match m.try_borrow() {
            Ok(map) => (
                Rc::as_ptr(m) as *const (),
                map.values()
                    .filter(|x| matches!(x, Value::List(_) | Value::Map(_)))
                    .cloned()
                    .collect(),
            ),
            Err(_) => return false,
        },
        _ => return false,
    };
    if ancestors.contains(&ptr) {
        return true;
    }
    ancestors.push(ptr);
    let found = children.iter().any(|c| {
        let cp = match c {
            Value::List(l) => Rc::as_ptr(l) as *const (),
            Value::Map(m) => Rc::as_ptr(m) as *const (),
            _ => std::ptr::null(),
        };
        cp != ptr && indirect_cycle(c, ancestors)
    });
    ancestors.pop();
    found
}

fn expr_literal(e: &Expr) -> String {
    match e {
        Expr::Ref(r) => r.literal.to_string(),
        Expr::Bin(_, _, _, _, lit) => lit.to_string(),
        _ => "null".to_string(),
    }
}

enum Items {
    List(Rc<std::cell::RefCell<Vec<Value>>>),
    Map(Rc<std::cell::RefCell<crate::Map>>, View),
    Range(i64, i64),
}

enum View {
    Values,
    Keys,
    Entries,
}

impl Items {
    fn len(&self) -> usize {
        match self {
            Items::List(l) => l.try_borrow().map(|l| l.len()).unwrap_or(0),
            Items::Map(m, _) => m.try_borrow().map(|m| m.len()).unwrap_or(0),
            Items::Range(a, b) => ((b - a).unsigned_abs() + 1) as usize,
        }
    }
    fn get(&self, i: usize) -> Value {
        match self {
            Items::List(l) => l
                .try_borrow()
                .ok()
                .and_then(|l| l.get(i).cloned())
                .unwrap_or(Value::Null),
            Items::Map(m, view) => {
                let Ok(m) = m.try_borrow() else {
                    return Value::Null;
                };
                let Some((k, v)) = m.get_index(i) else {
                    return Value::Null;
                };
                match view {
                    View::Values => v.clone(),
                    View::Keys => Value::str(k),
                    View::Entries => methods::entry(k, v.clone()),
                }
            }
            Items::Range(a, b) => {
                let v = if a <= b { a + i as i64 } else { a - i as i64 };
                Value::Int(v as i32)
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Num {
    /// An integer, and whether it is a Long.
    I(i64, bool),
    /// A java.math.BigInteger (within i128).
    B(i128),
    F(f64),
}

impl Num {
    fn of(v: &Value) -> Option<Num> {
        match v {
            Value::Int(i) => Some(Num::I(*i as i64, false)),
            Value::Long(l) => Some(Num::I(*l, true)),
            Value::Double(d) => Some(Num::F(*d)),
            Value::Object(o) if o.type_name() == "java.math.BigInteger" => {
                o.to_java_string().parse().ok().map(Num::B)
            }
            // methods::Float (floatValue()).
            Value::Object(o) if o.type_name() == "java.lang.Float" => o
                .as_any()
                .and_then(|a| a.downcast_ref::<methods::Float>())
                .map(|f| Num::F(f64::from(f.0))),
            _ => None,
        }
    }
    fn f(self) -> f64 {
        match self {
            Num::I(i, _) => i as f64,
            Num::B(i) => i as f64,
            Num::F(f) => f,
        }
    }
    fn big(self) -> Option<i128> {
        match self {
            Num::I(i, _) => Some(i as i128),
            Num::B(i) => Some(i),
            Num::F(_) => None,
        }
    }
}

/// MathUtils.compare: numerically across Integer/Long/Double.
fn num_cmp(l: &Value, r: &Value) -> Option<std::cmp::Ordering> {
    let (a, b) = (Num::of(l)?, Num::of(r)?);
    if let (Some(x), Some(y)) = (a.big(), b.big()) {
        return Some(x.cmp(&y));
    }
    // MathUtils compares doubles with < and >: NaN compares as equal.
    Some(
        a.f()
            .partial_cmp(&b.f())
            .unwrap_or(std::cmp::Ordering::Equal),
    )
}

/// Methods that never change a list or map, nor anything reachable from their target or
/// arguments: Java's read-only `String`/`Number`/`Boolean`/`List`/`Map`/`Map.Entry` methods
/// (`keySet`, `values`, `entrySet` and `subList` return copies here), `$foreach`'s getters, and
/// API Gateway's `$input`/`$util` methods and its JSON array's readers (they build new values).
/// An allowlist, not a list of mutators: a name missing here only costs an embedder's copy.
/// Sorted (byte order), for a binary search: the check runs for every method call of every
/// template parsed, and a scan of the list was a fifth of parsing and rendering a small one.
#[rustfmt::skip]
const READ_ONLY_METHODS: &[&str] = &[
    "base64Decode", "base64Encode", "booleanValue", "charAt", "charValue", "compareTo",
    "compareToIgnoreCase", "concat", "contains", "containsAll", "containsKey", "containsValue",
    "doubleValue", "endsWith", "entrySet", "equals", "equalsIgnoreCase", "escapeJavaScript", "get",
    "getBody", "getBytes", "getClass", "getCount", "getFirst", "getHasNext", "getIndex", "getKey",
    "getLast", "getOrDefault", "getParent", "getValue", "hasNext", "hashCode", "indexOf",
    "intValue", "intern", "isDigit", "isEmpty", "isFirst", "isInfinite", "isLast", "isLetter",
    "isLetterOrDigit", "isLowerCase", "isNaN", "isUpperCase", "isWhitespace", "json", "keySet",
    "lastIndexOf", "length", "longValue", "matches", "params", "parseJson", "path", "replace",
    "replaceAll", "replaceFirst", "size", "split", "startsWith", "subList", "subSequence",
    "substring", "toCharArray", "toJSONString", "toLowerCase", "toString", "toUpperCase", "trim",
    "urlDecode", "urlEncode", "values",
];

/// True when rendering `parsed` cannot change any list or map it did not create: no `#set`
/// or `#define` into a property or index, no method outside [`READ_ONLY_METHODS`], no
/// `#evaluate` (which can run any text). Container mutation has no other route: `#set($x = ..)`
/// and `#foreach` only rebind variables, and property reads never write. The parser bounds
/// nesting (150 levels), which bounds this walk's recursion.
pub(crate) fn changes_nothing(parsed: &parser::Parsed) -> bool {
    fn block(b: &Block) -> bool {
        b.iter().all(node)
    }
    fn reference(r: &Reference) -> bool {
        r.parts.iter().all(|p| match p {
            Part::Prop(_) => true,
            // String.replace takes two arguments; Map.replace(key, old, new) three, and writes.
            Part::Method(name, args, _) => {
                READ_ONLY_METHODS.binary_search(&&**name).is_ok()
                    && (&**name != "replace" || args.len() == 2)
                    && args.iter().all(expr)
            }
            Part::Index(e, _) => expr(e),
        })
    }
    fn target(r: &Reference) -> bool {
        r.parts.is_empty()
    }
    fn expr(e: &Expr) -> bool {
        match e {
            Expr::Lit(_) | Expr::Word(_) => true,
            Expr::Interp(b) => block(b),
            Expr::Ref(r) => reference(r),
            Expr::List(items) => items.iter().all(expr),
            Expr::Map(entries) => entries.iter().all(|(k, v)| expr(k) && expr(v)),
            Expr::Range(a, b, _) | Expr::Bin(_, a, b, _, _) => expr(a) && expr(b),
            Expr::Not(a) => expr(a),
        }
    }
    fn node(n: &Node) -> bool {
        match n {
            Node::Text(_) | Node::Pending(_) | Node::Raw(_) => true,
            Node::Break | Node::Stop | Node::Fail(..) => true,
            Node::Ref(r) => reference(r),
            Node::Set(s) => target(&s.target) && reference(&s.target) && expr(&s.value),
            Node::If(i) => {
                i.branches.iter().all(|(c, b)| expr(c) && block(b))
                    && i.otherwise.as_ref().is_none_or(block)
            }
            Node::Foreach(f) => expr(&f.iterable) && block(&f.body),
            Node::Call(c) => c.args.iter().all(expr) && c.body.as_deref().is_none_or(block),
            Node::Define(d) => target(&d.target) && block(&d.body),
            Node::Evaluate(..) => false,
        }
    }
    block(&parsed.block) && parsed.macros.values().all(|m| block(&m.body))
}

#[cfg(test)]
mod tests {
    use super::READ_ONLY_METHODS;

    /// `changes_nothing` finds names by binary search: an unsorted or repeated entry would
    /// make some read-only method look like a writer (a copy per render, never a wrong
    /// output), so keep the list strictly sorted.
    #[test]
    fn read_only_methods_are_strictly_sorted() {
        for pair in READ_ONLY_METHODS.windows(2) {
            assert!(pair[0] < pair[1], "{:?} before {:?}", pair[0], pair[1]);
        }
        for name in ["get", "replace", "size", "values", "base64Decode"] {
            assert!(READ_ONLY_METHODS.binary_search(&name).is_ok(), "{name}");
        }
        for name in ["put", "add", "remove", "clear", "set", "Size"] {
            assert!(READ_ONLY_METHODS.binary_search(&name).is_err(), "{name}");
        }
    }
}
