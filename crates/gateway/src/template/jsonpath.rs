//! The JSONPath subset of Jayway JsonPath that API Gateway templates use (spec §7.2):
//! `$`, `$.a.b`, `$['a b']`, `$.a[0]`, `$.a[-1]`, `$.a[0,2]`, `$.a[1:3]`, `$.a[*].b`, `$.*`,
//! `$..b`, and filters `[?(@.x > 1)]` with `== != < <= > >=`, existence `[?(@.x)]`, `!`,
//! `&&`, `||` and parentheses.
//!
//! Jayway's rule for what a query returns: a *definite* path (only names and single
//! indexes) yields the value itself, or null when missing; any other path yields a JSON
//! array of every match, skipping missing leaves.

use vtl::Value;

use super::json::{self, json_array};

/// Total nodes a single query may visit (deep scans of deep scans multiply).
const MAX_VISITS: usize = 1_000_000;

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Name(String),
    Names(Vec<String>),
    Index(i64),
    Indexes(Vec<i64>),
    Slice(Option<i64>, Option<i64>),
    Wildcard,
    /// `..` followed by what to match at every depth.
    Scan(Box<Segment>),
    Filter(Filter),
}

#[derive(Clone, Debug, PartialEq)]
enum Filter {
    Exists(Vec<Segment>),
    Not(Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Compare(Operand, Op, Operand),
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    /// `@...` relative to the current item, `$...` from the root.
    Path {
        from_root: bool,
        segments: Vec<Segment>,
    },
    Literal(Literal),
}

#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A compiled path.
#[derive(Clone, Debug)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

impl JsonPath {
    /// Compiles `path`. Like Jayway, a path that does not start with `$` is taken as
    /// relative to the root (`a.b` means `$.a.b`).
    pub fn compile(path: &str) -> Result<JsonPath, String> {
        let trimmed = path.trim();
        let body = if let Some(rest) = trimmed.strip_prefix('$') {
            rest.to_string()
        } else if trimmed.starts_with('[') {
            trimmed.to_string()
        } else {
            format!(".{trimmed}")
        };
        let mut p = PathParser {
            s: body.as_bytes(),
            src: &body,
            i: 0,
            full: path,
        };
        let segments = p.segments(false)?;
        if p.i < p.s.len() {
            return Err(p.error("unexpected character"));
        }
        Ok(JsonPath { segments })
    }

    /// True when the path selects at most one value (no wildcard, scan, filter, slice or list).
    pub fn is_definite(&self) -> bool {
        self.segments
            .iter()
            .all(|s| matches!(s, Segment::Name(_) | Segment::Index(_)))
    }

    /// Evaluates against `root`: for a definite path the value, `None` when nothing
    /// matches (Jayway's PathNotFoundException); otherwise a JSON array of all matches.
    pub fn query(&self, root: &Value) -> Result<Option<Value>, String> {
        let mut budget = MAX_VISITS;
        let mut found = Vec::new();
        select(root, root, &self.segments, &mut found, &mut budget)?;
        if self.is_definite() {
            Ok(found.into_iter().next())
        } else {
            Ok(Some(json_array(found)))
        }
    }

    /// [`JsonPath::query`] with "nothing matched" as null, as `$input.path` returns it.
    pub fn evaluate(&self, root: &Value) -> Result<Value, String> {
        Ok(self.query(root)?.unwrap_or(Value::Null))
    }
}

struct PathParser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    full: &'a str,
}

