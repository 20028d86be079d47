//! `$input` (spec §7.2): the payload (`body`, `json(path)`, `path(path)`) and the request
//! parameters (`params()`, `params(name)`).

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use vtl::{HostObject, Map, Value};

use super::json;
use super::jsonpath::JsonPath;
use super::Params;

/// What rendering a method or holder without calling it prints: `$input`, `$util`,
/// `$input.params`, `$input.json`, `$util.urlEncode`, even `$input.keySet` all render `{}`
/// on AWS (spec §7.1 [AWS-REC old]).
pub struct Holder;

impl HostObject for Holder {
    fn type_name(&self) -> &str {
        "holder"
    }
    fn get_property(&self, _name: &str) -> Option<Value> {
        Some(holder())
    }
    fn to_java_string(&self) -> String {
        "{}".into()
    }
}

pub fn holder() -> Value {
    Value::Object(Rc::new(Holder))
}

/// Prefix of the message API Gateway returns (with status 400) when a JSON-looking payload
/// does not parse (spec §7.2 [AWS-REC old]).
pub const INVALID_PAYLOAD_PREFIX: &str =
    "Could not process payloadnet.minidev.json.parser.ParseException: ";

/// The payload as templates see it: an empty request body is `{}` everywhere (spec §7.2
/// [AWS-REC]).
pub(crate) fn body_text(body: &str) -> Rc<str> {
    if body.is_empty() {
        Rc::from("{}")
    } else {
        Rc::from(body)
    }
}

pub struct Input {
    body: Rc<str>,
    /// The request's parameters as the pipeline or case gave them, shared, not copied.
    raw_params: Rc<Params>,
    /// `$input.params()` as a template map, built on first use: most templates only call
    /// `$input.params('name')`, which reads `raw_params` without building anything. Once
    /// built, name lookups read this map, so a template that changed it sees its change.
    /// Shared across renderings only by templates that change nothing ([`Sharing`]).
    params: Rc<OnceCell<Value>>,
    /// The payload parsed once, on first use by `path`/`json`.
    parsed: RefCell<Option<Result<Value, String>>>,
    /// The payload as parsed by an earlier rendering of the same input (a compiled template's
    /// current input, [`super::PreparedInput`]): copied instead of parsed again.
    parsed_before: Option<Rc<OnceCell<Result<Value, String>>>>,
    /// Whether `parsed_before`'s value is handed out as it is instead of copied ([`Sharing`]).
    share_document: bool,
    /// `path`/`json` results kept across renderings ([`Sharing`]).
    memo: Option<Rc<Memo>>,
    /// Set when the payload looked like JSON but did not parse: the pipeline answers 400.
    pub(crate) invalid_payload: RefCell<Option<String>>,
}

/// What a rendering of a prepared input may share with the other renderings of it instead of
/// having a copy of its own: only for a template that cannot change a list or map it did not
/// create (`vtl::Template::changes_nothing`), so no rendering can see another's changes.
#[derive(Default)]
pub(crate) struct Sharing {
    /// The `$input.params()` map, built by the first rendering that asks.
    pub params: Option<Rc<OnceCell<Value>>>,
    /// The parsed payload itself rather than a copy.
    pub document: bool,
    /// Results of `$input.path`/`$input.json`/`$util.parseJson` by argument: they depend on
    /// the argument and the payload alone, and a template that changes nothing cannot change
    /// what they returned.
    pub memo: Option<Rc<Memo>>,
}

/// What pure method calls returned, by their string argument, for the renderings of one
/// prepared input that share it ([`Sharing`]). Only successes are kept (a failure's side
/// effects, such as the invalid-payload answer, must happen in each rendering), and at most
/// [`Memo::ENTRIES`] per method, so a template computing its arguments cannot grow it.
#[derive(Default)]
pub(crate) struct Memo {
    path: RefCell<Vec<(Rc<str>, Value)>>,
    json: RefCell<Vec<(Rc<str>, Value)>>,
    pub(crate) parse_json: RefCell<Vec<(Rc<str>, Value)>>,
}

impl Memo {
    const ENTRIES: usize = 16;

