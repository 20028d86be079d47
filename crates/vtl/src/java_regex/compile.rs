//! The parsed tree ([`Node`]) into a program for the backtracking matcher ([`super::exec`]).
//!
//! Counted repetitions of a multi-character body are unrolled (bounded by [`MAX_INSTS`]);
//! repetitions of one character or class become one instruction that the matcher runs as a
//! loop, giving characters back one at a time (Java's `Curly`), so `.*` over megabytes needs
//! one backtrack entry, not one per character.

use super::parse::{Assert, Fold, Node, RepKind, Set, INF};
use super::JavaRegexError;

/// Largest program accepted (instructions), so `(a{1000}){1000}` is an error, not a 10^6
/// instruction program.
pub(super) const MAX_INSTS: usize = 50_000;
/// Tree nodes visited while compiling (unrolled repetitions visit their body again).
const MAX_COMPILE_WORK: usize = 1_000_000;

/// What one-character instructions test.
#[derive(Clone, Copy, Debug)]
pub(super) enum One {
    Char(char),
    Fold(char, Fold),
    /// Index into [`Prog::sets`].
    Set(u32),
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Inst {
    One(One),
    /// `min..=max` repetitions of one character (`max == INF`: unbounded).
    RepeatOne {
        one: One,
        min: u32,
        max: u32,
        kind: RepKind,
    },
    Assert(Assert),
    GroupStart(u32),
    GroupEnd(u32),
    /// Continue at the first target; on failure, at the second.
    Split(u32, u32),
    Jmp(u32),
    /// Records where a loop iteration starts (loop register `r`), for [`Inst::RepCheck`].
    RepStart(u32),
    /// End of an iteration of a loop whose body can match empty: an empty iteration leaves
    /// the loop (to the next instruction) like Java's `Loop`; otherwise jump back.
    RepCheck {
        reg: u32,
        back: u32,
    },
    /// Another iteration of a memoized greedy loop (Java's Loop with posIndex): skipped to
    /// `exit` when an iteration already failed at this position during this search.
    MemoSplit {
        id: u32,
        next: u32,
        exit: u32,
    },
    /// End of an iteration of a Java Loop: if it matched empty, jump to `exit` (past the
    /// whole repetition), else go on.
    RepCheckExit {
        reg: u32,
        exit: u32,
    },
    /// Start of an atomic group or lookaround (mark `id`, see [`Prog::looks`]); `behind` =
    /// Some((min, max, units16)): a lookbehind whose body is min..=max characters long,
    /// counted in UTF-16 units when `units16` (as Java does), else in code points.
    LookStart {
        id: u32,
        behind: Option<(u32, u32, bool)>,
    },
    /// The body of a lookbehind must end where the lookbehind started.
    BehindEnd(u32),
    LookEnd(u32),
    Backref(u32, Fold),
    Match,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LookKind {
    Atomic,
    Pos,
    Neg,
}

/// Characters a match can start with (ASCII exactly, everything else as one flag).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FirstSet {
    pub ascii: [u64; 2],
    pub non_ascii: bool,
}

impl FirstSet {
    fn all() -> FirstSet {
        FirstSet {
            ascii: [u64::MAX; 2],
            non_ascii: true,
        }
    }
    fn add_ascii(&mut self, c: char) {
        let u = c as u32;
        if u < 128 {
            self.ascii[(u / 64) as usize] |= 1 << (u % 64);
        } else {
            self.non_ascii = true;
        }
    }
    fn union(&mut self, o: &FirstSet) {
        self.ascii[0] |= o.ascii[0];
        self.ascii[1] |= o.ascii[1];
        self.non_ascii |= o.non_ascii;
    }
    pub(super) fn has_ascii(&self, b: u8) -> bool {
        b < 128 && self.ascii[(b / 64) as usize] & (1 << (b % 64)) != 0
    }
}

/// A compiled class with its ASCII members precomputed.
#[derive(Clone, Debug)]
pub(super) struct CSet {
    pub ascii: [u64; 2],
    pub set: Set,
}

impl CSet {
    #[inline]
    pub(super) fn matches(&self, c: char) -> bool {
        let u = c as u32;
        if u < 128 {
            self.ascii[(u / 64) as usize] & (1 << (u % 64)) != 0
        } else {
            self.set.matches(c)
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Prog {
    pub insts: Vec<Inst>,
    pub sets: Vec<CSet>,
    pub groups: usize,
    pub regs: usize,
    pub marks: usize,
    /// Per atomic group / lookaround (mark id): its kind and the instruction after it.
    pub looks: Vec<(LookKind, u32)>,
    /// Memoized greedy loops ([`Inst::MemoSplit`]).
    pub memos: usize,
    /// Characters every match starts with, when the pattern cannot match empty.
    pub first: Option<FirstSet>,
    /// A literal every match starts with (case-sensitive), for a substring scan.
    pub prefix: String,
    /// Matches can only start at index 0 (the pattern starts with `\A` or `^` without `m`).
    pub anchored: bool,
    /// The whole pattern is this case-sensitive literal (no groups): searched with `str::find`.
    pub literal: Option<String>,
}

struct Compiler {
    insts: Vec<Inst>,
    sets: Vec<CSet>,
    regs: u32,
    marks: u32,
    looks: Vec<(LookKind, u32)>,
    work: usize,
    /// The pattern has no backreference (Java memoizes greedy loops only then).
    memo_ok: bool,
    /// Nesting of repetition bodies and lookbehinds being compiled.
    no_memo: u32,
    memos: u32,
}

fn too_big<T>() -> Result<T, JavaRegexError> {
    Err(JavaRegexError {
        message: format!(
            "pattern is too large once compiled (more than {MAX_INSTS} instructions once \
             counted repetitions are unrolled)"
        ),
        offset: 0,
    })
}

pub(super) fn compile(node: &Node, groups: usize) -> Result<Prog, JavaRegexError> {
    let mut c = Compiler {
        insts: Vec::new(),
        sets: Vec::new(),
        regs: 0,
        marks: 0,
        looks: Vec::new(),
        work: 0,
        memo_ok: !has_backref(node),
        no_memo: 0,
        memos: 0,
    };
    c.node(node)?;
    c.push(Inst::Match)?;
    let (first, can_be_empty) = first_set(node);
    Ok(Prog {
        insts: c.insts,
        sets: c.sets,
        groups,
        regs: c.regs as usize,
        marks: c.marks as usize,
        looks: c.looks,
        memos: c.memos as usize,
        first: if can_be_empty { None } else { Some(first) },
        prefix: literal_prefix(node),
        literal: match node {
            Node::Char(_, Fold::None) | Node::Cat(_) => {
                let p = literal_prefix(node);
                let n = match node {
                    Node::Cat(v) => v.len(),
                    _ => 1,
                };
                (p.chars().count() == n).then_some(p)
            }
            _ => None,
        },
        anchored: starts_anchored(node),
    })
}

impl Prog {
    pub(super) fn look_info(&self, id: u32) -> (LookKind, u32) {
        self.looks
            .get(id as usize)
            .copied()
            .unwrap_or((LookKind::Atomic, 0))
    }
}

impl Compiler {
    fn push(&mut self, i: Inst) -> Result<u32, JavaRegexError> {
        if self.insts.len() >= MAX_INSTS {
            return too_big();
        }
        self.insts.push(i);
        Ok((self.insts.len() - 1) as u32)
    }

    fn pc(&self) -> u32 {
        self.insts.len() as u32
    }

    fn patch(&mut self, at: u32, i: Inst) {
        if let Some(slot) = self.insts.get_mut(at as usize) {
            *slot = i;
        }
    }

    fn set(&mut self, s: &Set) -> u32 {
        let mut ascii = [0u64; 2];
        for b in 0u8..128 {
            if s.matches(b as char) {
                ascii[(b / 64) as usize] |= 1 << (b % 64);
            }
        }
        self.sets.push(CSet {
            ascii,
            set: s.clone(),
        });
        (self.sets.len() - 1) as u32
    }

    fn one(&mut self, n: &Node) -> Option<One> {
        match n {
            Node::Char(c, Fold::None) => Some(One::Char(*c)),
            Node::Char(c, f) => Some(One::Fold(*c, *f)),
            Node::Class(s) => Some(One::Set(self.set(s))),
            _ => None,
        }
    }

    fn node(&mut self, n: &Node) -> Result<(), JavaRegexError> {
        // Unrolling can visit nodes that emit nothing (`(?:(?:(?:){1000}){1000}){1000}`), so
        // the work is bounded too, not only the program.
        self.work += 1;
        if self.work > MAX_COMPILE_WORK {
            return too_big();
        }
        match n {
            Node::Empty => {}
            Node::Char(..) | Node::Class(_) => {
                if let Some(o) = self.one(n) {
                    self.push(Inst::One(o))?;
                }
            }
            Node::Assert(a) => {
                self.push(Inst::Assert(*a))?;
            }
            Node::Group(inner, g) => {
                self.push(Inst::GroupStart(*g as u32))?;
                self.node(inner)?;
                self.push(Inst::GroupEnd(*g as u32))?;
            }
            Node::Cat(v) => {
                for x in v {
                    self.node(x)?;
                }
            }
            Node::Alt(v) => {
                // Split(a, next) a Jmp(end) Split(b, next) b Jmp(end) ... last
                let mut jumps = Vec::new();
                for (k, x) in v.iter().enumerate() {
                    if k + 1 < v.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.node(x)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.pc();
                        self.patch(split, Inst::Split(split + 1, next));
                    } else {
                        self.node(x)?;
                    }
                }
                let end = self.pc();
                for j in jumps {
                    self.patch(j, Inst::Jmp(end));
                }
            }
            Node::Repeat {
                node,
                min,
                max,
                kind,
                ..
            } => {
                // Loops nested in a repeated group are not memoized by Java.
                self.no_memo += 1;
                let r = self.repeat(node, *min, *max, *kind);
                self.no_memo -= 1;
                r?
            }
            Node::Atomic(inner) => self.look(inner, LookKind::Atomic, None)?,
            Node::Look {
                node,
                behind,
                neg,
                units16,
            } => {
                let kind = if *neg { LookKind::Neg } else { LookKind::Pos };
                // Nor loops inside a lookbehind.
                let nm = u32::from(*behind);
                self.no_memo += nm;
                let b = if *behind {
                    let max = max_len(node).unwrap_or(0);
                    Some((min_len(node).min(max), max, *units16))
                } else {
                    None
                };
                let r = self.look(node, kind, b);
                self.no_memo -= nm;
                r?
            }
            Node::Backref(g, f) => {
                self.push(Inst::Backref(*g as u32, *f))?;
            }
            Node::LineBreak => self.node(&super::parse::line_break())?,
        }
        Ok(())
    }

    fn look(
        &mut self,
        inner: &Node,
        kind: LookKind,
        behind: Option<(u32, u32, bool)>,
    ) -> Result<(), JavaRegexError> {
        let id = self.marks;
        self.marks += 1;
        self.looks.push((kind, 0));
        let start = self.push(Inst::Jmp(0))?;
        self.node(inner)?;
        if behind.is_some() {
            self.push(Inst::BehindEnd(id))?;
        }
        self.push(Inst::LookEnd(id))?;
        let next = self.pc();
        if let Some(l) = self.looks.get_mut(id as usize) {
            l.1 = next;
        }
        self.patch(start, Inst::LookStart { id, behind });
        Ok(())
    }

    /// One iteration of a repeated body; with `loop_empty`, an empty iteration leaves the
    /// repetition (its exit is patched by the caller).
    fn iteration(
        &mut self,
        n: &Node,
        loop_empty: bool,
        exits: &mut Vec<(u32, u32)>,
    ) -> Result<(), JavaRegexError> {
        if !loop_empty {
            return self.node(n);
        }
        let r = self.regs;
        self.regs += 1;
        self.push(Inst::RepStart(r))?;
        self.node(n)?;
        let x = self.push(Inst::RepCheckExit { reg: r, exit: 0 })?;
        exits.push((x, r));
        Ok(())
    }

    fn repeat(
        &mut self,
        n: &Node,
        min: u32,
        max: u32,
        kind: RepKind,
    ) -> Result<(), JavaRegexError> {
        if let Some(one) = self.one(n) {
            self.push(Inst::RepeatOne {
                one,
                min,
                max,
                kind,
            })?;
            return Ok(());
        }
        if kind == RepKind::Possessive {
            // Java keeps a plain Curly over the group: every iteration is one independent
            // match of the body, and the count never backs off: (?>(?>X)*).
            let greedy = Node::Repeat {
                node: Box::new(Node::Atomic(Box::new(n.clone()))),
                min,
                max,
                kind: RepKind::Greedy,
                ques: false,
            };
            // A possessive Curly is no Loop: never memoized.
            self.no_memo += 1;
            let r = self.look(&greedy, LookKind::Atomic, None);
            self.no_memo -= 1;
            return r;
        }
        let lazy = kind == RepKind::Lazy;
        // Java runs a repeated body with alternatives or variable parts as a Loop, which ends
        // at the first iteration that matched empty, even below the minimum count: `(x\1|)+`
        // stops after its empty first iteration. `exits` jump past the whole repetition.
        let loop_empty = min_len(n) == 0 && !deterministic(n);
        let mut exits = Vec::new();
        for _ in 0..min {
            self.iteration(n, loop_empty, &mut exits)?;
        }
        if max_len(n) == Some(0)
            && deterministic(n)
            && !(min == 0 && max == 1)
            && !matches!(n, Node::Look { .. } | Node::Atomic(_))
        {
            // Java runs such a loop as GroupCurly, which drops an iteration that matched
            // empty: past the mandatory ones, `(\b)*` never records its group. Not so a `?`
            // (a Ques records it: `(x{0})??\1` matches), a quantified lookaround or a
            // possessive iteration (a Curly over them keeps what the one attempt captured).
            return Ok(());
        }
        if max == INF {
            let empty_ok = min_len(n) == 0;
            // Java 9+ remembers, per search, the positions where another iteration of a
            // top-level greedy Loop failed and does not try them again (Pattern.Loop.posIndex;
            // only without backreferences, and not for loops inside a quantified group or a
            // lookbehind), which makes `(a+)+b` linear. The first iteration of a `*` loop
            // (Java's matchInit) is not remembered.
            let memo = if !lazy && self.memo_ok && self.no_memo == 1 && !deterministic(n) {
                let id = self.memos;
                self.memos += 1;
                if min == 0 {
                    let here = self.pc();
                    self.push(Inst::Split(here + 2, 0))?;
                    Some((id, Some(here)))
                } else {
                    Some((id, None))
                }
            } else {
                None
            };
            let l = self.push(Inst::Split(0, 0))?;
            let reg = if empty_ok {
                let r = self.regs;
                self.regs += 1;
                self.push(Inst::RepStart(r))?;
                Some(r)
            } else {
                None
            };
            self.node(n)?;
            match reg {
                Some(r) => {
                    self.push(Inst::RepCheck { reg: r, back: l })?;
                }
                None => {
                    self.push(Inst::Jmp(l))?;
                }
            }
            let e = self.pc();
            match memo {
                Some((id, entry)) => {
                    if let Some(first) = entry {
                        self.patch(first, Inst::Split(l + 1, e));
                    }
                    self.patch(
                        l,
                        Inst::MemoSplit {
                            id,
                            next: l + 1,
                            exit: e,
                        },
                    );
                }
                None => self.patch(
                    l,
                    if lazy {
                        Inst::Split(e, l + 1)
                    } else {
                        Inst::Split(l + 1, e)
                    },
                ),
            }
        } else {
            let mut splits = Vec::new();
            for _ in min..max {
                splits.push(self.push(Inst::Split(0, 0))?);
                self.iteration(n, loop_empty, &mut exits)?;
            }
            let e = self.pc();
            for s in splits {
                self.patch(
                    s,
                    if lazy {
                        Inst::Split(e, s + 1)
                    } else {
                        Inst::Split(s + 1, e)
                    },
                );
            }
        }
        let end = self.pc();
        for (x, reg) in exits {
            self.patch(x, Inst::RepCheckExit { reg, exit: end });
        }
        Ok(())
    }
}

/// Shortest match length in characters (Java's `TreeInfo.minLength`).
pub(super) fn min_len(n: &Node) -> u32 {
    match n {
        Node::Empty | Node::Assert(_) | Node::Look { .. } | Node::Backref(..) => 0,
        Node::LineBreak => 1,
        Node::Char(..) | Node::Class(_) => 1,
        Node::Group(i, _) | Node::Atomic(i) => min_len(i),
        Node::Cat(v) => v.iter().fold(0u32, |a, x| a.saturating_add(min_len(x))),
        Node::Alt(v) => v.iter().map(min_len).min().unwrap_or(0),
        Node::Repeat { node, min, .. } => min_len(node).saturating_mul(*min),
    }
}

/// Longest match length in characters, `None` when unbounded (Java's `TreeInfo.maxValid`):
/// what a lookbehind needs.
pub(super) fn max_len(n: &Node) -> Option<u32> {
    match n {
        Node::Empty | Node::Assert(_) | Node::Look { .. } => Some(0),
        Node::Backref(..) => None,
        Node::LineBreak => Some(2),
        Node::Char(..) | Node::Class(_) => Some(1),
        Node::Group(i, _) | Node::Atomic(i) => max_len(i),
        Node::Cat(v) => v
            .iter()
            .try_fold(0u32, |a, x| max_len(x).map(|m| a.saturating_add(m))),
        Node::Alt(v) => v.iter().try_fold(0u32, |a, x| max_len(x).map(|m| a.max(m))),
        Node::Repeat {
            node,
            max,
            ques,
            kind,
            ..
        } => {
            if *max == INF {
                match **node {
                    // Java 17 lets `x*`, `x+`, `x{n,}` of one character through (its
                    // CharPropertyGreedy adds MAX_REPS to the maximum, which then wraps
                    // around; the lookbehind ends up trying every start back to the input's
                    // beginning); a repeated group has no obvious maximum.
                    Node::Char(..) | Node::Class(_) => Some(INF),
                    _ if !deterministic(node) => None,
                    _ => match max_len(node) {
                        Some(0) => Some(0),
                        _ => None,
                    },
                }
            } else if !*ques
                && *kind != RepKind::Possessive
                && !matches!(
                    **node,
                    Node::Char(..) | Node::Class(_) | Node::Atomic(_) | Node::LineBreak
                )
                && !deterministic(node)
            {
                // Java's Loop (a greedy `{..}` of a group with alternatives or variable parts
                // inside) has no obvious maximum, even when bounded: `(?<=(?:ab|c){1,2})` is
                // an error. Possessive ones stay a Curly (no Loop) and are accepted.
                None
            } else {
                max_len(node).map(|m| m.saturating_mul(*max))
            }
        }
    }
}

fn has_backref(n: &Node) -> bool {
    match n {
        Node::Backref(..) => true,
        Node::Group(i, _) | Node::Atomic(i) => has_backref(i),
        Node::Repeat { node, .. } | Node::Look { node, .. } => has_backref(node),
        Node::Cat(v) | Node::Alt(v) => v.iter().any(has_backref),
        _ => false,
    }
}

/// Java's `TreeInfo.deterministic`: no alternatives and no variable repetition inside.
pub(super) fn deterministic(n: &Node) -> bool {
    match n {
        Node::Empty
        | Node::Char(..)
        | Node::Class(_)
        | Node::Assert(_)
        | Node::Backref(..)
        | Node::LineBreak => true,
        Node::Look { .. } => true,
        Node::Group(i, _) | Node::Atomic(i) => deterministic(i),
        Node::Cat(v) => v.iter().all(deterministic),
        Node::Alt(_) => false,
        Node::Repeat { node, min, max, .. } => min == max && deterministic(node),
    }
}

/// First characters of a match and whether the node can match empty.
fn first_set(n: &Node) -> (FirstSet, bool) {
    let mut f = FirstSet::default();
    match n {
        Node::Empty | Node::Assert(_) | Node::Look { .. } => (f, true),
        Node::Backref(..) => (FirstSet::all(), true),
        Node::LineBreak => first_set(&super::parse::line_break()),
        Node::Char(ch, fold) => match fold {
            Fold::None => {
                f.add_ascii(*ch);
                (f, false)
            }
            Fold::Ascii => {
                f.add_ascii(ch.to_ascii_lowercase());
                f.add_ascii(ch.to_ascii_uppercase());
                (f, false)
            }
            // `k` also matches U+212A KELVIN SIGN, `s` U+017F: anything non-ASCII may start.
            Fold::Unicode => (FirstSet::all(), false),
        },
        Node::Class(s) => {
            for b in 0u8..128 {
                if s.matches(b as char) {
                    f.add_ascii(b as char);
                }
            }
            f.non_ascii = true;
            (f, false)
        }
        Node::Group(i, _) | Node::Atomic(i) => first_set(i),
        Node::Cat(v) => {
            for x in v {
                let (g, e) = first_set(x);
                f.union(&g);
                if !e {
                    return (f, false);
                }
            }
            (f, true)
        }
        Node::Alt(v) => {
            let mut empty = false;
            for x in v {
                let (g, e) = first_set(x);
                f.union(&g);
                empty |= e;
            }
            (f, empty)
        }
        Node::Repeat { node, min, .. } => {
            let (g, e) = first_set(node);
            (g, e || *min == 0)
        }
    }
}

/// A case-sensitive literal that every match begins with.
fn literal_prefix(n: &Node) -> String {
    let mut out = String::new();
    let items: &[Node] = match n {
        Node::Cat(v) => v,
        other => std::slice::from_ref(other),
    };
    for x in items {
        match x {
            Node::Char(c, Fold::None) => out.push(*c),
            _ => break,
        }
    }
    out
}

fn starts_anchored(n: &Node) -> bool {
    match n {
        Node::Assert(Assert::Begin) => true,
        Node::Cat(v) => v.first().is_some_and(starts_anchored),
        Node::Group(i, _) | Node::Atomic(i) => starts_anchored(i),
        _ => false,
    }
}
