//! The value model: what Java objects Velocity templates see, and how they print.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// Insertion-ordered map, like Java's LinkedHashMap (what Velocity map literals and
/// API Gateway's JSON objects are). Hashed with [`crate::FxHasher`], not SipHash: every
/// render builds `$input`/`$context` maps, and SipHash was ~15 % of a small render's time.
/// Create one with `Map::default()` or `Map::with_capacity_and_hasher(n, Default::default())`.
pub type Map = indexmap::IndexMap<String, Value, std::hash::BuildHasherDefault<crate::FxHasher>>;

/// Position of `name` in `map`. Small maps (the objects of a JSON payload, a template's
/// variables) are scanned: comparing a few keys is cheaper than hashing one, and property
/// lookups were the largest single cost of rendering a 1,000-item array.
pub(crate) fn map_index(map: &Map, name: &str) -> Option<usize> {
    if map.len() <= 8 {
        map.keys().position(|k| k == name)
    } else {
        map.get_index_of(name)
    }
}

/// The value under `name` in `map` (see [`map_index`]).
pub(crate) fn map_get<'a>(map: &'a Map, name: &str) -> Option<&'a Value> {
    map_index(map, name)
        .and_then(|i| map.get_index(i))
        .map(|(_, v)| v)
}

/// A Java-like value. Lists and maps are shared and mutable, as Java references are:
/// `#set($b = $a)` then `$b.add(1)` changes `$a` too.
#[derive(Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// java.lang.Integer
    Int(i32),
    /// java.lang.Long
    Long(i64),
    /// java.lang.Double
    Double(f64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<Value>>>),
    Map(Rc<RefCell<Map>>),
    /// An embedder-provided object with methods (`$input`, `$util`).
    Object(Rc<dyn HostObject>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Long(i) => write!(f, "Long({i})"),
            Value::Double(d) => write!(f, "Double({d})"),
            Value::Str(s) => write!(f, "Str({s:?})"),
            Value::List(l) => f.debug_tuple("List").field(&l.borrow()).finish(),
            Value::Map(m) => f.debug_tuple("Map").field(&m.borrow()).finish(),
            Value::Object(o) => write!(f, "Object({})", o.type_name()),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }
    pub fn map(entries: Map) -> Value {
        Value::Map(Rc::new(RefCell::new(entries)))
    }
}

/// An object supplied by the embedder. Velocity resolves `$obj.name` and `$obj.name(args)` on it.
pub trait HostObject {
    /// A short type name for diagnostics.
    fn type_name(&self) -> &str;

    /// Property access `$obj.name`. `None` means "no such property" (the reference is then
    /// undefined, as in Velocity).
    fn get_property(&self, _name: &str) -> Option<Value> {
        None
    }

    /// Method call `$obj.name(args)`. `None` means "no such method" (Velocity then renders
    /// the reference literally). `Some(Err(message))` is an error thrown by the method.
    fn call_method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }

    /// How the object prints when rendered as `$obj` (Java's `toString()`).
    fn to_java_string(&self) -> String;

    /// A copy whose mutable state is its own, for embedders that render one prepared input
    /// many times and must not let one rendering's changes reach the next. `None` (the
    /// default): the object has no state a template can change, so it may be shared.
    fn fresh_copy(&self) -> Option<Value> {
        None
    }

    /// Java's `equals` against another object (identity, the default, is checked first).
    fn equals_object(&self, _other: &dyn HostObject) -> bool {
        false
    }

    /// Java's `hashCode()`, when it depends on the value only (`None`: an identity hash).
    fn java_hash(&self) -> Option<i32> {
        None
    }

    /// The object itself, for `equals_object` to recognize its own type.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }

    /// What `#foreach` steps through when given this object (`None`: nothing).
    fn iterable(&self) -> Option<Iterable> {
        None
    }
}

