//! Java pattern syntax (`java.util.regex.Pattern`, JDK 8-17) into a tree ([`Node`]), with
//! Java's errors: the message of its `PatternSyntaxException` and the index it reports.
//!
//! Flags are resolved while parsing (each literal, class, `.`, `^` and `$` records the
//! meaning its flags give it), so the matcher never looks at flags.

use super::unicode::{self, bit, gc};
use super::JavaRegexError;

/// Deepest group (and class) nesting accepted: recursion in the parser and compiler is
/// proportional to it, so it is kept small.
pub(super) const MAX_NESTING: usize = 100;
const MAX_CLASS_NESTING: usize = 32;

/// How a literal compares with input characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fold {
    /// Exact.
    None,
    /// `(?i)` without `u`: ASCII letters only (Java's `ASCII.toLower`).
    Ascii,
    /// `(?iu)`: `Character.toLowerCase(Character.toUpperCase(c))` on both sides.
    Unicode,
}

/// A set of characters (a class, `.`, `\d`, `\p{..}`).
#[derive(Clone, Debug)]
pub(super) enum Set {
    Single(char, Fold),
    Range(char, char, Fold),
    /// General categories as a mask of `1 << Character.getType`.
    Cat(u32),
    Prop(Prop),
    Not(Box<Set>),
    Union(Vec<Set>),
    And(Box<Set>, Box<Set>),
    /// While a class is parsed: its bit set, by reference (replaced by [`subst_bits`]).
    Bits,
}

/// Replaces the [`Set::Bits`] references of a finished class by its final bit set.
fn subst_bits(s: Set, bits: &[Set]) -> Set {
    match s {
        Set::Bits => Set::Union(bits.to_vec()),
        Set::Not(x) => Set::Not(Box::new(subst_bits(*x, bits))),
        Set::Union(v) => Set::Union(v.into_iter().map(|x| subst_bits(x, bits)).collect()),
        Set::And(a, b) => Set::And(
            Box::new(subst_bits(*a, bits)),
            Box::new(subst_bits(*b, bits)),
        ),
        other => other,
    }
}

/// Predicates that are not a general-category mask.
#[derive(Clone, Copy, Debug)]
pub(super) enum Prop {
    JavaWhitespace,
    WhiteSpace,
    Alphabetic,
    Lowercase,
    Uppercase,
    Titlecase,
    /// `(?i)` lower/upper/title: any cased character.
    AnyCase,
    HexDigit,
    Word,
    Graph,
    Print,
    Blank,
    Assigned,
    Noncharacter,
    JoinControl,
}

impl Set {
    pub(super) fn matches(&self, c: char) -> bool {
        match self {
            Set::Single(s, fold) => {
                *s == c
                    || match fold {
                        Fold::None => false,
                        Fold::Ascii => c.is_ascii() && c.to_ascii_lowercase() == *s,
                        Fold::Unicode => unicode::fold_unicode(c) == *s,
                    }
            }
            Set::Range(lo, hi, fold) => {
                let inr = |x: char| *lo <= x && x <= *hi;
                inr(c)
                    || match fold {
                        Fold::None => false,
                        Fold::Ascii => {
                            c.is_ascii()
                                && (inr(c.to_ascii_uppercase()) || inr(c.to_ascii_lowercase()))
                        }
                        Fold::Unicode => {
                            // Java's CIRangeU: the upper case, then the lower case of that.
                            let up = unicode::to_upper(c);
                            inr(up) || inr(unicode::to_lower(up))
                        }
                    }
            }
            Set::Cat(mask) => mask & bit(unicode::general_category(c)) != 0,
            Set::Prop(p) => prop_matches(*p, c),
            Set::Not(s) => !s.matches(c),
            Set::Union(v) => v.iter().any(|s| s.matches(c)),
            Set::And(a, b) => a.matches(c) && b.matches(c),
            Set::Bits => false,
        }
    }
}

fn prop_matches(p: Prop, c: char) -> bool {
    let cat = || bit(unicode::general_category(c));
    match p {
        Prop::JavaWhitespace => unicode::is_java_whitespace(c),
        Prop::WhiteSpace => unicode::is_white_space(c),
        Prop::Alphabetic => unicode::is_alphabetic(c),
        Prop::Lowercase => unicode::is_lowercase(c),
        Prop::Uppercase => unicode::is_uppercase(c),
        Prop::Titlecase => unicode::is_titlecase(c),
        Prop::AnyCase => {
            unicode::is_lowercase(c) || unicode::is_uppercase(c) || unicode::is_titlecase(c)
        }
        Prop::HexDigit => {
            matches!(c, '0'..='9' | 'A'..='F' | 'a'..='f' | '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF26}' | '\u{FF41}'..='\u{FF46}')
                || cat() & bit(gc::ND) != 0
        }
        Prop::Word => {
            unicode::is_alphabetic(c)
                || cat() & (bit(gc::MN) | bit(gc::ME) | bit(gc::MC) | bit(gc::ND) | bit(gc::PC))
                    != 0
                || matches!(c, '\u{200C}' | '\u{200D}')
        }
        Prop::Graph => {
            cat()
                & (bit(gc::ZS)
                    | bit(gc::ZL)
                    | bit(gc::ZP)
                    | bit(gc::CC)
                    | bit(gc::CS)
                    | bit(gc::CN))
                == 0
        }
        Prop::Blank => c == '\t' || cat() & bit(gc::ZS) != 0,
        Prop::Print => {
            (prop_matches(Prop::Graph, c) || prop_matches(Prop::Blank, c))
                && cat() & bit(gc::CC) == 0
        }
        Prop::Assigned => cat() & bit(gc::CN) == 0,
        Prop::Noncharacter => {
            let u = c as u32;
            (u & 0xfffe) == 0xfffe || (0xfdd0..=0xfdef).contains(&u)
        }
        Prop::JoinControl => matches!(c, '\u{200C}' | '\u{200D}'),
    }
}

