//! The backtracking matcher: Java's engine is itself a backtracker, so alternation order,
//! greedy/lazy choices and capture values come out as Java's. Backtracking state lives on an
//! explicit heap stack with a size bound, and every instruction costs one step of a budget:
//! no native recursion, no hang, no stack overflow, whatever the pattern and input.

use super::compile::{Inst, LookKind, One, Prog};
use super::parse::{is_line_terminator, Assert, Fold, RepKind, INF};
use super::unicode;

/// Backtrack entries allowed (16 bytes each: 64 MiB). Java throws StackOverflowError much
/// earlier on patterns like `(a|b)*` over long inputs; we go further, then stop cleanly.
pub(super) const MAX_STACK: usize = 1 << 22;

const NONE: u32 = u32::MAX;

/// Why a search stopped without an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    /// The step budget ran out (catastrophic backtracking, or simply too much work).
    Steps,
    /// The backtrack stack passed [`MAX_STACK`].
    Stack,
}

#[derive(Clone, Copy, Debug)]
enum Bt {
    /// Resume at `pc` with `pos`.
    Alt { pc: u32, pos: u32 },
    /// Restore a group's committed bounds.
    Group { g: u32, start: u32, end: u32 },
    /// Restore a group's pending start.
    GStart { g: u32, old: u32 },
    /// Restore a loop register.
    Reg { r: u32, old: u32 },
    /// Start of an atomic group or lookaround body; popping it means the body failed.
    Mark { id: u32 },
    /// A greedy one-character loop at `pc` that matched `count` times ending at `pos`: it may
    /// give back one character.
    Greedy { pc: u32, pos: u32, count: u32 },
    /// A lazy one-character loop at `pc` stopped after `count` at `pos`: it may take one more.
    Lazy { pc: u32, pos: u32, count: u32 },
    /// The iteration a memoized loop started at `pos` failed: remember `pos` for loop `id`,
    /// then leave the loop at `pc`.
    MemoAlt { pc: u32, pos: u32, id: u32 },
    /// A lookbehind at `pc` started its body at `pos`, `units` back from where it stands;
    /// earlier starts remain while `units` is below its maximum.
    Behind { pc: u32, pos: u32, units: u32 },
}

/// Reusable matcher state: captures and stacks survive from one search to the next, so
/// iterating over matches allocates nothing per match.
pub(crate) struct Exec<'p> {
    prog: &'p Prog,
    /// Group bounds as byte offsets (`NONE` = did not participate); group 0 included.
    pub slots: Vec<u32>,
    gstart: Vec<u32>,
    regs: Vec<u32>,
    /// Per atomic/lookaround: stack height of its mark and the position it started at.
    marks: Vec<(u32, u32)>,
    stack: Vec<Bt>,
    /// Per memoized loop: a bit per input position where an iteration failed (this search),
    /// allocated on first use; `memo_dirty` lists the words to clear for the next search.
    memo: Vec<Vec<u64>>,
    memo_dirty: Vec<(u32, u32)>,
    /// Steps used so far and the most allowed.
    pub steps: u64,
    pub max_steps: u64,
}

#[inline]
fn char_at(s: &str, pos: usize) -> Option<char> {
    let b = *s.as_bytes().get(pos)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        s.get(pos..)?.chars().next()
    }
}

#[inline]
fn char_before(s: &str, pos: usize) -> Option<char> {
    s.get(..pos)?.chars().next_back()
}

#[inline]
fn one_matches(prog: &Prog, one: One, c: char) -> bool {
    match one {
        One::Char(x) => x == c,
        One::Fold(x, Fold::Ascii) => x == c || (c.is_ascii() && c.to_ascii_lowercase() == x),
        One::Fold(x, Fold::Unicode) => x == c || unicode::fold_unicode(c) == x,
        One::Fold(x, Fold::None) => x == c,
        One::Set(i) => prog.sets.get(i as usize).is_some_and(|s| s.matches(c)),
    }
}

