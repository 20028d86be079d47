//! A seeded, grammar-based generator of Velocity templates and their variables.
//!
//! It aims at what API Gateway mapping templates use and where engines usually differ: references
//! with properties, methods and indexes; `#set/#if/#elseif/#else/#foreach/#break/#macro/#define/
//! #evaluate`; literals (interpolated and single-quoted strings, numbers, lists, ranges, maps);
//! integer arithmetic (division, overflow, division by zero); comparisons across types; logical
//! operators; comments and escapes; and above all the whitespace layout around directive lines
//! (indentation, trailing blanks, directive-only lines, CRLF), where Velocity "gobbles" newlines.
//! A small fraction of templates is mutated at random so that error paths are compared too.

use crate::rng::Rng;
use crate::{DiffCase, Json, JsonMap};

mod methods;

/// Generates case `index` of corpus `seed`.
pub fn generate(seed: u64, index: u64) -> DiffCase {
    let mut g = Gen {
        rng: Rng::for_case(seed, index),
        locals: Vec::new(),
        macros: Vec::new(),
        loop_vars: Vec::new(),
        explore: false,
    };
    let vars = g.vars();
    let template = g.template();
    DiffCase { template, vars }
}

/// Generates `count` cases of corpus `seed`.
pub fn corpus(seed: u64, count: usize) -> Vec<DiffCase> {
    (0..count as u64).map(|i| generate(seed, i)).collect()
}

/// Case `index` of the method-focused corpus `seed`: a few method-call lines (see
/// `gen/methods.rs`), sometimes between ordinary blocks. For long runs hunting method
/// differences (`velocity-diff run --methods`); the default corpus mixes them in too.
pub fn generate_methods(seed: u64, index: u64, include_gaps: bool) -> DiffCase {
    let mut g = Gen {
        // A different stream from `generate(seed, index)`'s.
        rng: Rng::for_case(seed ^ 0x6d65_7468_6f64_7321, index),
        locals: Vec::new(),
        macros: Vec::new(),
        loop_vars: Vec::new(),
        explore: include_gaps,
    };
    let vars = g.vars();
    let mut template = String::new();
    for _ in 0..g.rng.range(1, 4) {
        if g.rng.chance(15) {
            template.push_str(&g.block(1));
        }
        template.push_str(&g.method_line());
    }
    DiffCase { template, vars }
}

/// `count` cases of the method-focused corpus `seed`; `include_gaps` also generates the calls
/// listed in `methods::KNOWN_GAPS` (exploration), which the test gate leaves out.
pub fn method_corpus(seed: u64, count: usize, include_gaps: bool) -> Vec<DiffCase> {
    (0..count as u64)
        .map(|i| generate_methods(seed, i, include_gaps))
        .collect()
}

pub use methods::KNOWN_GAPS;

struct Gen {
    rng: Rng,
    /// Names assigned by `#set` so far (so later references hit them).
    locals: Vec<String>,
    /// Macros defined so far: (name, parameter count).
    macros: Vec<(String, usize)>,
    /// `#foreach` variables in scope.
    loop_vars: Vec<String>,
    /// The method corpus also generates the calls `vtl` is known to get wrong
    /// (`methods::KNOWN_GAPS`); the default corpus, which must pass, leaves them out.
    explore: bool,
}

/// Global variables every case defines (with random values of these types).
const VAR_NAMES: &[&str] = &[
    "s", "n", "d", "b", "big", "nul", "e", "l", "m", "ml", "word",
];
/// Names never defined: references to them render literally (or empty with `$!`).
const UNDEFINED: &[&str] = &["u", "missing", "foo"];
const LOCAL_NAMES: &[&str] = &["x", "y", "total", "out", "s", "n"];

const STRINGS: &[&str] = &[
    "hello",
    "Hello World",
    "",
    " padded ",
    "a,b,c",
    "x\"y",
    "it's",
    "ünïcödé",
    "日本",
    "42",
    "3.5",
    "true",
    "null",
    "$s",
    "#if(true)",
    "tab\there",
    "line1\nline2",
    "back\\slash",
    "a.b.c",
    "{\"k\":1}",
];