/// Zero-width assertions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Assert {
    /// `\A`, and `^` without `m`.
    Begin,
    /// `\z`.
    End,
    /// `^` with `m` (`unix`: with `d`, only `\n` ends a line).
    Caret {
        unix: bool,
    },
    /// `$` and `\Z` (`\Z` never multiline).
    Dollar {
        multiline: bool,
        unix: bool,
    },
    /// `\b` (`unicode`: under `(?U)`, Java's Unicode WORD instead of isLetterOrDigit).
    WordBoundary {
        unicode: bool,
    },
    NotWordBoundary {
        unicode: bool,
    },
    /// `\G`: where the previous match ended (0 before the first).
    LastMatch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RepKind {
    Greedy,
    Lazy,
    Possessive,
}

/// Unbounded repetition count (Java's `MAX_REPS`).
pub(super) const INF: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub(super) enum Node {
    Empty,
    Char(char, Fold),
    Class(Box<Set>),
    Assert(Assert),
    Group(Box<Node>, usize),
    Cat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: u32,
        kind: RepKind,
        /// `?`/`{0,1}` (Java's `Ques`), not a `Curly`: they differ for lookbehind.
        ques: bool,
    },
    Atomic(Box<Node>),
    Look {
        node: Box<Node>,
        behind: bool,
        neg: bool,
        /// A lookbehind measured in UTF-16 units (Java's Behind: no supplementary character in
        /// the pattern), else in code points (BehindS).
        units16: bool,
    },
    Backref(usize, Fold),
    /// `\R`: Java 17's LineEnding, `\r\n|[\n\x0B\x0C\r\x85\u2028\u2029]`, one node (so
    /// `\R{1,2}` has a known maximum length) that can still give back the `\n` of a `\r\n`
    /// (`\R\H` matches "\r\n").
    LineBreak,
}

/// The alternation `\R` stands for.
pub(super) fn line_break() -> Node {
    Node::Alt(vec![
        Node::Cat(vec![
            Node::Char('\r', Fold::None),
            Node::Char('\n', Fold::None),
        ]),
        Node::Class(Box::new(ranges(&[
            ('\n', '\r'),
            ('\u{85}', '\u{85}'),
            ('\u{2028}', '\u{2029}'),
        ]))),
    ])
}

#[derive(Clone, Copy, Default)]
struct Flags {
    i: bool,
    s: bool,
    m: bool,
    x: bool,
    u: bool,
    d: bool,
    /// UNICODE_CHARACTER_CLASS (`U`).
    uc: bool,
}

pub(super) struct Parsed {
    pub node: Node,
    pub groups: usize,
    pub names: Vec<(String, usize)>,
}

fn err<T>(message: impl Into<String>, offset: usize) -> Result<T, JavaRegexError> {
    Err(JavaRegexError {
        message: message.into(),
        offset,
    })
}

/// Java's line terminators (without `d`).
pub(super) fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn ranges(v: &[(char, char)]) -> Set {
    Set::Union(
        v.iter()
            .map(|&(a, b)| Set::Range(a, b, Fold::None))
            .collect(),
    )
}

fn not(s: Set) -> Set {
    Set::Not(Box::new(s))
}

/// `\d \w \s \h \v` and their negations (Java's ASCII meanings; `\h \v` are Unicode lists;
/// under `(?U)` `\d \w \s` are Unicode: Nd, Java's WORD, White_Space).
fn predefined(c: char, uc: bool) -> Option<Set> {
    let pos = |c: char| -> Set {
        match c {
            'd' if uc => Set::Cat(bit(gc::ND)),
            'w' if uc => Set::Prop(Prop::Word),
            's' if uc => Set::Prop(Prop::WhiteSpace),
            'd' => ranges(&[('0', '9')]),
            'w' => ranges(&[('a', 'z'), ('A', 'Z'), ('_', '_'), ('0', '9')]),
            's' => ranges(&[('\t', '\r'), (' ', ' ')]),
            'h' => ranges(&[
                (' ', ' '),
                ('\t', '\t'),
                ('\u{A0}', '\u{A0}'),
                ('\u{1680}', '\u{1680}'),
                ('\u{180E}', '\u{180E}'),
                ('\u{2000}', '\u{200A}'),
                ('\u{202F}', '\u{202F}'),
                ('\u{205F}', '\u{205F}'),
                ('\u{3000}', '\u{3000}'),
            ]),
            _ => ranges(&[('\n', '\r'), ('\u{85}', '\u{85}'), ('\u{2028}', '\u{2029}')]),
        }
    };
    match c {
        'd' | 'w' | 's' | 'h' | 'v' => Some(pos(c)),
        'D' | 'W' | 'S' | 'H' | 'V' => Some(not(pos(c.to_ascii_lowercase()))),
        _ => None,
    }
}

/// Result of an escape that may appear in a class.
enum Esc {
    Char(char),
    Set(Set),
}

struct Parser<'a> {
    c: &'a [char],
    i: usize,
    flags: Flags,
    groups: usize,
    names: Vec<(String, usize)>,
    /// Backreferences seen, checked once all groups are known (`\k<name>` must name an earlier
    /// group; numeric ones are resolved on the spot).
    depth: usize,
    /// The atom just parsed is a non-capturing group (for [`Parser::group_curly`]).
    noncap_atom: bool,
}

/// Whether a capturing group occurs in `n`.
fn has_group(n: &Node) -> bool {
    match n {
        Node::Group(..) => true,
        Node::Cat(v) | Node::Alt(v) => v.iter().any(has_group),
        Node::Repeat { node, .. } | Node::Atomic(node) | Node::Look { node, .. } => has_group(node),
        _ => false,
    }
}

