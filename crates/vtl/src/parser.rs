//! Velocity 1.7 parser: a hand-written recursive descent that reproduces the token rules of
//! 1.7's JavaCC grammar (`Parser.jjt`) where they are observable: `TEXT` runs greedily up to
//! `$`, `#` or `\`; `#set` swallows the spaces before it only when they start a token (i.e. right
//! after another directive, reference or comment); a directive's closing `)` and `#end`/`#else`
//! swallow trailing spaces and one newline; `##` comments swallow their newline; identifiers may
//! contain `-`; `-1` is always an integer literal (so `5-1` is a syntax error, as in 1.7).
//! Parsing never fails: what cannot be parsed becomes a diagnostic and the source text.

use crate::value::Value;
use crate::{Diagnostic, Severity, Span};
use std::collections::HashMap;
use std::rc::Rc;

/// Deepest nesting of blocks, parentheses and literals the parser accepts (keeps recursion bounded).
pub(crate) const MAX_PARSE_DEPTH: usize = 150;

pub(crate) type Block = Vec<Node>;

#[derive(Debug)]
pub(crate) enum Node {
    Text(Rc<str>),
    /// Text while its block is being parsed (never seen by the evaluator).
    Pending(String),
    Ref(Rc<Reference>),
    Set(Box<SetNode>),
    If(Box<IfNode>),
    Foreach(Box<ForeachNode>),
    Call(Box<CallNode>),
    Define(Box<DefineNode>),
    Evaluate(Box<Expr>, Span),
    Break,
    Stop,
    /// Parses in 1.7 but throws when rendered.
    Fail(Rc<str>, Span),
    /// `#literal() ... #end` (deprecated in 1.7, still present): its body's source, unrendered.
    Raw(Rc<str>),
}

#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub quiet: bool,
    /// An odd number of backslashes before `$`: `\$x`.
    pub escaped: bool,
    /// Half of the backslashes before `$` (they print as this).
    pub esc_prefix: Rc<str>,
    pub root: Rc<str>,
    pub parts: Vec<Part>,
    /// The reference as written, without the leading backslashes (printed when it is null).
    pub literal: Rc<str>,
    pub span: Span,
    /// Where `root` was last found among the context's variables: a guess the lookup checks
    /// by comparing that slot's name (a rendering that adds or removes variables only makes
    /// it miss), so a variable read in a loop is not hashed each time.
    pub slot: std::cell::Cell<u32>,
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Prop(Rc<str>),
    Method(Rc<str>, Vec<Expr>, Span),
    Index(Expr, Span),
}

#[derive(Debug)]
pub(crate) struct SetNode {
    pub target: Rc<Reference>,
    pub value: Expr,
}

#[derive(Debug)]
pub(crate) struct IfNode {
    pub branches: Vec<(Expr, Block)>,
    pub otherwise: Option<Block>,
}

#[derive(Debug)]
pub(crate) struct ForeachNode {
    pub var: Rc<str>,
    pub iterable: Expr,
    pub body: Block,
    pub span: Span,
}

/// `#name(args)`: a macro call (resolved when rendering, as 1.7 allows calls before the
/// `#macro`), or `#@name(args) body #end`.
#[derive(Debug)]
pub(crate) struct CallNode {
    pub name: Rc<str>,
    pub args: Vec<Expr>,
    pub body: Option<Rc<Block>>,
    /// Source text, printed when no such macro exists.
    pub literal: Rc<str>,
    pub span: Span,
}

#[derive(Debug)]
pub(crate) struct DefineNode {
    pub target: Rc<Reference>,
    pub body: Rc<Block>,
}

#[derive(Debug)]
pub(crate) struct MacroDef {
    pub name: Rc<str>,
    pub params: Vec<Rc<str>>,
    pub body: Block,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    /// A constant: string without `$`/`#`, number, boolean.
    Lit(Value),
    /// A double-quoted string containing `$` or `#`: rendered as a template each time.
    Interp(Rc<Block>),
    Ref(Rc<Reference>),
    /// A bare word in a directive argument list (`in` of `#foreach`, the macro name).
    Word(Rc<str>),
    List(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    Range(Box<Expr>, Box<Expr>, Span),
    /// Operator, operands, span, and the node's 1.7 `literal()` text.
    Bin(BinOp, Box<Expr>, Box<Expr>, Span, Rc<str>),
    Not(Box<Expr>),
}

/// The result of parsing one template.
pub(crate) struct Parsed {
    pub block: Block,
    pub macros: HashMap<Rc<str>, Rc<MacroDef>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the template can observe `$velocityCount`/`$velocityHasNext` and `$foreach`
    /// (a conservative text test; `#evaluate` can name anything). When it cannot, `#foreach`
    /// skips maintaining them — nothing else can see them.
    pub loop_counters: bool,
    pub loop_scope: bool,
}

enum Term {
    Eof,
    End,
    Else,
    ElseIf(Expr),
}

/// Directives of Velocity 1.7's default `directive.properties` (plus the built-in control words).
fn is_pd(name: &str) -> bool {
    matches!(
        name,
        "foreach" | "include" | "parse" | "macro" | "literal" | "evaluate" | "break" | "define"
    )
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    /// Offset of `src` inside the original template (for interpolated strings), and the line
    /// table of the original template.
    base: usize,
    lines: Rc<Vec<usize>>,
    full: Rc<str>,
    depth: usize,
    macros: HashMap<Rc<str>, Rc<MacroDef>>,
    diags: Vec<Diagnostic>,
    /// The whole-template parser has set this after an error inside a construct, so that
    /// further errors that are mere consequences are not piled up.
    block_stack: Vec<(&'static str, Span)>,
    /// Parsing the inside of an interpolated string (a trailing `$` or `#` is fine there).
    in_string: bool,
    /// A shared empty string (most references have no escape prefix).
    empty: Rc<str>,
    /// Set when a reference turned out to be text (cursor after it, no diagnostic).
    ref_is_text: bool,
    /// Positions of the lone `$`s the last directive-argument list skipped or read as null;
    /// an unknown directive echoes its source without them (1.7 echoes `#o($)` as `#o()`).
    lone_dollars: Vec<usize>,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}
fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'@'
}
fn is_word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'@'
}

pub(crate) fn parse_template(src: &str) -> Parsed {
    let full: Rc<str> = Rc::from(src);
    let mut lines = vec![0usize];
    for (i, b) in src.bytes().enumerate() {
        if b == b'\n' {
            lines.push(i + 1);
        }
    }
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        pos: 0,
        base: 0,
        lines: Rc::new(lines),
        full,
        depth: 0,
        macros: HashMap::new(),
        diags: Vec::new(),
        block_stack: Vec::new(),
        in_string: false,
        empty: Rc::from(""),
        ref_is_text: false,
        lone_dollars: Vec::new(),
    };
    let block = p.top();
    let evaluates = src.contains("evaluate");
    Parsed {
        block,
        macros: p.macros,
        diagnostics: p.diags,
        loop_counters: evaluates
            || src.contains("velocityCount")
            || src.contains("velocityHasNext"),
        loop_scope: evaluates
            || ["$foreach", "{foreach", "$!foreach"]
                .iter()
                .any(|k| src.contains(k)),
    }
}

impl<'s> Parser<'s> {
    fn top(&mut self) -> Block {
        let (block, term) = self.block();
        match term {
            Term::Eof => {}
            Term::End | Term::Else | Term::ElseIf(_) => {}
        }
        block
    }