impl Gen {
    fn vars(&mut self) -> JsonMap<String, Json> {
        let mut m = JsonMap::new();
        m.insert("s".into(), self.json_string());
        m.insert(
            "n".into(),
            Json::from(
                *self
                    .rng
                    .pick(&[0i64, 1, -1, 2, 7, 42, 100, 2147483647, -2147483648]),
            ),
        );
        m.insert(
            "d".into(),
            Json::from(*self.rng.pick(&[
                0.0f64,
                1.5,
                -2.25,
                3.0,
                0.1,
                1e10,
                1e-5,
                123456789.0,
                1e21,
                100.0,
            ])),
        );
        m.insert("b".into(), Json::Bool(self.rng.chance(50)));
        m.insert(
            "big".into(),
            Json::from(*self.rng.pick(&[
                2147483648i64,
                -9007199254740993,
                9223372036854775807,
                4294967296,
            ])),
        );
        m.insert("nul".into(), Json::Null);
        m.insert("e".into(), Json::from(""));
        let len = self.rng.below(5);
        let list: Vec<Json> = (0..len).map(|_| self.json_scalar()).collect();
        m.insert("l".into(), Json::Array(list));
        m.insert("m".into(), self.json_map(2));
        let len = self.rng.below(4);
        let ml: Vec<Json> = (0..len).map(|_| self.json_map(1)).collect();
        m.insert("ml".into(), Json::Array(ml));
        m.insert(
            "word".into(),
            Json::from(*self.rng.pick(&["abc", "Name", "x", "key"])),
        );
        m
    }

    fn json_string(&mut self) -> Json {
        Json::from(*self.rng.pick(STRINGS))
    }

    fn json_scalar(&mut self) -> Json {
        match self.rng.below(6) {
            0 => self.json_string(),
            1 => Json::from(self.rng.range(-5, 20)),
            2 => Json::from(*self.rng.pick(&[0.5f64, 2.0, -1.25])),
            3 => Json::Bool(self.rng.chance(50)),
            4 => Json::Null,
            _ => Json::from(*self.rng.pick(&["a", "b", "c"])),
        }
    }

    fn json_map(&mut self, depth: u32) -> Json {
        let mut m = JsonMap::new();
        m.insert("a".into(), self.json_scalar());
        if self.rng.chance(70) {
            m.insert("b".into(), self.json_scalar());
        }
        m.insert("name".into(), self.json_string());
        if self.rng.chance(50) {
            m.insert("count".into(), Json::from(self.rng.range(0, 5)));
        }
        if depth > 0 {
            if self.rng.chance(60) {
                let len = self.rng.below(4);
                let list: Vec<Json> = (0..len).map(|_| self.json_scalar()).collect();
                m.insert("list".into(), Json::Array(list));
            }
            if self.rng.chance(60) {
                let inner = self.json_map(depth - 1);
                m.insert("inner".into(), inner);
            }
        }
        Json::Object(m)
    }

    // ---------------------------------------------------------------- templates

    fn template(&mut self) -> String {
        let mut out = String::new();
        if self.rng.chance(15) {
            out.push_str(&self.macro_def());
        }
        let blocks = self.rng.range(1, 4);
        for _ in 0..blocks {
            out.push_str(&self.block(2));
        }
        if self.rng.chance(50) {
            // The final line often lacks its newline: gobbling at end of input is a special case.
            if out.ends_with('\n') {
                out.pop();
                if out.ends_with('\r') {
                    out.pop();
                }
            }
        }
        if self.rng.chance(3) {
            out = self.mutate(out);
        }
        out
    }