/// Java's `Pattern.RemoveQEQuoting`, run before parsing: `\Q..\E` becomes the same characters
/// with every ASCII non-letter escaped (a digit opening the quote as `\x3N`), so a quoted
/// character can start or end a class range (`[\Q+\E-/]`), a quantifier after a quote applies
/// to its last character, an empty `\Q\E` vanishes, and error indexes refer to the rewritten
/// pattern, as Java's do.
pub(super) fn remove_qe_quoting(p: &[char]) -> Option<Vec<char>> {
    let mut i = 0;
    while i + 1 < p.len() {
        match (p[i], p[i + 1]) {
            ('\\', 'Q') => break,
            ('\\', _) => i += 2,
            _ => i += 1,
        }
    }
    if i + 1 >= p.len() {
        return None;
    }
    let mut out: Vec<char> = p[..i].to_vec();
    i += 2;
    let (mut in_quote, mut begin) = (true, true);
    while let Some(&c) = p.get(i) {
        i += 1;
        if !c.is_ascii() || c.is_ascii_alphabetic() {
            out.push(c);
        } else if c.is_ascii_digit() {
            if begin {
                // Keeps a digit from extending an escape written just before the quote.
                out.extend(['\\', 'x', '3']);
            }
            out.push(c);
        } else if c != '\\' {
            if in_quote {
                out.push('\\');
            }
            out.push(c);
        } else if in_quote {
            if p.get(i) == Some(&'E') {
                i += 1;
                in_quote = false;
            } else {
                out.extend(['\\', '\\']);
            }
        } else if p.get(i) == Some(&'Q') {
            i += 1;
            in_quote = true;
            begin = true;
            continue;
        } else {
            out.push(c);
            if let Some(&n) = p.get(i) {
                out.push(n);
                i += 1;
            }
        }
        begin = false;
    }
    Some(out)
}

