//! The Java methods and properties templates call on values: `java.lang.String`,
//! `java.util.ArrayList`, `java.util.LinkedHashMap` (and its entries), the boxed numbers and
//! `Boolean`, with Java's results (indexes in UTF-16 units, `trim` of chars <= U+0020, `split`
//! dropping trailing empty strings, `put` returning the previous value, void methods returning
//! null so that Velocity prints the call literally).

use crate::java_regex::{JavaRegex, JavaRegexError, StepBudget};
use crate::value::{HostObject, Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Outcome of a method call.
pub(crate) enum Call {
    /// No method with that name and argument types: Velocity renders the reference literally.
    NoMethod,
    Ok(Value),
    /// The method threw: rendering stops (Velocity's `MethodInvocationException`).
    Throw(String),
}

/// What method calls share with the evaluator: their work budget and (through `get`) the
/// thread's compiled patterns, so `replaceAll` in a loop or on every request compiles once.
pub(crate) struct RegexCache {
    /// Work done by methods since the evaluator last looked (charged to its step budget), so
    /// that `replaceAll`/`addAll` in a loop cannot run for minutes.
    pub work: u64,
    /// Steps the evaluator has left: a string method whose input alone would use them up is
    /// refused before it runs.
    pub budget: u64,
    /// Largest string a method may return: the evaluator sets it to the output cap (a longer
    /// string could never be written out), so string growth in a loop stops as soon as it
    /// passes what the render could emit instead of after megabytes of work.
    pub max_string: usize,
}

impl Default for RegexCache {
    fn default() -> Self {
        RegexCache {
            work: 0,
            budget: 0,
            max_string: MAX_STRING,
        }
    }
}

/// Largest string a method may build (Java's limit is memory; ours keeps the browser alive).
pub(crate) const MAX_STRING: usize = 16 * 1024 * 1024;
/// Largest list or map a method may grow.
pub(crate) const MAX_COLLECTION: usize = 1_000_000;

fn too_big_string(cap: usize) -> Call {
    Call::Throw(format!(
        "java.lang.OutOfMemoryError: a string would exceed {cap} bytes"
    ))
}

fn too_big_collection() -> Call {
    Call::Throw(format!(
        "java.lang.OutOfMemoryError: a collection would exceed {MAX_COLLECTION} elements"
    ))
}

thread_local! {
    /// Compiled patterns, shared by every render on this thread: templates call `replaceAll`,
    /// `split` and `matches` with the same literal patterns on every request, and compiling one
    /// cost more than the rest of a small render. Compiling is pure, so sharing the result
    /// cannot change any output. Bounded: cleared when it reaches 64 patterns.
    static COMPILED: std::cell::RefCell<HashMap<String, Rc<JavaRegex>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Regex matcher steps per template step, so that a template's step limit means about the same
/// time whether loops or a regex use it: in the npm build (Node, wasm -Oz) 10 M template steps
/// took 0.87 s and 40 M matcher steps of a catastrophic `(a+)+b` 1.25 s.
const REGEX_STEPS_PER_STEP: u64 = 3;

impl RegexCache {
    /// The matcher steps a regex call may use: what the template has left.
    fn regex_budget(&self) -> StepBudget {
        StepBudget::new(
            self.budget
                .saturating_sub(self.work)
                .saturating_mul(REGEX_STEPS_PER_STEP),
        )
    }

    /// Charges a regex call's steps to the template. A search that ran out is charged all but
    /// the last steps, so the template stops with the regex's own (clearer) message.
    fn charge<T>(&mut self, b: &StepBudget, r: Result<T, JavaRegexError>) -> Result<T, String> {
        let left = self.budget.saturating_sub(self.work);
        match r {
            Ok(v) => {
                self.work += (b.used / REGEX_STEPS_PER_STEP).min(left);
                Ok(v)
            }
            Err(e) => {
                self.work += (b.used / REGEX_STEPS_PER_STEP).min(left.saturating_sub(2));
                Err(e.message)
            }
        }
    }

    fn get(&mut self, pattern: &str) -> Result<Rc<JavaRegex>, String> {
        if let Some(r) = COMPILED.with(|c| c.borrow().get(pattern).cloned()) {
            return Ok(r);
        }
        let r = Rc::new(
            JavaRegex::compile(pattern)
                .map_err(|e| format!("invalid regular expression {pattern:?}: {e}"))?,
        );
        COMPILED.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() >= 64 {
                c.clear();
            }
            c.insert(pattern.to_string(), r.clone());
        });
        Ok(r)
    }
}

/// A `Map.Entry` from `entrySet()`.
pub(crate) struct Entry {
    key: Rc<str>,
    value: Value,
}

