//! Seeded generator of Java patterns, inputs relevant to them, and replacement strings.
//!
//! Every construct is generated together with a sample string it plausibly matches, so inputs
//! (samples spliced with noise) exercise matches and not just failures. The grammar covers
//! literals and escapes, `\Q..\E`, `.`, classes (ranges, negation, nested union, `&&`, predefined
//! and `\p{..}` classes inside and outside), anchors, all group kinds and inline flags,
//! alternation, greedy/lazy/possessive quantifiers, backreferences (`\N`, `\k<name>`), bounded
//! lookaround and atomic groups. 5% of patterns are mutated at random so syntax errors compare too.

use crate::rng::Rng;
use crate::RegexCase;

/// `(pattern text, sample it matches)` for single characters, including ones whose case folding
/// is special: `ß`, `ſ` (folds to `s` in Unicode), `K` (U+212A KELVIN SIGN, folds to `k`), and a
/// non-BMP emoji (two UTF-16 units in Java, four bytes in UTF-8).
const LITERALS: &[&str] = &[
    "a", "b", "c", "x", "A", "B", "C", "k", "K", "s", "S", "0", "1", "9", " ", "-", "_", ",", ":",
    "/", "é", "É", "ß", "ſ", "\u{212A}", "😀", "=", "'", "<", ">", "&", "\"", "σ", "Σ", "İ", "ı",
];

/// Escapes outside classes: (pattern text, the character it stands for).
const ESCAPES: &[(&str, &str)] = &[
    (r"\.", "."),
    (r"\*", "*"),
    (r"\+", "+"),
    (r"\?", "?"),
    (r"\(", "("),
    (r"\)", ")"),
    (r"\[", "["),
    (r"\]", "]"),
    (r"\{", "{"),
    (r"\}", "}"),
    (r"\|", "|"),
    (r"\^", "^"),
    (r"\$", "$"),
    (r"\\", "\\"),
    (r"\-", "-"),
    (r"\/", "/"),
    (r"\#", "#"),
    (r"\t", "\t"),
    (r"\n", "\n"),
    (r"\r", "\r"),
    (r"\f", "\u{c}"),
    (r"\e", "\u{1b}"),
    (r"\x41", "A"),
    (r"\u00e9", "é"),
    (r"\u00C9", "É"),
    (r"\x{1F600}", "😀"),
    (r"\0101", "A"),
    (r"\011", "\t"),
    (r"\cJ", "\n"),
    (r"\uD83D\uDE00", "😀"),
    (r"\0377", "ÿ"),
    (r"\x{E9}", "é"),
    (r"\a", "\u{7}"),
    (r"\N{LATIN SMALL LETTER E WITH ACUTE}", "é"),
    (r"\u212a", "\u{212A}"),
];

/// Predefined classes usable inside and outside `[...]`: (text, a sample member).
const PREDEFINED: &[(&str, &str)] = &[
    (r"\d", "7"),
    (r"\D", "x"),
    (r"\w", "q"),
    (r"\W", "-"),
    (r"\s", " "),
    (r"\S", "z"),
    (r"\h", "\t"),
    (r"\H", "h"),
    (r"\v", "\n"),
    (r"\V", "v"),
    (r"\p{Lower}", "m"),
    (r"\p{Upper}", "M"),
    (r"\p{Alpha}", "é"),
    (r"\p{Digit}", "4"),
    (r"\p{Alnum}", "5"),
    (r"\p{Punct}", "!"),
    (r"\p{Space}", "\r"),
    (r"\p{L}", "é"),
    (r"\p{Lu}", "É"),
    (r"\p{IsLu}", "Q"),
    (r"\p{Ll}", "ß"),
    (r"\p{IsL}", "ſ"),
    (r"\P{L}", "3"),
    (r"\P{Lower}", "R"),
    (r"\pL", "k"),
    (r"\R", "\r\n"),
    (r"\X", "e\u{301}"),
    (r"\p{javaLowerCase}", "ß"),
    (r"\p{IsAlphabetic}", "ı"),
    (r"\p{Nd}", "٣"),
];

/// Class ranges: (text, sample).
const RANGES: &[(&str, &str)] = &[
    ("a-f", "c"),
    ("A-F", "E"),
    ("0-5", "3"),
    ("a-z", "k"),
    ("A-Z", "K"),
    ("à-ÿ", "é"),
    ("x-z", "y"),
    (r"\x41-\x43", "B"),
];