pub(super) fn parse(pattern: &[char]) -> Result<Parsed, JavaRegexError> {
    let rewritten = remove_qe_quoting(pattern);
    let pattern = rewritten.as_deref().unwrap_or(pattern);
    let mut p = Parser {
        c: pattern,
        i: 0,
        flags: Flags::default(),
        groups: 0,
        names: Vec::new(),
        depth: 0,
        noncap_atom: false,
    };
    let node = p.alternation()?;
    if p.i < p.c.len() {
        // Only an unmatched ')' stops the top level early.
        return err("Unmatched closing ')'", p.i.saturating_sub(1));
    }
    Ok(Parsed {
        node,
        groups: p.groups,
        names: p.names,
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    /// Skips whitespace and `#` comments in `(?x)` mode (Java does this in and out of classes).
    fn skip_extended(&mut self) {
        if !self.flags.x {
            return;
        }
        while let Some(c) = self.peek() {
            if matches!(c, ' ' | '\t' | '\n' | '\u{B}' | '\u{C}' | '\r') {
                self.i += 1;
            } else if c == '#' {
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if is_line_terminator(c) {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    /// Alternatives up to an unmatched `)` or the end. Inline flags set inside last until the
    /// end of the enclosing group (the caller restores them).
    fn alternation(&mut self) -> Result<Node, JavaRegexError> {
        let mut alts = Vec::new();
        loop {
            alts.push(self.sequence()?);
            if self.peek() == Some('|') {
                self.i += 1;
            } else {
                break;
            }
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn sequence(&mut self) -> Result<Node, JavaRegexError> {
        let mut items = Vec::new();
        loop {
            self.skip_extended();
            let Some(c) = self.peek() else { break };
            let at = self.i;
            self.noncap_atom = false;
            let atom = match c {
                '|' | ')' => break,
                '*' | '+' | '?' => {
                    return err(format!("Dangling meta character '{c}'"), at);
                }
                // Java 17 reads a counted closure with nothing before it as repeating the
                // empty string: `{2}a` and `x{2}{3}` compile (`x{2}{3}` = `x{2}`).
                '{' => Node::Empty,
                '(' => {
                    self.i += 1;
                    match self.group(at)? {
                        Some(n) => n,
                        None => continue,
                    }
                }
                '[' => {
                    self.i += 1;
                    Node::Class(Box::new(self.clazz(0, true)?))
                }
                '.' => {
                    self.i += 1;
                    let set = if self.flags.s {
                        not(Set::Union(Vec::new()))
                    } else if self.flags.d {
                        not(Set::Single('\n', Fold::None))
                    } else {
                        not(ranges(&[
                            ('\n', '\n'),
                            ('\r', '\r'),
                            ('\u{85}', '\u{85}'),
                            ('\u{2028}', '\u{2029}'),
                        ]))
                    };
                    Node::Class(Box::new(set))
                }
                '^' => {
                    self.i += 1;
                    Node::Assert(if self.flags.m {
                        Assert::Caret { unix: self.flags.d }
                    } else {
                        Assert::Begin
                    })
                }
                '$' => {
                    self.i += 1;
                    Node::Assert(Assert::Dollar {
                        multiline: self.flags.m,
                        unix: self.flags.d,
                    })
                }
                '\\' => {
                    self.i += 1;
                    self.escape_outside()?
                }
                _ => {
                    self.i += 1;
                    self.literal(c)
                }
            };
            let node = self.closure(atom)?;
            items.push(node);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Cat(items),
        })
    }

    fn fold(&self) -> Fold {
        match (self.flags.i, self.flags.u) {
            (false, _) => Fold::None,
            (true, false) => Fold::Ascii,
            (true, true) => Fold::Unicode,
        }
    }

    /// A literal character with the case flags in force (Java's `Pattern.single`).
    fn literal(&self, c: char) -> Node {
        let (c, f) = self.char_fold(c);
        Node::Char(c, f)
    }

    /// The stored form of a literal under the current flags: `(?i)` ASCII letters are stored
    /// lowercase, `(?iu)` cased letters as `toLowerCase(toUpperCase(c))`; others exactly.
    fn char_fold(&self, c: char) -> (char, Fold) {
        match self.fold() {
            Fold::Ascii if c.is_ascii_alphabetic() => (c.to_ascii_lowercase(), Fold::Ascii),
            Fold::Unicode => {
                let up = unicode::to_upper(c);
                let low = unicode::to_lower(up);
                if up != low {
                    (low, Fold::Unicode)
                } else {
                    (c, Fold::None)
                }
            }
            _ => (c, Fold::None),
        }
    }

    /// Applies a quantifier after an atom, if there is one (Java's `closure`).
    fn closure(&mut self, atom: Node) -> Result<Node, JavaRegexError> {
        self.skip_extended();
        let at = self.i;
        let (min, max) = match self.peek() {
            Some('?') => (0, 1),
            Some('*') => (0, INF),
            Some('+') => (1, INF),
            Some('{') => {
                if !self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) {
                    return err("Illegal repetition", at + 1);
                }
                self.i += 1;
                let min = self.number(at)?;
                let mut max = min;
                if self.peek() == Some(',') {
                    self.i += 1;
                    max = if self.peek() == Some('}') {
                        INF
                    } else {
                        self.number(at)?
                    };
                }
                if self.peek() != Some('}') {
                    return err("Unclosed counted closure", self.i);
                }
                if max < min {
                    return err("Illegal repetition range", self.i);
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.i += 1;
        self.skip_extended();
        let kind = match self.peek() {
            Some('?') => {
                self.i += 1;
                RepKind::Lazy
            }
            Some('+') => {
                self.i += 1;
                RepKind::Possessive
            }
            _ => RepKind::Greedy,
        };
        let atom = match atom {
            // A Curly or Ques over \R matches it as an independent atom each time: `\R{2}`
            // cannot split a "\r\n" (while `\R\R` can).
            Node::LineBreak => Node::Atomic(Box::new(Node::LineBreak)),
            other => self.group_curly(other, min, max, kind),
        };
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            kind,
            // Java builds `?` and `{0,1}` alike (a `Ques`).
            ques: min == 0 && max == 1,
        })
    }

    /// Java repeats a group with a deterministic body (no alternatives, no variable parts) with
    /// `*`, `+` or `{n,m}` as a GroupCurly, which restores only the repeated group itself when it
    /// gives iterations back: groups nested inside keep what the furthest iteration captured.
    /// Making the body independent (atomic) drops exactly those restores; a deterministic body
    /// has no choices inside to lose.
    fn group_curly(&self, atom: Node, min: u32, max: u32, kind: RepKind) -> Node {
        if kind == RepKind::Possessive || (min == 0 && max == 1) {
            return atom;
        }
        match atom {
            Node::Group(inner, g) if has_group(&inner) && super::compile::deterministic(&inner) => {
                Node::Group(Box::new(Node::Atomic(inner)), g)
            }
            other
                if self.noncap_atom
                    && has_group(&other)
                    && super::compile::deterministic(&other) =>
            {
                Node::Atomic(Box::new(other))
            }
            other => other,
        }
    }

    /// Decimal digits of a counted closure; past Java's `int` it is Java's error, at the digit.
    fn number(&mut self, _at: usize) -> Result<u32, JavaRegexError> {
        let mut v: u32 = 0;
        let start = self.i;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            v = match v.checked_mul(10).and_then(|v| v.checked_add(d)) {
                Some(v) if v <= i32::MAX as u32 => v,
                _ => return err("Illegal repetition range", self.i),
            };
            self.i += 1;
        }
        if self.i == start {
            return err("Unclosed counted closure", self.i);
        }
        Ok(v)
    }

    /// After `(`. `None` for a bare flag group `(?i)`, whose flags then last until the end of
    /// the enclosing group.
    fn group(&mut self, open: usize) -> Result<Option<Node>, JavaRegexError> {
        if self.depth >= MAX_NESTING {
            return err("groups are nested too deeply", open);
        }
        let saved = self.flags;
        self.depth += 1;
        let node = self.group_inner();
        self.depth -= 1;
        let node = node?;
        if node.is_some() {
            // Java restores the flags at the end of every group (a bare `(?i)` returns before).
            self.flags = saved;
        }
        Ok(node)
    }

    fn group_inner(&mut self) -> Result<Option<Node>, JavaRegexError> {
        // Java's next() skips (?x) whitespace here too: `( ?i)` is a flag group.
        self.skip_extended();
        let node = if self.peek() == Some('?') {
            self.i += 1;
            match self.peek() {
                Some(':') => {
                    self.i += 1;
                    let n = self.alternation()?;
                    self.noncap_atom = true;
                    n
                }
                Some(c @ ('=' | '!')) => {
                    self.i += 1;
                    let inner = self.alternation()?;
                    Node::Look {
                        node: Box::new(inner),
                        behind: false,
                        neg: c == '!',
                        units16: false,
                    }
                }
                Some('>') => {
                    self.i += 1;
                    Node::Atomic(Box::new(self.alternation()?))
                }
                Some('<') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c @ ('=' | '!')) => {
                            self.i += 1;
                            let inner = self.alternation()?;
                            if super::compile::max_len(&inner).is_none() {
                                return err(
                                    "Look-behind group does not have an obvious maximum length",
                                    self.i.saturating_sub(1),
                                );
                            }
                            Node::Look {
                                node: Box::new(inner),
                                behind: true,
                                neg: c == '!',
                                // Java 17 picks BehindS when the pattern holds any
                                // supplementary character, before the lookbehind too.
                                units16: !self.c.iter().any(|c| (*c as u32) > 0xFFFF),
                            }
                        }
                        _ => {
                            let name = self.group_name()?;
                            if self.names.iter().any(|(n, _)| *n == name) {
                                return err(
                                    format!("Named capturing group <{name}> is already defined"),
                                    self.i - 1,
                                );
                            }
                            self.groups += 1;
                            let g = self.groups;
                            self.names.push((name, g));
                            Node::Group(Box::new(self.alternation()?), g)
                        }
                    }
                }
                Some('$' | '@') => return err("Unknown group type", self.i),
                _ => {
                    // Inline flags: (?idmsux-idmsux) or (?idmsux-idmsux:X)
                    let mut on = true;
                    loop {
                        let Some(c) = self.peek() else {
                            return err("Unknown inline modifier", self.i);
                        };
                        self.i += 1;
                        match c {
                            'i' => self.flags.i = on,
                            's' => self.flags.s = on,
                            'm' => self.flags.m = on,
                            'x' => self.flags.x = on,
                            'u' => self.flags.u = on,
                            'd' => self.flags.d = on,
                            // Java: U sets (and -U clears) UNICODE_CASE as well.
                            'U' => {
                                self.flags.uc = on;
                                self.flags.u = on;
                            }
                            'c' if on => {
                                return err("flag (?c) CANON_EQ is not supported", self.i - 1)
                            }
                            'c' => {}
                            '-' if on => on = false,
                            ')' => return Ok(None),
                            ':' => break,
                            _ => return err("Unknown inline modifier", self.i - 1),
                        }
                    }
                    let n = self.alternation()?;
                    self.noncap_atom = true;
                    n
                }
            }
        } else {
            self.groups += 1;
            let g = self.groups;
            Node::Group(Box::new(self.alternation()?), g)
        };
        if self.peek() != Some(')') {
            return err("Unclosed group", self.c.len());
        }
        self.i += 1;
        Ok(Some(node))
    }

    /// `name>` after `(?<` or `\k<`: an ASCII letter, then ASCII letters and digits.
    fn group_name(&mut self) -> Result<String, JavaRegexError> {
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            return err(
                "capturing group name does not start with a Latin letter",
                self.i,
            );
        }
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.i += 1;
        }
        if self.peek() != Some('>') {
            return err("named capturing group is missing trailing '>'", self.i);
        }
        let name: String = self.c[start..self.i].iter().collect();
        self.i += 1;
        Ok(name)
    }

    /// Escape outside a class, after the backslash.
    fn escape_outside(&mut self) -> Result<Node, JavaRegexError> {
        let at = self.i - 1;
        let Some(c) = self.peek() else {
            return err("Unexpected internal error", self.c.len());
        };
        let a = |x| Ok(Node::Assert(x));
        match c {
            'A' => {
                self.i += 1;
                a(Assert::Begin)
            }
            'z' => {
                self.i += 1;
                a(Assert::End)
            }
            'Z' => {
                self.i += 1;
                a(Assert::Dollar {
                    multiline: false,
                    unix: self.flags.d,
                })
            }
            'b' => {
                self.i += 1;
                a(Assert::WordBoundary {
                    unicode: self.flags.uc,
                })
            }
            'B' => {
                self.i += 1;
                a(Assert::NotWordBoundary {
                    unicode: self.flags.uc,
                })
            }
            'G' => {
                self.i += 1;
                a(Assert::LastMatch)
            }
            'R' => {
                self.i += 1;
                Ok(Node::LineBreak)
            }
            'X' => err("\\X (grapheme cluster) is not supported", at),
            'N' => err("\\N{name} is not supported", at),
            'k' => {
                self.i += 1;
                if self.peek() != Some('<') {
                    return err(
                        "\\k is not followed by '<' for named capturing group",
                        self.i,
                    );
                }
                self.i += 1;
                let name = self.group_name()?;
                match self.names.iter().find(|(n, _)| *n == name) {
                    Some((_, g)) => Ok(Node::Backref(*g, self.fold())),
                    None => err(
                        format!("named capturing group <{name}> does not exist"),
                        self.i - 1,
                    ),
                }
            }
            '1'..='9' => {
                // Java: the first digit is a group reference; each further digit is taken
                // while the number is still a group that exists (so far in the pattern).
                self.i += 1;
                let mut g = c as usize - '0' as usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    let ng = g * 10 + d as usize;
                    if ng > self.groups {
                        break;
                    }
                    g = ng;
                    self.i += 1;
                }
                Ok(Node::Backref(g, self.fold()))
            }
            _ => match self.escape_common(false)? {
                Esc::Char(ch) => Ok(self.literal(ch)),
                Esc::Set(s) => Ok(Node::Class(Box::new(s))),
            },
        }
    }

    /// An escape valid inside and outside classes; cursor on the character after `\`.
    fn escape_common(&mut self, in_class: bool) -> Result<Esc, JavaRegexError> {
        let at = self.i - 1;
        let Some(c) = self.peek() else {
            return err("Unexpected internal error", self.c.len());
        };
        self.i += 1;
        // Java's legacy reading: in a class, `\v` right before `-` is U+000B starting a range.
        if c == 'v' && in_class && self.peek() == Some('-') {
            return Ok(Esc::Char('\u{B}'));
        }
        if let Some(s) = predefined(c, self.flags.uc) {
            return Ok(Esc::Set(s));
        }
        let ch = |c| Ok(Esc::Char(c));
        match c {
            't' => ch('\t'),
            'n' => ch('\n'),
            'r' => ch('\r'),
            'f' => ch('\u{C}'),
            'a' => ch('\u{7}'),
            'e' => ch('\u{1B}'),
            'c' => match self.peek() {
                Some(x) => {
                    self.i += 1;
                    match char::from_u32((x as u32) ^ 64) {
                        Some(v) => ch(v),
                        None => err("Illegal control escape sequence", self.i - 1),
                    }
                }
                None => err("Illegal control escape sequence", self.i - 1),
            },
            '0' => {
                // \0n, \0nn, \0mnn (m <= 3).
                let d = |p: &Self| p.peek().and_then(|c| c.to_digit(8));
                let Some(n1) = d(self) else {
                    return err("Illegal octal escape sequence", self.i);
                };
                let mut v = n1;
                self.i += 1;
                if let Some(n2) = d(self) {
                    v = v * 8 + n2;
                    self.i += 1;
                    if let Some(n3) = d(self) {
                        if n1 <= 3 {
                            v = v * 8 + n3;
                            self.i += 1;
                        }
                    }
                }
                ch(char::from_u32(v).unwrap_or('\0'))
            }
            'x' => {
                if self.peek() == Some('{') {
                    self.i += 1;
                    let start = self.i;
                    let mut v: u32 = 0;
                    while let Some(h) = self.peek().and_then(|c| c.to_digit(16)) {
                        v = v.saturating_mul(16).saturating_add(h);
                        self.i += 1;
                    }
                    if self.i == start || self.peek() != Some('}') {
                        return err("Unclosed hexadecimal escape sequence", self.i);
                    }
                    self.i += 1;
                    match char::from_u32(v) {
                        Some(c) => ch(c),
                        None => err("Hexadecimal codepoint is too big", self.i - 2),
                    }
                } else {
                    match self.hex(2) {
                        Some(v) => ch(char::from_u32(v).unwrap_or('\0')),
                        None => err("Illegal hexadecimal escape sequence", self.bad_hex(2)),
                    }
                }
            }
            'u' => match self.hex(4) {
                Some(v) => match char::from_u32(v) {
                    Some(c) => ch(c),
                    None => {
                        // A surrogate: Java pairs \uD83D\uDE00 into one code point.
                        let lo = if self.peek() == Some('\\') && self.peek_at(1) == Some('u') {
                            self.i += 2;
                            self.hex(4)
                        } else {
                            None
                        };
                        match lo.and_then(|lo| {
                            if (0xD800..0xDC00).contains(&v) && (0xDC00..0xE000).contains(&lo) {
                                char::from_u32(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                None
                            }
                        }) {
                            Some(c) => ch(c),
                            None => err(
                                "unpaired surrogate escapes (\\uD800-\\uDFFF) are not supported",
                                at,
                            ),
                        }
                    }
                },
                None => err("Illegal Unicode escape sequence", self.bad_hex(4)),
            },
            'p' | 'P' => Ok(Esc::Set(self.property(c == 'P', at)?)),
            c if c.is_ascii_alphanumeric() => {
                err("Illegal/unsupported escape sequence", self.i - 1)
            }
            c => ch(c),
        }
    }

    /// Index of the first of the next `n` characters that is not a hex digit (Java's index).
    fn bad_hex(&self, n: usize) -> usize {
        (0..n)
            .find(|&k| !self.peek_at(k).is_some_and(|c| c.is_ascii_hexdigit()))
            .map_or(self.i, |k| self.i + k)
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let mut v = 0;
        for k in 0..n {
            v = v * 16 + self.peek_at(k)?.to_digit(16)?;
        }
        self.i += n;
        Some(v)
    }

    /// `\p{Name}`, `\pL`, `\P{..}` (Java's `Pattern.family` and `CharPredicates`).
    fn property(&mut self, negated: bool, at: usize) -> Result<Set, JavaRegexError> {
        let name: String = if self.peek() == Some('{') {
            self.i += 1;
            let start = self.i;
            while self.peek().is_some_and(|c| c != '}') {
                self.i += 1;
            }
            if self.peek() != Some('}') {
                return err("Unclosed character family", self.c.len());
            }
            let n: String = self.c[start..self.i].iter().collect();
            self.i += 1;
            if n.is_empty() {
                return err("Empty character family", self.i - 1);
            }
            n
        } else {
            match self.peek() {
                Some(c) => {
                    self.i += 1;
                    c.to_string()
                }
                None => return err("Illegal character family", at),
            }
        };
        let ci = self.flags.i;
        let set = if let Some((key, value)) = name.split_once('=') {
            match key.to_ascii_lowercase().as_str() {
                "gc" | "general_category" => property_by_name(value, ci),
                "sc" | "script" | "blk" | "block" => {
                    return err(unsupported(&name), at);
                }
                _ => None,
            }
            .ok_or_else(|| JavaRegexError {
                message: format!("Unknown Unicode property {{name=<{key}>, value=<{value}>}}"),
                offset: self.i - 1,
            })?
        } else if let Some(block) = name.strip_prefix("In") {
            let _ = block;
            return err(unsupported(&name), at);
        } else if let Some(short) = name.strip_prefix("Is") {
            match unicode_property(&short.to_ascii_uppercase(), ci)
                .or_else(|| property_by_name(short, ci))
            {
                Some(s) => s,
                None => return err(unsupported(&name), at),
            }
        } else {
            // Under (?U) the POSIX names are Unicode's (CharPredicates.forPOSIXName).
            let posix = if self.flags.uc {
                match name.to_ascii_uppercase().as_str() {
                    n @ ("ALPHA" | "LOWER" | "UPPER" | "SPACE" | "PUNCT" | "XDIGIT" | "ALNUM"
                    | "CNTRL" | "DIGIT" | "BLANK" | "GRAPH" | "PRINT") => unicode_property(n, ci),
                    _ => None,
                }
            } else {
                None
            };
            match posix.or_else(|| property_by_name(&name, ci)) {
                Some(s) => s,
                None if matches!(
                    name.as_str(),
                    "javaMirrored"
                        | "javaIdeographic"
                        | "javaUnicodeIdentifierStart"
                        | "javaUnicodeIdentifierPart"
                ) =>
                {
                    return err(
                        format!(
                            "character property {{{name}}} is not supported (its Unicode table is \
                             not shipped)"
                        ),
                        at,
                    )
                }
                None => {
                    return err(
                        format!("Unknown character property name {{{name}}}"),
                        self.i - 1,
                    )
                }
            }
        };
        Ok(if negated { not(set) } else { set })
    }

    /// A character class (Java's `Pattern.clazz`, followed step by step because its corner
    /// cases are observable): `consume` = called after `[` (the closing `]` is consumed), else
    /// an intersection's right operand (stops before `]`). Single Latin-1 characters go into
    /// one mutable set per class ("bits") that Java unions by reference, so characters added
    /// after an `&&` also show up wherever the set was used before it: `[a-z&&&x]` is
    /// `[a-z&x]`, `[[ab]&&[b]&]` is `[b&]`. A leading `^` right after `[` negates the whole
    /// class (Java 9+).
    fn clazz(&mut self, depth: usize, consume: bool) -> Result<Set, JavaRegexError> {
        if depth > MAX_CLASS_NESTING {
            return err("character classes are nested too deeply", self.i);
        }
        let union = |a: Option<Set>, b: Set| match a {
            None => b,
            Some(a) => Set::Union(vec![a, b]),
        };
        let mut prev: Option<Set> = None;
        let mut curr: Option<Set> = None;
        let mut bits: Vec<Set> = Vec::new();
        let mut has_bits = false;
        let neg = self.peek() == Some('^') && self.i > 0 && self.c.get(self.i - 1) == Some(&'[');
        if neg {
            self.i += 1;
        }
        loop {
            self.skip_extended();
            let Some(ch) = self.peek() else {
                return err("Unclosed character class", self.c.len().saturating_sub(1));
            };
            match ch {
                '[' => {
                    self.i += 1;
                    let c = self.clazz(depth + 1, true)?;
                    curr = Some(c.clone());
                    prev = Some(union(prev.take(), c));
                    continue;
                }
                '&' if self.peek_at(1) == Some('&') => {
                    self.i += 2;
                    let mut right: Option<Set> = None;
                    loop {
                        self.skip_extended();
                        match self.peek() {
                            None => {
                                return err(
                                    "Unclosed character class",
                                    self.c.len().saturating_sub(1),
                                )
                            }
                            Some(']' | '&') => break,
                            Some('[') => {
                                self.i += 1;
                                let c = self.clazz(depth + 1, true)?;
                                right = Some(union(right.take(), c));
                            }
                            Some(_) => {
                                let c = self.clazz(depth + 1, false)?;
                                right = Some(union(right.take(), c));
                            }
                        }
                    }
                    if has_bits {
                        if prev.is_none() {
                            prev = Some(Set::Bits);
                            curr = Some(Set::Bits);
                        } else {
                            prev = Some(union(prev.take(), Set::Bits));
                        }
                        has_bits = false;
                    }
                    if let Some(r) = &right {
                        curr = Some(r.clone());
                    }
                    prev = Some(match (prev.take(), right, curr.clone()) {
                        (None, None, _) => return err("Bad class syntax", self.i - 1),
                        (None, Some(r), _) => r,
                        (Some(_), _, None) => return err("Bad intersection syntax", self.i - 1),
                        (Some(p), _, Some(c)) => Set::And(Box::new(p), Box::new(c)),
                    });
                    continue;
                }
                ']' if prev.is_some() || has_bits => {
                    if consume {
                        self.i += 1;
                    }
                    let out = match prev {
                        None => Set::Bits,
                        Some(p) if has_bits => union(Some(p), Set::Bits),
                        Some(p) => p,
                    };
                    let out = subst_bits(out, &bits);
                    return Ok(if neg { not(out) } else { out });
                }
                _ => {}
            }
            let item = self.class_item()?;
            if self.is_bit(&item) {
                bits.push(item);
                has_bits = true;
                curr = None;
            } else {
                curr = Some(item.clone());
                prev = Some(union(prev.take(), item));
            }
        }
    }

    /// Whether Java's `bitsOrSingle` puts this class item in the class's bit set: a single
    /// Latin-1 character, except those whose Unicode case mapping leaves Latin-1.
    fn is_bit(&self, s: &Set) -> bool {
        match s {
            Set::Single(c, _) => {
                let u = *c as u32;
                u < 256
                    && !(self.flags.i
                        && self.flags.u
                        && matches!(
                            u,
                            0xff | 0xb5 | 0x49 | 0x69 | 0x53 | 0x73 | 0x4b | 0x6b | 0xc5 | 0xe5
                        ))
            }
            _ => false,
        }
    }

    /// One character, range or escape inside a class (Java's `range`).
    fn class_item(&mut self) -> Result<Set, JavaRegexError> {
        let fold = self.fold();
        let lo = match self.peek() {
            Some('\\') => {
                self.i += 1;
                match self.escape_common(true)? {
                    Esc::Char(c) => c,
                    Esc::Set(s) => return Ok(s),
                }
            }
            Some(c) => {
                self.i += 1;
                c
            }
            None => return err("Unclosed character class", self.c.len().saturating_sub(1)),
        };
        if self.peek() == Some('-') {
            match self.peek_at(1) {
                Some('[') | Some(']') => {}
                // Java reads the end of the pattern as U+0000 ending the range.
                None if lo > '\0' => return err("Illegal character range", self.i + 1),
                None => {}
                Some(_) => {
                    self.i += 1;
                    let hi = match self.peek() {
                        Some('\\') => {
                            self.i += 1;
                            match self.escape_common(true)? {
                                Esc::Char(c) => c,
                                Esc::Set(_) => return err("Illegal character range", self.i - 1),
                            }
                        }
                        Some(c) => {
                            self.i += 1;
                            c
                        }
                        None => {
                            return err("Unclosed character class", self.c.len().saturating_sub(1))
                        }
                    };
                    if hi < lo {
                        return err("Illegal character range", self.i - 1);
                    }
                    return Ok(Set::Range(lo, hi, fold));
                }
            }
        }
        let (c, f) = self.char_fold(lo);
        Ok(Set::Single(c, f))
    }
}

fn unsupported(name: &str) -> String {
    format!(
        "Unknown or unsupported character property name {{{name}}}: POSIX classes, java* \
         properties, Unicode general categories (L, Lu, Nd, P, ...) and binary properties \
         (IsAlphabetic, IsWhite_Space, ...) are supported; Unicode scripts and blocks are not"
    )
}

/// `\p{IsX}` names Java resolves first (CharPredicates.forUnicodeProperty: binary properties,
/// then the Unicode POSIX names), upper-cased.
fn unicode_property(name: &str, ci: bool) -> Option<Set> {
    let p = |p| Some(Set::Prop(p));
    let cat = |m| Some(Set::Cat(m));
    match name {
        "ALPHABETIC" | "ALPHA" => p(Prop::Alphabetic),
        "ASSIGNED" => p(Prop::Assigned),
        "CONTROL" | "CNTRL" => cat(bit(gc::CC)),
        "HEXDIGIT" | "HEX_DIGIT" | "XDIGIT" => p(Prop::HexDigit),
        "JOINCONTROL" | "JOIN_CONTROL" => p(Prop::JoinControl),
        "LETTER" => cat(unicode::LETTER),
        "LOWERCASE" | "LOWER" => p(if ci { Prop::AnyCase } else { Prop::Lowercase }),
        "UPPERCASE" | "UPPER" => p(if ci { Prop::AnyCase } else { Prop::Uppercase }),
        "TITLECASE" => p(if ci { Prop::AnyCase } else { Prop::Titlecase }),
        "NONCHARACTERCODEPOINT" | "NONCHARACTER_CODE_POINT" => p(Prop::Noncharacter),
        "PUNCTUATION" | "PUNCT" => cat(bit(gc::PC)
            | bit(gc::PD)
            | bit(gc::PS)
            | bit(gc::PE)
            | bit(gc::PO)
            | bit(gc::PI)
            | bit(gc::PF)),
        "WHITESPACE" | "WHITE_SPACE" | "SPACE" => p(Prop::WhiteSpace),
        "WORD" => p(Prop::Word),
        "DIGIT" => cat(bit(gc::ND)),
        "ALNUM" => Some(Set::Union(vec![
            Set::Prop(Prop::Alphabetic),
            Set::Cat(bit(gc::ND)),
        ])),
        "BLANK" => p(Prop::Blank),
        "GRAPH" => p(Prop::Graph),
        "PRINT" => p(Prop::Print),
        _ => None,
    }
}

/// Names Java's `CharPredicates.forProperty` knows: general categories, POSIX (ASCII) classes,
/// `java*` methods of `Character`.
fn property_by_name(name: &str, ci: bool) -> Option<Set> {
    use gc::*;
    let cat = |m: u32| Some(Set::Cat(m));
    let r = |v: &[(char, char)]| Some(ranges(v));
    let cased = if ci {
        Some(unicode::CASED_LETTER)
    } else {
        None
    };
    const PUNCT: &[(char, char)] = &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')];
    match name {
        "Cn" => cat(bit(CN)),
        "Lu" => cat(cased.unwrap_or(bit(LU))),
        "Ll" => cat(cased.unwrap_or(bit(LL))),
        "Lt" => cat(cased.unwrap_or(bit(LT))),
        "Lm" => cat(bit(LM)),
        "Lo" => cat(bit(LO)),
        "Mn" => cat(bit(MN)),
        "Me" => cat(bit(ME)),
        "Mc" => cat(bit(MC)),
        "Nd" => cat(bit(ND)),
        "Nl" => cat(bit(NL)),
        "No" => cat(bit(NO)),
        "Zs" => cat(bit(ZS)),
        "Zl" => cat(bit(ZL)),
        "Zp" => cat(bit(ZP)),
        "Cc" => cat(bit(CC)),
        "Cf" => cat(bit(CF)),
        "Co" => cat(bit(CO)),
        "Cs" => cat(bit(CS)),
        "Pd" => cat(bit(PD)),
        "Ps" => cat(bit(PS)),
        "Pe" => cat(bit(PE)),
        "Pc" => cat(bit(PC)),
        "Po" => cat(bit(PO)),
        "Sm" => cat(bit(SM)),
        "Sc" => cat(bit(SC)),
        "Sk" => cat(bit(SK)),
        "So" => cat(bit(SO)),
        "Pi" => cat(bit(PI)),
        "Pf" => cat(bit(PF)),
        "L" => cat(unicode::LETTER),
        "M" => cat(bit(MN) | bit(ME) | bit(MC)),
        "N" => cat(bit(ND) | bit(NL) | bit(NO)),
        "Z" => cat(bit(ZS) | bit(ZL) | bit(ZP)),
        "C" => cat(bit(CC) | bit(CF) | bit(CO) | bit(CS) | bit(CN)),
        "P" => cat(bit(PD) | bit(PS) | bit(PE) | bit(PC) | bit(PO) | bit(PI) | bit(PF)),
        "S" => cat(bit(SM) | bit(SC) | bit(SK) | bit(SO)),
        "LC" => cat(unicode::CASED_LETTER),
        "LD" => cat(unicode::LETTER | bit(ND)),
        "L1" => r(&[('\0', '\u{FF}')]),
        "all" => Some(not(Set::Union(Vec::new()))),
        "ASCII" => r(&[('\0', '\u{7F}')]),
        "Alnum" => r(&[('a', 'z'), ('A', 'Z'), ('0', '9')]),
        "Alpha" => r(&[('a', 'z'), ('A', 'Z')]),
        "Blank" => r(&[(' ', ' '), ('\t', '\t')]),
        "Cntrl" => r(&[('\0', '\u{1F}'), ('\u{7F}', '\u{7F}')]),
        "Digit" => r(&[('0', '9')]),
        "Graph" => {
            let mut v = vec![('a', 'z'), ('A', 'Z'), ('0', '9')];
            v.extend_from_slice(PUNCT);
            r(&v)
        }
        "Lower" if ci => r(&[('a', 'z'), ('A', 'Z')]),
        "Lower" => r(&[('a', 'z')]),
        "Print" => r(&[(' ', '~')]),
        "Punct" => r(PUNCT),
        "Space" => r(&[('\t', '\r'), (' ', ' ')]),
        "Upper" if ci => r(&[('a', 'z'), ('A', 'Z')]),
        "Upper" => r(&[('A', 'Z')]),
        "XDigit" => r(&[('0', '9'), ('a', 'f'), ('A', 'F')]),
        "javaLowerCase" => Some(Set::Prop(if ci { Prop::AnyCase } else { Prop::Lowercase })),
        "javaUpperCase" => Some(Set::Prop(if ci { Prop::AnyCase } else { Prop::Uppercase })),
        "javaTitleCase" => Some(Set::Prop(if ci { Prop::AnyCase } else { Prop::Titlecase })),
        "javaAlphabetic" => Some(Set::Prop(Prop::Alphabetic)),
        "javaDigit" => cat(bit(ND)),
        "javaDefined" => Some(Set::Prop(Prop::Assigned)),
        "javaLetter" => cat(unicode::LETTER),
        "javaLetterOrDigit" => cat(unicode::LETTER | bit(ND)),
        "javaSpaceChar" => cat(bit(ZS) | bit(ZL) | bit(ZP)),
        "javaWhitespace" => Some(Set::Prop(Prop::JavaWhitespace)),
        "javaISOControl" => r(&[('\0', '\u{1F}'), ('\u{7F}', '\u{9F}')]),
        // Character.isIdentifierIgnorable / isJavaIdentifierStart / isJavaIdentifierPart.
        "javaIdentifierIgnorable" => Some(Set::Union(vec![
            ranges(&[('\0', '\u{8}'), ('\u{E}', '\u{1B}'), ('\u{7F}', '\u{9F}')]),
            Set::Cat(bit(CF)),
        ])),
        "javaJavaIdentifierStart" => cat(unicode::LETTER | bit(NL) | bit(SC) | bit(PC)),
        "javaJavaIdentifierPart" => Some(Set::Union(vec![
            Set::Cat(unicode::LETTER | bit(NL) | bit(SC) | bit(PC) | bit(ND) | bit(MC) | bit(MN)),
            ranges(&[('\0', '\u{8}'), ('\u{E}', '\u{1B}'), ('\u{7F}', '\u{9F}')]),
            Set::Cat(bit(CF)),
        ])),
        _ => None,
    }
}