impl HostObject for Entry {
    fn type_name(&self) -> &str {
        "java.util.Map$Entry"
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        match name {
            "key" => Some(Value::Str(self.key.clone())),
            "value" => Some(self.value.clone()),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args.len()) {
            ("getKey", 0) => Some(Ok(Value::Str(self.key.clone()))),
            ("getValue", 0) => Some(Ok(self.value.clone())),
            _ => None,
        }
    }
    fn to_java_string(&self) -> String {
        format!("{}={}", self.key, self.value.to_java_string())
    }
    /// Map.Entry equality: equal keys and equal values (the class does not matter).
    fn equals_object(&self, other: &dyn HostObject) -> bool {
        other
            .as_any()
            .and_then(|a| a.downcast_ref::<Entry>())
            .is_some_and(|o| o.key == self.key && o.value.java_equals(&self.value))
    }
    /// Map.Entry's hash: the key's hash XOR the value's.
    fn java_hash(&self) -> Option<i32> {
        Some(java_hash(&self.key) ^ java_hash_code(&self.value, 1)?)
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// The `Iterator` of `list.iterator()` (also of a map view's): `hasNext()` and `next()` over
/// a snapshot of the elements. Java's iterator is live and fails on a concurrent change;
/// templates only step through it.
struct Iter {
    items: Vec<Value>,
    pos: std::cell::Cell<usize>,
}

impl HostObject for Iter {
    fn type_name(&self) -> &str {
        "java.util.ArrayList$Itr"
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let pos = self.pos.get();
        match (name, args.len()) {
            ("hasNext", 0) => Some(Ok(Value::Bool(pos < self.items.len()))),
            ("next", 0) => Some(match self.items.get(pos) {
                Some(v) => {
                    self.pos.set(pos + 1);
                    Ok(v.clone())
                }
                None => Err("java.util.NoSuchElementException".into()),
            }),
            _ => None,
        }
    }
    /// Java prints the class and an identity hash, which no engine can reproduce.
    fn to_java_string(&self) -> String {
        "java.util.ArrayList$Itr@0".into()
    }
    /// `#foreach` over an iterator steps through what it has left.
    fn iterable(&self) -> Option<crate::value::Iterable> {
        let rest = self
            .items
            .get(self.pos.get()..)
            .unwrap_or_default()
            .to_vec();
        Some(crate::value::Iterable::List(Rc::new(RefCell::new(rest))))
    }
}

pub(crate) fn entry(key: &str, value: Value) -> Value {
    Value::Object(Rc::new(Entry {
        key: Rc::from(key),
        value,
    }))
}

fn is_ascii(s: &str) -> bool {
    s.is_ascii()
}

fn utf16_len(s: &str) -> usize {
    if is_ascii(s) {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Java `substring(begin, end)` in UTF-16 units.
fn substring(s: &str, begin: i32, end: i32) -> Result<String, String> {
    let len = utf16_len(s) as i64;
    let (b, e) = (begin as i64, end as i64);
    if b < 0 || e > len || b > e {
        return Err(format!(
            "java.lang.StringIndexOutOfBoundsException: begin {begin}, end {end}, length {len}"
        ));
    }
    if is_ascii(s) {
        return Ok(s[b as usize..e as usize].to_string());
    }
    let u: Vec<u16> = s.encode_utf16().collect();
    // A cut through a surrogate pair leaves half of it, which a Rust string cannot hold. Java
    // keeps it in the String and its UTF-8 writer prints it as '?' (the encoder's replacement),
    // which is what such a half becomes here.
    Ok(
        char::decode_utf16(u[b as usize..e as usize].iter().copied())
            .map(|r| r.unwrap_or('?'))
            .collect(),
    )
}

/// UTF-16 index of a byte offset.
fn u16_index(s: &str, byte: usize) -> i32 {
    if is_ascii(s) {
        byte as i32
    } else {
        s[..byte].encode_utf16().count() as i32
    }
}

/// Byte offset of a UTF-16 index (clamped to the string).
fn byte_index(s: &str, idx: i32) -> usize {
    if idx <= 0 {
        return 0;
    }
    if is_ascii(s) {
        return (idx as usize).min(s.len());
    }
    let mut units = 0usize;
    for (b, c) in s.char_indices() {
        if units >= idx as usize {
            return b;
        }
        units += c.len_utf16();
    }
    s.len()
}

fn java_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(u as i32))
}

fn compare_to(a: &str, b: &str) -> i32 {
    let mut ia = a.encode_utf16();
    let mut ib = b.encode_utf16();
    loop {
        match (ia.next(), ib.next()) {
            (Some(x), Some(y)) if x != y => return x as i32 - y as i32,
            (Some(_), Some(_)) => {}
            _ => return utf16_len(a) as i32 - utf16_len(b) as i32,
        }
    }
}

/// Java `String.trim`: strips chars <= U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

fn str_arg(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

fn int_arg(v: Option<&Value>) -> Option<i32> {
    match v {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

fn ok_str(s: impl Into<Rc<str>>) -> Call {
    Call::Ok(Value::Str(s.into()))
}

fn ok_bool(b: bool) -> Call {
    Call::Ok(Value::Bool(b))
}

fn ok_int(i: i32) -> Call {
    Call::Ok(Value::Int(i))
}

/// 1.7's ASTMethod turns the null of a `void` method into "" (so the call prints nothing).
fn void() -> Call {
    ok_str("")
}

fn list_of_strs(items: Vec<String>) -> Value {
    Value::list(
        items
            .into_iter()
            .map(|s| Value::Str(Rc::from(s.as_str())))
            .collect(),
    )
}

pub(crate) fn call(target: &Value, name: &str, args: &[Value], regexes: &mut RegexCache) -> Call {
    let r = match target {
        Value::Str(s) => {
            regexes.work += s.len() as u64 / 32 + 1;
            if regexes.work > regexes.budget {
                return Call::Throw("the template exceeded its evaluation steps".into());
            }
            let r = match string_method(s, name, args, regexes) {
                Call::NoMethod => more_string_methods(s, name, args, regexes),
                r => r,
            };
            match r {
                Call::Ok(Value::Str(out)) if out.len() > regexes.max_string => {
                    too_big_string(regexes.max_string)
                }
                Call::Ok(Value::Str(out)) => {
                    regexes.work += out.len() as u64 / 32;
                    Call::Ok(Value::Str(out))
                }
                Call::Ok(Value::List(l)) => {
                    regexes.work += l.borrow().len() as u64;
                    Call::Ok(Value::List(l))
                }
                other => other,
            }
        }
        Value::List(l) => {
            regexes.work += 1;
            let before = l.try_borrow().map(|l| l.len()).unwrap_or(0);
            let r = list_method(l, name, args);
            let n = l.try_borrow().map(|l| l.len()).unwrap_or(0);
            if matches!(
                name,
                "addAll"
                    | "subList"
                    | "contains"
                    | "indexOf"
                    | "lastIndexOf"
                    | "containsAll"
                    | "toString"
                    | "remove"
            ) {
                regexes.work += n as u64;
            }
            if n > MAX_COLLECTION {
                // Only a list this call grew is cut back: a read must not change a list (an
                // embedder may share an input's lists between renderings of a template that
                // changes nothing, Template::changes_nothing).
                if n > before {
                    if let Ok(mut l) = l.try_borrow_mut() {
                        l.truncate(MAX_COLLECTION);
                    }
                }
                return too_big_collection();
            }
            r
        }
        Value::Map(m) => {
            regexes.work += 1;
            let r = map_method(m, name, args);
            let n = m.try_borrow().map(|m| m.len()).unwrap_or(0);
            if matches!(
                name,
                "keySet" | "values" | "entrySet" | "putAll" | "containsValue" | "toString"
            ) {
                regexes.work += n as u64;
            }
            if n > MAX_COLLECTION {
                return too_big_collection();
            }
            r
        }
        Value::Int(_) | Value::Long(_) | Value::Double(_) => number_method(target, name, args),
        Value::Bool(b) => match (name, args) {
            ("booleanValue", []) => ok_bool(*b),
            // Boolean.compare: false < true; the bridge compareTo(Object) takes anything else.
            ("compareTo", [Value::Bool(x)]) => ok_int(*b as i32 - *x as i32),
            ("compareTo", [Value::Null]) => Call::Throw("java.lang.NullPointerException".into()),
            ("compareTo", [other]) => Call::Throw(format!(
                "java.lang.ClassCastException: class {} cannot be cast to class java.lang.Boolean",
                other.java_class()
            )),
            // Boolean's statics through an instance.
            ("toString", [Value::Bool(x)]) => ok_str(if *x { "true" } else { "false" }),
            ("hashCode", [Value::Bool(x)]) => ok_int(if *x { 1231 } else { 1237 }),
            ("valueOf", [Value::Bool(x)]) => ok_bool(*x),
            ("parseBoolean" | "valueOf", [Value::Str(t)]) => {
                ok_bool(t.eq_ignore_ascii_case("true"))
            }
            ("parseBoolean" | "valueOf", [Value::Null]) => ok_bool(false),
            _ => Call::NoMethod,
        },
        Value::Object(o) => match o.call_method(name, args) {
            Some(Ok(v)) => Call::Ok(v),
            Some(Err(e)) => Call::Throw(e),
            None => Call::NoMethod,
        },
        Value::Null => return Call::NoMethod,
    };
    if !matches!(r, Call::NoMethod) {
        return r;
    }
    // Methods of java.lang.Object.
    match (name, args.len()) {
        ("toString", 0) => ok_str(target.to_java_string()),
        ("getClass", 0) => Call::Ok(class_of(target)),
        ("equals", 1) => ok_bool(target.java_equals(&args[0])),
        ("hashCode", 0) => match java_hash_code(target, 0) {
            Some(h) => ok_int(h),
            None if matches!(target, Value::Object(_)) => Call::NoMethod,
            None => Call::Throw("java.lang.StackOverflowError".into()),
        },
        (_, n) if n > 0 && takes_no_args(target, name) => Call::Throw(format!(
            "java.lang.IllegalArgumentException: wrong number of arguments ({name} takes none)"
        )),
        _ => Call::NoMethod,
    }
}

/// Java's `Math.max`/`Math.min` (and `Double`/`Float`'s): NaN wins, and -0.0 is below 0.0.
fn java_max_min(a: f64, b: f64, max: bool) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        // Equal but for the sign of zero: max takes the positive one, min the negative.
        if a.is_sign_negative() == max {
            b
        } else {
            a
        }
    } else if max {
        a.max(b)
    } else {
        a.min(b)
    }
}

fn string_method(s: &Rc<str>, name: &str, args: &[Value], regexes: &mut RegexCache) -> Call {
    // A null argument matches any object parameter in Velocity's method lookup; these String
    // methods then throw.
    // Only with arguments some overload takes: `$s.replace($nul)` fits no method and renders
    // literally, and the second parameter of indexOf/lastIndexOf/startsWith/split is an int.
    let int_second = matches!(args, [_, Value::Int(_)]);
    if args.iter().any(|a| a.is_null())
        && (int_second && matches!(name, "indexOf" | "lastIndexOf" | "startsWith" | "split")
            || matches!(
                (name, args.len()),
                ("concat" | "contains" | "endsWith" | "matches", 1)
                    | ("compareTo" | "compareToIgnoreCase", 1)
                    | ("indexOf" | "lastIndexOf" | "startsWith" | "split", 1)
                    | ("replace" | "replaceAll" | "replaceFirst", 2)
            ))
    {
        return Call::Throw(format!(
            "java.lang.NullPointerException (null argument to String.{name})"
        ));
    }
    let a0 = args.first();
    let a1 = args.get(1);
    match (name, args.len()) {
        ("length", 0) => ok_int(utf16_len(s) as i32),
        ("isEmpty", 0) => ok_bool(s.is_empty()),
        ("toString", 0) | ("intern", 0) => Call::Ok(Value::Str(s.clone())),
        // Java's mappings, not Rust's (crate::jchar): `"ß".toUpperCase()` is `SS` in both, but
        // Java 17 knows Unicode 13 and lowercases a word-final sigma by its own word rules.
        ("toLowerCase", 0) => ok_str(crate::jchar::string_to_lower(s)),
        ("toUpperCase", 0) => ok_str(crate::jchar::string_to_upper(s)),
        ("trim", 0) => ok_str(java_trim(s)),
        ("hashCode", 0) => ok_int(java_hash(s)),
        // byte[] in UTF-8 (Java bytes are signed); Velocity gives arrays list methods.
        ("getBytes", 0) => Call::Ok(Value::list(
            s.bytes().map(|b| Value::Int(b as i8 as i32)).collect(),
        )),
        // char[]: one element per UTF-16 unit, so a character outside the BMP gives two halves
        // (each printed as '?', see `substring`).
        ("toCharArray", 0) => Call::Ok(Value::list(s.encode_utf16().map(character).collect())),
        ("substring", 1) => match int_arg(a0) {
            Some(b) => match substring(s, b, utf16_len(s) as i32) {
                Ok(r) => ok_str(r),
                Err(e) => Call::Throw(e),
            },
            None => Call::NoMethod,
        },
        ("substring", 2) | ("subSequence", 2) => match (int_arg(a0), int_arg(a1)) {
            (Some(b), Some(e)) => match substring(s, b, e) {
                Ok(r) => ok_str(r),
                Err(e) => Call::Throw(e),
            },
            _ => Call::NoMethod,
        },
        // A `Character` (see [`Character`]): one UTF-16 unit.
        ("charAt", 1) => match int_arg(a0) {
            Some(i) => {
                let unit = usize::try_from(i).ok().and_then(|i| {
                    if is_ascii(s) {
                        s.as_bytes().get(i).map(|&b| u16::from(b))
                    } else {
                        s.encode_utf16().nth(i)
                    }
                });
                match unit {
                    Some(u) => Call::Ok(character(u)),
                    None => str_index_error(i, utf16_len(s)),
                }
            }
            None => Call::NoMethod,
        },
        ("indexOf", 1) | ("lastIndexOf", 1) => match str_arg(a0) {
            Some(t) => {
                let r = if name == "indexOf" {
                    s.find(t)
                } else {
                    s.rfind(t)
                };
                ok_int(r.map(|b| u16_index(s, b)).unwrap_or(-1))
            }
            None => Call::NoMethod,
        },
        ("indexOf", 2) => match (str_arg(a0), int_arg(a1)) {
            (Some(t), Some(from)) => {
                let start = byte_index(s, from);
                ok_int(
                    s[start..]
                        .find(t)
                        .map(|b| u16_index(s, start + b))
                        .unwrap_or(-1),
                )
            }
            _ => Call::NoMethod,
        },
        ("lastIndexOf", 2) => match (str_arg(a0), int_arg(a1)) {
            (Some(t), Some(from)) => {
                if from < 0 {
                    return ok_int(-1);
                }
                // The match may start at `from` at the latest.
                let end = byte_index(s, from.saturating_add(utf16_len(t) as i32)).min(s.len());
                ok_int(s[..end].rfind(t).map(|b| u16_index(s, b)).unwrap_or(-1))
            }
            _ => Call::NoMethod,
        },
        ("contains", 1) => match str_arg(a0) {
            Some(t) => ok_bool(s.contains(t)),
            None => Call::NoMethod,
        },
        ("startsWith", 1) => match str_arg(a0) {
            Some(t) => ok_bool(s.starts_with(t)),
            None => Call::NoMethod,
        },
        ("startsWith", 2) => match (str_arg(a0), int_arg(a1)) {
            // The offset counts UTF-16 units: one inside a surrogate pair starts at its low
            // half, where only "" matches.
            (Some(t), Some(off)) => ok_bool(
                off >= 0
                    && off as usize <= utf16_len(s)
                    && (t.is_empty()
                        || u16_index(s, byte_index(s, off)) == off
                            && s[byte_index(s, off)..].starts_with(t)),
            ),
            _ => Call::NoMethod,
        },
        ("endsWith", 1) => match str_arg(a0) {
            Some(t) => ok_bool(s.ends_with(t)),
            None => Call::NoMethod,
        },
        ("equalsIgnoreCase", 1) => match a0 {
            // Character by character, one-to-one (`"ß"` does not equal `"SS"` ignoring case).
            Some(Value::Str(t)) => ok_bool(crate::jchar::equals_ignore_case(s, t)),
            Some(Value::Null) => ok_bool(false),
            _ => Call::NoMethod,
        },
        ("compareTo", 1) => match str_arg(a0) {
            Some(t) => ok_int(compare_to(s, t)),
            None => Call::NoMethod,
        },
        ("compareToIgnoreCase", 1) => match str_arg(a0) {
            Some(t) => ok_int(crate::jchar::compare_ignore_case(s, t)),
            None => Call::NoMethod,
        },
        ("concat", 1) => match str_arg(a0) {
            Some(t) => ok_str(format!("{s}{t}")),
            None => Call::NoMethod,
        },
        // replace(char, char), with two Characters: every UTF-16 unit equal to the first.
        ("replace", 2) if char_arg(a0).is_some() && char_arg(a1).is_some() => {
            let (from, to) = (char_arg(a0).unwrap_or(0), char_arg(a1).unwrap_or(0));
            let units: Vec<u16> = s
                .encode_utf16()
                .map(|u| if u == from { to } else { u })
                .collect();
            ok_str(
                char::decode_utf16(units)
                    .map(|r| r.unwrap_or('?'))
                    .collect::<String>(),
            )
        }
        ("replace", 2) => match (str_arg(a0), str_arg(a1)) {
            // The result size is known before building it: refuse it up front, or
            // `$s.replace('x', $s)` on a 1 MiB `$s` would try to allocate 1 TiB.
            (Some(a), Some(b)) => {
                let hits = if a.is_empty() {
                    s.chars().count() + 1
                } else {
                    s.matches(a).count()
                };
                let len = (s.len() - hits * a.len()).saturating_add(hits.saturating_mul(b.len()));
                if len > regexes.max_string {
                    return too_big_string(regexes.max_string);
                }
                if a.is_empty() && !b.is_empty() && !s.is_ascii() {
                    // Java inserts `b` between UTF-16 units, so inside a surrogate pair too; the
                    // halves then print as '?' (see `substring`).
                    let mut out = String::with_capacity(len);
                    out.push_str(b);
                    for c in s.chars() {
                        if c.len_utf16() == 2 {
                            out.push('?');
                            out.push_str(b);
                            out.push('?');
                        } else {
                            out.push(c);
                        }
                        out.push_str(b);
                    }
                    return ok_str(out);
                }
                ok_str(s.replace(a, b))
            }
            _ => Call::NoMethod,
        },
        ("replaceAll", 2) | ("replaceFirst", 2) => match (str_arg(a0), str_arg(a1)) {
            (Some(p), Some(r)) => match regexes.get(p) {
                Ok(re) => {
                    let max = if name == "replaceAll" { usize::MAX } else { 1 };
                    let mut b = regexes.regex_budget();
                    let res = re.replace_budgeted(s, r, max, regexes.max_string, &mut b);
                    match regexes.charge(&b, res) {
                        Ok(v) => ok_str(v),
                        Err(e) if e.starts_with(crate::java_regex::LIMIT_MESSAGE) => Call::Throw(e),
                        Err(e) => Call::Throw(format!("java.lang.IllegalArgumentException: {e}")),
                    }
                }
                Err(e) => Call::Throw(e),
            },
            _ => Call::NoMethod,
        },
        ("matches", 1) => match str_arg(a0) {
            Some(p) => match regexes.get(p) {
                Ok(re) => {
                    let mut b = regexes.regex_budget();
                    let res = re.try_is_match_whole(s, &mut b);
                    match regexes.charge(&b, res) {
                        Ok(v) => ok_bool(v),
                        Err(e) => Call::Throw(e),
                    }
                }
                Err(e) => Call::Throw(e),
            },
            None => Call::NoMethod,
        },
        ("split", 1) | ("split", 2) => {
            let limit = if args.len() == 2 {
                match int_arg(a1) {
                    Some(l) => l,
                    None => return Call::NoMethod,
                }
            } else {
                0
            };
            match str_arg(a0) {
                Some(p) => match regexes.get(p) {
                    Ok(re) => {
                        let mut b = regexes.regex_budget();
                        let res = re.try_split(s, limit, &mut b);
                        match regexes.charge(&b, res) {
                            Ok(v) => Call::Ok(list_of_strs(v)),
                            Err(e) => Call::Throw(e),
                        }
                    }
                    Err(e) => Call::Throw(e),
                },
                None => Call::NoMethod,
            }
        }
        _ => Call::NoMethod,
    }
}

/// `Character.isWhitespace`: Unicode space separators except the no-break ones, plus the ASCII
/// controls \t \n \u000B \f \r and \u001C-\u001F (what `strip` and `isBlank` use, unlike
/// `trim`'s "<= U+0020").
fn java_whitespace(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\u{1c}'..='\u{1f}')
        || (matches!(c, ' ' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200a}')
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{205f}' | '\u{3000}'))
}

fn str_index_error(i: i32, len: usize) -> Call {
    Call::Throw(format!(
        "java.lang.StringIndexOutOfBoundsException: index {i}, length {len}"
    ))
}

/// `indexOf(int ch[, from])` / `lastIndexOf(int ch[, from])`: Java searches UTF-16 units, so a
/// lone surrogate value finds half of a pair (`"😀".indexOf(0xD83D)` is 0).
fn index_of_char(s: &str, ch: i32, from: Option<i32>, last: bool) -> i32 {
    let units: Vec<u16> = s.encode_utf16().collect();
    let needle: Vec<u16> = match u32::try_from(ch).ok().and_then(char::from_u32) {
        Some(c) => {
            let mut b = [0u16; 2];
            c.encode_utf16(&mut b).to_vec()
        }
        // A surrogate code (not a char) matches that unit alone.
        None if (0xD800..=0xDFFF).contains(&ch) => vec![ch as u16],
        None => return -1,
    };
    let n = needle.len();
    if units.len() < n {
        return -1;
    }
    let max_start = units.len() - n;
    let hit = |i: usize| units.get(i..i + n) == Some(&needle[..]);
    if last {
        let from = from.unwrap_or(i32::MAX);
        if from < 0 {
            return -1;
        }
        let start = (from as usize).min(max_start);
        (0..=start).rev().find(|&i| hit(i)).map_or(-1, |i| i as i32)
    } else {
        let from = from.unwrap_or(0).max(0) as usize;
        (from..=max_start)
            .find(|&i| hit(i))
            .map_or(-1, |i| i as i32)
    }
}

/// The Java 9-17 String methods templates reach and the static ones Velocity 1.7 calls through
/// an instance (`$s.valueOf(5)`, `$s.join(",", $list)`): 1.7 looks methods up on the class,
/// statics included.
fn more_string_methods(s: &Rc<str>, name: &str, args: &[Value], regexes: &mut RegexCache) -> Call {
    let a0 = args.first();
    let a1 = args.get(1);
    match (name, args.len()) {
        ("indexOf", 1) | ("lastIndexOf", 1) => match int_arg(a0) {
            Some(c) => ok_int(index_of_char(s, c, None, name == "lastIndexOf")),
            None => Call::NoMethod,
        },
        ("indexOf", 2) | ("lastIndexOf", 2) => match (int_arg(a0), int_arg(a1)) {
            (Some(c), Some(from)) => ok_int(index_of_char(s, c, Some(from), name == "lastIndexOf")),
            _ => Call::NoMethod,
        },
        ("isBlank", 0) => ok_bool(s.chars().all(java_whitespace)),
        ("strip", 0) => ok_str(s.trim_matches(java_whitespace)),
        ("stripLeading", 0) => ok_str(s.trim_start_matches(java_whitespace)),
        ("stripTrailing", 0) => ok_str(s.trim_end_matches(java_whitespace)),
        ("contentEquals", 1) => match str_arg(a0) {
            Some(t) => ok_bool(**s == *t),
            None => Call::NoMethod,
        },
        ("repeat", 1) => match int_arg(a0) {
            Some(n) if n < 0 => Call::Throw(format!(
                "java.lang.IllegalArgumentException: count is negative: {n}"
            )),
            Some(n) => {
                if (n as usize).saturating_mul(s.len()) > regexes.max_string {
                    return too_big_string(regexes.max_string);
                }
                ok_str(s.repeat(n as usize))
            }
            None => Call::NoMethod,
        },
        ("codePointAt", 1) => match int_arg(a0) {
            Some(i) => {
                let units: Vec<u16> = s.encode_utf16().collect();
                let Some(&u) = usize::try_from(i).ok().and_then(|i| units.get(i)) else {
                    return str_index_error(i, units.len());
                };
                // A high surrogate followed by a low one is the pair's code point; any other
                // unit (a low surrogate included) is returned as is.
                let next = units.get(i as usize + 1).copied();
                match (u, next) {
                    (0xD800..=0xDBFF, Some(l @ 0xDC00..=0xDFFF)) => {
                        ok_int(0x10000 + (((u as i32) - 0xD800) << 10) + (l as i32 - 0xDC00))
                    }
                    _ => ok_int(u as i32),
                }
            }
            None => Call::NoMethod,
        },
        ("codePointCount", 2) => match (int_arg(a0), int_arg(a1)) {
            (Some(b), Some(e)) => {
                let units: Vec<u16> = s.encode_utf16().collect();
                if b < 0 || e < b || e as usize > units.len() {
                    return Call::Throw("java.lang.IndexOutOfBoundsException".into());
                }
                let part = &units[b as usize..e as usize];
                // Each unit counts, except the low half of a pair inside the range.
                let pairs = part
                    .windows(2)
                    .filter(|w| {
                        (0xD800..=0xDBFF).contains(&w[0]) && (0xDC00..=0xDFFF).contains(&w[1])
                    })
                    .count();
                ok_int((part.len() - pairs) as i32)
            }
            _ => Call::NoMethod,
        },
        ("regionMatches", 4) | ("regionMatches", 5) => {
            let (ignore, rest) = match (args.len(), a0) {
                (5, Some(Value::Bool(b))) => (*b, &args[1..]),
                (5, _) => return Call::NoMethod,
                _ => (false, args),
            };
            match (
                int_arg(rest.first()),
                rest.get(1),
                int_arg(rest.get(2)),
                int_arg(rest.get(3)),
            ) {
                (Some(to), Some(Value::Str(other)), Some(oo), Some(len)) => {
                    ok_bool(region_matches(s, to, other, oo, len, ignore))
                }
                (Some(_), Some(Value::Null), Some(_), Some(_)) => Call::Throw(
                    "java.lang.NullPointerException (null argument to String.regionMatches)".into(),
                ),
                _ => Call::NoMethod,
            }
        }
        // static String.valueOf(Object) and its primitive overloads: the value's toString,
        // "null" for null.
        ("valueOf", 1) => match a0 {
            Some(Value::Null) => ok_str("null"),
            Some(v) => ok_str(v.to_java_string()),
            None => Call::NoMethod,
        },
        // static String.join(CharSequence, Iterable) or (CharSequence, CharSequence...).
        ("join", n) if n >= 2 => {
            let Some(sep) = str_arg(a0) else {
                return Call::NoMethod;
            };
            let parts: Vec<Value> = match (n, a1) {
                (2, Some(c @ (Value::List(_) | Value::Object(_)))) => match collection_items(c) {
                    Some(items) => items,
                    None => return Call::NoMethod,
                },
                // A null second argument fits both overloads: Velocity finds it ambiguous.
                (2, Some(Value::Null)) => return Call::NoMethod,
                _ if args[1..].iter().all(|a| matches!(a, Value::Str(_))) => args[1..].to_vec(),
                _ => return Call::NoMethod,
            };
            let mut out = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                match p {
                    Value::Str(t) => out.push_str(t),
                    Value::Null => out.push_str("null"),
                    other => {
                        return Call::Throw(format!(
                            "java.lang.ClassCastException: class {} cannot be cast to class java.lang.CharSequence",
                            other.java_class()
                        ))
                    }
                }
                if out.len() > regexes.max_string {
                    return too_big_string(regexes.max_string);
                }
            }
            ok_str(out)
        }
        // static String.format(String, Object...); format(Locale, String, Object...) is
        // the one a null first argument fits (Velocity prefers it), a null locale formatting
        // as English.
        ("format", n) if n >= 1 => {
            let (f, rest) = match (a0, a1) {
                (Some(Value::Str(f)), _) => (f, &args[1..]),
                (Some(Value::Null), Some(Value::Str(f))) => (f, &args[2..]),
                (Some(Value::Null), _) => {
                    return Call::Throw("java.lang.NullPointerException (String.format)".into())
                }
                _ => return Call::NoMethod,
            };
            match java_format(f, rest, regexes.max_string) {
                Ok(Some(s)) => ok_str(s),
                Ok(None) => Call::NoMethod,
                Err(e) => Call::Throw(e),
            }
        }
        // compareTo(Object), the bridge method, takes any argument and fails its cast.
        ("compareTo", 1) => Call::Throw(format!(
            "java.lang.ClassCastException: class {} cannot be cast to class java.lang.String",
            a0.map_or("null", |v| v.java_class())
        )),
        _ => Call::NoMethod,
    }
}

/// Java `regionMatches`, in UTF-16 units; ignoring case compares `Character.toUpperCase` then
/// `toLowerCase` of each unit.
fn region_matches(s: &str, to: i32, other: &str, oo: i32, len: i32, ignore: bool) -> bool {
    let a: Vec<u16> = s.encode_utf16().collect();
    let b: Vec<u16> = other.encode_utf16().collect();
    let (to64, oo64, len64) = (to as i64, oo as i64, len as i64);
    if oo64 < 0 || to64 < 0 || to64 > a.len() as i64 - len64 || oo64 > b.len() as i64 - len64 {
        return false;
    }
    if len <= 0 {
        return true;
    }
    let (to, oo, len) = (to as usize, oo as usize, len as usize);
    let (ra, rb) = (&a[to..to + len], &b[oo..oo + len]);
    if !ignore {
        return ra == rb;
    }
    ra.iter().zip(rb).all(|(&x, &y)| {
        if x == y {
            return true;
        }
        let (cx, cy) = (char::from_u32(x as u32), char::from_u32(y as u32));
        match (cx, cy) {
            (Some(cx), Some(cy)) => {
                let (ux, uy) = (crate::jchar::to_upper(cx), crate::jchar::to_upper(cy));
                ux == uy || crate::jchar::to_lower(ux) == crate::jchar::to_lower(uy)
            }
            _ => false,
        }
    })
}

fn index_error(i: i32, len: usize) -> Call {
    Call::Throw(format!(
        "java.lang.IndexOutOfBoundsException: Index {i} out of bounds for length {len}"
    ))
}

fn list_method(l: &Rc<RefCell<Vec<Value>>>, name: &str, args: &[Value]) -> Call {
    let a0 = args.first();
    let Ok(mut list) = l.try_borrow_mut() else {
        return Call::Throw("java.util.ConcurrentModificationException".into());
    };
    // The Collection-taking methods dereference their argument: null throws.
    if matches!(
        (name, args),
        (
            "addAll" | "containsAll" | "retainAll" | "removeAll",
            [Value::Null]
        ) | ("addAll", [Value::Int(_), Value::Null])
    ) {
        return Call::Throw(format!(
            "java.lang.NullPointerException (null argument to ArrayList.{name})"
        ));
    }
    match (name, args.len()) {
        ("size", 0) => ok_int(list.len() as i32),
        ("isEmpty", 0) => ok_bool(list.is_empty()),
        ("iterator", 0) => Call::Ok(Value::Object(Rc::new(Iter {
            items: list.clone(),
            pos: std::cell::Cell::new(0),
        }))),
        // An Object[] copy: Velocity gives arrays the list methods (it prints as an identity
        // hash in Java, as a list here).
        ("toArray", 0) => Call::Ok(Value::list(list.clone())),
        ("get", 1) => match int_arg(a0) {
            Some(i) if i >= 0 && (i as usize) < list.len() => Call::Ok(list[i as usize].clone()),
            Some(i) => index_error(i, list.len()),
            None => Call::NoMethod,
        },
        ("add", 1) => {
            list.push(args[0].clone());
            ok_bool(true)
        }
        ("add", 2) => match int_arg(a0) {
            Some(i) if i >= 0 && (i as usize) <= list.len() => {
                list.insert(i as usize, args[1].clone());
                void()
            }
            Some(i) => index_error(i, list.len()),
            None => Call::NoMethod,
        },
        ("set", 2) => match int_arg(a0) {
            Some(i) if i >= 0 && (i as usize) < list.len() => {
                Call::Ok(std::mem::replace(&mut list[i as usize], args[1].clone()))
            }
            Some(i) => index_error(i, list.len()),
            None => Call::NoMethod,
        },
        ("remove", 1) => match a0 {
            // remove(int) is the more specific overload for an Integer argument.
            Some(Value::Int(i)) => {
                let i = *i;
                if i >= 0 && (i as usize) < list.len() {
                    Call::Ok(list.remove(i as usize))
                } else {
                    index_error(i, list.len())
                }
            }
            Some(v) => match list.iter().position(|x| x.java_equals(v)) {
                Some(p) => {
                    list.remove(p);
                    ok_bool(true)
                }
                None => ok_bool(false),
            },
            None => Call::NoMethod,
        },
        ("contains", 1) => ok_bool(list.iter().any(|x| x.java_equals(&args[0]))),
        ("indexOf", 1) => ok_int(
            list.iter()
                .position(|x| x.java_equals(&args[0]))
                .map(|p| p as i32)
                .unwrap_or(-1),
        ),
        ("lastIndexOf", 1) => ok_int(
            list.iter()
                .rposition(|x| x.java_equals(&args[0]))
                .map(|p| p as i32)
                .unwrap_or(-1),
        ),
        ("clear", 0) => {
            list.clear();
            void()
        }
        ("addAll", 1) => {
            let Some(items) = argument_items(&args[0], l, &list) else {
                return Call::NoMethod;
            };
            if list.len() + items.len() > MAX_COLLECTION {
                return too_big_collection();
            }
            let changed = !items.is_empty();
            list.extend(items);
            ok_bool(changed)
        }
        ("retainAll", 1) | ("removeAll", 1) => {
            let Some(other) = argument_items(&args[0], l, &list) else {
                return Call::NoMethod;
            };
            let keep = name == "retainAll";
            let before = list.len();
            list.retain(|x| other.iter().any(|o| o.java_equals(x)) == keep);
            ok_bool(list.len() != before)
        }
        ("addAll", 2) => match (int_arg(a0), &args[1]) {
            (Some(i), c) => {
                let Some(items) = argument_items(c, l, &list) else {
                    return Call::NoMethod;
                };
                if i < 0 || i as usize > list.len() {
                    return index_error(i, list.len());
                }
                if list.len() + items.len() > MAX_COLLECTION {
                    return too_big_collection();
                }
                let changed = !items.is_empty();
                let at = i as usize;
                list.splice(at..at, items);
                ok_bool(changed)
            }
            _ => Call::NoMethod,
        },
        ("containsAll", 1) => match &args[0] {
            Value::List(o) if Rc::ptr_eq(o, l) => ok_bool(true),
            other => match collection_items(other) {
                Some(o) => ok_bool(o.iter().all(|v| list.iter().any(|x| x.java_equals(v)))),
                None => Call::NoMethod,
            },
        },
        ("subList", 2) => match (int_arg(a0), int_arg(args.get(1))) {
            (Some(a), Some(b)) if a >= 0 && b as i64 <= list.len() as i64 && a <= b => {
                Call::Ok(Value::list(list[a as usize..b as usize].to_vec()))
            }
            (Some(a), Some(b)) => Call::Throw(format!(
                "java.lang.IndexOutOfBoundsException: fromIndex {a}, toIndex {b}, size {}",
                list.len()
            )),
            _ => Call::NoMethod,
        },
        _ => Call::NoMethod,
    }
}

fn key_arg(v: Option<&Value>) -> Option<Rc<str>> {
    match v {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn map_method(m: &Rc<RefCell<Map>>, name: &str, args: &[Value]) -> Call {
    let a0 = args.first();
    let Ok(mut map) = m.try_borrow_mut() else {
        return Call::Throw("java.util.ConcurrentModificationException".into());
    };
    match (name, args.len()) {
        ("size", 0) => ok_int(map.len() as i32),
        ("isEmpty", 0) => ok_bool(map.is_empty()),
        // Keys are strings: a lookup with a non-string key finds nothing, as in Java.
        ("get", 1) => Call::Ok(
            key_arg(a0)
                .and_then(|k| map.get(&*k).cloned())
                .unwrap_or(Value::Null),
        ),
        ("getOrDefault", 2) => Call::Ok(
            key_arg(a0)
                .and_then(|k| map.get(&*k).cloned())
                .unwrap_or_else(|| args[1].clone()),
        ),
        ("containsKey", 1) => ok_bool(key_arg(a0).is_some_and(|k| map.contains_key(&*k))),
        ("containsValue", 1) => ok_bool(map.values().any(|v| v.java_equals(&args[0]))),
        ("put", 2) => {
            let key: String = match a0 {
                Some(Value::Str(s)) => s.to_string(),
                Some(Value::Null) | None => "null".to_string(),
                Some(other) => other.to_java_string(),
            };
            Call::Ok(map.insert(key, args[1].clone()).unwrap_or(Value::Null))
        }
        ("remove", 1) => Call::Ok(
            key_arg(a0)
                .and_then(|k| map.shift_remove(&*k))
                .unwrap_or(Value::Null),
        ),
        ("clear", 0) => {
            map.clear();
            void()
        }
        // Map's Java 8 defaults. An absent key or one mapped to null counts as absent for
        // putIfAbsent; remove with a value compares it with equals.
        ("putIfAbsent", 2) => {
            let key: String = match a0 {
                Some(Value::Str(s)) => s.to_string(),
                Some(Value::Null) | None => "null".to_string(),
                Some(other) => other.to_java_string(),
            };
            match map.get(&key) {
                Some(v) if !v.is_null() => Call::Ok(v.clone()),
                _ => {
                    map.insert(key, args[1].clone());
                    Call::Ok(Value::Null)
                }
            }
        }
        // A null key is stored as "null" (see put), so it is looked up the same way here.
        ("remove", 2) => {
            match key_arg(a0).or_else(|| a0.filter(|v| v.is_null()).map(|_| Rc::from("null"))) {
                Some(k) if map.get(&*k).is_some_and(|v| v.java_equals(&args[1])) => {
                    map.shift_remove(&*k);
                    ok_bool(true)
                }
                _ => ok_bool(false),
            }
        }
        // Map.replace(key, old, new): only if the key is present with a value equal to `old`.
        // Three arguments tell it from String.replace, so eval.rs's read-only classification
        // (Template::changes_nothing) can see that it writes.
        ("replace", 3) => {
            match key_arg(a0).or_else(|| a0.filter(|v| v.is_null()).map(|_| Rc::from("null"))) {
                Some(k) if map.get(&*k).is_some_and(|v| v.java_equals(&args[1])) => {
                    map.insert(k.to_string(), args[2].clone());
                    ok_bool(true)
                }
                _ => ok_bool(false),
            }
        }
        // Map.replace(key, value) is left out on purpose: a two-argument `replace` cannot be
        // told from String.replace before rendering, and eval.rs's READ_ONLY_METHODS lists
        // `replace` so that templates calling String.replace keep sharing their input between
        // renders (dropping it cost 22% more instructions per render on the `strings` bench
        // case). It renders literally instead of replacing.
        ("putAll", 1) if a0.is_some_and(|v| v.is_null()) => Call::Throw(
            "java.lang.NullPointerException (null argument to LinkedHashMap.putAll)".into(),
        ),
        ("putAll", 1) => match &args[0] {
            Value::Map(o) if Rc::ptr_eq(o, m) => void(),
            Value::Map(o) => match o.try_borrow() {
                Ok(o) => {
                    for (k, v) in o.iter() {
                        map.insert(k.clone(), v.clone());
                    }
                    void()
                }
                Err(_) => Call::NoMethod,
            },
            _ => Call::NoMethod,
        },
        ("keySet", 0) => Call::Ok(map_view(m, ViewKind::Keys)),
        ("values", 0) => Call::Ok(map_view(m, ViewKind::Values)),
        ("entrySet", 0) => Call::Ok(map_view(m, ViewKind::Entries)),
        _ => Call::NoMethod,
    }
}

fn number_method(v: &Value, name: &str, args: &[Value]) -> Call {
    let as_f64 = match v {
        Value::Int(i) => *i as f64,
        Value::Long(l) => *l as f64,
        Value::Double(d) => *d,
        _ => return Call::NoMethod,
    };
    let as_i64 = match v {
        Value::Int(i) => *i as i64,
        Value::Long(l) => *l,
        // Java's (long) cast of a double saturates, NaN becomes 0 — as Rust's `as` does.
        Value::Double(d) => *d as i64,
        _ => 0,
    };
    match (name, args.len()) {
        ("intValue", 0) => Call::Ok(Value::Int(match v {
            Value::Double(d) => *d as i32,
            _ => as_i64 as i32,
        })),
        ("longValue", 0) => Call::Ok(Value::Long(as_i64)),
        ("doubleValue", 0) => Call::Ok(Value::Double(as_f64)),
        // Rust's `as f32` rounds to nearest, ties to even, as Java's (float) does.
        ("floatValue", 0) => Call::Ok(float(match v {
            Value::Long(l) => *l as f32,
            _ => as_f64 as f32,
        })),
        ("isNaN", 0) if matches!(v, Value::Double(_)) => ok_bool(as_f64.is_nan()),
        ("isInfinite", 0) if matches!(v, Value::Double(_)) => ok_bool(as_f64.is_infinite()),
        ("hashCode", 0) => match v {
            Value::Int(i) => ok_int(*i),
            Value::Long(l) => ok_int((*l ^ (*l >> 32)) as i32),
            _ => {
                let bits = if as_f64.is_nan() {
                    0x7ff8000000000000u64
                } else {
                    as_f64.to_bits()
                };
                ok_int((bits ^ (bits >> 32)) as i32)
            }
        },
        ("compareTo", 1) => match (v, &args[0]) {
            (Value::Int(a), Value::Int(b)) => ok_int(a.cmp(b) as i32),
            (Value::Long(a), Value::Long(b)) => ok_int(a.cmp(b) as i32),
            (Value::Double(a), Value::Double(b)) => ok_int(a.total_cmp(b) as i32),
            // compareTo(Object), the bridge method, takes any argument and fails its cast.
            (_, Value::Null) => Call::Throw("java.lang.NullPointerException".into()),
            (_, other) => Call::Throw(format!(
                "java.lang.ClassCastException: class {} cannot be cast to class {}",
                other.java_class(),
                v.java_class()
            )),
        },
        ("shortValue", 0) => Call::Ok(Value::Int(match v {
            Value::Double(d) => *d as i32 as i16 as i32,
            _ => as_i64 as i16 as i32,
        })),
        ("byteValue", 0) => Call::Ok(Value::Int(match v {
            Value::Double(d) => *d as i32 as i8 as i32,
            _ => as_i64 as i8 as i32,
        })),
        _ => match v {
            Value::Int(_) => integer_static(name, args),
            Value::Long(_) => long_static(name, args),
            _ => double_static(name, args),
        },
    }
}

/// `java.lang.Integer`'s static methods, which Velocity 1.7 calls through an instance
/// (`$n.parseInt("12")`): the ones taking `int` or `String` arguments.
fn integer_static(name: &str, args: &[Value]) -> Call {
    let ints: Option<Vec<i32>> = args
        .iter()
        .map(|a| match a {
            Value::Int(i) => Some(*i),
            _ => None,
        })
        .collect();
    let parse = |t: &str, radix: i32| -> Call {
        let radix_ok = (2..=36).contains(&radix);
        // Rust accepts the same optional sign and ASCII digits; Java also takes other Unicode
        // digits (Character.digit), which templates do not use.
        match i32::from_str_radix(t, radix as u32) {
            Ok(v) if radix_ok => ok_int(v),
            _ => Call::Throw(format!(
                "java.lang.NumberFormatException: For input string: \"{t}\""
            )),
        }
    };
    match (name, args, ints.as_deref()) {
        ("parseInt" | "valueOf", [Value::Str(t)], _) => parse(t, 10),
        ("parseInt" | "valueOf", [Value::Str(t), Value::Int(r)], _) => parse(t, *r),
        ("valueOf" | "hashCode", _, Some(&[i])) => ok_int(i),
        ("toString", _, Some(&[i])) => ok_str(i.to_string()),
        ("toString", _, Some(&[i, radix])) => ok_str(radix_string(i as i64, radix)),
        ("sum", _, Some(&[a, b])) => ok_int(a.wrapping_add(b)),
        ("max", _, Some(&[a, b])) => ok_int(a.max(b)),
        ("min", _, Some(&[a, b])) => ok_int(a.min(b)),
        ("compare", _, Some(&[a, b])) => ok_int(a.cmp(&b) as i32),
        ("signum", _, Some(&[a])) => ok_int(a.signum()),
        ("bitCount", _, Some(&[a])) => ok_int(a.count_ones() as i32),
        ("toHexString", _, Some(&[a])) => ok_str(format!("{a:x}")),
        ("toBinaryString", _, Some(&[a])) => ok_str(format!("{a:b}")),
        ("toOctalString", _, Some(&[a])) => ok_str(format!("{a:o}")),
        _ => Call::NoMethod,
    }
}

/// `Integer/Long.toString(value, radix)`: lowercase digits, a leading `-`; a radix outside
/// 2..=36 means 10.
fn radix_string(v: i64, radix: i32) -> String {
    let radix = if (2..=36).contains(&radix) { radix } else { 10 } as u64;
    let mut digits = Vec::new();
    let mut n = v.unsigned_abs();
    loop {
        digits.push(std::char::from_digit((n % radix) as u32, radix as u32).unwrap_or('0'));
        n /= radix;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// `java.lang.Long`'s static methods through an instance; Velocity 1.7 widens an `Integer`
/// argument to a `long` parameter.
fn long_static(name: &str, args: &[Value]) -> Call {
    let longs: Option<Vec<i64>> = args
        .iter()
        .map(|a| match a {
            Value::Int(i) => Some(*i as i64),
            Value::Long(l) => Some(*l),
            _ => None,
        })
        .collect();
    let long = |l: i64| Call::Ok(Value::Long(l));
    match (name, args, longs.as_deref()) {
        ("parseLong" | "valueOf", [Value::Str(t)], _) => match t.parse::<i64>() {
            Ok(l) => long(l),
            Err(_) => Call::Throw(format!(
                "java.lang.NumberFormatException: For input string: \"{t}\""
            )),
        },
        ("valueOf", _, Some(&[l])) => long(l),
        ("hashCode", _, Some(&[l])) => ok_int((l ^ (l >> 32)) as i32),
        ("toString", _, Some(&[l])) => ok_str(l.to_string()),
        // toString(long, int radix): the radix must be an Integer.
        ("toString", [_, Value::Int(radix)], Some(&[l, _])) => ok_str(radix_string(l, *radix)),
        ("sum", _, Some(&[a, b])) => long(a.wrapping_add(b)),
        ("max", _, Some(&[a, b])) => long(a.max(b)),
        ("min", _, Some(&[a, b])) => long(a.min(b)),
        ("compare", _, Some(&[a, b])) => ok_int(a.cmp(&b) as i32),
        ("signum", _, Some(&[a])) => ok_int(a.signum() as i32),
        ("bitCount", _, Some(&[a])) => ok_int(a.count_ones() as i32),
        ("toHexString", _, Some(&[a])) => ok_str(format!("{a:x}")),
        ("toBinaryString", _, Some(&[a])) => ok_str(format!("{a:b}")),
        ("toOctalString", _, Some(&[a])) => ok_str(format!("{a:o}")),
        _ => Call::NoMethod,
    }
}

/// Java's `Double.parseDouble`: blanks (<= U+0020) trimmed, an optional `d`/`f` suffix,
/// `NaN` and `Infinity` spelled exactly (Rust's parser also takes `inf`/`nan` in any case,
/// which Java rejects). Hexadecimal floats are not supported (an error, as for garbage).
fn java_parse_double(t: &str) -> Option<f64> {
    let s = t.trim_matches(|c: char| c <= ' ');
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body == "NaN" || body == "Infinity" {
        return s.replace("Infinity", "inf").parse().ok();
    }
    let s = s.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(s);
    if s.chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    s.parse().ok()
}

/// `Double.toHexString`: `0x1.<hex>p<exp>` with trailing zero digits dropped (at least one
/// kept), `0x0.<hex>p-1022` for subnormals, `0x0.0p0` for zero, a `-` for negative values.
fn double_to_hex(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if d.is_sign_negative() { "-" } else { "" };
    if d == 0.0 {
        return format!("{sign}0x0.0p0");
    }
    let bits = d.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = bits & 0x000f_ffff_ffff_ffff;
    let mut hex = format!("{mantissa:013x}");
    while hex.len() > 1 && hex.ends_with('0') {
        hex.pop();
    }
    if exp == 0 {
        format!("{sign}0x0.{hex}p-1022")
    } else {
        format!("{sign}0x1.{hex}p{}", exp - 1023)
    }
}

/// `java.lang.Double`'s static methods through an instance; `Integer`/`Long` arguments widen.
fn double_static(name: &str, args: &[Value]) -> Call {
    let ds: Option<Vec<f64>> = args
        .iter()
        .map(|a| match a {
            Value::Int(i) => Some(*i as f64),
            Value::Long(l) => Some(*l as f64),
            Value::Double(d) => Some(*d),
            _ => None,
        })
        .collect();
    let dbl = |d: f64| Call::Ok(Value::Double(d));
    match (name, args, ds.as_deref()) {
        ("parseDouble" | "valueOf", [Value::Str(t)], _) => match java_parse_double(t) {
            Some(d) => dbl(d),
            None => Call::Throw(format!(
                "java.lang.NumberFormatException: For input string: \"{t}\""
            )),
        },
        ("valueOf", _, Some(&[d])) => dbl(d),
        ("toString", _, Some(&[d])) => ok_str(Value::Double(d).to_java_string()),
        ("hashCode", _, Some(&[d])) => match java_hash_code(&Value::Double(d), 0) {
            Some(h) => ok_int(h),
            None => Call::NoMethod,
        },
        ("sum", _, Some(&[a, b])) => dbl(a + b),
        ("max", _, Some(&[a, b])) => dbl(java_max_min(a, b, true)),
        ("min", _, Some(&[a, b])) => dbl(java_max_min(a, b, false)),
        ("compare", _, Some(&[a, b])) => {
            // Double.compare orders -0.0 below 0.0 and NaN above everything (all NaNs equal).
            let key = |x: f64| if x.is_nan() { f64::NAN } else { x };
            ok_int(key(a).total_cmp(&key(b)) as i32)
        }
        ("toHexString", _, Some(&[d])) => ok_str(double_to_hex(d)),
        ("isNaN", _, Some(&[d])) => ok_bool(d.is_nan()),
        ("isInfinite", _, Some(&[d])) => ok_bool(d.is_infinite()),
        ("isFinite", _, Some(&[d])) => ok_bool(d.is_finite()),
        _ => Call::NoMethod,
    }
}

/// Java's `hashCode()` of a value (`String`'s, the boxed numbers', `List`'s and `Map`'s
/// content hashes); `None` for a host object (identity hash) or a structure nested past 100
/// levels (Java overflows its stack on a list that contains itself).
fn java_hash_code(v: &Value, depth: usize) -> Option<i32> {
    if depth > 100 {
        return None;
    }
    Some(match v {
        Value::Null => 0,
        Value::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        Value::Int(i) => *i,
        Value::Long(l) => (*l ^ (*l >> 32)) as i32,
        Value::Double(d) => {
            let bits = if d.is_nan() {
                0x7ff8000000000000u64
            } else {
                d.to_bits()
            };
            (bits ^ (bits >> 32)) as i32
        }
        Value::Str(s) => java_hash(s),
        Value::List(l) => {
            let l = l.try_borrow().ok()?;
            let mut h = 1i32;
            for e in l.iter() {
                h = h
                    .wrapping_mul(31)
                    .wrapping_add(java_hash_code(e, depth + 1)?);
            }
            h
        }
        Value::Map(m) => {
            let m = m.try_borrow().ok()?;
            let mut h = 0i32;
            for (k, e) in m.iter() {
                h = h.wrapping_add(java_hash(k) ^ java_hash_code(e, depth + 1)?);
            }
            h
        }
        Value::Object(o) => return o.java_hash(),
    })
}

/// Velocity 1.7's `MethodMap.isApplicable` accepts a method without parameters for any
/// arguments; invoking it then fails with "wrong number of arguments". So `$s.length(1)`
/// stops the render where a call that fits no method renders literally. These are the public
/// no-parameter methods of each class whose other overloads (if any) are handled above.
fn takes_no_args(target: &Value, name: &str) -> bool {
    const OBJECT: &[&str] = &["getClass", "hashCode", "toString", "notify", "notifyAll"];
    let own: &[&str] = match target {
        Value::Str(_) => &[
            "length",
            "isEmpty",
            "isBlank",
            "trim",
            "strip",
            "stripLeading",
            "stripTrailing",
            "toLowerCase",
            "toUpperCase",
            "intern",
            "toCharArray",
            "chars",
            "codePoints",
            "lines",
            "stripIndent",
            "translateEscapes",
        ],
        Value::List(_) => &[
            "size",
            "isEmpty",
            "clear",
            "iterator",
            "stream",
            "parallelStream",
            "trimToSize",
            "clone",
        ],
        Value::Map(_) => &[
            "size", "isEmpty", "clear", "keySet", "values", "entrySet", "clone",
        ],
        Value::Int(_) | Value::Long(_) | Value::Double(_) => &[
            "intValue",
            "longValue",
            "doubleValue",
            "floatValue",
            "shortValue",
            "byteValue",
        ],
        Value::Bool(_) => &["booleanValue"],
        _ => return false,
    };
    // The boxed types' static toString/hashCode overloads are handled before this (the
    // numbers' statics, Boolean's in `call`).
    own.contains(&name) || OBJECT.contains(&name)
}

/// `java.math.BigInteger`, which 1.7 makes of integer literals and `Long` results that do not
/// fit a `long`. It prints exactly; arithmetic on it is not supported (it yields null).
pub(crate) struct BigInteger(pub String);

impl HostObject for BigInteger {
    fn type_name(&self) -> &str {
        "java.math.BigInteger"
    }
    fn to_java_string(&self) -> String {
        self.0.clone()
    }
    /// The `java.lang.Number` narrowing methods and `signum()`. Arithmetic results beyond i128
    /// (and the BigDecimal strings that share this type) still print, but only the integral
    /// part within i128 takes part here; otherwise the call is an unknown method.
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !args.is_empty() {
            return None;
        }
        let int_part = self.0.split('.').next().unwrap_or("");
        let n: i128 = int_part.parse().ok()?;
        let v = match name {
            // Java's narrowing keeps the low-order bits (BigInteger.intValue/longValue).
            "intValue" => Value::Int(n as i32),
            "longValue" => Value::Long(n as i64),
            "shortValue" => Value::Int(n as i16 as i32),
            "byteValue" => Value::Int(n as i8 as i32),
            // Correctly rounded like BigInteger.doubleValue; the decimal text keeps any fraction.
            "doubleValue" => Value::Double(self.0.parse().ok()?),
            "signum" => Value::Int(n.signum() as i32),
            _ => return None,
        };
        Some(Ok(v))
    }
}

/// `java.lang.Class` of a value, for `$x.class.name` / `$x.getClass().simpleName`.
struct Class(String);

impl HostObject for Class {
    fn type_name(&self) -> &str {
        "java.lang.Class"
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        match name {
            "name" => Some(Value::str(&self.0)),
            "simpleName" => Some(Value::str(
                self.0.rsplit(['.', '$']).next().unwrap_or(&self.0),
            )),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !args.is_empty() {
            return None;
        }
        match name {
            "getName" => self.get_property("name").map(Ok),
            "getSimpleName" => self.get_property("simpleName").map(Ok),
            _ => None,
        }
    }
    fn to_java_string(&self) -> String {
        format!("class {}", self.0)
    }
}

fn class_of(v: &Value) -> Value {
    let name = match v {
        Value::Object(o) => o.type_name().to_string(),
        other => other.java_class().to_string(),
    };
    Value::Object(Rc::new(Class(name)))
}

/// `$value.name`: Velocity's property lookup — `getName()`, then (maps) `get("name")`, then
/// `isName()`.
pub(crate) fn property(target: &Value, name: &str) -> Value {
    if name == "class" && !target.is_null() {
        return class_of(target);
    }
    match target {
        Value::Map(m) => m
            .try_borrow()
            .ok()
            .and_then(|m| crate::value::map_get(&m, name).cloned())
            .unwrap_or(Value::Null),
        Value::Object(o) => o.get_property(name).unwrap_or(Value::Null),
        Value::Null => Value::Null,
        _ => {
            let mut cap = String::with_capacity(name.len() + 3);
            let mut chars = name.chars();
            if let Some(c) = chars.next() {
                // Velocity's getter name: `Character.toUpperCase` of the first character.
                cap.push(crate::jchar::to_upper(c));
                cap.push_str(chars.as_str());
            }
            let mut regexes = RegexCache {
                budget: u64::MAX,
                ..RegexCache::default()
            };
            for prefix in ["get", "is"] {
                if let Call::Ok(v) = call(target, &format!("{prefix}{cap}"), &[], &mut regexes) {
                    return v;
                }
            }
            Value::Null
        }
    }
}

/// `java.lang.Character`: what `charAt` returns and `toCharArray` holds, one UTF-16 unit. It
/// prints as that character (a lone surrogate half as '?', see `substring`), equals only a
/// `Character` (`$s.charAt(0).equals("a")` is false; `==` compares the printed forms, so
/// `$s.charAt(0) == "a"` is true), and has no instance `toUpperCase()`: Java's takes an
/// argument, so `$c.toUpperCase()` renders literally.
pub(crate) struct Character(pub u16);

pub(crate) fn character(unit: u16) -> Value {
    Value::Object(Rc::new(Character(unit)))
}

/// The `char` of a `Character` argument (Velocity unboxes only a `Character` into a `char`).
fn char_arg(v: Option<&Value>) -> Option<u16> {
    match v {
        Some(Value::Object(o)) => o
            .as_any()
            .and_then(|a| a.downcast_ref::<Character>())
            .map(|c| c.0),
        _ => None,
    }
}

/// `Character.digit(cp, radix)`: ASCII and full-width Latin letters count from 10, decimal
/// digits (general category Nd, which come in runs of ten from zero) by their place.
fn char_digit(cp: i32, radix: i32) -> i32 {
    use crate::java_regex::unicode::{gc, general_category};
    if !(2..=36).contains(&radix) {
        return -1;
    }
    let Some(c) = u32::try_from(cp).ok().and_then(char::from_u32) else {
        return -1;
    };
    let v = match c {
        'a'..='z' | 'A'..='Z' => c.to_ascii_lowercase() as i32 - 'a' as i32 + 10,
        '\u{ff21}'..='\u{ff3a}' => cp - 0xff21 + 10,
        '\u{ff41}'..='\u{ff5a}' => cp - 0xff41 + 10,
        _ if general_category(c) == gc::ND => {
            let mut start = cp;
            while start > cp - 60
                && u32::try_from(start - 1)
                    .ok()
                    .and_then(char::from_u32)
                    .is_some_and(|p| general_category(p) == gc::ND)
            {
                start -= 1;
            }
            (cp - start) % 10
        }
        _ => return -1,
    };
    if v < radix {
        v
    } else {
        -1
    }
}

/// `Character`'s static predicates and mappings on a code point (Java 17's tables); a
/// surrogate or an invalid code point is in none of the classes and maps to itself.
fn char_static(name: &str, cp: i32) -> Option<Value> {
    use crate::java_regex::unicode::{gc, general_category};
    let c = u32::try_from(cp).ok().and_then(char::from_u32);
    let cat = c.map_or(
        if (0xD800..=0xDFFF).contains(&cp) {
            gc::CS
        } else {
            gc::CN
        },
        general_category,
    );
    let letter = matches!(cat, gc::LU | gc::LL | gc::LT | gc::LM | gc::LO);
    let b = match name {
        "isDigit" => cat == gc::ND,
        "isLetter" => letter,
        "isLetterOrDigit" => letter || cat == gc::ND,
        "isUpperCase" => c.is_some_and(crate::jchar::is_upper),
        "isLowerCase" => c.is_some_and(crate::jchar::is_lower),
        "isTitleCase" => cat == gc::LT,
        "isWhitespace" => c.is_some_and(java_whitespace),
        "isSpaceChar" => matches!(cat, gc::ZS | gc::ZL | gc::ZP),
        "isISOControl" => matches!(cp, 0..=0x1f | 0x7f..=0x9f),
        "isDefined" => cat != gc::CN,
        "getType" => return Some(Value::Int(cat as i32)),
        "toUpperCase" | "toLowerCase" => {
            let m = c.map_or(cp, |c| {
                (if name == "toUpperCase" {
                    crate::jchar::to_upper(c)
                } else {
                    crate::jchar::to_lower(c)
                }) as i32
            });
            return Some(Value::Int(m));
        }
        _ => return None,
    };
    Some(Value::Bool(b))
}

impl HostObject for Character {
    fn type_name(&self) -> &str {
        "java.lang.Character"
    }
    fn to_java_string(&self) -> String {
        char::from_u32(u32::from(self.0)).unwrap_or('?').to_string()
    }
    fn equals_object(&self, other: &dyn HostObject) -> bool {
        other
            .as_any()
            .and_then(|a| a.downcast_ref::<Character>())
            .is_some_and(|o| o.0 == self.0)
    }
    fn java_hash(&self) -> Option<i32> {
        Some(i32::from(self.0))
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let (a0, a1) = (args.first(), args.get(1));
        let v = match (name, args.len()) {
            ("charValue", 0) => character(self.0),
            ("toString", 0) => Value::str(&self.to_java_string()),
            ("hashCode", 0) => Value::Int(i32::from(self.0)),
            ("equals", 1) => Value::Bool(char_arg(a0) == Some(self.0)),
            ("compareTo", 1) => match (char_arg(a0), a0) {
                (Some(o), _) => Value::Int(i32::from(self.0) - i32::from(o)),
                (None, Some(Value::Null)) => return Some(Err("java.lang.NullPointerException".into())),
                (None, o) => {
                    return Some(Err(format!(
                    "java.lang.ClassCastException: class {} cannot be cast to class java.lang.Character",
                    o.map_or("null", |v| v.java_class())
                )))
                }
            },
            // The statics, through an instance: a `Character` argument is a `char`, an
            // `Integer` one a code point (`toUpperCase(char)` returns a char, `(int)` an int).
            ("valueOf", 1) => character(char_arg(a0)?),
            ("toString", 1) => match (char_arg(a0), a0) {
                (Some(u), _) => Value::str(&Character(u).to_java_string()),
                (None, Some(Value::Int(cp))) => match u32::try_from(*cp).ok().and_then(char::from_u32) {
                    Some(c) => Value::str(c.encode_utf8(&mut [0; 4])),
                    None if (0xD800..=0xDFFF).contains(cp) => Value::str("?"),
                    None => {
                        return Some(Err(format!(
                            "java.lang.IllegalArgumentException: Not a valid Unicode code point: 0x{:X}",
                            *cp as u32
                        )))
                    }
                },
                // Only the no-parameter toString() is left, and it takes no argument.
                _ => {
                    return Some(Err(
                        "java.lang.IllegalArgumentException: wrong number of arguments".into(),
                    ))
                }
            },
            ("hashCode", 1) if char_arg(a0).is_some() => {
                Value::Int(i32::from(char_arg(a0).unwrap_or_default()))
            }
            ("compare", 2) => Value::Int(i32::from(char_arg(a0)?) - i32::from(char_arg(a1)?)),
            ("isSurrogate" | "isHighSurrogate" | "isLowSurrogate", 1) => {
                let u = char_arg(a0)?;
                Value::Bool(match name {
                    "isHighSurrogate" => (0xD800..=0xDBFF).contains(&u),
                    "isLowSurrogate" => (0xDC00..=0xDFFF).contains(&u),
                    _ => (0xD800..=0xDFFF).contains(&u),
                })
            }
            ("digit", 2) => match (char_arg(a0), a0, a1) {
                (Some(u), _, Some(Value::Int(r))) => Value::Int(char_digit(i32::from(u), *r)),
                (None, Some(Value::Int(cp)), Some(Value::Int(r))) => Value::Int(char_digit(*cp, *r)),
                _ => return None,
            },
            // isAlphabetic has only the code point overload.
            ("isAlphabetic", 1) => match a0 {
                Some(Value::Int(cp)) => Value::Bool(
                    u32::try_from(*cp)
                        .ok()
                        .and_then(char::from_u32)
                        .is_some_and(crate::jchar::is_alphabetic),
                ),
                _ => return None,
            },
            // No-parameter methods take any arguments in 1.7's lookup, then fail to invoke.
            ("charValue" | "toString" | "hashCode", _) => {
                return Some(Err(format!(
                    "java.lang.IllegalArgumentException: wrong number of arguments ({name} takes none)"
                )))
            }
            (_, 1) => match (char_arg(a0), a0) {
                (Some(u), _) => match char_static(name, i32::from(u))? {
                    // The char overloads of the mappings return a char.
                    Value::Int(m) if name.starts_with("to") => character(m as u16),
                    v => v,
                },
                (None, Some(Value::Int(cp))) => char_static(name, *cp)?,
                _ => return None,
            },
            _ => return None,
        };
        Some(Ok(v))
    }
}

/// Which view of a map `keySet()`, `values()` or `entrySet()` returned.
#[derive(Clone, Copy, PartialEq)]
enum ViewKind {
    Keys,
    Values,
    Entries,
}

/// A live view of a `LinkedHashMap`, as Java's `keySet()`/`values()`/`entrySet()` are: it
/// reads the map at each call, `remove`/`removeAll`/`retainAll`/`clear` on it change the map,
/// and `add` throws UnsupportedOperationException. It prints like a list (`[a, b]`); the key
/// and entry views are Sets (no `get(i)`; equal to a Set of the same elements, never to a
/// List), the values view is a plain Collection (equal only to itself).
pub(crate) struct MapView {
    map: Rc<RefCell<Map>>,
    kind: ViewKind,
}

fn map_view(m: &Rc<RefCell<Map>>, kind: ViewKind) -> Value {
    Value::Object(Rc::new(MapView {
        map: m.clone(),
        kind,
    }))
}

impl MapView {
    fn items(&self) -> Vec<Value> {
        let Ok(m) = self.map.try_borrow() else {
            return Vec::new();
        };
        match self.kind {
            ViewKind::Keys => m.keys().map(|k| Value::str(k)).collect(),
            ViewKind::Values => m.values().cloned().collect(),
            ViewKind::Entries => m.iter().map(|(k, v)| entry(k, v.clone())).collect(),
        }
    }

    /// Whether the view holds `v` (by `equals`, keys by a lookup).
    fn holds(&self, m: &Map, v: &Value) -> bool {
        match (self.kind, v) {
            (ViewKind::Keys, Value::Str(k)) => m.contains_key(&**k),
            (ViewKind::Keys, _) => false,
            (ViewKind::Values, _) => m.values().any(|x| x.java_equals(v)),
            (ViewKind::Entries, Value::Object(o)) => o
                .as_any()
                .and_then(|a| a.downcast_ref::<Entry>())
                .is_some_and(|e| m.get(&*e.key).is_some_and(|x| x.java_equals(&e.value))),
            (ViewKind::Entries, _) => false,
        }
    }

    /// Removes the entries whose key/value/entry `hit` selects; `first` stops after one.
    fn remove_where(
        &self,
        first: bool,
        mut hit: impl FnMut(&Value) -> bool,
    ) -> Result<bool, String> {
        let Ok(mut m) = self.map.try_borrow_mut() else {
            return Err("java.util.ConcurrentModificationException".into());
        };
        let before = m.len();
        let mut done = false;
        let kind = self.kind;
        m.retain(|k, v| {
            if done {
                return true;
            }
            let item = match kind {
                ViewKind::Keys => Value::str(k),
                ViewKind::Values => v.clone(),
                ViewKind::Entries => entry(k, v.clone()),
            };
            let drop = hit(&item);
            done = drop && first;
            !drop
        });
        Ok(m.len() != before)
    }
}

/// The elements of a `Collection` argument of a method on the list `receiver`, whose items
/// `own` are borrowed already (the argument may be that same list).
fn argument_items(
    arg: &Value,
    receiver: &Rc<RefCell<Vec<Value>>>,
    own: &[Value],
) -> Option<Vec<Value>> {
    match arg {
        Value::List(o) if Rc::ptr_eq(o, receiver) => Some(own.to_vec()),
        other => collection_items(other),
    }
}

/// The elements of a `Collection` argument: a list or a map view (`None`: not a collection).
fn collection_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => l.try_borrow().ok().map(|l| l.clone()),
        Value::Object(o) => o
            .as_any()
            .and_then(|a| a.downcast_ref::<MapView>())
            .map(MapView::items),
        _ => None,
    }
}

impl HostObject for MapView {
    fn type_name(&self) -> &str {
        match self.kind {
            ViewKind::Keys => "java.util.LinkedHashMap$LinkedKeySet",
            ViewKind::Values => "java.util.LinkedHashMap$LinkedValues",
            ViewKind::Entries => "java.util.LinkedHashMap$LinkedEntrySet",
        }
    }
    /// `[a, b]`, written straight from the map (printing a view is common: `$m.keySet()`).
    fn to_java_string(&self) -> String {
        let mut out = String::from("[");
        if let Ok(m) = self.map.try_borrow() {
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if self.kind != ViewKind::Values {
                    out.push_str(k);
                }
                if self.kind == ViewKind::Entries {
                    out.push('=');
                }
                if self.kind != ViewKind::Keys {
                    v.write_java(&mut out, 1);
                }
            }
        }
        out.push(']');
        out
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
    fn iterable(&self) -> Option<crate::value::Iterable> {
        use crate::value::Iterable;
        let m = self.map.clone();
        Some(match self.kind {
            ViewKind::Keys => Iterable::Keys(m),
            ViewKind::Values => Iterable::Values(m),
            ViewKind::Entries => Iterable::Entries(m),
        })
    }
    /// Sets are equal with the same elements; `values()` (cached by the map in Java) only to
    /// itself.
    fn equals_object(&self, other: &dyn HostObject) -> bool {
        let Some(o) = other.as_any().and_then(|a| a.downcast_ref::<MapView>()) else {
            return false;
        };
        if self.kind == ViewKind::Values || o.kind == ViewKind::Values {
            return self.kind == o.kind && Rc::ptr_eq(&self.map, &o.map);
        }
        let theirs = o.items();
        let Ok(m) = self.map.try_borrow() else {
            return false;
        };
        theirs.len() == m.len() && theirs.iter().all(|v| self.holds(&m, v))
    }
    fn java_hash(&self) -> Option<i32> {
        if self.kind == ViewKind::Values {
            return None;
        }
        self.items()
            .iter()
            .try_fold(0i32, |h, v| Some(h.wrapping_add(java_hash_code(v, 1)?)))
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        match name {
            "empty" => self
                .map
                .try_borrow()
                .ok()
                .map(|m| Value::Bool(m.is_empty())),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let a0 = args.first();
        let len = || self.map.try_borrow().map(|m| m.len()).unwrap_or(0);
        if a0.is_some_and(Value::is_null)
            && matches!(name, "containsAll" | "removeAll" | "retainAll" | "addAll")
        {
            return Some(Err(format!(
                "java.lang.NullPointerException (null argument to {}.{name})",
                self.type_name()
            )));
        }
        let v = match (name, args.len()) {
            ("size", 0) => Value::Int(len() as i32),
            ("isEmpty", 0) => Value::Bool(len() == 0),
            ("contains", 1) => {
                let m = self.map.try_borrow().ok()?;
                Value::Bool(self.holds(&m, &args[0]))
            }
            ("containsAll", 1) => {
                let items = collection_items(&args[0])?;
                let m = self.map.try_borrow().ok()?;
                Value::Bool(items.iter().all(|v| self.holds(&m, v)))
            }
            ("remove", 1) => {
                let target = &args[0];
                return Some(self.remove_where(true, |x| x.java_equals(target)).map(Value::Bool));
            }
            ("removeAll" | "retainAll", 1) => {
                let items = collection_items(&args[0])?;
                let keep = name == "retainAll";
                return Some(
                    self.remove_where(false, |x| items.iter().any(|o| o.java_equals(x)) != keep)
                        .map(Value::Bool),
                );
            }
            ("clear", 0) => {
                let Ok(mut m) = self.map.try_borrow_mut() else {
                    return Some(Err("java.util.ConcurrentModificationException".into()));
                };
                m.clear();
                Value::str("")
            }
            ("add", 1) | ("addAll", 1) => {
                return Some(Err("java.lang.UnsupportedOperationException".into()))
            }
            ("iterator", 0) => Value::Object(Rc::new(Iter {
                items: self.items(),
                pos: std::cell::Cell::new(0),
            })),
            ("toArray", 0) => Value::list(self.items()),
            ("toString", 0) => Value::str(&self.to_java_string()),
            ("equals", 1) => Value::Bool(match &args[0] {
                Value::Object(o) => self.equals_object(&**o),
                _ => false,
            }),
            // values() has Object's identity hash: any number will do, the map's address.
            ("hashCode", 0) => Value::Int(
                self.java_hash()
                    .unwrap_or((Rc::as_ptr(&self.map) as usize >> 4) as i32),
            ),
            ("size" | "isEmpty" | "clear" | "iterator" | "hashCode" | "toString", _) => {
                return Some(Err(format!(
                    "java.lang.IllegalArgumentException: wrong number of arguments ({name} takes none)"
                )))
            }
            _ => return None,
        };
        Some(Ok(v))
    }
}

/// `java.lang.Float`, what `floatValue()` returns: printed by Java 8–18's `Float.toString`
/// (`0.1f` is `0.1`, not the double's `0.10000000149011612`), equal only to a Float with the
/// same bits. Arithmetic treats it as a double (1.7 narrows a Float operation's result back to
/// Float, which only shows in the digits of inexact results).
pub(crate) struct Float(pub f32);

pub(crate) fn float(f: f32) -> Value {
    Value::Object(Rc::new(Float(f)))
}

/// A `float` parameter takes an Integer, a Long or a Float (Velocity widens; a Double does not
/// narrow).
fn float_arg(v: Option<&Value>) -> Option<f32> {
    match v {
        Some(Value::Int(i)) => Some(*i as f32),
        Some(Value::Long(l)) => Some(*l as f32),
        Some(Value::Object(o)) => o
            .as_any()
            .and_then(|a| a.downcast_ref::<Float>())
            .map(|f| f.0),
        _ => None,
    }
}

/// `Float.floatToIntBits`: every NaN is the canonical one.
fn float_bits(f: f32) -> i32 {
    if f.is_nan() {
        0x7fc0_0000
    } else {
        f.to_bits() as i32
    }
}

/// `Float.compare`: -0.0 below 0.0, NaN above everything.
fn float_compare(a: f32, b: f32) -> i32 {
    let key = |x: f32| if x.is_nan() { f32::NAN } else { x };
    key(a).total_cmp(&key(b)) as i32
}

impl HostObject for Float {
    fn type_name(&self) -> &str {
        "java.lang.Float"
    }
    fn to_java_string(&self) -> String {
        let mut s = String::new();
        crate::jdouble::write_float(self.0, &mut s);
        s
    }
    fn equals_object(&self, other: &dyn HostObject) -> bool {
        other
            .as_any()
            .and_then(|a| a.downcast_ref::<Float>())
            .is_some_and(|o| float_bits(o.0) == float_bits(self.0))
    }
    fn java_hash(&self) -> Option<i32> {
        Some(float_bits(self.0))
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let f = self.0;
        let (a0, a1) = (args.first(), args.get(1));
        let v = match (name, args.len()) {
            // Java's (int)/(long) casts saturate and take NaN to 0, as Rust's `as` does.
            ("intValue", 0) => Value::Int(f as i32),
            ("longValue", 0) => Value::Long(f as i64),
            ("shortValue", 0) => Value::Int(f as i32 as i16 as i32),
            ("byteValue", 0) => Value::Int(f as i32 as i8 as i32),
            ("doubleValue", 0) => Value::Double(f64::from(f)),
            ("floatValue", 0) => float(f),
            ("isNaN", 0) => Value::Bool(f.is_nan()),
            ("isInfinite", 0) => Value::Bool(f.is_infinite()),
            ("toString", 0) => Value::str(&self.to_java_string()),
            ("hashCode", 0) => Value::Int(float_bits(f)),
            ("equals", 1) => Value::Bool(match &args[0] {
                Value::Object(o) => self.equals_object(&**o),
                _ => false,
            }),
            ("compareTo", 1) => match (a0, float_arg(a0)) {
                (Some(Value::Object(_)), Some(o)) => Value::Int(float_compare(f, o)),
                (Some(Value::Null), _) => {
                    return Some(Err("java.lang.NullPointerException".into()))
                }
                (o, _) => {
                    return Some(Err(format!(
                        "java.lang.ClassCastException: class {} cannot be cast to class java.lang.Float",
                        o.map_or("null", |v| v.java_class())
                    )))
                }
            },
            // The statics, through an instance.
            ("parseFloat" | "valueOf", 1) if matches!(a0, Some(Value::Str(_))) => {
                let t = str_arg(a0).unwrap_or_default();
                match java_parse_double(t) {
                    Some(d) => float(d as f32),
                    None => {
                        return Some(Err(format!(
                            "java.lang.NumberFormatException: For input string: \"{t}\""
                        )))
                    }
                }
            }
            ("valueOf", 1) => float(float_arg(a0)?),
            ("toString", 1) => Value::str(&Float(float_arg(a0)?).to_java_string()),
            ("hashCode", 1) => Value::Int(float_bits(float_arg(a0)?)),
            ("isNaN", 1) => Value::Bool(float_arg(a0)?.is_nan()),
            ("isInfinite", 1) => Value::Bool(float_arg(a0)?.is_infinite()),
            ("isFinite", 1) => Value::Bool(float_arg(a0)?.is_finite()),
            ("sum", 2) => float(float_arg(a0)? + float_arg(a1)?),
            ("compare", 2) => Value::Int(float_compare(float_arg(a0)?, float_arg(a1)?)),
            ("max" | "min", 2) => {
                let (a, b) = (float_arg(a0)?, float_arg(a1)?);
                // Exact both ways: the result is one of the two floats, or NaN.
                float(java_max_min(f64::from(a), f64::from(b), name == "max") as f32)
            }
            _ => return None,
        };
        Some(Ok(v))
    }
}

/// `String.format(format, args...)` (java.util.Formatter, English locale), called through an
/// instance as 1.7 does: `%[index$][flags][width][.precision]conversion` with the conversions
/// `s S b B h H c C d o x X e E f g G % n`. Floating-point conversions round the digits of
/// `Double.toString` half-up, as Java's FormattedFloatingDecimal does (`%.1f` of 0.15 is
/// 0.2). Date/time (`%t`) and hexadecimal floats (`%a`) are not supported: the call renders
/// literally.
fn java_format(fmt: &str, args: &[Value], max: usize) -> Result<Option<String>, String> {
    let mut out = String::new();
    let mut rest = fmt;
    // The ordinary index (plain specifiers) and the last argument used (`%<s`).
    let (mut next, mut last): (usize, Option<usize>) = (0, None);
    let null_array = matches!(args, [Value::Null]);
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        let spec = &rest[p + 1..];
        let b = spec.as_bytes();
        let mut i = 0;
        let digits = |i: &mut usize| {
            let s = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            spec.get(s..*i).unwrap_or("")
        };
        // An argument index is digits followed by '$'.
        let mut index = None;
        let d = digits(&mut i);
        if !d.is_empty() && b.get(i) == Some(&b'$') {
            index = Some(
                d.parse::<usize>()
                    .map_err(|_| "java.util.IllegalFormatException")?,
            );
            i += 1;
        } else {
            i -= d.len();
        }
        let flags_start = i;
        while b.get(i).is_some_and(|c| b"-#+ 0,(<".contains(c)) {
            i += 1;
        }
        let flags = &spec[flags_start..i];
        let width = digits(&mut i);
        let width: Option<usize> = if width.is_empty() {
            None
        } else {
            Some(
                width
                    .parse()
                    .map_err(|_| "java.util.IllegalFormatWidthException")?,
            )
        };
        let precision: Option<usize> = if b.get(i) == Some(&b'.') {
            i += 1;
            let d = digits(&mut i);
            if d.is_empty() {
                return Err("java.util.UnknownFormatConversionException: Conversion = '.'".into());
            }
            Some(
                d.parse()
                    .map_err(|_| "java.util.IllegalFormatPrecisionException")?,
            )
        } else {
            None
        };
        let Some(&conv) = b.get(i) else {
            return Err("java.util.UnknownFormatConversionException: Conversion = '%'".into());
        };
        let conv = conv as char;
        if matches!(conv, 't' | 'T' | 'a' | 'A') {
            return Ok(None);
        }
        rest = &spec[i + conv.len_utf8().min(spec.len() - i)..];
        if flags
            .chars()
            .enumerate()
            .any(|(k, c)| flags[k + 1..].contains(c))
        {
            return Err(format!(
                "java.util.DuplicateFormatFlagsException: Flags = '{flags}'"
            ));
        }
        let has = |c: char| flags.contains(c);
        let (left, zero) = (has('-'), has('0'));
        if (left || zero) && width.is_none() {
            return Err(format!("java.util.MissingFormatWidthException: %{spec}"));
        }
        if (left && zero) || (has('+') && has(' ')) {
            return Err(format!(
                "java.util.IllegalFormatFlagsException: Flags = '{flags}'"
            ));
        }
        let bad_flags = |allowed: &str| -> Result<(), String> {
            match flags.chars().find(|c| !allowed.contains(*c) && *c != '<') {
                Some(c) => Err(format!(
                    "java.util.FormatFlagsConversionMismatchException: Conversion = {conv}, Flags = {c}"
                )),
                None => Ok(()),
            }
        };
        let text = match conv {
            '%' | 'n' => {
                if precision.is_some() {
                    return Err(format!("java.util.IllegalFormatPrecisionException: {conv}"));
                }
                if conv == 'n' {
                    if width.is_some() || !flags.is_empty() {
                        return Err("java.util.IllegalFormatWidthException".into());
                    }
                    out.push('\n');
                    continue;
                }
                bad_flags("-")?;
                "%".to_string()
            }
            _ => {
                // Which argument: `%2$s`, `%<s`, or the next one.
                let k = if has('<') {
                    last.ok_or_else(|| {
                        format!(
                            "java.util.MissingFormatArgumentException: Format specifier '%{conv}'"
                        )
                    })?
                } else if let Some(n) = index {
                    n.checked_sub(1)
                        .ok_or("java.util.IllegalFormatArgumentIndexException")?
                } else {
                    next += 1;
                    next - 1
                };
                // A lone null is passed as the varargs array itself: every specifier then
                // reads null, none is missing.
                let arg = if null_array {
                    &Value::Null
                } else {
                    args.get(k).ok_or_else(|| {
                        format!(
                            "java.util.MissingFormatArgumentException: Format specifier '%{conv}'"
                        )
                    })?
                };
                last = Some(k);
                format_one(conv, flags, width, precision, arg)?
            }
        };
        let t = if matches!(conv, 'S' | 'B' | 'H' | 'C' | 'X' | 'E' | 'G') {
            crate::jchar::string_to_upper(&text)
        } else {
            text
        };
        // Width counts UTF-16 units; '0' padding is done by the numeric conversions.
        let pad = width.unwrap_or(0).saturating_sub(utf16_len(&t));
        if out.len().saturating_add(t.len()).saturating_add(pad) > max {
            return Err(format!(
                "java.lang.OutOfMemoryError: a string would exceed {max} bytes"
            ));
        }
        if !left {
            out.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(&t);
        if left {
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.push_str(rest);
    Ok(Some(out))
}

/// Inserts ',' every three digits of an integer part.
fn group_thousands(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Sign, grouping, parentheses and zero padding of a formatted magnitude (Formatter's
/// `localizedMagnitude` and `leadingSign`/`trailingSign`).
fn decorate(flags: &str, width: Option<usize>, neg: bool, mag: &str) -> String {
    let has = |c: char| flags.contains(c);
    let (int, frac) = match mag.find(['.', 'e', 'E']) {
        Some(p) => mag.split_at(p),
        None => (mag, ""),
    };
    let mut body = if has(',') {
        group_thousands(int)
    } else {
        int.to_string()
    };
    body.push_str(frac);
    let (pre, post) = match (neg, has('(')) {
        (true, true) => ("(", ")"),
        (true, false) => ("-", ""),
        (false, _) if has('+') => ("+", ""),
        (false, _) if has(' ') => (" ", ""),
        _ => ("", ""),
    };
    if has('0') {
        let used = pre.len() + post.len() + body.len();
        let zeros = width.unwrap_or(0).saturating_sub(used);
        body.insert_str(0, &"0".repeat(zeros));
    }
    format!("{pre}{body}{post}")
}

/// The decimal digits (no leading zeros, at least one) and exponent of `Double.toString(d)`
/// (or `Float.toString`) for a finite, non-negative value: value = 0.DIGITS x 10^exp.
fn java_digits(text: &str) -> (Vec<u8>, i32) {
    let (mant, exp) = match text.split_once('E') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let mut point = int.len() as i32 + exp;
    while digits.len() > 1 && digits.first() == Some(&b'0') {
        digits.remove(0);
        point -= 1;
    }
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == [b'0'] {
        point = 1;
    }
    (digits, point)
}

/// Rounds `digits` (value 0.DIGITS x 10^point) half-up to keep `keep` digits (none left
/// means the value rounds to 0 or to one unit in the first dropped place).
fn round_half_up(digits: &mut Vec<u8>, point: &mut i32, keep: i32) {
    if keep < 0 {
        digits.clear();
        digits.push(b'0');
        return;
    }
    let keep = keep as usize;
    if digits.len() <= keep {
        return;
    }
    let up = digits.get(keep).is_some_and(|&d| d >= b'5');
    digits.truncate(keep);
    if up {
        let mut k = keep;
        loop {
            if k == 0 {
                digits.insert(0, b'1');
                *point += 1;
                break;
            }
            k -= 1;
            if digits[k] == b'9' {
                digits[k] = b'0';
            } else {
                digits[k] += 1;
                break;
            }
        }
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
}

/// `d.ddd` with `prec` decimals, from digits with value 0.DIGITS x 10^point.
fn fixed(digits: &[u8], point: i32, prec: usize) -> String {
    let digit = |k: i32| -> char {
        usize::try_from(k)
            .ok()
            .and_then(|k| digits.get(k))
            .map_or('0', |&d| d as char)
    };
    let mut s = String::new();
    if point <= 0 {
        s.push('0');
    } else {
        (0..point).for_each(|k| s.push(digit(k)));
    }
    if prec > 0 {
        s.push('.');
        (0..prec as i32).for_each(|k| s.push(digit(point + k)));
    }
    s
}

/// `d.ddde+xx` with `prec` decimals.
fn scientific(digits: &[u8], point: i32, prec: usize, zero: bool) -> String {
    let mut s = fixed(digits, 1, prec);
    let e = if zero { 0 } else { point - 1 };
    s.push_str(&format!(
        "e{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.unsigned_abs()
    ));
    s
}

fn format_one(
    conv: char,
    flags: &str,
    width: Option<usize>,
    precision: Option<usize>,
    arg: &Value,
) -> Result<String, String> {
    let mismatch = || {
        format!(
            "java.util.IllegalFormatConversionException: {conv} != {}",
            match arg {
                Value::Object(o) => o.type_name(),
                v => v.java_class(),
            }
        )
    };
    let flag_check = |allowed: &str| -> Result<(), String> {
        match flags.chars().find(|c| !allowed.contains(*c) && *c != '<') {
            Some(c) => Err(format!(
                "java.util.FormatFlagsConversionMismatchException: Conversion = {conv}, Flags = {c}"
            )),
            None => Ok(()),
        }
    };
    let no_precision = || match precision {
        Some(p) => Err(format!("java.util.IllegalFormatPrecisionException: {p}")),
        None => Ok(()),
    };
    fn object(v: &Value) -> Option<&dyn HostObject> {
        match v {
            Value::Object(o) => Some(&**o),
            _ => None,
        }
    }
    let is_type = |t: &str| object(arg).is_some_and(|o| o.type_name() == t);
    let truncate = |s: String| match precision {
        Some(p) if p < utf16_len(&s) => substring(&s, 0, p as i32).unwrap_or(s),
        _ => s,
    };
    // What Formatter checks when it parses the specifier, whatever the argument.
    let lower = conv.to_ascii_lowercase();
    match lower {
        's' => flag_check("-#")?,
        'b' | 'h' => flag_check("-")?,
        'c' => {
            no_precision()?;
            flag_check("-")?
        }
        'd' => {
            no_precision()?;
            flag_check("-+ 0,(")?
        }
        'o' | 'x' => {
            no_precision()?;
            flag_check("-#+ 0(")?
        }
        'e' => flag_check("-#+ 0(")?,
        'f' => flag_check("-#+ 0,(")?,
        'g' => flag_check("-+ 0,(")?,
        _ => {
            return Err(format!(
                "java.util.UnknownFormatConversionException: Conversion = '{conv}'"
            ))
        }
    }
    // A null argument prints "null" ("false" for %b), cut to the precision.
    if arg.is_null() {
        return Ok(truncate(if lower == 'b' { "false" } else { "null" }.into()));
    }
    match lower {
        's' => {
            // '#' needs a java.util.Formattable, which no template value is.
            flag_check("-")?;
            Ok(truncate(arg.to_java_string()))
        }
        'b' => {
            let b = match arg {
                Value::Null => false,
                Value::Bool(b) => *b,
                _ => true,
            };
            Ok(truncate(b.to_string()))
        }
        'h' => Ok(truncate(match arg {
            Value::Null => "null".into(),
            v => format!(
                "{:x}",
                java_hash_code(v, 0).unwrap_or((v as *const Value as usize >> 4) as i32)
            ),
        })),
        'c' => {
            flag_check("-")?;
            no_precision()?;
            match (arg, char_arg(Some(arg))) {
                (Value::Null, _) => Ok("null".into()),
                (_, Some(u)) => Ok(Character(u).to_java_string()),
                (Value::Int(cp), _) => match u32::try_from(*cp).ok().and_then(char::from_u32) {
                    Some(c) => Ok(c.to_string()),
                    None => Err(format!(
                        "java.util.IllegalFormatCodePointException: Code point = 0x{:x}",
                        *cp
                    )),
                },
                _ => Err(mismatch()),
            }
        }
        'd' | 'o' | 'x' => {
            no_precision()?;
            let big = is_type("java.math.BigInteger");
            let v: i128 = match arg {
                Value::Null => return Ok("null".into()),
                Value::Int(i) => i128::from(*i),
                Value::Long(l) => i128::from(*l),
                _ if big => arg
                    .to_java_string()
                    .parse()
                    .map_err(|_| "java.lang.ArithmeticException: BigInteger out of range")?,
                _ => return Err(mismatch()),
            };
            if conv == 'd' {
                flag_check("-+ 0,(")?;
                return Ok(decorate(flags, width, v < 0, &v.unsigned_abs().to_string()));
            }
            let radix_text = |n: u128| {
                if conv == 'o' {
                    format!("{n:o}")
                } else {
                    format!("{n:x}")
                }
            };
            let prefix = match (flags.contains('#'), conv) {
                (false, _) => "",
                (true, 'o') => "0",
                _ => "0x",
            };
            if big {
                // BigInteger prints signed, taking all the numeric flags.
                flag_check("-#+ 0(")?;
                let text = format!("{prefix}{}", radix_text(v.unsigned_abs()));
                return Ok(decorate(flags, width, v < 0, &text));
            }
            // Integer and Long print their two's complement, unsigned.
            flag_check("-#0")?;
            let bits = match arg {
                Value::Int(i) => u128::from(*i as u32),
                _ => u128::from(v as i64 as u64),
            };
            let text = radix_text(bits);
            let zeros = if flags.contains('0') {
                width.unwrap_or(0).saturating_sub(prefix.len() + text.len())
            } else {
                0
            };
            Ok(format!("{prefix}{}{text}", "0".repeat(zeros)))
        }
        'e' | 'f' | 'g' => {
            let float = object(arg)
                .and_then(HostObject::as_any)
                .and_then(|a| a.downcast_ref::<Float>())
                .map(|f| f.0);
            let d = match (arg, float) {
                (Value::Null, _) => return Ok("null".into()),
                (Value::Double(d), _) => *d,
                (_, Some(f)) => f64::from(f),
                _ => return Err(mismatch()),
            };
            match conv.to_ascii_lowercase() {
                'f' => flag_check("-#+ 0,(")?,
                'e' => flag_check("-#+ 0(")?,
                _ => flag_check("-+ 0,(")?,
            }
            let neg = d.is_sign_negative() && !d.is_nan();
            if !d.is_finite() {
                let t = if d.is_nan() { "NaN" } else { "Infinity" };
                // Zero padding does not apply to NaN and Infinity.
                let f: String = flags.chars().filter(|&c| c != '0').collect();
                return Ok(decorate(&f, width, neg, t));
            }
            let text = match float {
                Some(f) => Float(f.abs()).to_java_string(),
                None => Value::Double(d.abs()).to_java_string(),
            };
            let (mut digits, mut point) = java_digits(&text);
            let zero = d == 0.0;
            let prec = precision.unwrap_or(6);
            let mag = match conv.to_ascii_lowercase() {
                'f' => {
                    let keep = point.saturating_add(prec as i32);
                    round_half_up(&mut digits, &mut point, keep);
                    let mut s = fixed(&digits, point, prec);
                    if prec == 0 && flags.contains('#') {
                        s.push('.');
                    }
                    s
                }
                'e' => {
                    round_half_up(&mut digits, &mut point, prec as i32 + 1);
                    let mut s = scientific(&digits, point, prec, zero);
                    if prec == 0 && flags.contains('#') {
                        s.insert(1, '.');
                    }
                    s
                }
                _ => {
                    let p = match precision {
                        None => 6,
                        Some(0) => 1,
                        Some(p) => p,
                    };
                    if zero {
                        fixed(&digits, 1, p - 1)
                    } else {
                        round_half_up(&mut digits, &mut point, p as i32);
                        // After rounding: 10^-4 <= x < 10^p prints as a decimal.
                        if point > -4 && point <= p as i32 {
                            fixed(&digits, point, (p as i32 - point).max(0) as usize)
                        } else {
                            scientific(&digits, point, p - 1, false)
                        }
                    }
                }
            };
            Ok(decorate(flags, width, neg, &mag))
        }
        _ => Err(format!(
            "java.util.UnknownFormatConversionException: Conversion = '{conv}'"
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::Template;

    /// Map.replace(k, old, new) writes, String.replace(a, b) reads: the read-only
    /// classification that lets an embedder share inputs between renders tells them apart by
    /// their argument count; writes through a map's live views are never read-only.
    #[test]
    fn map_writes_through_replace_and_views_are_not_read_only() {
        for source in [
            "$m.replace('a', 1, 2)",
            "$m.keySet().remove('a')",
            "$m.values().clear()",
            "$m.entrySet().retainAll([])",
            "#set($k = $m.keySet())$k.removeAll(['a'])",
        ] {
            assert!(!Template::parse(source).changes_nothing(), "{source}");
        }
        for source in [
            "$s.replace('a', 'b')",
            "$m.keySet().contains('a')",
            "#foreach($k in $m.keySet())$k$s.charAt(0).isDigit($s.charAt(0))#end",
        ] {
            assert!(Template::parse(source).changes_nothing(), "{source}");
        }
    }
}