/// A collection object's elements, for `#foreach` and the methods that take a `Collection`:
/// a list, or one of a map's live views.
pub enum Iterable {
    List(Rc<RefCell<Vec<Value>>>),
    Keys(Rc<RefCell<Map>>),
    Values(Rc<RefCell<Map>>),
    Entries(Rc<RefCell<Map>>),
}

impl Value {
    /// `java.lang.Integer`.
    pub fn int(i: i32) -> Value {
        Value::Int(i)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// What Java's `String.valueOf(value)` prints: `{k=v, k2=v2}` for maps, `[a, b]` for lists,
    /// `1.0E10` for doubles, `null` for null.
    pub fn to_java_string(&self) -> String {
        let mut s = String::new();
        self.write_java(&mut s, 0);
        s
    }

    /// Appends the Java string form; collections nested deeper than a bound print `...`, so a
    /// list that contains itself cannot recurse forever (Java prints `(this Collection)`).
    pub(crate) fn write_java(&self, out: &mut String, depth: usize) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => write_integer(out, i64::from(*i)),
            Value::Long(i) => write_integer(out, *i),
            Value::Double(d) => java_double(*d, out),
            Value::Str(s) => out.push_str(s),
            Value::List(l) => {
                if depth > 100 {
                    out.push_str("[...]");
                    return;
                }
                out.push('[');
                let Ok(items) = l.try_borrow() else {
                    out.push_str("(this Collection)]");
                    return;
                };
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    match v {
                        Value::List(inner) if Rc::ptr_eq(inner, l) => {
                            out.push_str("(this Collection)")
                        }
                        _ => v.write_java(out, depth + 1),
                    }
                }
                out.push(']');
            }
            Value::Map(m) => {
                if depth > 100 {
                    out.push_str("{...}");
                    return;
                }
                out.push('{');
                let Ok(entries) = m.try_borrow() else {
                    out.push_str("(this Map)}");
                    return;
                };
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    match v {
                        Value::Map(inner) if Rc::ptr_eq(inner, m) => out.push_str("(this Map)"),
                        _ => v.write_java(out, depth + 1),
                    }
                }
                out.push('}');
            }
            Value::Object(o) => out.push_str(&o.to_java_string()),
        }
    }

    /// Java's `a.equals(b)`: same class and same value (so `Integer 1` does not equal `Long 1`).
    pub fn java_equals(&self, other: &Value) -> bool {
        self.java_equals_depth(other, 0)
    }

    fn java_equals_depth(&self, other: &Value, depth: usize) -> bool {
        if depth > 100 {
            return false;
        }
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Long(a), Value::Long(b)) => a == b,
            // Double.equals compares bit patterns: NaN equals NaN, 0.0 differs from -0.0.
            (Value::Double(a), Value::Double(b)) => {
                (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
            }
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (Ok(a), Ok(b)) = (a.try_borrow(), b.try_borrow()) else {
                    return false;
                };
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| x.java_equals_depth(y, depth + 1))
            }
            (Value::Map(a), Value::Map(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (Ok(a), Ok(b)) = (a.try_borrow(), b.try_borrow()) else {
                    return false;
                };
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| v.java_equals_depth(w, depth + 1)))
            }
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b) || a.equals_object(&**b),
            _ => false,
        }
    }

    /// A short Java class name, for messages.
    pub fn java_class(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "java.lang.Boolean",
            Value::Int(_) => "java.lang.Integer",
            Value::Long(_) => "java.lang.Long",
            Value::Double(_) => "java.lang.Double",
            Value::Str(_) => "java.lang.String",
            Value::List(_) => "java.util.ArrayList",
            Value::Map(_) => "java.util.LinkedHashMap",
            Value::Object(_) => "java.lang.Object",
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_java_string())
    }
}

/// Appends `i` in decimal, as Java's `Integer.toString`/`Long.toString` (and Rust's `{}`) print
/// it, without the formatting machinery: integers are printed on most renders, and `write!`
/// costs several times this in wasm.
pub fn write_integer(out: &mut String, i: i64) {
    let mut digits = [0u8; 20]; // u64::MAX has 20 digits
    let mut n = i.unsigned_abs();
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    // ASCII digits: always valid UTF-8.
    out.push_str(std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default());
}