    // ---------------------------------------------------------------- positions & errors

    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let abs = self.base + start;
        let line_idx = match self.lines.binary_search(&abs) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let ls = self.lines.get(line_idx).copied().unwrap_or(0);
        // Columns count characters; an ASCII line prefix is just its byte length.
        let column = match self.full.get(ls..abs) {
            Some(p) if p.is_ascii() => p.len(),
            Some(p) => p.chars().count(),
            None => 0,
        } + 1;
        Span {
            start: abs,
            end: self.base + end,
            line: line_idx as u32 + 1,
            column: column as u32,
        }
    }

    fn error(&mut self, at: usize, message: String) {
        let span = self.span(at, at);
        self.diags.push(Diagnostic {
            severity: Severity::Error,
            message,
            span,
        });
    }

    fn warning(&mut self, at: usize, message: String) {
        let span = self.span(at, at);
        self.diags.push(Diagnostic {
            severity: Severity::Warning,
            message,
            span,
        });
    }

    fn loc(&self, at: usize) -> String {
        let s = self.span(at, at);
        format!("{}:{}", s.line, s.column)
    }

    fn peek(&self) -> u8 {
        self.b.get(self.pos).copied().unwrap_or(0)
    }
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }
    fn starts(&self, s: &str) -> bool {
        self.b[self.pos.min(self.b.len())..].starts_with(s.as_bytes())
    }

    /// After a directive's `)`, `#end` or `#else`: 1.7 swallows `[ \t]*` and one newline, but
    /// only if that newline is there.
    fn eat_ws_newline(&mut self) {
        let mut i = self.pos;
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        match self.at(i) {
            b'\n' => self.pos = i + 1,
            b'\r' => {
                self.pos = if self.at(i + 1) == b'\n' {
                    i + 2
                } else {
                    i + 1
                }
            }
            _ => {}
        }
    }

    fn skip_ws(&mut self) -> bool {
        let s = self.pos;
        while matches!(self.peek(), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        self.pos > s
    }

    // ---------------------------------------------------------------- blocks

    fn block(&mut self) -> (Block, Term) {
        let mut out: Block = Vec::new();
        let mut text_start: Option<usize> = None;
        macro_rules! flush {
            () => {
                if let Some(ts) = text_start.take() {
                    push_text(&mut out, &self.src[ts..self.pos]);
                }
            };
        }
        loop {
            if self.pos >= self.b.len() {
                flush!();
                return (freeze(out), Term::Eof);
            }
            // SET_DIRECTIVE may start with spaces, but only at a token boundary.
            if text_start.is_none() {
                if let Some(after) = self.match_set() {
                    let start = self.pos;
                    self.pos = after;
                    if let Some(n) = self.set_directive(start) {
                        out.push(n);
                    }
                    continue;
                }
            }
            match self.peek() {
                b'#' => {
                    flush!();
                    if let Some(t) = self.hash(&mut out) {
                        return (freeze(out), t);
                    }
                }
                b'$' => {
                    flush!();
                    self.dollar(self.pos, 0, &mut out);
                }
                b'\\' => {
                    flush!();
                    self.backslashes(&mut out);
                }
                _ => {
                    if text_start.is_none() {
                        text_start = Some(self.pos);
                    }
                    while self.pos < self.b.len()
                        && !matches!(self.b[self.pos], b'#' | b'$' | b'\\')
                    {
                        self.pos += 1;
                    }
                    flush!();
                }
            }
        }
    }

    /// `[ \t]*(#set|#{set}) *(` at the cursor: returns the offset after `(`.
    fn match_set(&self) -> Option<usize> {
        let mut i = self.pos;
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        let rest = &self.b[i.min(self.b.len())..];
        let n = if rest.starts_with(b"#set") {
            4
        } else if rest.starts_with(b"#{set}") {
            6
        } else {
            return None;
        };
        i += n;
        while self.at(i) == b' ' {
            i += 1;
        }
        (self.at(i) == b'(').then_some(i + 1)
    }

    fn nested<T>(&mut self, at: usize, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.depth >= MAX_PARSE_DEPTH {
            self.error(
                at,
                format!(
                    "nesting at {} is too deep (more than {MAX_PARSE_DEPTH} levels)",
                    self.loc(at)
                ),
            );
            // Skip the rest: deeper input cannot be parsed safely.
            self.pos = self.b.len();
            return None;
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn set_directive(&mut self, start: usize) -> Option<Node> {
        let hash = start + self.src[start..].find('#').unwrap_or(0);
        self.nested(hash, |p| {
            p.skip_ws();
            // A lone `$` glued to the target is dropped: 1.7 reads `#set($$b = 2)` as `$b`.
            if p.peek() == b'$' && p.at(p.pos + 1) == b'$' {
                p.pos += 1;
            }
            let rs = p.pos;
            let target = match p.peek() {
                b'$' => p.reference(rs, 0),
                _ => None,
            };
            let Some(target) = target else {
                p.error(
                    hash,
                    format!(
                        "#set at {} must start with a reference, like #set($x = 1)",
                        p.loc(hash)
                    ),
                );
                p.recover_to_paren();
                return None;
            };
            p.skip_ws();
            // 1.7 accepts a stray `$` before the `=`: `#set($x$=1)`.
            if p.peek() == b'$' {
                p.pos += 1;
                p.skip_ws();
            }
            if p.peek() != b'=' {
                p.error(
                    p.pos,
                    format!(
                        "#set at {} is missing '=' after {}",
                        p.loc(hash),
                        target.literal
                    ),
                );
                p.recover_to_paren();
                return None;
            }
            p.pos += 1;
            let value = p.expr()?;
            p.skip_ws();
            // A stray `$` before the closing parenthesis is ignored by 1.7: `#set($r = 8$)`.
            if p.peek() == b'$' && p.at(p.pos + 1) == b')' {
                p.pos += 1;
            }
            if p.peek() != b')' {
                let hint = if p.peek() == b'-' && p.at(p.pos + 1).is_ascii_digit() {
                    "; in Velocity 1.7 '-' before a digit starts a negative number, so write 'a - 1'"
                } else {
                    ""
                };
                p.error(
                    p.pos,
                    format!(
                        "#set at {} is not closed with ')' (found {}){hint}",
                        p.loc(hash),
                        p.describe_here()
                    ),
                );
                p.recover_to_paren();
                return None;
            }
            p.pos += 1;
            p.eat_ws_newline();
            Some(Node::Set(Box::new(SetNode { target, value })))
        })
    }

    /// After a syntax error inside `( ... )`: skip to the next `)` on the same line, if any.
    fn recover_to_paren(&mut self) {
        while self.pos < self.b.len() && !matches!(self.b[self.pos], b')' | b'\n') {
            self.pos += 1;
        }
        if self.peek() == b')' {
            self.pos += 1;
        }
    }

    fn describe_here(&self) -> String {
        if self.pos >= self.b.len() {
            return "the end of the template".into();
        }
        let s = &self.src[self.pos..];
        let c = s.chars().next().unwrap_or(' ');
        match c {
            '\n' => "a line break".into(),
            _ => format!("'{c}'"),
        }
    }

    /// At `#`. Returns a terminator for `#end`, `#else`, `#elseif`.
    fn hash(&mut self, out: &mut Block) -> Option<Term> {
        let start = self.pos;
        if self.starts("#[[") {
            let body_start = start + 3;
            match self.src[body_start..].find("]]#") {
                Some(i) => {
                    push_text(out, &self.src[body_start..body_start + i]);
                    self.pos = body_start + i + 3;
                }
                None => {
                    self.error(
                        start,
                        format!(
                            "unparsed block #[[ at {} is never closed with ]]#",
                            self.loc(start)
                        ),
                    );
                    self.pos = self.b.len();
                }
            }
            return None;
        }
        if self.starts("##") {
            while self.pos < self.b.len() {
                let c = self.b[self.pos];
                self.pos += 1;
                if c == b'\n' {
                    break;
                }
                if c == b'\r' {
                    if self.peek() == b'\n' {
                        self.pos += 1;
                    }
                    break;
                }
            }
            return None;
        }
        if self.starts("#*") {
            match self.src[start + 2..].find("*#") {
                Some(i) => self.pos = start + 2 + i + 2,
                // 1.7 silently treats the rest of the template as the comment.
                None => self.pos = self.b.len(),
            }
            return None;
        }
        // Directive name: #word or #{word}
        let (name, after) = if self.at(start + 1) == b'{' {
            let ws = start + 2;
            let mut i = ws;
            if !(is_ident_start(self.at(i))) {
                push_text(out, "#");
                self.pos += 1;
                return None;
            }
            while is_word_char(self.at(i)) {
                i += 1;
            }
            if self.at(i) != b'}' {
                push_text(out, "#");
                self.pos += 1;
                return None;
            }
            (&self.src[ws..i], i + 1)
        } else {
            let ws = start + 1;
            let mut i = ws;
            if !is_word_start(self.at(i)) {
                if ws >= self.b.len() && !self.in_string {
                    self.error(
                        start,
                        format!(
                            "a lone # at {} ends the template (1.7 rejects this)",
                            self.loc(start)
                        ),
                    );
                }
                push_text(out, "#");
                self.pos += 1;
                return None;
            }
            while is_word_char(self.at(i)) {
                i += 1;
            }
            (&self.src[ws..i], i)
        };
        self.pos = after;
        match name {
            "end" => {
                self.eat_ws_newline();
                if self.block_stack.is_empty() {
                    self.error(start, format!("#end at {} closes nothing", self.loc(start)));
                    return None;
                }
                Some(Term::End)
            }
            "else" => {
                self.eat_ws_newline();
                if !matches!(self.block_stack.last(), Some(("#if", _))) {
                    self.error(
                        start,
                        format!("#else at {} is not inside an #if", self.loc(start)),
                    );
                    return None;
                }
                Some(Term::Else)
            }
            "elseif" => {
                let cond = self.condition(start, "#elseif");
                if !matches!(self.block_stack.last(), Some(("#if", _))) {
                    self.error(
                        start,
                        format!("#elseif at {} is not inside an #if", self.loc(start)),
                    );
                    return None;
                }
                Some(Term::ElseIf(cond.unwrap_or(Expr::Lit(Value::Bool(false)))))
            }
            "if" => {
                let cond = self.condition(start, "#if");
                let node = self.nested(start, |p| p.if_rest(start, cond));
                if let Some(n) = node {
                    out.push(n);
                }
                None
            }
            "stop" => {
                out.push(Node::Stop);
                None
            }
            _ => {
                self.directive(start, name, out);
                None
            }
        }
    }

    /// `[ws] ( expr )` after `#if`/`#elseif`.
    fn condition(&mut self, start: usize, what: &str) -> Option<Expr> {
        self.skip_ws();
        if self.peek() != b'(' {
            self.error(
                start,
                format!(
                    "{what} at {} must be followed by a condition in parentheses",
                    self.loc(start)
                ),
            );
            return None;
        }
        self.pos += 1;
        let e = self.nested(start, |p| p.expr());
        self.skip_ws();
        // 1.7 ignores a stray `$` before the closing parenthesis here too: `#if($b$)`,
        // `#if(1 == 1$ )` (as in #set; cases/from-diff/stray_dollar_in_condition.case).
        if self.peek() == b'$' {
            let save = self.pos;
            self.pos += 1;
            self.skip_ws();
            if self.peek() != b')' {
                self.pos = save;
            }
        }
        if self.peek() != b')' {
            self.error(
                self.pos,
                format!(
                    "condition of {what} at {} is not closed with ')' (found {})",
                    self.loc(start),
                    self.describe_here()
                ),
            );
            self.recover_to_paren();
            return e;
        }
        self.pos += 1;
        self.eat_ws_newline();
        e
    }

    fn if_rest(&mut self, start: usize, cond: Option<Expr>) -> Option<Node> {
        let sp = self.span(start, start);
        self.block_stack.push(("#if", sp));
        let mut branches = Vec::new();
        let mut otherwise = None;
        let mut cond = cond.unwrap_or(Expr::Lit(Value::Bool(false)));
        loop {
            let (body, term) = self.block();
            match term {
                Term::ElseIf(c) if otherwise.is_none() => {
                    branches.push((cond, body));
                    cond = c;
                }
                Term::Else if otherwise.is_none() => {
                    branches.push((cond, body));
                    cond = Expr::Lit(Value::Bool(true));
                    otherwise = Some(Vec::new());
                }
                Term::End => {
                    if otherwise.is_some() {
                        otherwise = Some(body);
                    } else {
                        branches.push((cond, body));
                    }
                    break;
                }
                Term::Eof => {
                    self.error(
                        start,
                        format!("#if at {} is never closed with #end", self.loc(start)),
                    );
                    if otherwise.is_some() {
                        otherwise = Some(body);
                    } else {
                        branches.push((cond, body));
                    }
                    break;
                }
                Term::ElseIf(_) | Term::Else => {
                    self.error(
                        self.pos,
                        format!(
                            "#else at {} comes after the #else of the #if at {}",
                            self.loc(self.pos),
                            self.loc(start)
                        ),
                    );
                }
            }
        }
        self.block_stack.pop();
        Some(Node::If(Box::new(IfNode {
            branches,
            otherwise,
        })))
    }

    /// A block for `#foreach`/`#macro`/`#define`/`#@call`/`#literal`, up to its `#end`.
    fn body(&mut self, start: usize, what: &'static str) -> Block {
        let sp = self.span(start, start);
        self.block_stack.push((what, sp));
        let (b, term) = self.block();
        self.block_stack.pop();
        match term {
            Term::End => {}
            Term::Eof => self.error(
                start,
                format!("{what} at {} is never closed with #end", self.loc(start)),
            ),
            _ => {}
        }
        b
    }

    /// Any `#word` other than the control words.
    fn directive(&mut self, start: usize, name: &str, out: &mut Block) {
        let name: Rc<str> = Rc::from(name);
        // isLeftParenthesis: whitespace including newlines, then '('.
        let mut i = self.pos;
        while matches!(self.at(i), b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if self.at(i) != b'(' {
            match &*name {
                "break" => out.push(Node::Break),
                "foreach" | "macro" | "define" | "evaluate" | "literal" => {
                    self.error(
                        start,
                        format!(
                            "#{name} at {} needs arguments in parentheses",
                            self.loc(start)
                        ),
                    );
                }
                "parse" | "include" => {
                    self.error(
                        start,
                        format!(
                            "#{name} at {} is not available in API Gateway",
                            self.loc(start)
                        ),
                    );
                }
                _ => push_text(out, &self.src[start..self.pos]),
            }
            return;
        }
        self.pos = i + 1;
        self.lone_dollars.clear();
        let args = self.nested(start, |p| p.directive_args(start, &name));
        let lone_dollars = std::mem::take(&mut self.lone_dollars);
        let Some(args) = args else { return };
        let head_end = self.pos;
        self.eat_ws_newline();
        let span = self.span(start, head_end);
        match &*name {
            "foreach" => {
                let body = self
                    .nested(start, |p| Some(p.body(start, "#foreach")))
                    .unwrap_or_default();
                if args.len() > 3 {
                    self.error(
                        start,
                        format!(
                            "#foreach at {} has more than three arguments",
                            self.loc(start)
                        ),
                    );
                    return;
                }
                // 1.7's parser accepts a bare word only as the second argument (`in`, or any
                // word); elsewhere it is "Invalid arg #N in directive #foreach".
                if let Some(n) = args
                    .iter()
                    .enumerate()
                    .position(|(i, a)| i != 1 && matches!(a, Expr::Word(_)))
                {
                    self.error(
                        start,
                        format!(
                            "Invalid arg #{n} in directive #foreach at {}: expected a reference",
                            self.loc(start)
                        ),
                    );
                    return;
                }
                if args.len() < 2 {
                    // 1.7 parses `#foreach()` and `#foreach($)`, but their render throws
                    // (checked with velocity-1.7.jar; two arguments, `#foreach($i in)`, render
                    // nothing instead).
                    out.push(Node::Fail(
                        Rc::from(
                            "java.lang.ArrayIndexOutOfBoundsException: Index 2 out of bounds for length 1 (#foreach needs three arguments)",
                        ),
                        span,
                    ));
                    return;
                }
                let mut it = args.into_iter();
                let (a, b, c) = (it.next(), it.next(), it.next());
                match (a, b, c) {
                    // 1.7 does not check the middle word: `#foreach($i n $l)` iterates too.
                    (Some(Expr::Ref(r)), Some(Expr::Word(_)), Some(iterable))
                        if r.parts.is_empty() && it.next().is_none() =>
                    {
                        out.push(Node::Foreach(Box::new(ForeachNode {
                            var: r.root.clone(),
                            iterable,
                            body,
                            span,
                        })));
                    }
                    // 1.7 renders nothing for a malformed #foreach (no exception).
                    _ => self.warning(
                        start,
                        format!(
                            "#foreach at {} must look like #foreach($item in $list); it renders nothing",
                            self.loc(start)
                        ),
                    ),
                }
            }
            "macro" => {
                let body = self
                    .nested(start, |p| Some(p.body(start, "#macro")))
                    .unwrap_or_default();
                let mut it = args.into_iter();
                let Some(Expr::Word(mname)) = it.next() else {
                    self.error(
                        start,
                        format!(
                            "#macro at {} must start with the macro name, like #macro(name $arg)",
                            self.loc(start)
                        ),
                    );
                    return;
                };
                let mut params = Vec::new();
                for a in it {
                    match a {
                        Expr::Ref(r) if r.parts.is_empty() => params.push(r.root.clone()),
                        _ => {
                            self.error(start, format!("arguments of #macro {mname} at {} must be plain references like $x", self.loc(start)));
                            return;
                        }
                    }
                }
                // 1.7 keeps the first definition of an inline macro (replacing is off by default).
                self.macros.entry(mname.clone()).or_insert_with(|| {
                    Rc::new(MacroDef {
                        name: mname,
                        params,
                        body,
                    })
                });
            }
            "define" => {
                let body = self
                    .nested(start, |p| Some(p.body(start, "#define")))
                    .unwrap_or_default();
                match args.into_iter().next() {
                    Some(Expr::Ref(r)) => out.push(Node::Define(Box::new(DefineNode {
                        target: r,
                        body: Rc::new(body),
                    }))),
                    _ => self.error(
                        start,
                        format!(
                            "#define at {} must name a reference, like #define($block)",
                            self.loc(start)
                        ),
                    ),
                }
            }
            "literal" => {
                let bs = self.pos;
                let _ = self.nested(start, |p| Some(p.body(start, "#literal")));
                // The body's source up to (not including) its #end.
                let be = self.src[bs..self.pos]
                    .rfind("#end")
                    .map(|i| bs + i)
                    .unwrap_or(self.pos);
                out.push(Node::Raw(Rc::from(&self.src[bs..be])));
            }
            "evaluate" => {
                if args.len() != 1 {
                    self.error(
                        start,
                        format!(
                            "#evaluate at {} takes exactly one argument",
                            self.loc(start)
                        ),
                    );
                    return;
                }
                match args.into_iter().next() {
                    Some(a @ (Expr::Ref(_) | Expr::Interp(_) | Expr::Lit(Value::Str(_)))) => {
                        out.push(Node::Evaluate(Box::new(a), span))
                    }
                    _ => self.error(
                        start,
                        format!(
                            "#evaluate at {} takes a string literal or a reference",
                            self.loc(start)
                        ),
                    ),
                }
            }
            "break" => out.push(Node::Break),
            "parse" | "include" => {
                self.error(
                    start,
                    format!(
                        "#{name} at {} is not available in API Gateway",
                        self.loc(start)
                    ),
                );
            }
            _ => {
                let block_call = name.starts_with('@');
                let body = if block_call {
                    Some(Rc::new(
                        self.nested(start, |p| Some(p.body(start, "block macro call")))
                            .unwrap_or_default(),
                    ))
                } else {
                    None
                };
                let mut lit = String::with_capacity(self.pos - start);
                let mut from = start;
                for &d in lone_dollars.iter().filter(|&&d| d >= start && d < self.pos) {
                    lit.push_str(&self.src[from..d]);
                    from = d + 1;
                }
                lit.push_str(&self.src[from..self.pos]);
                let literal = Rc::from(lit.as_str());
                // A bare word passed to a macro defined earlier in the template fails the
                // template's init in 1.7 (VelocimacroProxy: "Invalid arg 'e' in macro #m1").
                if self.macros.contains_key(&*name) {
                    if let Some(Expr::Word(w)) = args.iter().find(|a| matches!(a, Expr::Word(_))) {
                        out.push(Node::Fail(
                            Rc::from(format!(
                                "org.apache.velocity.exception.TemplateInitException: Invalid arg '{w}' in macro #{name}"
                            )),
                            span,
                        ));
                        return;
                    }
                }
                let name = if block_call {
                    Rc::from(&name[1..])
                } else {
                    name
                };
                out.push(Node::Call(Box::new(CallNode {
                    name,
                    args,
                    body,
                    literal,
                    span,
                })));
            }
        }
    }

    /// Directive arguments after `(`, through `)`: references, words, literals, lists, maps,
    /// ranges; separated by whitespace or commas (no operators).
    fn directive_args(&mut self, start: usize, name: &str) -> Option<Vec<Expr>> {
        let mut args = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == b',' {
                self.pos += 1;
                self.skip_ws();
            }
            match self.peek() {
                b')' => {
                    self.pos += 1;
                    return Some(args);
                }
                0 if self.pos >= self.b.len() => {
                    self.error(
                        start,
                        format!("#{name} at {} is not closed with ')'", self.loc(start)),
                    );
                    return None;
                }
                c if is_word_start(c) && !self.at_keyword_literal() => {
                    let s = self.pos;
                    while is_word_char(self.peek()) {
                        self.pos += 1;
                    }
                    args.push(Expr::Word(Rc::from(&self.src[s..self.pos])));
                }
                // A lone `$` parses as an argument in 1.7 (and is null) where an argument is
                // due; glued to a previous argument before `)` it is ignored (`#macro(a$)`).
                b'$' if !is_ident_start(self.at(self.pos + 1))
                    && !matches!(self.at(self.pos + 1), b'{' | b'!') =>
                {
                    self.lone_dollars.push(self.pos);
                    self.pos += 1;
                    // Glued to the next reference it is ignored: `#define($$b)` defines `$b`.
                    if self.peek() == b'$' {
                        continue;
                    }
                    let glued = self.pos >= 2
                        && !matches!(
                            self.at(self.pos - 2),
                            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b','
                        );
                    if !(glued && self.peek() == b')') {
                        args.push(Expr::Lit(Value::Null));
                    }
                }
                _ => {
                    let at = self.pos;
                    match self.primary_value(true) {
                        Some(e) => args.push(e),
                        None => {
                            if self
                                .diags
                                .last()
                                .is_none_or(|d| d.span.start < self.base + at)
                            {
                                self.error(
                                    at,
                                    format!(
                                        "unexpected {} in the arguments of #{name} at {}",
                                        self.describe_here(),
                                        self.loc(start)
                                    ),
                                );
                            }
                            self.recover_to_paren();
                            return None;
                        }
                    }
                }
            }
        }
    }

    fn at_keyword_literal(&self) -> bool {
        for kw in ["true", "false"] {
            if self.starts(kw) && !is_word_char(self.at(self.pos + kw.len())) {
                return true;
            }
        }
        false
    }

    // ---------------------------------------------------------------- references

    /// At `$` (with `nbs` backslashes starting at `bs_start`).
    fn dollar(&mut self, bs_start: usize, nbs: usize, out: &mut Block) {
        let at = self.pos;
        // 1.7's lexer folds `$`, `$!` and backslashes right before a directive or a block
        // comment into that token, where they vanish: `x$#end` is `x`.
        let next = self.at(at + 1);
        let starts_reference = is_ident_start(next)
            || next == b'{'
            || (next == b'!' && is_ident_start(self.at(at + 2)));
        if !starts_reference {
            let mut j = at;
            while matches!(self.at(j), b'$' | b'!' | b'\\') {
                j += 1;
            }
            if self.at(j) == b'#' && self.directive_follows(j) {
                self.pos = j;
                return;
            }
            // 1.7's `#set` token starts with the spaces and tabs before it (SET_DIRECTIVE is
            // `[ \t]* ("#set" | "#{set}") " "* "("`), so the run folds into it across those
            // blanks too: `a$ #set($x = 1)b` is `ab` (while `a$ #if(..)` keeps `$ `).
            let mut k = j;
            while matches!(self.at(k), b' ' | b'\t') {
                k += 1;
            }
            if k > j && self.set_token_at(k) {
                self.pos = k;
                return;
            }
        }
        match self.reference(bs_start, nbs) {
            Some(r) => {
                let braced = r.literal.ends_with('}');
                // `$a.b$m(` : the lexer is still in its property state and `(` is a call
                // without a name — a syntax error in 1.7.
                if matches!(r.parts.last(), Some(Part::Prop(_))) && !braced && self.peek() == b'$' {
                    let mut i = self.pos + 1;
                    if is_ident_start(self.at(i)) {
                        while is_ident_char(self.at(i)) {
                            i += 1;
                        }
                        if self.at(i) == b'(' {
                            self.error(
                                i,
                                format!(
                                    "'(' at {} cannot follow the reference at {}",
                                    self.loc(i),
                                    self.loc(at)
                                ),
                            );
                        }
                    }
                }
                out.push(Node::Ref(r));
                if !braced {
                    self.curly_after_reference(out);
                }
            }
            None => {
                // Not a reference: the text stays. (`self.pos` was left after what is text.)
                if self.pos == at {
                    self.pos += 1;
                    if self.peek() == b'!' {
                        self.pos += 1;
                        // 1.7 drops the `!` of a `$!` that starts no reference (`$!{` stays).
                        if !matches!(self.peek(), b'{' | b'[') && self.pos < self.b.len() {
                            push_text(out, &self.src[bs_start..at + 1]);
                            return;
                        }
                    }
                    if self.pos >= self.b.len() && !self.in_string {
                        self.error(
                            at,
                            format!(
                                "a lone $ at {} ends the template (1.7 rejects this)",
                                self.loc(at)
                            ),
                        );
                    }
                }
                push_text(out, &self.src[bs_start..self.pos]);
                // `${.name(` is a syntax error in 1.7 (`${.name}` is text).
                if self.peek() == b'{'
                    && self.at(self.pos + 1) == b'.'
                    && self.at(self.pos + 2).is_ascii_alphabetic()
                {
                    let mut i = self.pos + 2;
                    while is_ident_char(self.at(i)) {
                        i += 1;
                    }
                    if self.at(i) == b'(' {
                        self.error(
                            at,
                            format!(
                                "'${{.' at {} starts a method call without a reference",
                                self.loc(at)
                            ),
                        );
                    }
                }
                // `${` that starts no reference leaves the lexer in its reference state too.
                if self.peek() == b'{' && self.src[bs_start..self.pos].ends_with('$') {
                    self.pos += 1;
                    push_text(out, "{");
                    self.curly_after_reference(out);
                }
            }
        }
    }

    /// Whether the `#` at `h` starts a directive, a block comment or an unparsed block.
    /// `#set` or `#{set}`, then spaces, then `(` at `h`: the rest of 1.7's SET_DIRECTIVE token.
    fn set_token_at(&self, h: usize) -> bool {
        let rest = &self.src[h.min(self.src.len())..];
        let Some(after) = rest
            .strip_prefix("#set")
            .or_else(|| rest.strip_prefix("#{set}"))
        else {
            return false;
        };
        after.trim_start_matches(' ').starts_with('(')
    }

    fn directive_follows(&self, h: usize) -> bool {
        match self.at(h + 1) {
            b'*' | b'[' if self.at(h + 1) == b'*' || self.src[h..].starts_with("#[[") => true,
            _ => {
                let (ws, close) = if self.at(h + 1) == b'{' {
                    (h + 2, true)
                } else {
                    (h + 1, false)
                };
                let mut i = ws;
                while is_word_char(self.at(i)) {
                    i += 1;
                }
                if i == ws || (close && self.at(i) != b'}') {
                    return false;
                }
                let w = &self.src[ws..i];
                matches!(w, "if" | "elseif" | "else" | "end" | "set" | "stop")
                    || is_pd(w)
                    || self.macros.contains_key(w)
            }
        }
    }

    /// A 1.7 lexer quirk: right after a reference (still in its REFERENCE state), `{name}`
    /// prints only `{` — the name and `}` are consumed as reference tokens that render nothing —
    /// and `{name(` is a syntax error.
    fn curly_after_reference(&mut self, out: &mut Block) {
        if self.peek() != b'{' || !is_ident_start(self.at(self.pos + 1)) {
            return;
        }
        let mut i = self.pos + 2;
        while is_ident_char(self.at(i)) {
            i += 1;
        }
        match self.at(i) {
            b'}' => {
                push_text(out, "{");
                self.pos = i + 1;
            }
            b'(' | b'.' => {
                self.error(
                    i,
                    format!(
                        "'{}' right after a reference is a syntax error in Velocity 1.7",
                        &self.src[self.pos..=i]
                    ),
                );
            }
            _ => {}
        }
    }

    /// Parses `$name...`, `$!name...`, `${...}`, `$!{...}` at the cursor (`$`). `None` when it is
    /// not a reference (cursor then after the `$`/`$!`, or unchanged on a syntax error that was
    /// reported).
    fn reference(&mut self, bs_start: usize, nbs: usize) -> Option<Rc<Reference>> {
        let dollar = self.pos;
        let mut i = dollar + 1;
        let quiet = self.at(i) == b'!';
        if quiet {
            i += 1;
        }
        let braced = self.at(i) == b'{';
        if braced {
            i += 1;
        }
        if !is_ident_start(self.at(i)) {
            return None;
        }
        let rs = i;
        while is_ident_char(self.at(i)) {
            i += 1;
        }
        let root: Rc<str> = Rc::from(&self.src[rs..i]);
        self.pos = i;
        self.ref_is_text = false;
        let Some(parts) = self.nested(dollar, |p| p.ref_parts(dollar)) else {
            if !self.ref_is_text {
                self.pos = dollar;
            }
            return None;
        };
        if braced {
            if self.peek() != b'}' {
                self.error(
                    dollar,
                    format!(
                        "reference ${{ at {} is not closed with }}",
                        self.loc(dollar)
                    ),
                );
                return None;
            }
            self.pos += 1;
        }
        let span = self.span(dollar, self.pos);
        Some(Rc::new(Reference {
            quiet,
            escaped: nbs % 2 == 1,
            esc_prefix: if nbs < 2 {
                self.empty.clone()
            } else {
                Rc::from("\\".repeat(nbs / 2))
            },
            root,
            parts,
            literal: Rc::from(&self.src[dollar..self.pos]),
            span: Span {
                start: self.base + bs_start.min(dollar),
                ..span
            },
            slot: Default::default(),
        }))
    }

    fn ref_parts(&mut self, dollar: usize) -> Option<Vec<Part>> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                b'[' => {
                    let at = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    let e = match self.peek() {
                        b'"' | b'\'' => self.string_lit(),
                        b'$' => {
                            let s = self.pos;
                            self.reference(s, 0).map(Expr::Ref)
                        }
                        c if c.is_ascii_digit() || c == b'-' => self.number(),
                        _ if self.at_keyword_literal() => self.primary_value(false),
                        _ => None,
                    };
                    self.skip_ws();
                    match e {
                        Some(e) if self.peek() == b']' => {
                            self.pos += 1;
                            parts.push(Part::Index(e, self.span(at, self.pos)));
                        }
                        _ => {
                            self.error(
                                at,
                                format!(
                                    "index '[' at {} of the reference at {} is malformed",
                                    self.loc(at),
                                    self.loc(dollar)
                                ),
                            );
                            return None;
                        }
                    }
                }
                b'.' if self.at(self.pos + 1).is_ascii_alphabetic() => {
                    let at = self.pos;
                    let mut i = self.pos + 1;
                    while is_ident_char(self.at(i)) {
                        i += 1;
                    }
                    let name: Rc<str> = Rc::from(&self.src[self.pos + 1..i]);
                    self.pos = i;
                    if self.peek() == b'(' {
                        self.pos += 1;
                        let args = self.method_args(at)?;
                        parts.push(Part::Method(name, args, self.span(at, self.pos)));
                    } else {
                        parts.push(Part::Prop(name));
                    }
                }
                _ => return Some(parts),
            }
        }
    }

    /// After `(` of `$x.m(`: `[Parameter (, Parameter)*] )`.
    fn method_args(&mut self, at: usize) -> Option<Vec<Expr>> {
        let mut args = Vec::new();
        if self.peek() == b')' {
            self.pos += 1;
            return Some(args);
        }
        // `$s.e(` exactly at the end of the input is text in 1.7 (with anything after, an error).
        if self.pos >= self.b.len() {
            self.ref_is_text = true;
            return None;
        }
        loop {
            self.skip_ws();
            // A `#` inside the parentheses makes 1.7 give up on the call: the whole reference,
            // through the `)`, is text.
            if self.peek() == b'#' {
                while self.pos < self.b.len()
                    && self.b[self.pos] != b')'
                    && self.b[self.pos] != b'\n'
                {
                    self.pos += 1;
                }
                if self.peek() == b')' {
                    self.pos += 1;
                }
                self.ref_is_text = true;
                return None;
            }
            // In a method's arguments 1.7 parses a bare name as a reference, but one that
            // never resolves (it evaluates to null): `$x.equals(y)` is `$x.equals(null)`.
            if is_ident_start(self.peek()) && !self.at_keyword_literal() {
                let st = self.pos;
                let mut i = st;
                while is_ident_char(self.at(i)) {
                    i += 1;
                }
                let root: Rc<str> = self.empty.clone();
                self.pos = i;
                let parts = self.nested(st, |p| p.ref_parts(st))?;
                let r = Reference {
                    quiet: false,
                    escaped: false,
                    esc_prefix: self.empty.clone(),
                    root,
                    parts,
                    literal: Rc::from(&self.src[st..self.pos]),
                    span: self.span(st, self.pos),
                    slot: Default::default(),
                };
                args.push(Expr::Ref(Rc::new(r)));
                self.skip_ws();
                match self.peek() {
                    b',' => {
                        self.pos += 1;
                        continue;
                    }
                    b')' => {
                        self.pos += 1;
                        return Some(args);
                    }
                    _ => {
                        self.error(
                            self.pos,
                            format!(
                                "method call at {} is not closed with ')' (found {})",
                                self.loc(at),
                                self.describe_here()
                            ),
                        );
                        return None;
                    }
                }
            }
            let Some(e) = self.primary_value(true) else {
                if self
                    .diags
                    .last()
                    .is_none_or(|d| d.span.start < self.base + at)
                {
                    self.error(
                        self.pos,
                        format!(
                            "unexpected {} in the arguments of the method call at {}",
                            self.describe_here(),
                            self.loc(at)
                        ),
                    );
                }
                return None;
            };
            args.push(e);
            self.skip_ws();
            match self.peek() {
                b',' => self.pos += 1,
                b'#' => continue,
                b')' => {
                    self.pos += 1;
                    return Some(args);
                }
                _ => {
                    self.error(
                        self.pos,
                        format!(
                            "method call at {} is not closed with ')' (found {})",
                            self.loc(at),
                            self.describe_here()
                        ),
                    );
                    return None;
                }
            }
        }
    }

    /// At a backslash run.
    fn backslashes(&mut self, out: &mut Block) {
        let start = self.pos;
        while self.peek() == b'\\' {
            self.pos += 1;
        }
        let n = self.pos - start;
        match self.peek() {
            b'$' => self.dollar(start, n, out),
            b'#' => {
                // A directive word after the backslashes?
                let h = self.pos;
                let (word, after) = if self.at(h + 1) == b'{' {
                    let mut i = h + 2;
                    if !is_ident_start(self.at(i)) {
                        push_text(out, &self.src[start..h]);
                        return;
                    }
                    while is_word_char(self.at(i)) {
                        i += 1;
                    }
                    if self.at(i) != b'}' {
                        push_text(out, &self.src[start..h]);
                        return;
                    }
                    (&self.src[h + 2..i], i + 1)
                } else {
                    let mut i = h + 1;
                    if !is_word_start(self.at(i)) {
                        push_text(out, &self.src[start..h]);
                        return;
                    }
                    while is_word_char(self.at(i)) {
                        i += 1;
                    }
                    (&self.src[h + 1..i], i)
                };
                let recognized = matches!(word, "if" | "end" | "set" | "else" | "elseif" | "stop")
                    || is_pd(word)
                    || self.macros.contains_key(word);
                if n % 2 == 1 {
                    // ESCAPE_DIRECTIVE: `\#if` prints `#if` (half of the other backslashes).
                    if recognized {
                        push_text(out, &"\\".repeat(n / 2));
                        push_text(out, &self.src[h..after]);
                    } else {
                        push_text(out, &self.src[start..after]);
                    }
                    self.pos = after;
                } else {
                    // `\\#if`: the pairs print as one backslash before a directive, else as two.
                    let control = matches!(word, "if" | "else" | "elseif" | "end" | "stop")
                        || is_pd(word)
                        || self.macros.contains_key(word);
                    let shown = if control { n / 2 } else { n };
                    push_text(out, &"\\".repeat(shown));
                }
            }
            _ => push_text(out, &self.src[start..self.pos]),
        }
    }

    // ---------------------------------------------------------------- expressions

    pub(crate) fn expr(&mut self) -> Option<Expr> {
        let at = self.pos;
        self.nested(at, |p| p.or_expr())
    }

    fn op_word(&mut self, words: &[&str], syms: &[&str]) -> Option<usize> {
        self.skip_ws();
        for (k, s) in syms.iter().enumerate() {
            if self.starts(s) {
                // `=` alone is not `==`; `<` must not be `<=` when asked for `<` (longest match).
                let next = self.at(self.pos + s.len());
                if (s.len() == 1 && (*s == "<" || *s == ">" || *s == "!") && next == b'=')
                    || (*s == "-" && next.is_ascii_digit())
                {
                    continue;
                }
                self.pos += s.len();
                return Some(k);
            }
        }
        for (k, w) in words.iter().enumerate() {
            if self.starts(w) && !is_word_char(self.at(self.pos + w.len())) {
                self.pos += w.len();
                return Some(k);
            }
        }
        None
    }

    /// A binary node. Its `literal` is what 1.7's `literal()` gives for it (shown when it is a
    /// null operand of a string `+`): the text from just after the operator to the end of the
    /// right operand, blanks included.
    fn bin(&self, op: BinOp, l: Expr, r: Expr, at: usize, op_end: usize) -> Expr {
        let lit = Rc::from(&self.src[op_end..self.pos]);
        Expr::Bin(op, Box::new(l), Box::new(r), self.span(at, self.pos), lit)
    }

    fn or_expr(&mut self) -> Option<Expr> {
        let mut l = self.and_expr()?;
        loop {
            let at = self.pos;
            if self.op_word(&["or"], &["||"]).is_none() {
                return Some(l);
            }
            let op_end = self.pos;
            let r = self.and_expr()?;
            l = self.bin(BinOp::Or, l, r, at, op_end);
        }
    }

    fn and_expr(&mut self) -> Option<Expr> {
        let mut l = self.eq_expr()?;
        loop {
            let at = self.pos;
            if self.op_word(&["and"], &["&&"]).is_none() {
                return Some(l);
            }
            let op_end = self.pos;
            let r = self.eq_expr()?;
            l = self.bin(BinOp::And, l, r, at, op_end);
        }
    }

    fn eq_expr(&mut self) -> Option<Expr> {
        let mut l = self.rel_expr()?;
        loop {
            let at = self.pos;
            let op = match self.op_word(&["eq", "ne"], &["==", "!="]) {
                Some(0) => BinOp::Eq,
                Some(_) => BinOp::Ne,
                None => return Some(l),
            };
            let op_end = self.pos;
            let r = self.rel_expr()?;
            l = self.bin(op, l, r, at, op_end);
        }
    }

    fn rel_expr(&mut self) -> Option<Expr> {
        let mut l = self.add_expr()?;
        loop {
            let at = self.pos;
            let op = match self.op_word(&["lt", "gt", "le", "ge"], &["<=", ">=", "<", ">"]) {
                None => return Some(l),
                Some(k) => {
                    // syms first: "<=" ">=" "<" ">" are indices 0..4 when matched as symbols,
                    // but words share indices; tell them apart by what precedes the cursor.
                    let prev = &self.src[..self.pos];
                    if prev.ends_with("<=") || prev.ends_with("le") {
                        BinOp::Le
                    } else if prev.ends_with(">=") || prev.ends_with("ge") {
                        BinOp::Ge
                    } else if prev.ends_with('<') || prev.ends_with("lt") {
                        BinOp::Lt
                    } else {
                        let _ = k;
                        BinOp::Gt
                    }
                }
            };
            let op_end = self.pos;
            let r = self.add_expr()?;
            l = self.bin(op, l, r, at, op_end);
        }
    }

    fn add_expr(&mut self) -> Option<Expr> {
        let mut l = self.mul_expr()?;
        loop {
            let at = self.pos;
            let op = match self.op_word(&[], &["+", "-"]) {
                Some(0) => BinOp::Add,
                Some(_) => BinOp::Sub,
                None => return Some(l),
            };
            let op_end = self.pos;
            let r = self.mul_expr()?;
            l = self.bin(op, l, r, at, op_end);
        }
    }

    fn mul_expr(&mut self) -> Option<Expr> {
        let mut l = self.unary()?;
        loop {
            let at = self.pos;
            let op = match self.op_word(&[], &["*", "/", "%"]) {
                Some(0) => BinOp::Mul,
                Some(1) => BinOp::Div,
                Some(_) => BinOp::Mod,
                None => return Some(l),
            };
            let op_end = self.pos;
            let r = self.unary()?;
            l = self.bin(op, l, r, at, op_end);
        }
    }

    fn unary(&mut self) -> Option<Expr> {
        self.skip_ws();
        let at = self.pos;
        if (self.peek() == b'!' && self.at(self.pos + 1) != b'=')
            || (self.starts("not") && !is_word_char(self.at(self.pos + 3)))
        {
            self.pos += if self.peek() == b'!' { 1 } else { 3 };
            let inner = self.nested(at, |p| p.unary())?;
            return Some(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Expr> {
        self.skip_ws();
        let at = self.pos;
        if self.peek() == b'(' {
            self.pos += 1;
            let mut e = self.expr()?;
            self.skip_ws();
            // A null operand of a string `+` shows its source; for a parenthesized one 1.7's
            // `literal()` is the whole text between the parentheses: `( $u ) + "x"` is ` $u x`.
            if self.peek() == b')' {
                let inner: Rc<str> = Rc::from(&self.src[at + 1..self.pos]);
                match &mut e {
                    Expr::Ref(r) => {
                        let mut r2 = (**r).clone();
                        r2.literal = inner;
                        e = Expr::Ref(Rc::new(r2));
                    }
                    Expr::Bin(_, _, _, _, lit) => *lit = inner,
                    _ => {}
                }
            }
            if self.peek() != b')' {
                self.error(
                    self.pos,
                    format!(
                        "parenthesis at {} is not closed (found {})",
                        self.loc(at),
                        self.describe_here()
                    ),
                );
                return None;
            }
            self.pos += 1;
            self.skip_ws();
            return Some(e);
        }
        let e = self.primary_value(true);
        if e.is_none()
            && self
                .diags
                .last()
                .is_none_or(|d| d.span.start < self.base + at)
        {
            self.error(
                self.pos,
                format!(
                    "expected a value at {} but found {}",
                    self.loc(self.pos),
                    self.describe_here()
                ),
            );
        }
        self.skip_ws();
        e
    }

    /// A literal, reference, list, map or range (Velocity's `Parameter`).
    fn primary_value(&mut self, allow_collections: bool) -> Option<Expr> {
        self.skip_ws();
        let at = self.pos;
        let c = self.peek();
        let e = match c {
            b'"' | b'\'' => self.string_lit(),
            // In a directive, a `$` that starts no reference is folded into the next token by
            // 1.7's lexer and does not count: `$-1` is `-1`.
            b'$' if !is_ident_start(self.at(at + 1))
                && !matches!(self.at(at + 1), b'{' | b'!' | b'$' | b')' | b'\\')
                && (self.at(at + 1).is_ascii_digit()
                    || matches!(self.at(at + 1), b'-' | b'"' | b'\'' | b'[')) =>
            {
                self.pos += 1;
                return self.primary_value(allow_collections);
            }
            b'$' => {
                let r = self.reference(at, 0);
                if r.is_none() && self.pos == at {
                    None
                } else {
                    r.map(Expr::Ref)
                }
            }
            // 1.7 accepts an escaped reference as a value: `#set($s = \$n)` reads `$n`.
            b'\\' => {
                let mut i = at;
                while self.at(i) == b'\\' {
                    i += 1;
                }
                if self.at(i) != b'$' {
                    return None;
                }
                self.pos = i;
                let r = self.reference(at, i - at);
                if r.is_none() {
                    self.pos = at;
                }
                r.map(Expr::Ref)
            }
            b'0'..=b'9' | b'-' | b'.' => self.number(),
            b'[' if allow_collections => self.nested(at, |p| p.list_or_range()),
            b'{' if allow_collections => self.nested(at, |p| p.map_lit()),
            _ if self.at_keyword_literal() => {
                let t = self.starts("true");
                self.pos += if t { 4 } else { 5 };
                Some(Expr::Lit(Value::Bool(t)))
            }
            _ => None,
        };
        self.skip_ws();
        e
    }

    fn number(&mut self) -> Option<Expr> {
        let s = self.pos;
        let mut i = s;
        if self.at(i) == b'-' {
            i += 1;
        }
        let ds = i;
        while self.at(i).is_ascii_digit() {
            i += 1;
        }
        let int_digits = i - ds;
        let mut is_float = false;
        // `1..3` is an integer followed by `..`
        if self.at(i) == b'.' && self.at(i + 1) != b'.' {
            let mut j = i + 1;
            while self.at(j).is_ascii_digit() {
                j += 1;
            }
            if int_digits > 0 || j > i + 1 {
                is_float = true;
                i = j;
            }
        }
        if int_digits == 0 && !is_float {
            return None;
        }
        if matches!(self.at(i), b'e' | b'E') {
            let mut j = i + 1;
            if matches!(self.at(j), b'+' | b'-') {
                j += 1;
            }
            if self.at(j).is_ascii_digit() {
                while self.at(j).is_ascii_digit() {
                    j += 1;
                }
                is_float = true;
                i = j;
            }
        }
        let text = &self.src[s..i];
        self.pos = i;
        if is_float {
            return Some(Expr::Lit(Value::Double(
                text.parse::<f64>().unwrap_or(f64::NAN),
            )));
        }
        if let Ok(v) = text.parse::<i32>() {
            return Some(Expr::Lit(Value::Int(v)));
        }
        if let Ok(v) = text.parse::<i64>() {
            return Some(Expr::Lit(Value::Long(v)));
        }
        // Beyond Long, 1.7 makes a BigInteger.
        let digits = text.trim_start_matches('-').trim_start_matches('0');
        let sign = if text.starts_with('-') { "-" } else { "" };
        Some(Expr::Lit(Value::Object(Rc::new(
            crate::methods::BigInteger(format!("{sign}{digits}")),
        ))))
    }

    fn string_lit(&mut self) -> Option<Expr> {
        let start = self.pos;
        let q = self.peek();
        let mut i = start + 1;
        loop {
            match self.at(i) {
                0 if i >= self.b.len() => {
                    self.error(
                        start,
                        format!("string starting at {} is never closed", self.loc(start)),
                    );
                    self.pos = self.b.len();
                    return None;
                }
                c if c == q => {
                    // A doubled quote is an escaped quote.
                    if self.at(i + 1) == q {
                        i += 2;
                        continue;
                    }
                    break;
                }
                _ => i += 1,
            }
        }
        let raw = &self.src[start + 1..i];
        self.pos = i + 1;
        let doubled: String = if q == b'"' {
            raw.replace("\"\"", "\"")
        } else {
            raw.replace("''", "'")
        };
        if q == b'"' && (raw.contains('$') || raw.contains('#')) {
            // Interpolated: parse the inside as a template.
            let mut sub = Parser {
                src: raw,
                b: raw.as_bytes(),
                pos: 0,
                base: self.base + start + 1,
                lines: self.lines.clone(),
                full: self.full.clone(),
                depth: self.depth + 1,
                macros: std::mem::take(&mut self.macros),
                diags: Vec::new(),
                block_stack: Vec::new(),
                in_string: true,
                empty: self.empty.clone(),
                ref_is_text: false,
                lone_dollars: Vec::new(),
            };
            if sub.depth >= MAX_PARSE_DEPTH {
                self.macros = sub.macros;
                self.error(start, format!("nesting at {} is too deep", self.loc(start)));
                return None;
            }
            let (mut block, _) = sub.block();
            self.macros = sub.macros;
            self.diags.append(&mut sub.diags);
            unescape_block(&mut block, q);
            return Some(Expr::Interp(Rc::new(block)));
        }
        let text = if q == b'"' {
            unescape_unicode(&doubled)
        } else {
            doubled
        };
        Some(Expr::Lit(Value::Str(Rc::from(text.as_str()))))
    }

    fn list_or_range(&mut self) -> Option<Expr> {
        let at = self.pos;
        self.pos += 1;
        // `[]` is an empty list, but `[ ]` is a syntax error in 1.7 (whitespace starts an element).
        if self.peek() == b']' {
            self.pos += 1;
            return Some(Expr::List(Vec::new()));
        }
        self.skip_ws();
        let first = self.primary_value(true)?;
        self.skip_ws();
        if self.starts("..") {
            if !matches!(
                first,
                Expr::Ref(_) | Expr::Lit(Value::Int(_)) | Expr::Lit(Value::Long(_))
            ) {
                self.error(
                    at,
                    format!("range at {} must use integers or references", self.loc(at)),
                );
                return None;
            }
            self.pos += 2;
            self.skip_ws();
            let second = self.primary_value(false);
            let ok = matches!(
                second,
                Some(Expr::Ref(_))
                    | Some(Expr::Lit(Value::Int(_)))
                    | Some(Expr::Lit(Value::Long(_)))
            );
            self.skip_ws();
            if !ok || self.peek() != b']' {
                self.error(
                    at,
                    format!("range at {} must look like [1..5]", self.loc(at)),
                );
                return None;
            }
            self.pos += 1;
            let second = second?;
            return Some(Expr::Range(
                Box::new(first),
                Box::new(second),
                self.span(at, self.pos),
            ));
        }
        let mut items = vec![first];
        loop {
            self.skip_ws();
            match self.peek() {
                b',' => {
                    self.pos += 1;
                    let item = self.primary_value(true);
                    match item {
                        Some(e) => items.push(e),
                        None => {
                            self.error(
                                self.pos,
                                format!(
                                    "list at {} has an unexpected {}",
                                    self.loc(at),
                                    self.describe_here()
                                ),
                            );
                            return None;
                        }
                    }
                }
                b']' => {
                    self.pos += 1;
                    return Some(Expr::List(items));
                }
                _ => {
                    self.error(
                        self.pos,
                        format!(
                            "list at {} is not closed with ']' (found {})",
                            self.loc(at),
                            self.describe_here()
                        ),
                    );
                    return None;
                }
            }
        }
    }

    fn map_lit(&mut self) -> Option<Expr> {
        let at = self.pos;
        self.pos += 1;
        self.skip_ws();
        let mut entries = Vec::new();
        if self.peek() == b'}' {
            self.pos += 1;
            return Some(Expr::Map(entries));
        }
        loop {
            let k = self.primary_value(true);
            self.skip_ws();
            let Some(k) = k.filter(|_| self.peek() == b':') else {
                self.error(
                    self.pos,
                    format!(
                        "map at {} expects key : value, found {}",
                        self.loc(at),
                        self.describe_here()
                    ),
                );
                return None;
            };
            self.pos += 1;
            let Some(v) = self.primary_value(true) else {
                self.error(
                    self.pos,
                    format!(
                        "map at {} is missing a value, found {}",
                        self.loc(at),
                        self.describe_here()
                    ),
                );
                return None;
            };
            entries.push((k, v));
            self.skip_ws();
            match self.peek() {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(Expr::Map(entries));
                }
                _ => {
                    self.error(
                        self.pos,
                        format!(
                            "map at {} is not closed with '}}' (found {})",
                            self.loc(at),
                            self.describe_here()
                        ),
                    );
                    return None;
                }
            }
        }
    }
}

fn push_text(out: &mut Block, s: &str) {
    if s.is_empty() {
        return;
    }
    // Adjacent text is gathered in a growable buffer and frozen once, when the block is done.
    if let Some(Node::Pending(t)) = out.last_mut() {
        t.push_str(s);
        return;
    }
    out.push(Node::Pending(s.to_string()));
}

/// Turns the parse-time text buffers of a finished block into shared text.
fn freeze(mut out: Block) -> Block {
    for n in out.iter_mut() {
        if let Node::Pending(t) = n {
            *n = Node::Text(Rc::from(t.as_str()));
        }
    }
    out
}

/// Velocity 1.7 unescapes `\uXXXX` (only) in double-quoted literals.
fn unescape_unicode(s: &str) -> String {
    if !s.contains("\\u") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\\u") {
        out.push_str(&rest[..i]);
        let hex = rest.get(i + 2..i + 6);
        match hex
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
        {
            Some(v) => {
                out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                rest = &rest[i + 6..];
            }
            None => {
                out.push_str("\\u");
                rest = &rest[i + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies the literal-level unescapes (`""` → `"`, `\uXXXX`) to the text parts of an
/// interpolated string.
fn unescape_block(block: &mut Block, q: u8) {
    for n in block.iter_mut() {
        if let Node::Text(t) = n {
            let d = if q == b'"' {
                t.replace("\"\"", "\"")
            } else {
                t.to_string()
            };
            *t = Rc::from(unescape_unicode(&d).as_str());
        }
    }
}