/// Line terminators in Java's sense, and other characters that matter to Java's semantics.
const NOISE: &[&str] = &[
    "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "a", "b", "A", "B", "x", "X", "k", "K", "s", "S",
    "é", "É", "ß", "ſ", "\u{212A}", "😀", "0", "1", "7", " ", "  ", "\t", "-", ".", "ab", "AB",
    "abc",
];

const REPLACEMENTS: &[&str] = &[
    "",
    "-",
    "<$0>",
    "[$1]",
    "$1$1",
    "\\$",
    "x\\\\y",
    "\\n",
    "$",
    "$9",
    "$12",
    "$a",
    "${nope}",
    "\\",
    "é😀",
    "$0$0",
    "${name}",
    "\\$1",
    "$10",
    "${",
    "$00",
    "$1a",
    "${n9}",
    "${1}",
    "${name}${name}",
    "\\\\$0",
    "$-1",
];

struct Gen<'r> {
    rng: &'r mut Rng,
    groups: usize,
    /// Samples of closed capturing groups, by number (index 0 unused).
    group_samples: Vec<Option<String>>,
    names: Vec<String>,
    /// Is `(?x)` on in the current group (spaces and `#` comments are then ignored by Java)?
    xmode: bool,
    features: Vec<&'static str>,
    budget: usize,
}

struct Frag {
    text: String,
    sample: String,
}

impl Frag {
    fn new(text: impl Into<String>, sample: impl Into<String>) -> Frag {
        Frag {
            text: text.into(),
            sample: sample.into(),
        }
    }
}