    /// The value kept for `key` (the same text: the same string object, or equal bytes).
    pub(crate) fn get(list: &RefCell<Vec<(Rc<str>, Value)>>, key: &Rc<str>) -> Option<Value> {
        list.borrow()
            .iter()
            .find(|(k, _)| Rc::ptr_eq(k, key) || **k == **key)
            .map(|(_, v)| v.clone())
    }

    pub(crate) fn put(list: &RefCell<Vec<(Rc<str>, Value)>>, key: &Rc<str>, value: &Value) {
        let mut list = list.borrow_mut();
        if list.len() < Memo::ENTRIES {
            list.push((key.clone(), value.clone()));
        }
    }

    /// `compute(key)`, or what it returned for the same key before.
    pub(crate) fn through(
        list: &RefCell<Vec<(Rc<str>, Value)>>,
        key: &Rc<str>,
        compute: impl FnOnce() -> Result<Value, String>,
    ) -> Result<Value, String> {
        if let Some(v) = Memo::get(list, key) {
            return Ok(v);
        }
        let v = compute()?;
        Memo::put(list, key, &v);
        Ok(v)
    }
}

impl Input {
    /// An `Input` for one rendering: `body` from [`body_text`]; `parsed_before` keeps the
    /// payload's parse across renderings of the same input (`None`: parse on first use).
    pub(crate) fn with_parsed(
        body: Rc<str>,
        params: Rc<Params>,
        parsed_before: Option<Rc<OnceCell<Result<Value, String>>>>,
        sharing: Sharing,
    ) -> Input {
        Input {
            body,
            raw_params: params,
            params: sharing.params.unwrap_or_default(),
            parsed: RefCell::new(None),
            parsed_before,
            share_document: sharing.document,
            memo: sharing.memo,
            invalid_payload: RefCell::new(None),
        }
    }

    /// Readies an `Input` shared by several renderings ([`Sharing`]) for the next one: its
    /// payload caches start over, so each rendering parses (or takes the shared parse) and
    /// reports an invalid payload exactly as a rendering with an `Input` of its own would.
    pub(crate) fn start_rendering(&self) {
        self.parsed.replace(None);
        self.invalid_payload.replace(None);
    }

    /// `$input.params()`: `{path={..}, querystring={..}, header={..}}`.
    fn all_params(&self) -> &Value {
        self.params.get_or_init(|| {
            let section = |m: &indexmap::IndexMap<String, String>| {
                let mut out = Map::with_capacity_and_hasher(m.len(), Default::default());
                for (k, v) in m {
                    out.insert(k.clone(), Value::str(v));
                }
                Value::map(out)
            };
            let raw = &self.raw_params;
            let mut all = Map::with_capacity_and_hasher(3, Default::default());
            all.insert("path".into(), section(&raw.path));
            all.insert("querystring".into(), section(&raw.querystring));
            all.insert("header".into(), section(&raw.header));
            Value::map(all)
        })
    }

    /// The payload as a value. JSON is parsed only when the payload starts (after
    /// whitespace) with `{`, `[` or `"`; anything else is a plain string (spec §7.2: `a{b`,
    /// `null{`, `true{` come back unchanged).
    fn document(&self) -> Result<Value, String> {
        if let Some(done) = self.parsed.borrow().as_ref() {
            return done.clone();
        }
        let result = match &self.parsed_before {
            // A copy of its own: the template may change what it reads, and the next
            // rendering must not see that (unless it cannot change anything).
            Some(cell) => match cell.get_or_init(|| self.parse()) {
                Ok(v) if self.share_document => Ok(v.clone()),
                Ok(v) => Ok(json::fresh_copy(v)),
                Err(e) => Err(e.clone()),
            },
            None => self.parse(),
        };
        if let Err(message) = &result {
            *self.invalid_payload.borrow_mut() = Some(message.clone());
        }
        *self.parsed.borrow_mut() = Some(result.clone());
        result
    }

    fn parse(&self) -> Result<Value, String> {
        let trimmed = self.body.trim_start();
        if trimmed.starts_with(['{', '[', '"']) {
            json::parse(trimmed).map_err(|e| format!("{INVALID_PAYLOAD_PREFIX}{}", e.message))
        } else {
            Ok(Value::Str(self.body.clone()))
        }
    }