    fn mutate(&mut self, s: String) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        let edits = self.rng.range(1, 2);
        for _ in 0..edits {
            let at = self.rng.below(chars.len() + 1);
            if self.rng.chance(50) && at < chars.len() {
                chars.remove(at);
            } else {
                let c = *self.rng.pick(&[
                    '$', '#', '(', ')', '{', '}', '[', ']', '"', '\'', '\\', '!', '*', '.', ' ',
                    '\n',
                ]);
                chars.insert(at, c);
            }
        }
        chars.into_iter().collect()
    }

    fn indent(&mut self) -> &'static str {
        self.rng
            .pick_str(&["", "", "", " ", "  ", "    ", "\t", "  \t"])
    }

    fn trailing(&mut self) -> &'static str {
        self.rng.pick_str(&["", "", "", "", " ", "  ", "\t"])
    }

    fn eol(&mut self) -> &'static str {
        if self.rng.chance(4) {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// A directive on a line of its own, with random indentation and trailing blanks.
    fn directive_line(&mut self, directive: &str) -> String {
        let indent = self.indent();
        let trailing = self.trailing();
        let eol = self.eol();
        format!("{indent}{directive}{trailing}{eol}")
    }

    fn block(&mut self, depth: u32) -> String {
        let choice = if depth == 0 {
            self.rng.below(5)
        } else {
            self.rng.below(24)
        };
        match choice {
            0 | 1 => {
                let line = self.text_line();
                let eol = self.eol();
                format!("{line}{eol}")
            }
            2 => self.set_line(),
            3 => self.json_line(),
            4 => self.comment(),
            5..=7 => self.if_block(depth),
            8 | 9 => self.foreach_block(depth),
            10 => self.inline_directive_line(),
            11 => self.macro_call_line(),
            12 => self.define_block(depth),
            13 => self.evaluate_line(),
            14 => self.escape_line(),
            15 | 16 => self.arithmetic_line(),
            17 => self.comparison_line(),
            18 => self.layout_block(depth),
            19 => self.misc_directive_line(),
            20..=22 => self.method_line(),
            _ => {
                let a = self.block(depth - 1);
                let b = self.block(depth - 1);
                a + &b
            }
        }
    }

    fn body(&mut self, depth: u32) -> String {
        let n = self.rng.range(0, 2);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(&self.block(depth));
        }
        if s.is_empty() && self.rng.chance(70) {
            let line = self.text_line();
            s = format!("{}{line}\n", self.indent());
        }
        s
    }

    fn text_line(&mut self) -> String {
        let parts = self.rng.range(1, 4);
        let mut s = String::new();
        let mut after_reference = false;
        for _ in 0..parts {
            // Text glued to a reference would often extend it (`$x[`, `$x.`), which Velocity
            // mostly rejects; keep a separator after references, glue words freely.
            if after_reference || (!s.is_empty() && self.rng.chance(60)) {
                s.push(' ');
            }
            if self.rng.chance(40) {
                s.push_str(self.text_word());
                after_reference = false;
            } else {
                s.push_str(&self.reference());
                after_reference = true;
            }
        }
        if after_reference || self.rng.chance(50) {
            s.push(' ');
        }
        s
    }

    fn text_word(&mut self) -> &'static str {
        self.rng.pick_str(&[
            "hello",
            "value:",
            "{",
            "}",
            "\"key\": ",
            ",",
            "a b",
            "x=1&y=2",
            "é",
            "->",
            "(",
            ")",
            "[",
            "]",
            "'q'",
            "\"q\"",
            "email@",
            ".",
            "-",
            "1.0",
            ":",
        ])
    }

    fn json_line(&mut self) -> String {
        let key = self.rng.pick(&["id", "name", "body", "items"]);
        let indent = self.indent();
        let value = if self.rng.chance(50) {
            format!("\"{}\"", self.reference())
        } else {
            self.reference()
        };
        let comma = if self.rng.chance(60) { "," } else { "" };
        let eol = self.eol();
        format!("{indent}\"{key}\": {value}{comma}{eol}")
    }

    fn comment(&mut self) -> String {
        match self.rng.below(5) {
            0 => self.directive_line("## a line comment $s"),
            1 => {
                let t = self.text_line();
                let eol = self.eol();
                format!("{t}## trailing comment{eol}")
            }
            2 => self.directive_line("#* block\ncomment $s *#"),
            3 => {
                let t = self.text_line();
                format!("{t}#* inline *#{}\n", self.text_word())
            }
            _ => self.directive_line("#** doc comment **#"),
        }
    }

    fn escape_line(&mut self) -> String {
        let piece = *self.rng.pick(&[
            "\\$s",
            "\\\\$s",
            "\\\\\\$s",
            "\\$u",
            "\\\\$u",
            "\\#if",
            "\\#set($x = 1)",
            "\\#end",
            "$ alone",
            "# alone",
            "$1.50",
            "#1",
            "$$s",
            "$s$n",
            "$s.",
            "$s.length",
            "${s}text",
            "$!{u}",
            "$!u",
            "\\$!u",
            "price: $10",
            "50%",
            "a#b",
            "#{",
            "$-",
            "#@x",
            "\\",
            "\\\\",
        ]);
        let eol = self.eol();
        format!("{}{piece}{}{eol}", self.indent(), self.trailing())
    }

    /// Numeric semantics: Integer/Long/Double/BigInteger promotion, overflow, division and
    /// remainder by zero, negative operands, string operands, and how results print.
    fn arithmetic_line(&mut self) -> String {
        const OPERANDS: &[&str] = &[
            "0",
            "1",
            "-1",
            "2",
            "3",
            "-7",
            "7",
            "10",
            "2147483647",
            "-2147483648",
            "2147483648",
            "9223372036854775807",
            "1.5",
            "0.1",
            "0.2",
            "-0.5",
            "2.0",
            "1.0E3",
            "$n",
            "$d",
            "$big",
            "$s",
            "$nul",
            "$u",
            "\"5\"",
            "'a'",
            "true",
            "$l.size()",
            "$m.count",
        ];
        let a = self.rng.pick_str(OPERANDS);
        let b = self.rng.pick_str(OPERANDS);
        let op = self.rng.pick_str(&["+", "-", "*", "/", "%"]);
        let e = if self.rng.chance(25) {
            let c = self.rng.pick_str(OPERANDS);
            let op2 = self.rng.pick_str(&["+", "-", "*", "/", "%"]);
            if self.rng.chance(50) {
                format!("({a} {op} {b}) {op2} {c}")
            } else {
                format!("{a} {op} {b} {op2} {c}")
            }
        } else {
            format!("{a} {op} {b}")
        };
        let var = self.rng.pick_str(&["r", "x"]);
        if !self.locals.iter().any(|l| l == var) {
            self.locals.push(var.to_string());
        }
        self.directive_line(&format!("#set(${var} = {e})[${var}]"))
    }

    /// Comparisons across types (numbers of different widths, strings, booleans, null,
    /// collections) and the logical operators around them.
    fn comparison_line(&mut self) -> String {
        const OPERANDS: &[&str] = &[
            "1",
            "1.0",
            "2147483648",
            "-1",
            "\"1\"",
            "'a'",
            "\"a\"",
            "true",
            "false",
            "$n",
            "$d",
            "$big",
            "$s",
            "$e",
            "$b",
            "$nul",
            "$u",
            "$l",
            "$m",
            "[]",
            "[1]",
            "{}",
            "$m.a",
            "$l.size()",
        ];
        let a = self.rng.pick_str(OPERANDS);
        let b = self.rng.pick_str(OPERANDS);
        let op = self.rng.pick_str(&[
            "==", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt", "le", "ge",
        ]);
        let cond = match self.rng.below(4) {
            0 => format!("!({a} {op} {b})"),
            1 => format!("{a} {op} {b} && {}", self.rng.pick_str(OPERANDS)),
            2 => format!("{a} {op} {b} || {}", self.rng.pick_str(OPERANDS)),
            _ => format!("{a} {op} {b}"),
        };
        self.directive_line(&format!("#if({cond})T#{{else}}F#end"))
    }

    /// Layouts that stress newline gobbling: several directives on one line, text before a
    /// directive, a comment after `#end`, blank and whitespace-only lines, `#set` at end of input.
    fn layout_block(&mut self, depth: u32) -> String {
        let c = self.cond(1);
        match self.rng.below(8) {
            0 => {
                let r = self.reference();
                self.directive_line(&format!("#if({c})#set($x = 1)#end{r}"))
            }
            1 => {
                let t = self.text_word();
                let mut s = self.directive_line(&format!("{t} #if({c})"));
                s.push_str(&self.body(depth - 1));
                s.push_str(&self.directive_line("#end ## done"));
                s
            }
            2 => {
                let mut s = self.directive_line(&format!("#if({c})"));
                s.push_str(self.rng.pick_str(&["\n", "  \n", "\t\n", "\r\n", "\n\n"]));
                s.push_str(&self.directive_line("#else"));
                s.push_str(self.rng.pick_str(&["", " ", "\n"]));
                s.push_str(&self.directive_line("#end"));
                s
            }
            3 => {
                let it = self.iterable();
                let mut s = self.directive_line(&format!("#foreach($i in {it}) #set($y = $i)"));
                s.push_str(&self.directive_line("$y #end"));
                s
            }
            4 => {
                let w = self.text_word();
                self.directive_line(&format!("#set($x = 1) {w} #set($y = 2)"))
            }
            5 => {
                let mut s = self.directive_line(&format!("#if({c}) #* c *#"));
                s.push_str(&self.body(depth - 1));
                s.push_str(&self.directive_line("#{end}#* c *#"));
                s
            }
            6 => {
                let b = self.body(depth - 1);
                let indent = self.indent();
                format!("{indent}#if({c}){b}{indent}#end")
            }
            _ => {
                let v = self.reference();
                self.directive_line(&format!("#set( $x = {v} )"))
            }
        }
    }

    /// Less common directives and syntax: #stop, unparsed blocks, block macros, $velocityHasNext,
    /// foreach scope properties.
    fn misc_directive_line(&mut self) -> String {
        let piece = match self.rng.below(8) {
            0 => "#[[ raw $s #if( ]]#".to_string(),
            1 => "#if($b)#stop#end".to_string(),
            2 => "#macro(wrap)<$bodyContent>#end#@wrap()body $s#end".to_string(),
            3 => "#foreach($i in [1..3])$i$velocityHasNext #end".to_string(),
            4 => "#foreach($i in [1..2])#foreach($j in [1..2])$foreach.parent.count$j #end#end".to_string(),
            5 => "#foreach($i in [1..5])#if($i == 3)#break#end$i#end".to_string(),
            6 => "#set($list = [])#set($ok = $list.add(1))#set($ok = $list.add('two'))$list $list.size()".to_string(),
            _ => "#set($map = {})#set($ok = $map.put('k', 'v'))$map $map.k $map.get('k')".to_string(),
        };
        self.directive_line(&piece)
    }

    // ---------------------------------------------------------------- directives

    fn set_line(&mut self) -> String {
        let target = if self.rng.chance(15) {
            format!("$m.{}", self.rng.pick(&["a", "name", "newkey"]))
        } else {
            let name = *self.rng.pick(LOCAL_NAMES);
            if !self.locals.iter().any(|l| l == name) {
                self.locals.push(name.to_string());
            }
            format!("${name}")
        };
        let value = self.expr(2);
        let spaced = if self.rng.chance(80) {
            format!("{target} = {value}")
        } else {
            format!("{target}={value}")
        };
        let d = if self.rng.chance(10) {
            format!("#{{set}}({spaced})")
        } else {
            format!("#set({spaced})")
        };
        if self.rng.chance(25) {
            // #set in the middle of a text line.
            let t = self.text_line();
            let eol = self.eol();
            format!("{t}{d}{}{eol}", self.reference())
        } else {
            self.directive_line(&d)
        }
    }

    fn if_block(&mut self, depth: u32) -> String {
        let brace = self.rng.chance(10);
        let kw = |k: &str| {
            if brace {
                format!("#{{{k}}}")
            } else {
                format!("#{k}")
            }
        };
        let c = self.cond(2);
        let mut s = self.directive_line(&format!("{}({c})", kw("if")));
        s.push_str(&self.body(depth - 1));
        for _ in 0..self.rng.range(0, 2) {
            let c = self.cond(2);
            s.push_str(&self.directive_line(&format!("{}({c})", kw("elseif"))));
            s.push_str(&self.body(depth - 1));
        }
        if self.rng.chance(50) {
            s.push_str(&self.directive_line(&kw("else")));
            s.push_str(&self.body(depth - 1));
        }
        s.push_str(&self.directive_line(&kw("end")));
        s
    }

    fn inline_directive_line(&mut self) -> String {
        let pre = self.text_line();
        let post = self.text_line();
        // `#end` directly followed by a letter would be another word (`#enda`): use the braced
        // form or a blank when text follows.
        let mid = match self.rng.below(4) {
            0 => format!("#if({})yes#else no#end ", self.cond(1)),
            1 => format!("#if({}) {} #{{end}}", self.cond(1), self.reference()),
            2 => format!(
                "#foreach($i in {})$i#if($foreach.hasNext),#end#{{end}}",
                self.iterable()
            ),
            _ => format!(
                "#{{if}}({}){}#{{else}}{}#{{end}}",
                self.cond(1),
                self.text_word(),
                self.text_word()
            ),
        };
        let eol = self.eol();
        format!("{pre}{mid}{post}{eol}")
    }

    fn iterable(&mut self) -> String {
        match self.rng.below(11) {
            0 => "$l".into(),
            1 => "$ml".into(),
            2 => "$m".into(),
            3 => "$m.keySet()".into(),
            4 => format!("[{}..{}]", self.rng.range(-3, 4), self.rng.range(-3, 6)),
            5 => format!("[{}]", self.list_items()),
            6 => "$m.list".into(),
            7 => "$u".into(),
            8 => "$s".into(),
            9 => "$m.entrySet()".into(),
            _ => "$m.values()".into(),
        }
    }

    fn foreach_block(&mut self, depth: u32) -> String {
        let var = *self.rng.pick(&["i", "item", "k"]);
        let it = self.iterable();
        let mut s = self.directive_line(&format!("#foreach(${var} in {it})"));
        self.loop_vars.push(var.to_string());
        let mut body = String::new();
        match self.rng.below(5) {
            0 => body.push_str(&self.directive_line(&format!("${var}#if($foreach.hasNext),#end"))),
            1 => {
                let w = self.text_word();
                body.push_str(&self.directive_line(&format!(
                    "{w} ${var} $foreach.count $foreach.index $velocityCount $foreach.first $foreach.last"
                )))
            }
            2 => {
                let k = self.rng.range(0, 3);
                body.push_str(&self.directive_line(&format!("#if($foreach.count > {k})")));
                body.push_str(&self.directive_line("#break"));
                body.push_str(&self.directive_line("#end"));
                body.push_str(&self.directive_line(&format!("${var}")));
            }
            3 => body.push_str(
                &self.directive_line(&format!("{{\"v\": \"${var}\", \"n\": \"${var}.name\"}}")),
            ),
            _ => {}
        }
        body.push_str(&self.body(depth - 1));
        s.push_str(&body);
        self.loop_vars.pop();
        s.push_str(&self.directive_line("#end"));
        s
    }

    fn macro_def(&mut self) -> String {
        let name = *self.rng.pick(&["greet", "row", "m1"]);
        let params = self.rng.below(3);
        let names = ["$a", "$b", "$c"];
        let plist: Vec<&str> = names[..params].to_vec();
        let sep = if self.rng.chance(20) { ", " } else { " " };
        let header = if plist.is_empty() {
            format!("#macro({name})")
        } else {
            format!("#macro({name} {})", plist.join(sep))
        };
        let mut s = self.directive_line(&header);
        let mut body = String::new();
        for p in &plist {
            body.push_str(&format!("[{p}]"));
        }
        body.push_str(&self.text_line());
        s.push_str(&self.directive_line(&body));
        s.push_str(&self.directive_line("#end"));
        self.macros.push((name.to_string(), params));
        s
    }

    fn macro_call_line(&mut self) -> String {
        let Some((name, params)) = self.macros.last().cloned() else {
            return self.directive_line("#notamacro($s)");
        };
        // Sometimes the wrong number of arguments.
        let count = if self.rng.chance(20) {
            self.rng.below(4)
        } else {
            params
        };
        let args: Vec<String> = (0..count).map(|_| self.arg()).collect();
        let call = format!("#{name}({})", args.join(" "));
        if self.rng.chance(30) {
            let t = self.text_line();
            format!("{t}{call}{}\n", self.text_word())
        } else {
            self.directive_line(&call)
        }
    }

    fn define_block(&mut self, depth: u32) -> String {
        let mut s = self.directive_line("#define($blk)");
        s.push_str(&self.body(depth - 1));
        s.push_str(&self.directive_line("#end"));
        s.push_str(&self.directive_line("[$blk]"));
        s
    }

    fn evaluate_line(&mut self) -> String {
        let arg = match self.rng.below(5) {
            0 => "'#set($q = 5)$q'".to_string(),
            1 => "\"$s and #if($b)B#end\"".to_string(),
            2 => {
                let mut s = self.directive_line("#set($code = '#foreach($z in [1..3])$z#end')");
                s.push_str(&self.directive_line("#evaluate($code)"));
                return s;
            }
            _ => "'$u'".to_string(),
        };
        self.directive_line(&format!("#evaluate({arg})"))
    }

    // ---------------------------------------------------------------- expressions

    fn name(&mut self) -> String {
        let r = self.rng.below(10);
        if r < 6 {
            self.rng.pick(VAR_NAMES).to_string()
        } else if r < 8 && !self.locals.is_empty() {
            let i = self.rng.below(self.locals.len());
            self.locals[i].clone()
        } else if r < 9 && !self.loop_vars.is_empty() {
            let i = self.rng.below(self.loop_vars.len());
            self.loop_vars[i].clone()
        } else {
            self.rng.pick(UNDEFINED).to_string()
        }
    }

    /// A reference as it appears in text or expressions: `$x`, `$!x`, `${x}`, `$!{x}` plus a chain
    /// of properties, method calls and indexes fitting the variable's type.
    fn reference(&mut self) -> String {
        let name = self.name();
        let mut chain = String::new();
        let mut ty = type_of(&name);
        let steps = if self.rng.chance(55) {
            0
        } else {
            self.rng.range(1, 2)
        };
        for _ in 0..steps {
            let (step, next) = self.member(ty);
            chain.push_str(&step);
            ty = next;
        }
        let quiet = if self.rng.chance(20) { "!" } else { "" };
        if self.rng.chance(15) {
            format!("${quiet}{{{name}{chain}}}")
        } else {
            format!("${quiet}{name}{chain}")
        }
    }

    fn member(&mut self, ty: Ty) -> (String, Ty) {
        if self.rng.chance(8) {
            // Something that does not exist on this type.
            return (
                self.rng
                    .pick(&[".nope", ".nope()", ".size", ".length()", "[0]"])
                    .to_string(),
                Ty::Any,
            );
        }
        match ty {
            Ty::Str => {
                // Mostly indexes valid for any string: a StringIndexOutOfBoundsException aborts the
                // whole template in Velocity, hiding everything else the case would compare.
                let (a, b) = if self.rng.chance(85) {
                    (0, 0)
                } else {
                    (self.rng.range(0, 4), self.rng.range(0, 8))
                };
                let options: Vec<(String, Ty)> = vec![
                    (".length()".into(), Ty::Int),
                    (".toUpperCase()".into(), Ty::Str),
                    (".toLowerCase()".into(), Ty::Str),
                    (".trim()".into(), Ty::Str),
                    (format!(".substring({a})"), Ty::Str),
                    (format!(".substring({a}, {b})"), Ty::Str),
                    (".indexOf('l')".into(), Ty::Int),
                    (".contains(\"a\")".into(), Ty::Bool),
                    (".replace(\"l\", \"L\")".into(), Ty::Str),
                    (".replaceAll(\"[aeiou]\", \"_\")".into(), Ty::Str),
                    (".startsWith(\"h\")".into(), Ty::Bool),
                    (".isEmpty()".into(), Ty::Bool),
                    (".empty".into(), Ty::Bool),
                    (format!(".charAt({a})"), Ty::Any),
                    (".split(\",\")".into(), Ty::Array),
                    (".equals($s)".into(), Ty::Bool),
                    (".concat('!')".into(), Ty::Str),
                    (".matches(\"[a-z]+\")".into(), Ty::Bool),
                    (".bytes".into(), Ty::Array),
                    (".class.name".into(), Ty::Str),
                ];
                self.rng.pick(&options).clone()
            }
            Ty::List => {
                // Mostly in range: an out-of-bounds get() aborts the whole template in Velocity.
                let i = if self.rng.chance(90) {
                    0
                } else {
                    self.rng.range(-1, 3)
                };
                let options: Vec<(String, Ty)> = vec![
                    (".size()".into(), Ty::Int),
                    (format!(".get({i})"), Ty::Any),
                    (format!("[{i}]"), Ty::Any),
                    (".isEmpty()".into(), Ty::Bool),
                    (".contains(\"a\")".into(), Ty::Bool),
                    (".add(\"z\")".into(), Ty::Bool),
                    (".indexOf(\"a\")".into(), Ty::Int),
                    (".toString()".into(), Ty::Str),
                ];
                self.rng.pick(&options).clone()
            }
            Ty::Map => {
                let options: Vec<(String, Ty)> = vec![
                    (".a".into(), Ty::Any),
                    (".name".into(), Ty::Str),
                    (".inner".into(), Ty::Map),
                    (".list".into(), Ty::List),
                    (".get(\"a\")".into(), Ty::Any),
                    ("[\"name\"]".into(), Ty::Str),
                    (".size()".into(), Ty::Int),
                    (".keySet()".into(), Ty::Any),
                    (".values()".into(), Ty::Any),
                    (".containsKey(\"a\")".into(), Ty::Bool),
                    (".isEmpty()".into(), Ty::Bool),
                    (".put(\"k\", 1)".into(), Ty::Any),
                    (".missing".into(), Ty::Any),
                    (".count".into(), Ty::Int),
                    ("[$word]".into(), Ty::Any),
                ];
                self.rng.pick(&options).clone()
            }
            Ty::Int | Ty::Num => {
                let options: Vec<(String, Ty)> = vec![
                    (".toString()".into(), Ty::Str),
                    (".intValue()".into(), Ty::Int),
                    (".doubleValue()".into(), Ty::Num),
                    (".class.simpleName".into(), Ty::Str),
                ];
                self.rng.pick(&options).clone()
            }
            Ty::Array => {
                // Java arrays print as `[Ljava.lang.String;@hash` (tolerated, see TOLERANCES), but
                // Velocity 1.7 also gives them list methods, which is what templates use.
                let options: Vec<(String, Ty)> = vec![
                    (".size()".into(), Ty::Int),
                    (".get(0)".into(), Ty::Any),
                    ("[0]".into(), Ty::Any),
                    (".isEmpty()".into(), Ty::Bool),
                    (".contains(\"a\")".into(), Ty::Bool),
                ];
                self.rng.pick(&options).clone()
            }
            Ty::Bool | Ty::Any => {
                let options: Vec<(String, Ty)> = vec![
                    (".toString()".into(), Ty::Str),
                    (".name".into(), Ty::Any),
                    (".size()".into(), Ty::Int),
                    (".equals(true)".into(), Ty::Bool),
                ];
                self.rng.pick(&options).clone()
            }
        }
    }

    fn arg(&mut self) -> String {
        match self.rng.below(4) {
            0 => self.reference(),
            _ => self.literal(1),
        }
    }

    fn literal(&mut self, depth: u32) -> String {
        match self.rng.below(if depth == 0 { 4 } else { 8 }) {
            0 => self
                .rng
                .pick(&[
                    "0",
                    "1",
                    "-1",
                    "42",
                    "7",
                    "2147483647",
                    "2147483648",
                    "-2147483648",
                    "9223372036854775807",
                    "99999999999999999999",
                ])
                .to_string(),
            1 => self
                .rng
                .pick(&["1.5", "-0.5", "10.0", "0.1", "3.14159", "1.0E3", "2.50"])
                .to_string(),
            2 => self.string_literal(),
            3 => self.rng.pick(&["true", "false"]).to_string(),
            4 => format!("[{}]", self.list_items()),
            5 => format!("[{}..{}]", self.rng.range(-2, 3), self.rng.range(-2, 4)),
            6 => {
                let v1 = self.literal(depth - 1);
                let v2 = self.arg();
                format!("{{\"k\": {v1}, \"name\" : {v2}}}")
            }
            _ => "{}".to_string(),
        }
    }

    fn list_items(&mut self) -> String {
        let n = self.rng.below(4);
        let items: Vec<String> = (0..n)
            .map(|_| {
                if self.rng.chance(70) {
                    self.literal(0)
                } else {
                    self.reference()
                }
            })
            .collect();
        items.join(if self.rng.chance(70) { ", " } else { "," })
    }

    fn string_literal(&mut self) -> String {
        match self.rng.below(10) {
            0 => "\"plain\"".into(),
            1 => format!("\"with {} inside\"", self.reference()),
            2 => "'single $s ${n}'".into(),
            3 => "\"\"".into(),
            4 => "''".into(),
            5 => "\"say \"\"hi\"\"\"".into(),
            6 => "'it''s'".into(),
            7 => "\"#if($b)yes#{else}no#end\"".into(),
            8 => "\"a\\nb\"".into(),
            _ => format!("\"{}\"", self.rng.pick(&["5", "2.5", "abc", " x ", "true"])),
        }
    }

    fn operand(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(60) {
            if self.rng.chance(50) {
                self.reference()
            } else {
                self.literal(0)
            }
        } else {
            let e = self.expr(depth - 1);
            format!("({e})")
        }
    }

    fn expr(&mut self, depth: u32) -> String {
        match self.rng.below(6) {
            0 | 1 => self.operand(depth),
            2 | 3 => {
                let a = self.operand(depth);
                let b = self.operand(depth);
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                let sp = if self.rng.chance(85) { " " } else { "" };
                format!("{a}{sp}{op}{sp}{b}")
            }
            4 => self.cond(depth),
            _ => self.literal(1),
        }
    }

    fn cond(&mut self, depth: u32) -> String {
        match self.rng.below(7) {
            0 => self.reference(),
            1..=3 => {
                let a = self.operand(depth.saturating_sub(1));
                let b = self.operand(depth.saturating_sub(1));
                let op = self.rng.pick(&[
                    "==", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt", "le", "ge",
                ]);
                format!("{a} {op} {b}")
            }
            4 if depth > 0 => {
                let a = self.cond(depth - 1);
                let b = self.cond(depth - 1);
                let op = self.rng.pick(&["&&", "||", "and", "or"]);
                format!("{a} {op} {b}")
            }
            5 if depth > 0 => {
                let a = self.cond(depth - 1);
                let not = self.rng.pick(&["!", "! ", "not "]);
                format!("{not}({a})")
            }
            _ => self
                .rng
                .pick(&["true", "false", "!$b", "$nul", "$e", "$l", "$m.a"])
                .to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Ty {
    Str,
    Int,
    Num,
    Bool,
    List,
    Array,
    Map,
    Any,
}

fn type_of(name: &str) -> Ty {
    match name {
        "s" | "e" | "word" => Ty::Str,
        "n" => Ty::Int,
        "d" | "big" => Ty::Num,
        "b" => Ty::Bool,
        "l" | "ml" => Ty::List,
        "m" => Ty::Map,
        _ => Ty::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_per_seed_and_index() {
        let a = generate(7, 3);
        let b = generate(7, 3);
        assert_eq!(a.template, b.template);
        assert_eq!(a.vars, b.vars);
        assert_ne!(generate(7, 4).template, a.template);
    }

    #[test]
    fn corpus_covers_the_directives() {
        let all: String = corpus(1, 500).into_iter().map(|c| c.template).collect();
        for needle in [
            "#set(",
            "#if(",
            "#elseif(",
            "#else",
            "#foreach(",
            "#break",
            "#macro(",
            "#define(",
            "#evaluate(",
            "##",
            "#*",
            "\\$",
            "[1..",
            "\r\n",
            "$foreach.hasNext",
        ] {
            assert!(all.contains(needle), "corpus never contains {needle:?}");
        }
    }

    #[test]
    fn method_corpus_covers_the_methods_and_gaps_only_when_asked() {
        let all: String = method_corpus(1, 2000, false)
            .into_iter()
            .map(|c| c.template)
            .collect();
        for needle in [
            ".codePointAt(",
            ".lastIndexOf(",
            ".startsWith(",
            ".replaceAll(",
            ".replaceFirst(",
            ".split(",
            ", -1)",
            ".toUpperCase()",
            "'İstanbul'",
            "'Straße'",
            ".isBlank()",
            ".strip()",
            ".repeat(",
            ".join(",
            ".valueOf(",
            ".equalsIgnoreCase(",
            ".compareToIgnoreCase(",
            ".hashCode()",
            ".parseInt(",
            ".longValue()",
            ".remove(",
            ".set(0,",
            ".addAll(",
            ".subList(",
            ".containsAll(",
            ".getOrDefault(",
            ".putIfAbsent(",
            ".entrySet()",
            ".keySet().contains(",
            ".charAt(0).equals(",
            ".isDigit(",
            ".floatValue() ",
            ".format('",
            ".keySet().remove(",
            "#set($view = ",
            "$nul.length()",
            "$t.length(1)",
            "$t.substring()",
        ] {
            assert!(
                all.contains(needle),
                "method corpus never contains {needle:?}"
            );
        }
        for (gap, _) in KNOWN_GAPS.iter().filter(|(g, _)| g.starts_with('.')) {
            assert!(
                !all.contains(gap),
                "the gated corpus contains the known gap {gap:?}"
            );
        }
        let explore: String = method_corpus(1, 2000, true)
            .into_iter()
            .map(|c| c.template)
            .collect();
        assert!(explore.contains(".chars()") && explore.contains(".stream()"));
    }
}