/// Length of `c` as a lookbehind counts it: UTF-16 units, or 1 per code point.
#[inline]
fn width(c: char, units16: bool) -> u32 {
    if units16 {
        c.len_utf16() as u32
    } else {
        1
    }
}

/// Java's `\b` word test (8-17): letters, digits and `_`, plus a non-spacing mark that
/// follows a word character (`Bound.hasBaseCharacter`).
fn is_word_at(s: &str, c: char, pos: usize, uword: bool) -> bool {
    if uword && super::parse::Set::Prop(super::parse::Prop::Word).matches(c) {
        return true;
    }
    if !uword && (c == '_' || unicode::is_letter_or_digit(c)) {
        return true;
    }
    if unicode::general_category(c) != unicode::gc::MN {
        return false;
    }
    // Look back over further marks for a base letter or digit (bounded by the input).
    let mut it = s.get(..pos).unwrap_or("").chars().rev();
    loop {
        match it.next() {
            Some(b) if unicode::is_letter_or_digit(b) => return true,
            Some(b) if unicode::general_category(b) == unicode::gc::MN => continue,
            _ => return false,
        }
    }
}

fn word_boundary(s: &str, pos: usize, uword: bool) -> bool {
    let left = char_before(s, pos).is_some_and(|c| is_word_at(s, c, pos - c.len_utf8(), uword));
    let right = char_at(s, pos).is_some_and(|c| is_word_at(s, c, pos, uword));
    left != right
}

/// Java's `Dollar` / `UnixDollar`.
fn dollar(s: &str, pos: usize, multiline: bool, unix: bool) -> bool {
    let b = s.as_bytes();
    let end = s.len();
    if unix {
        return match char_at(s, pos) {
            None => true,
            Some('\n') => multiline || pos + 1 == end,
            Some(_) => false,
        };
    }
    if !multiline {
        // Only the end, or before a final line terminator (a final "\r\n" counts as one).
        if pos + 2 == end && b.get(pos) == Some(&b'\r') && b.get(pos + 1) == Some(&b'\n') {
            return true;
        }
    }
    match char_at(s, pos) {
        None => true,
        Some(c) if is_line_terminator(c) => {
            // Never between the \r and \n of a "\r\n".
            if c == '\n' && pos > 0 && b.get(pos - 1) == Some(&b'\r') {
                return false;
            }
            multiline || pos + c.len_utf8() == end
        }
        Some(_) => false,
    }
}

/// Java's `Caret` (multiline `^`): after any line terminator except between "\r\n", never at
/// the very end of the input.
fn caret(s: &str, pos: usize, unix: bool) -> bool {
    if pos == s.len() {
        return false;
    }
    match char_before(s, pos) {
        None => true,
        Some(p) if unix => p == '\n',
        Some(p) => is_line_terminator(p) && !(p == '\r' && s.as_bytes().get(pos) == Some(&b'\n')),
    }
}

