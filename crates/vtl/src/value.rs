//! The value model: what Java objects Velocity templates see, and how they print.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// Insertion-ordered map, like Java's LinkedHashMap (what Velocity map literals and
/// API Gateway's JSON objects are).
pub type Map = indexmap::IndexMap<String, Value>;

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
}