    /// Runs the JSONPath in `args[0]`; `None` when a definite path matches nothing.
    fn query(&self, args: &[Value]) -> Result<Option<Value>, String> {
        let path = match args.first() {
            Some(Value::Str(s)) => s.to_string(),
            Some(Value::Null) | None => return Ok(None),
            Some(other) => json::java_string(other),
        };
        let doc = self.document()?;
        JsonPath::compile(&path)?.query(&doc)
    }

    fn param(&self, name: &str) -> Value {
        // Search order: path, then query string, then header (spec §7.2 [DOC]). Header names
        // are case-insensitive in HTTP; the pipeline keeps the client's casing, so an exact
        // match is tried first, then any casing [INFER: AWS's exact lookup is unverified,
        // spec §7.2].
        let Some(built) = self.params.get() else {
            let raw = &self.raw_params;
            let found = small_get(&raw.path, name)
                .or_else(|| small_get(&raw.querystring, name))
                .or_else(|| small_get(&raw.header, name))
                .or_else(|| {
                    raw.header
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v)
                });
            return Value::str(found.map_or("", String::as_str));
        };
        let Value::Map(all) = built else {
            return Value::str("");
        };
        let all = all.borrow();
        // Scans, not hash lookups: three sections of usually a few entries each.
        let section = |key: &str| match all.iter().find(|(k, _)| *k == key) {
            Some((_, Value::Map(m))) => Some(m.clone()),
            _ => None,
        };
        for key in ["path", "querystring", "header"] {
            if let Some(m) = section(key) {
                let m = m.borrow();
                let found = if m.len() <= 8 {
                    m.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
                } else {
                    m.get(name)
                };
                if let Some(v) = found {
                    return v.clone();
                }
            }
        }
        if let Some(h) = section("header") {
            if let Some((_, v)) = h
                .borrow()
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
            {
                return v.clone();
            }
        }
        Value::str("")
    }
}

/// `map.get(name)`, scanning small maps instead of hashing the name (SipHash, the parameter
/// maps' hasher, costs more than comparing a handful of keys): a request's parameter sections
/// usually hold a few entries each.
fn small_get<'a>(map: &'a indexmap::IndexMap<String, String>, name: &str) -> Option<&'a String> {
    if map.len() <= 8 {
        map.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    } else {
        map.get(name)
    }
}

impl HostObject for Input {
    fn type_name(&self) -> &str {
        "$input"
    }

    fn get_property(&self, name: &str) -> Option<Value> {
        match name {
            "body" => Some(Value::Str(self.body.clone())),
            _ => Some(holder()),
        }
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if let (Some(memo), [Value::Str(path)]) = (&self.memo, args) {
            let list = match name {
                "path" => &memo.path,
                "json" => &memo.json,
                _ => return self.call_uncached(name, args),
            };
            return Some(Memo::through(list, path, || {
                self.call_uncached(name, args)
                    .unwrap_or_else(|| Err(format!("no method {name}")))
            }));
        }
        self.call_uncached(name, args)
    }

    fn to_java_string(&self) -> String {
        "{}".into()
    }
}