impl Gen<'_> {
    fn feature(&mut self, f: &'static str) {
        if !self.features.contains(&f) {
            self.features.push(f);
        }
    }

    /// Alternation of sequences. `bounded`: inside lookbehind, only bounded quantifiers.
    fn alt(&mut self, depth: usize, bounded: bool) -> Frag {
        let n = if self.rng.chance(20) {
            2 + self.rng.below(2)
        } else {
            1
        };
        if n > 1 {
            self.feature("alternation");
        }
        let mut text = String::new();
        let mut samples = Vec::new();
        for i in 0..n {
            if i > 0 {
                text.push('|');
            }
            let f = self.seq(depth, bounded);
            text.push_str(&f.text);
            samples.push(f.sample);
        }
        let sample = self.rng.pick(&samples).clone();
        Frag { text, sample }
    }

    fn seq(&mut self, depth: usize, bounded: bool) -> Frag {
        let n = 1 + self.rng.below(4);
        let mut text = String::new();
        let mut sample = String::new();
        for _ in 0..n {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            let f = self.item(depth, bounded);
            text.push_str(&f.text);
            sample.push_str(&f.sample);
            if self.xmode && self.rng.chance(30) {
                self.feature("x-whitespace");
                text.push_str(if self.rng.chance(20) {
                    "  # note\n"
                } else {
                    " "
                });
            }
        }
        Frag { text, sample }
    }

    fn item(&mut self, depth: usize, bounded: bool) -> Frag {
        let atom = self.atom(depth, bounded);
        if !self.rng.chance(35) || atom.text.is_empty() {
            return atom;
        }
        self.quantify(atom, bounded)
    }

    fn quantify(&mut self, atom: Frag, bounded: bool) -> Frag {
        if self.rng.chance(3) {
            // Edge forms: Java rejects `{,3}` and `{3,2}`, and reads a huge count its own way.
            self.feature("quantifier-edge");
            let q = *self.rng.pick(&[
                "{,3}",
                "{3,2}",
                "{2147483648}",
                "{1,2147483647}",
                "{0}{0}",
                "{ 2}",
            ]);
            return Frag::new(format!("{}{q}", atom.text), atom.sample);
        }
        let (q, min, max): (String, usize, usize) =
            match self.rng.below(if bounded { 3 } else { 6 }) {
                0 => ("?".into(), 0, 1),
                1 => {
                    let n = self.rng.below(3);
                    (format!("{{{n}}}"), n, n)
                }
                2 => {
                    let n = self.rng.below(2);
                    let m = n + self.rng.below(3);
                    (format!("{{{n},{m}}}"), n, m)
                }
                3 => ("*".into(), 0, 3),
                4 => ("+".into(), 1, 3),
                _ => {
                    let n = self.rng.below(3);
                    (format!("{{{n},}}"), n, n + 2)
                }
            };
        let suffix = match self.rng.below(10) {
            0..=6 => "",
            7..=8 => {
                self.feature("lazy");
                "?"
            }
            _ => {
                self.feature("possessive");
                "+"
            }
        };
        self.feature("quantifier");
        let reps = min + self.rng.below(max - min + 1);
        Frag::new(
            format!("{}{q}{suffix}", atom.text),
            atom.sample.repeat(reps),
        )
    }

    fn atom(&mut self, depth: usize, bounded: bool) -> Frag {
        let deeper = depth < 3 && self.budget > 2;
        let pick = self.rng.below(100);
        match pick {
            0..=29 => {
                let c = *self.rng.pick(LITERALS);
                if c == " " && self.xmode {
                    self.feature("x-whitespace");
                }
                Frag::new(c, c)
            }
            30..=36 => {
                self.feature("escape");
                let (t, s) = *self.rng.pick(ESCAPES);
                Frag::new(t, s)
            }
            37..=39 => {
                self.feature("quote");
                let body = ["a.b", "*+", "x\\d", "(", "$", "é|", ""];
                let b = *self.rng.pick(&body);
                let close = if self.rng.chance(85) { "\\E" } else { "" };
                Frag::new(format!("\\Q{b}{close}"), b)
            }
            40..=43 => {
                self.feature("dot");
                Frag::new(".", *self.rng.pick(&["a", "é", "😀", " "]))
            }
            44..=55 => {
                self.feature("class");
                self.class(0)
            }
            56..=61 => {
                self.feature("predefined");
                let (t, s) = *self.rng.pick(PREDEFINED);
                if t.starts_with("\\p") || t.starts_with("\\P") {
                    self.feature("property");
                }
                Frag::new(t, s)
            }
            62..=68 => {
                let a = *self
                    .rng
                    .pick(&["^", "$", "\\A", "\\z", "\\Z", "\\b", "\\B", "\\G"]);
                self.feature(match a {
                    "^" | "$" => "anchor-line",
                    "\\b" | "\\B" => "word-boundary",
                    "\\G" => "anchor-G",
                    _ => "anchor-input",
                });
                Frag::new(a, "")
            }
            69..=73 => {
                self.feature("inline-flags");
                let f = *self.rng.pick(&[
                    "(?i)", "(?i)", "(?-i)", "(?s)", "(?m)", "(?x)", "(?u)", "(?d)", "(?iu)",
                    "(?im)", "(?-s)", "(?i-m)", "(?U)",
                ]);
                if f.contains('x') {
                    self.xmode = true;
                }
                Frag::new(f, "")
            }
            74..=77 if self.groups > 0 => {
                self.feature("backreference");
                let named = !self.names.is_empty() && self.rng.chance(35);
                if named {
                    self.feature("named-backreference");
                    let n = self.rng.below(self.names.len());
                    let name = self.names[n].clone();
                    if self.rng.chance(10) {
                        return Frag::new("\\k<nope>", "");
                    }
                    let sample = self.name_sample(&name);
                    return Frag::new(format!("\\k<{name}>"), sample);
                }
                let extra = usize::from(self.rng.chance(15));
                let g = 1 + self.rng.below(self.groups + extra);
                let sample = self
                    .group_samples
                    .get(g)
                    .cloned()
                    .flatten()
                    .unwrap_or_default();
                Frag::new(format!("\\{g}"), sample)
            }
            _ if deeper => self.group(depth, bounded),
            _ => {
                let c = *self.rng.pick(LITERALS);
                Frag::new(c, c)
            }
        }
    }

    fn name_sample(&self, name: &str) -> String {
        // Names are `n<group number>`.
        name.strip_prefix('n')
            .and_then(|d| d.parse::<usize>().ok())
            .and_then(|g| self.group_samples.get(g).cloned().flatten())
            .unwrap_or_default()
    }

    fn group(&mut self, depth: usize, bounded: bool) -> Frag {
        let saved_x = self.xmode;
        let kind = self.rng.below(100);
        let (open, capturing, inner_bounded, keeps_sample): (String, bool, bool, bool) = match kind
        {
            0..=34 => ("(".into(), true, bounded, true),
            35..=44 => {
                self.feature("named-group");
                (format!("(?<n{}>", self.groups + 1), true, bounded, true)
            }
            45..=59 => ("(?:".into(), false, bounded, true),
            60..=71 => {
                self.feature("flag-group");
                let f = *self
                    .rng
                    .pick(&["i", "-i", "s", "m", "x", "iu", "d", "i-s", "u"]);
                if f.starts_with('x') {
                    self.xmode = true;
                }
                (format!("(?{f}:"), false, bounded, true)
            }
            72..=77 => {
                self.feature("atomic");
                ("(?>".into(), false, bounded, true)
            }
            78..=87 => {
                self.feature("lookahead");
                (
                    (*self.rng.pick(&["(?=", "(?!"])).into(),
                    false,
                    bounded,
                    false,
                )
            }
            _ => {
                self.feature("lookbehind");
                (
                    (*self.rng.pick(&["(?<=", "(?<!"])).into(),
                    false,
                    true,
                    false,
                )
            }
        };
        let number = if capturing {
            self.groups += 1;
            self.group_samples.push(None);
            if open.starts_with("(?<n") {
                self.names.push(format!("n{}", self.groups));
            }
            Some(self.groups)
        } else {
            None
        };
        let inner = self.alt(depth + 1, inner_bounded);
        self.xmode = saved_x;
        if let Some(g) = number {
            if let Some(slot) = self.group_samples.get_mut(g) {
                *slot = Some(inner.sample.clone());
            }
        }
        let sample = if keeps_sample {
            inner.sample
        } else {
            String::new()
        };
        let close = if self.rng.chance(2) { "" } else { ")" };
        Frag::new(format!("{open}{}{close}", inner.text), sample)
    }

    fn class(&mut self, depth: usize) -> Frag {
        let negated = self.rng.chance(25);
        let mut text = String::from("[");
        if negated {
            self.feature("class-negated");
            text.push('^');
        }
        let n = 1 + self.rng.below(3);
        let mut samples: Vec<String> = Vec::new();
        for i in 0..n {
            match self.rng.below(100) {
                0..=34 => {
                    let c = *self.rng.pick(&[
                        "a", "b", "K", "é", "ß", "ſ", "\u{212A}", "😀", "x", "-", "_", " ", "^",
                        "&", ".",
                    ]);
                    // `-` and `^` are literal only in some positions; the grammar places them
                    // anywhere on purpose (Java's rules for them are part of what is compared).
                    if i == 0 && c == "^" && !negated {
                        text.push_str("\\^");
                    } else {
                        text.push_str(c);
                    }
                    samples.push(c.into());
                }
                35..=49 => {
                    let (t, s) = *self.rng.pick(RANGES);
                    text.push_str(t);
                    samples.push(s.into());
                }
                50..=69 => {
                    let (t, s) = *self.rng.pick(PREDEFINED);
                    text.push_str(t);
                    samples.push(s.into());
                }
                70..=79 => {
                    let (t, s) = *self.rng.pick(&[
                        ("\\d-z", "z"),
                        ("a-\\d", "a"),
                        ("\\w-", "-"),
                        ("\\]", "]"),
                        ("\\[", "["),
                        ("\\-", "-"),
                        ("\\\\", "\\"),
                        ("\\n", "\n"),
                        ("\\u0085", "\u{85}"),
                        ("\\Q-]\\E", "]"),
                    ]);
                    text.push_str(t);
                    samples.push(s.into());
                }
                80..=89 if depth < 2 => {
                    self.feature("class-union");
                    let inner = self.class(depth + 1);
                    text.push_str(&inner.text);
                    samples.push(inner.sample);
                }
                _ if depth < 2 => {
                    self.feature("class-intersection");
                    text.push_str("&&");
                    let inner = if self.rng.chance(50) {
                        self.class(depth + 1)
                    } else {
                        let (t, s) = *self.rng.pick(RANGES);
                        Frag::new(t, s)
                    };
                    text.push_str(&inner.text);
                    samples.push(inner.sample);
                }
                _ => {
                    text.push('c');
                    samples.push("c".into());
                }
            }
        }
        text.push(']');
        let sample = if negated {
            (*self.rng.pick(NOISE)).to_string()
        } else {
            self.rng.pick(&samples).clone()
        };
        Frag { text, sample }
    }
}