impl<'p> Exec<'p> {
    pub(crate) fn new(prog: &'p Prog, max_steps: u64) -> Exec<'p> {
        Exec {
            prog,
            slots: vec![NONE; 2 * (prog.groups + 1)],
            gstart: vec![NONE; prog.groups + 1],
            regs: vec![NONE; prog.regs],
            marks: vec![(0, 0); prog.marks],
            stack: Vec::new(),
            memo: vec![Vec::new(); prog.memos],
            memo_dirty: Vec::new(),
            steps: 0,
            max_steps,
        }
    }

    /// Byte range of group `g` in the last successful match.
    pub(crate) fn group(&self, g: usize) -> Option<(usize, usize)> {
        let s = *self.slots.get(2 * g)?;
        let e = *self.slots.get(2 * g + 1)?;
        (s != NONE && e != NONE).then_some((s as usize, e as usize))
    }

    /// Java's `Matcher.find` from byte `from` (`last`: where the previous match ended, for
    /// `\G`). On success the slots hold the match.
    pub(crate) fn find(&mut self, s: &str, from: usize, last: usize) -> Result<bool, Limit> {
        let prog = self.prog;
        let bytes = s.as_bytes();
        let mut pos = from;
        // Once per search, not per start position: like Java's Matcher.search, captures that
        // an independent node kept during a failed attempt at an earlier start stay visible,
        // and failed loop positions stay remembered.
        self.slots.fill(NONE);
        self.clear_memo();
        if let Some(lit) = &prog.literal {
            // A plain literal (`,`, `\n`, `foo`): one substring search, no matcher run.
            let hit = s.get(from..).and_then(|t| find_literal(t, lit));
            self.steps += 1 + hit.unwrap_or(s.len().saturating_sub(from)) as u64 / 16;
            if self.steps > self.max_steps {
                return Err(Limit::Steps);
            }
            return Ok(match hit {
                Some(k) => {
                    self.slots[0] = (from + k) as u32;
                    self.slots[1] = (from + k + lit.len()) as u32;
                    true
                }
                None => false,
            });
        }
        if prog.anchored {
            if from > 0 {
                return Ok(false);
            }
            return self.run(s, 0, last, false);
        }
        loop {
            if pos > s.len() {
                return Ok(false);
            }
            // Skip to a possible start.
            if !prog.prefix.is_empty() {
                match s.get(pos..).and_then(|t| find_literal(t, &prog.prefix)) {
                    Some(k) => pos += k,
                    None => return Ok(false),
                }
            } else if let Some(first) = &prog.first {
                while let Some(&b) = bytes.get(pos) {
                    if b < 0x80 {
                        if first.has_ascii(b) {
                            break;
                        }
                    } else if first.non_ascii {
                        break;
                    }
                    pos += 1;
                    self.steps += 1;
                }
                if pos >= s.len() {
                    return Ok(false);
                }
            }
            if self.run(s, pos, last, false)? {
                return Ok(true);
            }
            match char_at(s, pos) {
                Some(c) => pos += c.len_utf8(),
                None => return Ok(false),
            }
        }
    }

    /// Java's `Matcher.matches`: the whole input.
    pub(crate) fn matches(&mut self, s: &str) -> Result<bool, Limit> {
        self.slots.fill(NONE);
        self.clear_memo();
        self.run(s, 0, 0, true)
    }

    fn fail_steps(&self) -> Result<bool, Limit> {
        Err(Limit::Steps)
    }

    /// Runs the program anchored at `start`.
    fn run(&mut self, s: &str, start: usize, last: usize, whole: bool) -> Result<bool, Limit> {
        let prog = self.prog;
        let insts = &prog.insts[..];
        self.stack.clear();
        self.gstart.fill(NONE);
        self.regs.fill(NONE);
        let mut pc: usize = 0;
        let mut pos: usize = start;
        loop {
            self.steps += 1;
            if self.steps > self.max_steps {
                return self.fail_steps();
            }
            if self.stack.len() > MAX_STACK {
                return Err(Limit::Stack);
            }
            let Some(inst) = insts.get(pc) else {
                return Ok(false);
            };
            let ok = match *inst {
                Inst::One(one) => match char_at(s, pos) {
                    Some(c) if one_matches(prog, one, c) => {
                        pos += c.len_utf8();
                        pc += 1;
                        true
                    }
                    _ => false,
                },
                Inst::RepeatOne {
                    one,
                    min,
                    max,
                    kind,
                } => {
                    // The mandatory part first.
                    let mut count = 0u32;
                    let mut ok = true;
                    while count < min {
                        match char_at(s, pos) {
                            Some(c) if one_matches(prog, one, c) => {
                                pos += c.len_utf8();
                                count += 1;
                            }
                            _ => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    self.steps += count as u64;
                    if ok {
                        match kind {
                            RepKind::Lazy => {
                                if count < max {
                                    self.stack.push(Bt::Lazy {
                                        pc: pc as u32,
                                        pos: pos as u32,
                                        count,
                                    });
                                }
                            }
                            RepKind::Greedy | RepKind::Possessive => {
                                let base = count;
                                while count < max {
                                    match char_at(s, pos) {
                                        Some(c) if one_matches(prog, one, c) => {
                                            pos += c.len_utf8();
                                            count += 1;
                                        }
                                        _ => break,
                                    }
                                }
                                self.steps += (count - base) as u64;
                                if kind == RepKind::Greedy && count > min {
                                    self.stack.push(Bt::Greedy {
                                        pc: pc as u32,
                                        pos: pos as u32,
                                        count,
                                    });
                                }
                            }
                        }
                        pc += 1;
                    }
                    ok
                }
                Inst::Assert(a) => {
                    let ok = match a {
                        Assert::Begin => pos == 0,
                        Assert::End => pos == s.len(),
                        Assert::Caret { unix } => caret(s, pos, unix),
                        Assert::Dollar { multiline, unix } => dollar(s, pos, multiline, unix),
                        Assert::WordBoundary { unicode } => word_boundary(s, pos, unicode),
                        Assert::NotWordBoundary { unicode } => !word_boundary(s, pos, unicode),
                        Assert::LastMatch => pos == last,
                    };
                    pc += 1;
                    ok
                }
                Inst::GroupStart(g) => {
                    let old = self.gstart[g as usize];
                    self.stack.push(Bt::GStart { g, old });
                    self.gstart[g as usize] = pos as u32;
                    pc += 1;
                    true
                }
                Inst::GroupEnd(g) => {
                    let (a, b) = (2 * g as usize, 2 * g as usize + 1);
                    self.stack.push(Bt::Group {
                        g,
                        start: self.slots[a],
                        end: self.slots[b],
                    });
                    self.slots[a] = self.gstart[g as usize];
                    self.slots[b] = pos as u32;
                    pc += 1;
                    true
                }
                Inst::Split(a, b) => {
                    self.stack.push(Bt::Alt {
                        pc: b,
                        pos: pos as u32,
                    });
                    pc = a as usize;
                    true
                }
                Inst::Jmp(a) => {
                    pc = a as usize;
                    true
                }
                Inst::RepStart(r) => {
                    let old = self.regs[r as usize];
                    self.stack.push(Bt::Reg { r, old });
                    self.regs[r as usize] = pos as u32;
                    pc += 1;
                    true
                }
                Inst::RepCheck { reg, back } => {
                    if self.regs[reg as usize] == pos as u32 {
                        // An empty iteration ends the loop (Java's Loop).
                        pc += 1;
                    } else {
                        pc = back as usize;
                    }
                    true
                }
                Inst::MemoSplit { id, next, exit } => {
                    if self.memo_has(id, pos) {
                        pc = exit as usize;
                    } else {
                        self.stack.push(Bt::MemoAlt {
                            pc: exit,
                            pos: pos as u32,
                            id,
                        });
                        pc = next as usize;
                    }
                    true
                }
                Inst::RepCheckExit { reg, exit } => {
                    if self.regs[reg as usize] == pos as u32 {
                        pc = exit as usize;
                    } else {
                        pc += 1;
                    }
                    true
                }
                Inst::LookStart { id, behind } => {
                    self.marks[id as usize] = (self.stack.len() as u32, pos as u32);
                    self.stack.push(Bt::Mark { id });
                    match behind {
                        None => {
                            pc += 1;
                            true
                        }
                        Some((min, max, units16)) => {
                            // Java tries the nearest start first (min units back), then
                            // earlier ones up to max. Starts inside a surrogate pair (which
                            // Java, counting UTF-16 units, may try) do not exist in UTF-8.
                            let mut p = pos;
                            let mut units = 0u32;
                            while units < min {
                                match char_before(s, p) {
                                    Some(c) => {
                                        p -= c.len_utf8();
                                        units += width(c, units16);
                                    }
                                    None => break,
                                }
                            }
                            let ok = units >= min && units <= max;
                            if ok {
                                if units < max {
                                    self.stack.push(Bt::Behind {
                                        pc: pc as u32,
                                        pos: p as u32,
                                        units,
                                    });
                                }
                                pos = p;
                                pc += 1;
                            }
                            ok
                        }
                    }
                }
                Inst::BehindEnd(id) => {
                    pc += 1;
                    pos as u32 == self.marks[id as usize].1
                }
                Inst::LookEnd(id) => {
                    let (height, at) = self.marks[id as usize];
                    let kind = self.look_kind(id);
                    match kind {
                        LookKind::Neg => {
                            // The body matched: the negative lookaround fails (its captures
                            // stay, as in Java).
                            self.cut(height as usize);
                            false
                        }
                        LookKind::Pos | LookKind::Atomic => {
                            self.cut(height as usize);
                            if kind == LookKind::Pos {
                                pos = at as usize;
                            }
                            pc += 1;
                            true
                        }
                    }
                }
                Inst::Backref(g, fold) => {
                    let (a, b) = (
                        self.slots.get(2 * g as usize).copied().unwrap_or(NONE),
                        self.slots.get(2 * g as usize + 1).copied().unwrap_or(NONE),
                    );
                    if a == NONE || b == NONE {
                        // Java: a group that did not participate fails the reference.
                        false
                    } else {
                        let sub = s.get(a as usize..b as usize).unwrap_or("");
                        match backref_len(s, pos, sub, fold) {
                            Some(n) => {
                                self.steps += sub.len() as u64 / 8;
                                pos += n;
                                pc += 1;
                                true
                            }
                            None => false,
                        }
                    }
                }
                Inst::Match => {
                    if whole && pos != s.len() {
                        false
                    } else {
                        self.slots[0] = start as u32;
                        self.slots[1] = pos as u32;
                        return Ok(true);
                    }
                }
            };
            if ok {
                continue;
            }
            // Backtrack.
            loop {
                self.steps += 1;
                if self.steps > self.max_steps {
                    return self.fail_steps();
                }
                let Some(bt) = self.stack.pop() else {
                    return Ok(false);
                };
                match bt {
                    Bt::Alt { pc: p, pos: q } => {
                        pc = p as usize;
                        pos = q as usize;
                        break;
                    }
                    Bt::Group { g, start, end } => {
                        self.slots[2 * g as usize] = start;
                        self.slots[2 * g as usize + 1] = end;
                    }
                    Bt::GStart { g, old } => self.gstart[g as usize] = old,
                    Bt::Reg { r, old } => self.regs[r as usize] = old,
                    Bt::MemoAlt { pc: p, pos: q, id } => {
                        self.memo_add(id, q as usize, s.len());
                        pc = p as usize;
                        pos = q as usize;
                        break;
                    }
                    Bt::Mark { id } => {
                        if self.look_kind(id) == LookKind::Neg {
                            // The body cannot match: the negative lookaround succeeds.
                            pc = self.look_next(id);
                            pos = self.marks[id as usize].1 as usize;
                            break;
                        }
                    }
                    Bt::Greedy {
                        pc: p,
                        pos: q,
                        count,
                    } => {
                        let Some(Inst::RepeatOne { min, .. }) = insts.get(p as usize) else {
                            continue;
                        };
                        let Some(c) = char_before(s, q as usize) else {
                            continue;
                        };
                        let q = q as usize - c.len_utf8();
                        let count = count - 1;
                        if count > *min {
                            self.stack.push(Bt::Greedy {
                                pc: p,
                                pos: q as u32,
                                count,
                            });
                        }
                        pc = p as usize + 1;
                        pos = q;
                        break;
                    }
                    Bt::Lazy {
                        pc: p,
                        pos: q,
                        count,
                    } => {
                        let Some(Inst::RepeatOne { one, max, .. }) = insts.get(p as usize) else {
                            continue;
                        };
                        match char_at(s, q as usize) {
                            Some(c) if one_matches(prog, *one, c) => {
                                let q = q as usize + c.len_utf8();
                                let count = count + 1;
                                if count < *max || *max == INF {
                                    self.stack.push(Bt::Lazy {
                                        pc: p,
                                        pos: q as u32,
                                        count,
                                    });
                                }
                                pc = p as usize + 1;
                                pos = q;
                                break;
                            }
                            _ => continue,
                        }
                    }
                    Bt::Behind {
                        pc: p,
                        pos: q,
                        units,
                    } => {
                        let Some(Inst::LookStart {
                            behind: Some((_, max, units16)),
                            ..
                        }) = insts.get(p as usize)
                        else {
                            continue;
                        };
                        let Some(c) = char_before(s, q as usize) else {
                            continue;
                        };
                        let units = units.saturating_add(width(c, *units16));
                        if units > *max {
                            continue;
                        }
                        let q = q as usize - c.len_utf8();
                        if units < *max {
                            self.stack.push(Bt::Behind {
                                pc: p,
                                pos: q as u32,
                                units,
                            });
                        }
                        pc = p as usize + 1;
                        pos = q;
                        break;
                    }
                }
            }
        }
    }

    fn memo_has(&self, id: u32, pos: usize) -> bool {
        self.memo
            .get(id as usize)
            .and_then(|m| m.get(pos / 64))
            .is_some_and(|w| w & (1 << (pos % 64)) != 0)
    }

    fn memo_add(&mut self, id: u32, pos: usize, len: usize) {
        let Some(m) = self.memo.get_mut(id as usize) else {
            return;
        };
        if m.is_empty() {
            *m = vec![0; len / 64 + 1];
        }
        if let Some(w) = m.get_mut(pos / 64) {
            if *w == 0 {
                self.memo_dirty.push((id, (pos / 64) as u32));
            }
            *w |= 1 << (pos % 64);
        }
    }

    fn clear_memo(&mut self) {
        for (id, w) in self.memo_dirty.drain(..) {
            if let Some(x) = self
                .memo
                .get_mut(id as usize)
                .and_then(|m| m.get_mut(w as usize))
            {
                *x = 0;
            }
        }
    }

    fn look_kind(&self, id: u32) -> LookKind {
        self.prog.look_info(id).0
    }

    fn look_next(&self, id: u32) -> usize {
        self.prog.look_info(id).1 as usize
    }

    /// A positive lookaround or atomic group succeeded: drop everything its body pushed, its
    /// choice points (nothing backtracks into it) and its undo entries too, because Java does
    /// not restore groups captured inside an independent node when the match later backtracks
    /// past it (`(?>(a))b|a` on "ac" reports group 1 = "a"). Negative lookarounds whose body
    /// matched drop them the same way (Java leaves those captures set).
    fn cut(&mut self, height: usize) {
        self.stack.truncate(height);
    }
}

/// Bytes of `s` at `pos` matching the captured text `sub` (Java's `BackRef`/`CIBackRef`).
fn backref_len(s: &str, pos: usize, sub: &str, fold: Fold) -> Option<usize> {
    let rest = s.get(pos..)?;
    match fold {
        Fold::None => rest.starts_with(sub).then_some(sub.len()),
        _ => {
            let mut it = rest.char_indices();
            for a in sub.chars() {
                let (_, b) = it.next()?;
                let same = a == b
                    || match fold {
                        Fold::Ascii => a.is_ascii() && b.is_ascii() && a.eq_ignore_ascii_case(&b),
                        _ => {
                            unicode::to_upper(a) == unicode::to_upper(b)
                                || unicode::to_lower(unicode::to_upper(a))
                                    == unicode::to_lower(unicode::to_upper(b))
                        }
                    };
                if !same {
                    return None;
                }
            }
            Some(it.next().map_or(rest.len(), |(i, _)| i))
        }
    }
}

/// `hay.find(needle)`. A one-byte needle (`,`, `\n`, `-`: most literal patterns and prefixes) is
/// a byte scan: `str::find` sets up a two-way searcher on every call, which cost more than
/// the search itself for the short strings templates split. A one-byte needle is ASCII, so a
/// byte match is a character boundary.
fn find_literal(hay: &str, needle: &str) -> Option<usize> {
    match needle.as_bytes() {
        [b] => hay.bytes().position(|h| h == *b),
        _ => hay.find(needle),
    }
}