/// Java's `Double.toString` (Java 8–18 digits): plain notation for 10^-3 <= |d| < 10^7,
/// otherwise `d.dddE±n`; always at least one fractional digit.
pub(crate) fn java_double(d: f64, out: &mut String) {
    crate::jdouble::write(d, out)
}

/// Identity of a list or map (the address of its shared cell).
fn container_id(v: &Value) -> Option<*const ()> {
    match v {
        Value::List(l) => Some(Rc::as_ptr(l) as *const ()),
        Value::Map(m) => Some(Rc::as_ptr(m) as *const ()),
        _ => None,
    }
}

fn strong_count(v: &Value) -> usize {
    match v {
        Value::List(l) => Rc::strong_count(l),
        Value::Map(m) => Rc::strong_count(m),
        _ => 0,
    }
}

/// Calls `f` on each element of a list or map (nothing if it is being mutated elsewhere,
/// which only makes the container look externally held: the safe side).
fn each_child(v: &Value, mut f: impl FnMut(&Value)) {
    match v {
        Value::List(l) => {
            if let Ok(l) = l.try_borrow() {
                l.iter().for_each(&mut f);
            }
        }
        Value::Map(m) => {
            if let Ok(m) = m.try_borrow() {
                m.values().for_each(&mut f);
            }
        }
        _ => {}
    }
}

/// Empties the lists and maps reachable from `roots` that nothing outside `roots` can reach,
/// so that reference cycles among them are freed when the roots are dropped. This is a trial
/// deletion, as CPython's cycle collector does: count the references each container receives
/// from the roots and from reachable containers; one with more strong references than that is
/// held from outside, and it and everything it reaches stay untouched. Work is linear in the
/// reachable elements (what dropping them costs anyway), with explicit stacks, no recursion.
pub(crate) fn free_cycles<'a>(roots: impl Iterator<Item = &'a Value>) {
    use std::collections::HashMap;
    // id -> (references from roots and reachable containers, a handle to the container)
    let mut seen: HashMap<*const (), (usize, Value)> = HashMap::new();
    let mut stack: Vec<Value> = Vec::new();
    let count =
        |v: &Value, seen: &mut HashMap<*const (), (usize, Value)>, stack: &mut Vec<Value>| {
            if let Some(id) = container_id(v) {
                let e = seen.entry(id).or_insert_with(|| {
                    stack.push(v.clone());
                    (0, v.clone())
                });
                e.0 += 1;
            }
        };
    for r in roots {
        count(r, &mut seen, &mut stack);
    }
    if seen.is_empty() {
        return;
    }
    while let Some(v) = stack.pop() {
        each_child(&v, |c| count(c, &mut seen, &mut stack));
    }
    // Our own handle in `seen` is one of the strong references.
    let mut live: Vec<Value> = seen
        .values()
        .filter(|(n, v)| strong_count(v) > n + 1)
        .map(|(_, v)| v.clone())
        .collect();
    let mut keep: std::collections::HashSet<*const ()> =
        live.iter().filter_map(container_id).collect();
    while let Some(v) = live.pop() {
        each_child(&v, |c| {
            if let Some(id) = container_id(c) {
                if keep.insert(id) {
                    live.push(c.clone());
                }
            }
        });
    }
    for (id, (_, v)) in &seen {
        if keep.contains(id) {
            continue;
        }
        // Take the elements out first, so their drops run with no borrow held.
        match v {
            Value::List(l) => drop(l.try_borrow_mut().map(|mut l| std::mem::take(&mut *l))),
            Value::Map(m) => drop(m.try_borrow_mut().map(|mut m| std::mem::take(&mut *m))),
            _ => {}
        }
    }
}