/// Random edits that often (not always) make the pattern a syntax error.
fn mutate(rng: &mut Rng, pattern: &str) -> String {
    let mut chars: Vec<char> = pattern.chars().collect();
    let meta = [
        '(', ')', '[', ']', '{', '}', '\\', '*', '+', '?', '|', '^', '$', '&', '-', '<', '>', '=',
    ];
    for _ in 0..1 + rng.below(2) {
        let at = rng.below(chars.len() + 1);
        match rng.below(3) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => chars.insert(at, *rng.pick(&meta)),
            _ => chars.truncate(at),
        }
    }
    chars.into_iter().collect()
}

/// Patterns as API Gateway users write them (selectionPattern, `$s.replaceAll`, `split`), with
/// inputs of the kind they meet; 10% of a corpus, so everyday forms are always covered.
const REALISTIC: &[(&str, &[&str])] = &[
    (r"4\d{2}", &["400", "404", "4000", "500"]),
    (r"5\d{2}|403", &["503", "403", "200"]),
    (r".*Error.*", &["Error: x", "an Error\nmore", "ok"]),
    (r"(?s).*Error.*", &["an Error\nmore", "\nError"]),
    (r"\s+", &["a  b\t\nc", " lead", "none"]),
    (r"^\s+|\s+$", &["  padded \n", "x"]),
    (r"\\", &["a\\b\\\\c", "none"]),
    (r"\\'", &["it\\'s", "don't"]),
    (r"'", &["it's 'q'", "none"]),
    (r#"\""#, &["say \"hi\"", "none"]),
    (r"<[^>]+>", &["<p>hi</p>", "a < b > c", "<>"]),
    (r"[^a-zA-Z0-9]", &["a-b_c d.é", "plain"]),
    (
        r"(?i)bearer\s+(.*)",
        &["Bearer abc.def", "bearer\tX", "Basic x"],
    ),
    (r"(\w+)=(\w*)", &["a=1&b=&c=3", "x"]),
    (r"[\r\n]+", &["l1\r\nl2\n\nl3", "one"]),
    (r"\.(jpg|png)$", &["a.png", "b.jpg\n", "c.gif"]),
    (r",", &["a,b,,c,,", ",", ""]),
    (r"\|", &["a|b||c", "|"]),
    (r"\$\{(\w+)\}", &["hi ${name}!", "${a}${b}", "$x"]),
    (r"(?m)^", &["l1\nl2\r\nl3", ""]),
    (r"\b", &["héllo wörld", "a1 b2"]),
    (r"(?<=\d)(?=(\d{3})+$)", &["1234567", "12", "1000000"]),
    (r"%[0-9A-Fa-f]{2}", &["a%20b%2Fc", "100%"]),
    (r"\p{Punct}", &["a,b.c!d", "none"]),
    (r"[\x00-\x1F]", &["a\tb\u{1}c", "clean"]),
    (r"\R", &["a\r\nb\u{85}c\u{2028}d", "x"]),
];

/// Case `index` of corpus `seed`.
pub fn case(seed: u64, index: u64) -> RegexCase {
    let mut rng = Rng::for_case(seed, index);
    if rng.chance(10) {
        let (pattern, inputs) = rng.pick(REALISTIC);
        let input = (*rng.pick(inputs)).to_string();
        let replacement = (*rng.pick(&["", "-", "$1", "\\\\", "<$0>", "$2", "\\$"])).to_string();
        return RegexCase {
            pattern: (*pattern).to_string(),
            input,
            replacement,
            features: vec!["realistic"],
        };
    }
    let (pattern, sample, features, names) = {
        let mut g = Gen {
            rng: &mut rng,
            groups: 0,
            group_samples: vec![None],
            names: Vec::new(),
            xmode: false,
            features: Vec::new(),
            budget: 10,
        };
        let f = g.alt(0, false);
        (f.text, f.sample, g.features, g.names)
    };
    let mut features = features;
    let pattern = if rng.chance(5) {
        features.push("mutated");
        mutate(&mut rng, &pattern)
    } else {
        pattern
    };
    let input = input_for(&mut rng, &sample);
    let mut replacement = (*rng.pick(REPLACEMENTS)).to_string();
    if let Some(name) = names.first() {
        replacement = replacement.replace("${name}", &format!("${{{name}}}"));
    }
    RegexCase {
        pattern,
        input,
        replacement,
        features,
    }
}

/// An input made of the pattern's sample (sometimes case-flipped), noise and line terminators.
fn input_for(rng: &mut Rng, sample: &str) -> String {
    let mut out = String::new();
    let pieces = rng.below(6);
    for _ in 0..=pieces {
        if rng.chance(45) {
            let s: String = if rng.chance(25) {
                sample
                    .chars()
                    .map(|c| {
                        if c.is_ascii_lowercase() {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect()
            } else {
                sample.to_string()
            };
            out.push_str(&s);
        } else {
            let noise: &&str = rng.pick(NOISE);
            out.push_str(noise);
        }
        if out.chars().count() > 40 {
            break;
        }
    }
    out
}

/// `count` cases of corpus `seed`.
pub fn corpus(seed: u64, count: usize) -> Vec<RegexCase> {
    (0..count as u64).map(|i| case(seed, i)).collect()
}