impl Input {
    fn call_uncached(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        Some(match (name, args.len()) {
            // Missing path ⇒ null ⇒ renders empty (spec §7.2 [AWS-REC]).
            ("path", 1) => self.query(args).map(|v| v.unwrap_or(Value::Null)),
            // A path that matches nothing gives null too (renders empty) [INFER: AWS catches
            // Jayway's PathNotFoundException]; a JSON null value prints `null`.
            ("json", 1) => self.query(args).map(|v| {
                v.map(|v| Value::str(&json::to_json(&v)))
                    .unwrap_or(Value::Null)
            }),
            ("params", 0) => Ok(self.all_params().clone()),
            ("params", 1) => Ok(match args.first() {
                Some(Value::Str(s)) => self.param(s),
                Some(Value::Null) | None => Value::str(""),
                Some(other) => self.param(&json::java_string(other)),
            }),
            ("getBody", 0) => Ok(Value::Str(self.body.clone())),
            ("toString", 0) => Ok(Value::str("{}")),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(body: &str) -> Input {
        let mut params = Params::default();
        params.path.insert("id".into(), "p".into());
        params.querystring.insert("id".into(), "q".into());
        params
            .header
            .insert("Content-Type".into(), "text/plain".into());
        Input::with_parsed(body_text(body), Rc::new(params), None, Sharing::default())
    }

    fn call(i: &Input, name: &str, arg: &str) -> Result<String, String> {
        match i.call_method(name, &[Value::str(arg)]) {
            Some(Ok(v)) => Ok(json::java_string(&v)),
            Some(Err(e)) => Err(e),
            None => Err("no such method".into()),
        }
    }

    #[test]
    fn empty_body_is_braces_everywhere() {
        // spec §7.2 [AWS-REC]
        let i = input("");
        assert_eq!(
            i.get_property("body")
                .map(|v| json::java_string(&v))
                .as_deref(),
            Some("{}")
        );
        assert_eq!(call(&i, "json", "$").as_deref(), Ok("{}"));
    }

    #[test]
    fn only_json_looking_payloads_are_parsed() {
        // spec §7.2 [AWS-REC old]
        for body in ["a{b", "null{", "true{", "a=b"] {
            assert_eq!(call(&input(body), "path", "$").as_deref(), Ok(body));
        }
        assert_eq!(call(&input("a=b"), "json", "$").as_deref(), Ok("\"a=b\""));
        assert_eq!(call(&input("\"a=b\""), "path", "$").as_deref(), Ok("a=b"));
    }

    #[test]
    fn broken_json_sets_the_invalid_payload_message() {
        let i = input("{a");
        let e = call(&i, "path", "$").unwrap_err();
        let expected = "Could not process payloadnet.minidev.json.parser.ParseException: Unexpected End Of File position 1: null";
        assert_eq!(e, expected);
        assert_eq!(i.invalid_payload.borrow().as_deref(), Some(expected));
    }

    #[test]
    fn params_search_path_then_query_then_header() {
        let i = input("");
        assert_eq!(call(&i, "params", "id").as_deref(), Ok("p"));
        assert_eq!(
            call(&i, "params", "content-type").as_deref(),
            Ok("text/plain")
        );
        assert_eq!(call(&i, "params", "nope").as_deref(), Ok(""));
        let all = i
            .call_method("params", &[])
            .and_then(Result::ok)
            .map(|v| json::java_string(&v));
        assert_eq!(
            all.as_deref(),
            Some("{path={id=p}, querystring={id=q}, header={Content-Type=text/plain}}")
        );
    }

    #[test]
    fn params_lookups_agree_before_and_after_the_map_is_built() {
        // `params('x')` reads the request's parameters directly until `params()` builds the
        // map; both routes give the same answers (spec §7.2).
        let lazy = input("");
        let built = input("");
        let _ = built.call_method("params", &[]);
        for name in ["id", "Content-Type", "CONTENT-TYPE", "nope"] {
            assert_eq!(
                call(&lazy, "params", name),
                call(&built, "params", name),
                "{name}"
            );
        }
    }

    #[test]
    fn path_values_are_native() {
        let i = input(r#"{"m": {"foo": "bar"}, "n": 3, "missing": null}"#);
        assert_eq!(call(&i, "path", "$.m").as_deref(), Ok("{foo=bar}"));
        assert!(matches!(
            i.call_method("path", &[Value::str("$.n")]),
            Some(Ok(Value::Int(3)))
        ));
        assert!(matches!(
            i.call_method("path", &[Value::str("$.nope")]),
            Some(Ok(Value::Null))
        ));
        assert!(matches!(
            i.call_method("json", &[Value::str("$.nope")]),
            Some(Ok(Value::Null))
        ));
        assert_eq!(call(&i, "json", "$.missing").as_deref(), Ok("null"));
    }

    #[test]
    fn holders_print_braces() {
        // spec §7.1 [AWS-REC old]
        let i = input("");
        assert_eq!(i.to_java_string(), "{}");
        assert_eq!(
            i.get_property("params")
                .map(|v| json::java_string(&v))
                .as_deref(),
            Some("{}")
        );
    }
}