impl PathParser<'_> {
    fn error(&self, what: &str) -> String {
        format!(
            "Invalid JSONPath `{}`: {what} at character {}",
            self.full,
            self.i + 1
        )
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// Segments until the end (or, inside a filter, until an operator or `)`).
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Segment>, String> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Some(b'.') if self.s.get(self.i + 1) == Some(&b'.') => {
                    self.i += 2;
                    let target = match self.peek() {
                        Some(b'[') => self.bracket()?,
                        Some(b'*') => {
                            self.i += 1;
                            Segment::Wildcard
                        }
                        _ => Segment::Name(self.dot_name(in_filter)?),
                    };
                    out.push(Segment::Scan(Box::new(target)));
                }
                Some(b'.') => {
                    self.i += 1;
                    if self.peek() == Some(b'*') {
                        self.i += 1;
                        out.push(Segment::Wildcard);
                    } else if self.peek() == Some(b'[') {
                        out.push(self.bracket()?);
                    } else {
                        out.push(Segment::Name(self.dot_name(in_filter)?));
                    }
                }
                Some(b'[') => out.push(self.bracket()?),
                _ => return Ok(out),
            }
        }
    }

    fn dot_name(&mut self, in_filter: bool) -> Result<String, String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            let stop = c == b'.' || c == b'[' || (in_filter && b" )=!<>&|".contains(&c));
            if stop {
                break;
            }
            self.i += 1;
        }
        if self.i == start {
            return Err(self.error("property name expected"));
        }
        Ok(self.src.get(start..self.i).unwrap_or("").to_string())
    }

    fn bracket(&mut self) -> Result<Segment, String> {
        self.i += 1; // '['
        self.skip_ws();
        let seg = match self.peek() {
            Some(b'*') => {
                self.i += 1;
                Segment::Wildcard
            }
            Some(b'?') => {
                self.i += 1;
                self.skip_ws();
                if self.peek() != Some(b'(') {
                    return Err(self.error("`(` expected after `?`"));
                }
                self.i += 1;
                let f = self.filter_or(0)?;
                self.skip_ws();
                if self.peek() != Some(b')') {
                    return Err(self.error("`)` expected to close the filter"));
                }
                self.i += 1;
                Segment::Filter(f)
            }
            Some(b'\'') | Some(b'"') => {
                let mut names = vec![self.quoted()?];
                loop {
                    self.skip_ws();
                    if self.peek() != Some(b',') {
                        break;
                    }
                    self.i += 1;
                    self.skip_ws();
                    names.push(self.quoted()?);
                }
                if names.len() == 1 {
                    Segment::Name(names.pop().unwrap_or_default())
                } else {
                    Segment::Names(names)
                }
            }
            _ => self.index_or_slice()?,
        };
        self.skip_ws();
        if self.peek() != Some(b']') {
            return Err(self.error("`]` expected"));
        }
        self.i += 1;
        Ok(seg)
    }

    fn quoted(&mut self) -> Result<String, String> {
        let q = self.peek().ok_or_else(|| self.error("quote expected"))?;
        if q != b'\'' && q != b'"' {
            return Err(self.error("quoted name expected"));
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == q || c == b'\\' {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.src.get(start..self.i).unwrap_or(""));
            match self.peek() {
                None => return Err(self.error("unterminated quoted name")),
                Some(b'\\') => {
                    self.i += 1;
                    let start = self.i;
                    self.i += 1;
                    while !self.src.is_char_boundary(self.i.min(self.src.len())) {
                        self.i += 1;
                    }
                    out.push_str(
                        self.src
                            .get(start..self.i.min(self.src.len()))
                            .unwrap_or(""),
                    );
                }
                Some(_) => {
                    self.i += 1;
                    return Ok(out);
                }
            }
        }
    }

    fn int(&mut self) -> Option<i64> {
        self.skip_ws();
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let n = self.src.get(start..self.i).and_then(|t| t.parse().ok());
        if n.is_none() {
            self.i = start;
        }
        self.skip_ws();
        n
    }

    fn index_or_slice(&mut self) -> Result<Segment, String> {
        let first = self.int();
        if self.peek() == Some(b':') {
            self.i += 1;
            let end = self.int();
            return Ok(Segment::Slice(first, end));
        }
        let Some(first) = first else {
            return Err(self.error("index, name, `*` or filter expected"));
        };
        let mut all = vec![first];
        while self.peek() == Some(b',') {
            self.i += 1;
            all.push(self.int().ok_or_else(|| self.error("index expected"))?);
        }
        Ok(if all.len() == 1 {
            Segment::Index(first)
        } else {
            Segment::Indexes(all)
        })
    }

    fn filter_or(&mut self, depth: usize) -> Result<Filter, String> {
        let mut left = self.filter_and(depth)?;
        loop {
            self.skip_ws();
            if self.s.get(self.i..self.i + 2) == Some(b"||") {
                self.i += 2;
                let right = self.filter_and(depth)?;
                left = Filter::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_and(&mut self, depth: usize) -> Result<Filter, String> {
        let mut left = self.filter_unary(depth)?;
        loop {
            self.skip_ws();
            if self.s.get(self.i..self.i + 2) == Some(b"&&") {
                self.i += 2;
                let right = self.filter_unary(depth)?;
                left = Filter::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_unary(&mut self, depth: usize) -> Result<Filter, String> {
        if depth > 32 {
            return Err(self.error("filter nested too deeply"));
        }
        self.skip_ws();
        match self.peek() {
            Some(b'!') => {
                self.i += 1;
                Ok(Filter::Not(Box::new(self.filter_unary(depth + 1)?)))
            }
            Some(b'(') => {
                self.i += 1;
                let f = self.filter_or(depth + 1)?;
                self.skip_ws();
                if self.peek() != Some(b')') {
                    return Err(self.error("`)` expected"));
                }
                self.i += 1;
                Ok(f)
            }
            _ => {
                let left = self.operand()?;
                self.skip_ws();
                let op = match self.s.get(self.i..self.i + 2) {
                    Some(b"==") => Some((Op::Eq, 2)),
                    Some(b"!=") => Some((Op::Ne, 2)),
                    Some(b"<=") => Some((Op::Le, 2)),
                    Some(b">=") => Some((Op::Ge, 2)),
                    _ => match self.peek() {
                        Some(b'<') => Some((Op::Lt, 1)),
                        Some(b'>') => Some((Op::Gt, 1)),
                        Some(b'=') if self.s.get(self.i + 1) == Some(&b'~') => {
                            return Err(
                                self.error("regular-expression filters (`=~`) are not supported")
                            )
                        }
                        _ => None,
                    },
                };
                match op {
                    Some((op, len)) => {
                        self.i += len;
                        let right = self.operand()?;
                        Ok(Filter::Compare(left, op, right))
                    }
                    None => match left {
                        Operand::Path {
                            from_root: false,
                            segments,
                        } => Ok(Filter::Exists(segments)),
                        _ => Err(self.error("comparison operator expected")),
                    },
                }
            }
        }
    }

    fn operand(&mut self) -> Result<Operand, String> {
        self.skip_ws();
        match self.peek() {
            Some(c @ (b'@' | b'$')) => {
                self.i += 1;
                let segments = self.segments(true)?;
                Ok(Operand::Path {
                    from_root: c == b'$',
                    segments,
                })
            }
            Some(b'\'') | Some(b'"') => Ok(Operand::Literal(Literal::Str(self.quoted()?))),
            _ => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b"-+.".contains(&c))
                {
                    self.i += 1;
                }
                let tok = self.src.get(start..self.i).unwrap_or("");
                match tok {
                    "true" => Ok(Operand::Literal(Literal::Bool(true))),
                    "false" => Ok(Operand::Literal(Literal::Bool(false))),
                    "null" => Ok(Operand::Literal(Literal::Null)),
                    _ => tok
                        .parse::<f64>()
                        .map(|n| Operand::Literal(Literal::Num(n)))
                        .map_err(|_| self.error("value expected in filter")),
                }
            }
        }
    }
}

fn spend(budget: &mut usize) -> Result<(), String> {
    if *budget == 0 {
        return Err(format!(
            "JSONPath query visits more than {MAX_VISITS} nodes"
        ));
    }
    *budget -= 1;
    Ok(())
}

fn list_items(v: &Value) -> Option<Vec<Value>> {
    json::list_of(v).and_then(|l| l.try_borrow().ok().map(|x| x.clone()))
}

fn resolve_index(len: usize, i: i64) -> Option<usize> {
    let len = len as i64;
    let idx = if i < 0 { len + i } else { i };
    (0..len).contains(&idx).then_some(idx as usize)
}

/// Applies `segments` to `node`, pushing every final match to `out`.
fn select(
    root: &Value,
    node: &Value,
    segments: &[Segment],
    out: &mut Vec<Value>,
    budget: &mut usize,
) -> Result<(), String> {
    spend(budget)?;
    let Some((seg, rest)) = segments.split_first() else {
        out.push(node.clone());
        return Ok(());
    };
    match seg {
        Segment::Name(name) => {
            if let Some(v) = map_get(node, name) {
                select(root, &v, rest, out, budget)?;
            }
        }
        // Jayway merges a multi-property leaf (`$['a','b']`) into one map of the properties the
        // object has (PropertyPathToken's "multiPropertyMergeCase"); inside a path each name is
        // followed separately. A merged map is never a definite result, so it comes back in a list.
        Segment::Names(names) if rest.is_empty() && matches!(node, Value::Map(_)) => {
            let mut merged = vtl::Map::default();
            for name in names {
                if let Some(v) = map_get(node, name) {
                    merged.insert(name.clone(), v);
                }
            }
            // An object with none of the names adds nothing, so a deep scan (`$..['a','b']`) does
            // not collect an empty map per object [INFER].
            if !merged.is_empty() {
                out.push(Value::map(merged));
            }
        }
        Segment::Names(names) => {
            for name in names {
                if let Some(v) = map_get(node, name) {
                    select(root, &v, rest, out, budget)?;
                }
            }
        }
        Segment::Index(i) => {
            if let Some(items) = list_items(node) {
                if let Some(v) = resolve_index(items.len(), *i).and_then(|k| items.get(k)) {
                    select(root, v, rest, out, budget)?;
                }
            }
        }
        Segment::Indexes(is) => {
            if let Some(items) = list_items(node) {
                for i in is {
                    if let Some(v) = resolve_index(items.len(), *i).and_then(|k| items.get(k)) {
                        select(root, v, rest, out, budget)?;
                    }
                }
            }
        }
        Segment::Slice(from, to) => {
            if let Some(items) = list_items(node) {
                let len = items.len() as i64;
                let clamp = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let start = from.map(clamp).unwrap_or(0);
                let end = to.map(clamp).unwrap_or(len);
                for k in start..end.max(start) {
                    if let Some(v) = items.get(k as usize) {
                        select(root, v, rest, out, budget)?;
                    }
                }
            }
        }
        Segment::Wildcard => {
            for child in children(node) {
                select(root, &child, rest, out, budget)?;
            }
        }
        Segment::Filter(f) => {
            // A filter applies to the elements of an array, or to an object itself.
            match node {
                _ if json::list_of(node).is_some() => {
                    for child in children(node) {
                        if matches_filter(root, &child, f, budget)? {
                            select(root, &child, rest, out, budget)?;
                        }
                    }
                }
                Value::Map(_) if matches_filter(root, node, f, budget)? => {
                    select(root, node, rest, out, budget)?;
                }
                _ => {}
            }
        }
        Segment::Scan(target) => scan(root, node, target, rest, out, budget, 0)?,
    }
    Ok(())
}

/// `..target`: tries `target` at `node` and at every descendant, in document order.
fn scan(
    root: &Value,
    node: &Value,
    target: &Segment,
    rest: &[Segment],
    out: &mut Vec<Value>,
    budget: &mut usize,
    depth: usize,
) -> Result<(), String> {
    if depth > json::MAX_DEPTH {
        return Ok(());
    }
    spend(budget)?;
    let mut with_target = Vec::with_capacity(rest.len() + 1);
    with_target.push(target.clone());
    with_target.extend_from_slice(rest);
    // A wildcard scan must not also match the node the scan started from.
    select(root, node, &with_target, out, budget)?;
    for child in children(node) {
        if matches!(child, Value::Map(_)) || json::list_of(&child).is_some() {
            scan(root, &child, target, rest, out, budget, depth + 1)?;
        }
    }
    Ok(())
}

fn children(v: &Value) -> Vec<Value> {
    match v {
        Value::Map(m) => m
            .try_borrow()
            .map(|x| x.values().cloned().collect())
            .unwrap_or_default(),
        _ => list_items(v).unwrap_or_default(),
    }
}

fn map_get(v: &Value, name: &str) -> Option<Value> {
    match v {
        Value::Map(m) => m.try_borrow().ok().and_then(|x| x.get(name).cloned()),
        _ => None,
    }
}

fn matches_filter(
    root: &Value,
    item: &Value,
    f: &Filter,
    budget: &mut usize,
) -> Result<bool, String> {
    spend(budget)?;
    Ok(match f {
        Filter::Exists(segs) => {
            let mut found = Vec::new();
            select(root, item, segs, &mut found, budget)?;
            !found.is_empty()
        }
        Filter::Not(inner) => !matches_filter(root, item, inner, budget)?,
        Filter::And(a, b) => {
            matches_filter(root, item, a, budget)? && matches_filter(root, item, b, budget)?
        }
        Filter::Or(a, b) => {
            matches_filter(root, item, a, budget)? || matches_filter(root, item, b, budget)?
        }
        Filter::Compare(l, op, r) => {
            let (Some(a), Some(b)) = (
                operand_value(root, item, l, budget)?,
                operand_value(root, item, r, budget)?,
            ) else {
                return Ok(false);
            };
            compare(&a, *op, &b)
        }
    })
}

fn operand_value(
    root: &Value,
    item: &Value,
    o: &Operand,
    budget: &mut usize,
) -> Result<Option<Literal>, String> {
    Ok(match o {
        Operand::Literal(l) => Some(l.clone()),
        Operand::Path {
            from_root,
            segments,
        } => {
            let mut found = Vec::new();
            select(
                root,
                if *from_root { root } else { item },
                segments,
                &mut found,
                budget,
            )?;
            found.into_iter().next().map(|v| match v {
                Value::Null => Literal::Null,
                Value::Bool(b) => Literal::Bool(b),
                Value::Int(i) => Literal::Num(i as f64),
                Value::Long(l) => Literal::Num(l as f64),
                Value::Double(d) => Literal::Num(d),
                Value::Str(s) => Literal::Str(s.to_string()),
                // Containers compare by their JSON text (Jayway compares JSON nodes).
                other => Literal::Str(json::to_json(&other)),
            })
        }
    })
}

/// Jayway compares numbers numerically and strings lexically; values of different types
/// are only ever unequal.
fn compare(a: &Literal, op: Op, b: &Literal) -> bool {
    use std::cmp::Ordering;
    let ord = match (a, b) {
        (Literal::Num(x), Literal::Num(y)) => x.partial_cmp(y),
        (Literal::Str(x), Literal::Str(y)) => Some(x.cmp(y)),
        (Literal::Bool(x), Literal::Bool(y)) if matches!(op, Op::Eq | Op::Ne) => Some(x.cmp(y)),
        (Literal::Null, Literal::Null) if matches!(op, Op::Eq | Op::Ne) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, ord) {
        (Op::Eq, Some(o)) => o == Ordering::Equal,
        (Op::Ne, Some(o)) => o != Ordering::Equal,
        (Op::Ne, None) => true,
        (Op::Lt, Some(o)) => o == Ordering::Less,
        (Op::Le, Some(o)) => o != Ordering::Greater,
        (Op::Gt, Some(o)) => o == Ordering::Greater,
        (Op::Ge, Some(o)) => o != Ordering::Less,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(doc: &str, path: &str) -> String {
        let v = json::parse(doc).unwrap();
        let r = JsonPath::compile(path).unwrap().evaluate(&v).unwrap();
        json::to_json(&r)
    }

    const DOC: &str =
        r#"{"a":{"b":1,"c b":[1,2,3]},"arr":[{"k":"a","n":1},{"k":"b","n":5},{"n":9}],"s":"x"}"#;

    #[test]
    fn definite_paths() {
        assert_eq!(q(DOC, "$"), DOC);
        assert_eq!(q(DOC, "$.a.b"), "1");
        assert_eq!(q(DOC, "$['a']['c b'][1]"), "2");
        assert_eq!(q(DOC, "$.a['c b'][-1]"), "3");
        assert_eq!(q(DOC, "$.missing"), "null");
        assert_eq!(q(DOC, "a.b"), "1");
    }

    #[test]
    fn indefinite_paths_return_arrays() {
        assert_eq!(q(DOC, "$.arr[*].k"), r#"["a","b"]"#);
        assert_eq!(q(DOC, "$..k"), r#"["a","b"]"#);
        assert_eq!(q(DOC, "$.a['c b'][0:2]"), "[1,2]");
        assert_eq!(q(DOC, "$.a['c b'][-2:]"), "[2,3]");
        assert_eq!(q(DOC, "$.a['c b'][0,2]"), "[1,3]");
        assert_eq!(q(DOC, "$.arr[?(@.n > 1)].n"), "[5,9]");
        assert_eq!(q(DOC, "$.arr[?(@.k == 'b' || @.n >= 9)].n"), "[5,9]");
        assert_eq!(q(DOC, "$.arr[?(@.k)].k"), r#"["a","b"]"#);
        assert_eq!(q(DOC, "$.arr[?(!@.k)].n"), "[9]");
    }

    #[test]
    fn bad_paths_are_errors_not_panics() {
        for p in [
            "$.",
            "$[",
            "$['a",
            "$[?(@.a =~ /x/)]",
            "$[?(",
            "$..",
            "$[1:2:3]",
        ] {
            assert!(JsonPath::compile(p).is_err(), "{p}");
        }
    }

    #[test]
    fn work_is_bounded() {
        let deep = format!("{}1{}", "[".repeat(400), "]".repeat(400));
        let v = json::parse(&deep).unwrap();
        let r = JsonPath::compile("$..*..*..*..*").unwrap().evaluate(&v);
        assert!(r.is_err());
    }
}
